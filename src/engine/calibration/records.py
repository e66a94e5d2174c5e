"""Duration records for survival fits: the IATI short-project file or a portfolio.

One row per project: planned months, the observed duration ratio (actual or
censoring duration ÷ planned duration) and whether the end was observed, under
three readings of a project that is past its plan but reports no actual end:

* "censored": still running when last seen (right-censored at that date);
* "ended": it ended, unreported, when last seen (an upper bound of its end);
* "status": it ended when last seen if its status says so (3 finalisation,
  4 closed, 5 cancelled), else censored.

Records whose dates cannot describe a project (no planned end, planned under
half a month, end before start, or an actual end within a tenth of the plan,
which in this data are typing errors) are counted in `Excluded`, never dropped
silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from src.portfolio import schema as S
from src.portfolio.paths import RAW_DIR

SHORT_FILE = (
    RAW_DIR / "reference" / "iati_dportal_covid2021_due_or_closed_activities.xml"
)
MONTH_DAYS = 30.4375
READINGS: tuple[str, ...] = ("censored", "ended", "status")
ENDED_STATUS_CODES = ("3", "4", "5")
ENDED_STATUS_NAMES = ("Finalisation", "Closed", "Cancelled")
# IATI OrganisationType of the reporting organisation → publisher kind.
PUBLISHER_KINDS = {
    "10": "public", "11": "public", "15": "public",
    "40": "multilateral",
    "21": "ngo", "22": "ngo", "23": "ngo", "24": "ngo",
    "30": "private", "60": "private", "70": "private", "71": "private",
    "72": "private", "73": "private", "80": "private", "90": "private",
}  # fmt: skip
KIND_DUMMIES = ("kind_multilateral", "kind_ngo", "kind_private")  # vs public
MIN_PLANNED_MONTHS = 0.5
MIN_EVENT_RATIO = 0.1


@dataclass(frozen=True)
class Excluded:
    """Records left out of a fit, by reason (counts)."""

    no_planned_end: int = 0
    planned_too_short: int = 0
    end_before_start: int = 0
    implausibly_early: int = 0

    @property
    def total(self) -> int:
        """All excluded records."""
        return (
            self.no_planned_end
            + self.planned_too_short
            + self.end_before_start
            + self.implausibly_early
        )


def _months(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    return ((later - earlier).dt.days / MONTH_DAYS).to_numpy(float)


def tidy_records(raw: pd.DataFrame) -> tuple[pd.DataFrame, Excluded]:
    """Durations and ratios from dates; implausible records counted and removed.

    Args:
        raw: columns project_id, publisher, kind, status (code), humanitarian
            (bool), sector_group, start, planned_end, actual_end, seen (the date
            the record was last seen: last-updated or the data date).

    Returns:
        (records, excluded): records gain planned_m, observed (bool: actual end
        on or before `seen`), ratio (actual ÷ planned when observed, else
        seen ÷ planned) and status_ended (bool).
    """
    d = raw.copy()
    for col in ("start", "planned_end", "actual_end", "seen"):
        d[col] = pd.to_datetime(d[col], errors="coerce")
    d["planned_m"] = _months(d["planned_end"], d["start"])
    d["observed"] = d["actual_end"].notna() & (d["actual_end"] <= d["seen"])
    end = d["actual_end"].where(d["observed"], d["seen"])
    d["ratio"] = _months(end, d["start"]) / d["planned_m"]
    no_plan = d["planned_m"].isna()
    short = ~no_plan & (d["planned_m"] < MIN_PLANNED_MONTHS)
    rest = ~no_plan & ~short
    before = rest & ~(d["ratio"] > 0)
    early = rest & ~before & d["observed"] & (d["ratio"] < MIN_EVENT_RATIO)
    excluded = Excluded(
        int(no_plan.sum()), int(short.sum()), int(before.sum()), int(early.sum())
    )
    keep = ~(no_plan | short | before | early)
    d = d[keep].reset_index(drop=True)
    d["status_ended"] = (
        d["status"].astype(str).isin((*ENDED_STATUS_CODES, *ENDED_STATUS_NAMES))
    )
    return d, excluded


def read_reference_records(path: Path = SHORT_FILE) -> tuple[pd.DataFrame, Excluded]:
    """Records of the IATI short-project reference file (see data/SOURCES.md)."""
    from src.iati.parser import parse_file
    from src.portfolio.sectors import choose_sector

    activities, report = parse_file(path)
    if report.fatal:
        msg = f"{path.name}: {report.fatal[0].message}"
        raise ValueError(msg)
    raw = pd.DataFrame(
        {
            "project_id": a.identifier,
            "publisher": a.reporting_org_ref or a.reporting_org,
            "kind": PUBLISHER_KINDS.get(a.reporting_org_type, "unknown"),
            "status": a.status_code,
            "humanitarian": a.humanitarian,
            "sector_group": choose_sector(a).group,
            "start": a.start_actual or a.start_planned,
            "planned_end": a.end_planned,
            "actual_end": a.end_actual,
            "seen": a.last_updated[:10] or None,
        }
        for a in activities
    )
    return tidy_records(raw)


def records_from_portfolio(
    portfolio: pd.DataFrame, as_of: date
) -> tuple[pd.DataFrame, Excluded]:
    """Records of a user's own projects (one per project, seen at the data date).

    A project split over several countries counts once (its first row).
    """
    p = portfolio.drop_duplicates(S.COL_PROJECT_ID)

    def col(name: str, default: object = None) -> pd.Series:
        if name in p.columns:
            return p[name]
        return pd.Series(default, index=p.index)

    planned_end = col(S.COL_END_PLANNED).where(
        col(S.COL_END_PLANNED).notna(), col(S.COL_END)
    )
    raw = pd.DataFrame(
        {
            "project_id": p[S.COL_PROJECT_ID].astype(str),
            "publisher": col(S.COL_AGENCY, "").astype(str),
            "country": col(S.COL_COUNTRY, "").astype(str),
            "kind": "unknown",
            "status": col(S.COL_STATUS, "").fillna("").astype(str),
            "humanitarian": col(S.COL_HUMANITARIAN, False).fillna(False).astype(bool),
            "sector_group": col(S.COL_SECTOR_GROUP, "").astype(str),
            "start": col(S.COL_START),
            "planned_end": planned_end,
            "actual_end": col(S.COL_END_ACTUAL),
            "seen": pd.Timestamp(as_of),
        }
    )
    records, excluded = tidy_records(raw)
    # Only projects past their plan (or ended) say anything about delay.
    due = records["observed"] | (records["ratio"] >= 1.0)
    return records[due].reset_index(drop=True), excluded


def design(
    records: pd.DataFrame, reading: str, covariates: tuple[str, ...]
) -> pd.DataFrame:
    """The fit table: ratio, event (under `reading`) and covariate columns."""
    if reading not in READINGS:
        msg = f"unknown reading {reading!r}; choose from {list(READINGS)}"
        raise ValueError(msg)
    if reading == "censored":
        event = records["observed"]
    elif reading == "ended":
        event = pd.Series(True, index=records.index)
    else:
        event = records["observed"] | records["status_ended"]
    out = pd.DataFrame({"ratio": records["ratio"], "event": event.astype(int)})
    return pd.concat([out, covariate_frame(records)[list(covariates)]], axis=1)


def covariate_frame(
    records: pd.DataFrame, kind_shares: dict[str, float] | None = None
) -> pd.DataFrame:
    """Covariates: log planned months, humanitarian flag, publisher-kind dummies.

    A record of unknown kind gets the training shares of each kind
    (`kind_shares`), i.e. the average publisher.
    """
    planned = records["planned_m"]
    hum = records["humanitarian"].astype(bool)
    if "sector_group" in records:
        hum = hum | (records["sector_group"] == "Humanitarian response")
    out = pd.DataFrame(
        {"log_planned": np.log(planned.to_numpy(float)), "humanitarian": hum * 1.0},
        index=records.index,
    )
    kind = records["kind"] if "kind" in records else pd.Series("unknown", records.index)
    shares = kind_shares or {}
    for dummy in KIND_DUMMIES:
        name = dummy.removeprefix("kind_")
        out[dummy] = np.where(
            kind == name, 1.0, np.where(kind == "unknown", shares.get(dummy, 0.0), 0.0)
        )
    return out
