"""Portfolio figures (KPIs and breakdowns) computed once, shown everywhere.

Widgets, the CLI and briefings all call these functions, so every surface shows
the same number for the same selection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.portfolio import schema as S

HIGH_RISK = ("High", "Very high")


@dataclass(frozen=True)
class Kpis:
    """Headline figures of a selection (money in USD).

    Attributes:
        projects: distinct project identifiers.
        countries: distinct recipient countries (regional-only rows excluded).
        budget: total budget.
        spent: total disbursements + expenditure.
        delivery_ratio: spent / budget over the rows that report spend (None if
            none do); rows without spend data are not counted as zero delivery.
        high_risk_share: share of budget in High or Very high risk rows.
        as_of: data date (ISO).
        spend_reporting: distinct projects that report spending (the ones
            `delivery_ratio` is measured on).
    """

    projects: int
    countries: int
    budget: float
    spent: float
    delivery_ratio: float | None
    high_risk_share: float | None
    as_of: str
    spend_reporting: int = 0


def kpis(df: pd.DataFrame, as_of: str) -> Kpis:
    """Compute the KPI row for a (filtered) table."""
    budget = float(df[S.COL_BUDGET].sum())
    spent = float(df[S.COL_SPENT].sum())
    rep = df[df[S.COL_SPEND_REPORTED]]
    rep_budget = float(rep[S.COL_BUDGET].sum())
    delivery = float(rep[S.COL_SPENT].sum()) / rep_budget if rep_budget > 0 else None
    high = float(df.loc[df[S.COL_RISK].isin(HIGH_RISK), S.COL_BUDGET].sum())
    countries = df.loc[df[S.COL_COUNTRY] != "", S.COL_COUNTRY].nunique()
    return Kpis(
        projects=int(df[S.COL_PROJECT_ID].nunique()),
        countries=int(countries),
        budget=budget,
        spent=spent,
        delivery_ratio=delivery,
        high_risk_share=high / budget if budget > 0 else None,
        as_of=as_of,
        spend_reporting=int(rep[S.COL_PROJECT_ID].nunique()),
    )


def breakdown(df: pd.DataFrame, by: str, order: tuple[str, ...] = ()) -> pd.DataFrame:
    """Budget, spend and project count per value of column `by`.

    Returns:
        DataFrame with columns [by, budget_usd, spent_usd, projects, share],
        ordered by `order` when given (values absent from the data omitted), else
        by budget descending. `share` is the share of the total budget.
    """
    grouped = (
        df.groupby(by, observed=True)
        .agg(
            budget_usd=(S.COL_BUDGET, "sum"),
            spent_usd=(S.COL_SPENT, "sum"),
            projects=(S.COL_PROJECT_ID, "nunique"),
        )
        .reset_index()
    )
    total = grouped["budget_usd"].sum()
    grouped["share"] = grouped["budget_usd"] / total if total > 0 else np.nan
    if order:
        rank = {v: i for i, v in enumerate(order)}
        grouped = grouped.sort_values(by, key=lambda s: s.map(rank).fillna(len(rank)))
    else:
        grouped = grouped.sort_values("budget_usd", ascending=False)
    return grouped.reset_index(drop=True)


def by_country(df: pd.DataFrame) -> pd.DataFrame:
    """Per-country aggregates for the map.

    Returns:
        One row per ISO3 (regional-only rows excluded) with columns country_iso3,
        country_name, budget_usd, spent_usd, projects, inform_risk, wgi_ge,
        wgi_ge_pct, region, income_group.
    """
    rows = df[df[S.COL_COUNTRY] != ""]
    return (
        rows.groupby(S.COL_COUNTRY)
        .agg(
            country_name=(S.COL_COUNTRY_NAME, "first"),
            budget_usd=(S.COL_BUDGET, "sum"),
            spent_usd=(S.COL_SPENT, "sum"),
            projects=(S.COL_PROJECT_ID, "nunique"),
            inform_risk=(S.COL_INFORM, "first"),
            wgi_ge=(S.COL_GE, "first"),
            wgi_ge_pct=(S.COL_GE_PCT, "first"),
            region=(S.COL_REGION, "first"),
            income_group=(S.COL_INCOME, "first"),
        )
        .reset_index()
    )


def by_year(df: pd.DataFrame) -> pd.DataFrame:
    """Budget by start year (rows without a start date under year 0 are omitted).

    Returns:
        DataFrame with columns year, budget_usd, spent_usd, projects.
    """
    start = pd.to_datetime(df[S.COL_START])
    tmp = df.assign(year=start.dt.year).dropna(subset=["year"])
    tmp["year"] = tmp["year"].astype(int)
    return (
        tmp.groupby("year")
        .agg(
            budget_usd=(S.COL_BUDGET, "sum"),
            spent_usd=(S.COL_SPENT, "sum"),
            projects=(S.COL_PROJECT_ID, "nunique"),
        )
        .reset_index()
    )
