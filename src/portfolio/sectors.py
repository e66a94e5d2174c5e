"""Sector groups: DAC 5-digit codes to ~10 groups, or inferred from titles.

The mapping tables are data (data/sector_groups.csv, data/sector_keywords.csv) so a
reviewer can read and change them without touching code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from src.iati.model import Activity
from src.portfolio import paths
from src.portfolio.codelists import codelist_names
from src.portfolio.schema import ALL_SECTOR_GROUPS, SECTOR_NOT_REPORTED


@dataclass(frozen=True)
class SectorChoice:
    """The sector shown for one activity and how we know it."""

    code: str
    name: str
    group: str
    source: str  # reported / inferred / not reported
    note: str = ""


@cache
def _group_table(path: Path = paths.SECTOR_GROUPS_FILE) -> dict[str, str]:
    df = pd.read_csv(path, dtype=str)
    unknown = set(df["sector_group"]) - set(ALL_SECTOR_GROUPS)
    if unknown:
        msg = f"{path.name}: unknown sector group(s) {sorted(unknown)}"
        raise ValueError(msg)
    return dict(zip(df["dac_prefix"], df["sector_group"], strict=True))


@cache
def _keyword_rules(
    path: Path = paths.SECTOR_KEYWORDS_FILE,
) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    df = pd.read_csv(path, dtype={"order": int, "pattern": str}).sort_values("order")
    return tuple(
        (re.compile(p, re.IGNORECASE), g, n)
        for p, g, n in zip(df["pattern"], df["sector_group"], df["note"], strict=True)
    )


def sector_names(lang: str = "en") -> dict[str, str]:
    """DAC 5-digit code -> name in `lang` from the IATI Sector codelist.

    French where the codelist has it, else English (always English for "es"):
    see `codelist_names`. The portfolio's sector_name column keeps English.
    """
    return codelist_names("Sector", lang)


def dac3_names(lang: str = "en") -> dict[str, str]:
    """DAC 3-digit code -> name in `lang` from the IATI SectorCategory codelist.

    >>> dac3_names()["122"]
    'Basic Health'
    """
    return codelist_names("SectorCategory", lang)


def sector_name(code: str, lang: str, fallback: str = "") -> str:
    """The name of DAC 5-digit `code` in `lang`, or `fallback` if not in the codelist.

    >>> sector_name("12220", "fr", "x"), sector_name("99999", "fr", "x")
    ('Soins et services de santé de base', 'x')
    """
    return sector_names(lang).get(code) or fallback


def group_for_code(code: str) -> str:
    """Sector group of a DAC 5-digit code (5-digit overrides win over 3-digit).

    >>> group_for_code("12264")
    'Health'
    >>> group_for_code("16030")
    'Infrastructure & transport'
    >>> group_for_code("99999")
    'Other'
    """
    table = _group_table()
    return table.get(code) or table.get(code[:3]) or "Other"


def infer_group(title: str) -> tuple[str, str] | None:
    """Group inferred from a title by the ordered keyword rules, with the rule note.

    >>> infer_group("Procurement of medical equipment for a hospital")[0]
    'Health'
    >>> infer_group("Bridge repair") is None
    True
    """
    for pattern, group, note in _keyword_rules():
        if pattern.search(title):
            return group, note
    return None


def choose_sector(activity: Activity) -> SectorChoice:
    """Main sector of an activity.

    Order: the activity-level DAC sector with the largest percentage (reported);
    else the most frequent transaction-level DAC sector (reported); else a title
    keyword rule (inferred); else not reported.
    """
    names = sector_names()
    if activity.sectors:
        best = max(activity.sectors, key=lambda s: s.percentage or 0.0)
        return SectorChoice(
            best.code, names.get(best.code, ""), group_for_code(best.code), "reported"
        )
    txn_codes = Counter(t.sector_code for t in activity.transactions if t.sector_code)
    if txn_codes:
        code = txn_codes.most_common(1)[0][0]
        return SectorChoice(
            code,
            names.get(code, ""),
            group_for_code(code),
            "reported",
            "from transaction-level sectors",
        )
    inferred = infer_group(activity.title)
    if inferred:
        return SectorChoice("", "", inferred[0], "inferred", inferred[1])
    return SectorChoice("", "", SECTOR_NOT_REPORTED, "not reported")
