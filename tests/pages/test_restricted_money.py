"""A user restricted to Kenya (Ministry B) on a project whose transactions name
Kenya and Uganda unevenly (tests/fixtures/iati/restricted_split.xml; SQLite and
PostgreSQL): the KPI row, the project table, the project page and the briefing
pack show the same spent money as money over time. Expected figures are
hand-computed from the fixture's header comment."""

from __future__ import annotations

import pytest

from src.i18n import format_money
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.widgets import state
from tests.conftest import ROOT
from tests.pages.helpers import open_tab
from tests.pages.test_auth_pages import ALICE, CAROL, open_as
from tests.pages.test_restricted_parts import (  # noqa: F401 - _orgs: autouse
    MONEY_TAB,
    _orgs,
    _quarters,
    _table,
    public_import,
)

FIXTURE = ROOT / "tests/fixtures/iati/restricted_split.xml"
PROJECTS_TAB = "Projects"


@pytest.fixture
def dataset() -> str:
    return public_import(FIXTURE, "border-water")


def _kpis(at) -> dict[str, str]:
    return {m.label: m.value.replace("\\$", "$") for m in at.metric}


def test_a_restricted_users_kpi_spent_is_the_money_over_time_total(dataset):
    carol = open_as(CAROL, None, {"dataset": dataset})
    kpis = _kpis(carol)
    # spent: 5,000 naming Kenya + 50 % of 2,000 naming none + XM-RS-K's 1,000
    assert kpis["Total spent"] == "US$7.0K"
    assert kpis["Total budget"] == "US$14.0K"  # 50 % of 20,000 + 4,000
    rows = carol.session_state[state.CONTEXT].selection
    assert rows[S.COL_SPENT].sum() == 7000.0
    note = "Projects here that are also in other countries and name the country"
    assert any(
        c.value.startswith(note + " of their transactions: 1.") for c in carol.caption
    )
    flows = _quarters(open_tab(carol, state.OVERVIEW_TABS, MONEY_TAB))
    # commitment 10,000 naming none at 50 %; Q2: 5,000 + 1,000 + 1,000; the
    # expenditure naming Uganda (Q3) left out: the same 7,000 as the KPI
    assert flows == {
        "2021-Q1": {"Commitment": "US$5.0K"},
        "2021-Q2": {"Disbursement": "US$7.0K"},
    }
    # NGO A filtering to Kenya (not restricted): every figure at the share,
    # 50 % of 10,000 + 1,000 spent; Q2 50 % of 7,000 + 1,000, Q3 50 % of 3,000
    alice = open_as(ALICE, None, {"dataset": dataset, "country": "KEN"})
    assert _kpis(alice)["Total spent"] == "US$6.0K"
    assert _kpis(alice)["Total budget"] == "US$14.0K"
    assert not any(c.value.startswith(note) for c in alice.caption)
    assert _quarters(open_tab(alice, state.OVERVIEW_TABS, MONEY_TAB)) == {
        "2021-Q1": {"Commitment": "US$5.0K"},
        "2021-Q2": {"Disbursement": "US$4.5K"},
        "2021-Q3": {"Expenditure": "US$1.5K"},
    }


def test_the_project_table_page_and_pack_show_the_countrys_part(dataset):
    carol = open_tab(
        open_as(CAROL, None, {"dataset": dataset}), state.OVERVIEW_TABS, PROJECTS_TAB
    )
    table = _table(carol, "Spent (US$)").set_index("Title")
    # XM-RS-M: 5,000 + 1,000 of a 10,000 budget; XM-RS-K: 1,000 of 4,000
    assert table.loc["Border Water Programme", "Spent (US$)"] == 6000
    assert table.loc["Border Water Programme", "Delivery (%)"] == 60.0
    assert table.loc["Busia Clinics", "Spent (US$)"] == 1000
    page = open_as(CAROL, "pages/project.py", {"dataset": dataset, "id": "XM-RS-M"})
    facts = dict(_table(page, "Value").itertuples(index=False))
    assert facts["Spent"] == "US$6.0K"
    assert facts["Committed"] == "US$5.0K"  # 50 % of the 10,000 naming none
    pack = open_as(CAROL, "pages/briefing.py", {"dataset": dataset})
    assert {m.label: m.value for m in pack.metric}["Total spent"] == "US$7.0K"
    # the methods slide says how those projects are counted (derived)
    note = "Your organisation sees one country. Projects also in other countries"
    lines = [c.value.replace("\\", "") for c in pack.caption]
    assert any(line.startswith(note) and ": 1. Their" in line for line in lines)


def test_on_the_bundled_data_a_restricted_users_kpis_are_the_countrys_rows():
    # no bundled transaction names a country: Kenya's rows as they are, their
    # sums taken here from the rows themselves
    df, _ = load_bundled_portfolio()
    kenya = df[df[S.COL_COUNTRY] == "KEN"]
    assert len(kenya) > 0
    shown = _kpis(open_as(CAROL))
    assert shown["Total spent"] == format_money(float(kenya[S.COL_SPENT].sum()), "en")
    assert shown["Total budget"] == format_money(float(kenya[S.COL_BUDGET].sum()), "en")
    assert shown["Projects"] == str(kenya[S.COL_PROJECT_ID].nunique())


def test_the_scenarios_page_of_a_restricted_user_runs_on_the_recomputed_rows(dataset):
    carol = open_as(CAROL, "pages/scenarios.py", {"dataset": dataset})
    rows = carol.session_state[state.CONTEXT].selection
    assert rows[S.COL_SPENT].sum() == 7000.0
    assert carol.metric  # the baseline and scenario ran
