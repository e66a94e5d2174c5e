"""The world map as a pydeck Deck: a pure builder, tested without a browser.

Natural Earth country polygons (offline) coloured by a metric, and project
points coloured by risk (one point per row; a 1° grid for very large selections).
Nothing here draws: `src.widgets.map` renders the deck and reads clicks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from src.i18n import translate
from src.portfolio import schema as S
from src.portfolio.geo import world_shapes
from src.presentation.bins import (
    CHANGE,
    MAP_METRICS,
    class_color,
    format_map_value,
    legend,
    map_bins,
)
from src.presentation.palettes import BORDER, OCEAN, OUTLINE, Rgb
from src.widgets.map_points import (
    aggregate_points,
    cell_records,
    point_radius,
    point_records,
)

MAX_POINTS = 5_000
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


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation.

    pydeck pretty-prints with indent=2, which made the world map's spec 10 MB;
    compact separators cut it several-fold, and the browser parses it faster.
    """

    def to_json(self) -> str:
        """Compact JSON for st.pydeck_chart."""
        return json.dumps(
            self, sort_keys=True, default=default_serialize, separators=(",", ":")
        )


def country_features(
    values: pd.Series,
    names: pd.Series,
    *,
    metric: str,
    bounds: list[float],
    colors: list[Rgb],
    lang: str,
) -> list[dict[str, Any]]:
    """Every Natural Earth country with its fill colour and tooltip text.

    Args:
        values: metric value per ISO3 (missing countries are grey).
        names: display name per ISO3 (else Natural Earth's name).
        metric: the metric shown (tooltip wording and number format).
        bounds: class limits, from `map_bins`.
        colors: class colours, from `map_bins`.
        lang: tooltip language.
    """
    heading = translate("map.metric." + metric, lang)
    features = []
    for feat in world_shapes()["features"]:
        iso3 = feat["properties"]["iso3"]
        value = values.get(iso3, np.nan)
        props = {
            "iso3": iso3,
            "fill": class_color(value, bounds, colors),
            "title": str(names.get(iso3, feat["properties"]["name"])),
            "body": f"{heading}: {format_map_value(value, metric, lang)}",
        }
        features.append({**feat, "properties": props})
    return features


def _ocean_layer() -> pdk.Layer:
    return pdk.Layer(
        "SolidPolygonLayer",
        data=[{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}],
        id="ocean",
        get_polygon="polygon",
        get_fill_color=OCEAN,
    )


def _country_layer(
    features: list[dict[str, Any]], *, borders: bool, web_basemap: bool
) -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer",
        data={"type": "FeatureCollection", "features": features},
        id="countries",
        pickable=True,
        stroked=borders,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=BORDER,
        line_width_min_pixels=0.5,
        opacity=0.8 if web_basemap else 1.0,
    )


# Given the rows to draw as points, their `point_records` by row label.
RecordSource = Callable[[pd.DataFrame], Mapping[Any, dict[str, Any]]]


def _records(
    rows: pd.DataFrame, lang: str, records: RecordSource | None
) -> list[dict[str, Any]]:
    """The rows' point records: from `records` (by row label) when given."""
    if records is None:
        return point_records(rows, lang)
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
    records: RecordSource | None = None,
) -> list[pdk.Layer]:
    """Cells above `max_points` placed rows, else country rings and site dots."""
    pts = points.dropna(subset=[S.COL_LAT, S.COL_LON])
    if len(pts) > max_points:
        cells = aggregate_points(pts)
        cells = cells.assign(radius=point_radius(cells["budget_usd"]))
        return [
            pdk.Layer(
                "ScatterplotLayer",
                data=cell_records(cells, lang),
                id="cells",
                pickable=True,
                get_position=["lon", "lat"],
                get_radius="radius",
                radius_units="pixels",
                get_fill_color="color",
                get_line_color=OUTLINE,
                stroked=True,
                line_width_min_pixels=1,
                opacity=0.8,
            )
        ]
    pts = pts.assign(radius=point_radius(pts[S.COL_BUDGET]))
    layers = []
    for precision, filled in (("country", False), ("site", True)):
        subset = pts[pts[S.COL_PRECISION] == precision]
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_records(subset, lang, records),
                id=f"points-{precision}",
                pickable=True,
                get_position=["lon", "lat"],
                get_radius="radius",
                radius_units="pixels",
                filled=filled,
                stroked=True,
                get_fill_color="color",
                get_line_color=OUTLINE if filled else "color",
                line_width_min_pixels=0.5 if filled else 2,
                opacity=0.85,
            )
        )
    return layers


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
        records: where the point rows' records come from: called with the rows
            drawn as points, returns their `point_records` by row label (made
            once per dataset and language by `src.widgets.cache.point_records`);
            None formats them here. Their radius is set for this selection.

    Returns:
        (deck, legend): layers "ocean" (without web basemap), "countries", then
        "points-country" and "points-site", or "cells"; legend entries are
        (rgb, label), the last one for countries without projects.
    """
    if metric not in (*MAP_METRICS, CHANGE):
        msg = f"unknown map metric {metric!r}; choose from {MAP_METRICS}"
        raise ValueError(msg)
    if metric == CHANGE:
        if change is None:
            msg = "metric 'change' needs the change per country"
            raise ValueError(msg)
        values = change
    else:
        values = by_country.set_index(S.COL_COUNTRY)[_METRIC_COLUMN[metric]]
    bounds, colors = map_bins(values, metric)
    features = country_features(
        values,
        by_country.set_index(S.COL_COUNTRY)["country_name"],
        metric=metric,
        bounds=bounds,
        colors=colors,
        lang=lang,
    )
    layers = [] if web_basemap else [_ocean_layer()]
    layers.append(_country_layer(features, borders=borders, web_basemap=web_basemap))
    layers += _point_layers(points, lang=lang, max_points=max_points, records=records)
    deck = CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**VIEW),
        map_provider="carto" if web_basemap else None,
        map_style="light" if web_basemap else None,
        tooltip=TOOLTIP,
    )
    return deck, legend(metric, bounds, colors, lang)
