"""The row step: check every CSV/.xlsx row with the rules table, column-wise.

`check_table` returns a `TableResult`: the accepted rows' canonical values, the
rejected rows with their errors, and every problem, each naming its row and
column (a catalog key "import.*" with its params). A row with an error is
rejected with its errors; a row with only warnings is accepted. A row without
errors whose (id, country) was already seen is a duplicate (merge.SeenIds).

The sheet is checked as arrays (columns.Columns): each rule flags, in one
vectorised pass, the rows that may break it (flags.py); only a flagged row is
read as a `TemplateRow`, and only the rules that flagged it run their own
`find` on it, so its problems are exactly those of the row-by-row check. The
accepted rows' canonical values are built column by column.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from src.portfolio import schema as S
from src.portfolio.imports.cells import References, TemplateRow
from src.portfolio.imports.columns import Columns
from src.portfolio.imports.merge import SeenIds
from src.portfolio.imports.report import RejectedRow
from src.portfolio.imports.rules import RULES, check_row
from src.portfolio.imports.tabular import Sheet, Tick
from src.portfolio.imports.template import TEMPLATE_NAMES
from src.problems import ERROR, WARNING, Problem


@dataclass
class TableResult:
    """What the rows of one file gave.

    Attributes:
        problems: every problem, file-level first, then row by row.
        accepted: canonical values of the accepted rows (`read_canonical` input).
        rejected: the rejected rows with their errors.
        read: rows read (blank lines not counted).
        refused: the file-level refusal (key, params), or None.
    """

    problems: list[Problem] = field(default_factory=list)
    accepted: pd.DataFrame | None = None
    rejected: list[RejectedRow] = field(default_factory=list)
    read: int = 0
    refused: tuple[str, dict[str, object]] | None = None


def check_table(
    name: str,
    sheet: Sheet,
    seen: SeenIds,
    refs: References | None = None,
    tick: Tick | None = None,
) -> TableResult:
    """Check every row of one file against the rules table.

    Args:
        name: the file name.
        sheet: the rows read.
        seen: the (id, country) pairs accepted so far (updated).
        refs: the code lists (default: the reference data).
        tick: called between steps (after each rule's mask); may raise to stop.

    Returns:
        The file's `TableResult`.
    """
    result = TableResult()
    header = sheet.header
    missing = [c for c in S.REQUIRED_INPUT_COLUMNS if c not in header]
    if missing:
        result.refused = (
            "import.file.missing_columns",
            {"columns": ", ".join(missing), "n": len(missing)},
        )
        return result
    unknown = [h for h in header if h and h not in TEMPLATE_NAMES]
    if unknown:
        columns = ", ".join(unknown)
        params = {"row": 1, "columns": columns, "n": len(unknown)}
        result.problems.append(
            Problem("import.unknown_columns", params, name, "", columns, WARNING)
        )
    with _collector_paused():
        _check_rows(result, Columns(sheet, name, refs or References.load()), seen, tick)
    return result


def _check_rows(
    result: TableResult, cols: Columns, seen: SeenIds, tick: Tick | None
) -> None:
    """Fill `result` with the rows' problems, rejects and accepted values."""
    name, sheet = cols.file, cols.sheet
    counted = ~cols.blank()
    result.read = int(counted.sum())
    found = _flagged(cols, counted, tick or (lambda: None))
    failed = np.zeros(cols.size, dtype=bool)
    for index, (_row, problems) in found.items():
        failed[index] = any(p.severity == ERROR for p in problems)
    numbers, items, countries = sheet.numbers, cols.item, cols.country
    for index in np.flatnonzero(counted & ~failed & (items != "")):
        duplicate = seen.offer_pair(
            name, numbers[index], items[index], countries[index]
        )
        if duplicate is not None:
            if index not in found:
                found[int(index)] = (_template_row(cols, index), [])
            found[int(index)][1].append(duplicate)
            failed[index] = True
    if tick is not None:
        tick()
    for index in sorted(found):
        row, problems = found[index]
        result.problems.extend(problems)
        errors = tuple(p for p in problems if p.severity == ERROR)
        if errors:
            result.rejected.append(
                RejectedRow(name, row.number, row.item, row.texts(), errors)
            )
    result.accepted = cols.canonical_frame(counted & ~failed)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while flagged rows are read.

    A file where every row is wrong makes millions of small objects (records,
    problems) that hold no cycles; the collector's repeated passes over them
    and over the sheet's columns made such a file take about 1.6× as long.
    Reference counting still frees them; the pause is as long as the check.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _flagged(
    cols: Columns, counted: np.ndarray, tick: Tick
) -> dict[int, tuple[TemplateRow, list[Problem]]]:
    """Row index -> (row, rule problems) of each counted row a rule flagged."""
    masks = np.zeros((len(RULES), cols.size), dtype=bool)
    for at, rule in enumerate(RULES):
        masks[at] = rule.flags(cols) & counted
        tick()
    flagged = np.flatnonzero(masks.any(axis=0))
    found: dict[int, tuple[TemplateRow, list[Problem]]] = {}
    for index, which in zip(flagged, masks[:, flagged].T, strict=True):
        row = _template_row(cols, index)
        problems = check_row(row, [RULES[at] for at in np.flatnonzero(which)])
        if problems:
            found[int(index)] = (row, problems)
    return found


def _template_row(cols: Columns, index: int) -> TemplateRow:
    """Row `index` of the sheet, read on its own."""
    sheet = cols.sheet
    return TemplateRow(sheet.numbers[index], sheet.record(index), cols.file, cols.refs)
