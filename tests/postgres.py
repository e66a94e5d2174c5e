"""A real PostgreSQL server for the store tests: CI's, or a throwaway cluster.

`APP_TEST_POSTGRES_URL` (set by ``.ci/run``, which installs and starts Debian's
``postgresql``) names a server and database the tests may create schemas in.
Without it, `throwaway_cluster` starts a private cluster with the PostgreSQL
binaries found on this machine (``initdb``/``pg_ctl``, e.g. Debian's
``/usr/lib/postgresql/15/bin``) on a free localhost port, as the ``postgres``
user when run as root (root cannot run ``initdb``), and stops it at the end.
No PostgreSQL at all is a test failure naming what to install, never a skip.

Each test gets its own schema (``search_path`` set in the URL), dropped after.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

ENV = "APP_TEST_POSTGRES_URL"
USER = "app_test"
PASSWORD = "app-test-password"
INSTALL_HINT = (
    "The store tests run on SQLite and on a real PostgreSQL server, and no "
    "PostgreSQL was found. Install Debian's server (`apt-get install -y "
    "postgresql`; the tests then start a throwaway cluster with its initdb and "
    f"pg_ctl), or set {ENV}=postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB "
    "to a database the tests may create schemas in."
)


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL server can be used (the message says what to install)."""


def bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (newest Debian version first)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(re.sub(r"\D", "", p.parent.parent.name) or 0),
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(owner: str | None, argv: list[str]) -> list[str]:
    """`argv` run as `owner` (root runs PostgreSQL's tools as another user)."""
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a private PostgreSQL cluster; yield its SQLAlchemy URL; remove it.

    Raises:
        PostgresUnavailableError: no binaries, or root without a postgres user.
    """
    binaries = bin_dir()
    if binaries is None:
        raise PostgresUnavailableError(INSTALL_HINT)
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            msg = f"{INSTALL_HINT} (running as root needs the 'postgres' user)"
            raise PostgresUnavailableError(msg) from exc
        owner = "postgres"
    root = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data, pwfile = root / "data", root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if owner:
        shutil.chown(root, owner)
        shutil.chown(pwfile, owner)
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    pg_ctl = _as_owner(owner, [str(binaries / "pg_ctl"), "-D", str(data)])
    try:
        subprocess.run(
            _as_owner(
                owner,
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    USER,
                    f"--pwfile={pwfile}",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ],
            ),
            **run,
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        subprocess.run(
            [*pg_ctl, "-o", options, "-l", str(root / "log"), "-w", "start"], **run
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        msg = f"the throwaway PostgreSQL cluster did not start: {exc}"
        msg += f"\n{exc.stderr}\n{log}"
        raise PostgresUnavailableError(msg) from exc
    try:
        yield f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "immediate", "stop"],
            check=False,
            **{k: v for k, v in run.items() if k != "check"},
        )
        shutil.rmtree(root, ignore_errors=True)


def check_server(url: str) -> None:
    """Raise PostgresUnavailableError unless `url` accepts a connection."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - reported with what to do
        msg = f"{ENV}={url!r} does not accept connections ({exc}). {INSTALL_HINT}"
        raise PostgresUnavailableError(msg) from exc
    finally:
        engine.dispose()


def with_schema(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema`."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new, empty schema on the server at `url`; yield a URL using it; drop it."""
    from sqlalchemy import create_engine, text

    schema = f"t_{getpass.getuser()[:8]}_{uuid.uuid4().hex[:12]}".lower()
    schema = re.sub(r"[^a-z0-9_]", "_", schema)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_schema(url, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
