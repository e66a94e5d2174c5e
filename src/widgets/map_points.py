"""Project points for the map: one record per row, or per grid cell when many.

Pure pandas and translation (no Streamlit): `src.widgets.map_deck` puts the
records into pydeck layers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from src.i18n import format_money, translate
from src.portfolio import schema as S
from src.presentation.palettes import NO_DATA, RISK_COLORS, Rgb


def aggregate_points(points: pd.DataFrame, cell_deg: float = 1.0) -> pd.DataFrame:
    """Server-side grid aggregation for very large selections.

    Returns:
        One row per grid cell with lat/lon (budget-weighted mean), budget_usd,
        spent_usd, projects and the budget-dominant risk level.
    """
    pts = points.dropna(subset=[S.COL_LAT, S.COL_LON]).copy()
    pts["cell_lat"] = np.floor(pts[S.COL_LAT] / cell_deg)
    pts["cell_lon"] = np.floor(pts[S.COL_LON] / cell_deg)
    pts["w"] = pts[S.COL_BUDGET].clip(lower=1.0)
    pts["wlat"] = pts[S.COL_LAT] * pts["w"]
    pts["wlon"] = pts[S.COL_LON] * pts["w"]
    keys = ["cell_lat", "cell_lon"]
    agg = pts.groupby(keys).agg(
        w=("w", "sum"),
        wlat=("wlat", "sum"),
        wlon=("wlon", "sum"),
        budget_usd=(S.COL_BUDGET, "sum"),
        spent_usd=(S.COL_SPENT, "sum"),
        projects=(S.COL_PROJECT_ID, "nunique"),
    )
    risk = (
        pts.groupby([*keys, S.COL_RISK])[S.COL_BUDGET]
        .sum()
        .reset_index()
        .sort_values(S.COL_BUDGET)
        .groupby(keys)
        .last()[S.COL_RISK]
    )
    agg[S.COL_RISK] = risk
    agg[S.COL_LAT] = agg["wlat"] / agg["w"]
    agg[S.COL_LON] = agg["wlon"] / agg["w"]
    return agg.reset_index()[
        [S.COL_LAT, S.COL_LON, "budget_usd", "spent_usd", "projects", S.COL_RISK]
    ]


# Decimals sent to the browser: 0.0001 degree is about 11 m, 0.1 px is below
# what a screen shows; more digits only lengthen the map's JSON (the browser
# parses it character by character).
POSITION_DECIMALS = 4
RADIUS_DECIMALS = 1


def point_radius(budget: pd.Series) -> pd.Series:
    """Pixel radius (0.1 px): area proportional to budget, the largest 22 px."""
    top = float(budget.max()) if len(budget) and budget.max() > 0 else 1.0
    radius = 2.5 + 19.5 * np.sqrt(budget.clip(lower=0) / top)
    return radius.round(RADIUS_DECIMALS)


def position(value: float) -> float:
    """A longitude or latitude as sent to the map (about 11 m)."""
    return round(float(value), POSITION_DECIMALS)


def shorten(text: str, limit: int = 120) -> str:
    """Long titles end with an ellipsis so the tooltip stays readable.

    >>> shorten("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _risk_color(risk: object) -> Rgb:
    return RISK_COLORS.get(str(risk), NO_DATA)


def point_records(
    points: pd.DataFrame, lang: str, *, clickable: bool = True
) -> list[dict[str, Any]]:
    """One record per project row: position, radius, colour and tooltip text.

    The tooltip's last line says a click opens the project, when it does.
    """
    t = lambda key: translate(key, lang)  # noqa: E731
    records = []
    for row in points.itertuples(index=False):
        rec = row._asdict()
        lines = [
            f"{t('col.agency')}: {rec[S.COL_AGENCY]}",
            f"{t('col.country')}: {rec[S.COL_COUNTRY_NAME]}",
            f"{t('col.sector')}: {t('sector.' + rec[S.COL_SECTOR_GROUP])}",
            f"{t('col.budget')}: {format_money(rec[S.COL_BUDGET], lang)}",
            f"{t('col.spent')}: {format_money(rec[S.COL_SPENT], lang)}",
            f"{t('col.risk')}: {t('risk.' + rec[S.COL_RISK])}",
            t("precision." + rec[S.COL_PRECISION]),
        ]
        if clickable:
            lines.append(t("map.click_project"))
        records.append(
            {
                "project_id": rec[S.COL_PROJECT_ID],
                "lon": position(rec[S.COL_LON]),
                "lat": position(rec[S.COL_LAT]),
                "radius": rec["radius"],
                "color": _risk_color(rec[S.COL_RISK]),
                "title": shorten(str(rec[S.COL_TITLE])),
                "body": "\n".join(lines),
            }
        )
    return records


def cell_records(cells: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """One record per grid cell (aggregate_points output with a radius column)."""
    records = []
    for row in cells.itertuples(index=False):
        rec = row._asdict()
        tip = translate(
            "map.cell_tip",
            lang,
            projects=rec["projects"],
            budget=format_money(rec["budget_usd"], lang),
            risk=translate("risk." + str(rec[S.COL_RISK]), lang),
        )
        records.append(
            {
                "lon": position(rec[S.COL_LON]),
                "lat": position(rec[S.COL_LAT]),
                "radius": rec["radius"],
                "color": _risk_color(rec[S.COL_RISK]),
                "title": tip,
                "body": "",
            }
        )
    return records
