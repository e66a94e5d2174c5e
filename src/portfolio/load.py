"""Load the portfolio: build from sources once, then read a cached Parquet file.

The cache key is a SHA-256 fingerprint of every source file and of the mapping
tables, so the cache rebuilds itself whenever data or mappings change. The cache
lives in var/cache/ (or $APP_DATA_DIR/cache) and is never committed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pandas as pd

from src.iati.model import ParseReport
from src.iati.parser import iter_activities
from src.portfolio import paths
from src.portfolio.activity_tables import SideTables
from src.portfolio.build import PortfolioStream
from src.portfolio.canonical import read_canonical
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.dedupe import NewestWins, duplicate_problem
from src.portfolio.rows import BuildReport
from src.portfolio.schema import PortfolioMeta

# Bump when the build logic changes in a way that changes the table.
BUILD_VERSION = "12"


def _inputs() -> list[Path]:
    return [
        *paths.bundled_iati_files(),
        paths.SECTOR_GROUPS_FILE,
        paths.SECTOR_KEYWORDS_FILE,
        paths.RISK_FORMULA_FILE,
        paths.FX_FILE,
        *sorted(paths.INDICATOR_DIR.glob("*.csv")),
        paths.GEO_DIR / "country_codes_datasets.csv",
        paths.COUNTRIES_GEOJSON,
        # codelist names: the CSVs, and the XML the sector names are read from
        *sorted(paths.CODELIST_DIR.glob("*.csv")),
        *sorted(paths.CODELIST_DIR.glob("*.xml")),
    ]


def fingerprint(files: list[Path]) -> str:
    """Short SHA-256 over file names and contents (and the build version)."""
    digest = hashlib.sha256(BUILD_VERSION.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_from_files(
    files: list[Path], *, name: str = "bundled", as_of: date | None = None
) -> tuple[pd.DataFrame, PortfolioMeta, ParseReport, BuildReport]:
    """Parse IATI files and build the table (no cache).

    A repeated identifier is kept once by the duplicate policy
    (`dedupe.NewestWins`, the same as imports); the dropped copy is listed in
    the parse report's skipped activities.
    """
    df, meta, report, build_report, _ = build_with_side_tables(
        files, name=name, as_of=as_of
    )
    return df, meta, report, build_report


def build_with_side_tables(
    files: list[Path], *, name: str = "bundled", as_of: date | None = None
) -> tuple[pd.DataFrame, PortfolioMeta, ParseReport, BuildReport, SideTables]:
    """`build_from_files`, plus the transactions and details of the same pass."""
    report = ParseReport()
    merge = NewestWins(PortfolioStream(side_tables=True))
    names = [path.name for path in files]
    for number, path in enumerate(files):
        for act in iter_activities(path, report=report):  # never raises
            dup = merge.offer(act, number)
            if dup is not None:
                report.activities_kept -= 1
                report.skipped.append(duplicate_problem(dup, names))
    df, build_report, when = merge.stream.finish(as_of=as_of)
    meta = PortfolioMeta(
        as_of=when.isoformat(), fingerprint=fingerprint(files), name=name
    )
    return df, meta, report, build_report, merge.stream.side_tables()


def _cache_paths(key: str) -> dict[str, Path]:
    cache = paths.cache_dir()
    return {
        "table": cache / f"portfolio-{key}.parquet",
        "meta": cache / f"portfolio-{key}.json",
        "transactions": cache / f"transactions-{key}.parquet",
        "details": cache / f"details-{key}.parquet",
        "budgets": cache / f"budgets-{key}.parquet",
    }


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    df.to_parquet(tmp, index=False)
    tmp.replace(path)


_IN_MEMORY: dict[str, tuple[pd.DataFrame, PortfolioMeta, dict, SideTables]] = {}
"""Bundled builds kept in memory when the cache folder cannot be written."""


def load_bundled_portfolio(
    *, rebuild: bool = False
) -> tuple[pd.DataFrame, PortfolioMeta]:
    """The bundled portfolio, from the Parquet cache when it is current.

    The transactions and details tables are built and cached with it
    (`load_bundled_side_tables`). When the cache folder cannot be created or
    written (a read-only APP_DATA_DIR) the tables are built once per process and
    kept in memory.
    """
    df, meta, _, _ = _bundled(rebuild=rebuild)
    return df, meta


def load_bundled_side_tables() -> SideTables:
    """The transactions, details and budgets built with the bundled portfolio."""
    return _bundled(rebuild=False, side=True)[3]


def load_bundled_report() -> DatasetReport:
    """The parse and build report recorded with the cached bundled portfolio."""
    return DatasetReport.from_json(_bundled(rebuild=False)[2])


def _bundled(
    *, rebuild: bool, side: bool = False
) -> tuple[pd.DataFrame, PortfolioMeta, dict, SideTables | None]:
    """(table, metadata, report as JSON, side tables) from cache, memory or a build.

    The side tables are read from the cache only when `side` is asked for.
    """
    key = fingerprint(_inputs())
    if not rebuild and key in _IN_MEMORY:
        return _IN_MEMORY[key]
    try:
        where = _cache_paths(key)
    except OSError:
        where = None
    if where is not None and not rebuild and all(p.exists() for p in where.values()):
        data = json.loads(where["meta"].read_text(encoding="utf-8"))
        tables = (
            SideTables(
                pd.read_parquet(where["transactions"]),
                pd.read_parquet(where["details"]),
                pd.read_parquet(where["budgets"]),
            )
            if side
            else None
        )
        meta = PortfolioMeta(**data["meta"])
        return pd.read_parquet(where["table"]), meta, data["report"], tables
    df, meta, parse_report, build_report, tables = build_with_side_tables(
        paths.bundled_iati_files()
    )
    meta = PortfolioMeta(as_of=meta.as_of, fingerprint=key, name="bundled")
    report = DatasetReport.from_build(parse_report, build_report).to_json()
    try:
        if where is None:
            raise OSError(key)
        _write_parquet(tables.transactions, where["transactions"])
        _write_parquet(tables.details, where["details"])
        _write_parquet(tables.budgets, where["budgets"])
        _write_parquet(df, where["table"])
        text = json.dumps({"meta": asdict(meta), "report": report}, default=str)
        where["meta"].write_text(text, encoding="utf-8")
    except OSError:
        _IN_MEMORY[key] = (df, meta, report, tables)
    return df, meta, report, tables


def read_portfolio_file(path: Path) -> tuple[pd.DataFrame, PortfolioMeta]:
    """A user's canonical CSV or Parquet file as a dataset, derived as of today.

    The table is `canonical.read_canonical`'s (bad files raise ValueError); the
    metadata names the file and fingerprints its content.
    """
    as_of = date.today()
    df = read_canonical(path, as_of=as_of)
    meta = PortfolioMeta(
        as_of=as_of.isoformat(), fingerprint=fingerprint([path]), name=path.stem
    )
    return df, meta
