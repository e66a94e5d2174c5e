"""A whole sheet read column by column: the vectorised twin of `TemplateRow`.

`Columns` gives, for every row at once, what `cells.TemplateRow` gives for one:
cleaned text, dates, amounts, coordinates, country, currency and US$ values.
Each is computed by the same scalar function as the row's (cells.py), once per
*distinct* cell text, then spread over the rows with numpy: a column of
500,000 rows holding a few thousand distinct dates costs a few thousand
parses. So the values are those of `TemplateRow` by construction; the rules
(rules.py) read them to flag, in one pass per rule, the rows that may break
the rule, and `canonical_frame` builds the accepted rows' canonical values.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, cached_property
from typing import Any

import numpy as np
import pandas as pd

from src.portfolio import schema as S
from src.portfolio.fx import NEAREST_YEAR, rate_table, to_usd
from src.portfolio.imports.cells import (
    CONTROL,
    DATE_FIELDS,
    TEXT_FIELDS,
    TRUE,
    References,
    amount_or_none,
    amount_text,
    clean,
    coordinate_or_none,
    country_of,
    date_or_none,
)
from src.portfolio.imports.tabular import Sheet
from src.portfolio.imports.template import COL_CURRENCY, TEMPLATE_NAMES

Mask = np.ndarray
"""A boolean array, one value per row."""


class Columns:
    """The rows of one sheet as arrays (one value per row, in row order).

    Attributes:
        sheet: the sheet read.
        file: the file name.
        refs: the code lists.
        size: the number of rows.
    """

    def __init__(self, sheet: Sheet, file: str, refs: References) -> None:
        self.sheet, self.file, self.refs = sheet, file, refs
        self.size = len(sheet.numbers)
        self._maps: dict[tuple[str, str], np.ndarray] = {}
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    # -- the scalar functions of cells.py, once per distinct text ------------

    def _factorized(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        if col not in self._codes:
            raw = np.asarray(self.sheet.column(col), dtype=object)
            codes, uniques = pd.factorize(raw)
            self._codes[col] = (codes, np.asarray(uniques, dtype=object))
        return self._codes[col]

    def map(self, col: str, fn: Callable[[str], Any], dtype: object = object) -> Mask:
        """`fn` of each row's raw text in `col` ("" when absent), per distinct text."""
        key = (col, fn.__qualname__)  # each function has its own name
        if key not in self._maps:
            codes, uniques = self._factorized(col)
            values = np.array([fn(u) for u in uniques] or [fn("")], dtype=dtype)
            self._maps[key] = values[codes] if self.size else values[:0]
        return self._maps[key]

    def has(self, col: str) -> bool:
        """Whether the header names `col`."""
        return col in self.sheet.header

    def cell(self, col: str) -> Mask:
        """Cleaned text (`TemplateRow.cell`)."""
        return self.map(col, clean)

    def empty(self, col: str) -> Mask:
        """Where the cleaned text is empty."""
        return self.map(col, _is_empty, bool)

    def date_text_empty(self, col: str) -> Mask:
        """Where the date cell is empty (`not TemplateRow.date_text`)."""
        return self.map(col, _date_text_empty, bool)

    def date(self, col: str) -> Mask:
        """Dates or None (`TemplateRow.date`)."""
        return self.map(col, date_or_none)

    def ordinal(self, col: str) -> Mask:
        """Day numbers of the dates (NaN where none), for comparisons."""
        return self.map(col, _ordinal, float)

    def year(self, col: str) -> Mask:
        """Years of the dates (NaN where none)."""
        return self.map(col, _year, float)

    def amount_text_empty(self, col: str) -> Mask:
        """Where the amount cell is empty (`not TemplateRow.amount_text`)."""
        return self.map(col, _amount_text_empty, bool)

    def signed(self, col: str) -> Mask:
        """Signed amounts, NaN where empty or not a number (never NaN else)."""
        return self.map(col, _amount_nan, float)

    def amount(self, col: str) -> Mask:
        """Amounts (`TemplateRow.amount`): NaN also where negative."""
        signed = self.signed(col)
        return np.where(signed >= 0, signed, np.nan)

    def coordinate(self, col: str) -> tuple[Mask, Mask]:
        """(values, where a number was read): Python's float() accepts "nan"."""
        values = self.map(col, _coordinate_nan, float)
        return values, self.map(col, _coordinate_read, bool)

    @cached_property
    def item(self) -> Mask:
        """Project ids."""
        return self.cell(S.COL_PROJECT_ID)

    @cached_property
    def country(self) -> Mask:
        """ISO3 codes ("" when missing or unknown)."""
        refs = self.refs

        def iso3(text: str) -> str:
            return country_of(text, refs)

        return self.map(S.COL_COUNTRY, iso3)

    @cached_property
    def currency(self) -> Mask:
        """Currency codes (USD when empty)."""
        return self.map(COL_CURRENCY, _currency)

    # -- conversions: once per distinct (currency, start year) ---------------

    @cached_property
    def _rates(self) -> tuple[Mask, Mask, Mask]:
        """(divisor, NaN without a rate; rate year used, NaN if none; nearest)."""
        currency, years = self.currency, self.year(S.COL_START)
        frame = pd.DataFrame({"c": currency, "y": years})
        at = frame.groupby(["c", "y"], dropna=False, sort=False).ngroup().to_numpy()
        firsts = np.unique(at, return_index=True)[1]
        combos = [
            _rate(str(currency[i]), None if np.isnan(years[i]) else int(years[i]))
            for i in firsts
        ]
        table = np.array(combos or [(np.nan, np.nan, 0.0)], dtype=float)
        return table[at, 0], table[at, 1], table[at, 2].astype(bool)

    def usd(self, col: str) -> Mask:
        """Budget or spent in US$ (`TemplateRow.usd`), NaN where None."""
        divisor = self._rates[0]
        return self.amount(col) / divisor

    def no_rate(self) -> Mask:
        """Where the budget has no rate (`conversions[budget].usd is None`)."""
        return ~np.isnan(self.amount(S.COL_BUDGET)) & np.isnan(self._rates[0])

    def nearest(self) -> Mask:
        """Where the budget was converted at the nearest year's rate."""
        return ~np.isnan(self.amount(S.COL_BUDGET)) & self._rates[2]

    # -- rows and their canonical values -------------------------------------

    def blank(self) -> Mask:
        """Rows with no text in any column (blank lines, not counted).

        Columns are scanned one after the other, each only on the rows still
        blank (after the first column, usually none).
        """
        out = np.ones(self.size, dtype=bool)
        for col in dict.fromkeys(self.sheet.header):
            if col.startswith("__") or not out.any():
                continue
            if col == S.COL_PROJECT_ID:
                out &= self.map(col, _is_blank, bool)
                continue
            cells = self.sheet.column(col)
            still = np.flatnonzero(out)
            out[still] = [_is_blank(cells[i]) for i in still]
        return out

    def template_any(self, fn: Callable[[str], bool]) -> Mask:
        """Rows where `fn` holds for the raw text of a template column."""
        out = np.zeros(self.size, dtype=bool)
        for col in TEMPLATE_NAMES:
            if self.has(col):
                out |= self.map(col, fn, bool)
        return out

    def canonical_frame(self, rows: Mask) -> pd.DataFrame:
        """The canonical values of `rows` (`TemplateRow.canonical`, all at once)."""
        groups = self.refs.groups

        def sector_group(text: str) -> str:
            return _sector_group(text, groups)

        n = int(rows.sum())
        out: dict[str, object] = {
            S.COL_PROJECT_ID: self.item[rows],
            S.COL_SOURCE_FILE: np.full(n, self.file, dtype=object),
            S.COL_END_SOURCE: np.full(n, "reported", dtype=object),
            S.COL_COUNTRY: self.country[rows],
        }
        out.update({col: self.cell(col)[rows] for col in TEXT_FIELDS})
        out[S.COL_SECTOR_GROUP] = self.map(S.COL_SECTOR_GROUP, sector_group)[rows]
        reported = ~self.empty(S.COL_SECTOR_GROUP)[rows]
        out[S.COL_SECTOR_SOURCE] = np.where(reported, "reported", "not reported")
        out.update({col: self.date(col)[rows] for col in DATE_FIELDS})
        out[S.COL_BUDGET] = self.usd(S.COL_BUDGET)[rows]
        spent = self.amount(S.COL_SPENT)[rows]
        out[S.COL_SPEND_REPORTED] = ~np.isnan(spent)
        out[S.COL_SPENT] = np.where(np.isnan(spent), 0.0, self.usd(S.COL_SPENT)[rows])
        for col in (S.COL_LAT, S.COL_LON):
            values, read = self.coordinate(col)
            out[col] = np.where(read, values, np.nan)[rows]
        out[S.COL_N_SITES] = np.where(np.isnan(out[S.COL_LAT]), 0, 1)
        out[S.COL_HUMANITARIAN] = self.map(S.COL_HUMANITARIAN, _is_true, bool)[rows]
        return pd.DataFrame(out)


@cache
def _rate(currency: str, year: int | None) -> tuple[float, float, float]:
    """`to_usd`'s divisor for (currency, year), the rate year and nearest flag."""
    conv = to_usd(1.0, currency, year)
    if conv.usd is None:
        return np.nan, np.nan, 0.0
    if conv.rate_year is None:  # US$: to_usd returns the amount itself
        return 1.0, np.nan, 0.0
    divisor = float(rate_table()[currency][conv.rate_year])
    return divisor, float(conv.rate_year), float(conv.reason == NEAREST_YEAR)


def _is_empty(text: str) -> bool:
    return not clean(text)


def _is_blank(text: str) -> bool:
    return not str(text).strip()


def _is_true(text: str) -> bool:
    return clean(text).lower() in TRUE


def _date_text_empty(text: str) -> bool:
    return not clean(text).lstrip("'")


def _ordinal(text: str) -> float:
    day = date_or_none(text)
    return np.nan if day is None else float(day.toordinal())


def _year(text: str) -> float:
    day = date_or_none(text)
    return np.nan if day is None else float(day.year)


def _amount_text_empty(text: str) -> bool:
    return not amount_text(text)


def _amount_nan(text: str) -> float:
    value = amount_or_none(text)
    return np.nan if value is None else value


def _coordinate_nan(text: str) -> float:
    value = coordinate_or_none(text)
    return np.nan if value is None else value


def _coordinate_read(text: str) -> bool:
    return coordinate_or_none(text) is not None


def _currency(text: str) -> str:
    return clean(text).upper() or "USD"


def _sector_group(text: str, groups: dict[str, str]) -> str:
    group = clean(text)
    return groups.get(group.lower(), "") if group else S.SECTOR_NOT_REPORTED


def has_control(text: str) -> bool:
    """Whether a raw cell holds a control character."""
    return CONTROL.search(text) is not None
