"""A reference class fitted on the organisation's own projects.

The same survival fit and the same cross-validation as the published short
class (`short.class_entry`, `validation.cross_validate`), on the projects of an
imported dataset that say something about delay: those with a planned end and
either an actual end (observed) or a planned end already past at the data date
(ended by status, or still running: censored).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from src.engine.calibration import Calibration
from src.engine.calibration.records import records_from_portfolio
from src.engine.calibration.short import APP_READING, class_entry
from src.engine.calibration.validation import Check, cross_validate

MIN_OWN_PROJECTS = 30
MIN_GROUPS = 5


class NotEnoughProjectsError(ValueError):
    """Fewer projects with a known or censored end than a fit needs."""

    def __init__(self, found: int, needed: int = MIN_OWN_PROJECTS) -> None:
        """Keep the counts for a translated message."""
        self.found, self.needed = found, needed
        super().__init__(
            f"a reference class needs at least {needed} projects with a planned "
            f"end and an actual end, or a planned end already past; this dataset "
            f"has {found}"
        )


@dataclass(frozen=True)
class OwnClass:
    """The fitted class entry (for `Calibration.with_class("own", …)`) and its check."""

    entry: dict[str, Any]
    check: Check

    @property
    def projects(self) -> int:
        """Projects the fit rests on."""
        return int(self.entry["records"])

    @property
    def closed(self) -> int:
        """Of which with a reported end (observed or ended by status)."""
        return closed_projects(self.entry)


def closed_projects(entry: dict[str, Any]) -> int:
    """Projects of a class entry with a reported end (observed or by status)."""
    return int(entry["observed"]) + int(entry["status_ended"])


def with_own_class(
    cal: Calibration, reference: str, entry: dict[str, Any] | None, dataset: str
) -> Calibration:
    """`cal`, with the dataset's own class when the scenario asks for it.

    Raises:
        ValueError: "own" is asked for but the dataset has none fitted on its
            current data (`entry` is None).
    """
    if reference != "own":
        return cal
    if entry is None:
        msg = (
            f"the scenario asks for the own reference class, but dataset "
            f"{dataset!r} has none fitted on its current data (fit one on the Data "
            "page)"
        )
        raise ValueError(msg)
    return cal.with_class("own", entry)


def _group_column(records: pd.DataFrame) -> str:
    """Cross-validation groups: agencies if there are enough, else countries."""
    for col in ("publisher", "country"):
        if col in records and records[col].nunique() >= MIN_GROUPS:
            return col
    return "project_id"


def fit_own(portfolio: pd.DataFrame, as_of: date) -> OwnClass:
    """Fit and cross-validate a reference class on a dataset's own projects.

    Raises:
        NotEnoughProjectsError: fewer than 30 usable projects, or none with a
            reported end.
    """
    records, excluded = records_from_portfolio(portfolio, as_of)
    ended = int((records["observed"] | records["status_ended"]).sum())
    if len(records) < MIN_OWN_PROJECTS or ended == 0:
        raise NotEnoughProjectsError(len(records) if ended else 0)
    group = _group_column(records)
    source = (
        f"your projects: {len(records)} with a planned end past the data date or "
        f"an actual end ({ended} ended), dataset as of {as_of.isoformat()}"
    )
    entry = class_entry(
        records, excluded, source=source, covariates=("log_planned", "humanitarian")
    )
    entry["cv_groups"] = group
    check = cross_validate(
        records.assign(publisher=records[group]),
        reading=APP_READING,
        reference_class="own",
    )
    return OwnClass(entry, check)
