"""The IATI part of an import: files streamed into one table, duplicates merged.

Each file is parsed with the hardened streaming parser (src/iati/parser.py) and
each activity becomes its rows at once (`build.PortfolioStream`), so memory holds
the rows kept, never every `Activity`. An identifier found in several files is
kept once, from the file where it was last updated most recently.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

from src.iati.model import Activity, ParseReport, Problem
from src.iati.parser import iter_activities
from src.portfolio.build import PortfolioStream
from src.portfolio.import_report import (
    FileSummary,
    ImportProblem,
    Progress,
    problem,
)


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


class IatiMerge:
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
            problem(
                drop[0],
                None,
                act.identifier,
                "iati-identifier",
                "import.iati_duplicate",
                activity=act.identifier,
                first=prev_file,
                second=act.source_file,
                kept=keep[0],
                kept_updated=keep[1] or None,
                dropped=drop[0],
                dropped_updated=drop[1] or None,
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
