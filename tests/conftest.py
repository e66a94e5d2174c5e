"""Shared test fixtures: repository root, a tiny hand-made portfolio, fixed seed,
a fresh app data folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.canonical import read_canonical

ROOT = Path(__file__).resolve().parents[1]
SEED = 20211


_WORKER_DATA_DIR = pytest.StashKey[str]()


def pytest_configure(config) -> None:
    """Under pytest-xdist (`make test`: one worker per core) give each worker its own
    APP_DATA_DIR: a temporary folder, removed at the end.

    Tests without a data-folder fixture use the default one (``var/``: the
    bundled cache, the SQLite store); two processes building the same cache
    file or writing the same store at once would race. A plain ``pytest`` run
    (one process) keeps the default.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        folder = tempfile.mkdtemp(prefix=f"app-data-{worker}-")
        config.stash[_WORKER_DATA_DIR] = folder
        os.environ["APP_DATA_DIR"] = folder


def pytest_unconfigure(config) -> None:
    folder = config.stash.get(_WORKER_DATA_DIR, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


# Test files that share session fixtures run on one xdist worker (see below).
SHARED_GROUPS = {
    "tests/browser/": "browser",  # one Chromium and one app server (`app_url`)
    "tests/pages/test_coordination_page.py": "coordination_bgd",
    "tests/pages/test_continuity_page.py": "coordination_bgd",
}


def xdist_group(path: str) -> str:
    """The group of the test file `path` (relative to ROOT): its `SHARED_GROUPS`
    name, else the file itself.

    >>> xdist_group("tests/browser/test_smoke.py"), xdist_group("src/settings.py")
    ('browser', 'src/settings.py')
    """
    return next((g for p, g in SHARED_GROUPS.items() if path.startswith(p)), path)


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # before xdist's own
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (`make test`), grouped by `xdist_group`.

    A test file runs on one worker, so its module fixtures are built once; so do
    the files of a `SHARED_GROUPS` entry (the browser tests never run two
    browsers and two app servers at once). xdist's own ``loadgroup`` mode does
    not group on pytest 9.2 (it renames ``item._nodeid``, which pytest 9.2 no
    longer reads), hence this scheduler.
    """
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupedFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(super()._split_scope(nodeid))

    return GroupedFileScheduling(config, log)


@cache
def _bundled_cache() -> Path:
    """The folder holding the bundled portfolio's Parquet cache, built once."""
    from src.portfolio import paths
    from src.portfolio.load import load_bundled_portfolio

    load_bundled_portfolio()
    return paths.cache_dir()


def seed_data_dir(path: Path) -> Path:
    """Put the bundled portfolio's cache into a fresh APP_DATA_DIR `path`.

    The cache is keyed by the raw files, so the app reads it as its own; without
    it every fresh folder rebuilds the portfolio from the IATI files (about a
    second and a half each; the build has its own tests). Call it before
    APP_DATA_DIR points at `path`.
    """
    shutil.copytree(_bundled_cache(), path / "cache", dirs_exist_ok=True)
    return path


@pytest.fixture
def app_data_dir(tmp_path, monkeypatch) -> Iterator[Path]:
    """A fresh APP_DATA_DIR (its own SQLite store) with the bundled cache in it."""
    from src.store import db

    seed_data_dir(tmp_path)
    monkeypatch.setenv("APP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    db.dispose_engines()
    yield tmp_path
    db.dispose_engines()


STORE_BACKENDS = ("sqlite", "postgresql")
"""Every database the store runs on; store and page tests run on each."""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server's URL (`tests.postgres`); fails if there is none."""
    from tests import postgres as pg

    url = os.environ.get(pg.ENV)
    cluster = contextlib.nullcontext(url) if url else pg.throwaway_cluster()
    try:
        if url:
            pg.check_server(url)
        server = cluster.__enter__()
    except pg.PostgresUnavailableError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture(params=STORE_BACKENDS)
def store_backend(request, app_data_dir, monkeypatch) -> Iterator[str]:
    """A fresh store on each backend: SQLite in `app_data_dir`, or an empty
    schema of the PostgreSQL server (APP_DATABASE_URL). Yields the backend."""
    from src.store import db
    from tests import postgres as pg

    if request.param == "sqlite":
        yield "sqlite"
        return
    with pg.fresh_schema(request.getfixturevalue("postgres_server")) as url:
        monkeypatch.setenv("APP_DATABASE_URL", url)
        db.dispose_engines()
        yield request.param
        db.dispose_engines()


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
