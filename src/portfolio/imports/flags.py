"""The vectorised side of the rules table: which rows may break each rule.

Each function here gives a rule's ``flags``: from a `columns.Columns` (a whole
sheet as arrays) a boolean mask of the rows that may break the rule, in a few
numpy operations. A mask may flag more rows than break the rule, never fewer:
the row step (rows.py) then runs the rule's own `find` on the flagged rows
only, so every problem keeps the exact key, row, field and params the rule
gives a single row. A clean row is never looked at one by one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from src.portfolio import schema as S
from src.portfolio.imports.cells import FALSE, TRUE, clean, coordinate_or_none
from src.portfolio.imports.columns import Columns, Mask, has_control

Flags = Callable[[Columns], Mask]

_SLACK = 1 - 1e-9
"""Thresholds are lowered a little: a mask must never miss a breach."""


def extra_values(cols: Columns) -> Mask:
    """Rows with more values than the header has names."""
    width = len(cols.sheet.raw_header)
    wide = [i for i, n in cols.sheet.widths.items() if n > width]
    return _rows(cols, wide)


def formulas(cols: Columns) -> Mask:
    """Rows with a formula cell (.xlsx)."""
    return _rows(cols, list(cols.sheet.formulas))


def _rows(cols: Columns, indices: list[int]) -> Mask:
    out = np.zeros(cols.size, dtype=bool)
    out[indices] = True
    return out


def too_long(limit: int) -> Flags:
    """Rows with a template cell longer than `limit` characters."""

    def longer(text: str) -> bool:
        return len(text) > limit

    return lambda cols: cols.template_any(longer)


def controls(cols: Columns) -> Mask:
    """Rows with a control character in a template cell."""
    return cols.template_any(has_control)


def empty(col: str) -> Flags:
    """Rows whose cleaned `col` is empty."""
    return lambda cols: cols.empty(col)


def country_iso2(cols: Columns) -> Mask:
    """Rows whose country is an ISO2 code that is not an ISO3 code."""
    refs = cols.refs

    def iso2(text: str) -> bool:
        code = clean(text).upper()
        return len(code) == 2 and code not in refs.iso3 and code in refs.iso2

    return cols.map(S.COL_COUNTRY, iso2, bool)


def country_unknown(cols: Columns) -> Mask:
    """Rows with a country code that names no known country."""
    return ~cols.empty(S.COL_COUNTRY) & (cols.country == "")


def sector_unknown(cols: Columns) -> Mask:
    """Rows with a sector group not in the list."""
    groups = cols.refs.groups

    def unknown(text: str) -> bool:
        group = clean(text)
        return bool(group) and group.lower() not in groups

    return cols.map(S.COL_SECTOR_GROUP, unknown, bool)


def date_missing(col: str) -> Flags:
    """Rows without a date in `col`."""
    return lambda cols: cols.date_text_empty(col)


def date_invalid(col: str) -> Flags:
    """Rows whose `col` holds text that is not a date."""
    return lambda cols: ~cols.date_text_empty(col) & np.isnan(cols.ordinal(col))


def date_range(col: str, first: int, last: int) -> Flags:
    """Rows whose date in `col` falls outside `first`..`last`."""

    def flags(cols: Columns) -> Mask:
        years = cols.year(col)
        return (years < first) | (years > last)

    return flags


def ends_before(end_col: str, start_col: str) -> Flags:
    """Rows whose `end_col` date is before their `start_col` date."""
    return lambda cols: cols.ordinal(end_col) < cols.ordinal(start_col)


def amount_missing(col: str) -> Flags:
    """Rows without an amount in `col`."""
    return lambda cols: cols.amount_text_empty(col)


def amount_not_number(col: str) -> Flags:
    """Rows whose `col` holds text that is not a finite number."""
    return lambda cols: ~cols.amount_text_empty(col) & np.isnan(cols.signed(col))


def amount_negative(col: str) -> Flags:
    """Rows with a negative amount in `col`."""
    return lambda cols: cols.signed(col) < 0


def usd_above(col: str, limit: Callable[[], float]) -> Flags:
    """Rows whose `col` in US$ is above `limit()`."""
    return lambda cols: cols.usd(col) > limit() * _SLACK


def spent_above(*, zero_budget: bool) -> Flags:
    """Rows that spent more than their budget (a budget of 0 or less, or not)."""

    def flags(cols: Columns) -> Mask:
        budget, spent = cols.amount(S.COL_BUDGET), cols.amount(S.COL_SPENT)
        above = spent > budget
        return above & (budget <= 0) if zero_budget else above & (budget > 0)

    return flags


def no_rate(cols: Columns) -> Mask:
    """Rows whose budget has no exchange rate."""
    return cols.no_rate()


def nearest_rate(*, year_known: bool) -> Flags:
    """Rows converted at the nearest year's rate (with a start year, or not)."""

    def flags(cols: Columns) -> Mask:
        known = ~np.isnan(cols.year(S.COL_START))
        return cols.nearest() & (known if year_known else ~known)

    return flags


def coordinate_not_number(col: str) -> Flags:
    """Rows whose `col` holds text that is not a number."""

    def bad(text: str) -> bool:
        return bool(clean(text).lstrip("'")) and coordinate_or_none(text) is None

    return lambda cols: cols.map(col, bad, bool)


def coordinate_range(col: str, bound: float) -> Flags:
    """Rows whose `col` is a number outside -`bound`..`bound` (NaN included)."""

    def flags(cols: Columns) -> Mask:
        values, read = cols.coordinate(col)
        with np.errstate(invalid="ignore"):
            inside = (values >= -bound) & (values <= bound)
        return read & ~inside

    return flags


def humanitarian(cols: Columns) -> Mask:
    """Rows whose humanitarian flag is neither true nor false."""

    def bad(text: str) -> bool:
        return clean(text).lower() not in TRUE | FALSE

    return cols.map(S.COL_HUMANITARIAN, bad, bool)
