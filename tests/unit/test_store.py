"""The store on SQLite and PostgreSQL: concurrent saves, restarts, round trips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pandas as pd
import pytest

from src.portfolio.dataset_report import DatasetReport
from src.portfolio.schema import PortfolioMeta
from src.problems import Problem
from src.store import datasets as D
from src.store import db
from src.store import scenarios as SC
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _fresh_store(store_backend):
    return store_backend


def child_env(data_dir) -> dict[str, str]:
    """The environment of a child process using this test's store."""
    env = {"APP_DATA_DIR": str(data_dir), "PATH": ""}
    if os.environ.get("APP_DATABASE_URL"):
        env["APP_DATABASE_URL"] = os.environ["APP_DATABASE_URL"]
    return env


def _scenario(i: int, thread: int) -> str:
    return json.dumps({"v": 1, "thread": thread, "i": i, "levers": [{"b": -0.2}]})


def test_two_threads_saving_100_scenarios_each_lose_nothing():
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(thread: int) -> None:
        try:
            barrier.wait()
            for i in range(100):
                SC.save_scenario(f"t{thread}-{i:03d}", _scenario(i, thread), "fp")
        except BaseException as exc:  # noqa: BLE001 - reported by the assert
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    saved = {s.name: s for s in SC.list_scenarios()}
    assert len(saved) == 200
    for thread in (1, 2):
        for i in range(100):
            rec = saved[f"t{thread}-{i:03d}"]
            assert json.loads(rec.scenario_json) == json.loads(_scenario(i, thread))
            assert rec.fingerprint == "fp"


def test_two_processes_saving_concurrently_lose_nothing(tmp_path):
    code = (
        "import sys; from src.store.scenarios import save_scenario\n"
        "p = sys.argv[1]\n"
        "for i in range(50): save_scenario(f'{p}-{i}', '{\"i\": %d}' % i, 'fp')\n"
    )
    env = child_env(tmp_path)
    procs = [
        subprocess.Popen([sys.executable, "-c", code, p], cwd=ROOT, env=env)
        for p in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert len(SC.list_scenarios()) == 100


def test_store_survives_a_process_restart(tmp_path):
    SC.save_scenario("kept", '{"budget": -0.2}', "abc123")
    db.dispose_engines()
    code = (
        "from src.store.scenarios import get_scenario, save_scenario\n"
        "r = get_scenario('kept'); print(r.scenario_json, r.fingerprint)\n"
        "save_scenario('from child', '{}', 'x')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=child_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == '{"budget": -0.2} abc123'
    assert {s.name for s in SC.list_scenarios()} == {"kept", "from child"}


def test_scenario_rename_load_delete():
    first = SC.save_scenario("a", "{}", "f1")
    again = SC.save_scenario("a", '{"x": 1}', "f2")
    assert again.created == first.created
    assert SC.load_scenario("a") == '{"x": 1}'
    SC.rename_scenario("a", "b")
    assert [s.name for s in SC.list_scenarios()] == ["b"]
    SC.save_scenario("c", "{}", "f")
    with pytest.raises(ValueError, match="already exists"):
        SC.rename_scenario("b", "c")
    with pytest.raises(SC.ScenarioNotFoundError):
        SC.load_scenario("a")
    assert SC.delete_scenario("b") is True
    assert SC.delete_scenario("b") is False
    with pytest.raises(ValueError, match="name"):
        SC.save_scenario("  ", "{}", "f")


def test_listing_the_most_recent_and_finding_by_a_part_of_the_name():
    names = ["Plan A", "plan b", "PLAN c", "50%_cut", "5000 cut", "Other"]
    for name in names:  # saved in this order: the last is the most recent
        SC.save_scenario(name, "{}", "f")
    newest_first = names[::-1]
    assert [s.name for s in SC.list_scenarios()] == newest_first
    assert [s.name for s in SC.list_scenarios(limit=2)] == ["Other", "5000 cut"]
    assert [s.name for s in SC.list_scenarios(matching="PLAN")] == [
        "PLAN c",
        "plan b",
        "Plan A",
    ]
    # % and _ are the text itself, not SQL wildcards
    assert [s.name for s in SC.list_scenarios(matching="%_")] == ["50%_cut"]
    assert [s.name for s in SC.list_scenarios(matching="0_c")] == []
    assert [s.name for s in SC.list_scenarios(matching="  plan ", limit=1)] == [
        "PLAN c"
    ]
    assert SC.count_scenarios() == 6
    assert SC.count_scenarios(matching="plan") == 3
    assert SC.count_scenarios(matching="nothing") == 0


def test_dataset_round_trips_exactly(tiny_portfolio):
    meta = PortfolioMeta(as_of="2021-06-01", fingerprint="0123456789abcdef")
    prov = {"files": [{"name": "a.csv", "bytes": 10, "sha256": "00"}], "rows": 4}
    problem = Problem("import.id_missing", {"row": 3}, "a.csv", "", "project_id")
    report = DatasetReport(["a.csv"], 4, 3, [problem], [], [])
    info = D.save_dataset(
        "My data", tiny_portfolio, meta, provenance=prov, report=report
    )
    assert info.rows == len(tiny_portfolio)
    df, got = D.load_dataset("My data")
    pd.testing.assert_frame_equal(df, tiny_portfolio)
    assert got == PortfolioMeta("2021-06-01", "0123456789abcdef", "My data", ("a.csv",))
    assert D.load_dataset_report("My data") == report
    [listed] = D.list_datasets()
    assert (listed.name, listed.provenance) == ("My data", prov)


def test_bundled_dataset_round_trips_exactly():
    from src.portfolio.load import load_bundled_portfolio

    df, meta = load_bundled_portfolio()
    D.save_dataset("copy", df, meta, provenance={}, report=DatasetReport())
    pd.testing.assert_frame_equal(D.load_dataset("copy")[0], df)


def test_dataset_names_are_checked_and_unique(tiny_portfolio):
    meta = PortfolioMeta("2021-06-01", "f")
    D.save_dataset("x", tiny_portfolio, meta, provenance={}, report=DatasetReport())
    with pytest.raises(ValueError, match="already exists"):
        D.save_dataset("x", tiny_portfolio, meta, provenance={}, report=DatasetReport())
    D.save_dataset(
        "x",
        tiny_portfolio.head(1),
        meta,
        provenance={},
        report=DatasetReport(),
        replace=True,
    )
    assert len(D.load_dataset("x")[0]) == 1
    with pytest.raises(ValueError, match="reserved"):
        D.save_dataset(
            "bundled", tiny_portfolio, meta, provenance={}, report=DatasetReport()
        )
    D.rename_dataset("x", "y")
    assert [d.name for d in D.list_datasets()] == ["y"]
    assert D.delete_dataset("y") is True
    with pytest.raises(D.DatasetNotFoundError):
        D.load_dataset("y")


SQLITE_ONLY = pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_sqlite_runs_in_wal_mode(tmp_path):
    with db.get_engine().connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"
    assert (tmp_path / "app.db").exists()


@SQLITE_ONLY
def test_database_url_overrides_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    SC.save_scenario("s", "{}", "f")
    assert (tmp_path / "other.db").exists()


def _race(*works) -> list[object]:
    """Run the callables at once (one thread each); their results or errors."""
    barrier = threading.Barrier(len(works))
    results: list[object] = [None] * len(works)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = works[i]()
        except Exception as exc:  # noqa: BLE001 - compared by the caller
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def test_two_writers_saving_the_same_names_keep_one_row_per_name():
    def writer(thread: int):
        return lambda: [
            SC.save_scenario(f"same-{i:02d}", _scenario(i, thread), "fp")
            for i in range(40)
        ]

    results = _race(writer(1), writer(2))
    assert not [r for r in results if isinstance(r, Exception)], results
    saved = SC.list_scenarios()
    assert sorted(s.name for s in saved) == [f"same-{i:02d}" for i in range(40)]
    for rec in saved:  # each row is one writer's whole save, not a mixture
        body = json.loads(rec.scenario_json)
        assert body == json.loads(_scenario(int(rec.name[-2:]), body["thread"]))


def test_a_concurrent_rename_and_delete_leave_one_consistent_state():
    for round_ in range(15):
        SC.save_scenario("plan", f'{{"round": {round_}}}', "fp")
        renamed, deleted = _race(
            lambda: SC.rename_scenario("plan", "renamed"),
            lambda: SC.delete_scenario("plan"),
        )
        names = [s.name for s in SC.list_scenarios()]
        if deleted is True:  # the delete came first: the rename found nothing
            assert isinstance(renamed, SC.ScenarioNotFoundError), renamed
            assert names == []
        else:  # the rename came first: the delete found no "plan"
            assert (renamed, deleted) == (None, False)
            assert names == ["renamed"]
            assert SC.load_scenario("renamed") == f'{{"round": {round_}}}'
            SC.delete_scenario("renamed")


def test_wal_mode_waits_for_another_process_holding_the_database(tmp_path):
    # SQLite answers "locked" at once (no busy timeout) to a journal-mode switch
    # while another connection writes: two servers starting together on a new
    # file. The switch waits for the lock instead of failing the first save.
    import sqlite3
    import threading

    from src.store.db import _use_wal

    path = tmp_path / "fresh.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    mine = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        mine.execute("PRAGMA journal_mode = WAL")  # what the app did before
    released = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    released.start()
    _use_wal(mine.cursor())
    released.join()
    assert mine.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert mine.execute("SELECT x FROM t").fetchall() == [(1,)]
    mine.close()
    other.close()
