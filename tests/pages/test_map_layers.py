"""AppTest of the world map's "actors per country" layer in three languages.

The expected figures are counted here from the canonical table with plain
pandas (distinct reporting organisations per recipient country), not with
src.portfolio.coordination, which draws the layer.
"""

from __future__ import annotations

import json

import pytest

from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from tests.pages.helpers import open_page

HEADING = {
    "en": "Actors (reporting organisations)",
    "fr": "Acteurs (organisations déclarantes)",
    "es": "Actores (organizaciones informantes)",
}
NO_PROJECT = {
    "en": "No project in the selection",
    "fr": "Aucun projet dans la sélection",
    "es": "Ningún proyecto en la selección",
}


def _countries(at) -> dict[str, dict]:
    (deck,) = at.get("deck_gl_json_chart")
    spec = json.loads(deck.proto.json)
    layer = next(x for x in spec["layers"] if x["id"] == "countries")
    return {row["iso3"]: row for row in layer["data"]}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_actors_layer_shows_reporting_organisations_per_country(lang):
    df, _ = load_bundled_portfolio()
    placed = df[df[S.COL_COUNTRY] != ""]
    expected = placed.groupby(S.COL_COUNTRY)[S.COL_AGENCY].nunique()
    at = open_page(None, {"metric": "actors", "lang": lang})
    radio = at.radio[0]
    assert radio.value == "actors"
    assert HEADING[lang] in radio.options
    found = _countries(at)
    drawn = [iso3 for iso3 in expected.index if iso3 in found]
    assert len(drawn) >= 150  # a few small islands have no Natural Earth shape
    for iso3, count in expected[drawn].items():
        first = found[iso3]["body"].split("\n")[0]
        assert first == f"{HEADING[lang]}: {count}", iso3
    without = set(found) - set(expected.index)
    assert without  # the world has countries without a project here
    assert {found[i]["body"] for i in without} == {NO_PROJECT[lang]}
    legend = "".join(m.value for m in at.markdown)
    assert HEADING[lang] in legend  # the legend is titled with the layer
    assert NO_PROJECT[lang] in legend
