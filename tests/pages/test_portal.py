"""AppTest tests of the portal features: search, project page, filters, flows."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from src.i18n import format_money, format_number, translate
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.widgets import state
from tests.pages.helpers import open_money_table, open_page, open_tab


def _plain(text: str) -> str:
    """Accents dropped and lower case, written apart from src.portfolio.search."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _expected_by_hand(words: list[str]) -> tuple[int, float]:
    """(projects, budget) whose title/description/id/org names hold every word."""
    df, _ = load_bundled_portfolio()
    ids = set()
    for row in df.itertuples(index=False):
        text = _plain(
            " ".join(
                str(getattr(row, c))
                for c in (
                    S.COL_TITLE,
                    S.COL_DESCRIPTION,
                    S.COL_PROJECT_ID,
                    S.COL_AGENCY,
                    S.COL_FUNDERS,
                    S.COL_IMPLEMENTERS,
                )
            )
        )
        if all(_plain(w) in text for w in words):
            ids.add(getattr(row, S.COL_PROJECT_ID))
    budget = float(df.loc[df[S.COL_PROJECT_ID].isin(ids), S.COL_BUDGET].sum())
    return len(ids), budget


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value.replace("\\$", "$") for m in at.metric}


@pytest.mark.parametrize("query", ["VACCINATION", "santé", "Cote"])
def test_search_in_the_url_narrows_the_kpis_to_the_matching_projects(query):
    projects, budget = _expected_by_hand([query])
    assert 0 < projects < 1029
    at = open_page(None, {"q": query})
    assert at.text_input(key="filters.query").value == query
    shown = _metrics(at)
    assert shown["Projects"] == format_number(projects, "en")
    assert shown["Total budget"] == format_money(budget, "en")


def test_typing_a_search_combines_with_a_filter_and_lands_in_the_url():
    df, _ = load_bundled_portfolio()
    health = df[df[S.COL_SECTOR_GROUP] == "Health"]
    at = open_page(None, {"sector": "Health"})
    at.text_input(key="filters.query").input("covid vaccin").run()
    assert not at.exception
    ids = {
        row[S.COL_PROJECT_ID]
        for _, row in health.iterrows()
        if all(
            w
            in _plain(f"{row[S.COL_TITLE]} {row[S.COL_DESCRIPTION]}")
            + _plain(
                f" {row[S.COL_PROJECT_ID]} {row[S.COL_AGENCY]}"
                f" {row[S.COL_FUNDERS]} {row[S.COL_IMPLEMENTERS]}"
            )
            for w in ("covid", "vaccin")
        )
    }
    assert 0 < len(ids) < len(health)
    assert _metrics(at)["Projects"] == format_number(len(ids), "en")
    assert at.query_params["q"] == "covid vaccin"
    assert at.query_params["sector"] in ("Health", ["Health"])


PROJECT = "XM-DAC-41122-Papua New Guinea-6490/A0/05/005/004"  # 114 transactions


def test_project_page_shows_every_transaction_the_data_layer_holds():
    from src.i18n import format_date, format_money_full
    from src.portfolio.load import load_bundled_side_tables

    tx = load_bundled_side_tables().transactions
    mine = tx[tx[S.COL_PROJECT_ID] == PROJECT].sort_values(S.TX_DATE, kind="stable")
    assert len(mine) == 114
    at = open_page("pages/project.py", {"id": PROJECT})
    tables = [d.value for d in at.dataframe]
    shown = next(t for t in tables if "US$ (rate of the value date)" in t.columns)
    assert shown["US$ (rate of the value date)"].tolist() == [
        format_money_full(v, "en") for v in mine[S.TX_USD]
    ]
    assert shown["Date"].tolist() == [
        format_date(d.date(), "en") for d in mine[S.TX_DATE]
    ]
    df, _ = load_bundled_portfolio()
    row = df[df[S.COL_PROJECT_ID] == PROJECT].iloc[0]
    spend = mine[mine[S.TX_TYPE].isin(["3", "4"])][S.TX_USD].sum()
    assert spend == pytest.approx(row[S.COL_SPENT])
    assert at.title[0].value.replace("\\", "") == row[S.COL_TITLE]
    (link,) = at.get("link_button")
    assert link.proto.url == (
        "https://d-portal.org/ctrack.html#view=act"
        "&aid=XM-DAC-41122-Papua%20New%20Guinea-6490%2FA0%2F05%2F005%2F004"
    )


def test_an_unknown_project_id_gives_a_notice_not_a_traceback():
    at = open_page("pages/project.py", {"id": "no-such-<b>id"})
    assert not at.exception
    assert any("no\\-such\\-\\<b\\>id" in w.value for w in at.warning)


def test_the_project_table_links_each_row_to_its_page_in_the_language():
    at = open_tab(
        open_page(None, {"q": "santé", "lang": "fr"}), state.OVERVIEW_TABS, "Projets"
    )
    table = next(d.value for d in at.dataframe if "Page du projet" in d.value.columns)
    ids = table["Identifiant IATI"].tolist()
    assert table["Page du projet"].tolist() == [f"project?id={i}&lang=fr" for i in ids]


def test_country_page_money_over_time_adds_up_to_the_country_spend():
    from src.portfolio.load import load_bundled_side_tables

    df, _ = load_bundled_portfolio()
    tx = load_bundled_side_tables().transactions
    ken = df[df[S.COL_COUNTRY] == "KEN"]
    share = ken.groupby(S.COL_PROJECT_ID)[S.COL_COUNTRY_SHARE].sum()
    flows = tx[tx[S.COL_PROJECT_ID].isin(share.index)]
    flows = flows.assign(usd=flows[S.TX_USD] * flows[S.COL_PROJECT_ID].map(share))
    by_q = flows.groupby([flows[S.TX_DATE].dt.to_period("Q"), S.TX_TYPE])["usd"].sum()
    at = open_money_table(open_page("pages/country.py", {"c": "KEN"}))
    table = next(d.value for d in at.dataframe if "Quarter" in d.value.columns)
    for _, line in table.iterrows():
        period = line["Quarter"].replace("-Q", "Q")
        for code, label in (
            ("2", "Commitment"),
            ("3", "Disbursement"),
            ("4", "Expenditure"),
        ):
            want = by_q.get((pd.Period(period, "Q"), code))
            assert line[label] == format_money(want, "en"), (period, label)
    assert spend_total(by_q) == pytest.approx(ken[S.COL_SPENT].sum())


def spend_total(by_q) -> float:
    return float(by_q[by_q.index.get_level_values(1).isin(["3", "4"])].sum())


def _count_by_hand(keep) -> int:
    df, _ = load_bundled_portfolio()
    return len({r[S.COL_PROJECT_ID] for _, r in df.iterrows() if keep(r)})


# URL parameter, value, widget key, widget value, the rule written by hand
NEW_FILTERS = [
    (
        "funder",
        "Germany",
        "filters.funder",
        ["Germany"],
        lambda r: "Germany" in r[S.COL_FUNDERS].split("; "),
    ),
    (
        "implementer",
        "World Health Organization",
        "filters.implementer",
        ["World Health Organization"],
        lambda r: "World Health Organization" in r[S.COL_IMPLEMENTERS].split("; "),
    ),
    (
        "sdg",
        "3",
        "filters.sdg",
        ["3"],
        lambda r: any(t.split(".")[0] == "3" for t in r[S.COL_SDG_TAGS].split(";")),
    ),
    (
        "dac",
        "16050",
        "filters.dac",
        ["16050"],
        lambda r: r[S.COL_SECTOR_CODE] == "16050",
    ),
    (
        "dac",
        "none",
        "filters.dac",
        ["none"],
        lambda r: r[S.COL_SECTOR_CODE] == "",
    ),
]


def test_more_filters_hold_their_values_while_closed():
    # Funder Germany from the link: the section opens with it; closed, its
    # widgets are not drawn but the filter still applies and is named.
    expected = _count_by_hand(lambda r: "Germany" in r[S.COL_FUNDERS].split("; "))
    at = open_page(None, {"funder": "Germany"})
    assert at.multiselect(key=state.FILTER_FUNDERS).value == ["Germany"]
    at.session_state[state.FILTERS_MORE] = False  # the user closes it
    at.run()
    assert not at.exception
    assert [m for m in at.multiselect if m.key == state.FILTER_FUNDERS] == []
    assert _metrics(at)["Projects"] == format_number(expected, "en")
    assert "Active: Funder" in [c.value for c in at.sidebar.caption]
    at.run()  # a second run while closed: the value is not dropped
    assert _metrics(at)["Projects"] == format_number(expected, "en")
    assert at.query_params["funder"] in ("Germany", ["Germany"])
    at.session_state[state.FILTERS_MORE] = True  # opened again: the widget shows it
    at.run()
    assert at.multiselect(key=state.FILTER_FUNDERS).value == ["Germany"]


@pytest.mark.parametrize(("param", "value", "key", "shown", "keep"), NEW_FILTERS)
def test_each_new_filter_round_trips_through_the_url(param, value, key, shown, keep):
    expected = _count_by_hand(keep)
    assert 0 < expected < 1029
    at = open_page(None, {param: value})
    assert at.multiselect(key=key).value == shown
    assert _metrics(at)["Projects"] == format_number(expected, "en")
    assert at.query_params[param] in (value, [value])
    at.multiselect(key=key).set_value([]).run()
    assert param not in at.query_params
    assert _metrics(at)["Projects"] == "1,029"


@pytest.mark.parametrize(("value", "flag"), [("yes", True), ("no", False)])
def test_the_humanitarian_flag_round_trips_through_the_url(value, flag):
    expected = _count_by_hand(lambda r: bool(r[S.COL_HUMANITARIAN]) == flag)
    at = open_page(None, {"humanitarian": value})
    assert at.radio(key="filters.humanitarian").value == value
    assert _metrics(at)["Projects"] == format_number(expected, "en")
    at.radio(key="filters.humanitarian").set_value("any").run()
    assert "humanitarian" not in at.query_params
    at.radio(key="filters.humanitarian").set_value(value).run()
    assert at.query_params["humanitarian"] == value


def test_a_bad_humanitarian_value_is_named_and_ignored():
    at = open_page(None, {"humanitarian": "maybe<"})
    assert any("maybe" in w.value for w in at.warning)
    assert _metrics(at)["Projects"] == "1,029"


@pytest.mark.parametrize(
    ("lang", "name"), [("en", "Employment creation"), ("fr", "Création d'emplois")]
)
def test_the_project_page_names_each_dac_sector_from_the_codelist(lang, name):
    # FAO publishes the code without a name: the column was empty
    from src.portfolio.load import load_bundled_side_tables

    project = "XM-DAC-41301-650255"
    details = load_bundled_side_tables().details
    mine = details[
        (details[S.COL_PROJECT_ID] == project) & (details["kind"] == "sector")
    ]
    assert mine["code"].tolist() == ["16020"]
    assert not mine["name"].fillna("").str.strip().any()  # none published
    at = open_page("pages/project.py", {"id": project, "lang": lang})
    column = translate("project.dac_name", lang)
    table = next(d.value for d in at.dataframe if column in d.value.columns)
    assert table[column].tolist() == [name]
