"""Build the canonical portfolio table from IATI activities, one activity at a time.

`PortfolioStream` turns each activity into its rows as it arrives (see
`rows.activity_rows`) and keeps only compact typed batches, so memory never holds
every `Activity`; `build_portfolio` is the same stream over any iterable, used for
the bundled files and for imports alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from src.iati.model import Activity
from src.portfolio import schema as S
from src.portfolio.activity_tables import (
    Record,
    SideTables,
    budget_records,
    detail_records,
    transaction_records,
)
from src.portfolio.canonical import INPUT_COLUMNS, coerce_types, derive_indicators
from src.portfolio.reference import country_reference
from src.portfolio.rows import BuildReport, activity_rows, last_updated_day
from src.problems import Problem


def build_portfolio(
    activities: Iterable[Activity], *, as_of: date | None = None
) -> tuple[pd.DataFrame, BuildReport, date]:
    """Turn parsed activities into the canonical table, never holding them all.

    Args:
        activities: parsed IATI activities (any number of files), any iterable.
        as_of: the data date; defaults to the latest last-updated date.

    Returns:
        (table, report, as_of). The table has exactly `schema.COLUMNS`, one row
        per activity and recipient country, in input order.
    """
    stream = PortfolioStream()
    for act in activities:
        stream.add(act)
    return stream.finish(as_of=as_of)


def _reference() -> tuple[pd.DataFrame, dict[str, str]]:
    ref = country_reference()
    return ref, {iso2: iso3 for iso3, iso2 in ref["iso2"].items()}


class PortfolioStream:
    """Build the canonical table one activity at a time, in bounded memory.

    Only compact rows are kept: every `batch_rows` rows become a typed DataFrame
    (Arrow-backed strings, float and datetime columns). Each activity occupies a
    slot; `replace(slot, act)` swaps in a newer version of the same activity
    (its rows, warnings and last-updated date), keeping the slot's position, so
    a merge can keep the newest duplicate without holding any `Activity`.

    With `side_tables`, each slot also keeps its transactions and details
    (`activity_tables`), replaced with the slot, read by `side_tables()`.

    Args:
        batch_rows: rows buffered as dicts before they are packed.
        side_tables: also build the transactions and details tables.
    """

    def __init__(self, batch_rows: int = 4096, *, side_tables: bool = False) -> None:
        self._ref, self._iso2_to_3 = _reference()
        self._batch_rows = batch_rows
        self._pending: list[dict[str, object]] = []
        self._pending_tags: list[tuple[int, int]] = []  # (slot, version)
        self._frames: list[pd.DataFrame] = []
        self._tags: list[np.ndarray] = []
        self._version: list[int] = []  # slot -> version of its current activity
        self._day: list[date | None] = []  # slot -> last-updated day
        self._latest: date | None = None  # running data date (valid until replace)
        self._replaced = False
        self._problems: dict[int, list[Problem]] = {}
        self._unconverted: dict[int, list[dict[str, object]]] = {}
        self._serial = 0
        self._side: dict[int, tuple[list[Record], ...]] | None = (
            {} if side_tables else None
        )

    def __len__(self) -> int:
        """Number of slots (activities kept so far)."""
        return len(self._version)

    def add(self, act: Activity) -> int:
        """Add an activity in a new slot (after every other) and return the slot."""
        slot = len(self._version)
        self._version.append(-1)
        self._day.append(None)
        self._put(slot, act)
        return slot

    def replace(self, slot: int, act: Activity) -> None:
        """Swap the activity in `slot` for `act` (the old rows are dropped)."""
        self._replaced = True
        self._put(slot, act)

    def data_date(self) -> date | None:
        """The latest last-updated date among the activities currently kept."""
        if self._replaced:
            return max((d for d in self._day if d), default=None)
        return self._latest

    def finish(
        self, *, as_of: date | None = None
    ) -> tuple[pd.DataFrame, BuildReport, date]:
        """The table, report and data date, in input order of the slots."""
        self._pack()
        if self._frames:
            df = pd.concat(self._frames, ignore_index=True)
            tags = np.concatenate(self._tags)
        else:
            df = coerce_types(pd.DataFrame([], columns=INPUT_COLUMNS))
            tags = np.empty((0, 2), dtype=np.int64)
        self._frames, self._tags = [], []
        if self._replaced:
            current = np.asarray(self._version, dtype=np.int64)
            keep = current[tags[:, 0]] == tags[:, 1]
            order = np.argsort(tags[keep, 0], kind="stable")
            df = df[keep].iloc[order].reset_index(drop=True)
        rep = BuildReport()
        for slot in sorted(self._problems):
            rep.problems.extend(self._problems[slot])
        for slot in sorted(self._unconverted):
            rep.unconverted.extend(self._unconverted[slot])
        when = as_of or self.data_date() or date.today()
        df = derive_indicators(df, when)
        return df[list(S.COLUMNS)], rep, when

    def side_tables(self) -> SideTables:
        """The transactions, details and budgets of the activities kept, in order.

        Raises:
            ValueError: the stream was made without ``side_tables=True``.
        """
        if self._side is None:
            msg = "this PortfolioStream keeps no side tables"
            raise ValueError(msg)
        slots = sorted(self._side)
        return SideTables.from_records(
            [r for slot in slots for r in self._side[slot][0]],
            [r for slot in slots for r in self._side[slot][1]],
            [r for slot in slots for r in self._side[slot][2]],
        )

    def _put(self, slot: int, act: Activity) -> None:
        rep = BuildReport()
        usd: list[float | None] | None = None if self._side is None else []
        rows = activity_rows(act, self._ref, self._iso2_to_3, rep, usd)
        if self._side is not None and usd is not None:
            self._side[slot] = (
                transaction_records(act, usd),
                detail_records(act),
                budget_records(act),
            )
        self._serial += 1
        self._version[slot] = self._serial
        self._set(self._problems, slot, rep.problems)
        self._set(self._unconverted, slot, rep.unconverted)
        day = last_updated_day(act)
        self._day[slot] = day
        if day and (self._latest is None or day > self._latest):
            self._latest = day
        self._pending.extend(rows)
        self._pending_tags.extend((slot, self._serial) for _ in rows)
        if len(self._pending) >= self._batch_rows:
            self._pack()

    @staticmethod
    def _set(store: dict[int, list], slot: int, items: list) -> None:
        if items:
            store[slot] = items
        else:
            store.pop(slot, None)

    def _pack(self) -> None:
        if not self._pending:
            return
        frame = coerce_types(pd.DataFrame(self._pending, columns=INPUT_COLUMNS))
        self._frames.append(frame)
        self._tags.append(np.asarray(self._pending_tags, dtype=np.int64))
        self._pending, self._pending_tags = [], []
