"""The two tables built beside the portfolio: transactions and project details.

Both are keyed by project (`schema.COL_PROJECT_ID`) and built in the same pass
as the portfolio rows (`build.PortfolioStream(side_tables=True)`), so the
project page and the money-over-time charts read the numbers the KPIs add up.
Column names and the meaning of each detail kind are in `schema`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from src.iati.model import Activity
from src.portfolio import schema as S
from src.portfolio.fx import to_usd

Record = dict[str, object]


@dataclass(frozen=True)
class SideTables:
    """The transactions and details of a portfolio (see `schema`)."""

    transactions: pd.DataFrame
    details: pd.DataFrame

    @classmethod
    def from_records(
        cls, transactions: list[Record], details: list[Record]
    ) -> SideTables:
        """Typed tables from record lists (empty lists give empty tables)."""
        tx = pd.DataFrame(transactions, columns=list(S.TRANSACTION_COLUMNS))
        tx[S.TX_DATE] = pd.to_datetime(tx[S.TX_DATE])
        for col in (S.TX_VALUE, S.TX_USD):
            tx[col] = tx[col].astype(float)
        for col in (S.COL_PROJECT_ID, S.TX_TYPE, S.TX_CURRENCY):
            tx[col] = tx[col].astype(str)
        for col in (S.TX_PROVIDER, S.TX_RECEIVER):
            tx[col] = tx[col].fillna("").astype(str)
        dt = pd.DataFrame(details, columns=list(S.DETAIL_COLUMNS))
        for col in (S.DT_SHARE, S.DT_LAT, S.DT_LON):
            dt[col] = dt[col].astype(float)
        for col in set(S.DETAIL_COLUMNS) - {S.DT_SHARE, S.DT_LAT, S.DT_LON}:
            dt[col] = dt[col].astype(object).fillna("").astype(str)
        return cls(tx, dt)

    def of_project(self, project_id: str) -> SideTables:
        """The rows of one project."""
        return SideTables(
            self.transactions[self.transactions[S.COL_PROJECT_ID] == project_id],
            self.details[self.details[S.COL_PROJECT_ID] == project_id],
        )


def transaction_records(act: Activity, usd: list[float | None]) -> list[Record]:
    """One record per transaction; `usd` from `rows._money_totals` (same order).

    Types the totals do not count (None in `usd`) are converted here, silently:
    they are shown on the project page, never added to a KPI.
    """
    records = []
    for t, value in zip(act.transactions, usd, strict=True):
        if value is None:
            when = t.value.value_date or t.date
            year = when.year if when else None
            conv = to_usd(t.value.amount, t.value.currency, year)
            value = math.nan if conv.usd is None else conv.usd
        records.append(
            {
                S.COL_PROJECT_ID: act.identifier,
                S.TX_TYPE: t.type,
                S.TX_DATE: t.date or t.value.value_date,
                S.TX_VALUE: t.value.amount,
                S.TX_CURRENCY: t.value.currency,
                S.TX_USD: value,
                S.TX_PROVIDER: t.provider,
                S.TX_RECEIVER: t.receiver,
            }
        )
    return records


def detail_records(act: Activity) -> list[Record]:
    """The project page's lists of one activity (kinds in `schema`)."""
    pid = {S.COL_PROJECT_ID: act.identifier}
    out: list[Record] = [
        pid
        | {S.DT_KIND: "org", S.DT_ROLE: p.role, S.DT_NAME: p.name}
        | {S.DT_REF: p.ref, S.DT_CODE: p.type}
        for p in act.participants
    ]
    out += [
        pid
        | {S.DT_KIND: "sector", S.DT_CODE: s.code, S.DT_NAME: s.name}
        | {S.DT_SHARE: math.nan if s.percentage is None else s.percentage}
        for s in act.sectors
    ]
    out += [
        pid
        | {S.DT_KIND: "location", S.DT_NAME: loc.name, S.DT_CODE: loc.exactness}
        | {S.DT_LAT: loc.lat, S.DT_LON: loc.lon}
        for loc in act.locations
    ]
    out += [
        pid
        | {S.DT_KIND: "document", S.DT_NAME: d.title, S.DT_URL: d.url}
        | {S.DT_CODE: d.category, S.DT_ROLE: d.format}
        for d in act.documents
    ]
    out += [
        pid
        | {S.DT_KIND: "result", S.DT_ROLE: i.result_type, S.DT_NAME: i.result_title}
        | {S.DT_TEXT: i.title, S.DT_BASELINE: i.baseline}
        | {S.DT_TARGET: i.target, S.DT_ACTUAL: i.actual}
        | {S.DT_MEASURE: i.measure, S.DT_ASCENDING: i.ascending}
        | {S.DT_BASELINE_YEAR: i.baseline_year, S.DT_PERIOD_END: i.period_end}
        | {S.DT_FROM_COMMENT: i.from_comment}
        for i in act.indicators
    ]
    return out
