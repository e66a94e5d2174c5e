"""The sniff step: open each source, checksum it, refuse it or name its kind."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from src.portfolio.imports.report import FileError, Source, max_upload_bytes


@dataclass(frozen=True)
class Opened:
    """One source, open: its display name, binary handle (at 0) and size."""

    name: str
    handle: IO[bytes]
    size: int
    owned: bool  # opened here from a path: closed by `close_all`


def open_source(source: Source) -> Opened:
    """Open a path, or take an upload's file object (rewound)."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        handle = open(path, "rb")  # noqa: SIM115 - closed by close_all
        return Opened(path.name, handle, path.stat().st_size, True)
    name = Path(str(getattr(source, "name", "") or "<upload>")).name
    size = getattr(source, "size", None)
    if not isinstance(size, int):
        source.seek(0, io.SEEK_END)
        size = source.tell()
    source.seek(0)
    return Opened(name, source, size, False)


def close_all(opened: Sequence[Opened]) -> None:
    """Close the files `open_source` opened (uploads stay open)."""
    for item in opened:
        if item.owned:
            item.handle.close()


def sha256(handle: IO[bytes]) -> str:
    """The SHA-256 of the whole content (the handle is rewound after)."""
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def sniff(name: str, handle: IO[bytes], size: int) -> str:
    """The kind, "iati", "csv" or "xlsx", from the extension, else the content.

    Raises:
        FileError: the file is empty, too large or an old .xls.
    """
    limit = max_upload_bytes()
    if size > limit:
        raise FileError(
            "import.file.too_large",
            size=size / 2**20,
            limit=limit / 2**20,
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
