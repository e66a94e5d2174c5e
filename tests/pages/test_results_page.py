"""AppTest of the results ladder (Country page) and result table (project page).

Expected counts and achievement are recomputed from the raw XML with lxml.
"""

from __future__ import annotations

import re

from lxml import etree
from streamlit.testing.v1 import AppTest

from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.paths import bundled_iati_files
from tests.pages import helpers


def _xml_activities(country_iso2: str) -> list:
    acts = []
    for path in bundled_iati_files():
        tree = etree.parse(str(path))
        acts += tree.xpath(f"//iati-activity[recipient-country/@code='{country_iso2}']")
    return acts


def _table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_country_ladder_counts_match_the_xml_in_english():
    at = helpers.open_page("pages/country.py", {"c": "CRI"})
    acts = _xml_activities("CR")
    with_results = [a for a in acts if a.xpath("result/indicator")]
    outcomes = [a for a in acts if a.xpath("result[@type='2']/indicator")]
    table = _table_with(at, "With output indicators")
    total = table.iloc[0]
    assert total["Sector"] == "All sectors"
    assert total["Projects"] == len(acts) == 7
    assert total["With output indicators"].startswith(f"{len(with_results)} (")
    assert total["With outcome indicators"].startswith(f"{len(outcomes)} (")
    captions = [c.value for c in at.caption]
    assert any(
        c.startswith(f"{len(with_results)} of {len(acts)} projects publish")
        for c in captions
    )
    assert any("Context, not attributed impact" in c for c in captions)
    assert any('ascending="0"' in c and "UNICEF" in c for c in captions)


def test_the_ladder_follows_the_sidebar_filters_in_french():
    at = helpers.open_page("pages/country.py", {"c": "CRI", "lang": "fr"})
    at.multiselect(key="filters.sector").set_value(["Health"]).run()
    assert not at.exception, at.exception
    df, _ = load_bundled_portfolio()
    rows = FilterSpec(countries=("CRI",), sectors=("Health",)).apply(df)
    table = _table_with(at, "Avec indicateurs de produit")
    assert table.iloc[0]["Secteur"] == "Tous les secteurs"
    assert table.iloc[0]["Projets"] == rows["project_id"].nunique()
    assert set(table["Secteur"]) == {"Tous les secteurs", "Santé"}
    assert any("Contexte, pas un impact attribué" in c.value for c in at.caption)


BRAZIL = "XM-DAC-41122-Brazil-0540/A0/06/001/006"


def test_the_project_page_shows_repairs_and_achievement_in_spanish():
    at = helpers.open_page("pages/project.py", {"id": BRAZIL, "lang": "es"})
    (act,) = [
        a
        for path in bundled_iati_files()
        for a in etree.parse(str(path)).xpath(
            f"//iati-activity[iati-identifier='{BRAZIL}']"
        )
    ]
    table = _table_with(at, "Logro (calculado)")
    inds = act.xpath("result/indicator")
    assert len(table) == len(inds)
    expected = []
    for ind in inds:
        base = ind.find("baseline").get("value")
        target = ind.find("period/target").get("value")
        actual = ind.find("period/actual").get("value")
        nums = [
            re.fullmatch(r"(?:\d{4}:)?(\d+)", v or "") for v in (base, target, actual)
        ]
        if all(nums) and nums[0][1] != nums[1][1]:
            b, t, a = (float(m[1]) for m in nums)
            share = min(1.0, max(0.0, (a - b) / (t - b)))
            expected.append(f"{round(share * 100)}\xa0%")
        else:
            expected.append("–")
    assert table["Logro (calculado)"].tolist() == expected
    assert "36\xa0%" in expected  # 1,041,866 of 2,900,000 people reached
    repaired = table["Reparado a partir de texto"].tolist()
    assert any("prefijo de año 2020 eliminado" in r for r in repaired)


def _no_details_app():
    import pandas as pd

    from src.widgets.results import render_results

    render_results(pd.DataFrame(), None, iso3="KEN")


def test_a_dataset_without_details_says_results_are_not_published():
    at = AppTest.from_function(_no_details_app).run()
    assert not at.exception
    assert "publishes no result indicators" in at.info[0].value


def test_the_country_ladder_in_spanish_names_the_unpublished_rungs():
    at = helpers.open_page("pages/country.py", {"c": "CRI", "lang": "es"})
    acts = _xml_activities("CR")
    table = _table_with(at, "Con indicadores de producto")
    total = table.iloc[0]
    assert total["Sector"] == "Todos los sectores"
    assert total["Proyectos"] == len(acts)
    assert total["Con indicadores de efecto"].startswith("0 (")
    captions = [c.value for c in at.caption]
    assert any("Contexto, no impacto atribuido" in c for c in captions)
    titles = [str(s) for s in helpers.chart_specs(at)]
    assert any("Proporción del presupuesto (%)" in s for s in titles)
    assert any("Índice de desarrollo humano" in s for s in titles)
