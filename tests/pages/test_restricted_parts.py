"""A user restricted to Kenya (Ministry B) on a dataset whose money and projects
cross borders (tests/fixtures/iati/restricted_country.xml; SQLite and
PostgreSQL): the chain stops at an activity outside Kenya, a multi-country
project shows Kenya's part only. Expected figures are hand-computed from the
fixture's header comment."""

from __future__ import annotations

import pytest

from src.portfolio.imports import import_files
from src.store import orgs, shares
from src.store.datasets import store_import
from src.widgets import state
from tests.conftest import ROOT
from tests.pages.helpers import open_money_table, open_tab
from tests.pages.test_auth_pages import ALICE, CAROL, ORGS_FILE, open_as, texts

FIXTURE = ROOT / "tests/fixtures/iati/restricted_country.xml"


@pytest.fixture(autouse=True)
def _orgs(store_backend, monkeypatch):
    monkeypatch.setenv("APP_ORGS_FILE", str(ORGS_FILE))
    orgs.load_orgs_file(ORGS_FILE)


def public_import(path, name: str) -> str:
    """NGO A's public import of an IATI file (Ministry B may read it): its id."""
    alice = orgs.principal_for("alice", ALICE["email"], [])
    info = store_import(import_files([path]), name, actor=alice)
    shares.set_public("dataset", info.id, alice, True)
    return info.id


@pytest.fixture
def dataset() -> str:
    """NGO A's public import of the fixture."""
    return public_import(FIXTURE, "lake-basin")


def _table(at, column: str):
    [table] = [d.value for d in at.dataframe if column in d.value.columns]
    return table


def test_the_money_chain_stops_at_an_activity_outside_the_country(dataset):
    carol = open_as(CAROL, "pages/money.py", {"dataset": dataset})
    shown = texts(carol)
    assert "Secret" not in shown  # no name of Uganda's or Tanzania's activities
    assert any("sees one country only: where a chain" in c.value for c in carol.caption)
    hops = _table(carol, "Hops")
    # XM-RC-K: 1 hop to the outside activity, its disbursement 1 more; XM-RC-M:
    # no incoming money, its disbursements of Kenya's part (400 naming no
    # country, 200 naming Kenya; not the 600 naming Uganda) 1 hop each
    rows = {
        (h, s): n
        for h, s, n in zip(
            hops["Hops"],
            hops["Chain"],
            hops["Transactions"],
            strict=True,
        )
    }
    assert rows == {
        (1, "no incoming money published"): "2",
        (2, "stops at an activity outside your country (not shown)"): "1",
    }
    flows = _table(carol, "Funder")
    outside = flows[flows["Funder"] == "an activity outside your country"]
    assert list(outside["Implementer (receiver)"]) == ["Nairobi Youth Trust"]
    assert list(outside["Budget (US$)"]) == [300.0]
    # unrestricted (NGO A, the same selection of Kenya): walked to the donor
    alice = open_as(ALICE, "pages/money.py", {"dataset": dataset, "country": "KEN"})
    assert not any(
        "sees one country only: where a chain" in c.value for c in alice.caption
    )
    hops = _table(alice, "Hops")
    walked = hops[hops["Chain"] == "walked to the first funder"]
    assert list(walked["Hops"]) == [3]  # D -> O -> K -> trust
    assert "Secret Uganda Office" in list(_table(alice, "Funder")["Funder"])


MONEY_TAB = "Money over time"  # the overview's tab (English)


def _quarters(at) -> dict[str, dict[str, str]]:
    """The money-over-time table: {quarter: {flow: amount}} (amounts shown)."""
    table = _table(open_money_table(at), "Quarter")
    return {
        row["Quarter"]: {k: v for k, v in row.items() if k != "Quarter" and v != "–"}
        for row in table.to_dict("records")
    }


def test_a_multi_country_project_shows_only_the_countrys_part(dataset):
    params = {"dataset": dataset, "id": "XM-RC-M"}
    carol = open_as(CAROL, "pages/project.py", params)
    shown = texts(carol)
    assert "Secret" not in shown  # no Ugandan site, transaction or receiver
    # transactions: the one naming Kenya; the two naming none are not listed
    listed = _table(carol, "To")
    assert list(listed["To"]) == ["Kisumu County"]
    assert list(listed["US$ (rate of the value date)"]) == ["US$200"]
    [note] = [c.value for c in carol.caption if "name no country" in c.value]
    assert "2 of its transactions" in note
    assert "25.0%" in note
    assert "(derived)" in note
    # places: Kisumu only (Jinja and Mbale are in Uganda, Mbale inside
    # Kenya's bounding box)
    assert "Kisumu site" in [c.value for c in carol.caption]
    # money over time: the commitment (8,000, no country) at 25 %; in Q2 the
    # 400 naming no country at 25 % (100) plus the 200 naming Kenya
    assert _quarters(carol) == {
        "2021-Q1": {"Commitment": "US$2.0K"},
        "2021-Q2": {"Disbursement": "US$0.3K"},
    }
    [part] = [c.value for c in carol.caption if "several countries:" in c.value]
    assert part == (
        "Your country's part of 1 project that spans several countries: of its "
        "transactions, 1 names your country (counted in full), 1 names another "
        "(left out), 2 name none: counted at the project's percentage for your "
        "country (derived)."
    )
    # the same project unrestricted: every transaction and site
    alice = open_as(ALICE, "pages/project.py", params)
    assert sorted(_table(alice, "To")["To"]) == sorted(
        ["", "Lake Basin Alliance", "Kisumu County", "Gulu Secret Clinic"]
    )
    assert any("Jinja Secret site" in c.value for c in alice.caption)
    assert not any("several countries:" in c.value for c in alice.caption)


def test_the_overview_money_over_time_is_the_countrys_part(dataset):
    carol = open_tab(
        open_as(CAROL, None, {"dataset": dataset}), state.OVERVIEW_TABS, MONEY_TAB
    )
    # XM-RC-K's 300 (Kenya's alone) and XM-RC-M's part: 2,000; 100 + 200
    assert _quarters(carol) == {
        "2021-Q1": {"Commitment": "US$2.0K"},
        "2021-Q2": {"Disbursement": "US$0.6K"},
    }
    # NGO A filtering to Kenya: the projects' shares, as before (25 % of all
    # four of XM-RC-M's transactions): Q2 300 + 150 = 450, Q3 150 (shown
    # rounded to hundreds: 0.4K, 0.2K)
    alice = open_tab(
        open_as(ALICE, None, {"dataset": dataset, "country": "KEN"}),
        state.OVERVIEW_TABS,
        MONEY_TAB,
    )
    assert _quarters(alice) == {
        "2021-Q1": {"Commitment": "US$2.0K"},
        "2021-Q2": {"Disbursement": "US$0.4K"},
        "2021-Q3": {"Disbursement": "US$0.2K"},
    }


def test_the_briefing_pack_of_a_restricted_user_is_the_countrys_part(dataset):
    carol = open_as(CAROL, "pages/briefing.py", {"dataset": dataset})
    assert not carol.exception
    # no title, receiver, funder or site outside Kenya on any slide
    assert "Secret" not in texts(carol)
    images = carol.get("image")
    assert images  # the chart slides
    assert "Secret" not in "\n".join(str(i.proto) for i in images)
    pack = {m.label: m.value for m in carol.metric}
    # Kenya's rows only: XM-RC-K (300 spent) and XM-RC-M's 25 % of its 1,200
    # spent (the share, as every row figure; here equal to the country part,
    # 200 naming Kenya + 25 % of the 400 naming none): US$600 of 2 projects
    assert pack["Projects"] == "2"
    assert pack["Countries"] == "1"
    assert pack["Total spent"] == "US$0.6K"
    # the same figures as Carol's KPI row on the Overview (which escapes "$")
    overview = open_as(CAROL, None, {"dataset": dataset})
    shown = {m.label: m.value.replace("\\$", "$") for m in overview.metric}
    assert {k: shown[k] for k in pack if k in shown} == {
        k: v for k, v in pack.items() if k in shown
    }
    assert {"Projects", "Total spent", "Total budget"} <= set(shown)
    # and no slide lists transactions one by one (nothing naming Uganda)
    assert not [d for d in carol.dataframe if "To" in d.value.columns]
