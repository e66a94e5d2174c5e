"""AppTest of the Coordination page."""

from __future__ import annotations

from src.portfolio import coordination as C
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
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
