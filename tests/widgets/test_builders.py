"""Pure builders (map deck, charts, tables) inspected without a browser."""

from __future__ import annotations

import json
import struct

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import breakdown, by_country
from src.widgets.charts import build_bar_chart, chart_png
from src.widgets.map import CHANGE, aggregate_points, build_portfolio_deck


def layers(deck) -> dict[str, dict]:
    spec = json.loads(deck.to_json())
    return {layer["id"]: layer for layer in spec["layers"]}


def test_deck_has_offline_country_polygons_and_two_point_layers(tiny_portfolio):
    deck, legend = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    found = layers(deck)
    assert found["countries"]["@@type"] == "GeoJsonLayer"
    assert len(found["countries"]["data"]["features"]) == 242
    total = len(found["points-site"]["data"]) + len(found["points-country"]["data"])
    assert total == len(tiny_portfolio)
    assert found["points-country"]["filled"] is False  # rings, not dots
    spec = json.loads(deck.to_json())
    assert "mapStyle" not in spec or spec["mapStyle"] is None  # no web basemap
    assert legend[-1][1] == "No project in selection"


def test_tooltip_markup_is_only_in_the_template_data_stays_text(tiny_portfolio):
    # Streamlit HTML-escapes values interpolated into the tooltip template, so
    # data text must go in unescaped (else "&" shows as "&amp;") and must never
    # be concatenated into markup on our side.
    title = '<img src=x onerror="alert(1)"> & co'
    evil = tiny_portfolio.assign(**{S.COL_TITLE: title, S.COL_AGENCY: "A & B"})
    deck, _ = build_portfolio_deck(by_country(evil), evil, metric="budget", lang="en")
    spec = json.loads(deck.to_json())
    template = deck._tooltip["html"]
    assert template == "<b>{title}</b><br/>{body}"
    points = (
        layers(deck)["points-country"]["data"] + layers(deck)["points-site"]["data"]
    )
    assert {p["title"] for p in points} == {title}
    assert all("A & B" in p["body"] and "<" not in p["body"] for p in points)
    for feature in spec["layers"][1]["data"]["features"]:
        assert "<" not in feature["properties"]["title"] + feature["properties"]["body"]


def test_long_titles_are_shortened_in_tooltips(tiny_portfolio):
    long = tiny_portfolio.assign(**{S.COL_TITLE: "x" * 400})
    deck, _ = build_portfolio_deck(by_country(long), long, metric="budget", lang="en")
    titles = [p["title"] for p in layers(deck)["points-site"]["data"]]
    titles += [p["title"] for p in layers(deck)["points-country"]["data"]]
    assert all(len(t) == 120 and t.endswith("…") for t in titles)


def test_country_colours_follow_the_metric(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="projects", lang="fr"
    )
    features = {
        f["properties"]["iso3"]: f["properties"]
        for f in layers(deck)["countries"]["data"]["features"]
    }
    grey = [225, 225, 225]
    assert features["FRA"]["fill"] == grey  # no project
    assert features["KEN"]["fill"] != grey
    assert "Nombre de projets" in features["KEN"]["body"]


def test_large_selections_are_aggregated_on_a_grid():
    df, _ = load_bundled_portfolio()
    deck, _ = build_portfolio_deck(
        by_country(df), df, metric="budget", lang="en", max_points=100
    )
    found = layers(deck)
    assert "cells" in found
    assert "points-site" not in found
    cells = aggregate_points(df)
    assert len(found["cells"]["data"]) == len(cells) < len(df)
    placed = df.dropna(subset=[S.COL_LAT, S.COL_LON])
    assert cells["budget_usd"].sum() == pytest.approx(placed[S.COL_BUDGET].sum())


def test_change_map_needs_values_and_uses_a_diverging_scale(tiny_portfolio):
    with pytest.raises(ValueError, match="change"):
        build_portfolio_deck(
            by_country(tiny_portfolio), tiny_portfolio, metric=CHANGE, lang="en"
        )
    change = pd.Series({"KEN": 3.0, "AFG": -2.0})
    _, legend = build_portfolio_deck(
        by_country(tiny_portfolio),
        tiny_portfolio,
        metric=CHANGE,
        lang="en",
        change=change,
    )
    assert legend[0][1].startswith("< -") or legend[0][1].startswith("< −")


def test_bar_chart_encodes_the_breakdown_and_renders_a_png(tiny_portfolio):
    table = breakdown(tiny_portfolio, S.COL_SECTOR_GROUP)
    chart = build_bar_chart(
        table, category=S.COL_SECTOR_GROUP, label="Sector", value_label="US$ M"
    )
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["field"] == S.COL_SECTOR_GROUP
    assert spec["encoding"]["x"]["field"] == "value_m"
    png = chart_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = struct.unpack(">I", png[16:20])[0]
    assert width > 300
