"""World map: Natural Earth country polygons (offline) + project points (pydeck).

`build_portfolio_deck` is pure (returns a pdk.Deck and its legend) so tests can
inspect it without a browser; `render_map` draws it and turns a click on a country
into the country filter.
"""

from __future__ import annotations

import html
import json
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from src.i18n import format_money, format_number, format_percent, translate
from src.portfolio import schema as S
from src.portfolio.geo import country_shapes
from src.widgets import state

METRICS = ("budget", "projects", "risk", "capacity")
CHANGE = "change"  # a scenario's change per country (months of delay)
DIVERGING = [
    [33, 102, 172],
    [146, 197, 222],
    [247, 247, 247],
    [244, 165, 130],
    [178, 24, 43],
]
RISK_COLORS: dict[str, list[int]] = {
    "Low": [26, 152, 80],
    "Medium": [230, 190, 60],
    "High": [244, 109, 67],
    "Very high": [165, 0, 38],
}
BLUES = [
    [222, 235, 247],
    [158, 202, 225],
    [107, 174, 214],
    [49, 130, 189],
    [8, 69, 148],
]
REDS = [[254, 229, 217], [252, 174, 145], [251, 106, 74], [222, 45, 38], [165, 15, 21]]
NO_DATA = [225, 225, 225]
OCEAN = [236, 244, 250]
# INFORM's own class limits (INFORM methodology): Very low < 2 <= Low < 3.5 ...
INFORM_BOUNDS = (2.0, 3.5, 5.0, 6.5)
MAX_POINTS = 5_000


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


def _bins(values: pd.Series, metric: str) -> tuple[list[float], list[list[int]]]:
    if metric == CHANGE:  # symmetric around zero: blue = less delay, red = more
        top = float(values.abs().max()) if values.notna().any() else 0.0
        top = max(top, 0.5)
        return [-top / 2, -0.25, 0.25, top / 2], DIVERGING
    if metric == "risk":
        return list(INFORM_BOUNDS), REDS
    if metric == "capacity":  # low Government Effectiveness percentile = dark
        return [20.0, 40.0, 60.0, 80.0], REDS[::-1]
    clean = values.dropna()
    if clean.empty:
        return [], BLUES
    qs = sorted(set(np.quantile(clean, [0.2, 0.4, 0.6, 0.8]).round(6).tolist()))
    return qs, BLUES[-(len(qs) + 1) :]


def _metric_values(by_country: pd.DataFrame, metric: str) -> pd.Series:
    column = {
        "budget": "budget_usd",
        "projects": "projects",
        "risk": "inform_risk",
        "capacity": "wgi_ge_pct",
    }[metric]
    return by_country.set_index(S.COL_COUNTRY)[column]


def _fmt_metric(value: float, metric: str, lang: str) -> str:
    if pd.isna(value):
        return translate("map.no_data", lang)
    if metric == CHANGE:
        sign = "+" if value > 0 else ""
        return sign + translate(
            "unit.months", lang, value=format_number(value, lang, 1)
        )
    if metric == "budget":
        return format_money(value, lang)
    if metric == "projects":
        return format_number(value, lang)
    if metric == "risk":
        return format_number(value, lang, 1)
    return format_percent(value / 100, lang)


def legend(metric: str, bounds: list[float], colors: list[list[int]], lang: str):
    """Legend entries (rgb, label) for the country colours."""
    edges = [None, *bounds, None]
    items = []
    for i, color in enumerate(colors):
        low, high = edges[i], edges[i + 1]
        if low is None:
            label = "< " + _fmt_metric(high, metric, lang)
        elif high is None:
            label = "≥ " + _fmt_metric(low, metric, lang)
        else:
            label = (
                f"{_fmt_metric(low, metric, lang)} – {_fmt_metric(high, metric, lang)}"
            )
        items.append((color, label))
    items.append((NO_DATA, translate("map.no_projects", lang)))
    return items


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


def _radius(budget: pd.Series) -> pd.Series:
    """Pixel radius: area proportional to budget, the largest point 22 px."""
    top = float(budget.max()) if len(budget) and budget.max() > 0 else 1.0
    return 2.5 + 19.5 * np.sqrt(budget.clip(lower=0) / top)


def _short(text: str, limit: int = 120) -> str:
    """Long titles end with an ellipsis so the tooltip stays readable."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _point_records(points: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    records = []
    for row in points.itertuples(index=False):
        rec = row._asdict()
        lines = [
            f"{translate('col.agency', lang)}: {rec[S.COL_AGENCY]}",
            f"{translate('col.country', lang)}: {rec[S.COL_COUNTRY_NAME]}",
            f"{translate('col.sector', lang)}: "
            f"{translate('sector.' + rec[S.COL_SECTOR_GROUP], lang)}",
            f"{translate('col.budget', lang)}: {format_money(rec[S.COL_BUDGET], lang)}",
            f"{translate('col.spent', lang)}: {format_money(rec[S.COL_SPENT], lang)}",
            f"{translate('col.risk', lang)}: "
            f"{translate('risk.' + rec[S.COL_RISK], lang)}",
            translate("precision." + rec[S.COL_PRECISION], lang),
        ]
        records.append(
            {
                "lon": rec[S.COL_LON],
                "lat": rec[S.COL_LAT],
                "radius": rec["radius"],
                "color": RISK_COLORS.get(rec[S.COL_RISK], NO_DATA),
                "title": _short(str(rec[S.COL_TITLE])),
                "body": "\n".join(lines),
            }
        )
    return records


def _cell_records(cells: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    records = []
    for row in cells.itertuples(index=False):
        rec = row._asdict()
        tip = translate(
            "map.cell_tip",
            lang,
            projects=format_number(rec["projects"], lang),
            budget=format_money(rec["budget_usd"], lang),
            risk=translate("risk." + str(rec[S.COL_RISK]), lang),
        )
        records.append(
            {
                "lon": rec[S.COL_LON],
                "lat": rec[S.COL_LAT],
                "radius": rec["radius"],
                "color": RISK_COLORS.get(rec[S.COL_RISK], NO_DATA),
                "title": tip,
                "body": "",
            }
        )
    return records


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
) -> tuple[pdk.Deck, list[tuple[list[int], str]]]:
    """The map as a pydeck Deck plus its legend.

    Args:
        by_country: per-country aggregates (src.portfolio.summary.by_country).
        points: the selected portfolio rows (one point per row with coordinates).
        metric: one of METRICS, used to colour the countries.
        lang: UI language for tooltips and legend.
        web_basemap: add a Carto basemap under the polygons (needs internet).
        borders: draw country outlines. Off by default: without a GPU (headless
            browsers, some projector laptops) outlines cost about 3 s to draw.
        max_points: above this many rows, points are aggregated on a 1° grid.
        change: with metric "change", the value per ISO3 to colour (diverging).
    """
    if metric not in (*METRICS, CHANGE):
        msg = f"unknown map metric {metric!r}; choose from {METRICS}"
        raise ValueError(msg)
    if metric == CHANGE:
        if change is None:
            msg = "metric 'change' needs the change per country"
            raise ValueError(msg)
        values = change
    else:
        values = _metric_values(by_country, metric)
    bounds, colors = _bins(values, metric)
    names = by_country.set_index(S.COL_COUNTRY)["country_name"]
    features = []
    for feat in country_shapes()["features"]:
        iso3 = feat["properties"]["iso3"]
        value = values.get(iso3, np.nan)
        color = (
            NO_DATA
            if pd.isna(value)
            else colors[int(np.searchsorted(bounds, value, side="right"))]
        )
        label = names.get(iso3, feat["properties"]["name"])
        shown = _fmt_metric(value, metric, lang)
        body = f"{translate('map.metric.' + metric, lang)}: {shown}"
        props = {"iso3": iso3, "fill": color, "title": str(label), "body": body}
        features.append({**feat, "properties": props})
    layers: list[pdk.Layer] = []
    if not web_basemap:
        layers.append(
            pdk.Layer(
                "SolidPolygonLayer",
                data=[{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}],
                id="ocean",
                get_polygon="polygon",
                get_fill_color=OCEAN,
            )
        )
    layers.append(
        pdk.Layer(
            "GeoJsonLayer",
            data={"type": "FeatureCollection", "features": features},
            id="countries",
            pickable=True,
            stroked=borders,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[255, 255, 255],
            line_width_min_pixels=0.5,
            opacity=0.8 if web_basemap else 1.0,
        )
    )
    pts = points.dropna(subset=[S.COL_LAT, S.COL_LON])
    if len(pts) > max_points:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_cell_records(
                    aggregate_points(pts).pipe(
                        lambda c: c.assign(radius=_radius(c["budget_usd"]))
                    ),
                    lang,
                ),
                id="cells",
                pickable=True,
                get_position=["lon", "lat"],
                get_radius="radius",
                radius_units="pixels",
                get_fill_color="color",
                get_line_color=[40, 40, 40],
                stroked=True,
                line_width_min_pixels=1,
                opacity=0.8,
            )
        )
    else:
        pts = pts.assign(radius=_radius(pts[S.COL_BUDGET]))
        for precision, filled in (("country", False), ("site", True)):
            subset = pts[pts[S.COL_PRECISION] == precision]
            layers.append(
                pdk.Layer(
                    "ScatterplotLayer",
                    data=_point_records(subset, lang),
                    id=f"points-{precision}",
                    pickable=True,
                    get_position=["lon", "lat"],
                    get_radius="radius",
                    radius_units="pixels",
                    filled=filled,
                    stroked=True,
                    get_fill_color="color",
                    get_line_color="color" if not filled else [40, 40, 40],
                    line_width_min_pixels=2 if not filled else 0.5,
                    opacity=0.85,
                )
            )
    deck = CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=12, longitude=15, zoom=1.1),
        map_provider="carto" if web_basemap else None,
        map_style="light" if web_basemap else None,
        # Markup lives only in this template. Streamlit HTML-escapes every value
        # it interpolates into an html tooltip (DeckGlJsonChart, 1.67), so titles
        # from data files are shown as text, never run as markup.
        tooltip={
            "html": "<b>{title}</b><br/>{body}",
            "style": {
                "backgroundColor": "white",
                "color": "#222",
                "fontSize": "12px",
                "whiteSpace": "pre-line",
                "maxWidth": "360px",
            },
        },
    )
    return deck, legend(metric, bounds, colors, lang)


def on_map_select() -> None:
    """Callback: a click on a country polygon narrows the filter to that country."""
    event = st.session_state.get(state.MAP_SELECTION)
    objects = (getattr(event, "selection", None) or {}).get("objects", {})
    picked = objects.get("countries") or []
    if picked:
        props = picked[0].get("properties", picked[0])
        iso3 = props.get("iso3")
        if iso3:
            st.session_state[state.FILTER_COUNTRIES] = [iso3]


def render_legend(items: list[tuple[list[int], str]], title: str) -> None:
    """A compact colour legend under the map (labels escaped)."""
    swatches = " ".join(
        f"<span style='display:inline-block;width:12px;height:12px;"
        f"background:rgb({c[0]},{c[1]},{c[2]});border:1px solid #999;"
        f"margin:0 4px 0 10px;vertical-align:middle'></span>{html.escape(label)}"
        for c, label in items
    )
    st.markdown(
        f"<div style='font-size:0.85rem'><b>{html.escape(title)}</b>{swatches}</div>",
        unsafe_allow_html=True,
    )


def render_risk_legend(lang: str) -> None:
    """Legend for the point colours and the site/country distinction."""
    items = [(c, translate("risk." + k, lang)) for k, c in RISK_COLORS.items()]
    render_legend(items, translate("map.points_legend", lang))
    st.caption(translate("map.precision_note", lang))


def render_map(deck: pdk.Deck, *, alt: str, height: int = 520) -> None:
    """Draw the deck; a click on a country calls `on_map_select`."""
    st.pydeck_chart(
        deck,
        height=height,
        on_select=on_map_select,
        selection_mode="single-object",
        key=state.MAP_SELECTION,
        alt=alt,
    )


def metric_selector() -> tuple[str, bool, bool]:
    """Choose the country colouring (mirrored in ?metric=), basemap and borders."""
    from src.widgets.i18n import labeller, md_escape, t

    url_metric = st.query_params.get(state.URL_METRIC)
    if state.MAP_METRIC not in st.session_state:
        if url_metric is not None and url_metric not in METRICS:
            st.warning(
                t(
                    "notice.bad_value",
                    param=state.URL_METRIC,
                    value=md_escape(url_metric),
                ),
                icon=":material/link_off:",
            )
        st.session_state[state.MAP_METRIC] = (
            url_metric if url_metric in METRICS else METRICS[0]
        )
    left, mid, right = st.columns([4, 1, 1])
    metric = left.radio(
        t("map.colour_by"),
        METRICS,
        format_func=labeller("map.metric."),
        horizontal=True,
        key=state.MAP_METRIC,
    )
    borders = mid.toggle(
        t("map.borders"), key="map.borders", help=t("map.borders_help")
    )
    web = right.toggle(t("map.web_basemap"), key="map.web", help=t("map.web_help"))
    st.query_params[state.URL_METRIC] = metric
    return metric, web, borders
