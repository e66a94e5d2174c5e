"""One template row read cell by cell: text, dates, amounts, coordinates.

`TemplateRow` parses each cell once, on first use, and never raises: a cell
that cannot be read gives None and the rules (src/portfolio/imports/rules.py)
say why. `canonical()` turns an accepted row into canonical values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from src.portfolio import schema as S
from src.portfolio.fx import Conversion, to_usd
from src.portfolio.imports.template import COL_CURRENCY, TEMPLATE_NAMES
from src.portfolio.reference import country_reference

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters a cell may not keep (tab, CR and LF are allowed)."""

_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234,567.89
TRUE = frozenset({"true", "1", "yes", "y", "oui", "vrai"})
FALSE = frozenset({"false", "0", "no", "n", "non", "faux", ""})
DATE_FIELDS = (
    S.COL_START,
    S.COL_END,
    S.COL_START_PLANNED,
    S.COL_END_PLANNED,
    S.COL_END_ACTUAL,
)
"""Date columns; messages name them through keys import.date_*.<column>."""
TEXT_FIELDS = (
    S.COL_TITLE,
    S.COL_AGENCY,
    S.COL_STATUS,
    S.COL_SECTOR_CODE,
    S.COL_FUNDERS,
    S.COL_IMPLEMENTERS,
)


@dataclass(frozen=True)
class References:
    """The code lists a row is checked against (read once per import)."""

    iso3: frozenset[str]
    iso2: dict[str, str]
    groups: dict[str, str]

    @classmethod
    def load(cls) -> References:
        """The reference countries and the sector groups."""
        ref = country_reference()
        return cls(
            frozenset(ref.index),
            {iso2: iso3 for iso3, iso2 in ref["iso2"].items()},
            {g.lower(): g for g in S.SECTOR_GROUPS},
        )


def parse_date(text: str) -> date:
    """An ISO date, or ValueError.

    >>> parse_date("2021-03-04T10:00"), parse_date("0001-01-01").year
    (datetime.date(2021, 3, 4), 1)
    """
    if len(text) < 10 or text[4] != "-":
        raise ValueError(text)
    return date.fromisoformat(text[:10])


def parse_amount(text: str) -> float:
    """A finite amount ("1,234.5" and "1234.5" alike), or ValueError.

    >>> parse_amount("1,234.5"), parse_amount("2e3")
    (1234.5, 2000.0)
    """
    value = float(text.replace(",", "") if _THOUSANDS.fullmatch(text) else text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def clean(text: str) -> str:
    """A cell's text, stripped, control characters removed."""
    return CONTROL.sub("", text).strip()


def date_or_none(text: str) -> date | None:
    """The date a raw cell holds (a spreadsheet's leading ' removed), or None."""
    try:
        return parse_date(clean(text).lstrip("'"))
    except ValueError:
        return None


def amount_text(text: str) -> str:
    """A raw amount cell without spaces (thousands separators of some locales)."""
    return clean(text).lstrip("'").replace("\u00a0", "").replace(" ", "")


def amount_or_none(text: str) -> float | None:
    """The signed amount a raw cell holds; None if empty or not a number."""
    try:
        return parse_amount(amount_text(text))
    except ValueError:
        return None


def coordinate_or_none(text: str) -> float | None:
    """The latitude or longitude a raw cell holds; None if empty or not a number."""
    try:
        return float(clean(text).lstrip("'"))
    except ValueError:
        return None


def country_of(text: str, refs: References) -> str:
    """The ISO3 code of a raw country cell (an ISO2 code read as ISO3), or ""."""
    code = clean(text).upper()
    if code in refs.iso3:
        return code
    return refs.iso2.get(code, "") if len(code) == 2 else ""


@dataclass
class TemplateRow:
    """One CSV/.xlsx row: its raw cells and their values, parsed once.

    Attributes:
        number: the spreadsheet row number (header = 1).
        raw: column -> cell text as read (plus ``__extra__`` / ``__formula__:*``).
        file: the file name.
        refs: the code lists.
    """

    number: int | None
    raw: dict[str, str]
    file: str
    refs: References
    _dates: dict[str, date | None] = field(default_factory=dict, repr=False)

    def cell(self, col: str) -> str:
        """The cell's text, stripped, control characters removed."""
        return clean(self.raw.get(col, ""))

    @property
    def item(self) -> str:
        """The project id ("" when missing)."""
        return self.cell(S.COL_PROJECT_ID)

    def date_text(self, col: str) -> str:
        """A date cell as typed (a leading ' of a spreadsheet removed)."""
        return self.cell(col).lstrip("'")

    def date(self, col: str) -> date | None:
        """The date in `col`; None when empty or not a date."""
        if col not in self._dates:
            self._dates[col] = date_or_none(self.raw.get(col, ""))
        return self._dates[col]

    def amount_text(self, col: str) -> str:
        """An amount cell without spaces (thousands separators of some locales)."""
        return amount_text(self.raw.get(col, ""))

    def signed_amount(self, col: str) -> float | None:
        """The amount in `col` in its currency; None if empty or not a number."""
        return amount_or_none(self.raw.get(col, ""))

    def amount(self, col: str) -> float | None:
        """The amount in `col` in its currency; None if empty, bad or negative."""
        value = self.signed_amount(col)
        return value if value is not None and value >= 0 else None

    @property
    def currency(self) -> str:
        """The row's currency code (USD when empty)."""
        return self.cell(COL_CURRENCY).upper() or "USD"

    @cached_property
    def conversions(self) -> dict[str, Conversion | None]:
        """Budget and spent converted to US$ at the start year's rate."""
        start = self.date(S.COL_START)
        year = start.year if start else None
        out: dict[str, Conversion | None] = {}
        for col in (S.COL_BUDGET, S.COL_SPENT):
            value = self.amount(col)
            out[col] = None if value is None else to_usd(value, self.currency, year)
        return out

    def usd(self, col: str) -> float | None:
        """Budget or spent in US$ (None when missing, bad or without a rate)."""
        conv = self.conversions.get(col)
        return None if conv is None else conv.usd

    def coordinate(self, col: str) -> float | None:
        """Latitude or longitude; None when empty or not a number."""
        return coordinate_or_none(self.raw.get(col, ""))

    @property
    def country(self) -> str:
        """The ISO3 code (an ISO2 code read as ISO3); "" when missing or unknown."""
        return country_of(self.raw.get(S.COL_COUNTRY, ""), self.refs)

    def canonical(self) -> dict[str, object]:
        """The canonical values of an accepted row (`read_canonical` input)."""
        out: dict[str, object] = {
            S.COL_PROJECT_ID: self.item,
            S.COL_SOURCE_FILE: self.file,
            S.COL_END_SOURCE: "reported",
            S.COL_COUNTRY: self.country,
        }
        out.update({col: self.cell(col) for col in TEXT_FIELDS})
        group = self.cell(S.COL_SECTOR_GROUP)
        out[S.COL_SECTOR_GROUP] = (
            self.refs.groups.get(group.lower(), "") if group else S.SECTOR_NOT_REPORTED
        )
        out[S.COL_SECTOR_SOURCE] = "reported" if group else "not reported"
        out.update({col: self.date(col) for col in DATE_FIELDS})
        out[S.COL_BUDGET] = self.usd(S.COL_BUDGET)
        spent = self.usd(S.COL_SPENT)
        out[S.COL_SPEND_REPORTED] = self.amount(S.COL_SPENT) is not None
        out[S.COL_SPENT] = 0.0 if self.amount(S.COL_SPENT) is None else spent
        for col in (S.COL_LAT, S.COL_LON):
            out[col] = self.coordinate(col)
        out[S.COL_N_SITES] = 0 if out[S.COL_LAT] is None else 1
        out[S.COL_HUMANITARIAN] = self.cell(S.COL_HUMANITARIAN).lower() in TRUE
        return out

    def texts(self) -> dict[str, str]:
        """The template cells as read (control characters kept)."""
        return {k: v for k, v in self.raw.items() if k in TEMPLATE_NAMES}
