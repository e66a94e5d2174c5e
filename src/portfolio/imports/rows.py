"""The row step: check every CSV/.xlsx row with the rules table.

`check_table` returns a `TableResult`: the accepted rows' canonical values, the
rejected rows with their errors, and every problem, each naming its row and
column (a catalog key "import.*" with its params). A row with an error is
rejected with its errors; a row with only warnings is accepted. A row without
errors whose (id, country) was already seen is a duplicate (merge.SeenIds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from src.portfolio import schema as S
from src.portfolio.imports.cells import References, TemplateRow
from src.portfolio.imports.merge import SeenIds
from src.portfolio.imports.report import RejectedRow
from src.portfolio.imports.rules import RULES, check_row
from src.portfolio.imports.template import TEMPLATE_NAMES
from src.problems import ERROR, WARNING, Problem


@dataclass
class TableResult:
    """What the rows of one file gave.

    Attributes:
        problems: every problem, file-level first, then row by row.
        accepted: canonical values of each accepted row (`read_canonical` input).
        rejected: the rejected rows with their errors.
        read: rows read (blank lines not counted).
        refused: the file-level refusal (key, params), or None.
    """

    problems: list[Problem] = field(default_factory=list)
    accepted: list[dict[str, object]] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    read: int = 0
    refused: tuple[str, dict[str, object]] | None = None


def check_table(
    name: str,
    header: list[str],
    rows: list[tuple[int, dict[str, str]]],
    seen: SeenIds,
    refs: References | None = None,
) -> TableResult:
    """Check every row of one file against the rules table.

    Args:
        name: the file name.
        header: the normalised header.
        rows: (spreadsheet row number, cells) pairs.
        seen: the (id, country) pairs accepted so far (updated).
        refs: the code lists (default: the reference data).

    Returns:
        The file's `TableResult`.
    """
    result = TableResult()
    missing = [c for c in S.REQUIRED_INPUT_COLUMNS if c not in header]
    if missing:
        result.refused = (
            "import.file.missing_columns",
            {"columns": ", ".join(missing)},
        )
        return result
    unknown = [h for h in header if h and h not in TEMPLATE_NAMES]
    if unknown:
        columns = ", ".join(unknown)
        params = {"row": 1, "columns": columns}
        result.problems.append(
            Problem("import.unknown_columns", params, name, "", columns, WARNING)
        )
    refs = refs or References.load()
    for number, rec in rows:
        if not any(str(v).strip() for k, v in rec.items() if not k.startswith("__")):
            continue  # blank line
        result.read += 1
        row = TemplateRow(number, rec, name, refs)
        problems = check_row(row, RULES)
        if not any(p.severity == ERROR for p in problems) and row.item:
            duplicate = seen.offer(row)
            if duplicate is not None:
                problems.append(duplicate)
        result.problems.extend(problems)
        errors = tuple(p for p in problems if p.severity == ERROR)
        if errors:
            result.rejected.append(
                RejectedRow(name, number, row.item, row.texts(), errors)
            )
        else:
            result.accepted.append(row.canonical())
    return result
