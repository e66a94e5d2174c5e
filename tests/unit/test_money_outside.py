"""A user restricted to one country: a chain stops at a link into another
country's activity (`money_chain.chains(outside=)`), and a multi-country
project's flows are the country's part (`country_part`); hand-made inputs."""

from __future__ import annotations

import pandas as pd

from src.portfolio import money_chain as C
from src.portfolio import schema as S
from src.portfolio.country_part import country_part
from src.portfolio.flows import quarterly_flows, undated_usd
from tests.unit.test_money import _linked


def test_the_walk_stops_at_an_activity_outside_the_country():
    # K2 <- K1 <- O1 <- O0: K1 and K2 are the country's, O1 and O0 another's
    every = _linked({"K2": "K1", "K1": "O1", "O1": "O0"})
    walked = C.chains(every, loaded={"O0"})
    assert walked.loc["K1", "hops"] == 2  # O0 (no transactions) <- O1 <- K1
    assert walked.loc["K2", "hops"] == 3
    assert walked.loc["K2", "status"] == C.WALKED
    mine = every[every[S.COL_PROJECT_ID].isin({"K1", "K2"})]
    stopped = C.chains(mine, loaded={"K1", "K2"}, outside=frozenset({"O1", "O0"}))
    assert sorted(stopped.index) == ["K1", "K2"]  # nothing of O1 is walked
    assert (stopped.loc["K1", "hops"], stopped.loc["K1", "status"]) == (1, C.OUTSIDE)
    assert (stopped.loc["K2", "hops"], stopped.loc["K2", "status"]) == (2, C.OUTSIDE)


def test_the_provider_of_money_from_outside_is_anonymous_the_amount_stays():
    every = _linked({"K1": "O1", "K2": ""})
    every[S.TX_PROVIDER_NAME] = ["Secret office", "Known donor"]
    hidden = C.hide_outside(every, frozenset({"O1"}))
    assert list(hidden[S.TX_PROVIDER_NAME]) == [C.OUTSIDE_FUNDER, "Known donor"]
    assert list(hidden[S.TX_USD]) == [1.0, 1.0]
    assert list(every[S.TX_PROVIDER_NAME]) == ["Secret office", "Known donor"]


def test_a_restricted_views_flows_count_named_transactions_in_full_or_not_at_all():
    rows = pd.DataFrame(
        {
            S.COL_PROJECT_ID: ["M"],
            S.COL_COUNTRY_ISO2: ["KE"],
            S.COL_COUNTRY_SHARE: [0.25],
        }
    )
    tx = pd.DataFrame(
        {
            S.COL_PROJECT_ID: ["M"] * 5,
            S.TX_TYPE: ["2", "3", "3", "3", "3"],
            S.TX_USD: [8000.0, 400.0, 200.0, 600.0, 40.0],
            S.TX_DATE: pd.to_datetime(
                ["2021-01-15", "2021-04-10", "2021-04-20", "2021-07-05", None]
            ),
            S.TX_COUNTRY: ["", "", "KE", "UG", ""],
        }
    )
    part = quarterly_flows(rows, tx, by_country=True)
    assert [
        (q, t, u)
        for q, t, u in zip(
            part["quarter"], part[S.TX_TYPE], part[S.TX_USD], strict=True
        )
    ] == [
        ("2021-Q1", "2", 2000.0),
        ("2021-Q2", "3", 300.0),  # 400 x 25 % + 200
    ]
    assert undated_usd(rows, tx, by_country=True) == 10.0
    shares = quarterly_flows(rows, tx)  # not restricted: 25 % of each
    assert list(shares[S.TX_USD]) == [2000.0, 150.0, 150.0]
    assert country_part(rows, tx).__dict__ == {
        "projects": 1,
        "named": 1,
        "elsewhere": 1,
        "unnamed": 3,
    }
