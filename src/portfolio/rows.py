"""One IATI activity turned into its canonical rows (one per recipient country).

A multi-country project's budget and spend are split by the reported percentages
(normalised to 100% when they do not add up, with a warning), so every column of
money sums to the IATI totals; one that names its countries only on its
transactions is split by their value (`tx_countries`, derived, with a warning).
The table itself is assembled in `build.py`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from src.iati.model import Activity, Budget, Location, Money
from src.portfolio import schema as S
from src.portfolio.codelists import activity_status_names
from src.portfolio.corrections import (
    CORRECTION_KEYS,
    INCOMING_TYPES,
    counted_incoming,
    counted_types,
)
from src.portfolio.fx import NEAREST_YEAR, NO_RATE, to_usd
from src.portfolio.sectors import choose_sector
from src.portfolio.tx_countries import transaction_country_shares
from src.problems import Problem

SPEND_TYPES = frozenset({"3", "4"})  # disbursement, expenditure
COMMIT_TYPES = frozenset({"2"})
TOTAL_OF_TYPE = {
    **dict.fromkeys(SPEND_TYPES, S.COL_SPENT),
    **dict.fromkeys(COMMIT_TYPES, S.COL_COMMITTED),
    **dict.fromkeys(INCOMING_TYPES, S.COL_INCOMING),
}
"""The money column each transaction type (as counted) adds to."""
UNCONVERTED_KEY = "build.no_rate"
"""Key of the warning on a value in a currency that has no exchange rate."""
OUTSIDE_KEYS = ("build.outside_bbox", "build.outside_bbox_region")
"""Keys of the warning on points outside the country's (or region's) bounding box."""


@dataclass
class BuildReport:
    """Problems found while turning activities into rows (nothing is dropped).

    Attributes:
        problems: unconvertible currencies, unknown country codes, percentages
            that do not add up, coordinates outside the country, and so on.
        unconverted: one row per value that could not be converted to USD
            (activity, element, amount, currency) so it can be listed.
    """

    problems: list[Problem] = field(default_factory=list)
    unconverted: list[dict[str, object]] = field(default_factory=list)

    def add(
        self, activity: Activity, field_name: str, key: str, /, **params: object
    ) -> None:
        """Record a warning about one activity (a ``build.*`` key and its values)."""
        self.problems.append(
            Problem(key, params, activity.source_file, activity.identifier, field_name)
        )


def _year(d: date | None) -> int | None:
    return d.year if d else None


def _convert(
    money: Money, fallback: date | None, act: Activity, what: str, rep: BuildReport
) -> float:
    usd = _usd(money, fallback, act, what, rep)
    return 0.0 if usd is None else usd


def _usd(
    money: Money, fallback: date | None, act: Activity, what: str, rep: BuildReport
) -> float | None:
    """The value in USD at its year's rate; None (and a warning) when no rate."""
    year = _year(money.value_date or fallback)
    conv = to_usd(money.amount, money.currency, year)
    if conv.usd is None:
        amount = money.amount
        if conv.reason == NO_RATE:
            rep.add(
                act,
                what,
                UNCONVERTED_KEY,
                currency=money.currency.upper(),
                amount=amount,
            )
        else:
            rep.add(act, what, "build.no_currency", amount=amount)
        rep.unconverted.append(
            {
                "file": act.source_file,
                "activity": act.identifier,
                "element": what,
                "amount": money.amount,
                "currency": money.currency,
            }
        )
        return None
    if conv.reason == NEAREST_YEAR:
        params = {"currency": money.currency.upper(), "used": conv.rate_year}
        if year is None:
            rep.add(act, what, "build.rate_nearest_no_year", **params)
        else:
            rep.add(act, what, "build.rate_nearest", year=year, **params)
    return conv.usd


def effective_budgets(budgets: Iterable[Budget]) -> list[Budget]:
    """Budgets that count: per period, a revised budget replaces the original.

    IATI publishers may report an original (type 1) and a revised (type 2) budget
    for the same period; summing both would double count.
    """
    by_period: dict[tuple[date | None, date | None], list[Budget]] = {}
    for b in budgets:
        by_period.setdefault((b.period_start, b.period_end), []).append(b)
    chosen: list[Budget] = []
    for group in by_period.values():
        revised = [b for b in group if b.type == "2"]
        chosen.extend(revised or group)
    return chosen


def _country_shares(act: Activity, rep: BuildReport) -> list[tuple[str, float]]:
    """(alpha-2 code, share) pairs summing to 1; [("", 1.0)] when no country.

    An activity naming its countries only on its transactions gets shares
    derived from them (`tx_countries`), with a warning saying so.
    """
    if not act.countries:
        derived, equal = transaction_country_shares(act, types=TOTAL_OF_TYPE)
        if not derived:
            return [("", 1.0)]
        key = (
            "build.countries_from_transactions_equal"
            if equal
            else "build.countries_from_transactions"
        )
        shown = ", ".join(f"{code} {share:.1%}" for code, share in derived)
        rep.add(act, "transaction/recipient-country", key, shares=shown)
        return derived
    pcts = [c.percentage for c in act.countries]
    if all(p is None for p in pcts):
        n = len(act.countries)
        if n > 1:
            rep.add(act, "recipient-country", "build.split_equally", n=n)
        return [(c.code, 1.0 / n) for c in act.countries]
    values = [p or 0.0 for p in pcts]
    total = sum(values)
    if total <= 0:
        n = len(values)
        rep.add(act, "recipient-country", "build.zero_percentages")
        return [(c.code, 1.0 / n) for c in act.countries]
    if abs(total - 100.0) > 0.01:
        rep.add(act, "recipient-country", "build.normalised", total=total)
    return [(c.code, v / total) for c, v in zip(act.countries, values, strict=True)]


def _inside(loc: Location, ref_row: pd.Series | None) -> bool:
    if ref_row is None or pd.isna(ref_row.get("min_lon")):
        return True  # no boundary to check against
    return bool(
        ref_row["min_lon"] - 0.5 <= loc.lon <= ref_row["max_lon"] + 0.5
        and ref_row["min_lat"] - 0.5 <= loc.lat <= ref_row["max_lat"] + 0.5
    )


def _representative(points: list[Location]) -> Location:
    """The reported point closest to all others (a medoid: never an ocean mean)."""
    if len(points) <= 2:
        return points[0]
    coords = np.array([[p.lat, p.lon] for p in points])
    dist = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1)).sum(1)
    return points[int(dist.argmin())]


def _dates(act: Activity, rep: BuildReport) -> tuple[date | None, date | None, str]:
    start = act.start_actual or act.start_planned
    if act.end_planned:
        return start, act.end_planned, "reported"
    ends = [b.period_end for b in act.budgets if b.period_end]
    if ends:
        return start, max(ends), "derived from budget periods"
    if act.end_actual:
        return start, act.end_actual, "actual end"
    rep.add(act, "activity-date", "build.no_end")
    return start, None, "missing"


def _money_totals(
    act: Activity, rep: BuildReport, usd: list[float | None] | None = None
) -> dict[str, object]:
    """USD budget, spent, committed and incoming, and whether spend is reported.

    With `usd`, each transaction's USD value is appended to it, in order: the
    value counted in the totals, NaN when it has no rate, None for the rows
    the totals do not count (so `activity_tables` reads the same numbers).
    Types are those counted after `corrections.counted_types`; each correction
    is recorded in `rep` (one problem per activity and kind, with the count).
    Incoming money reported two ways is counted once
    (`corrections.counted_incoming`).
    """
    budgets = effective_budgets(act.budgets)
    budget = sum(_convert(b.value, b.period_start, act, "budget", rep) for b in budgets)
    totals = {S.COL_SPENT: 0.0, S.COL_COMMITTED: 0.0, S.COL_INCOMING: 0.0}
    spend_reported = False
    fixed: dict[str, list[float]] = {}
    kinds = counted_types(act)
    values: list[float | None] = []  # None: a type no total counts; NaN: no rate
    for t, (kind, fix) in zip(act.transactions, kinds, strict=True):
        value = None
        if kind in TOTAL_OF_TYPE:
            value = _usd(t.value, t.date, act, "transaction", rep)
            value = math.nan if value is None else value  # no rate: unknown, not 0
        values.append(value)
        if fix:
            year = _year(t.value.value_date or t.date)
            conv = to_usd(t.value.amount, t.value.currency, year)
            fixed.setdefault(fix, []).append(conv.usd or 0.0)
    once = counted_incoming(act, [k for k, _ in kinds], values)
    for (kind, _), value, counted in zip(kinds, values, once, strict=True):
        if value is None or not counted:
            continue
        column = TOTAL_OF_TYPE[kind]
        totals[column] += 0.0 if math.isnan(value) else value
        spend_reported = spend_reported or column == S.COL_SPENT
    if usd is not None:
        usd.extend(v if c else None for v, c in zip(values, once, strict=True))
    for fix, values in fixed.items():
        rep.add(
            act,
            "transaction",
            CORRECTION_KEYS[fix],
            count=len(values),
            amount=sum(values),
            usd=round(sum(values)),  # whole dollars
        )
    if not act.budgets:
        rep.add(act, "budget", "build.no_budget")
    return {
        S.COL_BUDGET: budget,
        **totals,
        S.COL_SPEND_REPORTED: spend_reported,
    }


def _activity_columns(
    act: Activity, rep: BuildReport, usd: list[float | None] | None
) -> dict[str, object]:
    """The columns every row of the activity shares (money not yet split)."""
    money = _money_totals(act, rep, usd)
    sector = choose_sector(act)
    start, end, end_source = _dates(act, rep)
    status_names = activity_status_names()
    return {
        S.COL_PROJECT_ID: act.identifier,
        S.COL_TITLE: act.title,
        S.COL_DESCRIPTION: act.description,
        S.COL_AGENCY: act.reporting_org,
        S.COL_AGENCY_REF: act.reporting_org_ref,
        S.COL_AGENCY_TYPE: act.reporting_org_type,
        S.COL_FUNDERS: "; ".join(dict.fromkeys(act.funding_orgs)),
        S.COL_IMPLEMENTERS: "; ".join(dict.fromkeys(act.implementing_orgs)),
        S.COL_SOURCE_FILE: act.source_file,
        S.COL_RECIPIENT_REGION: act.regions[0].name if act.regions else "",
        S.COL_SECTOR_CODE: sector.code,
        S.COL_SECTOR_NAME: sector.name,
        S.COL_SECTOR_GROUP: sector.group,
        S.COL_SECTOR_SOURCE: sector.source,
        S.COL_SDG_TAGS: ";".join(dict.fromkeys(act.sdg_tags)),
        S.COL_STATUS: status_names.get(act.status_code, act.status_code),
        S.COL_END_SOURCE: end_source,
        S.COL_HUMANITARIAN: act.humanitarian,
        S.COL_START_PLANNED: act.start_planned,
        S.COL_END_PLANNED: act.end_planned,
        S.COL_START_ACTUAL: act.start_actual,
        S.COL_END_ACTUAL: act.end_actual,
        S.COL_START: start,
        S.COL_END: end,
        **money,
    }


def _site(
    act: Activity, iso3: str, ref_row: pd.Series | None, single: bool, rep: BuildReport
) -> tuple[float, float, str, int]:
    """(lat, lon, precision, number of sites) for one recipient country."""
    pts = [p for p in act.locations if _inside(p, ref_row)]
    outside = len(act.locations) - len(pts)
    if outside and single:
        if iso3:
            rep.add(act, "location", OUTSIDE_KEYS[0], count=outside, country=iso3)
        else:
            rep.add(act, "location", OUTSIDE_KEYS[1], count=outside)
    if pts:
        site = _representative(pts)
        return float(site.lat), float(site.lon), "site", len(pts)
    if ref_row is not None and not pd.isna(ref_row["label_lat"]):
        lat, lon = float(ref_row["label_lat"]), float(ref_row["label_lon"])
        return lat, lon, "country", 0
    return math.nan, math.nan, "none", 0


def _country_columns(ref_row: pd.Series | None, iso2: str) -> dict[str, object]:
    """The country context columns (names, region, risk, capacity) of one row."""

    def ctx(col: str, default: object = "") -> object:
        return default if ref_row is None else ref_row[col]

    return {
        S.COL_COUNTRY_NAME: ctx("name", iso2),
        S.COL_REGION: ctx("region", "") or S.REGIONAL,
        S.COL_INCOME: ctx("income_group", ""),
        S.COL_INFORM_CLASS: ctx("inform_class", ""),
        S.COL_INFORM: ctx("inform_risk", math.nan),
        S.COL_GE: ctx("wgi_ge", math.nan),
        S.COL_GE_PCT: ctx("wgi_ge_pct", math.nan),
        S.COL_GE_YEAR: ctx("wgi_year", math.nan),
    }


_SPLIT = (S.COL_BUDGET, S.COL_SPENT, S.COL_COMMITTED, S.COL_INCOMING)


def activity_rows(
    act: Activity,
    ref: pd.DataFrame,
    iso2_to_3: dict[str, str],
    rep: BuildReport,
    usd: list[float | None] | None = None,
) -> list[dict[str, object]]:
    """One activity's rows (one per recipient country), before derived columns.

    Args:
        act: the parsed activity.
        ref: `country_reference()` (indexed by ISO3).
        iso2_to_3: alpha-2 -> alpha-3 codes, from `ref`.
        rep: receives this activity's warnings and unconverted values.
        usd: when given, receives each transaction's USD value (`_money_totals`).

    Returns:
        Dicts keyed by the schema's non-derived columns.
    """
    shared = _activity_columns(act, rep, usd)
    shares = _country_shares(act, rep)
    rows = []
    for iso2, share in shares:
        iso3 = iso2_to_3.get(iso2, "") if iso2 else ""
        if iso2 and not iso3:
            rep.add(act, "recipient-country", "build.unknown_country", code=iso2)
        ref_row = ref.loc[iso3] if iso3 in ref.index else None
        lat, lon, precision, n_sites = _site(act, iso3, ref_row, len(shares) == 1, rep)
        row = dict(shared)
        row.update(_country_columns(ref_row, iso2))
        row.update({col: float(shared[col]) * share for col in _SPLIT})
        row.update(
            {
                S.COL_COUNTRY: iso3,
                S.COL_COUNTRY_ISO2: iso2,
                S.COL_COUNTRY_SHARE: share,
                S.COL_LAT: lat,
                S.COL_LON: lon,
                S.COL_PRECISION: precision,
                S.COL_N_SITES: n_sites,
            }
        )
        rows.append(row)
    return rows


def data_date(activities: Iterable[Activity]) -> date | None:
    """The data date: the latest last-updated date among the activities."""
    valid = [d for d in (last_updated_day(a) for a in activities) if d]
    return max(valid) if valid else None


def last_updated_day(act: Activity) -> date | None:
    """The day of the activity's last-updated-datetime (None when absent or bad)."""
    if not act.last_updated:
        return None
    try:
        return date.fromisoformat(act.last_updated[:10])
    except ValueError:
        return None
