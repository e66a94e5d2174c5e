"""The tables built beside the portfolio: transactions, details and budgets.

All are keyed by project (`schema.COL_PROJECT_ID`) and built in the same pass
as the portfolio rows (`build.PortfolioStream(side_tables=True)`), so the
project page and the money-over-time charts read the numbers the KPIs add up.
Column names and the meaning of each detail kind are in `schema`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from src.iati.model import Activity, Money, OrgRef
from src.portfolio import schema as S
from src.portfolio.corrections import counted_types
from src.portfolio.fx import to_usd
from src.portfolio.rows import effective_budgets

Record = dict[str, object]


def budget_table(records: list[Record] | pd.DataFrame) -> pd.DataFrame:
    """The typed budgets table (`schema.BUDGET_COLUMNS`) from records or a frame."""
    bg = pd.DataFrame(records).reindex(columns=list(S.BUDGET_COLUMNS))
    for col in (S.BG_START, S.BG_END):
        bg[col] = pd.to_datetime(bg[col])
    for col in (S.BG_VALUE, S.BG_USD):
        bg[col] = bg[col].astype(float)
    for col in (S.COL_PROJECT_ID, S.BG_KIND, S.BG_TYPE, S.BG_STATUS, S.BG_CURRENCY):
        bg[col] = bg[col].fillna("").astype(str)
    bg[S.BG_COUNTED] = bg[S.BG_COUNTED].astype(object).fillna(False).astype(bool)
    return bg


def transaction_table(records: list[Record] | pd.DataFrame) -> pd.DataFrame:
    """The typed transactions table (`schema.TRANSACTION_COLUMNS`)."""
    tx = pd.DataFrame(records).reindex(columns=list(S.TRANSACTION_COLUMNS))
    tx[S.TX_DATE] = pd.to_datetime(tx[S.TX_DATE])
    for col in (S.TX_VALUE, S.TX_USD):
        tx[col] = tx[col].astype(float)
    for col in S.TX_TEXT_COLUMNS:
        tx[col] = tx[col].fillna("").astype(str)
    # a table stored before the column existed counted every row it could
    tx[S.TX_COUNTED] = tx[S.TX_COUNTED].astype(object).fillna(True).astype(bool)
    return tx


def detail_table(records: list[Record] | pd.DataFrame) -> pd.DataFrame:
    """The typed details table (`schema.DETAIL_COLUMNS`)."""
    dt = pd.DataFrame(records).reindex(columns=list(S.DETAIL_COLUMNS))
    for col in (S.DT_SHARE, S.DT_LAT, S.DT_LON):
        dt[col] = dt[col].astype(float)
    for col in set(S.DETAIL_COLUMNS) - {S.DT_SHARE, S.DT_LAT, S.DT_LON}:
        dt[col] = dt[col].astype(object).fillna("").astype(str)
    return dt


@dataclass(frozen=True)
class SideTables:
    """The transactions, details and budgets of a portfolio (see `schema`).

    `budgets` is empty for tables cached before it existed and for datasets
    that publish no budget periods (a canonical CSV).
    """

    transactions: pd.DataFrame
    details: pd.DataFrame
    budgets: pd.DataFrame = field(default_factory=lambda: budget_table([]))

    @classmethod
    def from_records(
        cls,
        transactions: list[Record] | pd.DataFrame,
        details: list[Record] | pd.DataFrame,
        budgets: list[Record] | pd.DataFrame | None = None,
    ) -> SideTables:
        """Typed tables from record lists (empty lists give empty tables).

        Frames read back from storage go through the same typing: a column a
        later build added is filled as unknown ("" or NaN), never missing.
        """
        return cls(
            transaction_table(transactions),
            detail_table(details),
            budget_table(budgets if budgets is not None else []),
        )

    def of_project(self, project_id: str) -> SideTables:
        """The rows of one project."""
        return SideTables(
            self.transactions[self.transactions[S.COL_PROJECT_ID] == project_id],
            self.details[self.details[S.COL_PROJECT_ID] == project_id],
            self.budgets[self.budgets[S.COL_PROJECT_ID] == project_id],
        )


def transaction_records(act: Activity, usd: list[float | None]) -> list[Record]:
    """One record per transaction; `usd` from `rows._money_totals` (same order).

    Rows the totals do not count (None in `usd`: their type, or incoming money
    counted another way) are converted here, silently, and marked not
    `counted`: they are shown on the project page, never added to a KPI. The
    type is the one counted (`corrections.counted_types`), the published one
    beside it. The aid type is the row's own, else the activity's default.
    """
    records = []
    kinds = counted_types(act)
    for t, value, (kind, fix) in zip(act.transactions, usd, kinds, strict=True):
        counted = value is not None
        if value is None:
            when = t.value.value_date or t.date
            year = when.year if when else None
            conv = to_usd(t.value.amount, t.value.currency, year)
            value = math.nan if conv.usd is None else conv.usd
        records.append(
            {
                S.COL_PROJECT_ID: act.identifier,
                S.TX_TYPE: kind,
                S.TX_REPORTED_TYPE: t.type,
                S.TX_CORRECTION: fix,
                S.TX_DATE: t.date or t.value.value_date,
                S.TX_VALUE: t.value.amount,
                S.TX_CURRENCY: t.value.currency,
                S.TX_USD: value,
                S.TX_PROVIDER: t.provider,
                S.TX_RECEIVER: t.receiver,
                S.TX_CHANNEL: t.channel,
                S.TX_COUNTED: counted,
                S.TX_AID_TYPE: t.aid_type or act.default_aid_type,
                S.TX_AID_TYPE_FROM: _aid_type_from(t.aid_type, act.default_aid_type),
                S.TX_COUNTRY: t.country,
                **_org_columns(t.provider_org, _PROVIDER),
                **_org_columns(t.receiver_org, _RECEIVER),
            }
        )
    return records


def _aid_type_from(own: str, default: str) -> str:
    """Where a transaction's aid type comes from: "transaction", "activity" or ""."""
    if own:
        return "transaction"
    return "activity" if default else ""


_PROVIDER = (
    S.TX_PROVIDER_REF,
    S.TX_PROVIDER_NAME,
    S.TX_PROVIDER_TYPE,
    S.TX_PROVIDER_ACTIVITY,
)
_RECEIVER = (
    S.TX_RECEIVER_REF,
    S.TX_RECEIVER_NAME,
    S.TX_RECEIVER_TYPE,
    S.TX_RECEIVER_ACTIVITY,
)


def _org_columns(org: OrgRef | None, cols: tuple[str, str, str, str]) -> Record:
    """Ref, name, type and activity id of a provider/receiver ("" when absent)."""
    if org is None:
        return dict.fromkeys(cols, "")
    return dict(zip(cols, (org.ref, org.name, org.type, org.activity_id), strict=True))


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


def _usd_or_nan(value: Money, fallback: object) -> float:
    when = value.value_date or fallback
    conv = to_usd(value.amount, value.currency, getattr(when, "year", None))
    return math.nan if conv.usd is None else conv.usd


def budget_records(act: Activity) -> list[Record]:
    """One record per budget and planned disbursement of an activity.

    USD at the value date's year rate, else the period start's (as the
    portfolio's budget); NaN when no rate exists (unknown, not 0). A budget is
    `counted` when `rows.effective_budgets` keeps it.
    """
    counted = {id(b) for b in effective_budgets(act.budgets)}
    pid = {S.COL_PROJECT_ID: act.identifier}
    out: list[Record] = [
        pid
        | {S.BG_KIND: "budget", S.BG_TYPE: b.type, S.BG_STATUS: b.status}
        | {S.BG_START: b.period_start, S.BG_END: b.period_end}
        | {S.BG_VALUE: b.value.amount, S.BG_CURRENCY: b.value.currency}
        | {S.BG_USD: _usd_or_nan(b.value, b.period_start)}
        | {S.BG_COUNTED: id(b) in counted}
        for b in act.budgets
    ]
    out += [
        pid
        | {S.BG_KIND: "planned_disbursement", S.BG_TYPE: d.type, S.BG_STATUS: ""}
        | {S.BG_START: d.period_start, S.BG_END: d.period_end}
        | {S.BG_VALUE: d.value.amount, S.BG_CURRENCY: d.value.currency}
        | {S.BG_USD: _usd_or_nan(d.value, d.period_start)}
        | {S.BG_COUNTED: False}
        for d in act.planned_disbursements
    ]
    return out
