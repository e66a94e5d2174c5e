"""Validate user portfolios before anything is used: IATI XML, CSV or .xlsx.

`import_files(sources)` reads every file, checks every row or activity and
returns an `ImportReport`: counts, one `Problem` per problem (message key and
values, file, row or activity, column), the accepted rows as a canonical table
(the same derived values as the bundled data) and the rejected rows with their
problems.
Nothing raises on bad input; a file that cannot be read is reported as such.

IATI files are streamed one by one with the hardened parser into the table
(src/portfolio/import_iati.py: bounded memory, progress by bytes read); an
identifier found in several files is kept once, from the file where it was last
updated most recently. CSV and .xlsx files follow the template in
src/portfolio/import_template.py (read by import_tabular.py, checked by
import_rows.py); row numbers are those a spreadsheet shows (header = row 1).
The report itself is defined in import_report.py.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.canonical import read_canonical
from src.portfolio.import_iati import IatiMerge
from src.portfolio.import_report import (
    DEFAULT_MAX_UPLOAD_MB,
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
from src.portfolio.import_rows import validate_table
from src.portfolio.import_tabular import read_csv, read_xlsx

__all__ = [
    "DEFAULT_MAX_UPLOAD_MB",
    "FileSummary",
    "ImportReport",
    "Progress",
    "Source",
    "import_files",
    "max_upload_bytes",
    "named_bytes",
]


# --------------------------------------------------------------------------- #
# entry point
# --------------------------------------------------------------------------- #


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
    opened = [_open(s) for s in sources]
    total = sum(size for _, _, size in opened) or 1
    done = 0
    iati = IatiMerge()
    tables: list[tuple[FileSummary, str, list[str], list[tuple[int, dict]]]] = []
    for name, handle, size in opened:
        summary = FileSummary(name, "", size, "")
        report.files.append(summary)
        try:
            summary.sha256 = _sha256(handle)
            summary.kind = _check_and_kind(name, handle, size)
            if summary.kind == "iati":
                offset = done

                def progress(_acts: int, nbytes: int, offset: int = offset) -> None:
                    if on_progress is not None:
                        on_progress(min(offset + nbytes, total), total)

                iati.read(summary, handle, progress)
            else:
                data = handle.read()
                if summary.kind == "csv":
                    header, rows, summary.encoding = read_csv(name, data, report)
                else:
                    header, rows = read_xlsx(data)
                tables.append((summary, name, header, rows))
        except FileError as exc:
            refuse(report, summary, exc.key, **exc.params)
        done += size
        if on_progress is not None:
            on_progress(min(done, total), total)
    _close(opened, sources)

    report.problems.extend(iati.problems)
    iati.count_accepted()
    when = as_of or iati.stream.data_date() or date.today()
    report.as_of = when
    parts: list[pd.DataFrame] = []
    seen: dict[tuple[str, str], tuple[str, int | None]] = {}  # -> (file, row)
    if len(iati.stream):
        df, build_report, _ = iati.stream.finish(as_of=when)
        parts.append(df)
        report.problems.extend(build_report.problems)
        report.unconverted.extend(build_report.unconverted)
        for pid, iso3, src in zip(
            df[S.COL_PROJECT_ID], df[S.COL_COUNTRY], df[S.COL_SOURCE_FILE], strict=True
        ):
            seen[(pid, iso3)] = (src, None)
    rejected: list[RejectedRow] = []
    accepted_rows: list[dict[str, object]] = []
    for summary, name, header, rows in tables:
        validate_table(
            summary, name, header, rows, seen, report, accepted_rows, rejected
        )
    if accepted_rows:
        parts.append(read_canonical(accepted_rows, as_of=when))
    if parts:
        table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        report.table = table[list(S.COLUMNS)].reset_index(drop=True)
    iati_files = {f.name for f in report.files if f.kind == "iati"}
    report.rejected_rows = [
        RejectedRow(p.file, None, p.item, {}, (p,))
        for p in report.errors
        if p.row is None and p.file in iati_files
    ]
    report.rejected_rows.extend(rejected)
    return report


def _open(source: Source) -> tuple[str, IO[bytes], int]:
    """(display name, binary handle at position 0, size in bytes)."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        return path.name, open(path, "rb"), path.stat().st_size  # noqa: SIM115
    name = Path(str(getattr(source, "name", "") or "<upload>")).name
    size = getattr(source, "size", None)
    if not isinstance(size, int):
        source.seek(0, io.SEEK_END)
        size = source.tell()
    source.seek(0)
    return name, source, size


def _close(opened: list[tuple[str, IO[bytes], int]], sources: Sequence[Source]) -> None:
    for (_, handle, _), source in zip(opened, sources, strict=True):
        if isinstance(source, str | os.PathLike):
            handle.close()


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _check_and_kind(name: str, handle: IO[bytes], size: int) -> str:
    """Refuse empty or oversized files; return "iati", "csv" or "xlsx"."""
    limit = max_upload_bytes()
    if size > limit:
        raise FileError(
            "import.file.too_large",
            size=f"{size / 2**20:,.1f}",
            limit=f"{limit / 2**20:,.0f}",
        )
    if size == 0:
        raise FileError("import.file.empty")
    head = handle.read(4096)
    handle.seek(0)
    ext = Path(name).suffix.lower()
    if ext == ".xls":
        raise FileError("import.file.xls")
    if ext == ".xml":
        return "iati"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext in (".csv", ".txt", ".tsv"):
        return "csv"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "iati"
    return "csv"
