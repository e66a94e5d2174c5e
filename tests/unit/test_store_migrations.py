"""Alembic migrations: the schema they build is the metadata's, on both databases;
a database made before migrations is adopted, a foreign one refused."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from src.store import datasets as D
from src.store import db, migrate
from src.store import reference_classes as RC
from src.store import scenarios as SC
from src.store.errors import StoreError
from src.store.principal import LOCAL, Principal
from tests.conftest import ROOT

PRE_MIGRATION_SQL = ROOT / "tests" / "fixtures" / "store" / "pre_migration_sqlite.sql"


@pytest.fixture(autouse=True)
def _fresh_store(store_backend):
    return store_backend


def _revision() -> str | None:
    with db.get_engine().connect() as conn:
        return migrate.current_revision(conn)


def test_upgrade_head_on_an_empty_database_is_exactly_the_metadata():
    engine = db.get_engine()  # an empty database: migrated on first use
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diffs == []
    assert tables == {*db.metadata.tables, "alembic_version"}
    assert _revision() == migrate.head()


def test_migrations_run_once_when_two_servers_start_together():
    url = db.database_url()
    engines = [db.get_engine(url), create_engine(url)]
    if url.startswith("sqlite"):
        db._sqlite_setup(engines[1])  # the second process's engine, as get_engine
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def start(engine) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            migrate.upgrade(engine)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert
            errors.append(exc)

    with engines[0].begin() as conn:  # back to an empty database
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE {table.name}"))
        conn.execute(text("DROP TABLE alembic_version"))
    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    engines[1].dispose()
    assert errors == []
    with engines[0].connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [(migrate.head(),)]


@pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)
def test_a_database_made_before_migrations_is_adopted_with_its_rows(tmp_path):
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(PRE_MIGRATION_SQL.read_text())
        conn.execute(
            "INSERT INTO scenarios (name, scenario, fingerprint, created, updated) "
            "VALUES ('kept', '{\"x\": 1}', 'fp', '2026-01-02 03:04:05.000000', "
            "'2026-01-02 03:04:05.000000')"
        )
    conn.close()
    assert SC.load_scenario("kept") == '{"x": 1}'
    assert SC.get_scenario("kept").created.isoformat() == "2026-01-02T03:04:05+00:00"
    assert _revision() == migrate.head()
    with db.get_engine().connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diffs == []


def test_a_database_with_foreign_tables_is_refused_and_left_alone():
    url = db.database_url()
    other = create_engine(url)
    with other.begin() as conn:
        conn.execute(text("CREATE TABLE scenarios (id INTEGER PRIMARY KEY, x TEXT)"))
    other.dispose()
    with pytest.raises(StoreError) as caught:
        SC.list_scenarios.__wrapped__()  # the listing itself, not its empty fallback
    assert caught.value.kind == "schema"
    assert "tables with other columns: scenarios" in caught.value.detail
    assert "missing tables: datasets, reference_classes" in caught.value.detail
    assert db.check_store().kind == "schema"
    other = create_engine(url)
    with other.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"scenarios"}
        columns = [c["name"] for c in inspect(conn).get_columns("scenarios")]
    other.dispose()
    assert columns == ["id", "x"]


def test_items_of_a_database_at_the_baseline_go_to_the_local_user_with_random_ids(
    tiny_portfolio,
):
    url = db.database_url()
    old = create_engine(url)
    with old.begin() as conn:  # the store as revision 0001 left it, with rows
        command.upgrade(migrate.alembic_config(conn), migrate.BASELINE)
        when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        conn.execute(
            text(
                "INSERT INTO datasets (name, created, data_date, fingerprint, rows, "
                "provenance, report, table_parquet, dtypes) VALUES ('partner', :at, "
                "'2021-06-01', 'fp-d', 4, '{\"files\": []}', '{}', :table, '{}')"
            ),
            {"at": when, "table": D._to_parquet(tiny_portfolio)},
        )
        conn.execute(
            text(
                "INSERT INTO scenarios (name, scenario, fingerprint, created, updated) "
                "VALUES ('plan', '{\"x\": 1}', 'fp-d', :at, :at)"
            ),
            {"at": when},
        )
        for dataset in ("partner", "gone"):  # "gone": its dataset was deleted
            conn.execute(
                text(
                    "INSERT INTO reference_classes (dataset, fingerprint, created, "
                    "entry, check_json) VALUES (:d, 'fp-d', :at, '{\"k\": 2}', '{}')"
                ),
                {"d": dataset, "at": when},
            )
    old.dispose()

    [dataset] = D.list_datasets(actor=LOCAL)  # first use: upgraded to head
    [scenario] = SC.list_scenarios(actor=LOCAL)
    assert _revision() == migrate.head()
    for item in (dataset, scenario):
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", item.id)  # 16 random bytes
        assert item.org == "local"
    assert dataset.id != scenario.id
    assert (dataset.name, dataset.rows, dataset.writable) == ("partner", 4, True)
    df, meta = D.load_dataset(dataset.id, actor=LOCAL)
    assert sorted(df["project_id"]) == ["P1", "P2", "P3", "P4"]
    assert meta.fingerprint == "fp-d"
    assert SC.load_scenario(scenario.id, actor=LOCAL) == '{"x": 1}'
    assert SC.get_scenario("plan", actor=LOCAL).created == when
    own = RC.load_own_class("partner", "fp-d", actor=LOCAL)
    assert (own.dataset, own.entry) == (dataset.id, {"k": 2})
    with db.get_engine().connect() as conn:
        kept = conn.execute(text("SELECT dataset FROM reference_classes")).all()
        public = conn.execute(text("SELECT public FROM datasets")).scalar_one()
        owners = conn.execute(text("SELECT owner FROM scenarios")).all()
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert kept == [(dataset.id,)]
    assert not public
    assert owners == [("local",)]
    assert diffs == []
    # private to the local organisation; names now unique per organisation only
    stranger = Principal(user="b", org="other", role="admin")
    assert D.list_datasets(actor=stranger) == []
    assert SC.list_scenarios(actor=stranger) == []
    theirs = SC.save_scenario("plan", '{"x": 2}', "fp", actor=stranger)
    assert theirs.id != scenario.id
    assert SC.load_scenario("plan", actor=LOCAL) == '{"x": 1}'


def test_the_downgrade_to_the_baseline_keeps_live_items_under_their_names():
    kept = SC.save_scenario("kept", '{"x": 1}', "fp", actor=LOCAL)
    gone = SC.save_scenario("gone", '{"x": 2}', "fp", actor=LOCAL)
    assert SC.delete_scenario(gone.id, actor=LOCAL)
    with db.get_engine().begin() as conn:
        command.downgrade(migrate.alembic_config(conn), migrate.BASELINE)
        names = conn.execute(text("SELECT name FROM scenarios")).all()
        columns = migrate._columns(conn)
    assert names == [("kept",)]
    assert columns == migrate.baseline_columns()
    db.dispose_engines()
    assert SC.list_scenarios(actor=LOCAL)[0].name == kept.name  # upgraded again
    assert _revision() == migrate.head()
