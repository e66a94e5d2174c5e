"""The world map's deck.gl layers: the countries, their outlines, dots.

Pure pydeck builders (no drawing), used by `src.widgets.map_deck`.

Every world map has the same country shapes (all of `world_shapes`, in its
order); what a selection changes is their colours and tooltip text. deck.gl
re-tessellates every polygon when a layer gets a new data array, which each
new spec from Streamlit is, although the shapes are the same. So the country
layer tells deck.gl (`dataComparator`) that its data is unchanged while it has
the same number of rows, i.e. the same shapes, and names its colours in
`updateTriggers` (a digest of the fills): a new selection then only recolours
the polygons. The tooltip and a click read the new rows in any case (deck.gl
takes the picked object from the current data).

There is no ocean layer: the sea is the map's background colour
(`src.widgets.map.deck_chart`), which costs the browser no draw.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

import pydeck as pdk

from src.portfolio.geo import world_shapes
from src.presentation.palettes import BORDER, NO_DATA


@functools.cache
def land_layer() -> pdk.Layer:
    """Every country of the world shapes in grey, with white borders.

    Not pickable: a place map's background, drawn without a web basemap.
    Made once per process (the shapes do not change).
    """
    shapes = world_shapes()["features"]
    return pdk.Layer(
        "PolygonLayer",
        data=[{"polygon": p} for f in shapes for p in f["geometry"]["coordinates"]],
        id="land",
        get_polygon="polygon",
        get_fill_color=NO_DATA,
        stroked=True,
        get_line_color=BORDER,
        line_width_min_pixels=1,
    )


def same_rows(count: int) -> str:
    """A deck.gl `dataComparator` (JSON expression): same data while `count` rows.

    deck.gl calls it with the new data (the expression's context, so `length`
    is its row count) and the old; "true" means "unchanged, keep the buffers".
    """
    return f"length === {int(count)}"  # pydeck sends it as "@@=...", an expression


def country_rows(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per polygon of each country feature: its rings and properties.

    The features are `country_features` (MultiPolygon geometries); a row holds
    `polygon` (outer ring, then holes) and the feature's properties (iso3,
    fill, title, body), which the tooltip and a click read.
    """
    return [
        {"polygon": rings, **feature["properties"]}
        for feature in features
        for rings in feature["geometry"]["coordinates"]
    ]


def country_layers(
    features: list[dict[str, Any]], *, borders: bool, web_basemap: bool
) -> list[pdk.Layer]:
    """The "countries" layer (and "borders" when asked), recoloured in place."""
    rows = country_rows(features)
    fills = hashlib.sha256(json.dumps([r["fill"] for r in rows]).encode())
    layers = [
        pdk.Layer(
            "SolidPolygonLayer",
            data=rows,
            id="countries",
            pickable=True,
            get_polygon="polygon",
            get_fill_color="fill",
            data_comparator=same_rows(len(rows)),
            update_triggers={"getFillColor": fills.hexdigest()[:16]},
            opacity=0.8 if web_basemap else 1.0,
        )
    ]
    if borders:
        rings = [{"path": ring} for row in rows for ring in row["polygon"]]
        layers.append(
            pdk.Layer(
                "PathLayer",
                data=rings,
                id="borders",
                get_path="path",
                get_color=BORDER,
                width_min_pixels=0.5,
                data_comparator=same_rows(len(rings)),
            )
        )
    return layers


def dots(
    layer_id: str,
    data: list[dict[str, Any]],
    *,
    get_radius: object = "radius",
    **style: Any,
) -> pdk.Layer:
    """A ScatterplotLayer of pixel-sized dots at lon/lat.

    The radius is each row's `radius` unless `get_radius` is given (a number:
    every dot alike).

    pydeck sends a plain string as an expression ("@@=pixels": a function of
    each row, which deck.gl's units do not know, so the radius fell back to map
    units and grew with the zoom); a quoted one is sent as the string itself.
    """
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id=layer_id,
        get_position=["lon", "lat"],
        get_radius=get_radius,
        radius_units="'pixels'",
        stroked=True,
        **style,
    )
