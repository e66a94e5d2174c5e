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
from src.portfolio.canonical import read_canonical
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.dedupe import NewestWins, duplicate_problem
from src.portfolio.rows import BuildReport
from src.portfolio.schema import PortfolioMeta

# Bump when the build logic changes in a way that changes the table.
BUILD_VERSION = "7"


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
    report = ParseReport()
    merge = NewestWins()
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
    return df, meta, report, build_report


def load_bundled_portfolio(
    *, rebuild: bool = False
) -> tuple[pd.DataFrame, PortfolioMeta]:
    """The bundled portfolio, from the Parquet cache when it is current.

    Returns:
        (table with schema.COLUMNS, metadata with the data date and fingerprint).
    """
    key = fingerprint(_inputs())
    cache = paths.cache_dir()
    table_path = cache / f"portfolio-{key}.parquet"
    meta_path = cache / f"portfolio-{key}.json"
    if not rebuild and table_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return pd.read_parquet(table_path), PortfolioMeta(**meta["meta"])
    df, meta, parse_report, build_report = build_from_files(paths.bundled_iati_files())
    meta = PortfolioMeta(as_of=meta.as_of, fingerprint=key, name="bundled")
    tmp = table_path.with_suffix(".tmp")
    df.to_parquet(tmp, index=False)
    tmp.replace(table_path)
    meta_path.write_text(
        json.dumps(
            {
                "meta": asdict(meta),
                "report": DatasetReport.from_build(
                    parse_report, build_report
                ).to_json(),
            },
            default=str,
        ),
        encoding="utf-8",
    )
    return df, meta


def load_bundled_report() -> DatasetReport:
    """The parse and build report recorded with the cached bundled portfolio."""
    load_bundled_portfolio()
    key = fingerprint(_inputs())
    data = json.loads((paths.cache_dir() / f"portfolio-{key}.json").read_text("utf-8"))
    return DatasetReport.from_json(data["report"])


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
