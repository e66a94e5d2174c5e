"""The rules table: every check of an imported row, one object per rule.

Each `Rule` (rule.py) applies itself to a row (`find`, `check`), flags the rows
of a whole sheet that may break it (`flags`, flags.py) and names its message.
An error rejects the row, a warning
keeps it. Rules with an ``iati_key`` read only canonical values (US$, dates),
so the same objects also screen IATI activities (src/portfolio/imports/
merge.py), whose messages use the rule's ``iati_key`` (worded per activity).

Plausibility bounds: a project's budget or spending above `MAX_USD` is refused
(no single aid project comes near; such values break every total), above
`Settings.warn_budget_usd` it is kept with a warning; dates must lie within
`FIRST_YEAR`..`LAST_YEAR`; a cell may hold at most `MAX_CELL` characters;
control characters (NUL and the like) are removed with a warning. (An IATI
file cannot carry them: XML 1.0 forbids them and the parser refuses the file.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from src.portfolio import schema as S
from src.portfolio.fx import NEAREST_YEAR
from src.portfolio.imports import flags as F
from src.portfolio.imports.cells import CONTROL, DATE_FIELDS, FALSE, TRUE
from src.portfolio.imports.rule import Params, Row, Rule, check_row, one
from src.portfolio.imports.template import COL_CURRENCY, TEMPLATE_NAMES
from src.problems import ERROR, WARNING
from src.settings import warn_budget_usd

MAX_USD = 100e9
"""US$ 100bn: the largest budget or spending one project may report."""
FIRST_YEAR, LAST_YEAR = 1950, 2100
"""The years a project date may fall in."""
MAX_CELL = 10_000
"""Characters one cell may hold."""


def _formulas(row: Any) -> Iterator[Params]:  # noqa: ANN401
    for key, formula in row.raw.items():
        if key.startswith("__formula__:"):
            cell = key.split(":", 1)[1]
            yield {"column": cell, "formula": formula}


def _controls(row: Row) -> Iterator[Params]:
    for col, text in row.texts().items():
        count = len(CONTROL.findall(text))
        if count:
            yield {"column": col, "count": count}


def _too_long(row: Any) -> Iterator[Params]:  # noqa: ANN401
    for col in TEMPLATE_NAMES:
        length = len(row.raw.get(col, ""))
        if length > MAX_CELL:
            yield {"column": col, "length": length, "limit": MAX_CELL}


def _country_iso2(row: Any) -> Params | None:  # noqa: ANN401
    code = row.cell(S.COL_COUNTRY).upper()
    if len(code) == 2 and code not in row.refs.iso3 and code in row.refs.iso2:
        return {"code": code, "iso3": row.refs.iso2[code]}
    return None


def _country_unknown(row: Any) -> Params | None:  # noqa: ANN401
    code = row.cell(S.COL_COUNTRY)
    return {"code": code} if code and not row.country else None


def _sector_unknown(row: Any) -> Params | None:  # noqa: ANN401
    text = row.cell(S.COL_SECTOR_GROUP)
    if text and text.lower() not in row.refs.groups:
        return {"value": text, "groups": ", ".join(S.SECTOR_GROUPS)}
    return None


def _date_rules(col: str) -> list[Rule]:
    rules = [
        Rule(
            f"import.date_invalid.{col}",
            col,
            ERROR,
            one(
                lambda r: (
                    {"value": r.date_text(col)}
                    if r.date_text(col) and r.date(col) is None
                    else None
                )
            ),
            flags=F.date_invalid(col),
        ),
        Rule(
            f"import.date_range.{col}",
            col,
            ERROR,
            one(lambda r: _out_of_range(r.date(col))),
            iati_key="iati.date_range",
            flags=F.date_range(col, FIRST_YEAR, LAST_YEAR),
        ),
    ]
    if col in (S.COL_START, S.COL_END):
        missing = one(lambda r: {} if not r.date_text(col) else None)
        flags = F.date_missing(col)
        rules.insert(
            0, Rule(f"import.date_missing.{col}", col, ERROR, missing, None, flags)
        )
    return rules


def _out_of_range(day: Any) -> Params | None:  # noqa: ANN401 - date | None
    if day is None or FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return {"value": day.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR}


def _ends_before(end_col: str, start_col: str) -> Callable[[Any], Params | None]:
    def test(row: Any) -> Params | None:  # noqa: ANN401
        start, end = row.date(start_col), row.date(end_col)
        if start and end and end < start:
            return {"end": end.isoformat(), "start": start.isoformat()}
        return None

    return test


def _amount_rules(col: str, *, required: bool) -> list[Rule]:
    def not_number(row: Any) -> Params | None:  # noqa: ANN401
        bad = row.amount_text(col) and row.signed_amount(col) is None
        return {"value": row.cell(col)} if bad else None

    def negative(row: Any) -> Params | None:  # noqa: ANN401
        value = row.signed_amount(col)
        return {"value": value} if value is not None and value < 0 else None

    rules = [
        Rule(
            f"import.amount_not_number.{col}",
            col,
            ERROR,
            one(not_number),
            flags=F.amount_not_number(col),
        ),
        Rule(
            f"import.amount_negative.{col}",
            col,
            ERROR,
            one(negative),
            flags=F.amount_negative(col),
        ),
        Rule(
            f"import.amount_too_large.{col}",
            col,
            ERROR,
            one(lambda r: _above(r.usd(col), MAX_USD)),
            iati_key="iati.amount_too_large",
            flags=F.usd_above(col, lambda: MAX_USD),
        ),
    ]
    if required:
        missing = one(lambda r: {} if not r.amount_text(col) else None)
        flags = F.amount_missing(col)
        rules.insert(
            0, Rule(f"import.amount_missing.{col}", col, ERROR, missing, None, flags)
        )
    return rules


def _above(usd: float | None, limit: float) -> Params | None:
    if usd is None or usd <= limit:
        return None
    return {"value": usd, "limit": limit}


def _large_budget(row: Row) -> Params | None:
    usd = row.usd(S.COL_BUDGET)
    if usd is None or usd > MAX_USD:
        return None  # refused by amount_too_large
    # not Settings.from_env() per row: that was 15% of a large CSV's import
    return _above(usd, warn_budget_usd())


def _spent_above(row: Any) -> Params | None:  # noqa: ANN401
    budget, spent = row.amount(S.COL_BUDGET), row.amount(S.COL_SPENT)
    if budget is None or spent is None or spent <= budget or budget <= 0:
        return None
    return {"spent": spent, "budget": budget, "share": spent / budget}


def _spent_above_zero(row: Any) -> Params | None:  # noqa: ANN401
    budget, spent = row.amount(S.COL_BUDGET), row.amount(S.COL_SPENT)
    if budget is None or spent is None or spent <= budget or budget > 0:
        return None
    return {"spent": spent, "budget": budget}


def _no_rate(row: Any) -> Params | None:  # noqa: ANN401
    conv = row.conversions[S.COL_BUDGET]
    return {"currency": row.currency} if conv and conv.usd is None else None


def _nearest_rate(row: Any, *, year_known: bool) -> Params | None:  # noqa: ANN401
    """The nearest year's rate was used (for the start year, or for no year)."""
    conv = row.conversions[S.COL_BUDGET]
    start = row.date(S.COL_START)
    if conv is None or conv.reason != NEAREST_YEAR or (start is not None) != year_known:
        return None
    params: dict[str, object] = {"currency": row.currency, "used": conv.rate_year}
    return params | {"year": start.year} if start is not None else params


def _coordinate_rules(col: str, bound: float) -> list[Rule]:
    def not_number(row: Any) -> Params | None:  # noqa: ANN401
        text = row.cell(col).lstrip("'")
        if text and row.coordinate(col) is None:
            return {"column": col, "value": text}
        return None

    def out_of_range(row: Any) -> Params | None:  # noqa: ANN401
        value = row.coordinate(col)
        if value is None or -bound <= value <= bound:
            return None
        return {"column": col, "value": str(value), "bound": str(bound)}

    return [
        Rule(
            "import.coordinate_not_number",
            col,
            ERROR,
            one(not_number),
            flags=F.coordinate_not_number(col),
        ),
        Rule(
            "import.coordinate_range",
            col,
            ERROR,
            one(out_of_range),
            flags=F.coordinate_range(col, bound),
        ),
    ]


def _humanitarian(row: Any) -> Params | None:  # noqa: ANN401
    value = row.cell(S.COL_HUMANITARIAN).lower()
    return None if value in TRUE | FALSE else {"value": value}


RULES: tuple[Rule, ...] = (
    Rule(
        "import.extra_values",
        "",
        ERROR,
        one(
            lambda r: (
                {"count": int(r.raw["__extra__"])} if "__extra__" in r.raw else None
            )
        ),
        flags=F.extra_values,
    ),
    Rule("import.formula", None, ERROR, _formulas, flags=F.formulas),
    Rule("import.cell_too_long", None, ERROR, _too_long, flags=F.too_long(MAX_CELL)),
    Rule("import.control_chars", None, WARNING, _controls, flags=F.controls),
    Rule(
        "import.id_missing",
        S.COL_PROJECT_ID,
        ERROR,
        one(lambda r: {} if not r.item else None),
        flags=F.empty(S.COL_PROJECT_ID),
    ),
    Rule(
        "import.country_missing",
        S.COL_COUNTRY,
        WARNING,
        one(lambda r: {} if not r.cell(S.COL_COUNTRY) else None),
        flags=F.empty(S.COL_COUNTRY),
    ),
    Rule(
        "import.country_iso2",
        S.COL_COUNTRY,
        WARNING,
        one(_country_iso2),
        flags=F.country_iso2,
    ),
    Rule(
        "import.country_unknown",
        S.COL_COUNTRY,
        ERROR,
        one(_country_unknown),
        flags=F.country_unknown,
    ),
    Rule(
        "import.sector_unknown",
        S.COL_SECTOR_GROUP,
        ERROR,
        one(_sector_unknown),
        flags=F.sector_unknown,
    ),
    *(rule for col in DATE_FIELDS for rule in _date_rules(col)),
    Rule(
        "import.end_before_start",
        S.COL_END,
        ERROR,
        one(_ends_before(S.COL_END, S.COL_START)),
        flags=F.ends_before(S.COL_END, S.COL_START),
    ),
    Rule(
        "import.planned_end_before_start",
        S.COL_END_PLANNED,
        ERROR,
        one(_ends_before(S.COL_END_PLANNED, S.COL_START_PLANNED)),
        flags=F.ends_before(S.COL_END_PLANNED, S.COL_START_PLANNED),
    ),
    *_amount_rules(S.COL_BUDGET, required=True),
    *_amount_rules(S.COL_SPENT, required=False),
    Rule(
        "import.budget_large",
        S.COL_BUDGET,
        WARNING,
        one(_large_budget),
        iati_key="iati.budget_large",
        flags=F.usd_above(S.COL_BUDGET, warn_budget_usd),
    ),
    Rule(
        "import.spent_above_budget",
        S.COL_SPENT,
        WARNING,
        one(_spent_above),
        flags=F.spent_above(zero_budget=False),
    ),
    Rule(
        "import.spent_above_zero_budget",
        S.COL_SPENT,
        WARNING,
        one(_spent_above_zero),
        flags=F.spent_above(zero_budget=True),
    ),
    Rule("import.no_rate", COL_CURRENCY, ERROR, one(_no_rate), flags=F.no_rate),
    Rule(
        "import.rate_nearest",
        COL_CURRENCY,
        WARNING,
        one(lambda r: _nearest_rate(r, year_known=True)),
        flags=F.nearest_rate(year_known=True),
    ),
    Rule(
        "import.rate_nearest_no_year",
        COL_CURRENCY,
        WARNING,
        one(lambda r: _nearest_rate(r, year_known=False)),
        flags=F.nearest_rate(year_known=False),
    ),
    *_coordinate_rules(S.COL_LAT, 90),
    *_coordinate_rules(S.COL_LON, 180),
    Rule(
        "import.humanitarian",
        S.COL_HUMANITARIAN,
        ERROR,
        one(_humanitarian),
        flags=F.humanitarian,
    ),
)
"""Every rule a template row is checked with, in the order problems are listed."""

__all__ = ["CANONICAL_RULES", "RULES", "Rule", "check_row"]

CANONICAL_RULES = tuple(r for r in RULES if r.canonical)
"""The rules that also screen IATI activities (canonical values only)."""
