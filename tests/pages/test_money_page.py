"""AppTest of the Follow-the-money view: its page and the Country page section."""

from __future__ import annotations

import pytest

from src.i18n import format_percent, translate
from src.portfolio import results as R
from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from src.portfolio.money_summary import money_summary
from tests.pages import helpers


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_money_page_shows_the_localisation_pair_in_each_language(lang):
    at = helpers.open_page("pages/money.py", {"lang": lang})
    df, _ = load_bundled_portfolio()
    m = money_summary(df, df, load_bundled_side_tables())
    shown = _metrics(at)
    verified = translate("money.kpi.verified", lang)
    typed = translate("money.kpi.typed", lang)
    assert shown[verified].replace("\\", "") == format_percent(
        m.localisation.verified.value, lang, 1
    )
    assert shown[typed].replace("\\", "") == format_percent(
        m.localisation.among_typed.value, lang, 1
    )
    assert len(helpers.chart_specs(at)) >= 2  # categories, localisation vs 25 %
    fixes = at.dataframe[-1].value
    assert translate("fix.col.what", lang) in fixes.columns
    # the list holds the money family and the results family
    side = load_bundled_side_tables()
    results_rows = R.fix_rows(df, R.indicators(side.details), lang)
    assert len(fixes) == len(m.fixes) + len(results_rows)
    assert set(results_rows["what"]) <= set(fixes[translate("fix.col.what", lang)])


def test_the_money_page_follows_the_sidebar_filters():
    at = helpers.open_page("pages/money.py", {"agency": "UNICEF"})
    shown = _metrics(at)
    # UNICEF states no receiver type: not published, never 0 %
    assert shown["Localisation, verified"] == "not published"
    df, _ = load_bundled_portfolio()
    sel = FilterSpec(agencies=("UNICEF",)).apply(df)
    m = money_summary(sel, df, load_bundled_side_tables())
    fixes = at.dataframe[-1].value
    assert set(fixes["Publisher"]) == {"UNICEF"}
    results_rows = R.fix_rows(sel, R.indicators(load_bundled_side_tables().details))
    assert len(fixes) == len(m.fixes) + len(results_rows)


def test_the_country_page_has_the_section_with_the_government_score():
    at = helpers.open_page("pages/country.py", {"c": "ETH", "lang": "es"})
    assert translate("money.kpi.national", "es") in _metrics(at)
    df, _ = load_bundled_portfolio()
    ge = df.loc[df[S.COL_COUNTRY] == "ETH", S.COL_GE].dropna().iloc[0]
    captions = [c.value.replace("\\", "") for c in at.caption]  # Markdown escapes
    assert any(f"{ge:.2f}".replace(".", ",") in c for c in captions)


def test_the_data_quality_page_counts_each_correction_per_publisher():
    from lxml import etree

    from src.portfolio import paths

    expected = {}
    for prefix, name in (
        ("unops", "United Nations Office for Project Services"),
        ("who", "World Health Organization"),
    ):
        path = next(p for p in paths.bundled_iati_files() if p.name.startswith(prefix))
        count = 0
        for act in etree.parse(str(path)).iter("iati-activity"):
            me = act.find("reporting-org").get("ref")
            for tx in act.iter("transaction"):
                recv = tx.find("receiver-org")
                kind = tx.find("transaction-type").get("code")
                count += kind == "2" and recv is not None and recv.get("ref") == me
        expected[name] = count
    at = helpers.open_page("pages/data_quality.py")
    table = next(d.value for d in at.dataframe if "Correction" in d.value.columns)
    shown = {
        r["Publisher"]: r["Transactions"]
        for _, r in table.iterrows()
        if r["Correction"].startswith("Money received")
    }
    assert shown == {k: f"{v:,}" for k, v in expected.items()}
    assert expected == {
        "United Nations Office for Project Services": 85,
        "World Health Organization": 1500,
    }
    dup = table[table["Correction"].str.startswith("Commitments repeating")]
    assert dup[["Publisher", "Transactions"]].values.tolist() == [["UNICEF", "670"]]


def test_the_fix_list_counts_without_a_plural_to_get_wrong():
    # "1 of 1 incoming transactions": the unit is its own column now
    from src.i18n import format_number
    from src.portfolio.money_fixes import fix_key

    at = helpers.open_page("pages/money.py", {"lang": "fr"})
    fixes = at.dataframe[-1].value
    df, _ = load_bundled_portfolio()
    first = money_summary(df, df, load_bundled_side_tables()).fixes.iloc[0]
    row = fixes.iloc[0]
    missing, total = (format_number(first[c], "fr") for c in ("missing", "total"))
    assert row["Manquant"] == f"{missing} sur {total}"
    unit = translate(f"fix.{fix_key(first['indicator'])}.unit", "fr")
    assert row["Unité"] == unit
