"""Reading CSV and .xlsx portfolios: encodings, delimiters, sheets, formulas.

Both readers return a `Sheet`: the normalised header and (row number, values)
pairs, with row numbers as a spreadsheet shows them (header = row 1); the row
step (src/portfolio/imports/rows.py) checks the rows. A file with more rows than
`Settings.max_import_rows` is refused as soon as the limit is passed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from src.portfolio.imports.report import FileError, max_upload_bytes
from src.problems import WARNING, Problem
from src.settings import Settings

Tick = Callable[[], None]
"""A reader's or checker's yield point: it may raise to stop the import."""


@dataclass
class Sheet:
    """What a reader gives, column by column.

    Attributes:
        header: the header as written (one name per position).
        numbers: the spreadsheet row number of each row.
        values: one list per header position: each row's cell text ("" past
            the end of a short row).
        encoding: how a CSV was decoded ("" for .xlsx).
        problems: warnings about the file as a whole.
        widths: row index -> values count, for rows not as wide as the header.
        formulas: row index -> {"__formula__:<column>": formula} (.xlsx).
    """

    raw_header: list[str]
    numbers: list[int]
    values: list[Sequence[str]]
    encoding: str = ""
    problems: list[Problem] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)
    formulas: dict[int, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def header(self) -> list[str]:
        """The normalised column names."""
        return [_norm(h) for h in self.raw_header]

    def column(self, name: str) -> list[str]:
        """The cells of the normalised column `name`, as `record` reads them.

        With several columns of that name, a row's value is that of the last
        one it reaches (as a record keeps the last).
        """
        positions = [j for j, h in enumerate(self.header) if h == name]
        if not positions:
            return [""] * len(self.numbers)
        out = list(self.values[positions[0]])
        for j in positions[1:]:
            later = self.values[j]
            out = [
                later[i] if self.widths.get(i, j + 1) > j else v
                for i, v in enumerate(out)
            ]
        return out

    def record(self, index: int) -> dict[str, str]:
        """Row `index` as a column -> text record (``__extra__``, formulas).

        A column whose name starts with ``__`` (an unknown column, warned as
        such) is left out: such keys are the readers' own markers.
        """
        width = self.widths.get(index, len(self.raw_header))
        cells = [self.values[j][index] for j in range(min(width, len(self.values)))]
        rec = {
            h: v
            for h, v in zip(self.header, cells, strict=False)
            if not h.startswith("__")  # the readers' markers, never a column's
        }
        if width > len(self.header):
            rec["__extra__"] = str(width)
        rec.update(self.formulas.get(index, {}))
        return rec


def _columnar(
    header: list[str], rows: list[list[str]]
) -> tuple[list[Sequence[str]], dict[int, int]]:
    """Rows as one list per header position, and the widths of uneven rows.

    (The readers keep one string object per distinct cell text: a column of
    dates or country codes repeats a few hundred values, and 500,000 rows of
    20 cells as separate objects were most of an import's memory.)
    """
    width = len(header)
    widths = {i: len(r) for i, r in enumerate(rows) if len(r) != width}
    for i in widths:
        rows[i] = (rows[i] + [""] * width)[:width]
    values = list(zip(*rows, strict=True)) if rows else []
    return values or [() for _ in header], widths


TICK_ROWS = 10_000
"""Rows read between two calls of a reader's `tick` (where an import may stop)."""


def _check_rows(count: int, limit: int, tick: Tick | None = None) -> None:
    """Refuse a file past `limit` rows; call `tick` every `TICK_ROWS` rows."""
    if count > limit:
        raise FileError("import.file.too_many_rows", limit=limit)
    if tick is not None and count % TICK_ROWS == 0:
        tick()


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


def read_csv(name: str, data: bytes, tick: Tick | None = None) -> Sheet:
    """The header and rows of a CSV; leading ``#`` lines skipped.

    `tick` is called every `TICK_ROWS` rows; it may raise to stop the read.
    """
    text, encoding = _decode(data)
    problems = []
    if not encoding.startswith(("UTF-8", "UTF-16")):
        params = {"encoding": encoding}
        problems.append(Problem("import.not_utf8", params, name, "", "file", WARNING))
    found = _header_line(text)
    if found is None:
        raise FileError("import.file.no_header")
    start, skip, header_line = found
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text[start:]), delimiter=delimiter)
    limit = Settings.from_env().max_import_rows
    try:
        header = next(reader)
        rows: list[list[str]] = []
        numbers: list[int] = []
        first = reader.line_num + 1
        seen: dict[str, str] = {}  # one object per distinct text
        for values in reader:
            numbers.append(skip + first)
            rows.append([seen.setdefault(v, v) for v in values])
            first = reader.line_num + 1
            _check_rows(len(rows), limit, tick)
    except csv.Error as exc:
        raise FileError(
            "import.file.bad_csv", line=skip + reader.line_num, detail=str(exc)
        ) from None
    values, widths = _columnar(header, rows)
    return Sheet(header, numbers, values, encoding, problems, widths)


_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Where `str.splitlines` breaks a line."""


def _header_line(text: str) -> tuple[int, int, str] | None:
    """(offset, lines before it, line) of the header, or None.

    The header is the first line that is neither blank nor a ``#`` comment,
    lines cut as `str.splitlines` cuts them.
    """
    pos = skip = 0
    while pos < len(text):
        brk = _BREAK.search(text, pos)
        end = brk.end() if brk else len(text)
        line = text[pos:end]
        if line.strip() and not line.lstrip().startswith("#"):
            return pos, skip, line
        pos, skip = end, skip + 1
    return None


def _norm(header: str) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower()


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


def read_xlsx(data: bytes, tick: Tick | None = None) -> Sheet:
    """The header and rows of the "portfolio" (else first) sheet (`tick`: as CSV).

    A formula cell is kept as ``__formula__:<column>`` so the row is rejected:
    formulas are never evaluated.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise FileError("import.file.bad_xlsx") from None
    if unpacked > 10 * max(max_upload_bytes(), 2**20):
        raise FileError("import.file.xlsx_bomb", size=unpacked / 2**20)
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
        rows: list[list[str]] = []
        numbers: list[int] = []
        formulas: dict[int, dict[str, str]] = {}
        seen: dict[str, str] = {}  # one object per distinct text
        limit = Settings.from_env().max_import_rows
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = [_cell_text(getattr(c, "value", None)) for c in cells]
            texts = [seen.setdefault(t, t) for t in texts]
            if header is None:
                if any(t.strip() for t in texts) and not texts[0].startswith("#"):
                    header = texts
                continue
            found = {
                f"__formula__:{_norm(h)}": str(c.value)
                for h, c in zip(header, cells, strict=False)
                if getattr(c, "data_type", "") == "f"
            }
            if found:
                formulas[len(rows)] = found
            numbers.append(number)
            rows.append(texts)
            _check_rows(len(rows), limit, tick)
    finally:
        book.close()
    if header is None:
        raise FileError("import.file.sheet_no_header")
    values, widths = _columnar(header, rows)
    return Sheet(header, numbers, values, widths=widths, formulas=formulas)
