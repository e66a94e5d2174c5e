"""`--dataset NAME`: every CLI subcommand that reads a portfolio reads an import."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from src.cli.main import main
from src.i18n import format_money
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from tests.conftest import ROOT, seed_data_dir

FIX = ROOT / "tests/fixtures/imports"
# Every subcommand that reads a portfolio, with the arguments it needs besides it.
READERS = {
    "summary": [],
    "coordination": ["--json"],
    "quality": [],
    "simulate": ["--trials", "8"],
    "brief": ["--out", "{tmp}/deck.pptx"],
    "synth": ["--projects", "5", "--out", "{tmp}/synth.csv"],
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A store holding one import, "demo" (the 11 accepted rows of portfolio_20)."""
    from src.portfolio.imports import import_files
    from src.store import db
    from src.store.datasets import load_dataset, store_import

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("APP_DATA_DIR", str(seed_data_dir(tmp_path_factory.mktemp("store"))))
        mp.delenv("APP_DATABASE_URL", raising=False)
        db.dispose_engines()
        store_import(import_files([FIX / "portfolio_20.csv"]), "demo")
        yield load_dataset("demo")
        db.dispose_engines()


def run_cli(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_summary_reads_the_imported_rows(demo, capsys):
    df, meta = demo
    code, out, _ = run_cli(["summary", "--dataset", "demo", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["rows"] == len(df) == 11
    assert data["projects"] == df[S.COL_PROJECT_ID].nunique()
    assert data["budget"] == pytest.approx(df[S.COL_BUDGET].sum())
    assert data["as_of"] == meta.as_of
    bundled, _ = load_bundled_portfolio()
    assert data["budget"] != pytest.approx(bundled[S.COL_BUDGET].sum())


def test_summary_filters_apply_to_the_import(demo, capsys):
    df, _ = demo
    code, out, _ = run_cli(
        ["summary", "--dataset", "demo", "--sector", "Health", "--json"], capsys
    )
    assert code == 0
    health = df[df[S.COL_SECTOR_GROUP] == "Health"]
    assert json.loads(out)["budget"] == pytest.approx(health[S.COL_BUDGET].sum())


def test_quality_counts_the_imported_rows(demo, capsys):
    df, _ = demo
    code, out, _ = run_cli(["quality", "--dataset", "demo", "--json"], capsys)
    assert code == 0
    checks = {c["key"]: c for c in json.loads(out)}
    assert checks["no_spend"]["rows"] == int((~df[S.COL_SPEND_REPORTED]).sum())
    assert checks["sector_inferred"]["rows"] == int(
        (df[S.COL_SECTOR_SOURCE] == "inferred").sum()
    )
    code, text, _ = run_cli(["quality", "--dataset", "demo"], capsys)
    # The text form's last line: the CSV's rows that the import did not keep.
    skipped = len(pd.read_csv(FIX / "portfolio_20.csv")) - len(df)
    assert text.splitlines()[-1].split()[-1] == str(skipped) == "8"


def test_simulate_runs_on_the_imported_rows(demo, capsys):
    df, meta = demo
    args = ["simulate", "--dataset", "demo", "--trials", "8", "--json"]
    code, out, _ = run_cli(args, capsys)
    assert code == 0
    data = json.loads(out)
    assert data["info"]["rows"] == len(df)
    assert {r[S.COL_PROJECT_ID] for r in data["rows"]} == set(df[S.COL_PROJECT_ID])


def test_brief_writes_the_imports_figures(demo, tmp_path, capsys):
    from pptx import Presentation

    df, _ = demo
    out = tmp_path / "demo.pptx"
    code, _, _ = run_cli(["brief", "--dataset", "demo", "--out", str(out)], capsys)
    assert code == 0
    texts = [
        shape.text_frame.text
        for slide in Presentation(str(out)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    total = format_money(df[S.COL_BUDGET].sum(), "en")
    assert any(total in t for t in texts), total


def test_synth_resamples_the_imported_rows(demo, tmp_path, capsys):
    df, _ = demo
    out = tmp_path / "synth.csv"
    args = ["synth", "--dataset", "demo", "--projects", "30", "--out", str(out)]
    code, _, _ = run_cli(args, capsys)
    assert code == 0
    synth = pd.read_csv(out)
    assert len(synth) == 30
    assert set(synth[S.COL_BUDGET]) <= set(df[S.COL_BUDGET])


@pytest.mark.parametrize("command", sorted(READERS))
def test_an_unknown_dataset_is_one_line_naming_the_known_ones(
    command, demo, tmp_path, capsys
):
    extra = [a.format(tmp=tmp_path) for a in READERS[command]]
    code, out, err = run_cli([command, *extra, "--dataset", "nope"], capsys)
    assert code == 2
    assert err == (
        "error: --dataset: no dataset named 'nope'; known datasets: bundled, demo\n"
    )
    assert not list(tmp_path.iterdir())  # nothing written


def test_coordination_reads_the_imported_rows_and_says_what_a_csv_lacks(demo, capsys):
    df, _ = demo
    code, out, _ = run_cli(["coordination", "--dataset", "demo", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["dataset"] == "demo"
    placed = df[df[S.COL_COUNTRY] != ""]
    # independently: one row per (country, reporting organisation) in the import
    expected = placed.groupby(S.COL_COUNTRY)[S.COL_AGENCY].nunique().to_dict()
    got = {r[S.COL_COUNTRY]: r["actors"] for r in data["countries"]}
    assert got == expected
    assert data["coverage"]["actors"] == df[S.COL_AGENCY].nunique()
    # a CSV publishes no budget periods: the cliff says so (an upper bound)
    assert data["cliff"]["budget_periods_published"] is False
    code, out, _ = run_cli(
        ["coordination", "--dataset", "demo", "--country", "KEN", "--json"], capsys
    )
    assert code == 0
    assert json.loads(out)["overlap"]["coverage"] is None  # no sites in a CSV
