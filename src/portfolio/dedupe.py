"""The one duplicate-identifier policy: the newest last-updated-datetime wins.

An IATI identifier met more than once (in several files, or twice in one file)
is kept once. The copy with the latest ``last-updated-datetime`` wins; on a tie
(or when neither copy gives a date) the copy read first is kept. The winner
takes the slot, i.e. the row position, of the first copy. The bundled build
(`load.build_from_files`) and IATI imports (`imports.iati.IatiMerge`) both use
`NewestWins`, so the same files always give the same table (data/SOURCES.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from src.iati.model import Activity
from src.portfolio.build import PortfolioStream
from src.problems import ERROR, Problem

DUPLICATE_KEY = "import.iati_duplicate"
"""Catalog key of the message describing a `Duplicate`."""


def updated_at(text: str) -> datetime:
    """A last-updated-datetime as an aware datetime (the oldest when missing).

    >>> updated_at("2021-05-01T10:00:00Z").isoformat()
    '2021-05-01T10:00:00+00:00'
    >>> updated_at("not a date") == datetime.min.replace(tzinfo=UTC)
    True
    """
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            value = datetime.fromisoformat(text.strip()[:10])
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Duplicate:
    """One identifier met again, and which copy the policy kept.

    Origins are the caller's numbers for where a copy came from (file numbers).

    Attributes:
        identifier: the IATI identifier.
        first: origin of the copy kept until now.
        second: origin of the copy just read.
        kept, kept_updated: origin and last-updated text of the winner.
        dropped, dropped_updated: the same for the copy dropped.
    """

    identifier: str
    first: int
    second: int
    kept: int
    kept_updated: str
    dropped: int
    dropped_updated: str

    def params(self, names: list[str]) -> dict[str, object]:
        """The `DUPLICATE_KEY` message params, with file names for origins."""
        return {
            "activity": self.identifier,
            "first": names[self.first],
            "second": names[self.second],
            "kept": names[self.kept],
            "kept_updated": self.kept_updated or None,
            "dropped": names[self.dropped],
            "dropped_updated": self.dropped_updated or None,
        }


class NewestWins:
    """Feed activities into a `PortfolioStream`, keeping one copy per identifier.

    Only a small index {identifier: (slot, origin, last-updated)} is kept, never
    the activities: a newer copy replaces the rows in the first copy's slot.

    Args:
        stream: where the kept activities' rows go (a new stream by default).
    """

    def __init__(self, stream: PortfolioStream | None = None) -> None:
        self.stream = stream if stream is not None else PortfolioStream()
        self._index: dict[str, tuple[int, int, str]] = {}
        self._slot_origin: list[int] = []

    def offer(self, act: Activity, origin: int) -> Duplicate | None:
        """Take `act` (from `origin`) unless a newer copy is kept; say what happened.

        Returns:
            None for a new identifier, else the `Duplicate` decision.
        """
        prev = self._index.get(act.identifier)
        if prev is None:
            slot = self.stream.add(act)
            self._slot_origin.append(origin)
            self._index[act.identifier] = (slot, origin, act.last_updated)
            return None
        slot, prev_origin, prev_stamp = prev
        if updated_at(act.last_updated) > updated_at(prev_stamp):
            self.stream.replace(slot, act)
            self._slot_origin[slot] = origin
            self._index[act.identifier] = (slot, origin, act.last_updated)
            kept, dropped = (origin, act.last_updated), (prev_origin, prev_stamp)
        else:
            kept, dropped = (prev_origin, prev_stamp), (origin, act.last_updated)
        return Duplicate(act.identifier, prev_origin, origin, *kept, *dropped)

    def kept_per_origin(self, origins: int) -> list[int]:
        """How many kept activities come from each origin ``0 .. origins - 1``."""
        kept = [0] * origins
        for origin in self._slot_origin:
            kept[origin] += 1
        return kept


def duplicate_problem(dup: Duplicate, names: list[str]) -> Problem:
    """The problem recording a dropped copy (listed under the dropped file).

    Args:
        dup: the decision.
        names: file names by origin number.
    """
    return Problem(
        DUPLICATE_KEY,
        dup.params(names),
        names[dup.dropped],
        dup.identifier,
        "iati-identifier",
        ERROR,
    )
