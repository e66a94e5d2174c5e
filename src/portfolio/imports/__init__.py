"""Validate user portfolios before anything is used: IATI XML, CSV or .xlsx.

`import_files(sources)` runs the import as a chain of steps, each returning a
value: sniff (sniff.py: open, checksum, size limit, kind), read (iati.py
streams IATI files with the hardened parser; tabular.py reads CSV/.xlsx into a
`Sheet`, column by column), check rows (rows.py: the rules table in rules.py,
each rule flagging the rows that may break it over whole columns, flags.py and
columns.py, then checking those rows one by one), merge
(merge.py: the canonical rules screen the IATI rows, duplicates, one table) and
report (report.py: the `ImportReport` with counts, one `Problem` per problem,
the accepted canonical table and the rejected rows with their reasons).
Nothing raises on bad input; a file that cannot be read is reported as such,
and nothing is dropped without a reason.

An identifier found in several IATI files is kept once, from the file where it
was last updated most recently. CSV and .xlsx files follow the template in
template.py; row numbers are those a spreadsheet shows (header = row 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.canonical import read_canonical
from src.portfolio.imports.cells import References
from src.portfolio.imports.iati import IatiMerge
from src.portfolio.imports.merge import SeenIds, combine, screen_iati
from src.portfolio.imports.report import (
    FileError,
    FileSummary,
    ImportReport,
    Progress,
    RejectedRow,
    Source,
    max_upload_bytes,
    named_bytes,
    refuse,
)
from src.portfolio.imports.rows import check_table
from src.portfolio.imports.sniff import Opened, close_all, open_source, sha256, sniff
from src.portfolio.imports.tabular import Sheet, Tick, read_csv, read_xlsx

__all__ = [
    "FileSummary",
    "ImportReport",
    "Progress",
    "Source",
    "import_files",
    "max_upload_bytes",
    "named_bytes",
]


def import_files(
    sources: Sequence[Source],
    *,
    as_of: date | None = None,
    on_progress: Progress | None = None,
) -> ImportReport:
    """Validate and read files into an `ImportReport` (never raises on bad input).

    Args:
        sources: paths or binary file objects with a ``name`` (uploads); the
            kind comes from the extension, else from the content.
        as_of: data date for derived indicators; default: the latest IATI
            last-updated date, else today.
        on_progress: optional ``(bytes_done, bytes_total)`` callback.

    Returns:
        The report with the accepted table and the rejected rows.
    """
    report = ImportReport()
    iati = IatiMerge()
    opened = [open_source(s) for s in sources]
    total = sum(o.size for o in opened) or 1
    try:
        sheets = _read_all(opened, report, iati, on_progress)
    finally:
        close_all(opened)
    report.problems.extend(iati.problems)
    iati.count_accepted()
    report.as_of = as_of or iati.stream.data_date() or date.today()
    parts = []
    seen = SeenIds()
    if len(iati.stream):
        df, build_report, _ = iati.stream.finish(as_of=report.as_of)
        report.problems.extend(build_report.problems)
        report.unconverted.extend(build_report.unconverted)
        screened = screen_iati(df)
        report.problems.extend(screened.problems)
        _count_screened(report, screened.rejected)
        parts.append(screened.table)
        seen.add_iati(screened.table)
        report.side_tables = _kept_side_tables(iati, screened.table)
    rejected, accepted = _check_sheets(
        sheets, seen, report, _ticker(on_progress, total, total)
    )
    if accepted:
        rows = (
            pd.concat(accepted, ignore_index=True) if len(accepted) > 1 else accepted[0]
        )
        parts.append(read_canonical(rows, as_of=report.as_of))
    table = combine(parts)
    if table is not None:
        report.table = table
    iati_files = {f.name for f in report.files if f.kind == "iati"}
    report.rejected_rows = [
        RejectedRow(p.file, None, p.item, {}, (p,))
        for p in report.errors
        if p.row is None and p.file in iati_files
    ]
    report.rejected_rows.extend(rejected)
    return report


def _kept_side_tables(iati: IatiMerge, table: pd.DataFrame) -> SideTables | None:
    """The side tables of the IATI activities the canonical rules accepted."""
    if table.empty:
        return None
    side = iati.stream.side_tables()
    kept = set(table[S.COL_PROJECT_ID])
    tables = (side.transactions, side.details, side.budgets)
    return SideTables(
        *(t[t[S.COL_PROJECT_ID].isin(kept)].reset_index(drop=True) for t in tables)
    )


def _read_all(
    opened: list[Opened],
    report: ImportReport,
    iati: IatiMerge,
    on_progress: Progress | None,
) -> list[tuple[FileSummary, Sheet]]:
    """Sniff and read every file: IATI into `iati`, the sheets returned."""
    total = sum(o.size for o in opened) or 1
    done = 0
    sheets: list[tuple[FileSummary, Sheet]] = []
    for item in opened:
        summary = FileSummary(item.name, "", item.size, "")
        report.files.append(summary)
        try:
            summary.sha256 = sha256(item.handle)
            summary.kind = sniff(item.name, item.handle, item.size)
            if summary.kind == "iati":

                def progress(_acts: int, nbytes: int, offset: int = done) -> None:
                    if on_progress is not None:
                        on_progress(min(offset + nbytes, total), total)

                iati.read(summary, item.handle, progress)
            else:
                sheet = _read_sheet(summary, item, _ticker(on_progress, done, total))
                report.problems.extend(sheet.problems)
                sheets.append((summary, sheet))
        except FileError as exc:
            refuse(report, summary, exc.key, **exc.params)
        done += item.size
        if on_progress is not None:
            on_progress(min(done, total), total)
    return sheets


def _ticker(on_progress: Progress | None, done: int, total: int) -> Tick:
    """A yield point for the readers and the row check: progress unchanged.

    The app's progress callback is where a closed session or the time limit
    stops an import, so a single large CSV/.xlsx stops within `TICK_ROWS` rows
    of reading, or one rule's check, instead of at the file's end.
    """
    if on_progress is None:
        return lambda: None
    return lambda: on_progress(min(done, total), total)


def _read_sheet(summary: FileSummary, item: Opened, tick: Tick) -> Sheet:
    data = item.handle.read()
    if summary.kind == "csv":
        sheet = read_csv(item.name, data, tick)
        summary.encoding = sheet.encoding
        return sheet
    return read_xlsx(data, tick)


def _count_screened(report: ImportReport, rejected: list[tuple[str, str]]) -> None:
    """Move the activities the canonical rules rejected to their file's rejects."""
    by_name = {f.name: f for f in report.files}
    for file, _item in rejected:
        summary = by_name[file]
        summary.accepted -= 1
        summary.rejected += 1


def _check_sheets(
    sheets: list[tuple[FileSummary, Sheet]],
    seen: SeenIds,
    report: ImportReport,
    tick: Tick,
) -> tuple[list[RejectedRow], list[pd.DataFrame]]:
    """Check the rows of every sheet; (rejected rows, accepted canonical values)."""
    refs = References.load() if sheets else None
    rejected: list[RejectedRow] = []
    accepted: list[pd.DataFrame] = []
    for summary, sheet in sheets:
        result = check_table(summary.name, sheet, seen, refs, tick)
        if result.refused is not None:
            key, params = result.refused
            refuse(report, summary, key, **params)
            continue
        report.problems.extend(result.problems)
        summary.read = result.read
        summary.accepted = summary.read - len(result.rejected)
        summary.rejected = len(result.rejected)
        rejected.extend(result.rejected)
        if summary.accepted:
            accepted.append(result.accepted)
    return rejected, accepted
