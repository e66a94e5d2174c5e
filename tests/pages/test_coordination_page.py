"""AppTest of the Coordination page."""

from __future__ import annotations

import json

import pytest

from src.i18n import translate
from src.portfolio import coordination as C
from src.portfolio import overlap as O
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from src.widgets import state
from tests.pages import helpers


def test_the_country_table_follows_the_filters_and_the_data_layer():
    at = helpers.open_page("pages/coordination.py", {"sector": "Health"})
    df, _ = load_bundled_portfolio()
    sel = FilterSpec(sectors=("Health",)).apply(df)
    expected = C.country_table(sel)
    names = sel.drop_duplicates("country_iso3").set_index("country_iso3")[
        "country_name"
    ]
    table = at.dataframe[0].value
    assert len(table) == len(expected)
    assert table["Country"].tolist() == sorted(table["Country"])
    shown = dict(zip(table["Country"], table["Actors"], strict=True))
    by_iso = dict(zip(expected["country_iso3"], expected["actors"], strict=True))
    assert sorted(shown.values()) == sorted(by_iso.values())
    assert shown["Kenya"] == by_iso["KEN"]
    assert names["KEN"] == "Kenya"
    assert table["Non-significant relations"].sum() == expected["non_significant"].sum()
    # Fixed decimals per column: a concentration of 1 reads "1.000" beside
    # "0.532" (the browser's default format wrote "1").
    formats = {
        name: column["type_config"]["format"]
        for name, column in json.loads(at.dataframe[0].proto.columns).items()
        if "type_config" in column
    }
    assert formats["Concentration (HHI)"] == "%.3f"
    assert formats["Effective number of actors"] == "%.2f"
    assert formats["Non-significant money (%)"] == "%.1f"


def test_one_country_shows_its_significance_table_in_french():
    at = helpers.open_page("pages/coordination.py", {"lang": "fr", "c": "KEN"})
    assert not at.exception, at.exception
    df, _ = load_bundled_portfolio()
    rel = C.significance(df)  # shares of all aid: every country
    rel = rel[rel["country_iso3"] == "KEN"]
    assert not rel["significant"].all()  # in Kenya some relations are not
    tables = [d.value for d in at.dataframe]
    sig = next(t for t in tables if "Significative (OCDE)" in t.columns)
    assert sig["Significative (OCDE)"].tolist() == [
        "oui" if v else "non" for v in rel["significant"]
    ]


def _bgd_sites():
    df, _ = load_bundled_portfolio()
    rows = df[df["country_iso3"] == "BGD"]
    return O.sites(rows, load_bundled_side_tables().details)[0]


def _overlap_table(at, lang: str):
    overlapping = translate("coord.col.overlapping", lang)
    table = next(d.value for d in at.dataframe if overlapping in d.value.columns)
    return table[overlapping]


def test_one_country_shows_its_sub_national_overlap(coordination_bgd):
    lang, at = coordination_bgd
    assert not at.exception, at.exception
    expected = O.overlap(_bgd_sites(), O.DEFAULT_KM)
    shown = _overlap_table(at, lang)
    assert shown.tolist() == expected["overlapping_sites"].tolist()
    assert shown.sum() > 0  # Bangladesh: IOM, UNICEF, UNDP nearby


def test_the_overlap_distance_recounts_the_sites():
    at = helpers.open_page("pages/coordination.py", {"c": "BGD"})
    at.select_slider(key=state.COORD_OVERLAP_KM).set_value(1).run()
    assert not at.exception, at.exception
    expected = O.overlap(_bgd_sites(), 1)["overlapping_sites"].sum()
    assert _overlap_table(at, "en").sum() == expected
    assert expected < O.overlap(_bgd_sites(), O.DEFAULT_KM)["overlapping_sites"].sum()


def test_the_dac_3_digit_drill_comes_from_the_link_and_names_the_categories():
    at = helpers.open_page("pages/coordination.py", {"c": "BGD", "sectors": "dac3"})
    df, _ = load_bundled_portfolio()
    rows = df[df["country_iso3"] == "BGD"]
    # independently: reporting organisations per DAC 3-digit category
    code = rows["sector_code"].fillna("").astype(str).str[:3]
    expected = rows.assign(dac3=code).groupby("dac3")["agency"].nunique()
    table = next(d.value for d in at.dataframe if "Sector" in d.value.columns)
    assert len(table) == len(expected)
    shown = dict(zip(table["Sector"].str[:3], table["Actors"], strict=True))
    assert shown == expected.to_dict()
    names = table["Sector"].tolist()
    # names from the IATI SectorCategory codelist (Bangladesh: 122, 720 …)
    assert {"122 Basic Health", "720 Emergency Response"} <= set(names)
    assert at.query_params["sectors"] == "dac3"
    # the heat map's rows are a step each: axes never squeeze the cells
    (heat,) = [
        s
        for s in helpers.chart_specs(at)
        if s.get("layer")
        and "mark" in s["layer"][0]
        and s["layer"][0]["mark"] in ("rect", {"type": "rect"})
    ]
    assert heat["height"] == {"step": 36}


def test_the_overlap_distance_comes_from_the_link():
    at = helpers.open_page("pages/coordination.py", {"c": "BGD", "km": "1"})
    expected = O.overlap(_bgd_sites(), 1)["overlapping_sites"].sum()
    assert _overlap_table(at, "en").sum() == expected
    assert at.query_params["km"] == "1"


def test_the_sector_table_is_in_the_languages_number_format(coordination_bgd):
    from src.i18n import format_number

    lang, at = coordination_bgd
    df, _ = load_bundled_portfolio()
    rows = df[df["country_iso3"] == "BGD"]
    # independently: Bangladesh's budget per sector group (negatives read as 0)
    budget = rows.assign(b=rows["budget_usd"].clip(lower=0)).groupby("sector_group")
    expected = {
        translate("sector." + g, lang): format_number(v, lang)
        for g, v in budget["b"].sum().items()
    }
    sector, money = translate("col.sector", lang), translate("col.budget_usd", lang)
    hhi = translate("coord.col.hhi", lang)
    table = next(d.value for d in at.dataframe if {hhi, sector} <= set(d.value.columns))
    assert dict(zip(table[sector], table[money], strict=True)) == expected
    decimal = "," if lang in ("fr", "es") else "."
    assert all(v == "–" or v[1] == decimal for v in table[hhi])


@pytest.mark.parametrize(
    ("lang", "health", "emergency"),
    [
        # SectorCategory.xml's xml:lang="fr" narratives, copied by hand
        ("fr", "122 Santé de Base", "720 Intervention d'Urgence"),
        # no Spanish in the codelist: English
        ("es", "122 Basic Health", "720 Emergency Response"),
    ],
)
def test_the_dac_3_digit_names_follow_the_ui_language(lang, health, emergency):
    at = helpers.open_page(
        "pages/coordination.py", {"c": "BGD", "sectors": "dac3", "lang": lang}
    )
    column = translate("col.sector", lang)
    table = next(d.value for d in at.dataframe if column in d.value.columns)
    assert {health, emergency} <= set(table[column])


def test_the_dac_filter_names_the_codes_in_french():
    at = helpers.open_page(None, {"lang": "fr"})
    at.session_state[state.FILTERS_MORE] = True  # open "More filters"
    at.run()
    options = at.multiselect(key=state.FILTER_DAC).options
    # Sector.xml, code 16050, its xml:lang="fr" narrative
    wanted = "16050 Aide plurisectorielle pour les services sociaux de base"
    assert any(o.endswith(wanted) for o in options), options[:5]
