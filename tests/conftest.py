"""Shared test fixtures: repository root, a tiny hand-made portfolio, fixed seed."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.canonical import read_canonical

ROOT = Path(__file__).resolve().parents[1]
SEED = 20211


def make_rows(rows: list[dict[str, object]], as_of: date = date(2021, 6, 1)):
    """A canonical table from a few hand-written rows (`read_canonical`).

    Test rows default to spend, sector and end date "reported", one country each.
    """
    defaults = {
        S.COL_SPEND_REPORTED: True,
        S.COL_COUNTRY_SHARE: 1.0,
        S.COL_SECTOR_SOURCE: "reported",
        S.COL_END_SOURCE: "reported",
    }
    return read_canonical([defaults | row for row in rows], as_of=as_of)


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


@pytest.fixture
def store_dir(tmp_path, monkeypatch):
    """A fresh, empty store in `tmp_path` (APP_DATA_DIR), engines closed after."""
    from src.store import db

    monkeypatch.setenv("APP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    db.dispose_engines()
    yield tmp_path
    db.dispose_engines()


@pytest.fixture
def unwritable_dir(tmp_path, monkeypatch):
    """An APP_DATA_DIR the app cannot write (root ignores modes: use /sys)."""
    from src.store import db

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):
        folder = Path("/sys/dashboard-app-data")
    monkeypatch.setenv("APP_DATA_DIR", str(folder))
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    db.dispose_engines()
    yield folder
    db.dispose_engines()
    (tmp_path / "ro").chmod(0o755)


@pytest.fixture
def corrupt_db(store_dir):
    """A store whose app.db holds garbage bytes."""
    (store_dir / "app.db").write_bytes(b"this is not a database\x00" * 400)
    return store_dir
