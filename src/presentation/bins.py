"""Map classes: which colour a country gets, and the legend that explains it.

One set of rules for the interactive map and the briefing's static map.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.i18n import format_money, format_number, format_percent, translate
from src.presentation.palettes import DIVERGING, NO_DATA, ORDERED, SEQUENTIAL, Rgb

MAP_METRICS = ("budget", "projects", "actors", "risk", "capacity")
# Scores published by others (INFORM, WGI): a country may have none.
SCORE_METRICS = ("risk", "capacity")
# Counts: class limits are whole numbers, so "< 3" means "2 or fewer".
COUNT_METRICS = ("projects", "actors")
CHANGE = "change"  # a scenario's change per country (months of delay)
# INFORM's own class limits (INFORM methodology): Very low < 2 <= Low < 3.5 ...
INFORM_BOUNDS = (2.0, 3.5, 5.0, 6.5)
# Government Effectiveness percentile: low (weak capacity) is dark.
CAPACITY_BOUNDS = (20.0, 40.0, 60.0, 80.0)


def map_bins(values: pd.Series, metric: str) -> tuple[list[float], list[Rgb]]:
    """Class limits and colours for `metric`; always one more colour than limits.

    Budget and counts use quintiles of the values shown (duplicates merged,
    counts rounded up to whole numbers); risk and capacity use fixed limits;
    a change is symmetric around 0.

    >>> map_bins(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), "budget")[0]
    [2.0, 3.0, 4.0, 5.0]
    >>> map_bins(pd.Series([7.0, 7.0]), "projects")
    ([7.0], [(136, 86, 167), (129, 15, 124)])
    """
    if metric == CHANGE:
        top = float(values.abs().max()) if values.notna().any() else 0.0
        top = max(top, 0.5)
        return [-top / 2, -0.25, 0.25, top / 2], list(DIVERGING)
    if metric == "risk":
        return list(INFORM_BOUNDS), list(ORDERED)
    if metric == "capacity":
        return list(CAPACITY_BOUNDS), list(ORDERED[::-1])
    if metric not in MAP_METRICS:
        msg = f"unknown map metric {metric!r}; choose from {(*MAP_METRICS, CHANGE)}"
        raise ValueError(msg)
    clean = values.dropna()
    if clean.empty:
        return [], list(SEQUENTIAL[-1:])
    qs = np.quantile(clean, [0.2, 0.4, 0.6, 0.8])
    qs = np.ceil(qs) if metric in COUNT_METRICS else qs.round(6)
    qs = sorted(set(qs.tolist()))
    return qs, list(SEQUENTIAL[-(len(qs) + 1) :])


def class_of(value: float | None, bounds: list[float]) -> int | None:
    """Index of the class holding `value` (limits belong to the upper class).

    >>> class_of(3.5, [2.0, 3.5]), class_of(1.0, [2.0]), class_of(float("nan"), [])
    (2, 0, None)
    """
    if pd.isna(value):
        return None
    return int(np.searchsorted(bounds, value, side="right"))


def class_color(value: float, bounds: list[float], colors: list[Rgb]) -> Rgb:
    """The colour of `value`, grey when there is no value."""
    index = class_of(value, bounds)
    return NO_DATA if index is None else colors[index]


def format_map_value(value: float, metric: str, lang: str) -> str:
    """A map value as tooltips and legends show it.

    >>> format_map_value(2.5, "change", "en"), format_map_value(45.0, "capacity", "en")
    ('+2.5 months', '45%')
    """
    if pd.isna(value):
        return translate("map.no_data", lang)
    if metric == CHANGE:
        sign = "+" if value > 0 else ""
        return sign + translate("unit.months", lang, value=value)
    if metric == "budget":
        return format_money(value, lang)
    if metric in COUNT_METRICS:
        return format_number(value, lang)
    if metric == "risk":
        return format_number(value, lang, 1)
    return format_percent(value / 100, lang)


def class_labels(metric: str, bounds: list[float], lang: str) -> list[str]:
    """One label per class: "< a", "a – b", …, "≥ z" ("no data" without limits).

    >>> class_labels("risk", [2.0, 3.5], "en")
    ['< 2.0', '2.0 – 3.5', '≥ 3.5']
    """
    if not bounds:
        return [format_map_value(float("nan"), metric, lang)]
    fmt = [format_map_value(b, metric, lang) for b in bounds]
    middle = [f"{low} – {high}" for low, high in zip(fmt, fmt[1:], strict=False)]
    return ["< " + fmt[0], *middle, "≥ " + fmt[-1]]


def legend(
    metric: str, bounds: list[float], colors: list[Rgb], lang: str
) -> list[tuple[Rgb, str]]:
    """Legend entries (colour, label) for the country colours, then the grey.

    The grey is "no project in the selection"; for published scores (risk,
    capacity) it also covers a country whose score is not published.
    """
    items = list(zip(colors, class_labels(metric, bounds, lang), strict=True))
    grey = "map.no_projects_or_score" if metric in SCORE_METRICS else "map.no_projects"
    return [*items, (NO_DATA, translate(grey, lang))]
