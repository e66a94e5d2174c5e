"""Build the canonical portfolio table from IATI activities and country data.

One row per project and recipient country. A multi-country project's budget and
spend are split by the reported percentages (normalised to 100% when they do not
add up, with a warning), so every column of money sums to the IATI totals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from src.iati.model import Activity, Budget, Location, Money, Problem
from src.portfolio import schema as S
from src.portfolio.codelists import activity_status_names
from src.portfolio.fx import to_usd
from src.portfolio.reference import country_reference
from src.portfolio.risk import risk_level, risk_score, slippage
from src.portfolio.sectors import choose_sector

SPEND_TYPES = frozenset({"3", "4"})  # disbursement, expenditure
COMMIT_TYPES = frozenset({"2"})
INCOMING_TYPES = frozenset({"1", "11", "13"})


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

    def add(self, activity: Activity, field_name: str, message: str) -> None:
        """Record a warning about one activity."""
        self.problems.append(
            Problem(activity.source_file, activity.identifier, field_name, message)
        )


def _year(d: date | None) -> int | None:
    return d.year if d else None


def _convert(
    money: Money, fallback: date | None, act: Activity, what: str, rep: BuildReport
) -> float:
    conv = to_usd(money.amount, money.currency, _year(money.value_date or fallback))
    if conv.usd is None:
        rep.add(act, what, f"{conv.note}; value {money.amount:,.2f} not counted in USD")
        rep.unconverted.append(
            {
                "file": act.source_file,
                "activity": act.identifier,
                "element": what,
                "amount": money.amount,
                "currency": money.currency,
            }
        )
        return 0.0
    if conv.note:
        rep.add(act, what, conv.note)
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
    """(alpha-2 code, share) pairs summing to 1; [("", 1.0)] when no country."""
    if not act.countries:
        return [("", 1.0)]
    pcts = [c.percentage for c in act.countries]
    if all(p is None for p in pcts):
        n = len(act.countries)
        if n > 1:
            rep.add(act, "recipient-country", f"no percentages; split equally by {n}")
        return [(c.code, 1.0 / n) for c in act.countries]
    values = [p or 0.0 for p in pcts]
    total = sum(values)
    if total <= 0:
        n = len(values)
        rep.add(act, "recipient-country", "percentages sum to 0; split equally")
        return [(c.code, 1.0 / n) for c in act.countries]
    if abs(total - 100.0) > 0.01:
        rep.add(
            act,
            "recipient-country",
            f"percentages sum to {total:g}%, normalised to 100%",
        )
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
    rep.add(act, "activity-date", "no planned end date and no budget period")
    return start, None, "missing"


def activity_rows(
    act: Activity, ref: pd.DataFrame, iso2_to_3: dict[str, str], rep: BuildReport
) -> list[dict[str, object]]:
    """One activity's rows (one per recipient country), before derived columns.

    Args:
        act: the parsed activity.
        ref: `country_reference()` (indexed by ISO3).
        iso2_to_3: alpha-2 -> alpha-3 codes, from `ref`.
        rep: receives this activity's warnings and unconverted values.

    Returns:
        Dicts keyed by the schema's non-derived columns.
    """
    budgets = effective_budgets(act.budgets)
    budget = sum(_convert(b.value, b.period_start, act, "budget", rep) for b in budgets)
    spent = committed = incoming = 0.0
    spend_reported = False
    for t in act.transactions:
        if t.type in SPEND_TYPES:
            spent += _convert(t.value, t.date, act, "transaction", rep)
            spend_reported = True
        elif t.type in COMMIT_TYPES:
            committed += _convert(t.value, t.date, act, "transaction", rep)
        elif t.type in INCOMING_TYPES:
            incoming += _convert(t.value, t.date, act, "transaction", rep)
    if not act.budgets:
        rep.add(act, "budget", "no budget reported; budget counted as 0")
    sector = choose_sector(act)
    start, end, end_source = _dates(act, rep)
    status_names = activity_status_names()
    region_name = act.regions[0].name if act.regions else ""
    rows = []
    shares = _country_shares(act, rep)
    for iso2, share in shares:
        iso3 = iso2_to_3.get(iso2, "") if iso2 else ""
        if iso2 and not iso3:
            rep.add(act, "recipient-country", f"unknown country code {iso2}")
        ref_row = ref.loc[iso3] if iso3 in ref.index else None
        pts = [p for p in act.locations if _inside(p, ref_row)]
        outside = len(act.locations) - len(pts)
        if outside and len(shares) == 1:
            rep.add(
                act,
                "location",
                f"{outside} point(s) outside {iso3 or 'the region'}'s bounding box",
            )
        if pts:
            site = _representative(pts)
            lat, lon, precision = site.lat, site.lon, "site"
        elif ref_row is not None and not pd.isna(ref_row["label_lat"]):
            lat, lon, precision = ref_row["label_lat"], ref_row["label_lon"], "country"
        else:
            lat, lon, precision = math.nan, math.nan, "none"

        def ctx(col: str, default: object = "", row: pd.Series | None = ref_row):
            return default if row is None else row[col]

        rows.append(
            {
                S.COL_PROJECT_ID: act.identifier,
                S.COL_TITLE: act.title,
                S.COL_AGENCY: act.reporting_org,
                S.COL_AGENCY_REF: act.reporting_org_ref,
                S.COL_AGENCY_TYPE: act.reporting_org_type,
                S.COL_FUNDERS: "; ".join(dict.fromkeys(act.funding_orgs)),
                S.COL_IMPLEMENTERS: "; ".join(dict.fromkeys(act.implementing_orgs)),
                S.COL_SOURCE_FILE: act.source_file,
                S.COL_COUNTRY: iso3,
                S.COL_COUNTRY_ISO2: iso2,
                S.COL_COUNTRY_NAME: ctx("name", iso2),
                S.COL_REGION: ctx("region", "") or S.REGIONAL,
                S.COL_INCOME: ctx("income_group", ""),
                S.COL_RECIPIENT_REGION: region_name,
                S.COL_COUNTRY_SHARE: share,
                S.COL_LAT: float(lat),
                S.COL_LON: float(lon),
                S.COL_PRECISION: precision,
                S.COL_N_SITES: len(pts),
                S.COL_SECTOR_CODE: sector.code,
                S.COL_SECTOR_NAME: sector.name,
                S.COL_SECTOR_GROUP: sector.group,
                S.COL_SECTOR_SOURCE: sector.source,
                S.COL_SDG_TAGS: ";".join(dict.fromkeys(act.sdg_tags)),
                S.COL_STATUS: status_names.get(act.status_code, act.status_code),
                S.COL_END_SOURCE: end_source,
                S.COL_INFORM_CLASS: ctx("inform_class", ""),
                S.COL_BUDGET: budget * share,
                S.COL_SPENT: spent * share,
                S.COL_COMMITTED: committed * share,
                S.COL_INCOMING: incoming * share,
                S.COL_INFORM: ctx("inform_risk", math.nan),
                S.COL_GE: ctx("wgi_ge", math.nan),
                S.COL_GE_PCT: ctx("wgi_ge_pct", math.nan),
                S.COL_GE_YEAR: ctx("wgi_year", math.nan),
                S.COL_HUMANITARIAN: act.humanitarian,
                S.COL_SPEND_REPORTED: spend_reported,
                S.COL_START_PLANNED: act.start_planned,
                S.COL_END_PLANNED: act.end_planned,
                S.COL_START_ACTUAL: act.start_actual,
                S.COL_END_ACTUAL: act.end_actual,
                S.COL_START: start,
                S.COL_END: end,
            }
        )
    return rows


def data_date(activities: Iterable[Activity]) -> date | None:
    """The data date: the latest last-updated date among the activities."""
    stamps = [a.last_updated[:10] for a in activities if a.last_updated]
    valid = [d for d in (_parse_day(s) for s in stamps) if d]
    return max(valid) if valid else None


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def derive_indicators(df: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Add delivery ratio, time elapsed, slippage and the risk score and level.

    Works on any table with the canonical input columns, so a user's CSV gets
    exactly the same derived values as the bundled IATI data.
    """
    out = df.copy()
    budget = out[S.COL_BUDGET].astype(float)
    spent = out[S.COL_SPENT].astype(float)
    out[S.COL_DELIVERY] = (spent / budget).where(budget > 0)
    out.loc[~out[S.COL_SPEND_REPORTED].astype(bool), S.COL_DELIVERY] = np.nan
    start = pd.to_datetime(out[S.COL_START])
    end = pd.to_datetime(out[S.COL_END])
    now = pd.Timestamp(as_of)
    span = (end - start).dt.days.astype(float)
    elapsed = ((now - start).dt.days / span).where(span > 0)
    out[S.COL_ELAPSED] = elapsed.clip(0, 1)
    out[S.COL_SLIPPAGE] = slippage(out[S.COL_ELAPSED], out[S.COL_DELIVERY])
    out[S.COL_RISK_SCORE] = risk_score(out)
    out[S.COL_RISK] = risk_level(out[S.COL_RISK_SCORE])
    return out


def build_portfolio(
    activities: list[Activity], *, as_of: date | None = None
) -> tuple[pd.DataFrame, BuildReport, date]:
    """Turn parsed activities into the canonical table.

    Args:
        activities: parsed IATI activities (any number of files).
        as_of: the data date; defaults to the latest last-updated date.

    Returns:
        (table, report, as_of). The table has exactly `schema.COLUMNS`, one row
        per activity and recipient country, in input order.
    """
    ref, iso2_to_3 = _reference()
    rep = BuildReport()
    rows: list[dict[str, object]] = []
    for act in activities:
        rows.extend(activity_rows(act, ref, iso2_to_3, rep))
    when = as_of or data_date(activities) or date.today()
    df = coerce_types(pd.DataFrame(rows, columns=_INPUT_COLUMNS))
    df = derive_indicators(df, when)
    return df[list(S.COLUMNS)], rep, when


_DERIVED = {S.COL_DELIVERY, S.COL_ELAPSED, S.COL_SLIPPAGE, S.COL_RISK_SCORE, S.COL_RISK}
_INPUT_COLUMNS = [c for c in S.COLUMNS if c not in _DERIVED]


def _reference() -> tuple[pd.DataFrame, dict[str, str]]:
    ref = country_reference()
    return ref, {iso2: iso3 for iso3, iso2 in ref["iso2"].items()}


def coerce_types(df: pd.DataFrame) -> pd.DataFrame:
    """Cast columns present in `df` to the schema's dtypes."""
    out = df.copy()
    for col in S.STRING_COLUMNS:
        if col in out:
            out[col] = out[col].fillna("").astype(str)
    for col in S.FLOAT_COLUMNS:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in S.INT_COLUMNS:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    for col in S.BOOL_COLUMNS:
        if col in out:
            out[col] = out[col].fillna(False).astype(bool)
    for col in S.DATE_COLUMNS:
        if col in out:
            out[col] = pd.to_datetime(out[col], errors="coerce")
    return out


def enrich_countries(df: pd.DataFrame) -> pd.DataFrame:
    """Fill country context (names, region, risk, capacity, label point) from ISO3.

    Used for user-supplied tables, which carry only the country code; values the
    user did give are kept.
    """
    ref = country_reference()
    out = df.copy()
    iso3 = out[S.COL_COUNTRY].fillna("").astype(str).str.upper().str.strip()
    out[S.COL_COUNTRY] = iso3
    pairs = (
        (S.COL_COUNTRY_ISO2, "iso2"),
        (S.COL_COUNTRY_NAME, "name"),
        (S.COL_REGION, "region"),
        (S.COL_INCOME, "income_group"),
        (S.COL_INFORM, "inform_risk"),
        (S.COL_INFORM_CLASS, "inform_class"),
        (S.COL_GE, "wgi_ge"),
        (S.COL_GE_PCT, "wgi_ge_pct"),
        (S.COL_GE_YEAR, "wgi_year"),
    )
    for col, ref_col in pairs:
        mapped = iso3.map(ref[ref_col])
        current = out[col] if col in out else pd.Series(pd.NA, index=out.index)
        blank = current.isna() | (current.astype(str) == "")
        out[col] = current.where(~blank, mapped)
    out[S.COL_REGION] = out[S.COL_REGION].fillna("").replace("", S.REGIONAL)
    no_point = out[S.COL_LAT].isna() | out[S.COL_LON].isna()
    if no_point.any():
        out.loc[no_point, S.COL_LAT] = (
            iso3[no_point].map(ref["label_lat"]).astype(float)
        )
        out.loc[no_point, S.COL_LON] = (
            iso3[no_point].map(ref["label_lon"]).astype(float)
        )
    precision = out[S.COL_PRECISION].fillna("").astype(str)
    precision = precision.where(precision != "", "site")
    precision = precision.where(~no_point, "country")
    out[S.COL_PRECISION] = precision.where(out[S.COL_LAT].notna(), "none")
    return out
