"""The import report: what a user sees before anything is used.

`ImportReport` holds the counts, one `ImportProblem` per problem, the accepted
rows as a canonical table and the rejected rows with a reason;
src/portfolio/imports.py fills it. Also the import size limit.

Every problem found by the import's own checks carries a catalog key and plain
params besides its English message; the message is that key rendered in English
(`problem`, `message_text`), so the UI can show it in any language with
`problem_text(p, lang)` while the CLI, the rejected-rows CSV and the stored
report keep the English text. Problems from the IATI parser and the builder
have no key (their English message is shown as is).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import IO

import pandas as pd

from src.i18n import DEFAULT_LANG
from src.portfolio import schema as S
from src.portfolio.canonical import coerce_types
from src.portfolio.export import to_csv_bytes
from src.portfolio.load import BUILD_VERSION
from src.portfolio.messages import FILE_REASON, message_text, reason_text

DEFAULT_MAX_UPLOAD_MB = 200
Source = str | os.PathLike[str] | IO[bytes]
Progress = Callable[[int, int], None]
"""``(bytes_done, bytes_total)`` over all files of an import."""


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
        key: catalog key of the message ("" for parser and builder problems,
            whose message is English only).
        params: plain values filling the key's placeholders (row, value,
            currency, file...); `message_text(key, "en", params) == message`.
    """

    file: str
    row: int | None
    item: str
    column: str
    message: str
    severity: str = "error"
    key: str = ""
    params: dict[str, object] = field(default_factory=dict, hash=False)


def problem_text(p: ImportProblem, lang: str) -> str:
    """The problem's message in `lang`; the English message when it has no key."""
    return message_text(p.key, lang, p.params) if p.key else p.message


def problem(
    file: str,
    row: int | None,
    item: str,
    column: str,
    key: str,
    severity: str = "error",
    /,
    **params: object,
) -> ImportProblem:
    """A problem whose English message is rendered from the catalog key."""
    text = message_text(key, DEFAULT_LANG, params)
    return ImportProblem(file, row, item, column, text, severity, key, params)


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

    def problems_frame(self, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        """Columns file, row, item, column, message, severity (one row each).

        Args:
            lang: language of the messages (those without a key stay English).
        """
        cols = ["file", "row", "item", "column", "message", "severity"]
        records = [
            {**{c: getattr(p, c) for c in cols}, "message": problem_text(p, lang)}
            for p in self.problems
        ]
        df = pd.DataFrame(records, columns=cols)
        df["row"] = df["row"].astype("Int64")
        return df

    def file_error(self, summary: FileSummary, lang: str = DEFAULT_LANG) -> str:
        """Why a file was refused, in `lang` ("" when it was read)."""
        for p in self.problems:
            if p.file == summary.name and p.key.startswith(FILE_REASON):
                return reason_text(p.key, lang, p.params)
        return summary.error

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


class FileError(Exception):
    """The whole file is refused: a reason key (``import.file.*``) and its params.

    ``str(exc)`` is the English reason.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(reason_text(key, DEFAULT_LANG, params))


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


def refuse(
    report: ImportReport, summary: FileSummary, key: str, /, **params: object
) -> None:
    """Refuse a whole file for the reason `key`: its summary and the report say why.

    The summary's error is the English reason; the problem's message is
    "<file>: <reason>".
    """
    summary.error = reason_text(key, DEFAULT_LANG, params)
    report.problems.append(
        problem(summary.name, None, "", "file", key, file=summary.name, **params)
    )
