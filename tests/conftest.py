"""Shared test fixtures: repository root, a tiny hand-made portfolio, fixed seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.canonical import coerce_types, derive_indicators, enrich_countries

ROOT = Path(__file__).resolve().parents[1]
SEED = 20211


def make_rows(rows: list[dict[str, object]], as_of: date = date(2021, 6, 1)):
    """A canonical table from a few hand-written rows (missing columns empty)."""
    df = pd.DataFrame(rows)
    for col in S.COLUMNS:
        if col not in df:
            df[col] = pd.NA
    df[S.COL_SPEND_REPORTED] = df[S.COL_SPEND_REPORTED].fillna(True)
    df[S.COL_COUNTRY_SHARE] = df[S.COL_COUNTRY_SHARE].fillna(1.0)
    df[S.COL_SECTOR_SOURCE] = df[S.COL_SECTOR_SOURCE].fillna("reported")
    df[S.COL_END_SOURCE] = df[S.COL_END_SOURCE].fillna("reported")
    df = coerce_types(enrich_countries(coerce_types(df)))
    return derive_indicators(df, as_of)[list(S.COLUMNS)]


@pytest.fixture
def tiny_portfolio() -> pd.DataFrame:
    """Four projects in three countries, values chosen by hand."""
    return make_rows(
        [
            {
                S.COL_PROJECT_ID: "P1",
                S.COL_TITLE: "Clinic <b>upgrade</b>",
                S.COL_AGENCY: "Agency A",
                S.COL_COUNTRY: "KEN",
                S.COL_SECTOR_GROUP: "Health",
                S.COL_STATUS: "Implementation",
                S.COL_START: "2020-01-01",
                S.COL_END: "2022-01-01",
                S.COL_BUDGET: 1_000_000,
                S.COL_SPENT: 200_000,
            },
            {
                S.COL_PROJECT_ID: "P2",
                S.COL_TITLE: "Schools",
                S.COL_AGENCY: "Agency B",
                S.COL_COUNTRY: "KEN",
                S.COL_SECTOR_GROUP: "Education",
                S.COL_STATUS: "Implementation",
                S.COL_START: "2019-01-01",
                S.COL_END: "2023-01-01",
                S.COL_BUDGET: 3_000_000,
                S.COL_SPENT: 1_500_000,
            },
            {
                S.COL_PROJECT_ID: "P3",
                S.COL_TITLE: "Roads",
                S.COL_AGENCY: "Agency A",
                S.COL_COUNTRY: "NOR",
                S.COL_SECTOR_GROUP: "Infrastructure & transport",
                S.COL_STATUS: "Closed",
                S.COL_START: "2018-01-01",
                S.COL_END: "2020-06-30",
                S.COL_BUDGET: 500_000,
                S.COL_SPENT: 500_000,
            },
            {
                S.COL_PROJECT_ID: "P4",
                S.COL_TITLE: "Water",
                S.COL_AGENCY: "Agency B",
                S.COL_COUNTRY: "AFG",
                S.COL_SECTOR_GROUP: "Water & sanitation",
                S.COL_STATUS: "Implementation",
                S.COL_START: "2021-01-01",
                S.COL_END: "2021-12-31",
                S.COL_BUDGET: 2_000_000,
                S.COL_SPENT: 0,
            },
        ]
    )
