"""Money over time: commitments, disbursements and expenditure per quarter.

Read from the transactions table (`activity_tables`), in USD at the value
date's rate. Each portfolio row takes its country share of its project's
transactions, so the quarters of a selection add up to the selection's
`committed_usd` and `spent_usd` (disbursements + expenditure).
"""

from __future__ import annotations

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.country_part import transaction_weights

QUARTER = "quarter"  # "2021-Q1"
QUARTER_START = "quarter_start"  # first day of the quarter (Timestamp)
FLOW_COLUMNS: tuple[str, ...] = (QUARTER, QUARTER_START, S.TX_TYPE, S.TX_USD)


def quarterly_flows(
    rows: pd.DataFrame, transactions: pd.DataFrame, *, by_country: bool = False
) -> pd.DataFrame:
    """USD per quarter and flow type for the projects of `rows`, by country share.

    Args:
        rows: portfolio rows (a selection); a project's shares of its rows add.
        transactions: the transactions table.
        by_country: a view restricted to one country: a transaction naming
            a recipient country counts in full for it, not at all for another
            (`country_part.transaction_weights`).

    Returns:
        Columns `FLOW_COLUMNS`, one row per (quarter, flow type) with money,
        sorted by quarter then type (`schema.FLOW_TYPES` order). Undated and
        unconverted transactions are left out (`undated_usd` counts the first).

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"project_id": ["A", "A"], "country_share": [0.5, 0.25]})
    >>> tx = pd.DataFrame({"project_id": ["A", "A", "B"],
    ...     "transaction_type": ["3", "4", "3"], "usd": [100.0, 40.0, 7.0],
    ...     "transaction_date": pd.to_datetime(["2021-01-05", "2021-02-01",
    ...                                         "2021-01-01"])})
    >>> quarterly_flows(rows, tx)[["quarter", "transaction_type", "usd"]]
       quarter transaction_type   usd
    0  2021-Q1                3  75.0
    1  2021-Q1                4  30.0
    """
    tx = _flows(rows, transactions, by_country)
    tx = tx[tx[S.TX_DATE].notna() & tx[S.TX_USD].notna()]
    if tx.empty:
        return pd.DataFrame({c: [] for c in FLOW_COLUMNS})
    period = tx[S.TX_DATE].dt.to_period("Q")
    grouped = (
        tx.assign(_period=period)
        .groupby(["_period", S.TX_TYPE], observed=True)[S.TX_USD]
        .sum()
        .reset_index()
    )
    grouped[QUARTER] = grouped["_period"].map(lambda p: f"{p.year}-Q{p.quarter}")
    grouped[QUARTER_START] = grouped["_period"].dt.start_time
    rank = {t: i for i, t in enumerate(S.FLOW_TYPES)}
    grouped = grouped.assign(_rank=grouped[S.TX_TYPE].map(rank))
    grouped = grouped.sort_values(["_period", "_rank"])
    return grouped[list(FLOW_COLUMNS)].reset_index(drop=True)


def undated_usd(
    rows: pd.DataFrame, transactions: pd.DataFrame, *, by_country: bool = False
) -> float:
    """USD of the rows' flow transactions that carry no date (not in a quarter)."""
    tx = _flows(rows, transactions, by_country)
    return float(tx.loc[tx[S.TX_DATE].isna(), S.TX_USD].sum())


def _flows(
    rows: pd.DataFrame, transactions: pd.DataFrame, by_country: bool = False
) -> pd.DataFrame:
    """The rows' commitment/disbursement/expenditure transactions, share-weighted."""
    keep = transactions[S.TX_TYPE].isin(S.FLOW_TYPES) & transactions[
        S.COL_PROJECT_ID
    ].isin(rows[S.COL_PROJECT_ID])
    tx = transactions.loc[keep, [S.COL_PROJECT_ID, S.TX_TYPE, S.TX_DATE, S.TX_USD]]
    weight = transaction_weights(rows, transactions.loc[keep], by_country=by_country)
    tx = tx.assign(**{S.TX_USD: tx[S.TX_USD] * weight.to_numpy()})
    return tx[weight.to_numpy() > 0] if by_country else tx  # not another's
