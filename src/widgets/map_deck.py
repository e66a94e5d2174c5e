"""The world map as a pydeck Deck: a pure builder, tested without a browser.

Natural Earth country polygons (offline) coloured by a metric, and project
points coloured by risk (one point per row; a 1° grid for very large selections).
Nothing here draws: `src.widgets.map` renders the deck and reads clicks.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from src.i18n import format_number, translate
from src.portfolio import schema as S
from src.portfolio.coordination import actors_by_country
from src.portfolio.geo import world_shapes
from src.presentation.bins import (
    CHANGE,
    MAP_METRICS,
    SCORE_METRICS,
    class_color,
    format_map_value,
    legend,
    map_bins,
)
from src.presentation.palettes import OUTLINE, RISK_COLORS, Rgb, muted
from src.widgets.map_layers import country_layers, dots
from src.widgets.map_points import (
    aggregate_points,
    cell_records,
    point_radius,
    point_records,
    position,
)

MAX_POINTS = 5_000
# Streamlit 1.67's deck.gl element draws a Carto basemap (an external request)
# whenever a deck has no map style, unless the style is this marker, which it
# reads as "no basemap". pydeck uses the same string for "default style".
NO_BASEMAP = "__MAP_STYLE__"
VIEW = {"latitude": 12, "longitude": 15, "zoom": 1.1}  # Africa and Asia in view
# Markup lives only in this template. Streamlit HTML-escapes every value it
# interpolates into an html tooltip (DeckGlJsonChart, 1.67), so titles from data
# files are shown as text, never run as markup.
TOOLTIP = {
    "html": "<b>{title}</b><br/>{body}",
    "style": {
        "backgroundColor": "white",
        "color": "#222",
        "fontSize": "12px",
        "whiteSpace": "pre-line",
        "maxWidth": "360px",
    },
}
_METRIC_COLUMN = {
    "budget": "budget_usd",
    "projects": "projects",
    "risk": "inform_risk",
    "capacity": "wgi_ge_pct",
}
# Ring points (country-level placement) get a dark halo this much wider than
# the coloured ring, so a ring stays visible over a country of its own colour.
RING_PX = 2
HALO_PX = 4
NO_FILL = [0, 0, 0, 0]  # a ring's inside: the country shows through


# Each deck's JSON, made on its first `to_json` (a cached deck is drawn again
# on every rerun that keeps its inputs). Kept beside the deck, not in it:
# pydeck would serialise an attribute.
_JSON: weakref.WeakKeyDictionary[pdk.Deck, str] = weakref.WeakKeyDictionary()


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation, made once (decks are not changed).

    pydeck pretty-prints with indent=2, which made the world map's spec 10 MB;
    compact separators cut it several-fold, and the browser parses it faster
    (Streamlit's frontend parses it with JSON5, about 0.5 µs a character).
    """

    def to_json(self) -> str:
        """Compact JSON for st.pydeck_chart."""
        text = _JSON.get(self)
        if text is None:
            text = json.dumps(
                self, sort_keys=True, default=default_serialize, separators=(",", ":")
            )
            _JSON[self] = text
        return text


def country_features(
    values: pd.Series,
    names: pd.Series,
    *,
    metric: str,
    bounds: list[float],
    colors: list[Rgb],
    lang: str,
    details: pd.Series | None = None,
) -> list[dict[str, Any]]:
    """Every Natural Earth country with its fill colour and tooltip text.

    Args:
        values: metric value per ISO3 (missing countries are grey).
        names: display name per ISO3 of the countries with projects in the
            selection (others: Natural Earth's name, "no project" tooltip).
        metric: the metric shown (tooltip wording and number format).
        bounds: class limits, from `map_bins`.
        colors: class colours as drawn (from `map_bins`, muted under points).
        lang: tooltip language.
        details: optional extra tooltip line per ISO3.
    """
    heading = translate("map.metric." + metric, lang)
    features = []
    for feat in world_shapes()["features"]:
        iso3 = feat["properties"]["iso3"]
        value = values.get(iso3, np.nan)
        if pd.isna(value) and metric in SCORE_METRICS and iso3 in names.index:
            body = f"{heading}: {translate('map.not_published', lang)}"
        elif pd.isna(value) or iso3 not in names.index:
            body = translate("map.no_project_tip", lang)
        else:
            body = f"{heading}: {format_map_value(value, metric, lang)}"
        if details is not None and iso3 in details.index:
            body += "\n" + str(details[iso3])
        props = {
            "iso3": iso3,
            "fill": class_color(value, bounds, colors),
            "title": str(names.get(iso3, feat["properties"]["name"])),
            "body": body,
        }
        features.append({**feat, "properties": props})
    return features


def actor_details(table: pd.DataFrame, lang: str) -> pd.Series:
    """Tooltip line per ISO3: effective number of actors, implementers named."""
    lines = [
        translate(
            "map.actors_tip",
            lang,
            effective=format_number(row.effective_actors, lang, 1),
            implementers=format_number(row.implementers, lang),
        )
        for row in table.itertuples(index=False)
    ]
    return pd.Series(lines, index=table[S.COL_COUNTRY].to_numpy(), dtype=object)


# Given the rows to draw as points, their `point_records` by row label.
RecordSource = Callable[[pd.DataFrame], Mapping[Any, dict[str, Any]]]


def _records(
    rows: pd.DataFrame, lang: str, records: RecordSource | None, clickable: bool
) -> list[dict[str, Any]]:
    """The rows' point records: from `records` (by row label) when given.

    `records` must have been made with the same `clickable` (its tooltips).
    """
    if records is None:
        return point_records(rows, lang, clickable=clickable)
    if rows.empty:
        return []
    known = records(rows)
    return [
        {**known[label], "radius": radius}
        for label, radius in zip(rows.index, rows["radius"], strict=True)
    ]


def _point_layers(
    points: pd.DataFrame,
    *,
    lang: str,
    max_points: int,
    clickable: bool,
    records: RecordSource | None = None,
) -> list[pdk.Layer]:
    """Cells above `max_points` placed rows, else country rings and site dots.

    Dots are the rows' records with `fill`, `line` (RGB or RGBA) and `width`
    (px) instead of `color`.

    Every dot has a dark outline and every ring a dark halo, so they stay
    visible over a country of their own colour.
    """
    pts = points.dropna(subset=[S.COL_LAT, S.COL_LON])
    if len(pts) > max_points:
        cells = aggregate_points(pts)
        cells = cells.assign(radius=point_radius(cells["budget_usd"]))
        return [
            dots(
                "cells",
                cell_records(cells, lang),
                pickable=True,
                get_fill_color="color",
                get_line_color=OUTLINE,
                line_width_min_pixels=1,
                opacity=0.8,
            )
        ]
    pts = pts.assign(radius=point_radius(pts[S.COL_BUDGET]))
    rings = pts[pts[S.COL_PRECISION] == "country"]
    sites = pts[pts[S.COL_PRECISION] == "site"]
    halo = [
        {"lon": position(lon), "lat": position(lat), "radius": r}
        for lon, lat, r in zip(
            rings[S.COL_LON], rings[S.COL_LAT], rings["radius"], strict=True
        )
    ]
    # Rings (hollow, in their colour) then site dots (filled, dark outline) in
    # one layer, styled per row: each layer costs the browser a draw and more
    # (software WebGL, no GPU: ~0.07 s a layer on the first draw).
    styled = [
        {**_without_color(rec), "fill": NO_FILL, "line": rec["color"], "width": RING_PX}
        for rec in _records(rings, lang, records, clickable)
    ] + [
        {**_without_color(rec), "fill": rec["color"], "line": OUTLINE, "width": 1}
        for rec in _records(sites, lang, records, clickable)
    ]
    return [
        dots(
            "points-country-halo",
            halo,
            pickable=False,
            filled=False,
            get_line_color=OUTLINE,
            line_width_min_pixels=HALO_PX,
        ),
        dots(
            "points",
            styled,
            pickable=True,
            get_fill_color="fill",
            get_line_color="line",
            get_line_width="width",
            line_width_units="'pixels'",
            opacity=0.9,
        ),
    ]


def _without_color(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "color"}


def build_portfolio_deck(
    by_country: pd.DataFrame,
    points: pd.DataFrame,
    *,
    metric: str,
    lang: str,
    web_basemap: bool = False,
    borders: bool = False,
    max_points: int = MAX_POINTS,
    change: pd.Series | None = None,
    clickable: bool = True,
    records: RecordSource | None = None,
) -> tuple[pdk.Deck, list[tuple[Rgb, str]]]:
    """The map as a pydeck Deck plus its legend.

    Args:
        by_country: per-country aggregates (src.portfolio.summary.by_country).
        points: the selected portfolio rows (one point per row with coordinates).
        metric: one of MAP_METRICS, or CHANGE, used to colour the countries.
        lang: UI language for tooltips and legend.
        web_basemap: add a Carto basemap under the polygons (needs internet).
        borders: draw country outlines. Off by default: without a GPU (headless
            browsers, some projector laptops) outlines cost about 3 s to draw.
        max_points: above this many rows, points are aggregated on a 1° grid.
        change: with metric CHANGE, the value per ISO3 to colour (diverging).
        clickable: the map is drawn with a click handler (point tooltips then
            say a click opens the project).
        records: where the point rows' records come from: called with the rows
            drawn as points, returns their `point_records` by row label (made
            once per dataset and language by `src.widgets.cache.point_records`);
            None formats them here. Their radius is set for this selection.

    Returns:
        (deck, legend): layers "countries" ("borders" if asked), then
        "points-country-halo" (under the rings) and "points" (rings of
        country-level rows, then dots of site rows, each with its fill, line
        and width), or "cells"; legend entries are (rgb, label) as drawn
        (country colours muted when points are on top), the last one the grey.
    """
    if metric not in (*MAP_METRICS, CHANGE):
        msg = f"unknown map metric {metric!r}; choose from {MAP_METRICS}"
        raise ValueError(msg)
    details = None
    if metric == CHANGE:
        if change is None:
            msg = "metric 'change' needs the change per country"
            raise ValueError(msg)
        values = change
    elif metric == "actors":
        table = actors_by_country(points)
        values = table.set_index(S.COL_COUNTRY)["actors"]
        details = actor_details(table, lang)
    else:
        values = by_country.set_index(S.COL_COUNTRY)[_METRIC_COLUMN[metric]]
    bounds, colors = map_bins(values, metric)
    if points[[S.COL_LAT, S.COL_LON]].notna().all(axis=1).any():
        colors = [muted(c) for c in colors]  # dots on top: countries recede
    features = country_features(
        values,
        by_country.set_index(S.COL_COUNTRY)["country_name"],
        metric=metric,
        bounds=bounds,
        colors=colors,
        lang=lang,
        details=details,
    )
    layers = country_layers(features, borders=borders, web_basemap=web_basemap)
    layers += _point_layers(
        points, lang=lang, max_points=max_points, clickable=clickable, records=records
    )
    deck = CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**VIEW),
        map_provider="carto" if web_basemap else None,
        map_style="light" if web_basemap else NO_BASEMAP,
        tooltip=TOOLTIP,
    )
    return deck, legend(metric, bounds, colors, lang)


def points_legend(
    points: pd.DataFrame,
    lang: str,
    *,
    clickable: bool = True,
    max_points: int = MAX_POINTS,
) -> tuple[str, list[tuple[Rgb, str]], list[str]]:
    """The legend of the point layers: title, (colour, risk label), notes.

    The notes say what the shapes mean (grid cells above `max_points` placed
    rows, else dots and rings) and what a click does on this map.
    """
    placed = int(points[[S.COL_LAT, S.COL_LON]].notna().all(axis=1).sum())
    items = [(c, translate("risk." + k, lang)) for k, c in RISK_COLORS.items()]
    shapes = "map.cell_note" if placed > max_points else "map.precision_note"
    click = "map.click_note" if clickable else "map.no_click_note"
    title = translate("map.points_legend", lang)
    return title, items, [translate(shapes, lang), translate(click, lang)]
