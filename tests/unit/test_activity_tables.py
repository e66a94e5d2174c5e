"""The project page's fields: parser extractors and the two side tables."""

from __future__ import annotations

import io

import pytest

from src.iati.parser import parse_file
from src.portfolio import schema as S
from src.portfolio.build import PortfolioStream
from src.portfolio.flows import quarterly_flows
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables

XML = b"""<?xml version="1.0"?>
<iati-activities version="2.03">
 <iati-activity default-currency="EUR" last-updated-datetime="2021-05-01T00:00:00">
  <iati-identifier>XX-1</iati-identifier>
  <reporting-org ref="XX" type="40"><narrative>Org X</narrative></reporting-org>
  <title><narrative>Clinics</narrative></title>
  <description type="2"><narrative>Objectives first</narrative></description>
  <description><narrative>General one</narrative></description>
  <description type="1"><narrative>General two</narrative></description>
  <participating-org role="1" ref="F1"><narrative>Funder</narrative></participating-org>
  <participating-org role="2"><narrative>Accountable</narrative></participating-org>
  <participating-org role="4" type="21"><narrative>NGO</narrative></participating-org>
  <recipient-country code="KE" percentage="75"/>
  <recipient-country code="UG" percentage="25"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <activity-date type="3" iso-date="2022-12-31"/>
  <budget><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
   <value value-date="2021-01-01">1000</value></budget>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2020-02-10"/>
   <value value-date="2020-02-10">800</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-05-01"/>
   <value value-date="2020-05-01">100</value>
   <provider-org><narrative>Funder</narrative></provider-org>
   <receiver-org ref="R9"/></transaction>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2021-03-31"/>
   <value currency="USD" value-date="2021-03-31">50</value></transaction>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2021-04-01"/>
   <value currency="XYZ" value-date="2021-04-01">7</value></transaction>
  <document-link url="https://example.org/a.pdf" format="application/pdf">
   <title><narrative>Plan</narrative></title><category code="A02"/></document-link>
  <document-link><title><narrative>No URL</narrative></title></document-link>
  <result type="1"><title><narrative>Clinics built</narrative></title>
   <indicator measure="1"><title><narrative>Clinics</narrative></title>
    <baseline year="2020" value="0"/>
    <period><target value="5"/><actual value="2"/></period>
    <period><target value="10"/></period>
   </indicator></result>
 </iati-activity>
</iati-activities>"""


@pytest.fixture
def built():
    acts, _ = parse_file(io.BytesIO(XML), file_name="x.xml")
    stream = PortfolioStream(side_tables=True)
    for act in acts:
        stream.add(act)
    df, _, _ = stream.finish()
    return acts[0], df, stream.side_tables()


def test_the_general_descriptions_are_kept_before_other_types(built):
    act, df, _ = built
    assert act.description == "General one\n\nGeneral two"
    assert set(df[S.COL_DESCRIPTION]) == {"General one\n\nGeneral two"}


def test_every_participating_org_keeps_its_role(built):
    _, _, side = built
    orgs = side.details[side.details[S.DT_KIND] == "org"]
    assert list(zip(orgs[S.DT_ROLE], orgs[S.DT_NAME], strict=True)) == [
        ("1", "Funder"),
        ("2", "Accountable"),
        ("4", "NGO"),
    ]


def test_documents_need_a_url_and_results_pair_target_and_actual_by_period(built):
    _, _, side = built
    docs = side.details[side.details[S.DT_KIND] == "document"]
    assert docs[S.DT_URL].tolist() == ["https://example.org/a.pdf"]
    res = side.details[side.details[S.DT_KIND] == "result"].iloc[0]
    # the actual (2) is the first period's: its target is 5, not the later 10
    assert (res[S.DT_BASELINE], res[S.DT_TARGET], res[S.DT_ACTUAL]) == ("0", "5", "2")
    assert (res[S.DT_MEASURE], res[S.DT_BASELINE_YEAR]) == ("1", "2020")


def test_transactions_carry_usd_and_unknown_rates_stay_unknown(built):
    _, df, side = built
    tx = side.transactions
    assert tx[S.TX_TYPE].tolist() == ["2", "3", "4", "4"]
    assert tx[S.TX_PROVIDER].tolist()[1] == "Funder"
    assert tx[S.TX_RECEIVER].tolist()[1] == "R9"
    assert tx[S.TX_USD].iloc[2] == 50.0
    assert tx[S.TX_USD].isna().tolist() == [False, False, False, True]
    spend = tx[tx[S.TX_TYPE].isin(["3", "4"])][S.TX_USD].sum()
    assert df[S.COL_SPENT].sum() == pytest.approx(spend)


def test_a_country_takes_its_share_of_each_quarter(built):
    _, df, side = built
    uganda = df[df[S.COL_COUNTRY] == "UGA"]
    flows = quarterly_flows(uganda, side.transactions)
    assert flows["quarter"].tolist() == ["2020-Q1", "2020-Q2", "2021-Q1"]
    usd = side.transactions[S.TX_USD]
    assert flows[S.TX_USD].tolist() == pytest.approx(
        [0.25 * usd.iloc[0], 0.25 * usd.iloc[1], 0.25 * 50.0]
    )


def test_a_stream_without_side_tables_refuses_to_give_them():
    with pytest.raises(ValueError, match="side tables"):
        PortfolioStream().side_tables()


def test_bundled_transactions_add_up_to_the_portfolio_money():
    df, _ = load_bundled_portfolio()
    tx = load_bundled_side_tables().transactions
    assert tx[S.COL_PROJECT_ID].isin(df[S.COL_PROJECT_ID]).all()
    spend = tx[tx[S.TX_TYPE].isin(["3", "4"])][S.TX_USD].sum()
    commit = tx[tx[S.TX_TYPE] == "2"][S.TX_USD].sum()
    assert spend == pytest.approx(df[S.COL_SPENT].sum(), rel=1e-12)
    assert commit == pytest.approx(df[S.COL_COMMITTED].sum(), rel=1e-12)
    flows = quarterly_flows(df, tx)
    in_quarters = flows[flows[S.TX_TYPE].isin(["3", "4"])][S.TX_USD].sum()
    assert in_quarters == pytest.approx(1_638_525_931.17, abs=0.01)
