"""Reading CSV and .xlsx portfolios: encodings, delimiters, sheets, formulas.

Both readers return a `Sheet`: the normalised header and (row number, values)
pairs, with row numbers as a spreadsheet shows them (header = row 1); the row
step (src/portfolio/imports/rows.py) checks the rows. A file with more rows than
`Settings.max_import_rows` is refused as soon as the limit is passed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from src.portfolio.imports.report import FileError, max_upload_bytes
from src.problems import WARNING, Problem
from src.settings import Settings


@dataclass
class Sheet:
    """What a reader gives.

    Attributes:
        header: normalised column names.
        rows: (spreadsheet row number, column -> cell text) pairs.
        encoding: how a CSV was decoded ("" for .xlsx).
        problems: warnings about the file as a whole.
    """

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str = ""
    problems: list[Problem] = field(default_factory=list)


def _check_rows(count: int, limit: int) -> None:
    """Refuse a file once it has more rows than the import allows (`limit`)."""
    if count > limit:
        raise FileError("import.file.too_many_rows", limit=f"{limit:,}")


def _decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16, cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as exc:
            raise FileError("import.file.bad_utf8", byte=exc.start + 3) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:8192]:
        raise FileError("import.file.binary")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1 (Latin-1)"


def read_csv(name: str, data: bytes) -> Sheet:
    """The header and rows of a CSV; leading ``#`` lines skipped."""
    text, encoding = _decode(data)
    problems = []
    if not encoding.startswith(("UTF-8", "UTF-16")):
        params = {"encoding": encoding}
        problems.append(Problem("import.not_utf8", params, name, "", "file", WARNING))
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and (
        lines[skip].lstrip().startswith("#") or not lines[skip].strip()
    ):
        skip += 1
    if skip == len(lines):
        raise FileError("import.file.no_header")
    header_line = lines[skip]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO("".join(lines[skip:])), delimiter=delimiter)
    limit = Settings.from_env().max_import_rows
    try:
        header = next(reader)
        rows: list[tuple[int, dict[str, str]]] = []
        start = reader.line_num + 1
        for values in reader:
            rows.append((skip + start, _as_record(header, values)))
            start = reader.line_num + 1
            _check_rows(len(rows), limit)
    except csv.Error as exc:
        raise FileError(
            "import.file.bad_csv", line=skip + reader.line_num, detail=str(exc)
        ) from None
    return Sheet([_norm(h) for h in header], rows, encoding, problems)


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


def read_xlsx(data: bytes) -> Sheet:
    """The header and rows of the "portfolio" (else first) sheet.

    A formula cell is kept as ``__formula__:<column>`` so the row is rejected:
    formulas are never evaluated.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise FileError("import.file.bad_xlsx") from None
    if unpacked > 10 * max(max_upload_bytes(), 2**20):
        raise FileError("import.file.xlsx_bomb", size=f"{unpacked / 2**20:,.0f}")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        detail = f"{type(exc).__name__}: {exc}"
        raise FileError("import.file.unreadable_xlsx", detail=detail) from None
    try:
        names = book.sheetnames
        sheet = book["portfolio"] if "portfolio" in names else book.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, str]]] = []
        limit = Settings.from_env().max_import_rows
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
            _check_rows(len(rows), limit)
    finally:
        book.close()
    if header is None:
        raise FileError("import.file.sheet_no_header")
    return Sheet([_norm(h) for h in header], rows)
