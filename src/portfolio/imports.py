"""Validate user portfolios before anything is used: IATI XML, CSV or .xlsx.

`import_files(sources)` reads every file, checks every row or activity and
returns an `ImportReport`: counts, one `ImportProblem` per problem (file, row or
activity, column, plain message), the accepted rows as a canonical table (the
same derived values as the bundled data) and the rejected rows with a reason.
Nothing raises on bad input; a file that cannot be read is reported as such.

IATI files are parsed one by one with the hardened parser (src/iati/parser.py);
an identifier found in several files is kept once, from the file where it was
last updated most recently. CSV and .xlsx files follow the template in
src/portfolio/import_template.py; row numbers are those a spreadsheet shows
(header = row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

import pandas as pd

from src.iati.model import Activity, ParseReport, Problem
from src.iati.parser import iter_activities
from src.portfolio import schema as S
from src.portfolio.build import (
    PortfolioStream,
    coerce_types,
    derive_indicators,
    enrich_countries,
)
from src.portfolio.export import to_csv_bytes
from src.portfolio.fx import to_usd
from src.portfolio.import_template import COL_CURRENCY, TEMPLATE_NAMES
from src.portfolio.load import BUILD_VERSION
from src.portfolio.reference import country_reference

DEFAULT_MAX_UPLOAD_MB = 200
Source = str | os.PathLike[str] | IO[bytes]
Progress = Callable[[int, int], None]
"""``(bytes_done, bytes_total)`` over all files of an import."""

_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234,567.89
_TRUE = {"true", "1", "yes", "y", "oui", "vrai"}
_FALSE = {"false", "0", "no", "n", "non", "faux", ""}
_DATE_FIELDS = {
    S.COL_START: "start date",
    S.COL_END: "end date",
    S.COL_START_PLANNED: "planned start date",
    S.COL_END_PLANNED: "planned end date",
}


@dataclass(frozen=True)
class ImportProblem:
    """One problem, in words a user can act on.

    Attributes:
        file: the file name.
        row: spreadsheet row number (header = 1); None for XML and file problems.
        item: the project or activity identifier ("" when unknown).
        column: the column or IATI element concerned.
        message: the plain message, starting with "row N:" or "activity X:".
        severity: "error" (row, activity or file rejected) or "warning"
            (accepted, flagged).
    """

    file: str
    row: int | None
    item: str
    column: str
    message: str
    severity: str = "error"


@dataclass
class FileSummary:
    """What one file gave.

    Attributes:
        name: file name; kind: "iati", "csv" or "xlsx"; size: bytes;
        sha256: checksum of the content; encoding: how a CSV was decoded;
        read / accepted / rejected: rows or activities; error: why the whole
        file was refused ("" when it was read).
    """

    name: str
    kind: str
    size: int
    sha256: str
    encoding: str = ""
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    error: str = ""


@dataclass
class ImportReport:
    """The result of validating one import (shape of each part documented).

    Attributes:
        files: one summary per file, in the given order.
        problems: every error and warning.
        table: accepted rows, canonical `schema.COLUMNS` (empty if none).
        rejected: rejected rows: file, row, project_id, reason, then the values
            as read (template columns).
        as_of: the data date used for the derived indicators.
        unconverted: IATI values with no exchange rate (file, activity,
            element, amount, currency), as in the bundled report.
    """

    files: list[FileSummary] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=lambda: _empty_table())
    rejected: pd.DataFrame = field(default_factory=lambda: _empty_rejected())
    as_of: date = field(default_factory=date.today)
    unconverted: list[dict[str, object]] = field(default_factory=list)

    @property
    def read(self) -> int:
        """Rows and activities read over all files."""
        return sum(f.read for f in self.files)

    @property
    def accepted(self) -> int:
        """Rows and activities accepted."""
        return sum(f.accepted for f in self.files)

    @property
    def rejected_count(self) -> int:
        """Rows and activities rejected (read - accepted)."""
        return sum(f.rejected for f in self.files)

    @property
    def errors(self) -> list[ImportProblem]:
        """Problems that rejected a row, an activity or a file."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        """Problems on accepted rows."""
        return [p for p in self.problems if p.severity != "error"]

    def problems_frame(self) -> pd.DataFrame:
        """Columns file, row, item, column, message, severity (one row each)."""
        cols = ["file", "row", "item", "column", "message", "severity"]
        df = pd.DataFrame([asdict(p) for p in self.problems], columns=cols)
        df["row"] = df["row"].astype("Int64")
        return df

    def rejected_csv(self) -> bytes:
        """The rejected rows as CSV with a reason column (formulas neutralised)."""
        return to_csv_bytes(self.rejected, [f"Rejected rows: {len(self.rejected)}"])

    def fingerprint(self) -> str:
        """Short SHA-256 over the files' names and checksums (and build version)."""
        digest = hashlib.sha256(BUILD_VERSION.encode())
        for f in self.files:
            digest.update(f"{f.name}\0{f.sha256}\0".encode())
        return digest.hexdigest()[:16]

    def provenance(self) -> dict[str, object]:
        """Files (name, kind, bytes, sha256, encoding, counts), import date, counts."""
        return {
            "files": [asdict(f) for f in self.files],
            "imported": datetime.now(UTC).isoformat(timespec="seconds"),
            "data_date": self.as_of.isoformat(),
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected_count,
            "rows": len(self.table),
            "warnings": len(self.warnings),
        }

    def to_store_report(self) -> dict[str, object]:
        """The report in `load.load_bundled_report()`'s shape, for the quality page.

        Returns:
            {files, activities_read, activities_kept, parse_problems,
            build_problems, unconverted}; problems are {file, activity, field,
            message, severity} dicts (the row number is in the message).
        """

        def as_problem(p: ImportProblem) -> dict[str, str]:
            item = p.item or (f"row {p.row}" if p.row else "")
            return {
                "file": p.file,
                "activity": item,
                "field": p.column,
                "message": p.message,
                "severity": p.severity,
            }

        return {
            "files": [f.name for f in self.files],
            "activities_read": self.read,
            "activities_kept": self.accepted,
            "parse_problems": [as_problem(p) for p in self.errors],
            "build_problems": [as_problem(p) for p in self.warnings],
            "unconverted": self.unconverted,
        }


class _FileError(Exception):
    """The whole file is refused (message shown as is)."""


def _empty_table() -> pd.DataFrame:
    return coerce_types(pd.DataFrame(columns=list(S.COLUMNS)))


def _empty_rejected() -> pd.DataFrame:
    return pd.DataFrame(columns=["file", "row", S.COL_PROJECT_ID, "reason"])


def max_upload_bytes() -> int:
    """The import size limit: `APP_MAX_UPLOAD_MB` (default 200) in bytes."""
    raw = os.environ.get("APP_MAX_UPLOAD_MB", "")
    try:
        mb = float(raw) if raw.strip() else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        mb = DEFAULT_MAX_UPLOAD_MB
    return int(max(mb, 0) * 2**20)


def named_bytes(name: str, data: bytes) -> IO[bytes]:
    """A binary file object with a name, as an upload widget gives."""
    buf = io.BytesIO(data)
    buf.name = name  # type: ignore[attr-defined]
    return buf


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
    iati = _IatiMerge()
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
                    header, rows, summary.encoding = _read_csv(name, data, report)
                else:
                    header, rows = _read_xlsx(data)
                tables.append((summary, name, header, rows))
        except _FileError as exc:
            _refuse(report, summary, str(exc))
        done += size
        if on_progress is not None:
            on_progress(min(done, total), total)
    _close(opened, sources)

    report.problems.extend(iati.problems)
    iati.count_accepted()
    when = as_of or iati.stream.data_date() or date.today()
    report.as_of = when
    parts: list[pd.DataFrame] = []
    seen: dict[tuple[str, str], str] = {}
    if len(iati.stream):
        df, build_report, _ = iati.stream.finish(as_of=when)
        parts.append(df)
        for p in build_report.problems:
            report.problems.append(
                ImportProblem(p.file, None, p.activity, p.field, p.message, "warning")
            )
        report.unconverted.extend(build_report.unconverted)
        for pid, iso3, src in zip(
            df[S.COL_PROJECT_ID], df[S.COL_COUNTRY], df[S.COL_SOURCE_FILE], strict=True
        ):
            seen[(pid, iso3)] = src
    rejected: list[dict[str, object]] = []
    accepted_rows: list[dict[str, object]] = []
    for summary, name, header, rows in tables:
        _validate_table(
            summary, name, header, rows, seen, report, accepted_rows, rejected
        )
    if accepted_rows:
        parts.append(_canonical(accepted_rows, when))
    if parts:
        table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        report.table = table[list(S.COLUMNS)].reset_index(drop=True)
    iati_rejected = [
        {"file": p.file, "row": None, S.COL_PROJECT_ID: p.item, "reason": p.message}
        for p in report.errors
        if p.row is None
        and any(f.name == p.file and f.kind == "iati" for f in report.files)
    ]
    rows_out = iati_rejected + rejected
    if rows_out:
        cols = ["file", "row", S.COL_PROJECT_ID, "reason"]
        extra = [c for c in TEMPLATE_NAMES if c != S.COL_PROJECT_ID]
        report.rejected = pd.DataFrame(rows_out).reindex(columns=cols + extra)
        report.rejected["row"] = report.rejected["row"].astype("Int64")
        report.rejected = report.rejected.dropna(axis=1, how="all").fillna("")
    return report


def _refuse(report: ImportReport, summary: FileSummary, message: str) -> None:
    summary.error = message
    report.problems.append(
        ImportProblem(summary.name, None, "", "file", f"{summary.name}: {message}")
    )


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
        raise _FileError(
            f"the file is {size / 2**20:,.1f} MB, above the import limit of "
            f"{limit / 2**20:,.0f} MB (APP_MAX_UPLOAD_MB); split it or raise the "
            "limit"
        )
    if size == 0:
        raise _FileError("the file is empty (0 bytes); nothing to import")
    head = handle.read(4096)
    handle.seek(0)
    ext = Path(name).suffix.lower()
    if ext == ".xls":
        raise _FileError(
            "old Excel .xls files are not supported; save it as .xlsx or CSV"
        )
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


# --------------------------------------------------------------------------- #
# IATI
# --------------------------------------------------------------------------- #


def _stamp(text: str) -> datetime:
    """A last-updated-datetime as an aware datetime (oldest when missing)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            value = datetime.fromisoformat(text.strip()[:10])
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _IatiMerge:
    """Stream IATI files into one `PortfolioStream`, never holding the activities.

    Each activity becomes its rows as soon as it is parsed. An identifier seen in
    an earlier file keeps one slot (its first position); a newer version (by
    last-updated date) replaces the rows in that slot, an older one is dropped.
    Only a small index {identifier: (slot, file, last-updated)} is kept.
    """

    def __init__(self) -> None:
        self.stream = PortfolioStream()
        self.files: list[FileSummary] = []
        self.problems: list[ImportProblem] = []  # parse and duplicate problems
        self._index: dict[str, tuple[int, int, str]] = {}
        self._slot_file: list[int] = []  # slot -> index in `files`

    def read(self, summary: FileSummary, handle: IO[bytes], progress: Progress) -> None:
        """Parse one file into the stream; its problems follow the earlier files'."""
        number = len(self.files)
        self.files.append(summary)
        parse_report = ParseReport()
        duplicates: list[ImportProblem] = []
        for act in _activities(handle, summary.name, parse_report, progress):
            self._take(act, number, duplicates)
        summary.read = parse_report.activities_read
        for p in parse_report.problems:
            severity = "warning" if p.severity == "warning" else "error"
            self.problems.append(
                ImportProblem(p.file, None, p.activity, p.field, p.message, severity)
            )
        if parse_report.fatal:
            summary.error = parse_report.fatal[0].message
        self.problems.extend(duplicates)

    def count_accepted(self) -> None:
        """Set each file's accepted and rejected counts from the kept versions."""
        kept = [0] * len(self.files)
        for number in self._slot_file:
            kept[number] += 1
        for summary, n in zip(self.files, kept, strict=True):
            summary.accepted = n
            summary.rejected = summary.read - n

    def _take(self, act: Activity, number: int, out: list[ImportProblem]) -> None:
        prev = self._index.get(act.identifier)
        if prev is None:
            slot = self.stream.add(act)
            self._slot_file.append(number)
            self._index[act.identifier] = (slot, number, act.last_updated)
            return
        slot, prev_number, prev_stamp = prev
        prev_file = self.files[prev_number].name
        newer = _stamp(act.last_updated) > _stamp(prev_stamp)
        if newer:
            self.stream.replace(slot, act)
            self._slot_file[slot] = number
            self._index[act.identifier] = (slot, number, act.last_updated)
            keep, drop = (act.source_file, act.last_updated), (prev_file, prev_stamp)
        else:
            keep, drop = (prev_file, prev_stamp), (act.source_file, act.last_updated)
        out.append(
            ImportProblem(
                drop[0],
                None,
                act.identifier,
                "iati-identifier",
                f"activity {act.identifier}: duplicate identifier in "
                f"{prev_file} and {act.source_file}; kept the version "
                f"from {keep[0]} (last updated {keep[1] or 'not given'}), dropped "
                f"the one from {drop[0]} (last updated {drop[1] or 'not given'})",
            )
        )


def _activities(
    handle: IO[bytes], name: str, parse_report: ParseReport, progress: Progress
) -> Iterator[Activity]:
    """`iter_activities`, with any unexpected error recorded as fatal for the file.

    The same barrier as `parser.parse_file`: activities read before the error
    are kept, and nothing raises out of the parser.
    """
    activities = iter_activities(
        handle, file_name=name, report=parse_report, on_progress=progress
    )
    while True:
        try:
            act = next(activities)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - the import must never raise
            message = f"{name}: unexpected error ({type(exc).__name__}: {exc})"
            parse_report.fatal.append(Problem(name, "", "file", message, "error"))
            return
        yield act


# --------------------------------------------------------------------------- #
# CSV and .xlsx: reading
# --------------------------------------------------------------------------- #


def _decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16, cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as exc:
            msg = f"the file starts as UTF-8 but byte {exc.start + 3} is not UTF-8"
            raise _FileError(msg) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:8192]:
        raise _FileError(
            "this is a binary file, not a CSV text file (save the sheet as CSV or "
            ".xlsx)"
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1 (Latin-1)"


def _read_csv(
    name: str, data: bytes, report: ImportReport
) -> tuple[list[str], list[tuple[int, dict[str, str]]], str]:
    """Header and (row number, values) of a CSV; leading ``#`` lines skipped."""
    text, encoding = _decode(data)
    if not encoding.startswith(("UTF-8", "UTF-16")):
        report.problems.append(
            ImportProblem(
                name,
                None,
                "",
                "file",
                f"{name}: not UTF-8; read as {encoding}, as spreadsheet programs "
                "save it. Check that accented letters look right.",
                "warning",
            )
        )
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and (
        lines[skip].lstrip().startswith("#") or not lines[skip].strip()
    ):
        skip += 1
    if skip == len(lines):
        raise _FileError("the file has no header row")
    header_line = lines[skip]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO("".join(lines[skip:])), delimiter=delimiter)
    try:
        header = next(reader)
        rows: list[tuple[int, dict[str, str]]] = []
        start = reader.line_num + 1
        for values in reader:
            rows.append((skip + start, _as_record(header, values)))
            start = reader.line_num + 1
    except csv.Error as exc:
        msg = f"is not a readable CSV file near line {skip + reader.line_num} ({exc})"
        raise _FileError(msg) from None
    return [_norm(h) for h in header], rows, encoding


def _norm(header: str) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower()


def _as_record(header: list[str], values: list[str]) -> dict[str, str]:
    rec = {
        _norm(h): (v if v is not None else "")
        for h, v in zip(header, values, strict=False)
    }
    if len(values) > len(header):
        rec["__extra__"] = str(len(values))
    return rec


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (row number, values) of the "portfolio" (else first) sheet.

    A formula cell is kept as ``__formula__:<column>`` so the row is rejected:
    formulas are never evaluated.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise _FileError(
            "is not a valid .xlsx file (damaged, or an old .xls renamed)"
        ) from None
    if unpacked > 10 * max(max_upload_bytes(), 2**20):
        raise _FileError(
            f"unpacks to {unpacked / 2**20:,.0f} MB, far above the import limit; "
            "refused for safety"
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        msg = f"could not be read as .xlsx ({type(exc).__name__}: {exc})"
        raise _FileError(msg) from None
    try:
        names = book.sheetnames
        sheet = book["portfolio"] if "portfolio" in names else book.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, str]]] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = [_cell_text(getattr(c, "value", None)) for c in cells]
            if header is None:
                if any(t.strip() for t in texts) and not texts[0].startswith("#"):
                    header = texts
                continue
            rec = _as_record(header, texts)
            for h, c in zip(header, cells, strict=False):
                if getattr(c, "data_type", "") == "f":
                    rec[f"__formula__:{_norm(h)}"] = str(c.value)
            rows.append((number, rec))
    finally:
        book.close()
    if header is None:
        raise _FileError("the sheet has no header row")
    return [_norm(h) for h in header], rows


# --------------------------------------------------------------------------- #
# CSV and .xlsx: validation
# --------------------------------------------------------------------------- #


def _validate_table(
    summary: FileSummary,
    name: str,
    header: list[str],
    rows: list[tuple[int, dict[str, str]]],
    seen: dict[tuple[str, str], str],
    report: ImportReport,
    accepted: list[dict[str, object]],
    rejected: list[dict[str, object]],
) -> None:
    """Check every row of one file; fill `accepted` and `rejected`."""
    missing = [c for c in S.REQUIRED_INPUT_COLUMNS if c not in header]
    if missing:
        _refuse(
            report,
            summary,
            f"missing required column(s): {', '.join(missing)}; use the template",
        )
        return
    unknown = [h for h in header if h and h not in TEMPLATE_NAMES]
    if unknown:
        report.problems.append(
            ImportProblem(
                name,
                1,
                "",
                ", ".join(unknown),
                f"row 1: column(s) {', '.join(unknown)} are not in the template; "
                "ignored",
                "warning",
            )
        )
    checker = _RowChecker(name, seen)
    for number, rec in rows:
        if not any(str(v).strip() for k, v in rec.items() if not k.startswith("__")):
            continue  # blank line
        summary.read += 1
        out, problems = checker.check(number, rec)
        report.problems.extend(problems)
        errors = [p.message for p in problems if p.severity == "error"]
        if errors:
            summary.rejected += 1
            rejected.append(
                {
                    "file": name,
                    "row": number,
                    **{k: v for k, v in rec.items() if k in TEMPLATE_NAMES},
                    "reason": "; ".join(errors),
                }
            )
        else:
            summary.accepted += 1
            accepted.append(out)


class _RowChecker:
    """Validation rules for one template row (stateful: duplicate detection)."""

    def __init__(self, name: str, seen: dict[tuple[str, str], str]) -> None:
        self.name = name
        self.seen = seen
        ref = country_reference()
        self.iso3 = set(ref.index)
        self.iso2 = {iso2: iso3 for iso3, iso2 in ref["iso2"].items()}
        self.groups = {g.lower(): g for g in S.SECTOR_GROUPS}

    def check(
        self, number: int, rec: dict[str, str]
    ) -> tuple[dict[str, object], list[ImportProblem]]:
        """Return the canonical values and the problems of one row."""
        problems: list[ImportProblem] = []
        pid = rec.get(S.COL_PROJECT_ID, "").strip()

        def add(column: str, text: str, severity: str = "error") -> None:
            problems.append(
                ImportProblem(
                    self.name, number, pid, column, f"row {number}: {text}", severity
                )
            )

        if "__extra__" in rec:
            add("", f"has {rec['__extra__']} values, more than the header's columns")
        for key, formula in rec.items():
            if key.startswith("__formula__:"):
                add(
                    key.split(":", 1)[1],
                    f"cell {key.split(':', 1)[1]} contains a formula ({formula}); "
                    "formulas are not evaluated on import, paste values only",
                )
        if not pid:
            add(S.COL_PROJECT_ID, "project id is missing")
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
            add(S.COL_END, f"end date {end} is before start date {start}")
        budget = self._amount(
            rec.get(S.COL_BUDGET, ""), S.COL_BUDGET, "budget", add, required=True
        )
        spent = self._amount(
            rec.get(S.COL_SPENT, ""), S.COL_SPENT, "spent", add, required=False
        )
        if budget is not None and spent is not None and spent > budget:
            share = f" ({spent / budget:.0%} of it)" if budget > 0 else ""
            add(
                S.COL_SPENT,
                f"spent {spent:,.2f} is above the budget {budget:,.2f}{share}; "
                "accepted, please check",
                "warning",
            )
        currency = (rec.get(COL_CURRENCY, "") or "USD").strip().upper() or "USD"
        year = start.year if start else None
        for col, value in ((S.COL_BUDGET, budget), (S.COL_SPENT, spent)):
            if value is None:
                out[col] = math.nan if col == S.COL_SPENT else None
                continue
            conv = to_usd(value, currency, year)
            if conv.usd is None:
                if col == S.COL_BUDGET:
                    add(COL_CURRENCY, f"currency {currency} has no exchange rate")
                out[col] = None
            else:
                if conv.note and col == S.COL_BUDGET:
                    add(COL_CURRENCY, conv.note, "warning")
                out[col] = conv.usd
        out[S.COL_SPEND_REPORTED] = spent is not None
        if spent is None:
            out[S.COL_SPENT] = 0.0
        out[S.COL_LAT] = self._coordinate(rec.get(S.COL_LAT, ""), S.COL_LAT, 90, add)
        out[S.COL_LON] = self._coordinate(rec.get(S.COL_LON, ""), S.COL_LON, 180, add)
        out[S.COL_N_SITES] = 0 if out[S.COL_LAT] is None else 1
        hum = rec.get(S.COL_HUMANITARIAN, "").strip().lower()
        if hum not in _TRUE | _FALSE:
            add(S.COL_HUMANITARIAN, f"humanitarian {hum!r} is not true or false")
        out[S.COL_HUMANITARIAN] = hum in _TRUE
        if pid and not any(p.severity == "error" for p in problems):
            key = (pid, iso3)
            first = self.seen.get(key)
            if first is not None:
                where = f" in {iso3}" if iso3 else ""
                add(S.COL_PROJECT_ID, f"duplicate id {pid}{where} (already in {first})")
            else:
                self.seen[key] = f"{self.name} row {number}"
        return out, problems

    def _country(self, raw: str, add: Callable[..., None]) -> str:
        code = raw.strip().upper()
        if not code:
            add(S.COL_COUNTRY, "no country code; counted as regional", "warning")
            return ""
        if code in self.iso3:
            return code
        if len(code) == 2 and code in self.iso2:
            iso3 = self.iso2[code]
            add(S.COL_COUNTRY, f"country code {code} read as {iso3}", "warning")
            return iso3
        add(S.COL_COUNTRY, f"country code {raw.strip()} is not a known ISO 3166 code")
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
                f"sector group {text} is not one of: {', '.join(S.SECTOR_GROUPS)}",
            )
            group = ""
        out[S.COL_SECTOR_GROUP] = group
        out[S.COL_SECTOR_SOURCE] = "reported"

    @staticmethod
    def _date(
        raw: str, col: str, *, required: bool, add: Callable[..., None]
    ) -> date | None:
        text = raw.strip().lstrip("'")
        label = _DATE_FIELDS[col]
        if not text:
            if required:
                add(col, f"{label} is missing")
            return None
        try:
            if len(text) < 10 or text[4] != "-":
                raise ValueError
            return date.fromisoformat(text[:10])
        except ValueError:
            add(col, f"{label} {text} is not a date (use yyyy-mm-dd)")
            return None

    @staticmethod
    def _amount(
        raw: str, col: str, label: str, add: Callable[..., None], *, required: bool
    ) -> float | None:
        text = raw.strip().lstrip("'").replace("\u00a0", "").replace(" ", "")
        if not text:
            if required:
                add(col, f"{label} is missing")
            return None
        try:
            value = float(text.replace(",", "") if _THOUSANDS.fullmatch(text) else text)
        except ValueError:
            add(col, f"{label} {raw.strip()!r} is not a number")
            return None
        if not math.isfinite(value):
            add(col, f"{label} {raw.strip()!r} is not a number")
            return None
        if value < 0:
            add(col, f"{label} {value:,.2f} is negative")
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
            add(col, f"{col} {text!r} is not a number")
            return None
        if not -bound <= value <= bound:
            add(col, f"{col} {value} is outside -{bound}..{bound}")
            return None
        return value


def _canonical(rows: Iterable[dict[str, object]], as_of: date) -> pd.DataFrame:
    """Accepted template rows -> canonical table (same derivations as IATI)."""
    df = pd.DataFrame(list(rows))
    for col in S.COLUMNS:
        if col not in df:
            df[col] = pd.NA
    df = coerce_types(df)
    # a multi-country project's rows are its country shares, by budget
    totals = df.groupby(S.COL_PROJECT_ID)[S.COL_BUDGET].transform("sum")
    counts = df.groupby(S.COL_PROJECT_ID)[S.COL_BUDGET].transform("size")
    df[S.COL_COUNTRY_SHARE] = (df[S.COL_BUDGET] / totals).where(totals > 0, 1 / counts)
    # enrich_countries fills label points; the user's own points go back after
    # (it cannot assign an empty selection when every row has a point)
    lat, lon = df[S.COL_LAT].copy(), df[S.COL_LON].copy()
    df[S.COL_LAT] = df[S.COL_LON] = math.nan
    df = coerce_types(enrich_countries(df))
    site = lat.notna() & lon.notna()
    df.loc[site, S.COL_LAT] = lat[site]
    df.loc[site, S.COL_LON] = lon[site]
    df.loc[site, S.COL_PRECISION] = "site"
    return derive_indicators(df, as_of)[list(S.COLUMNS)]
