"""Checking CSV and .xlsx rows against the template, and the accepted table.

Every rule gives a `Problem` naming the row and the column (a catalog key
"import.*" with its params); a row with an error is rejected with its errors,
a row with only warnings is accepted.
Accepted rows get the same derived values as the bundled IATI data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

from src.portfolio import schema as S
from src.portfolio.fx import NEAREST_YEAR, to_usd
from src.portfolio.import_report import (
    FileSummary,
    ImportReport,
    RejectedRow,
    refuse,
)
from src.portfolio.import_template import COL_CURRENCY, TEMPLATE_NAMES
from src.portfolio.reference import country_reference
from src.problems import ERROR, WARNING, Problem

_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234,567.89
_TRUE = {"true", "1", "yes", "y", "oui", "vrai"}
_FALSE = {"false", "0", "no", "n", "non", "faux", ""}
_DATE_FIELDS = (
    S.COL_START,
    S.COL_END,
    S.COL_START_PLANNED,
    S.COL_END_PLANNED,
    S.COL_END_ACTUAL,
)
"""Date columns; messages name them through keys import.date_*.<column>."""


def validate_table(
    summary: FileSummary,
    name: str,
    header: list[str],
    rows: list[tuple[int, dict[str, str]]],
    seen: dict[tuple[str, str], tuple[str, int | None]],
    report: ImportReport,
    accepted: list[dict[str, object]],
    rejected: list[RejectedRow],
) -> None:
    """Check every row of one file; fill `accepted` and `rejected`."""
    missing = [c for c in S.REQUIRED_INPUT_COLUMNS if c not in header]
    if missing:
        refuse(
            report, summary, "import.file.missing_columns", columns=", ".join(missing)
        )
        return
    unknown = [h for h in header if h and h not in TEMPLATE_NAMES]
    if unknown:
        columns = ", ".join(unknown)
        params = {"row": 1, "columns": columns}
        report.problems.append(
            Problem("import.unknown_columns", params, name, "", columns, WARNING)
        )
    checker = _RowChecker(name, seen)
    for number, rec in rows:
        if not any(str(v).strip() for k, v in rec.items() if not k.startswith("__")):
            continue  # blank line
        summary.read += 1
        out, problems = checker.check(number, rec)
        report.problems.extend(problems)
        errors = tuple(p for p in problems if p.severity == ERROR)
        if errors:
            summary.rejected += 1
            values = {k: v for k, v in rec.items() if k in TEMPLATE_NAMES}
            pid = values.get(S.COL_PROJECT_ID, "")
            rejected.append(RejectedRow(name, number, pid, values, errors))
        else:
            summary.accepted += 1
            accepted.append(out)


class _RowChecker:
    """Validation rules for one template row (stateful: duplicate detection)."""

    def __init__(
        self, name: str, seen: dict[tuple[str, str], tuple[str, int | None]]
    ) -> None:
        self.name = name
        self.seen = seen
        ref = country_reference()
        self.iso3 = set(ref.index)
        self.iso2 = {iso2: iso3 for iso3, iso2 in ref["iso2"].items()}
        self.groups = {g.lower(): g for g in S.SECTOR_GROUPS}

    def check(
        self, number: int, rec: dict[str, str]
    ) -> tuple[dict[str, object], list[Problem]]:
        """Return the canonical values and the problems of one row."""
        problems: list[Problem] = []
        pid = rec.get(S.COL_PROJECT_ID, "").strip()

        def add(
            column: str, key: str, severity: str = ERROR, /, **params: object
        ) -> None:
            params = {"row": number, **params}
            problems.append(Problem(key, params, self.name, pid, column, severity))

        if "__extra__" in rec:
            add("", "import.extra_values", count=int(rec["__extra__"]))
        for key, formula in rec.items():
            if key.startswith("__formula__:"):
                cell = key.split(":", 1)[1]
                add(cell, "import.formula", column=cell, formula=formula)
        if not pid:
            add(S.COL_PROJECT_ID, "import.id_missing")
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
            add(
                S.COL_END,
                "import.end_before_start",
                end=end.isoformat(),
                start=start.isoformat(),
            )
        budget = self._amount(
            rec.get(S.COL_BUDGET, ""), S.COL_BUDGET, add, required=True
        )
        spent = self._amount(rec.get(S.COL_SPENT, ""), S.COL_SPENT, add, required=False)
        if budget is not None and spent is not None and spent > budget:
            amounts = {"spent": f"{spent:,.2f}", "budget": f"{budget:,.2f}"}
            if budget > 0:
                share = f"{spent / budget:.0%}"
                add(
                    S.COL_SPENT,
                    "import.spent_above_budget",
                    "warning",
                    **amounts,
                    share=share,
                )
            else:
                add(S.COL_SPENT, "import.spent_above_zero_budget", "warning", **amounts)
        currency = (rec.get(COL_CURRENCY, "") or "USD").strip().upper() or "USD"
        year = start.year if start else None
        for col, value in ((S.COL_BUDGET, budget), (S.COL_SPENT, spent)):
            if value is None:
                out[col] = math.nan if col == S.COL_SPENT else None
                continue
            conv = to_usd(value, currency, year)
            if conv.usd is None:
                if col == S.COL_BUDGET:
                    add(COL_CURRENCY, "import.no_rate", currency=currency)
                out[col] = None
            else:
                if conv.reason == NEAREST_YEAR and col == S.COL_BUDGET:
                    _rate_note(currency, year, conv.rate_year, add)
                out[col] = conv.usd
        out[S.COL_SPEND_REPORTED] = spent is not None
        if spent is None:
            out[S.COL_SPENT] = 0.0
        out[S.COL_LAT] = self._coordinate(rec.get(S.COL_LAT, ""), S.COL_LAT, 90, add)
        out[S.COL_LON] = self._coordinate(rec.get(S.COL_LON, ""), S.COL_LON, 180, add)
        out[S.COL_N_SITES] = 0 if out[S.COL_LAT] is None else 1
        hum = rec.get(S.COL_HUMANITARIAN, "").strip().lower()
        if hum not in _TRUE | _FALSE:
            add(S.COL_HUMANITARIAN, "import.humanitarian", value=hum)
        out[S.COL_HUMANITARIAN] = hum in _TRUE
        if pid and not any(p.severity == "error" for p in problems):
            key = (pid, iso3)
            first = self.seen.get(key)
            if first is not None:
                file, row = first  # row None: an IATI file
                msg = "import.duplicate_id" + ("" if row is None else "_row")
                msg += "" if iso3 else "_no_country"
                params: dict[str, object] = {"id": pid, "file": file}
                if row is not None:
                    params["first_row"] = row
                if iso3:
                    params["country"] = iso3
                add(S.COL_PROJECT_ID, msg, **params)
            else:
                self.seen[key] = (self.name, number)
        return out, problems

    def _country(self, raw: str, add: Callable[..., None]) -> str:
        code = raw.strip().upper()
        if not code:
            add(S.COL_COUNTRY, "import.country_missing", "warning")
            return ""
        if code in self.iso3:
            return code
        if len(code) == 2 and code in self.iso2:
            iso3 = self.iso2[code]
            add(S.COL_COUNTRY, "import.country_iso2", "warning", code=code, iso3=iso3)
            return iso3
        add(S.COL_COUNTRY, "import.country_unknown", code=raw.strip())
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
                "import.sector_unknown",
                value=text,
                groups=", ".join(S.SECTOR_GROUPS),
            )
            group = ""
        out[S.COL_SECTOR_GROUP] = group
        out[S.COL_SECTOR_SOURCE] = "reported"

    @staticmethod
    def _date(
        raw: str, col: str, *, required: bool, add: Callable[..., None]
    ) -> date | None:
        text = raw.strip().lstrip("'")
        if not text:
            if required:
                add(col, f"import.date_missing.{col}")
            return None
        try:
            if len(text) < 10 or text[4] != "-":
                raise ValueError
            return date.fromisoformat(text[:10])
        except ValueError:
            add(col, f"import.date_invalid.{col}", value=text)
            return None

    @staticmethod
    def _amount(
        raw: str, col: str, add: Callable[..., None], *, required: bool
    ) -> float | None:
        text = raw.strip().lstrip("'").replace("\u00a0", "").replace(" ", "")
        if not text:
            if required:
                add(col, f"import.amount_missing.{col}")
            return None
        try:
            value = float(text.replace(",", "") if _THOUSANDS.fullmatch(text) else text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            add(col, f"import.amount_not_number.{col}", value=raw.strip())
            return None
        if value < 0:
            add(col, f"import.amount_negative.{col}", value=f"{value:,.2f}")
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
            add(col, "import.coordinate_not_number", column=col, value=text)
            return None
        if not -bound <= value <= bound:
            add(
                col,
                "import.coordinate_range",
                column=col,
                value=str(value),
                bound=str(bound),
            )
            return None
        return value


def _rate_note(
    currency: str, year: int | None, used: int | None, add: Callable[..., None]
) -> None:
    """The warning for a rate taken from the nearest year of the table."""
    params: dict[str, object] = {"currency": currency, "used": used}
    if year is None:
        add(COL_CURRENCY, "import.rate_nearest_no_year", WARNING, **params)
    else:
        add(COL_CURRENCY, "import.rate_nearest", WARNING, year=year, **params)
