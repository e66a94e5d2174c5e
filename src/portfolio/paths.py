"""Where the bundled data lives (one place, so tests and the CLI agree)."""

from __future__ import annotations

from pathlib import Path

from src.settings import ROOT, Settings

DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
IATI_DIR = RAW_DIR / "iati"
CODELIST_DIR = IATI_DIR / "codelists"
GEO_DIR = RAW_DIR / "geo"
INDICATOR_DIR = RAW_DIR / "indicators"
FX_FILE = RAW_DIR / "fx" / "fx_annual_avg_units_per_usd_2000_2024.csv"
SECTOR_GROUPS_FILE = DATA_DIR / "sector_groups.csv"
SECTOR_KEYWORDS_FILE = DATA_DIR / "sector_keywords.csv"
RISK_FORMULA_FILE = DATA_DIR / "risk_formula.json"
COUNTRIES_GEOJSON = GEO_DIR / "ne_50m_admin_0_countries.geojson"


def cache_dir() -> Path:
    """Folder for rebuildable caches (not committed), created: see `Settings`."""
    path = Settings.from_env().cache_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


def bundled_iati_files() -> list[Path]:
    """The six bundled IATI activity files, in a stable order."""
    return sorted(IATI_DIR.glob("*.xml"))
