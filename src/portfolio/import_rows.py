"""Checking CSV and .xlsx rows against the template, and the accepted table.

Every rule gives a plain message naming the row and the column; a row with an
error is rejected with its reasons, a row with only warnings is accepted.
Accepted rows get the same derived values as the bundled IATI data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import date

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.build import coerce_types, derive_indicators, enrich_countries
from src.portfolio.fx import to_usd
from src.portfolio.import_report import (
    FileSummary,
    ImportProblem,
    ImportReport,
    refuse,
)
from src.portfolio.import_template import COL_CURRENCY, TEMPLATE_NAMES
from src.portfolio.reference import country_reference

_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234,567.89
_TRUE = {"true", "1", "yes", "y", "oui", "vrai"}
_FALSE = {"false", "0", "no", "n", "non", "faux", ""}
_DATE_FIELDS = {
    S.COL_START: "start date",
    S.COL_END: "end date",
    S.COL_START_PLANNED: "planned start date",
    S.COL_END_PLANNED: "planned end date",
}


def validate_table(
    summary: FileSummary,
    name: str,
    header: list[str],
    rows: list[tuple[int, dict[str, str]]],
    seen: dict[tuple[str, str], str],
    report: ImportReport,
    accepted: list[dict[str, object]],
    rejected: list[dict[str, object]],
) -> None:
    """Check every row of one file; fill `accepted` and `rejected`."""
    missing = [c for c in S.REQUIRED_INPUT_COLUMNS if c not in header]
    if missing:
        refuse(
            report,
            summary,
            f"missing required column(s): {', '.join(missing)}; use the template",
        )
        return
    unknown = [h for h in header if h and h not in TEMPLATE_NAMES]
    if unknown:
        report.problems.append(
            ImportProblem(
                name,
                1,
                "",
                ", ".join(unknown),
                f"row 1: column(s) {', '.join(unknown)} are not in the template; "
                "ignored",
                "warning",
            )
        )
    checker = _RowChecker(name, seen)
    for number, rec in rows:
        if not any(str(v).strip() for k, v in rec.items() if not k.startswith("__")):
            continue  # blank line
        summary.read += 1
        out, problems = checker.check(number, rec)
        report.problems.extend(problems)
        errors = [p.message for p in problems if p.severity == "error"]
        if errors:
            summary.rejected += 1
            rejected.append(
                {
                    "file": name,
                    "row": number,
                    **{k: v for k, v in rec.items() if k in TEMPLATE_NAMES},
                    "reason": "; ".join(errors),
                }
            )
        else:
            summary.accepted += 1
            accepted.append(out)


class _RowChecker:
    """Validation rules for one template row (stateful: duplicate detection)."""

    def __init__(self, name: str, seen: dict[tuple[str, str], str]) -> None:
        self.name = name
        self.seen = seen
        ref = country_reference()
        self.iso3 = set(ref.index)
        self.iso2 = {iso2: iso3 for iso3, iso2 in ref["iso2"].items()}
        self.groups = {g.lower(): g for g in S.SECTOR_GROUPS}

    def check(
        self, number: int, rec: dict[str, str]
    ) -> tuple[dict[str, object], list[ImportProblem]]:
        """Return the canonical values and the problems of one row."""
        problems: list[ImportProblem] = []
        pid = rec.get(S.COL_PROJECT_ID, "").strip()

        def add(column: str, text: str, severity: str = "error") -> None:
            problems.append(
                ImportProblem(
                    self.name, number, pid, column, f"row {number}: {text}", severity
                )
            )

        if "__extra__" in rec:
            add("", f"has {rec['__extra__']} values, more than the header's columns")
        for key, formula in rec.items():
            if key.startswith("__formula__:"):
                add(
                    key.split(":", 1)[1],
                    f"cell {key.split(':', 1)[1]} contains a formula ({formula}); "
                    "formulas are not evaluated on import, paste values only",
                )
        if not pid:
            add(S.COL_PROJECT_ID, "project id is missing")
        out: dict[str, object] = {
            S.COL_PROJECT_ID: pid,
            S.COL_SOURCE_FILE: self.name,
            S.COL_END_SOURCE: "reported",
        }
        for col in (
            S.COL_TITLE,
            S.COL_AGENCY,
            S.COL_STATUS,
            S.COL_SECTOR_CODE,
            S.COL_FUNDERS,
            S.COL_IMPLEMENTERS,
        ):
            out[col] = rec.get(col, "").strip()
        iso3 = self._country(rec.get(S.COL_COUNTRY, ""), add)
        out[S.COL_COUNTRY] = iso3
        self._sector(rec.get(S.COL_SECTOR_GROUP, ""), out, add)
        dates = {
            col: self._date(
                rec.get(col, ""), col, required=col in (S.COL_START, S.COL_END), add=add
            )
            for col in _DATE_FIELDS
        }
        out.update(dates)
        start, end = dates[S.COL_START], dates[S.COL_END]
        if start and end and end < start:
            add(S.COL_END, f"end date {end} is before start date {start}")
        budget = self._amount(
            rec.get(S.COL_BUDGET, ""), S.COL_BUDGET, "budget", add, required=True
        )
        spent = self._amount(
            rec.get(S.COL_SPENT, ""), S.COL_SPENT, "spent", add, required=False
        )
        if budget is not None and spent is not None and spent > budget:
            share = f" ({spent / budget:.0%} of it)" if budget > 0 else ""
            add(
                S.COL_SPENT,
                f"spent {spent:,.2f} is above the budget {budget:,.2f}{share}; "
                "accepted, please check",
                "warning",
            )
        currency = (rec.get(COL_CURRENCY, "") or "USD").strip().upper() or "USD"
        year = start.year if start else None
        for col, value in ((S.COL_BUDGET, budget), (S.COL_SPENT, spent)):
            if value is None:
                out[col] = math.nan if col == S.COL_SPENT else None
                continue
            conv = to_usd(value, currency, year)
            if conv.usd is None:
                if col == S.COL_BUDGET:
                    add(COL_CURRENCY, f"currency {currency} has no exchange rate")
                out[col] = None
            else:
                if conv.note and col == S.COL_BUDGET:
                    add(COL_CURRENCY, conv.note, "warning")
                out[col] = conv.usd
        out[S.COL_SPEND_REPORTED] = spent is not None
        if spent is None:
            out[S.COL_SPENT] = 0.0
        out[S.COL_LAT] = self._coordinate(rec.get(S.COL_LAT, ""), S.COL_LAT, 90, add)
        out[S.COL_LON] = self._coordinate(rec.get(S.COL_LON, ""), S.COL_LON, 180, add)
        out[S.COL_N_SITES] = 0 if out[S.COL_LAT] is None else 1
        hum = rec.get(S.COL_HUMANITARIAN, "").strip().lower()
        if hum not in _TRUE | _FALSE:
            add(S.COL_HUMANITARIAN, f"humanitarian {hum!r} is not true or false")
        out[S.COL_HUMANITARIAN] = hum in _TRUE
        if pid and not any(p.severity == "error" for p in problems):
            key = (pid, iso3)
            first = self.seen.get(key)
            if first is not None:
                where = f" in {iso3}" if iso3 else ""
                add(S.COL_PROJECT_ID, f"duplicate id {pid}{where} (already in {first})")
            else:
                self.seen[key] = f"{self.name} row {number}"
        return out, problems

    def _country(self, raw: str, add: Callable[..., None]) -> str:
        code = raw.strip().upper()
        if not code:
            add(S.COL_COUNTRY, "no country code; counted as regional", "warning")
            return ""
        if code in self.iso3:
            return code
        if len(code) == 2 and code in self.iso2:
            iso3 = self.iso2[code]
            add(S.COL_COUNTRY, f"country code {code} read as {iso3}", "warning")
            return iso3
        add(S.COL_COUNTRY, f"country code {raw.strip()} is not a known ISO 3166 code")
        return ""

    def _sector(
        self, raw: str, out: dict[str, object], add: Callable[..., None]
    ) -> None:
        text = raw.strip()
        if not text:
            out[S.COL_SECTOR_GROUP] = S.SECTOR_NOT_REPORTED
            out[S.COL_SECTOR_SOURCE] = "not reported"
            return
        group = self.groups.get(text.lower())
        if group is None:
            add(
                S.COL_SECTOR_GROUP,
                f"sector group {text} is not one of: {', '.join(S.SECTOR_GROUPS)}",
            )
            group = ""
        out[S.COL_SECTOR_GROUP] = group
        out[S.COL_SECTOR_SOURCE] = "reported"

    @staticmethod
    def _date(
        raw: str, col: str, *, required: bool, add: Callable[..., None]
    ) -> date | None:
        text = raw.strip().lstrip("'")
        label = _DATE_FIELDS[col]
        if not text:
            if required:
                add(col, f"{label} is missing")
            return None
        try:
            if len(text) < 10 or text[4] != "-":
                raise ValueError
            return date.fromisoformat(text[:10])
        except ValueError:
            add(col, f"{label} {text} is not a date (use yyyy-mm-dd)")
            return None

    @staticmethod
    def _amount(
        raw: str, col: str, label: str, add: Callable[..., None], *, required: bool
    ) -> float | None:
        text = raw.strip().lstrip("'").replace("\u00a0", "").replace(" ", "")
        if not text:
            if required:
                add(col, f"{label} is missing")
            return None
        try:
            value = float(text.replace(",", "") if _THOUSANDS.fullmatch(text) else text)
        except ValueError:
            add(col, f"{label} {raw.strip()!r} is not a number")
            return None
        if not math.isfinite(value):
            add(col, f"{label} {raw.strip()!r} is not a number")
            return None
        if value < 0:
            add(col, f"{label} {value:,.2f} is negative")
            return None
        return value

    @staticmethod
    def _coordinate(
        raw: str, col: str, bound: float, add: Callable[..., None]
    ) -> float | None:
        text = raw.strip().lstrip("'")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            add(col, f"{col} {text!r} is not a number")
            return None
        if not -bound <= value <= bound:
            add(col, f"{col} {value} is outside -{bound}..{bound}")
            return None
        return value


def canonical(rows: Iterable[dict[str, object]], as_of: date) -> pd.DataFrame:
    """Accepted template rows -> canonical table (same derivations as IATI)."""
    df = pd.DataFrame(list(rows))
    for col in S.COLUMNS:
        if col not in df:
            df[col] = pd.NA
    df = coerce_types(df)
    # a multi-country project's rows are its country shares, by budget
    totals = df.groupby(S.COL_PROJECT_ID)[S.COL_BUDGET].transform("sum")
    counts = df.groupby(S.COL_PROJECT_ID)[S.COL_BUDGET].transform("size")
    df[S.COL_COUNTRY_SHARE] = (df[S.COL_BUDGET] / totals).where(totals > 0, 1 / counts)
    # enrich_countries fills label points; the user's own points go back after
    # (it cannot assign an empty selection when every row has a point)
    lat, lon = df[S.COL_LAT].copy(), df[S.COL_LON].copy()
    df[S.COL_LAT] = df[S.COL_LON] = math.nan
    df = coerce_types(enrich_countries(df))
    site = lat.notna() & lon.notna()
    df.loc[site, S.COL_LAT] = lat[site]
    df.loc[site, S.COL_LON] = lon[site]
    df.loc[site, S.COL_PRECISION] = "site"
    return derive_indicators(df, as_of)[list(S.COLUMNS)]
