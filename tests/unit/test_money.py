"""Follow the money on a hand-made IATI file: every figure computed by hand.

The file: a donor government (DON) funds a pooled fund (POOL) and a UN agency
(AGY), and a local NGO directly; the pooled fund passes money to a national
NGO (LNGO) and an international NGO; AGY gives to a government; LNGO spends;
a fifth publisher (UNI) repeats its incoming funds as commitments. AGY also
publishes money it received as an outgoing commitment to itself.

Chains (provider-activity-id): DON-1 -> POOL-1 -> LNGO-1 (2 hops to LNGO-1, 3
to LNGO's supplier), DON-1 -> AGY-1 (1 hop); UNI-1's incoming names no id (link
not published) and one id not in the file.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from src.iati.parser import parse_file
from src.portfolio import money as M
from src.portfolio import money_chain as C
from src.portfolio import money_fixes as F
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.build import PortfolioStream
from src.portfolio.money_summary import money_summary
from src.portfolio.quality import correction_counts, quality_report


def _tx(kind: str, usd: int, extra: str = "", date: str = "2021-03-01") -> str:
    return (
        f'<transaction><transaction-type code="{kind}"/>'
        f'<transaction-date iso-date="{date}"/>'
        f'<value currency="USD" value-date="{date}">{usd}</value>{extra}'
        "</transaction>"
    )


def _org(tag: str, ref: str = "", name: str = "", kind: str = "", act: str = ""):
    attrs = f' ref="{ref}"' if ref else ""
    attrs += f' type="{kind}"' if kind else ""
    attrs += f' {tag}-activity-id="{act}"' if act else ""
    text = f"<narrative>{name}</narrative>" if name else ""
    return f"<{tag}-org{attrs}>{text}</{tag}-org>"


def _activity(ident, ref, name, kind, budget, body, humanitarian=False, impl=""):
    hum = ' humanitarian="1"' if humanitarian else ""
    return f"""
 <iati-activity default-currency="USD" last-updated-datetime="2021-05-01"{hum}>
  <iati-identifier>{ident}</iati-identifier>
  <reporting-org ref="{ref}" type="{kind}"><narrative>{name}</narrative></reporting-org>
  <title><narrative>{ident}</narrative></title>
  {impl}
  <recipient-country code="KE"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <activity-date type="3" iso-date="2022-12-31"/>
  <budget><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
   <value value-date="2021-01-01">{budget}</value></budget>
  {body}
 </iati-activity>"""


def _impl(ref: str, kind: str, name: str) -> str:
    return (
        f'<participating-org role="4" ref="{ref}" type="{kind}">'
        f"<narrative>{name}</narrative></participating-org>"
    )


P = "provider"
R = "receiver"
ACTIVITIES = [
    _activity(
        "DON-1",
        "DON",
        "Donor Government",
        "10",
        1600,
        _tx("3", 1000, _org(R, "XM-OCHA-CBPF-KEN", "Kenya Pooled Fund", "40", "POOL-1"))
        + _tx("3", 500, _org(R, "AGY", "Agency", "40", "AGY-1"))
        + _tx("3", 100, _org(R, "LNGO2", "Local Group", "24")),
        impl=_impl("XM-OCHA-CBPF-KEN", "40", "Kenya Pooled Fund"),
    ),
    _activity(
        "POOL-1",
        "XM-OCHA-CBPF-KEN",
        "Kenya Pooled Fund",
        "40",
        1000,
        _tx("1", 1000, _org(P, "DON", "Donor Government", "10", "DON-1"))
        + _tx("3", 600, _org(R, "LNGO", "National NGO", "22", "LNGO-1"))
        + _tx("3", 400, _org(R, "INGO", "Intl NGO", "21")),
        humanitarian=True,
        impl=_impl("LNGO", "22", "National NGO") + _impl("INGO", "21", "Intl NGO"),
    ),
    _activity(
        "AGY-1",
        "AGY",
        "Agency",
        "40",
        500,
        _tx("1", 500, _org(P, "DON", "Donor Government", "10", "DON-1"))
        + _tx(
            "2",
            500,
            _org(P, "DON", "Donor Government") + _org(R, "AGY", "Agency"),
            date="2021-04-01",  # not the incoming row's date: no duplicate
        )
        + _tx("3", 200, _org(R, "GOV", "Ministry of Health", "10"))
        + _tx("4", 250),
        impl=_impl("AGY", "40", "Agency"),
    ),
    _activity(
        "LNGO-1",
        "LNGO",
        "National NGO",
        "22",
        600,
        _tx("1", 600, _org(P, "XM-OCHA-CBPF-KEN", "Kenya Pooled Fund", "40", "POOL-1"))
        + _tx("4", 600, _org(R, name="Local supplier")),
        humanitarian=True,
        impl=_impl("LNGO", "22", "National NGO"),
    ),
    _activity(
        "UNI-1",
        "UNI",
        "Uni Agency",
        "40",
        500,
        _tx("1", 300, _org(P, name="Donor Z"))
        + _tx("2", 300, _org(P, name="Donor Z"))
        + _tx("1", 200, _org(P, "OD", "Other donor", "10", "MISSING-1"))
        + _tx("3", 100, _org(R, name="Partner"))
        + _tx("3", 50, _org(R, "GH", "Ghost NGO", "21", "GHOST-9")),
    ),
]
XML = (
    '<?xml version="1.0"?>\n<iati-activities version="2.03">'
    + "".join(ACTIVITIES)
    + "\n</iati-activities>"
).encode()


@pytest.fixture(scope="module")
def built():
    acts, report = parse_file(io.BytesIO(XML), file_name="money.xml")
    assert not report.problems
    stream = PortfolioStream(side_tables=True)
    for act in acts:
        stream.add(act)
    df, build_report, _ = stream.finish()
    return df, stream.side_tables(), build_report


@pytest.fixture(scope="module")
def tx(built):
    df, side, _ = built
    return M.selected_transactions(df, side.transactions)


def test_the_transactions_table_keeps_both_parties_as_published(built):
    _, side, _ = built
    t = side.transactions
    row = t[(t[S.COL_PROJECT_ID] == "POOL-1") & (t[S.TX_TYPE] == "1")].iloc[0]
    assert (row[S.TX_PROVIDER_REF], row[S.TX_PROVIDER_TYPE]) == ("DON", "10")
    assert row[S.TX_PROVIDER_ACTIVITY] == "DON-1"
    assert row[S.TX_PROVIDER_NAME] == "Donor Government"
    out = t[(t[S.COL_PROJECT_ID] == "DON-1")].iloc[0]
    assert (out[S.TX_RECEIVER_TYPE], out[S.TX_RECEIVER_ACTIVITY]) == ("40", "POOL-1")


def test_money_received_as_a_commitment_to_oneself_counts_as_incoming(built):
    df, side, problems = built
    t = side.transactions
    agy = t[t[S.COL_PROJECT_ID] == "AGY-1"]
    fixed = agy[agy[S.TX_REPORTED_TYPE] == "2"].iloc[0]
    assert (fixed[S.TX_TYPE], fixed[S.TX_CORRECTION]) == ("11", "self_receiver")
    row = df[df[S.COL_PROJECT_ID] == "AGY-1"].iloc[0]
    assert row[S.COL_COMMITTED] == 0.0
    # the 500 committed and the 500 received from DON are the same money: counted
    # once (a tie: the funds row counts, the commitment is kept but not counted)
    assert row[S.COL_INCOMING] == 500.0
    assert not bool(fixed[S.TX_COUNTED])
    funds = agy[agy[S.TX_TYPE] == "1"].iloc[0]
    assert bool(funds[S.TX_COUNTED])


def test_a_commitment_repeating_incoming_funds_is_in_no_total(built):
    df, side, problems = built
    t = side.transactions
    uni = t[t[S.COL_PROJECT_ID] == "UNI-1"]
    dup = uni[uni[S.TX_REPORTED_TYPE] == "2"].iloc[0]
    assert (dup[S.TX_TYPE], dup[S.TX_CORRECTION]) == ("", "duplicate")
    row = df[df[S.COL_PROJECT_ID] == "UNI-1"].iloc[0]
    assert (row[S.COL_COMMITTED], row[S.COL_INCOMING]) == (0.0, 500.0)


def test_each_correction_is_counted_in_the_quality_report(built):
    df, _, problems = built
    checks = {c.key: c for c in quality_report(df, problems.problems)}
    assert checks["commitment_received"].ids == ("AGY-1",)
    assert checks["commitment_duplicate"].ids == ("UNI-1",)
    table = correction_counts(df, problems.problems)
    assert table.values.tolist() == [
        ["Agency", "commitment_received", 1, 500.0],
        ["Uni Agency", "commitment_duplicate", 1, 300.0],
    ]


def test_receiver_categories_follow_the_organisation_type_codes():
    assert [M.receiver_category(c) for c in ("10", "11", "22", "24", "72")] == [
        "national_government",
        "national_government",
        "local_ngo",
        "local_ngo",
        "local_private",
    ]
    assert [M.receiver_category(c) for c in ("21", "23", "40", "70", "80", "x")] == [
        "international_ngo",
        "international_ngo",
        "multilateral",
        "private",
        "other",
        "not_stated",
    ]


def test_localisation_is_a_lower_bound_and_a_share_of_typed_receivers(tx):
    # outgoing: DON 1000+500+100, POOL 600+400, AGY 200+250, LNGO 600, UNI 100+50
    # to local actors: LNGO2 100 (24), LNGO 600 (22), GOV 200 (10) = 900
    # typed receivers: DON 1600, POOL 1000, AGY 200, UNI 50 = 2850 (7 of 10)
    loc = M.localisation(tx)
    assert (loc.verified.usd, loc.verified.of_usd) == (900.0, 3800.0)
    assert loc.verified.value == pytest.approx(900 / 3800)
    assert (loc.verified.count, loc.verified.of_count) == (3, 10)
    assert loc.among_typed.value == pytest.approx(900 / 2850)
    assert (loc.typed.usd, loc.typed.count, loc.typed.of_count) == (2850.0, 7, 10)


def test_humanitarian_localisation_is_measured_on_humanitarian_activities(tx):
    hum = M.localisation(tx[tx[S.COL_HUMANITARIAN]])  # POOL-1 and LNGO-1
    assert hum.verified.value == pytest.approx(600 / 1600)
    assert hum.among_typed.value == pytest.approx(600 / 1000)


def test_nothing_typed_reads_not_published_not_zero(tx):
    loc = M.localisation(tx[tx[S.COL_PROJECT_ID] == "LNGO-1"])
    assert loc.verified.value is None
    assert loc.among_typed.value is None
    assert loc.verified.of_usd == 600.0
    assert M.localisation(tx.iloc[0:0]).typed.value is None


def test_local_money_splits_into_direct_pooled_and_one_intermediary(built, tx):
    df, side, _ = built
    chain = C.chains(M.selected_transactions(df, side.transactions))
    routes = C.routes(tx, chain)
    assert routes == {
        "direct": 100.0,  # the donor government to the local group
        "pooled": 600.0,  # the pooled fund to the national NGO
        "one_intermediary": 200.0,  # donor -> agency -> ministry
        "several_intermediaries": 0.0,
        "not_determinable": 0.0,
    }


def test_chains_are_walked_where_the_ids_link_loaded_activities(built, tx):
    df, side, _ = built
    chain = C.chains(M.selected_transactions(df, side.transactions))
    assert chain.loc["DON-1", "hops"] == 0
    assert chain.loc["DON-1", "status"] == C.ORIGIN
    assert (chain.loc["POOL-1", "hops"], chain.loc["POOL-1", "status"]) == (1, "walked")
    assert (chain.loc["LNGO-1", "hops"], chain.loc["LNGO-1", "status"]) == (2, "walked")
    assert chain.loc["AGY-1", "status"] == C.NOT_PUBLISHED  # the self commitment
    assert chain.loc["UNI-1", "status"] == C.NOT_PUBLISHED
    hops = C.hop_counts(tx, chain)
    three = hops[hops["hops"] == 3]
    assert three[["transactions", "usd"]].values.tolist() == [[1, 600.0]]


def test_traceability_counts_ids_up_and_down(tx):
    # incoming: POOL 1000 (id), AGY 500 (id) + 500 received (none), LNGO 600 (id),
    # UNI 300 (none) + 200 (id not loaded); the duplicate is not counted
    tr = M.traceability(tx, {"DON-1", "POOL-1", "AGY-1", "LNGO-1", "UNI-1"})
    assert (tr.up.count, tr.up.of_count) == (4, 6)
    assert (tr.up.usd, tr.up.of_usd) == (2300.0, 3100.0)
    assert (tr.up_linked.count, tr.up_linked.usd) == (3, 2100.0)
    # outgoing with a receiver-activity-id: 1000, 500, 600, 50 (GHOST-9 unknown)
    assert (tr.down.count, tr.down.usd, tr.down.of_usd) == (4, 2150.0, 3800.0)
    assert (tr.down_linked.count, tr.down_linked.usd) == (3, 2100.0)


def test_pass_through_is_disbursed_over_outgoing(tx):
    share = M.pass_through(tx)
    assert (share.usd, share.of_usd) == (2950.0, 3800.0)


def test_self_and_national_implementation_by_budget(built):
    df, side, _ = built
    imp = M.implementation(df, side.details)
    # implementers named on DON-1, POOL-1, AGY-1, LNGO-1 (budget 3700 of 4200)
    assert (imp.named.usd, imp.named.of_usd, imp.named.count) == (3700.0, 4200.0, 4)
    assert (imp.self_share.usd, imp.self_share.count) == (1100.0, 2)  # AGY, LNGO
    assert (imp.national_share.usd, imp.national_share.count) == (1600.0, 2)


def test_the_flow_table_splits_outgoing_money_over_the_funders(tx):
    flows = C.flow_table(tx)
    uni = flows[flows["intermediary"] == "Uni Agency"]
    # UNI's 150 outgoing split 300:200 between Donor Z and Other donor
    by_funder = uni.groupby("funder")["usd"].sum().to_dict()
    assert by_funder == pytest.approx({"Donor Z": 90.0, "Other donor": 60.0})
    don = flows[flows["intermediary"] == "Donor Government"]
    assert set(don["funder"]) == {""}  # no incoming published
    assert flows["usd"].sum() == pytest.approx(3800.0)


def test_fix_list_rows_say_what_each_publisher_misses(built, tx):
    df, side, _ = built
    table = F.fix_list(F.money_fixes(tx), F.implementer_fixes(df, side.details))
    assert list(table.columns) == list(F.FIX_COLUMNS)
    got = {(r.publisher, r.indicator): (r.missing, r.total) for r in table.itertuples()}
    assert got[("Agency", "receiver organisation")] == (1, 2)  # the expenditure
    assert got[("Agency", "money received published as outgoing")] == (1, 1)
    assert got[("Uni Agency", "commitments repeating incoming funds")] == (1, 1)
    assert got[("Uni Agency", "receiver organisation type")] == (1, 2)
    assert got[("Uni Agency", "provider activity id")] == (1, 2)
    assert got[("Uni Agency", "implementing organisation")] == (1, 1)
    assert got[("National NGO", "receiver organisation type")] == (1, 1)
    assert ("Donor Government", "receiver organisation") not in got
    assert (table["missing"] > 0).all()


def test_the_summary_is_plain_json_with_null_for_not_published(built):
    import json

    df, side, _ = built
    lngo = df[df[S.COL_PROJECT_ID] == "LNGO-1"]
    data = money_summary(lngo, df, side).to_json()
    json.dumps(data, allow_nan=False)
    assert data["localisation"]["verified"]["value"] is None
    assert data["pass_through"]["value"] == 0.0


def test_an_empty_selection_publishes_nothing(built):
    df, side, _ = built
    summary = money_summary(
        df.iloc[0:0], df, SideTables(side.transactions, side.details)
    )
    assert summary.localisation.verified.value is None
    assert summary.traceability.up.value is None
    assert summary.fixes.empty


def _linked(links: dict[str, str]) -> pd.DataFrame:
    """A selected-transactions frame: each activity received 1 USD via a link."""
    ids = sorted(set(links) | set(links.values()))
    rows = pd.DataFrame(
        {
            S.COL_PROJECT_ID: ids,
            S.COL_COUNTRY_SHARE: 1.0,
            S.COL_AGENCY: ids,
            S.COL_AGENCY_REF: ids,
            S.COL_AGENCY_TYPE: "40",
            S.COL_HUMANITARIAN: False,
        }
    )
    tx = pd.DataFrame(
        [
            dict.fromkeys(S.TRANSACTION_COLUMNS, "")
            | {S.COL_PROJECT_ID: pid, S.TX_TYPE: "1", S.TX_USD: 1.0}
            | {S.TX_COUNTED: True}
            | {S.TX_PROVIDER_ACTIVITY: parent}
            for pid, parent in links.items()
        ]
    )
    return M.selected_transactions(rows, tx)


def test_a_cycle_of_links_ends_the_walk_instead_of_looping():
    chain = C.chains(_linked({"X": "Y", "Y": "X"}))
    assert set(chain["hops"]) <= {1, 2}
    assert set(chain["status"]) <= {C.WALKED}


def test_a_chain_deeper_than_the_recursion_limit_is_walked_to_its_end():
    n = 3000
    links = {f"A{i}": f"A{i - 1}" for i in range(n - 1, 0, -1)}  # deepest first
    chain = C.chains(_linked(links), loaded={"A0"})  # A0: loaded, no transactions
    assert chain.loc[f"A{n - 1}", "hops"] == n - 1
    assert chain.loc["A1", "hops"] == 1
    assert set(chain["status"]) == {C.WALKED}
