"""The import report: what a user sees before anything is used.

`ImportReport` holds the counts, one `Problem` per problem (src/problems.py: a
catalog key and its values, never text), the accepted rows as a canonical table
and the rejected rows with their problems; the steps of src/portfolio/imports/ fill it.
Also the import size limit. Text is made only when asked for, in the language
asked for (`problems_frame(lang)`, `rejected_frame(lang)`, `file_error`).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import IO

import pandas as pd

from src.i18n import DEFAULT_LANG
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.canonical import coerce_types
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.export import to_csv_bytes
from src.portfolio.imports.template import TEMPLATE_NAMES
from src.portfolio.load import BUILD_VERSION
from src.problems import ERROR, Problem, problem_text, reason_text
from src.settings import Settings

Source = str | os.PathLike[str] | IO[bytes]
Progress = Callable[[int, int], None]
"""``(bytes_done, bytes_total)`` over all files of an import."""


@dataclass(frozen=True)
class RejectedRow:
    """One rejected row or activity, with the problems that rejected it.

    Attributes:
        file: the file name.
        row: spreadsheet row number (header = 1); None for IATI activities.
        item: the project or activity identifier.
        values: the row's template values as read ({} for IATI).
        problems: the errors, in the order found.
    """

    file: str
    row: int | None
    item: str
    values: Mapping[str, str]
    problems: tuple[Problem, ...]


@dataclass
class FileSummary:
    """What one file gave.

    Attributes:
        name: file name; kind: "iati", "csv" or "xlsx"; size: bytes;
        sha256: checksum of the content; encoding: how a CSV was decoded;
        read / accepted / rejected: rows or activities. Why a whole file was
        refused is its problem with a file-reason key (`ImportReport.file_error`).
    """

    name: str
    kind: str
    size: int
    sha256: str
    encoding: str = ""
    read: int = 0
    accepted: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    """The result of validating one import (shape of each part documented).

    Attributes:
        files: one summary per file, in the given order.
        problems: every error and warning.
        table: accepted rows, canonical `schema.COLUMNS` (empty if none).
        rejected_rows: the rejected rows and activities with their errors
            (as a table: `rejected_frame`).
        as_of: the data date used for the derived indicators.
        unconverted: IATI values with no exchange rate (file, activity,
            element, amount, currency), as in the bundled report.
        side_tables: the transactions, details and budgets of the accepted
            IATI activities; None when no IATI activity was accepted (a CSV
            or .xlsx publishes none: "not published", not zero).
    """

    files: list[FileSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=lambda: _empty_table())
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    as_of: date = field(default_factory=date.today)
    unconverted: list[dict[str, object]] = field(default_factory=list)
    side_tables: SideTables | None = None

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
    def errors(self) -> list[Problem]:
        """Problems that rejected a row, an activity or a file."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def partial_files(self) -> list[FileSummary]:
        """Files cut off by an error after some rows were kept (truncated XML)."""
        return [f for f in self.files if f.accepted and self.file_error(f)]

    @property
    def warnings(self) -> list[Problem]:
        """Problems on accepted rows."""
        return [p for p in self.problems if p.severity != ERROR]

    def problems_frame(self, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        """Columns file, row, item, column, message, severity (one row each).

        Args:
            lang: language of the messages.
        """
        cols = ["file", "row", "item", "column", "message", "severity"]
        records = [
            (p.file, p.row, p.item, p.field, problem_text(p, lang), p.severity)
            for p in self.problems
        ]
        df = pd.DataFrame(records, columns=cols)
        df["row"] = df["row"].astype("Int64")
        return df

    def file_error(self, summary: FileSummary, lang: str = DEFAULT_LANG) -> str:
        """Why a file was refused, in `lang` ("" when it was read)."""
        for p in self.problems:
            if p.file == summary.name and p.is_file_reason:
                return reason_text(p, lang)
        return ""

    def rejected_frame(self, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        """The rejected rows: file, row, project_id, reason, then the values read.

        Args:
            lang: language of the reasons (one row's errors joined by "; ").

        Returns:
            One row per rejected row or activity; only the template columns some
            row has; ``row`` is Int64 (<NA> for IATI activities).
        """
        cols = ["file", "row", S.COL_PROJECT_ID, "reason"]
        if not self.rejected_rows:
            return pd.DataFrame(columns=cols)
        records = [
            {
                "file": r.file,
                "row": r.row,
                S.COL_PROJECT_ID: r.item,
                **{k: v for k, v in r.values.items() if k != S.COL_PROJECT_ID},
                "reason": "; ".join(problem_text(p, lang) for p in r.problems),
            }
            for r in self.rejected_rows
        ]
        extra = [c for c in TEMPLATE_NAMES if c != S.COL_PROJECT_ID]
        rej = pd.DataFrame(records).reindex(columns=cols + extra)
        rej = rej.dropna(axis=1, how="all")
        # IATI rows have no row number: keep it <NA> ("" cannot be an Int64)
        values = [c for c in rej.columns if c != "row"]
        rej[values] = rej[values].fillna("")
        if "row" in rej:
            rej["row"] = rej["row"].astype("Int64")
        return rej

    def rejected_csv(self, lang: str = DEFAULT_LANG) -> bytes:
        """The rejected rows as CSV with a reason column (formulas neutralised)."""
        rejected = self.rejected_frame(lang)
        return to_csv_bytes(rejected)

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

    def to_dataset_report(self) -> DatasetReport:
        """The report stored with the dataset, in the bundled report's shape.

        Errors are its parse problems, warnings its build problems.
        """
        return DatasetReport(
            files=[f.name for f in self.files],
            activities_read=self.read,
            activities_kept=self.accepted,
            parse_problems=self.errors,
            build_problems=self.warnings,
            unconverted=self.unconverted,
        )


class FileError(Exception):
    """The whole file is refused: a reason key (``import.file.*``) and its params."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _empty_table() -> pd.DataFrame:
    return coerce_types(pd.DataFrame(columns=list(S.COLUMNS)))


def max_upload_bytes() -> int:
    """The import size limit: `APP_MAX_UPLOAD_MB` (default 200) in bytes."""
    return int(Settings.from_env().max_upload_mb * 2**20)


def named_bytes(name: str, data: bytes) -> IO[bytes]:
    """A binary file object with a name, as an upload widget gives."""
    buf = io.BytesIO(data)
    buf.name = name  # type: ignore[attr-defined]
    return buf


def refuse(
    report: ImportReport, summary: FileSummary, key: str, /, **params: object
) -> None:
    """Refuse a whole file for the reason `key` (``import.file.*``)."""
    report.problems.append(Problem(key, params, summary.name, "", "file", ERROR))
