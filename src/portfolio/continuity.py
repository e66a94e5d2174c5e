"""Continuity and handover: what ends when, and what is funded after it.

Pure functions on the canonical portfolio rows (one per project and recipient
country) and the budgets table (`schema.BUDGET_COLUMNS`, one row per reported
budget or planned disbursement, the whole project's value). A project-level
amount is given to a row by the row's `country_share`, as the portfolio splits
budgets. Formulas, sources and limits are in docs/INDICATORS.md.

"Planned end" is `end_date` (the reported planned end, else the end of the last
budget period, `end_source` says which). A project has *forward funding* when
it reports a budget or planned disbursement with a positive value in a period
that starts after its planned end: a successor phase or a funded extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from src.portfolio import schema as S

HORIZONS: tuple[int, ...] = (12, 24, 36)  # months after the data date
MULTI_YEAR_MONTHS = 24
FORWARD_YEARS = 3
DAYS_PER_MONTH = 30.4375
ENDED_STATUSES = ("Closed", "Cancelled")


@dataclass(frozen=True)
class ContinuityCoverage:
    """What the continuity figures rest on.

    Attributes:
        rows: rows in the selection; active: rows not ended at the data date.
        with_end: active rows with a planned end; with_dates: rows with a
            start and a planned end (the multi-year share rests on them).
        projects: distinct projects; with_budget_periods: of them, those with
            at least one budget or planned disbursement in the budgets table.
        budget_periods: whether the dataset publishes budget periods at all
            (False: forward funding is unknown, the cliff is an upper bound).
    """

    rows: int
    active: int
    with_end: int
    with_dates: int
    projects: int
    with_budget_periods: int
    budget_periods: bool


def _ts(as_of: date) -> pd.Timestamp:
    return pd.Timestamp(as_of)


def active_rows(df: pd.DataFrame, as_of: date) -> pd.Series:
    """Rows still running at the data date.

    Not closed or cancelled, and no actual end on or before the data date (an
    actual end after it is a plan, not a fact).
    """
    status = df[S.COL_STATUS].fillna("").astype(str)
    ended = pd.to_datetime(df[S.COL_END_ACTUAL]) <= _ts(as_of)
    return ~status.isin(ENDED_STATUSES) & ~ended.fillna(False)


def _positive(budgets: pd.DataFrame) -> pd.DataFrame:
    """Budgets and planned disbursements that carry money (USD > 0, else value > 0)."""
    amount = budgets[S.BG_USD].where(budgets[S.BG_USD].notna(), budgets[S.BG_VALUE])
    return budgets[amount > 0]


def funded_after_end(df: pd.DataFrame, budgets: pd.DataFrame) -> pd.Series:
    """Per row: a positive budget or planned disbursement starts after its end.

    A period without a start counts by its end. Rows without an end are False.
    """
    pos = _positive(budgets)
    if pos.empty:
        return pd.Series(False, index=df.index)
    start = pos[S.BG_START].where(pos[S.BG_START].notna(), pos[S.BG_END])
    last = start.groupby(pos[S.COL_PROJECT_ID]).max()
    latest = df[S.COL_PROJECT_ID].map(last)
    end = pd.to_datetime(df[S.COL_END])
    return (pd.to_datetime(latest) > end).fillna(False).astype(bool)


def coverage(
    df: pd.DataFrame, budgets: pd.DataFrame, as_of: date
) -> ContinuityCoverage:
    """The coverage statement of the continuity figures for a selection."""
    active = active_rows(df, as_of)
    has_end = df[S.COL_END].notna()
    projects = df[S.COL_PROJECT_ID].unique()
    with_periods = budgets[S.COL_PROJECT_ID].isin(projects)
    return ContinuityCoverage(
        rows=len(df),
        active=int(active.sum()),
        with_end=int((active & has_end).sum()),
        with_dates=int((df[S.COL_START].notna() & has_end).sum()),
        projects=len(projects),
        with_budget_periods=int(budgets.loc[with_periods, S.COL_PROJECT_ID].nunique()),
        budget_periods=not budgets.empty,
    )


def cliff_rows(
    df: pd.DataFrame, budgets: pd.DataFrame, as_of: date, months: int
) -> pd.DataFrame:
    """The rows of the funding cliff within `months` of the data date.

    A row is on the cliff when it is active, its planned end falls after the
    data date and no later than `months` after it, and it has no forward
    funding (`funded_after_end`).
    """
    end = pd.to_datetime(df[S.COL_END])
    asof = _ts(as_of)
    limit = asof + pd.DateOffset(months=months)
    window = (end > asof) & (end <= limit)
    mask = active_rows(df, as_of) & window & ~funded_after_end(df, budgets)
    return df[mask.to_numpy()]


def cliff(
    df: pd.DataFrame,
    budgets: pd.DataFrame,
    as_of: date,
    horizons: tuple[int, ...] = HORIZONS,
) -> pd.DataFrame:
    """The funding cliff at each horizon.

    Returns:
        months, projects (distinct), rows, budget_usd (the rows' budgets),
        share_of_active_budget (of the active rows' budget; NaN when 0).
    """
    active_budget = df.loc[active_rows(df, as_of), S.COL_BUDGET].clip(lower=0).sum()
    out = []
    for h in horizons:
        rows = cliff_rows(df, budgets, as_of, h)
        money = float(rows[S.COL_BUDGET].clip(lower=0).sum())
        out.append(
            {
                "months": h,
                "projects": int(rows[S.COL_PROJECT_ID].nunique()),
                "rows": len(rows),
                "budget_usd": money,
                "share_of_active_budget": money / active_budget
                if active_budget > 0
                else np.nan,
            }
        )
    return pd.DataFrame(out)


def multi_year(df: pd.DataFrame) -> dict[str, float | int]:
    """Share of budget (and of rows) planned to run at least 24 months.

    Planned duration is start to planned end in months of 30.4375 days; rows
    without both dates are left out (`rows` says how many count).

    Returns:
        {"rows": rows with both dates, "multi_year_rows", "share_rows",
         "budget_usd", "multi_year_budget_usd", "share_budget"}.
    """
    dated = df[df[S.COL_START].notna() & df[S.COL_END].notna()]
    days = (pd.to_datetime(dated[S.COL_END]) - pd.to_datetime(dated[S.COL_START])).dt
    months = days.days / DAYS_PER_MONTH
    long = months >= MULTI_YEAR_MONTHS
    budget = dated[S.COL_BUDGET].clip(lower=0)
    total = float(budget.sum())
    long_budget = float(budget[long].sum())
    return {
        "rows": len(dated),
        "multi_year_rows": int(long.sum()),
        "share_rows": float(long.mean()) if len(dated) else np.nan,
        "budget_usd": total,
        "multi_year_budget_usd": long_budget,
        "share_budget": long_budget / total if total > 0 else np.nan,
    }


def budget_by_year(df: pd.DataFrame, budgets: pd.DataFrame) -> pd.DataFrame:
    """Counted budgets spread over calendar years, given to the selection's rows.

    A budget period's USD value is shared between the years it overlaps in
    proportion to its days (a WHO biennium budget is half in each year).
    Periods without both dates, or without a USD rate, are left out.

    Returns:
        one row per selection row and year: the row's index (`row`),
        project_id, year, budget_usd (× the row's country share).
    """
    bg = budgets[budgets[S.BG_COUNTED] & (budgets[S.BG_KIND] == "budget")]
    bg = bg.dropna(subset=[S.BG_START, S.BG_END, S.BG_USD])
    bg = bg[bg[S.BG_END] >= bg[S.BG_START]]
    parts = []
    first = bg[S.BG_START].dt.year.min() if len(bg) else 0
    last = bg[S.BG_END].dt.year.max() if len(bg) else -1
    span = (bg[S.BG_END] - bg[S.BG_START]).dt.days + 1
    for year in range(int(first), int(last) + 1):
        lo = bg[S.BG_START].clip(lower=pd.Timestamp(year, 1, 1))
        hi = bg[S.BG_END].clip(upper=pd.Timestamp(year, 12, 31))
        days = ((hi - lo).dt.days + 1).clip(lower=0)
        share = days / span
        part = pd.DataFrame(
            {
                S.COL_PROJECT_ID: bg[S.COL_PROJECT_ID],
                "year": year,
                "usd": bg[S.BG_USD] * share,
            }
        )
        parts.append(part[share > 0])
    columns = ["row", S.COL_PROJECT_ID, "year", S.COL_BUDGET]
    if not parts:
        return pd.DataFrame(columns=columns)
    per_project = pd.concat(parts).groupby([S.COL_PROJECT_ID, "year"])["usd"].sum()
    rows = df[[S.COL_PROJECT_ID, S.COL_COUNTRY_SHARE]].reset_index(names="row")
    out = rows.merge(per_project.reset_index(), on=S.COL_PROJECT_ID, how="inner")
    out[S.COL_BUDGET] = out["usd"] * out[S.COL_COUNTRY_SHARE].fillna(1.0)
    return out[columns]


def _funded_years(budgets: pd.DataFrame) -> pd.DataFrame:
    """(project_id, year) pairs a positive budget or planned disbursement touches."""
    pos = _positive(budgets).dropna(subset=[S.BG_START, S.BG_END])
    pairs = [
        (pid, y)
        for pid, a, b in zip(
            pos[S.COL_PROJECT_ID],
            pos[S.BG_START].dt.year,
            pos[S.BG_END].dt.year,
            strict=True,
        )
        for y in range(int(a), int(b) + 1)
    ]
    return pd.DataFrame(pairs, columns=[S.COL_PROJECT_ID, "year"]).drop_duplicates()


def forward_visibility(
    df: pd.DataFrame, budgets: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """Share of this year's budget whose project is budgeted in each next year.

    "This year" is the data date's calendar year Y. For k = 1…3, the share is
    the budget of year Y (`budget_by_year`) of the projects that report a
    positive budget or planned disbursement touching year Y + k, over all
    budget of year Y.

    Returns:
        year (Y + k), budget_usd (of year Y, visible), share (NaN when year Y
        has no budget), base_usd (all budget of year Y).
    """
    year = as_of.year
    by_year = budget_by_year(df, budgets)
    base = by_year[by_year["year"] == year]
    total = float(base[S.COL_BUDGET].sum())
    funded = _funded_years(budgets)
    out = []
    for k in range(1, FORWARD_YEARS + 1):
        ids = set(funded.loc[funded["year"] == year + k, S.COL_PROJECT_ID])
        visible = float(base.loc[base[S.COL_PROJECT_ID].isin(ids), S.COL_BUDGET].sum())
        out.append(
            {
                "year": year + k,
                "budget_usd": visible,
                "share": visible / total if total > 0 else np.nan,
                "base_usd": total,
            }
        )
    return pd.DataFrame(out)


def new_vs_continuing(df: pd.DataFrame, budgets: pd.DataFrame) -> pd.DataFrame:
    """Budget of each year from projects that started that year or earlier.

    "New" is the budget of rows whose start (`start_date`) falls in the year;
    "continuing" of rows that started before. Rows without a start are left out.

    Returns:
        year, new_usd, continuing_usd.
    """
    by_year = budget_by_year(df, budgets)
    start = pd.to_datetime(df[S.COL_START]).dt.year
    by_year["start_year"] = start.loc[by_year["row"]].to_numpy()
    by_year = by_year.dropna(subset=["start_year"])
    new = by_year["start_year"] == by_year["year"]
    older = by_year["start_year"] < by_year["year"]
    out = pd.DataFrame(
        {
            "year": by_year["year"],
            "new_usd": by_year[S.COL_BUDGET].where(new, 0.0),
            "continuing_usd": by_year[S.COL_BUDGET].where(older, 0.0),
        }
    )
    return out.groupby("year", as_index=False).sum()


def runway(df: pd.DataFrame, budgets: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The active rows with their dates, forward budget and cliff horizon.

    Returns:
        project_id, title, agency, country_iso3, sector_group, start_date,
        end_date, budget_usd, forward_budget_usd (budget of the years after the
        data date's year, × country share), funded_after_end, cliff_months
        (the smallest horizon whose cliff holds the row; NaN: none), sorted
        by planned end.
    """
    active = df[active_rows(df, as_of).to_numpy()]
    by_year = budget_by_year(active, budgets)
    later = by_year[by_year["year"] > as_of.year].groupby("row")[S.COL_BUDGET].sum()
    cols = [
        S.COL_PROJECT_ID,
        S.COL_TITLE,
        S.COL_AGENCY,
        S.COL_COUNTRY,
        S.COL_SECTOR_GROUP,
        S.COL_START,
        S.COL_END,
        S.COL_BUDGET,
    ]
    out = active[cols].reset_index(drop=True)
    forward = active.index.map(later).to_numpy(dtype=float)
    out["forward_budget_usd"] = np.nan_to_num(forward, nan=0.0)
    out["funded_after_end"] = funded_after_end(active, budgets).to_numpy()
    out["cliff_months"] = np.nan
    for h in sorted(HORIZONS, reverse=True):
        ids = cliff_rows(active, budgets, as_of, h).index
        out.loc[active.index.get_indexer(ids), "cliff_months"] = h
    return out.sort_values([S.COL_END, S.COL_PROJECT_ID], ignore_index=True)


def cliff_by_country(
    df: pd.DataFrame,
    budgets: pd.DataFrame,
    as_of: date,
    horizons: tuple[int, ...] = HORIZONS,
) -> pd.DataFrame:
    """Per country, the cliff at each horizon (regional rows left out).

    Returns:
        country_iso3, then cliff_<h>_usd and cliff_<h>_projects for each
        horizon h (0 where a country has no project on the cliff).
    """
    placed = df[df[S.COL_COUNTRY].astype(str) != ""]
    out = pd.DataFrame({S.COL_COUNTRY: sorted(placed[S.COL_COUNTRY].unique())})
    for h in horizons:
        rows = cliff_rows(placed, budgets, as_of, h)
        g = rows.groupby(S.COL_COUNTRY)
        money = g[S.COL_BUDGET].apply(lambda s: float(s.clip(lower=0).sum()))
        count = g[S.COL_PROJECT_ID].nunique()
        out[f"cliff_{h}_usd"] = out[S.COL_COUNTRY].map(money).fillna(0.0)
        out[f"cliff_{h}_projects"] = out[S.COL_COUNTRY].map(count).fillna(0).astype(int)
    return out
