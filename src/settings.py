"""Deployment settings, read from the environment in one place, one default each.

>>> s = Settings.from_env({"APP_DATA_DIR": "/srv/app"})
>>> str(s.cache_dir), s.database_url
('/srv/app/cache', 'sqlite:////srv/app/app.db')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = ROOT / "var"


@dataclass(frozen=True)
class Settings:
    """What a deployment may change; `from_env()` reads it.

    Attributes:
        data_dir: `APP_DATA_DIR`, the writable folder (default ``var/``): the
            SQLite store and, under ``cache/``, the rebuildable caches.
        database_url: `APP_DATABASE_URL` (e.g. a shared PostgreSQL), default
            the SQLite file ``app.db`` in `data_dir`.
        portfolio_file: `PORTFOLIO_FILE`, a canonical CSV/Parquet that replaces
            the bundled dataset (benchmarks use it), or None.
    """

    data_dir: Path
    database_url: str
    portfolio_file: Path | None

    @property
    def cache_dir(self) -> Path:
        """Folder for rebuildable caches (not committed)."""
        return self.data_dir / "cache"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings in `environ` (default `os.environ`); empty means unset."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("APP_DATA_DIR") or DEFAULT_DATA_DIR)
        portfolio_file = env.get("PORTFOLIO_FILE")
        return cls(
            data_dir=data_dir,
            database_url=env.get("APP_DATABASE_URL")
            or f"sqlite:///{data_dir / 'app.db'}",
            portfolio_file=Path(portfolio_file) if portfolio_file else None,
        )
