"""Activities naming their recipient countries only on their transactions: the
country split derived from the transactions' value (a hand-made fixture with
hand-computed shares), and the bundled portfolio unchanged by it (recomputed
from the raw XML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # trusted bundled files only, for expectations

import pytest

from src.iati.parser import parse_file
from src.portfolio import schema as S
from src.portfolio.build import PortfolioStream
from src.portfolio.country_part import country_part, transaction_weights
from src.portfolio.filters import FilterSpec
from src.portfolio.load import build_from_files
from src.portfolio.paths import bundled_iati_files
from tests.conftest import ROOT

FIXTURE = ROOT / "tests/fixtures/iati/transaction_countries.xml"
KEY = "build.countries_from_transactions"


@pytest.fixture(scope="module")
def built():
    acts, _ = parse_file(FIXTURE)
    stream = PortfolioStream(side_tables=True)
    for act in acts:
        stream.add(act)
    df, report, _ = stream.finish()
    return df, report, stream.side_tables().transactions


def _rows(df, pid):
    mine = df[df[S.COL_PROJECT_ID] == pid]
    return mine.set_index(S.COL_COUNTRY)


def test_countries_named_per_transaction_get_rows_at_their_share_of_the_value(built):
    df, _, _ = built
    a = _rows(df, "XM-TC-A")
    # counted: commitment 600 + disbursement 200 (Kenya), disbursement 200
    # (Uganda); the interest payment naming Tanzania is in no total
    assert sorted(a.index) == ["KEN", "UGA"]
    assert a.loc["KEN", S.COL_COUNTRY_SHARE] == pytest.approx(0.8)
    assert a.loc["UGA", S.COL_COUNTRY_SHARE] == pytest.approx(0.2)
    assert a.loc["KEN", S.COL_BUDGET] == pytest.approx(800)
    assert a.loc["UGA", S.COL_BUDGET] == pytest.approx(200)
    # the row's money is its share of the activity's totals, as for percentages
    assert a.loc["KEN", S.COL_SPENT] == pytest.approx(0.8 * 400)
    assert a.loc["UGA", S.COL_COMMITTED] == pytest.approx(0.2 * 600)
    assert a.loc["UGA", S.COL_COUNTRY_ISO2] == "UG"
    z = _rows(df, "XM-TC-Z")
    assert z[S.COL_COUNTRY_SHARE].to_dict() == {"KEN": 0.5, "UGA": 0.5}
    assert z[S.COL_BUDGET].to_dict() == {"KEN": 250.0, "UGA": 250.0}


def test_regional_and_activity_level_countries_are_as_before(built):
    df, _, _ = built
    n = _rows(df, "XM-TC-N")
    assert list(n.index) == [""]
    assert n[S.COL_COUNTRY_SHARE].tolist() == [1.0]
    b = _rows(df, "XM-TC-B")  # both levels: the activity's own wins
    assert list(b.index) == ["KEN"]
    assert b[S.COL_COUNTRY_SHARE].tolist() == [1.0]


def test_the_derived_split_is_labelled_in_the_build_report(built):
    _, report, _ = built
    derived = {
        p.item: (p.key, dict(p.params))
        for p in report.problems
        if p.key.startswith(KEY) and p.field == "transaction/recipient-country"
    }
    assert derived == {
        "XM-TC-A": (KEY, {"shares": "KE 80.0%, UG 20.0%"}),
        "XM-TC-Z": (KEY + "_equal", {"shares": "KE 50.0%, UG 50.0%"}),
    }


def test_every_project_counts_once_and_the_totals_stay(built):
    df, _, _ = built
    shares = df.groupby(S.COL_PROJECT_ID)[S.COL_COUNTRY_SHARE].sum()
    assert shares.to_dict() == pytest.approx(
        {"XM-TC-A": 1.0, "XM-TC-Z": 1.0, "XM-TC-N": 1.0, "XM-TC-B": 1.0}
    )
    budgets = df.groupby(S.COL_PROJECT_ID)[S.COL_BUDGET].sum()
    assert budgets.to_dict() == pytest.approx(
        {"XM-TC-A": 1000, "XM-TC-Z": 500, "XM-TC-N": 300, "XM-TC-B": 700}
    )


def test_the_derived_countries_reach_the_country_filter_and_a_restricted_view(built):
    df, _, tx = built
    uganda = FilterSpec(countries=("UGA",)).apply(df)
    assert sorted(uganda[S.COL_PROJECT_ID]) == ["XM-TC-A", "XM-TC-Z"]
    kenya = FilterSpec(countries=("KEN",)).apply(df)
    mine = kenya[kenya[S.COL_PROJECT_ID] == "XM-TC-A"]
    weights = transaction_weights(mine, tx, by_country=True)
    a = tx.loc[weights.index]
    # Kenya's part: its own transactions in full, Uganda's and Tanzania's not
    assert dict(zip(a[S.TX_COUNTRY], weights, strict=True)) == {
        "KE": 1.0,
        "UG": 0.0,
        "TZ": 0.0,
    }
    part = country_part(mine, tx)
    assert (part.projects, part.named, part.elsewhere, part.unnamed) == (1, 2, 2, 0)


def _independent_country_rows() -> tuple[int, int, int]:
    """(activities, rows, activities naming countries only per transaction) from XML."""
    activities = rows = per_transaction = 0
    for path in bundled_iati_files():
        for act in ET.parse(path).getroot().iter("iati-activity"):
            activities += 1
            own = act.findall("recipient-country")
            named = {
                c.get("code")
                for t in act.findall("transaction")
                for c in t.findall("recipient-country")
            }
            if not own and named:
                per_transaction += 1
            rows += max(1, len(own) or len(named))
    return activities, rows, per_transaction


def test_the_bundled_portfolio_is_unchanged_every_project_once_at_100_percent():
    activities, rows, per_transaction = _independent_country_rows()
    assert per_transaction == 0  # measured: no bundled file publishes that way
    df, _, _, report = build_from_files(bundled_iati_files())  # no cache
    assert df[S.COL_PROJECT_ID].nunique() == activities == 1029
    assert len(df) == rows
    shares = df.groupby(S.COL_PROJECT_ID)[S.COL_COUNTRY_SHARE].sum()
    assert shares.min() == pytest.approx(1.0)
    assert shares.max() == pytest.approx(1.0)
    assert not [p for p in report.problems if p.key.startswith(KEY)]
