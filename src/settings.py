"""Deployment settings, read from the environment in one place, one default each.

>>> s = Settings.from_env({"APP_DATA_DIR": "/srv/app"})
>>> str(s.cache_dir), s.database_url
('/srv/app/cache', 'sqlite:////srv/app/app.db')
"""

from __future__ import annotations

import functools
import math
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
        max_upload_mb: `APP_MAX_UPLOAD_MB`, the largest file an import reads.
        max_import_rows: `APP_MAX_IMPORT_ROWS`, the most rows one CSV/.xlsx
            file may hold (a larger file is refused, not cut).
        warn_budget_usd: `APP_WARN_BUDGET_USD`, a project budget above this is
            imported with a warning (above `imports.rules.MAX_USD` it is refused).
        run_timeout_s: `APP_RUN_TIMEOUT_S`, the seconds a page's simulation
            (baseline and scenario together) may take before it is stopped
            with a message; 0 for no limit.
        import_timeout_s: `APP_IMPORT_TIMEOUT_S`, the same for validating an
            upload on the Data page (checked at each progress step: every 500
            IATI activities and after each file).
        orgs_file: `APP_ORGS_FILE`, the organisations and the claims that map
            signed-in users to them (TOML, see `src.store.orgs`), or None.
        groups_claim: `APP_GROUPS_CLAIM`, the identity token's claim that lists
            the user's groups (default ``groups``).
        gc_every_s: `APP_GC_EVERY_S`, the seconds between two full garbage
            collections of the app server (`widgets.heap`); 0 for none.
    """

    data_dir: Path
    database_url: str
    portfolio_file: Path | None
    max_upload_mb: float = 200.0
    max_import_rows: int = 500_000
    warn_budget_usd: float = 10e9
    run_timeout_s: float = 60.0
    import_timeout_s: float = 300.0
    orgs_file: Path | None = None
    groups_claim: str = "groups"
    gc_every_s: float = 60.0

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
            max_upload_mb=max(_number(env, "APP_MAX_UPLOAD_MB", 200.0), 0.0),
            max_import_rows=int(_number(env, "APP_MAX_IMPORT_ROWS", 500_000)),
            warn_budget_usd=_number(env, "APP_WARN_BUDGET_USD", 10e9),
            run_timeout_s=max(_number(env, "APP_RUN_TIMEOUT_S", 60.0), 0.0),
            import_timeout_s=max(_number(env, "APP_IMPORT_TIMEOUT_S", 300.0), 0.0),
            orgs_file=Path(env["APP_ORGS_FILE"]) if env.get("APP_ORGS_FILE") else None,
            groups_claim=env.get("APP_GROUPS_CLAIM") or "groups",
            gc_every_s=max(_number(env, "APP_GC_EVERY_S", 60.0), 0.0),
        )


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """The finite number in `env[name]`, else `default` (unset, empty or bad).

    >>> _number({"N": " 5 "}, "N", 1.0), _number({"N": "x"}, "N", 1.0)
    (5.0, 1.0)
    """
    try:
        value = float(env.get(name, "").strip() or default)
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def warn_budget_usd() -> float:
    """`Settings.warn_budget_usd`, cheap enough for every imported row.

    The variable is parsed once per value, not a whole `Settings` per row.
    """
    return _warn_budget(os.environ.get("APP_WARN_BUDGET_USD", ""))


@functools.lru_cache(maxsize=8)
def _warn_budget(raw: str) -> float:
    return Settings.from_env({"APP_WARN_BUDGET_USD": raw}).warn_budget_usd


def allocator_variables() -> frozenset[str]:
    """The names of glibc's own `MALLOC_*` tunables set in the environment.

    glibc reads them itself; `widgets.heap` leaves a tunable set there alone.
    """
    return frozenset(name for name in os.environ if name.startswith("MALLOC_"))
