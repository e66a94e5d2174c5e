"""Static chart images (PNG) for the pack: Altair specs rendered by vl-convert.

Everything renders offline, without a browser. Charts are drawn at 800 px and
exported at scale 2, so images are at least 1600 px wide and the 14 px labels
stay readable on a projector.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from src.i18n import translate
from src.portfolio import schema as S
from src.portfolio.geo import country_shapes
from src.presentation.bins import class_labels, class_of, map_bins
from src.presentation.chart_locale import d3_number_locale, d3_time_locale
from src.presentation.palettes import (
    BAR,
    BASELINE,
    NO_DATA,
    OCEAN,
    RISK_COLORS,
    THIRD,
    hex_color,
)

WIDTH = 800  # px before scaling
SCALE = 2
FONT = "Liberation Sans, DejaVu Sans, Helvetica, Arial, sans-serif"
# The interactive map's colours (src.presentation.palettes), as hex.
RISK_HEX = {risk: hex_color(rgb) for risk, rgb in RISK_COLORS.items()}
_CONFIG: dict[str, Any] = {
    "font": FONT,
    "axis": {"labelFontSize": 14, "titleFontSize": 15, "labelLimit": 260},
    "legend": {"labelFontSize": 14, "titleFontSize": 15, "labelLimit": 300},
    "title": {"fontSize": 18},
    "view": {"stroke": None},
}


def render_png(spec: dict[str, Any], lang: str) -> bytes:
    """Render a Vega-Lite spec to PNG bytes (numbers and dates in `lang`)."""
    spec = {**spec, "config": {**_CONFIG, **spec.get("config", {})}}
    return vlc.vegalite_to_png(
        spec,
        scale=SCALE,
        format_locale=d3_number_locale(lang),
        time_format_locale=d3_time_locale(lang),
    )


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels read from a PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def bar_chart_spec(
    table: pd.DataFrame,
    *,
    category: str,
    value_label: str,
    colors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Horizontal bars of budget (US$ millions) by `category` (translated labels).

    Args:
        table: src.portfolio.summary.breakdown output with `category` translated.
        category: the label column.
        value_label: the value axis title.
        colors: optional label -> hex colour.
    """
    data = table[[category, "budget_usd"]].assign(value_m=table["budget_usd"] / 1e6)
    color: Any = alt.value(hex_color(BAR))
    if colors:
        color = alt.Color(
            f"{category}:N",
            scale=alt.Scale(domain=list(colors), range=list(colors.values())),
            legend=None,
        )
    bars = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", sort=list(data[category]), title=None),
        x=alt.X("value_m:Q", title=value_label, axis=alt.Axis(format=",.0f")),
    )
    chart = bars.mark_bar(color=hex_color(BAR)).encode(color=color) + bars.mark_text(
        align="left", dx=4, fontSize=14
    ).encode(text=alt.Text("value_m:Q", format=",.1f"))
    height = max(160, 42 * len(data))
    return chart.properties(width=WIDTH, height=height).to_dict(validate=False)


def _signed_area(ring: list[list[float]]) -> float:
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)
    )


def _d3_winding(polygons: list[list[list[list[float]]]]) -> list[Any]:
    """Rewind rings the way d3-geo expects: exterior clockwise, holes not."""
    out = []
    for poly in polygons:
        rings = []
        for i, ring in enumerate(poly):
            clockwise = _signed_area(ring) < 0
            want_clockwise = i == 0
            rings.append(ring if clockwise == want_clockwise else ring[::-1])
        out.append(rings)
    return out


def map_spec(by_country: pd.DataFrame, *, lang: str, title: str) -> dict[str, Any]:
    """Choropleth of budget per country (quantile classes), Equal Earth projection.

    The classes, colours and labels are the interactive map's
    (src.presentation.bins), so the slide and the app agree.

    Args:
        by_country: src.portfolio.summary.by_country output.
        lang: language of the legend.
        title: legend title.
    """
    values = by_country.set_index(S.COL_COUNTRY)["budget_usd"]
    bounds, colors = map_bins(values, "budget")
    labels = class_labels("budget", bounds, lang)
    no_data = translate("map.no_projects", lang)
    features = []
    for feat in country_shapes()["features"]:
        index = class_of(values.get(feat["properties"]["iso3"]), bounds)
        label = no_data if index is None else labels[index]
        geom = feat["geometry"]
        features.append(
            {
                "type": "Feature",
                "properties": {"bin": label},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": _d3_winding(geom["coordinates"]),
                },
            }
        )
    # Named data, filled in after to_dict: Altair would walk 1.5 MB of
    # coordinates object by object (seconds) if given the values inline.
    data = alt.Data(name="countries", format=alt.DataFormat(type="json"))
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill=hex_color(OCEAN))
    countries = (
        alt.Chart(data)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .encode(
            color=alt.Color(
                "properties.bin:N",
                title=title,
                scale=alt.Scale(
                    domain=[*labels, no_data],
                    range=[hex_color(c) for c in (*colors, NO_DATA)],
                ),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            )
        )
    )
    spec = (
        (sphere + countries)
        .project("equalEarth")
        .properties(width=WIDTH, height=420)
        .to_dict(validate=False)
    )
    spec["datasets"] = {**spec.get("datasets", {}), "countries": features}
    return spec


def fan_chart_spec(
    delivery: pd.DataFrame, *, x_title: str, y_title: str
) -> dict[str, Any]:
    """Delivery per year: a P10–P90 band and a P50 line per series.

    Args:
        delivery: columns series (translated label), year, p10, p50, p90 (USD).
        x_title: x axis title.
        y_title: y axis title.
    """
    data = delivery.assign(
        p10_m=delivery["p10"] / 1e6,
        p50_m=delivery["p50"] / 1e6,
        p90_m=delivery["p90"] / 1e6,
    )[["series", "year", "p10_m", "p50_m", "p90_m"]]
    series = list(dict.fromkeys(data["series"]))
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=series,
            range=[hex_color(c) for c in (BASELINE, BAR, THIRD)][: len(series)],
        ),
        legend=alt.Legend(orient="top"),
    )
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0))
    )
    band = base.mark_area(opacity=0.25).encode(
        y=alt.Y("p10_m:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        y2="p90_m:Q",
        color=color,
    )
    line = base.mark_line(point=True, strokeWidth=3).encode(y="p50_m:Q", color=color)
    return (band + line).properties(width=WIDTH, height=380).to_dict(validate=False)
