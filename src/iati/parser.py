"""The public front of the IATI parser: `iter_activities`, `parse_file`, `parse_files`.

Three jobs live in three modules: the hardened XML reader (src/iati/reader.py:
the byte-level security gate, depth limit, encodings), the table of field
extractors (src/iati/fields.py) and this thin front, which holds the one
exception barrier. Nothing raises out of `iter_activities`, hence out of
`parse_file` / `parse_files`: every problem becomes a `Problem` in the
`ParseReport` (fatal for the file, skipped for an activity, warning for a
value), and the activities read before a break are kept. A single activity that
cannot be read is skipped by its own guard without stopping the file.

Only IATI 2.01, 2.02 and 2.03 are supported; a 1.x file is rejected. Attributes
and elements in other namespaces (for example D-Portal's ``dstore:*``) are ignored.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from src.iati.fields import build_activity
from src.iati.model import Activity, ParseReport
from src.iati.reader import (
    MAX_CHILDREN,
    MAX_DEPTH,
    SUPPORTED_VERSIONS,
    ActivityElements,
    FatalError,
    check_root,
    open_checked,
    syntax_error,
)
from src.problems import ERROR, Problem

__all__ = [
    "MAX_CHILDREN",
    "MAX_DEPTH",
    "PROGRESS_EVERY",
    "SUPPORTED_VERSIONS",
    "count_activities_fast",
    "iter_activities",
    "parse_file",
    "parse_files",
]

PROGRESS_EVERY = 500
"""`on_progress` is called after every this many activities, and at the end."""

Progress = Callable[[int, int], None]
"""``(activities_read, bytes_read)``."""


def iter_activities(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    file_name: str | None = None,
    report: ParseReport,
    on_progress: Progress | None = None,
) -> Iterator[Activity]:
    """Stream the activities of one IATI activity file.

    Problems never raise: they are added to `report` (``fatal`` for an unreadable
    file, ``skipped`` for a dropped activity, ``warnings`` for an ignored value).
    Activities read before a fatal break have already been yielded.

    Args:
        source: a path, or a binary file object (read from its current position).
        file_name: name used in problems and `Activity.source_file`; defaults to
            the path's base name or the file object's ``name``.
        report: the report to fill; `report.files` gets this file's name.
        on_progress: optional callback ``(activities_read, bytes_read)`` called
            every `PROGRESS_EVERY` activities and once at the end.

    Yields:
        Each kept `Activity`, in document order.
    """
    run = _FileRun(file_name or _source_name(source), report, on_progress)
    report.files.append(run.name)
    try:  # the one barrier: whatever happens, the file becomes a fatal problem
        with _binary(source) as raw:
            yield from run.activities(raw)
    except FatalError as exc:
        run.cut_off()
        run.fatal(exc.key, **exc.params)
    except etree.XMLSyntaxError as exc:
        run.cut_off()
        error = syntax_error(exc, run.read)
        run.fatal(error.key, **error.params)
    except (etree.LxmlError, OSError, ValueError, MemoryError) as exc:
        run.fatal("iati.file.unreadable", error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - the one barrier: never raise
        run.fatal("iati.file.unexpected", error=f"{type(exc).__name__}: {exc}")
    finally:
        run.done()


def parse_file(
    path_or_fileobj: str | os.PathLike[str] | IO[bytes],
    *,
    file_name: str | None = None,
    on_progress: Progress | None = None,
) -> tuple[list[Activity], ParseReport]:
    """Parse one IATI activity file into a list of activities and a report.

    Args:
        path_or_fileobj: a path or a binary file object.
        file_name: name used in problems; defaults to the path's base name.
        on_progress: optional ``(activities_read, bytes_read)`` callback.

    Returns:
        The kept activities and the `ParseReport` describing the file.
    """
    report = ParseReport()
    activities = list(
        iter_activities(
            path_or_fileobj,
            file_name=file_name,
            report=report,
            on_progress=on_progress,
        )
    )
    return activities, report


def parse_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_progress: Progress | None = None,
) -> tuple[list[Activity], ParseReport]:
    """Parse several IATI activity files into one list and one report.

    Every activity is returned, repeated identifiers included: which copy counts
    is the portfolio's duplicate policy (`src.portfolio.dedupe`).

    Args:
        paths: the files, parsed in the given order.
        on_progress: optional ``(activities_read, bytes_read)`` callback, per file.

    Returns:
        All kept activities and one `ParseReport` over every file.
    """
    report = ParseReport()
    activities: list[Activity] = []
    for path in paths:
        activities.extend(iter_activities(path, report=report, on_progress=on_progress))
    return activities, report


def count_activities_fast(path: str | os.PathLike[str]) -> int:
    """Count ``<iati-activity`` start tags by a byte scan, for progress bars.

    This is an estimate: it does not parse, so commented-out activities count.

    Args:
        path: the file to scan.

    Returns:
        The number of ``<iati-activity`` start tags found.
    """
    pattern = re.compile(rb"<iati-activity[\s>/]")
    count = 0
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            count += len(pattern.findall(data))
            # keep the last bytes so a tag split across chunks is still found once
            cut = max(len(data) - 15, 0)
            last = data.rfind(b"<iati-activity", cut)
            tail = data[last:] if last != -1 and not pattern.match(data, last) else b""
    return count


def _source_name(source: object) -> str:
    """Return a display name for a path or file object.

    Args:
        source: a path or a file object.

    Returns:
        The base name, or ``"<stream>"`` when none is known.
    """
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    if isinstance(name, str | os.PathLike):
        return Path(name).name
    return "<stream>"


class _FileRun:
    """The state of reading one file: counts, progress and its problems.

    Args:
        name: the file name used in problems.
        report: the report to fill.
        on_progress: optional progress callback.
    """

    def __init__(
        self, name: str, report: ParseReport, on_progress: Progress | None
    ) -> None:
        self.name = name
        self.report = report
        self.read = 0
        self._on_progress = on_progress
        self._reader: Any = None
        self._elements: ActivityElements | None = None

    def activities(self, raw: IO[bytes]) -> Iterator[Activity]:
        """Check the file, then build each activity as its element completes."""
        self._reader = open_checked(raw)
        self._elements = ActivityElements(self._reader, self._root)
        for elem in self._elements:
            self.read += 1
            self.report.activities_read += 1
            if self._elements.overflow is not None:
                self._too_many(elem, *self._elements.overflow)
                continue
            activity = _activity_or_skip(elem, self.name, self.read, self.report)
            if activity is not None:
                self.report.activities_kept += 1
                yield activity
            if self._on_progress is not None and self.read % PROGRESS_EVERY == 0:
                self._on_progress(self.read, self._reader.bytes_read)

    def _root(self, root: Any) -> None:
        self.report.warnings.extend(check_root(root, self.name))

    def _too_many(self, elem: Any, tag: str, count: int) -> None:
        """Skip an activity with too many children of one kind, saying so."""
        identifier = (elem.findtext("iati-identifier") or "").strip()
        params = {
            "position": self.read,
            "line": elem.sourceline,
            "element": tag,
            "count": count,
            "limit": MAX_CHILDREN,
        }
        item = identifier or f"activity #{self.read}"
        self.report.skipped.append(
            Problem("iati.too_many_children", params, self.name, item, tag, ERROR)
        )

    def cut_off(self) -> None:
        """Count and skip the activity a file error cut off, if any."""
        line = None if self._elements is None else self._elements.open_line
        if line is None:
            return
        position = self.read + 1
        self.report.activities_read += 1
        params = {"position": position, "line": line}
        item = f"activity #{position} (incomplete)"
        self.report.skipped.append(
            Problem(
                "iati.activity_cut", params, self.name, item, "iati-activity", ERROR
            )
        )

    def fatal(self, key: str, /, **params: object) -> None:
        """Record a fatal (whole-file) problem."""
        self.report.fatal.append(Problem(key, params, self.name, "", "file", ERROR))

    def done(self) -> None:
        """The final progress call."""
        if self._on_progress is not None:
            done = self._reader.bytes_read if self._reader is not None else 0
            self._on_progress(self.read, done)


@contextlib.contextmanager
def _binary(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    """The source as a binary file object (a path is opened, then closed)."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        yield source


def _activity_or_skip(
    elem: Any, name: str, position: int, report: ParseReport
) -> Activity | None:
    """Build an activity, or record why it is skipped.

    Args:
        elem: the complete ``<iati-activity>`` element.
        name: file name.
        position: 1-based position of the activity in the file.
        report: the report to fill.

    Returns:
        The activity, or None when it was skipped (recorded in the report).
    """
    identifier = (elem.findtext("iati-identifier") or "").strip()
    where = {"position": position, "line": elem.sourceline}
    if not identifier:
        label = f"activity #{position} (no iati-identifier)"
        report.skipped.append(
            Problem("iati.no_identifier", where, name, label, "iati-identifier", ERROR)
        )
        return None
    try:
        return build_activity(elem, name, identifier, report)
    except Exception as exc:  # noqa: BLE001 - one bad activity must not stop the file
        params = {**where, "error": f"{type(exc).__name__}: {exc}"}
        report.skipped.append(
            Problem(
                "iati.activity_unreadable",
                params,
                name,
                identifier,
                "iati-activity",
                ERROR,
            )
        )
        return None
