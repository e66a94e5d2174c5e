"""Pooled funds recognised by the DAC aid type, and incoming money counted once.

Hand-computed on tests/fixtures/iati/money_results.xml. XM-MR-A (default aid
type C01) received from Donor One a commitment of 1,500 (type 11) and 1,000 of
funds (type 1) on it, and 600 from "Emergency Fund Nine" whose own aid type is
B04 (pooled funding; no OCHA ref or "pooled fund" name: only the aid type says
so); it passed 400 to a national NGO. XM-MR-B (default B03) passed 300 to a
government and 200 (own aid type C01) to a sister agency; no incoming money.
"""

from __future__ import annotations

import io

import pytest

from src.iati.parser import parse_file
from src.portfolio import money as M
from src.portfolio import money_chain as C
from src.portfolio import schema as S
from src.portfolio.imports import import_files
from src.portfolio.money_summary import money_summary
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "iati" / "money_results.xml"


@pytest.fixture(scope="module")
def imported():
    report = import_files([FIXTURE])
    return report.table, report.side_tables


def test_incoming_money_reported_as_commitment_and_funds_is_counted_once(imported):
    df, side = imported
    incoming = df.set_index(S.COL_PROJECT_ID)[S.COL_INCOMING]
    # Donor One: the larger record (commitment 1,500), not 1,500 + 1,000; + 600
    assert incoming["XM-MR-A"] == 2100.0
    assert incoming["XM-MR-B"] == 0.0
    tx = side.transactions
    a = tx[tx[S.COL_PROJECT_ID] == "XM-MR-A"].set_index(S.TX_VALUE)
    assert not a.loc[1000.0, S.TX_COUNTED]  # kept, shown, not added
    assert a.loc[1500.0, S.TX_COUNTED]
    assert a.loc[600.0, S.TX_COUNTED]
    assert a.loc[400.0, S.TX_COUNTED]


def test_the_aid_type_is_the_transactions_else_the_activitys_default(imported):
    _, side = imported
    tx = side.transactions.set_index([S.COL_PROJECT_ID, S.TX_VALUE])
    got = tx[[S.TX_AID_TYPE, S.TX_AID_TYPE_FROM]].apply(tuple, axis=1).to_dict()
    assert got == {
        ("XM-MR-A", 1500.0): ("C01", "activity"),
        ("XM-MR-A", 1000.0): ("C01", "activity"),
        ("XM-MR-A", 600.0): ("B04", "transaction"),
        ("XM-MR-A", 400.0): ("C01", "activity"),
        ("XM-MR-A", 100.0): ("C01", "activity"),
        ("XM-MR-A", 500.0): ("C01", "activity"),
        ("XM-MR-B", 300.0): ("B03", "activity"),
        ("XM-MR-B", 200.0): ("C01", "transaction"),
    }


def test_money_to_local_actors_through_a_pooled_aid_type_is_routed_pooled(imported):
    df, side = imported
    m = money_summary(df, df, side)
    # A's 400 split by its incoming money: 600 of 2,100 from the B04 fund
    # (pooled), the rest from Donor One (one intermediary); B's 300 is B03
    assert m.routes[C.POOLED] == pytest.approx(400 * 600 / 2100 + 300)
    assert m.routes[C.ONE_INTERMEDIARY] == pytest.approx(400 * 1500 / 2100)
    assert m.routes[C.UNKNOWN_ROUTE] == 0.0
    assert m.routes[C.DIRECT] == 0.0
    chain = C.chains(M.selected_transactions(df, side.transactions))
    assert chain.loc["XM-MR-A", "incoming_usd"] == 2100.0
    assert chain.loc["XM-MR-A", "pooled_usd"] == 600.0


def test_the_aid_type_coverage_is_stated_beside_the_routes(imported):
    df, side = imported
    cov = money_summary(df, df, side).aid_types
    # 8 incoming and outgoing rows, US$4,600; all have an aid type (6 by the
    # activity default), 2 their own (600 + 200); pooled types: 600 + 300
    assert (cov.stated.count, cov.stated.of_count, cov.stated.value) == (8, 8, 1.0)
    assert (cov.own.count, cov.own.usd) == (2, 800.0)
    assert (cov.pooled.count, cov.pooled.usd, cov.pooled.of_usd) == (2, 900.0, 4600.0)


def test_only_a_dac_vocabulary_aid_type_is_read():
    xml = b"""<iati-activities version="2.03"><iati-activity default-currency="USD">
      <iati-identifier>X-1</iati-identifier>
      <reporting-org ref="X"><narrative>X</narrative></reporting-org>
      <title><narrative>T</narrative></title>
      <default-aid-type code="1" vocabulary="2"/>
      <default-aid-type code="b04"/>
      <transaction><transaction-type code="3"/>
        <transaction-date iso-date="2021-01-01"/>
        <value value-date="2021-01-01">5</value>
        <aid-type code="A02" vocabulary="3"/><aid-type code="C01" vocabulary="1"/>
      </transaction>
      <transaction><transaction-type code="3"/>
        <transaction-date iso-date="2021-01-01"/>
        <value value-date="2021-01-01">6</value>
        <aid-type code="A02" vocabulary="3"/>
      </transaction>
    </iati-activity></iati-activities>"""
    [act], _ = parse_file(io.BytesIO(xml), file_name="aid.xml")
    assert act.default_aid_type == "B04"  # no vocabulary: 1 (DAC), upper-cased
    assert [t.aid_type for t in act.transactions] == ["C01", ""]


def test_the_bundled_aid_types_match_the_xml():
    from lxml import etree

    from src.portfolio import paths
    from src.portfolio.load import load_bundled_side_tables

    def dac(elems) -> list[str]:  # noqa: ANN001
        return [e.get("code") for e in elems if (e.get("vocabulary") or "1") == "1"]

    expected = {"transaction": 0, "activity": 0, "": 0}
    pooled_own = 0
    for path in paths.bundled_iati_files():
        for act in etree.parse(str(path)).iter("iati-activity"):
            default = dac(act.findall("default-aid-type"))
            for tx in act.findall("transaction"):
                own = dac(tx.findall("aid-type"))
                expected["transaction" if own else "activity" if default else ""] += 1
                pooled_own += bool(own) and own[0] in {"B03", "B04"}
    tx = load_bundled_side_tables().transactions
    got = tx[S.TX_AID_TYPE_FROM].value_counts().to_dict()
    assert {k: v for k, v in expected.items() if v} == got
    assert expected["transaction"] == pooled_own == 257  # IOM's incoming, all B03


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_project_page_says_which_incoming_row_is_not_added_again(imported, lang):
    from src.i18n import translate
    from src.widgets.project_lists import build_transaction_table

    _, side = imported
    tx = side.transactions[side.transactions[S.COL_PROJECT_ID] == "XM-MR-A"]
    table = build_transaction_table(tx, lang)
    note = translate("tx.counted_once", lang)
    marked = [v for v in table[translate("tx.type", lang)] if note in v]
    assert marked == [f"{translate('tx_type.1', lang)} ({note})"]  # the 1,000 funds
