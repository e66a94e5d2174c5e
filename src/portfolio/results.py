"""Results ladder: which projects report outputs, outcomes and numbers.

Pure functions on the portfolio table and the "result" rows of the details
table (`activity_tables`, one row per IATI result indicator, values as
published). Values are repaired here, never in the parser, and every repair is
flagged. Definitions, repair rules and sources are in docs/INDICATORS.md.

A project's budget on a rung is its budget in the rows given (a country's share
on the Country page); negative budgets (net revisions) count as 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.i18n import translate
from src.portfolio import schema as S
from src.portfolio.money_fixes import FIX_COLUMNS

OUTPUT, OUTCOME, IMPACT = "1", "2", "3"  # IATI ResultType
RUNGS: tuple[str, ...] = ("all", "output", "outcome", "impact", "numeric")
"""Ladder rungs: every project, then projects with at least one output,
outcome or impact indicator, and with one indicator whose baseline, target and
actual are all numbers (impact is counted beside the ladder, not on it)."""

VALUE_COLUMNS = (S.DT_BASELINE, S.DT_TARGET, S.DT_ACTUAL)
_VALUES = VALUE_COLUMNS
# Value states after repair
NUMBER, REPAIRED, TEXT, MISSING = "number", "repaired", "text", "missing"
AMBIGUOUS = "ambiguous"  # dot-grouped digits: thousands or decimals, not read
COMMENT = "comment"  # given only as <comment> text, not @value: not read as a number
_YEAR = r"(?:(?P<year>(?:19|20)\d{2})?\s*:\s*)?"  # UNICEF's "2020:2160"
_NUM = r"(?P<num>[-+]?(?:\d{1,3}(?:[,\s\u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?)"
_VALUE_RE = re.compile(rf"^\s*{_YEAR}{_NUM}?\s*(?P<pct>%)?\s*$")
# "5.000" or "2021:300.000": Spanish/French thousands (5000) or a decimal (5.0)?
_DOT_GROUPS_RE = re.compile(rf"^\s*{_YEAR}[-+]?[1-9]\d{{0,2}}(?:\.\d{{3}})+\s*%?\s*$")


@dataclass(frozen=True)
class Value:
    """A published value read as a number.

    Attributes:
        number: the number, None when none could be read.
        state: "number" (as published), "repaired" (read from text by a
            rule in `repairs`), "ambiguous" (dot-grouped digits such as
            "5.000": 5000 in Spanish, 5.0 as an IATI decimal; not read),
            "text" (not a number) or "missing".
        year: the year the value was prefixed with ("" when none).
        repairs: the rules applied, "+"-joined: year, separators, percent.
    """

    number: float | None
    state: str
    year: str = ""
    repairs: str = ""


def read_value(text: str) -> Value:
    """Read a baseline, target or actual as published.

    >>> read_value("12.5")
    Value(number=12.5, state='number', year='', repairs='')
    >>> read_value("2020:2,160")
    Value(number=2160.0, state='repaired', year='2020', repairs='year+separators')
    >>> read_value("45%").number, read_value(":").state, read_value("Yes").state
    (45.0, 'missing', 'text')
    >>> read_value("2020:5.000").state
    'ambiguous'
    """
    raw = (text or "").strip()
    if _DOT_GROUPS_RE.match(raw):
        return Value(None, AMBIGUOUS)
    match = _VALUE_RE.match(raw)
    if not raw or (match is not None and match["num"] is None and not match["pct"]):
        return Value(None, MISSING)  # "" or "2020:" / ":" (no value after the year)
    if match is None or match["num"] is None:
        return Value(None, TEXT)
    num = match["num"]
    repairs = [
        name
        for name, applied in (
            ("year", ":" in raw),
            ("separators", re.search(r"[,\s\u00a0\u202f]", num) is not None),
            ("percent", bool(match["pct"])),
        )
        if applied
    ]
    number = float(re.sub(r"[,\s\u00a0\u202f]", "", num))
    if not math.isfinite(number):  # 400 digits overflow a float: not a usable number
        return Value(None, TEXT)
    state = REPAIRED if repairs else NUMBER
    return Value(number, state, match["year"] or "", "+".join(repairs))


def achievement(baseline: float, target: float, actual: float) -> float:
    """(actual − baseline) / (target − baseline), clamped to 0–1.

    The direction is the one the target sets (a target below the baseline
    means lower is better), so the IATI ``ascending`` flag is not needed.
    NaN when target equals baseline (no distance to cover).

    >>> achievement(0, 10, 4), achievement(100, 50, 75), achievement(0, 10, 12)
    (0.4, 0.5, 1.0)
    """
    if target == baseline:
        return float("nan")
    return float(min(1.0, max(0.0, (actual - baseline) / (target - baseline))))


def indicators(details: pd.DataFrame) -> pd.DataFrame:
    """One row per result indicator, values read and achievement computed.

    Returns:
        project_id, result_type, result_title, indicator, measure, ascending,
        and for each of baseline, target, actual: the text as published, the
        number (`<v>_value`), its state (`<v>_state`: a `Value` state, or
        "comment" for text given only in <comment>), repairs (`<v>_repairs`)
        and year prefix (`<v>_year`); then numeric (all three numbers),
        achievement (NaN where not computable), direction ("up", "down",
        "flat", "" when not numeric) and ascending_conflict (the published or
        default flag contradicts the target's direction).
    """
    res = details[details[S.DT_KIND] == "result"]
    out = pd.DataFrame(
        {
            S.COL_PROJECT_ID: res[S.COL_PROJECT_ID].to_numpy(),
            "result_type": res[S.DT_ROLE].to_numpy(),
            "result_title": res[S.DT_NAME].to_numpy(),
            "indicator": res[S.DT_TEXT].to_numpy(),
            "measure": res[S.DT_MEASURE].to_numpy(),
            "ascending": res[S.DT_ASCENDING].to_numpy(),
            "baseline_year": res[S.DT_BASELINE_YEAR].to_numpy(),
            "period_end": res[S.DT_PERIOD_END].to_numpy(),
        }
    )
    commented = [set(c.split("+")) for c in res[S.DT_FROM_COMMENT]]
    for col in _VALUES:
        values = [
            Value(None, COMMENT) if col in notes else read_value(v)
            for v, notes in zip(res[col], commented, strict=True)
        ]
        out[col] = res[col].to_numpy()
        out[f"{col}_value"] = [np.nan if v.number is None else v.number for v in values]
        out[f"{col}_state"] = [v.state for v in values]
        out[f"{col}_repairs"] = [v.repairs for v in values]
        out[f"{col}_year"] = [v.year for v in values]
    b, tg, a = (out[f"{c}_value"] for c in ("baseline", "target", "actual"))
    out["numeric"] = b.notna() & tg.notna() & a.notna()
    out["achievement"] = [
        achievement(x, y, z) if ok else np.nan
        for x, y, z, ok in zip(b, tg, a, out["numeric"], strict=True)
    ]
    out["direction"] = np.select(
        [~out["numeric"], tg > b, tg < b], ["", "up", "down"], default="flat"
    )
    down_flag = out["ascending"] == "0"  # IATI default (not stated) is ascending
    out["ascending_conflict"] = (down_flag & (out["direction"] == "up")) | (
        ~down_flag & (out["direction"] == "down")
    )
    return out


def _projects(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per project: sector group, publisher, budget (≥ 0) in `rows`."""
    budget = rows[S.COL_BUDGET].fillna(0.0).clip(lower=0.0)
    g = rows.assign(**{S.COL_BUDGET: budget}).groupby(S.COL_PROJECT_ID, sort=False)
    return g.agg(
        sector=(S.COL_SECTOR_GROUP, "first"),
        publisher=(S.COL_AGENCY, "first"),
        budget_usd=(S.COL_BUDGET, "sum"),
    )


def project_flags(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per project of `rows`: which rungs it reaches.

    Args:
        rows: portfolio rows (the selection).
        table: `indicators(details)`.

    Returns:
        indexed by project_id: sector, publisher, budget_usd, indicators (count),
        and one boolean column per rung of `RUNGS`.
    """
    proj = _projects(rows)
    ind = table[table[S.COL_PROJECT_ID].isin(proj.index)]
    g = ind.groupby(S.COL_PROJECT_ID)
    proj["indicators"] = g.size().reindex(proj.index, fill_value=0)
    proj["all"] = True
    for rung, code in (("output", OUTPUT), ("outcome", OUTCOME), ("impact", IMPACT)):
        has = ind.loc[ind["result_type"] == code, S.COL_PROJECT_ID].unique()
        proj[rung] = proj.index.isin(has)
    proj["numeric"] = proj.index.isin(ind.loc[ind["numeric"], S.COL_PROJECT_ID])
    return proj


def ladder(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The results ladder per sector group, with a "total" group first.

    Returns:
        long format, one row per (sector, rung): sector, rung, projects,
        budget_usd, share_projects and share_budget (of the sector's projects
        and budget; NaN when the sector's budget is 0).
    """
    flags = project_flags(rows, table)
    recs = []
    groups = [("total", flags)] + list(flags.groupby("sector", sort=True))
    for sector, part in groups:
        n, money = len(part), float(part["budget_usd"].sum())
        for rung in RUNGS:
            on = part[part[rung]]
            spent = float(on["budget_usd"].sum())
            recs.append(
                (
                    sector,
                    rung,
                    len(on),
                    spent,
                    len(on) / n if n else np.nan,
                    spent / money if money > 0 else np.nan,
                )
            )
    cols = ["sector", "rung", "projects", "budget_usd", "share_projects"]
    return pd.DataFrame(recs, columns=[*cols, "share_budget"])


def achievement_by_sector(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Median achievement per sector group ("total" first), with its n.

    Returns:
        sector, median (NaN when no indicator is computable), indicators
        (computable ones), projects (having one).
    """
    flags = project_flags(rows, table)
    ind = table[table[S.COL_PROJECT_ID].isin(flags.index)].copy()
    ind["sector"] = ind[S.COL_PROJECT_ID].map(flags["sector"])
    ok = ind[ind["achievement"].notna()]
    recs = []
    groups = [("total", ok)] + [
        (s, ok[ok["sector"] == s]) for s in sorted(ok.sector.unique())
    ]
    for sector, part in groups:
        median = float(part["achievement"].median()) if len(part) else np.nan
        recs.append((sector, median, len(part), part[S.COL_PROJECT_ID].nunique()))
    return pd.DataFrame(recs, columns=["sector", "median", "indicators", "projects"])


@dataclass(frozen=True)
class Coverage:
    """What the results figures rest on.

    Attributes:
        projects: projects in the selection; with_indicators: those with at
        least one result indicator; indicators: their indicators; numeric:
        indicators with numeric baseline, target and actual; achievement:
        those where achievement is computable (target ≠ baseline);
        repaired: values (of 3 per indicator) read from text by a repair rule.
    """

    projects: int
    with_indicators: int
    indicators: int
    numeric: int
    achievement: int
    repaired: int


def coverage(rows: pd.DataFrame, table: pd.DataFrame) -> Coverage:
    """The coverage of the results figures for a selection."""
    flags = project_flags(rows, table)
    ind = table[table[S.COL_PROJECT_ID].isin(flags.index)]
    repaired = sum(int((ind[f"{c}_state"] == REPAIRED).sum()) for c in _VALUES)
    return Coverage(
        projects=len(flags),
        with_indicators=int((flags["indicators"] > 0).sum()),
        indicators=len(ind),
        numeric=int(ind["numeric"].sum()),
        achievement=int(ind["achievement"].notna().sum()),
        repaired=repaired,
    )


def ascending_findings(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per publisher: how the ``ascending`` flag is used.

    ``ascending="0"`` on every indicator of a publisher looks like a default
    rather than a statement that lower is better: it is reported, and
    achievement does not use it (see `achievement`).

    Returns:
        publisher, indicators, ascending_zero (published "0"), all_zero,
        directed (numeric with target ≠ baseline), conflicts (flag against the
        target's direction).
    """
    flags = project_flags(rows, table)
    ind = table[table[S.COL_PROJECT_ID].isin(flags.index)].copy()
    ind["publisher"] = ind[S.COL_PROJECT_ID].map(flags["publisher"])
    g = ind.groupby("publisher", sort=True)
    out = pd.DataFrame(
        {
            "indicators": g.size(),
            "ascending_zero": g["ascending"].apply(lambda s: int((s == "0").sum())),
            "directed": g["direction"].apply(
                lambda s: int(s.isin(["up", "down"]).sum())
            ),
            "conflicts": g["ascending_conflict"].sum().astype(int),
        }
    ).reset_index()
    out["all_zero"] = out["ascending_zero"] == out["indicators"]
    return out[
        [
            "publisher",
            "indicators",
            "ascending_zero",
            "all_zero",
            "directed",
            "conflicts",
        ]
    ]


def fix_rows(rows: pd.DataFrame, table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """What each publisher would need to publish for the results figures.

    Only rows with something missing are listed.

    Returns:
        publisher, indicator, missing, total, unit, what (`FIX_COLUMNS`; the
        money list has the same shape), by publisher then the order below.
    """
    flags = project_flags(rows, table)
    ind = table[table[S.COL_PROJECT_ID].isin(flags.index)].copy()
    ind["publisher"] = ind[S.COL_PROJECT_ID].map(flags["publisher"])
    asc = ascending_findings(rows, table).set_index("publisher")
    recs = []
    for pub, part in flags.groupby("publisher", sort=True):
        mine = ind[ind["publisher"] == pub]
        values = len(mine) * len(_VALUES)
        repaired = sum(int((mine[f"{c}_state"] == REPAIRED).sum()) for c in _VALUES)
        unclear = sum(int((mine[f"{c}_state"] == AMBIGUOUS).sum()) for c in _VALUES)
        comments = sum(int((mine[f"{c}_state"] == COMMENT).sum()) for c in _VALUES)
        zero = int(asc.at[pub, "ascending_zero"]) if pub in asc.index else 0
        conflicts = int(asc.at[pub, "conflicts"]) if pub in asc.index else 0
        directed = int(asc.at[pub, "directed"]) if pub in asc.index else 0
        candidates = [
            ("indicators", int((part["indicators"] == 0).sum()), len(part), "projects"),
            ("outcome", int((~part["outcome"]).sum()), len(part), "projects"),
            ("numeric", int((~mine["numeric"]).sum()), len(mine), "indicators"),
            ("repaired", repaired, values, "values"),
            ("ambiguous", unclear, values, "values"),
            ("comment", comments, values, "values"),
            (
                "ascending_default",
                zero if zero == len(mine) else 0,
                len(mine),
                "indicators",
            ),
            ("ascending_conflict", conflicts, directed, "indicators"),
        ]
        for key, missing, total, unit in candidates:
            if missing > 0:
                recs.append(
                    (
                        pub,
                        translate(f"fix.results.{key}", lang),
                        missing,
                        total,
                        translate(f"fix.unit.{unit}", lang),
                        translate(f"fix.results.{key}.what", lang),
                    )
                )
    return pd.DataFrame(recs, columns=list(FIX_COLUMNS))
