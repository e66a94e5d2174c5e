"""Alembic migrations: the schema they build is the metadata's, on both databases;
a database made before migrations is adopted, a foreign one refused."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from src.store import db, migrate
from src.store import scenarios as SC
from src.store.errors import StoreError
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
