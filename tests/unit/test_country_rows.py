"""A restricted view's rows (`country_part.country_rows`): a multi-country
project that names the countries of its transactions gets its spent, committed
and incoming money from them, as money over time counts them; every other row,
and every budget, stays the share of the project's totals. Hand-made rows and
transactions, hand-computed figures; the bundled data (no transaction names a
country) recomputed independently from its rows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.activity_tables import transaction_table
from src.portfolio.country_part import country_rows, recomputed_projects
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from tests.conftest import make_rows

AS_OF = date(2021, 6, 1)


def _row(pid: str, iso3: str, share: float, budget: float, spent: float, **more):
    return {
        S.COL_PROJECT_ID: pid,
        S.COL_TITLE: pid,
        S.COL_COUNTRY: iso3,
        S.COL_SECTOR_GROUP: "Health",
        S.COL_START: "2020-01-01",
        S.COL_END: "2022-01-01",
        S.COL_COUNTRY_SHARE: share,
        S.COL_BUDGET: budget,
        S.COL_SPENT: spent,
        **more,
    }


def _tx(pid, kind, usd, country="", *, value=None, currency="USD", counted=True):
    return dict.fromkeys(S.TX_TEXT_COLUMNS, "") | {
        S.COL_PROJECT_ID: pid,
        S.TX_TYPE: kind,
        S.TX_DATE: "2021-03-01",
        S.TX_VALUE: usd if value is None else value,
        S.TX_CURRENCY: currency,
        S.TX_USD: usd,
        S.TX_COUNTED: counted,
        S.TX_COUNTRY: country,
    }


@pytest.fixture
def portfolio() -> pd.DataFrame:
    # M: 50/50 Kenya and Uganda, budget 2,000, spent 500 (the rows 250 each);
    # N: Kenya alone, spent 100, no transaction naming a country
    return make_rows(
        [
            _row("M", "KEN", 0.5, 1000.0, 250.0, **{S.COL_COMMITTED: 500.0}),
            _row("M", "UGA", 0.5, 1000.0, 250.0, **{S.COL_COMMITTED: 500.0}),
            _row("N", "KEN", 1.0, 400.0, 100.0),
        ],
        as_of=AS_OF,
    )


def test_a_transaction_naming_the_country_counts_in_full_one_naming_another_not(
    portfolio,
):
    # M's disbursements: 500 naming Kenya, 0 naming Uganda
    tx = transaction_table([_tx("M", "3", 500.0, "KE"), _tx("M", "3", 0.0, "UG")])
    kenya = country_rows(portfolio, tx, "KEN", as_of=AS_OF).set_index(S.COL_PROJECT_ID)
    uganda = country_rows(portfolio, tx, "UGA", as_of=AS_OF).set_index(S.COL_PROJECT_ID)
    assert kenya.loc["M", S.COL_SPENT] == 500.0
    assert uganda.loc["M", S.COL_SPENT] == 0.0
    # budgets name no country: the share, as before
    assert kenya.loc["M", S.COL_BUDGET] == 1000.0
    # the derived indicators follow the recomputed spend: 500 / 1,000
    assert kenya.loc["M", S.COL_DELIVERY] == pytest.approx(0.5)
    assert uganda.loc["M", S.COL_DELIVERY] == 0.0
    # N names no country on a transaction: its row as it was
    assert kenya.loc["N", S.COL_SPENT] == 100.0
    assert kenya.loc["N", S.COL_DELIVERY] == pytest.approx(0.25)


def test_a_transaction_naming_no_country_counts_at_the_rows_share(portfolio):
    # commitment 1,000 and disbursement 300 naming none, expenditure 80 naming KE
    tx = transaction_table(
        [
            _tx("M", "2", 1000.0),
            _tx("M", "3", 300.0),
            _tx("M", "4", 80.0, "KE"),
            _tx("M", "1", 60.0),  # incoming funds, none named
        ]
    )
    m = country_rows(portfolio, tx, "KEN", as_of=AS_OF).iloc[0]
    assert m[S.COL_PROJECT_ID] == "M"
    assert m[S.COL_SPENT] == pytest.approx(0.5 * 300 + 80)  # 230
    assert m[S.COL_COMMITTED] == pytest.approx(0.5 * 1000)
    assert m[S.COL_INCOMING] == pytest.approx(0.5 * 60)


def test_the_usd_is_the_transactions_own_and_what_no_total_counts_is_left_out(
    portfolio,
):
    tx = transaction_table(
        [
            # 1,000 EUR at the value date's rate: 1,100 US$ (the usd column)
            _tx("M", "3", 1100.0, "KE", value=1000.0, currency="EUR"),
            _tx("M", "3", float("nan"), "KE", value=7.0, currency="XXX"),  # no rate
            _tx("M", "3", 900.0, "KE", counted=False),  # in no total
            _tx("M", "5", 50.0, "KE"),  # interest repayment: no money column
        ]
    )
    m = country_rows(portfolio, tx, "KEN", as_of=AS_OF).iloc[0]
    assert m[S.COL_SPENT] == 1100.0
    assert m[S.COL_COMMITTED] == 0.0


def test_changed_rows_get_labels_of_no_row_of_the_table_the_others_keep_theirs(
    portfolio,
):
    tx = transaction_table([_tx("M", "3", 500.0, "KE")])
    kenya = country_rows(portfolio, tx, "KEN", as_of=AS_OF)
    # M's Kenya row is at position 0, N's at 2: M is new (-1), N is row 2
    assert kenya.index.tolist() == [-1, 2]
    assert kenya[S.COL_PROJECT_ID].tolist() == ["M", "N"]
    assert recomputed_projects(kenya) == 1
    assert list(kenya.columns) == list(portfolio.columns)
    # no side tables (a canonical CSV): the country's rows as they are
    plain = country_rows(portfolio, None, "KEN", as_of=AS_OF)
    assert plain.equals(portfolio[portfolio[S.COL_COUNTRY] == "KEN"])
    assert recomputed_projects(plain) == 0


@pytest.fixture(scope="module")
def bundled():
    df, meta = load_bundled_portfolio()
    return df, meta, load_bundled_side_tables().transactions


def test_bundled_rows_are_unchanged_for_every_country(bundled):
    df, meta, tx = bundled
    assert (tx[S.TX_COUNTRY] != "").sum() == 0  # no transaction names a country
    as_of = date.fromisoformat(meta.as_of)
    for iso3 in ("KEN", "UGA", "HTI", "AFG"):
        expected = df[df[S.COL_COUNTRY] == iso3]
        assert len(expected) > 0
        got = country_rows(df, tx, iso3, as_of=as_of)
        pd.testing.assert_frame_equal(got, expected)
        assert got[S.COL_SPENT].sum() == expected[S.COL_SPENT].sum()
