"""IATI codelist names (English) from the bundled CSV copies."""

from __future__ import annotations

from functools import cache

import pandas as pd

from src.portfolio import paths


@cache
def codelist(name: str) -> dict[str, str]:
    """Code -> English name for one bundled IATI codelist (e.g. "ActivityStatus")."""
    df = pd.read_csv(paths.CODELIST_DIR / f"{name}.csv", dtype=str)
    return dict(zip(df["code"], df["name"], strict=True))


def activity_status_names() -> dict[str, str]:
    """ActivityStatus code -> name ("2" -> "Implementation")."""
    return codelist("ActivityStatus")
