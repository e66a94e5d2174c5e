"""The map deck builder, inspected without a browser (layers, rows, colours, text)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import by_country
from src.widgets.map_deck import CHANGE, build_portfolio_deck
from src.widgets.map_points import aggregate_points

GREY = [225, 225, 225]
# The risk colours as they were first published (ColorBrewer RdYlGn).
RISK_RGB = {
    "Low": [26, 152, 80],
    "Medium": [230, 190, 60],
    "High": [244, 109, 67],
    "Very high": [165, 0, 38],
}
PRECISION_EN = {
    "site": "Site location (reported coordinates)",
    "country": "Country-level location (label point)",
}


def spec_of(deck) -> dict:
    return json.loads(deck.to_json())


def layers(deck) -> dict[str, dict]:
    return {layer["id"]: layer for layer in spec_of(deck)["layers"]}


def countries(deck) -> dict[str, dict]:
    features = layers(deck)["countries"]["data"]["features"]
    return {f["properties"]["iso3"]: f["properties"] for f in features}


def points(deck) -> list[dict]:
    found = layers(deck)
    return found["points-country"]["data"] + found["points-site"]["data"]


def test_deck_has_ocean_countries_and_two_point_layers_in_order(tiny_portfolio):
    deck, legend = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    spec = spec_of(deck)
    assert [layer["id"] for layer in spec["layers"]] == [
        "ocean",
        "countries",
        "points-country",
        "points-site",
    ]
    types = [layer["@@type"] for layer in spec["layers"]]
    assert types == [
        "SolidPolygonLayer",
        "GeoJsonLayer",
        "ScatterplotLayer",
        "ScatterplotLayer",
    ]
    assert len(layers(deck)["countries"]["data"]["features"]) == 242
    assert spec.get("mapStyle") is None  # no web basemap
    assert legend[-1] == ((225, 225, 225), "No project in selection")


def test_view_state_is_centred_on_africa_and_asia(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    view = deck.initial_view_state
    assert (view.latitude, view.longitude, view.zoom) == (12, 15, 1.1)


def test_one_point_per_row_split_by_location_precision(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    found = layers(deck)
    counts = tiny_portfolio[S.COL_PRECISION].value_counts()
    assert len(found["points-site"]["data"]) == counts.get("site", 0)
    assert len(found["points-country"]["data"]) == counts.get("country", 0)
    assert found["points-country"]["filled"] is False  # rings, not dots
    assert found["points-site"]["filled"] is True


def test_points_are_coloured_by_risk_and_sized_by_budget(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    by_title = {p["title"]: p for p in points(deck)}
    for row in tiny_portfolio.itertuples():
        assert by_title[row.title]["color"] == RISK_RGB[getattr(row, S.COL_RISK)]
    # Area proportional to budget; the largest (Schools, US$3M) is 22 px.
    assert by_title["Schools"]["radius"] == pytest.approx(22.0)
    assert by_title["Roads"]["radius"] == pytest.approx(2.5 + 19.5 * (1 / 6) ** 0.5)


def test_point_tooltip_lists_the_row_in_the_language(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    row = tiny_portfolio.set_index(S.COL_PROJECT_ID).loc["P1"]
    tip = {p["title"]: p for p in points(deck)}["Clinic <b>upgrade</b>"]
    assert tip["body"].split("\n") == [
        "Agency: Agency A",
        f"Country: {row[S.COL_COUNTRY_NAME]}",
        "Sector: Health",
        "Budget: US$1.0M",
        "Spent: US$200.0K",
        f"Risk: {row[S.COL_RISK]}",
        PRECISION_EN[row[S.COL_PRECISION]],
        "Click the dot to open the project page.",
    ]
    assert tip["project_id"] == "P1"  # what a click opens (widgets.map)


def test_countries_are_coloured_by_budget_quintiles_with_matching_legend(
    tiny_portfolio,
):
    # Budgets: NOR 0.5M, AFG 2M, KEN 4M. Quintile limits by linear
    # interpolation: 1.1M, 1.7M, 2.4M, 3.2M (five classes of Blues).
    deck, legend = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    found = countries(deck)
    assert found["NOR"]["fill"] == [222, 235, 247]
    assert found["AFG"]["fill"] == [107, 174, 214]
    assert found["KEN"]["fill"] == [8, 69, 148]
    assert found["FRA"]["fill"] == GREY  # no project
    assert found["KEN"]["body"] == "Budget: US$4.0M"
    assert found["FRA"]["body"] == "Budget: no data"
    assert [label for _, label in legend] == [
        "< US$1.1M",
        "US$1.1M – US$1.7M",
        "US$1.7M – US$2.4M",
        "US$2.4M – US$3.2M",
        "≥ US$3.2M",
        "No project in selection",
    ]


def test_country_tooltips_follow_the_metric_and_language(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="projects", lang="fr"
    )
    found = countries(deck)
    assert found["KEN"]["body"] == "Nombre de projets: 2"
    assert found["FRA"]["body"] == "Nombre de projets: pas de données"
    assert found["FRA"]["fill"] == GREY


def test_tooltip_markup_is_only_in_the_template_data_stays_text(tiny_portfolio):
    # Streamlit HTML-escapes values interpolated into the tooltip template, so
    # data text must go in unescaped (else "&" shows as "&amp;") and must never
    # be concatenated into markup on our side.
    title = '<img src=x onerror="alert(1)"> & co'
    evil = tiny_portfolio.assign(**{S.COL_TITLE: title, S.COL_AGENCY: "A & B"})
    deck, _ = build_portfolio_deck(by_country(evil), evil, metric="budget", lang="en")
    assert deck._tooltip["html"] == "<b>{title}</b><br/>{body}"
    assert {p["title"] for p in points(deck)} == {title}
    assert all("Agency: A & B" in p["body"] for p in points(deck))
    assert all("<" not in p["body"] for p in points(deck))
    for props in countries(deck).values():
        assert "<" not in props["title"] + props["body"]


def test_long_titles_are_shortened_in_tooltips(tiny_portfolio):
    long = tiny_portfolio.assign(**{S.COL_TITLE: "x" * 400})
    deck, _ = build_portfolio_deck(by_country(long), long, metric="budget", lang="en")
    assert [p["title"] for p in points(deck)] == ["x" * 119 + "…"] * 4


def test_web_basemap_replaces_the_ocean_and_lightens_the_countries(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio),
        tiny_portfolio,
        metric="budget",
        lang="en",
        web_basemap=True,
        borders=True,
    )
    found = layers(deck)
    assert "ocean" not in found
    assert found["countries"]["opacity"] == 0.8
    assert found["countries"]["stroked"] is True
    assert deck.map_provider == "carto"


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
    assert cells["projects"].sum() == placed[S.COL_PROJECT_ID].nunique()


def test_change_map_needs_values_and_uses_a_diverging_scale(tiny_portfolio):
    with pytest.raises(ValueError, match="change"):
        build_portfolio_deck(
            by_country(tiny_portfolio), tiny_portfolio, metric=CHANGE, lang="en"
        )
    change = pd.Series({"KEN": 3.0, "AFG": -2.0})
    deck, legend = build_portfolio_deck(
        by_country(tiny_portfolio),
        tiny_portfolio,
        metric=CHANGE,
        lang="en",
        change=change,
    )
    # Largest |change| 3 months: limits -1.5, -0.25, 0.25, 1.5 (RdBu, reversed).
    found = countries(deck)
    assert found["KEN"]["fill"] == [178, 24, 43]
    assert found["AFG"]["fill"] == [33, 102, 172]
    assert found["NOR"]["fill"] == GREY
    assert found["KEN"]["body"] == "Change in mean delay: +3.0 months"
    assert legend[0] == ((33, 102, 172), "< -1.5 months")
    assert legend[4] == ((178, 24, 43), "≥ +1.5 months")


def test_unknown_metric_is_refused(tiny_portfolio):
    with pytest.raises(ValueError, match="unknown map metric 'colour'"):
        build_portfolio_deck(
            by_country(tiny_portfolio), tiny_portfolio, metric="colour", lang="en"
        )
