"""Storage faults as one clear message: read-only folder, damaged file, full disk."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy

from src.cli.main import main
from src.store import db
from src.store.datasets import list_datasets, store_import
from src.store.errors import KINDS, StoreError, classify, store_error_text
from src.store.scenarios import list_scenarios, save_scenario
from tests.conftest import ROOT

CSV = ROOT / "tests" / "fixtures" / "imports" / "latin1_row.csv"


def _one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err + captured.out
    return lines[0]


def test_a_read_only_folder_is_found_by_the_health_check(unwritable_dir):
    fault = db.check_store()
    assert (fault.kind, fault.key) == ("read_only", "store.error.read_only")
    assert str(fault).startswith(f"The app's data folder {unwritable_dir} cannot")
    assert list_datasets() == []
    assert list_scenarios() == []


def test_saving_into_a_read_only_folder_says_so_and_the_cli_exits_2(
    unwritable_dir, capsys
):
    with pytest.raises(StoreError) as caught:
        save_scenario("s", "{}", "f")
    assert caught.value.kind == "read_only"
    assert main(["import", str(CSV), "--name", "x"]) == 2
    line = _one_error_line(capsys)
    assert line.startswith(f"error: The app's data folder {unwritable_dir} cannot")
    assert line.endswith("or set APP_DATA_DIR to a writable folder.")


def test_a_damaged_database_is_named_with_what_to_do(corrupt_db, capsys):
    fault = db.check_store()
    assert fault.kind == "corrupt"
    assert fault.detail == "file is not a database"
    assert main(["datasets"]) == 2
    assert _one_error_line(capsys) == (
        f"error: The app's database in {corrupt_db} is damaged (file is not a "
        "database). Move app.db aside (the app then starts a new, empty one) or "
        "restore it from a backup; the bundled data still works."
    )


def test_a_full_disk_during_an_import_is_one_line_and_nothing_stored(
    store_dir, monkeypatch, capsys
):
    db.get_engine()  # the tables exist; then every statement fails

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlalchemy.engine.Connection, "execute", full)
    assert main(["import", str(CSV), "--name", "full"]) == 2
    line = _one_error_line(capsys)
    assert line.startswith(f"error: The disk holding the app's data ({store_dir})")
    assert "(database or disk is full)" in line
    monkeypatch.undo()
    monkeypatch.setenv("APP_DATA_DIR", str(store_dir))
    assert list_datasets() == []


def test_a_full_disk_is_translated_when_the_import_is_accepted(store_dir, monkeypatch):
    from src.portfolio.imports import import_files

    report = import_files([CSV])
    db.get_engine()

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlalchemy.engine.Connection, "execute", full)
    with pytest.raises(StoreError) as caught:
        store_import(report, "full")
    assert store_error_text(caught.value, "fr").startswith(
        f"Le disque des données de l'application ({store_dir}) est plein"
    )


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database or disk is full"), "disk_full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read_only"),
        (sqlite3.OperationalError("unable to open database file"), "read_only"),
        (PermissionError(13, "Permission denied"), "read_only"),
        (sqlite3.DatabaseError("database disk image is malformed"), "corrupt"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("no such table: datasets"), "unavailable"),
    ],
)
def test_each_driver_error_has_its_kind(error, kind):
    assert classify(error) == kind


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_fault_has_a_message_in_every_language(kind, lang):
    from src.i18n import catalog

    assert f"store.error.{kind}" in catalog(lang)
