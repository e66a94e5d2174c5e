"""Alembic environment: migrate the store's database to the metadata's schema.

Run by `src.store.migrate.upgrade` (at startup, on the connection it passes in
``config.attributes["connection"]``) and by the ``alembic`` command line for
writing a new revision (against ``APP_DATABASE_URL``, else the SQLite file in
``APP_DATA_DIR``)::

    .venv/bin/alembic -c src/store/migrations/alembic.ini \
        revision --autogenerate -m "what changed"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from src.store.db import database_url, metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Migrate the connection passed in, else a new one to the app's database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(database_url())
    with engine.begin() as conn:
        _migrate(conn)
    engine.dispose()


# Imported outside Alembic (pytest's doctest collection) there is no config.
if getattr(context, "config", None) is not None:
    run()
