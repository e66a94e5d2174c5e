"""The IATI part of an import: files streamed into one table, duplicates merged.

Each file is parsed with the hardened streaming parser (src/iati/parser.py) and
each activity becomes its rows at once (`build.PortfolioStream`), so memory holds
the rows kept, never every `Activity`. An identifier met more than once is kept
once, by the one duplicate policy (`dedupe.NewestWins`).
"""

from __future__ import annotations

from typing import IO

from src.iati.model import ParseReport
from src.iati.parser import iter_activities
from src.portfolio.build import PortfolioStream
from src.portfolio.dedupe import NewestWins, duplicate_problem
from src.portfolio.imports.report import FileSummary, Progress
from src.problems import Problem


class IatiMerge:
    """Stream IATI files into one `PortfolioStream`, never holding the activities.

    Each activity becomes its rows as soon as it is parsed; an identifier met
    again is resolved by the one duplicate policy (`dedupe.NewestWins`: newest
    last-updated wins, in the first copy's position), within a file or across.
    The stream keeps each activity's transactions, details and budgets too
    (`PortfolioStream.side_tables`), stored with the dataset.
    """

    def __init__(self) -> None:
        self._merge = NewestWins(PortfolioStream(side_tables=True))
        self.stream = self._merge.stream
        self.files: list[FileSummary] = []
        self.problems: list[Problem] = []  # parse and duplicate problems

    def read(self, summary: FileSummary, handle: IO[bytes], progress: Progress) -> None:
        """Parse one file into the stream; its problems follow the earlier files'."""
        number = len(self.files)
        self.files.append(summary)
        names = [f.name for f in self.files]
        parse_report = ParseReport()
        duplicates: list[Problem] = []
        activities = iter_activities(
            handle, file_name=summary.name, report=parse_report, on_progress=progress
        )
        for act in activities:  # never raises: problems go to parse_report
            dup = self._merge.offer(act, number)
            if dup is not None:
                duplicates.append(duplicate_problem(dup, names))
        summary.read = parse_report.activities_read
        self.problems.extend(parse_report.problems)
        self.problems.extend(duplicates)

    def count_accepted(self) -> None:
        """Set each file's accepted and rejected counts from the kept versions."""
        kept = self._merge.kept_per_origin(len(self.files))
        for summary, n in zip(self.files, kept, strict=True):
            summary.accepted = n
            summary.rejected = summary.read - n
