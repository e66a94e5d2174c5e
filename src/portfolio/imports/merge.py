"""The merge step: IATI rows screened by the canonical rules, duplicates, one table.

`screen_iati` runs the rules that read canonical values (rules.CANONICAL_RULES:
money and date bounds) on the IATI rows: an activity with an error is rejected
whole, with its reason. `SeenIds` is the duplicate check of template rows
against everything accepted before them; `combine` joins the parts into the
canonical table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.imports.cells import DATE_FIELDS
from src.portfolio.imports.rules import (
    CANONICAL_RULES,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_USD,
    check_row,
)
from src.problems import ERROR, Problem
from src.settings import Settings


class SeenIds:
    """The (project id, country) pairs accepted so far, with where they came from."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[str, int | None]] = {}

    def add_iati(self, df: pd.DataFrame) -> None:
        """Record the rows of the IATI table (they come first)."""
        for pid, iso3, src in zip(
            df[S.COL_PROJECT_ID], df[S.COL_COUNTRY], df[S.COL_SOURCE_FILE], strict=True
        ):
            self._first[(pid, iso3)] = (src, None)

    def offer_pair(
        self, file_name: str, number: int, pid: str, iso3: str
    ) -> Problem | None:
        """Record the row's pair, or its duplicate-id error when it was seen.

        Args:
            file_name: the row's file.
            number: its spreadsheet row number.
            pid: its project id.
            iso3: its country code ("" when none).
        """
        first = self._first.get((pid, iso3))
        if first is None:
            self._first[(pid, iso3)] = (file_name, number)
            return None
        file, first_row = first  # first_row None: an IATI file
        key = "import.duplicate_id" + ("" if first_row is None else "_row")
        key += "" if iso3 else "_no_country"
        params: dict[str, object] = {"row": number, "id": pid, "file": file}
        if first_row is not None:
            params["first_row"] = first_row
        if iso3:
            params["country"] = iso3
        return Problem(key, params, file_name, pid, S.COL_PROJECT_ID, ERROR)


@dataclass
class IatiRow:
    """One canonical IATI row as the rules read it (no spreadsheet row)."""

    values: Mapping[str, object]
    number: int | None = None
    file: str = ""

    def __post_init__(self) -> None:
        self.file = str(self.values.get(S.COL_SOURCE_FILE, ""))

    @property
    def item(self) -> str:
        """The activity identifier."""
        return str(self.values.get(S.COL_PROJECT_ID, ""))

    def cell(self, col: str) -> str:
        """A text value."""
        return str(self.values.get(col, "")).strip()

    def date(self, col: str) -> date | None:
        """A date value (None when not reported)."""
        value = self.values.get(col)
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()

    def usd(self, col: str) -> float | None:
        """A US$ amount (None when not reported)."""
        value = self.values.get(col)
        return None if value is None or pd.isna(value) else float(value)


@dataclass
class Screened:
    """The IATI table after the canonical rules.

    Attributes:
        table: the kept rows.
        problems: errors of the rejected activities, warnings of the kept.
        rejected: (file, activity) of each rejected activity.
    """

    table: pd.DataFrame
    problems: list[Problem]
    rejected: list[tuple[str, str]]


def screen_iati(df: pd.DataFrame) -> Screened:
    """Apply the canonical rules to the IATI rows (see the module docstring).

    Only rows a cheap vectorised test flags are checked one by one, so a
    plausible table costs a few column scans.
    """
    flagged = _suspects(df)
    problems: list[Problem] = []
    bad: dict[tuple[str, str], None] = {}
    for index in df.index[flagged]:
        row = IatiRow(df.loc[index].to_dict())
        found = check_row(row, CANONICAL_RULES)
        problems.extend(found)
        if any(p.severity == ERROR for p in found):
            bad[(row.file, row.item)] = None
    keys = pd.Series(
        list(zip(df[S.COL_SOURCE_FILE], df[S.COL_PROJECT_ID], strict=True)),
        index=df.index,
    )
    kept = df[~keys.isin(bad)] if bad else df
    return Screened(kept.reset_index(drop=True), problems, list(bad))


def _suspects(df: pd.DataFrame) -> pd.Series:
    """Rows that may break a canonical rule (a superset; the rules decide)."""
    limit = min(MAX_USD, Settings.from_env().warn_budget_usd)
    flagged = pd.Series(False, index=df.index)
    for col in (S.COL_BUDGET, S.COL_SPENT):
        flagged |= df[col].astype(float).abs().fillna(0) > limit
    for col in DATE_FIELDS:
        years = pd.to_datetime(df[col]).dt.year
        flagged |= (years < FIRST_YEAR) | (years > LAST_YEAR)
    return flagged


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame | None:
    """The parts as one canonical table (schema column order), or None."""
    if not parts:
        return None
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return table[list(S.COLUMNS)].reset_index(drop=True)
