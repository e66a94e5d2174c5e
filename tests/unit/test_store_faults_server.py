"""PostgreSQL faults as one clear message: server down, sign-in refused, read-only."""

from __future__ import annotations

import socket

import psycopg.errors as pg_errors
import pytest
from sqlalchemy.engine import make_url

from src.cli.main import main
from src.store import db
from src.store.errors import StoreError, classify, store_error_text
from src.store.scenarios import list_scenarios, save_scenario
from tests import postgres as pg


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


@pytest.fixture
def server_url(postgres_server, app_data_dir, monkeypatch):
    """Point the app at `url` (engines closed before and after)."""

    def use(url: str) -> None:
        monkeypatch.setenv("APP_DATABASE_URL", url)
        db.dispose_engines()

    yield use
    db.dispose_engines()


def test_a_server_that_is_down_is_named_with_what_to_do(server_url, capsys):
    port = _closed_port()
    server_url(f"postgresql+psycopg://app:secret@127.0.0.1:{port}/portfolio")
    fault = db.check_store()
    assert fault.kind == "unreachable"
    assert "Connection refused" in fault.detail
    assert "secret" not in str(fault)
    assert str(fault).startswith(
        f"The app cannot reach its database server PostgreSQL 127.0.0.1:{port}/"
        "portfolio (user app) ("
    )
    assert list_scenarios() == []
    assert main(["datasets"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "Check that PostgreSQL is running" in err


def test_a_wrong_password_says_the_server_refused_the_app(postgres_server, server_url):
    url = make_url(postgres_server).set(password="not-the-password")
    server_url(url.render_as_string(hide_password=False))
    with pytest.raises(StoreError) as caught:
        save_scenario("s", "{}", "f")
    assert caught.value.kind == "auth_failed"
    assert "password authentication failed" in caught.value.detail
    assert "not-the-password" not in str(caught.value)
    assert store_error_text(caught.value, "fr").startswith(
        "Le serveur de base de données PostgreSQL "
    )


def test_a_read_only_server_is_found_by_the_health_check(postgres_server, server_url):
    with pg.fresh_schema(postgres_server) as url:
        server_url(url)
        db.get_engine()  # migrated while writable
        server_url(url + "%20-cdefault_transaction_read_only%3Don")
        fault = db.check_store()
        assert (fault.kind, fault.key) == ("read_only", "store.error.server.read_only")
        assert "read-only transaction" in fault.detail
        assert " accepts no writes " in str(fault)
        with pytest.raises(StoreError) as caught:
            save_scenario("s", "{}", "f")
        assert caught.value.kind == "read_only"
        db.dispose_engines()


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (pg_errors.DiskFull("could not extend file"), "disk_full"),
        (pg_errors.ReadOnlySqlTransaction("read-only transaction"), "read_only"),
        (pg_errors.InvalidPassword("password authentication failed"), "auth_failed"),
        (pg_errors.InvalidCatalogName('database "x" does not exist'), "auth_failed"),
        (pg_errors.InsufficientPrivilege("permission denied"), "auth_failed"),
        (pg_errors.SerializationFailure("could not serialize"), "busy"),
        (pg_errors.DeadlockDetected("deadlock detected"), "busy"),
        (pg_errors.TooManyConnections("too many clients"), "busy"),
        (pg_errors.AdminShutdown("terminating connection"), "unreachable"),
        (pg_errors.DataCorrupted("invalid page"), "corrupt"),
        (pg_errors.UndefinedTable('relation "x" does not exist'), "unavailable"),
    ],
)
def test_each_postgresql_error_has_its_kind(error, kind):
    assert classify(error) == kind


def test_no_postgresql_on_the_machine_fails_naming_what_to_install(monkeypatch):
    monkeypatch.setattr(pg, "bin_dir", lambda: None)
    with pytest.raises(pg.PostgresUnavailableError) as caught:
        pg.throwaway_cluster().__enter__()
    assert "apt-get install -y postgresql" in str(caught.value)
    assert pg.ENV in str(caught.value)
