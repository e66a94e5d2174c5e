"""The map deck builder, inspected without a browser (layers, rows, colours, text)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.geo import world_shapes
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import by_country
from src.widgets.map_deck import CHANGE, build_portfolio_deck, points_legend
from src.widgets.map_points import aggregate_points
from src.widgets.project_lists import build_location_deck

GREY = [217, 217, 217]  # #d9d9d9
# The risk colours as ColorBrewer publishes YlOrRd (4 of its 5 classes).
RISK_RGB = {
    "Low": [254, 217, 118],
    "Medium": [253, 141, 60],
    "High": [227, 26, 28],
    "Very high": [128, 0, 38],
}


def under_dots(hex_colour: str) -> list[int]:
    """A class colour as drawn under points: 40% of the way to white."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return [round(c + (255 - c) * 0.4) for c in rgb]


PRECISION_EN = {
    "site": "Site location (reported coordinates)",
    "country": "Country-level location (label point)",
}


def spec_of(deck) -> dict:
    return json.loads(deck.to_json())


def layers(deck) -> dict[str, dict]:
    return {layer["id"]: layer for layer in spec_of(deck)["layers"]}


def countries(deck) -> dict[str, dict]:
    """Properties per ISO3 (a country drawn as several polygons has one row each)."""
    return {row["iso3"]: row for row in layers(deck)["countries"]["data"]}


def world_parts() -> tuple[int, int]:
    """Polygons and rings of the world map's shapes, counted from the shapes."""
    shapes = [f["geometry"]["coordinates"] for f in world_shapes()["features"]]
    return sum(len(s) for s in shapes), sum(len(p) for s in shapes for p in s)


def points(deck) -> list[dict]:
    return layers(deck)["points"]["data"]


HOLLOW = [0, 0, 0, 0]  # a ring's fill


def is_ring(point: dict) -> bool:
    return point["fill"] == HOLLOW


def colour(point: dict) -> list[int]:
    """The risk colour a point shows: a ring's line, a dot's fill."""
    return point["line"] if is_ring(point) else point["fill"]


def test_deck_has_countries_then_halos_then_points(tiny_portfolio):
    deck, legend = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    spec = spec_of(deck)
    # No ocean layer (the sea is the map's background colour): each layer
    # costs the browser a draw.
    assert [layer["id"] for layer in spec["layers"]] == [
        "countries",
        "points-country-halo",
        "points",
    ]
    types = [layer["@@type"] for layer in spec["layers"]]
    assert types == ["SolidPolygonLayer", "ScatterplotLayer", "ScatterplotLayer"]
    rows = layers(deck)["countries"]["data"]
    polygons, _ = world_parts()
    drawn = {f["properties"]["iso3"] for f in world_shapes()["features"]
             if f["geometry"]["coordinates"]}  # fmt: skip
    assert {row["iso3"] for row in rows} == drawn
    assert len(rows) > len(drawn)  # countries of several polygons: a row each
    assert len(rows) == polygons
    # deck.gl keeps the tessellated shapes while the row count is the same
    assert layers(deck)["countries"]["dataComparator"] == f"@@=length === {polygons}"
    # No web basemap: the marker Streamlit reads as "draw no basemap".
    assert spec.get("mapStyle") == "__MAP_STYLE__"
    assert legend[-1] == ((217, 217, 217), "No project in the selection")


def test_view_state_is_centred_on_africa_and_asia(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    view = deck.initial_view_state
    assert (view.latitude, view.longitude, view.zoom) == (12, 15, 1.1)


def mixed(portfolio: pd.DataFrame) -> pd.DataFrame:
    """The portfolio with its first two rows placed at sites, the rest rings."""
    kinds = ["site"] * 2 + ["country"] * (len(portfolio) - 2)
    return portfolio.assign(**{S.COL_PRECISION: kinds})


def test_one_point_per_row_split_by_location_precision(tiny_portfolio):
    tiny_portfolio = mixed(tiny_portfolio)
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    counts = tiny_portfolio[S.COL_PRECISION].value_counts()
    drawn = points(deck)
    rings = [p for p in drawn if is_ring(p)]
    sites = [p for p in drawn if not is_ring(p)]
    assert len(drawn) == len(tiny_portfolio)
    assert len(rings) == counts.get("country", 0) > 0
    assert len(sites) == counts.get("site", 0) > 0
    assert drawn == rings + sites  # dots drawn over rings
    assert {p["width"] for p in rings} == {2}  # a 2 px ring in its colour
    assert {(tuple(p["line"]), p["width"]) for p in sites} == {((40, 40, 40), 1)}
    found = layers(deck)["points"]
    assert (found["getFillColor"], found["getLineColor"]) == ("@@=fill", "@@=line")
    assert (found["getLineWidth"], found["lineWidthUnits"]) == ("@@=width", "pixels")


def test_points_are_coloured_by_risk_and_sized_by_budget(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    by_title = {p["title"]: p for p in points(deck)}
    for row in tiny_portfolio.itertuples():
        assert colour(by_title[row.title]) == RISK_RGB[getattr(row, S.COL_RISK)]
    # Area proportional to budget; the largest (Schools, US$3M) is 22 px.
    assert by_title["Schools"]["radius"] == pytest.approx(22.0)
    # sent to 0.1 px
    assert by_title["Roads"]["radius"] == pytest.approx(
        2.5 + 19.5 * (1 / 6) ** 0.5, abs=0.051
    )


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
    # interpolation: 1.1M, 1.7M, 2.4M, 3.2M (five classes of BuPu), muted
    # because the project dots are drawn on top.
    deck, legend = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    found = countries(deck)
    assert found["NOR"]["fill"] == under_dots("#edf8fb")
    assert found["AFG"]["fill"] == under_dots("#8c96c6")
    assert found["KEN"]["fill"] == under_dots("#810f7c")
    assert found["FRA"]["fill"] == GREY  # no project: not muted
    assert found["KEN"]["body"] == "Budget: US$4.0M"
    assert found["FRA"]["body"] == "No project in the selection"
    assert [list(c) for c, _ in legend][:5] == [
        under_dots(h) for h in ("#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c")
    ]
    assert [label for _, label in legend] == [
        "< US$1.1M",
        "US$1.1M – US$1.7M",
        "US$1.7M – US$2.4M",
        "US$2.4M – US$3.2M",
        "≥ US$3.2M",
        "No project in the selection",
    ]


def test_country_tooltips_follow_the_metric_and_language(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="projects", lang="fr"
    )
    found = countries(deck)
    assert found["KEN"]["body"] == "Nombre de projets: 2"
    assert found["FRA"]["body"] == "Aucun projet dans la sélection"
    assert found["FRA"]["fill"] == GREY


def test_a_click_on_christmas_island_is_christmas_island_not_australia():
    # Natural Earth tags Christmas Island (ISO CX) with Australia's code; the
    # map's country rows there must name and colour the island itself.
    from tests.conftest import make_rows

    base = {
        S.COL_TITLE: "t",
        S.COL_SECTOR_GROUP: "Health",
        S.COL_START: "2020-01-01",
        S.COL_END: "2022-01-01",
        S.COL_SPENT: 0.0,
    }
    df = make_rows(
        [
            base | {S.COL_PROJECT_ID: "A", S.COL_COUNTRY: "AUS", S.COL_BUDGET: 4e6},
            base | {S.COL_PROJECT_ID: "X", S.COL_COUNTRY: "CXR", S.COL_BUDGET: 5e3},
        ]
    )
    deck, _ = build_portfolio_deck(by_country(df), df, metric="budget", lang="en")
    rows = layers(deck)["countries"]["data"]

    def lons(row):
        return [pt[0] for ring in row["polygon"] for pt in ring]

    # Christmas Island lies at 105.6 E, 5 degrees west of mainland Australia
    island = [r for r in rows if min(lons(r)) > 105 and max(lons(r)) < 106]
    assert [(r["iso3"], r["title"], r["body"]) for r in island] == [
        ("CXR", "Christmas Island", "Budget: US$5.0K")
    ]
    australia = [r for r in rows if r["iso3"] == "AUS"]
    assert {(r["title"], r["body"]) for r in australia} == {
        ("Australia", "Budget: US$4.0M")
    }
    assert all(min(lons(r)) > 110 for r in australia)


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


def test_web_basemap_lightens_the_countries_and_draws_borders(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio),
        tiny_portfolio,
        metric="budget",
        lang="en",
        web_basemap=True,
        borders=True,
    )
    found = layers(deck)
    assert found["countries"]["opacity"] == 0.8
    _, rings = world_parts()
    assert len(found["borders"]["data"]) == rings  # every ring outlined
    assert found["borders"]["dataComparator"] == f"@@=length === {rings}"
    assert deck.map_provider == "carto"


def test_large_selections_are_aggregated_on_a_grid():
    df, _ = load_bundled_portfolio()
    deck, _ = build_portfolio_deck(
        by_country(df), df, metric="budget", lang="en", max_points=100
    )
    found = layers(deck)
    assert "cells" in found
    assert "points" not in found
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
    # Largest |change| 3 months: limits -1.5, -0.25, 0.25, 1.5 (RdBu, reversed),
    # muted under the project dots.
    found = countries(deck)
    assert found["KEN"]["fill"] == under_dots("#b2182b")
    assert found["AFG"]["fill"] == under_dots("#2166ac")
    assert found["NOR"]["fill"] == GREY
    assert found["KEN"]["body"] == "Change in mean delay: +3.0 months"
    assert legend[0] == (tuple(under_dots("#2166ac")), "< -1.5 months")
    assert legend[4] == (tuple(under_dots("#b2182b")), "≥ +1.5 months")


def test_unknown_metric_is_refused(tiny_portfolio):
    with pytest.raises(ValueError, match="unknown map metric 'colour'"):
        build_portfolio_deck(
            by_country(tiny_portfolio), tiny_portfolio, metric="colour", lang="en"
        )


def test_actors_layer_counts_reporting_organisations_per_country(tiny_portfolio):
    # KEN: Agency A (US$1M) and Agency B (US$3M): 2 actors, HHI 0.25² + 0.75²
    # = 0.625, effective number 1.6; implementers named: NGO X and Ministry.
    # NOR and AFG: one actor each. Quintiles of (1, 1, 2), rounded up to whole
    # numbers: limits 1 and 2, the three darkest BuPu classes.
    df = tiny_portfolio.copy()
    df[S.COL_IMPLEMENTERS] = ["NGO X; Ministry", "NGO X", "", "Water Board"]
    deck, legend = build_portfolio_deck(by_country(df), df, metric="actors", lang="en")
    found = countries(deck)
    assert found["KEN"]["body"].split("\n") == [
        "Actors (reporting organisations): 2",
        "Effective number of actors (1/HHI of budget shares): 1.6",
        "Implementing organisations named: 2",
    ]
    assert found["NOR"]["body"].split("\n")[0] == "Actors (reporting organisations): 1"
    assert found["AFG"]["body"].endswith("Implementing organisations named: 1")
    assert found["KEN"]["fill"] == under_dots("#810f7c")
    assert found["AFG"]["fill"] == under_dots("#8856a7")
    assert found["FRA"]["body"] == "No project in the selection"
    assert [label for _, label in legend] == [
        "< 1",
        "1 – 2",
        "≥ 2",
        "No project in the selection",
    ]


def test_a_country_with_projects_but_no_score_says_not_published(tiny_portfolio):
    df = tiny_portfolio.copy()
    df.loc[df[S.COL_COUNTRY] == "AFG", S.COL_INFORM] = float("nan")
    deck, legend = build_portfolio_deck(by_country(df), df, metric="risk", lang="es")
    found = countries(deck)
    assert found["AFG"]["body"] == "Riesgo país (INFORM): no publicado"
    assert found["AFG"]["fill"] == GREY
    assert found["FRA"]["body"] == "Ningún proyecto en la selección"
    assert legend[-1][1] == (
        "Ningún proyecto en la selección, o puntuación no publicada"
    )


def test_rings_have_a_dark_halo_and_dots_a_dark_outline(tiny_portfolio):
    tiny_portfolio = mixed(tiny_portfolio)
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    found = layers(deck)
    rings = [(p["lon"], p["lat"], p["radius"]) for p in points(deck) if is_ring(p)]
    halo = [
        (p["lon"], p["lat"], p["radius"]) for p in found["points-country-halo"]["data"]
    ]
    assert halo == rings != []
    assert found["points-country-halo"]["pickable"] is False
    assert found["points-country-halo"]["getLineColor"] == [40, 40, 40]
    assert {tuple(p["line"]) for p in points(deck) if not is_ring(p)} == {(40, 40, 40)}


def test_dot_radii_are_pixels_not_map_units(tiny_portfolio):
    # deck.gl reads "@@=..." as an expression of each row: an unquoted
    # "pixels" became a function, so the dots were in map units and grew
    # with the zoom (twice their size at the world view, hiding the countries).
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    dot_layers = [v for k, v in layers(deck).items() if k.startswith("points")]
    assert len(dot_layers) == 2
    assert {layer["radiusUnits"] for layer in dot_layers} == {"pixels"}
    sites = pd.DataFrame(
        {S.DT_LON: [2.35, 2.4], S.DT_LAT: [48.85, 48.9], S.DT_NAME: ["a", "b"]}
    )
    land, places = spec_of(build_location_deck(sites))["layers"]
    assert land["id"] == "land"
    assert not land.get("pickable")
    assert places["radiusUnits"] == "pixels"
    assert places["getRadius"] == 6


def test_a_map_without_click_handler_does_not_promise_one(tiny_portfolio):
    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio),
        tiny_portfolio,
        metric=CHANGE,
        lang="en",
        change=pd.Series({"KEN": 1.0}),
        clickable=False,
    )
    assert points(deck)
    assert not any("Click" in p["body"] for p in points(deck))


@pytest.mark.parametrize(
    ("lang", "clickable", "max_points", "notes"),
    [
        (
            "en",
            True,
            5_000,
            [
                "Filled dots: reported site coordinates. Rings: country-level "
                "placement (no site reported). Dot size follows budget.",
                "Click a dot or ring to open its project page; click a country "
                "(away from the dots) to filter on it.",
            ],
        ),
        (
            "fr",
            False,
            5_000,
            [
                "Points pleins : coordonnées de site déclarées. Anneaux : "
                "placement au niveau du pays (aucun site déclaré). La taille "
                "suit le budget.",
                "Cette carte ne réagit pas aux clics : ouvrez les projets depuis "
                "la carte de la vue d'ensemble ou le tableau.",
            ],
        ),
        (
            "en",
            True,
            2,
            [
                "Large selection: dots are 1° grid cells (their colour is the "
                "budget-dominant risk); filter to see single projects.",
                "Click a dot or ring to open its project page; click a country "
                "(away from the dots) to filter on it.",
            ],
        ),
    ],
)
def test_points_legend_names_colours_shapes_and_clicks(
    tiny_portfolio, lang, clickable, max_points, notes
):
    title, items, got = points_legend(
        tiny_portfolio, lang, clickable=clickable, max_points=max_points
    )
    labels = {
        "en": ["Low", "Medium", "High", "Very high"],
        "fr": ["Faible", "Moyen", "Élevé", "Très élevé"],
    }[lang]
    assert title == {"en": "Project risk", "fr": "Risque du projet"}[lang]
    assert [list(c) for c, _ in items] == list(RISK_RGB.values())
    assert [label for _, label in items] == labels
    assert got == notes


def test_a_new_colouring_only_changes_the_colour_trigger(tiny_portfolio):
    """Same shapes, other colours: deck.gl recolours without re-tessellating."""

    def countries_layer(rows, metric):
        deck, _ = build_portfolio_deck(by_country(rows), rows, metric=metric, lang="en")
        return layers(deck)["countries"]

    budget = countries_layer(tiny_portfolio, "budget")
    again = countries_layer(tiny_portfolio.copy(), "budget")
    other = countries_layer(tiny_portfolio, "risk")
    assert [r["fill"] for r in budget["data"]] != [r["fill"] for r in other["data"]]
    assert budget["dataComparator"] == other["dataComparator"]
    trigger = budget["updateTriggers"]["getFillColor"]
    assert again["updateTriggers"]["getFillColor"] == trigger
    assert other["updateTriggers"]["getFillColor"] != trigger
