"""What was read, kept and flagged when a dataset was built: `DatasetReport`.

The bundled build (`load.load_bundled_report`) and every imported dataset
(`store.datasets.load_dataset_report`) give one; the data-quality page and the
CLI show it. Problems stay `Problem` records (keys and values), rendered to text
only where they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from src.iati.model import ParseReport
from src.portfolio.rows import BuildReport
from src.problems import Problem


@dataclass
class DatasetReport:
    """The parse and build report of one dataset.

    Attributes:
        files: the source file names, in reading order.
        activities_read: activities (or rows) read over all files.
        activities_kept: activities (or rows) kept.
        parse_problems: problems that skipped an activity, a row or a file.
        build_problems: warnings on what was kept (values ignored or derived).
        unconverted: values without an exchange rate, one dict each:
            {file, activity, element, amount, currency}.
    """

    files: list[str] = field(default_factory=list)
    activities_read: int = 0
    activities_kept: int = 0
    parse_problems: list[Problem] = field(default_factory=list)
    build_problems: list[Problem] = field(default_factory=list)
    unconverted: list[dict[str, object]] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Parse problems first, then build problems."""
        return [*self.parse_problems, *self.build_problems]

    @property
    def skipped(self) -> int:
        """Activities (or rows) read but not kept."""
        return self.activities_read - self.activities_kept

    @classmethod
    def from_build(cls, parse: ParseReport, build: BuildReport) -> DatasetReport:
        """The report of a build from IATI files."""
        return cls(
            files=list(parse.files),
            activities_read=parse.activities_read,
            activities_kept=parse.activities_kept,
            parse_problems=parse.problems,
            build_problems=list(build.problems),
            unconverted=list(build.unconverted),
        )

    def to_json(self) -> dict[str, object]:
        """JSON-able data: the attributes, problems as `Problem.to_json` dicts."""
        return {
            "files": self.files,
            "activities_read": self.activities_read,
            "activities_kept": self.activities_kept,
            "parse_problems": [p.to_json() for p in self.parse_problems],
            "build_problems": [p.to_json() for p in self.build_problems],
            "unconverted": self.unconverted,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DatasetReport:
        """Rebuild a report from `to_json`'s form (older stored forms included)."""
        return cls(
            files=list(data.get("files") or []),
            activities_read=int(data.get("activities_read") or 0),
            activities_kept=int(data.get("activities_kept") or 0),
            parse_problems=[Problem.from_json(p) for p in data["parse_problems"]],
            build_problems=[Problem.from_json(p) for p in data["build_problems"]],
            unconverted=list(data.get("unconverted") or []),
        )
