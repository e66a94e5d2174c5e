"""Settings: one reader of the environment, one default per setting."""

from __future__ import annotations

import ast
from pathlib import Path

from src.settings import Settings
from tests.conftest import ROOT

# Reads the owners of these modules still have to move to Settings (issue 11).
NOT_YET_MOVED: set[str] = set()


def test_unset_environment_gives_the_one_default_data_folder():
    s = Settings.from_env({})
    assert s.data_dir == ROOT / "var"
    assert s.cache_dir == ROOT / "var" / "cache"
    assert s.database_url == f"sqlite:///{ROOT / 'var' / 'app.db'}"
    assert s.portfolio_file is None


def test_empty_values_count_as_unset():
    assert Settings.from_env(
        {"APP_DATA_DIR": "", "APP_DATABASE_URL": "", "PORTFOLIO_FILE": ""}
    ) == Settings.from_env({})


def test_every_setting_comes_from_its_variable():
    s = Settings.from_env(
        {
            "APP_DATA_DIR": "/srv/d",
            "APP_DATABASE_URL": "postgresql://db/app",
            "PORTFOLIO_FILE": "/tmp/p.csv",
        }
    )
    assert s == Settings(Path("/srv/d"), "postgresql://db/app", Path("/tmp/p.csv"))
    assert s.cache_dir == Path("/srv/d/cache")


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            lines.append(node.lineno)
    return lines


def test_only_settings_reads_the_environment():
    offenders = {}
    for path in sorted((ROOT / "src").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "src/settings.py" or rel in NOT_YET_MOVED:
            continue
        lines = _reads_environment(ast.parse(path.read_text("utf-8")))
        if lines:
            offenders[rel] = lines
    assert offenders == {}
