"""Opening a store that is already migrated imports neither Alembic nor psycopg.

A fresh server's first page pays every import it triggers; Alembic is needed
only to migrate, psycopg only for a PostgreSQL store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from src.store import migrate
from tests.conftest import ROOT

PROBE = """
import json, sys
from sqlalchemy import text
from src.store import db
fault = db.check_store()
with db.get_engine().connect() as conn:
    version = conn.execute(text("SELECT version_num FROM alembic_version")).all()
print(json.dumps({"fault": None if fault is None else fault.kind,
                  "version": [list(r) for r in version],
                  "alembic": "alembic" in sys.modules,
                  "psycopg": "psycopg" in sys.modules}))
"""


def _probe(data_dir) -> dict:
    env = {**os.environ, "APP_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("APP_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def test_the_head_constant_is_the_newest_migration_script():
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "src/store/migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == migrate.HEAD


def test_a_migrated_store_opens_without_importing_alembic_or_psycopg(tmp_path):
    first = _probe(tmp_path)  # a new database: migrated, so Alembic is imported
    assert first["fault"] is None
    assert first["alembic"] is True
    again = _probe(tmp_path)  # a restarted server on the same database
    assert again == {
        "fault": None,
        "version": [[migrate.HEAD]],
        "alembic": False,
        "psycopg": False,
    }


def test_a_store_at_an_older_revision_is_still_migrated(tmp_path):
    _probe(tmp_path)
    engine = create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.begin() as conn:  # as the previous release left it
        command.downgrade(migrate.alembic_config(conn), "0002")
    found = _probe(tmp_path)
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("datasets")}
    engine.dispose()
    assert found["fault"] is None
    assert found["alembic"] is True
    assert found["version"] == [[migrate.HEAD]]
    assert "transactions_parquet" in columns  # added by revision 0003
