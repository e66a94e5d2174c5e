"""The `import` subcommand applies the Data page's rules and its explicit accept."""

from __future__ import annotations

import json

from src.cli.main import main
from src.store.datasets import list_datasets, load_dataset
from tests.conftest import ROOT

TRUNCATED = ROOT / "tests" / "fixtures" / "iati" / "truncated.xml"


def test_a_truncated_xml_is_refused_without_accept_partial(store_dir, capsys):
    assert main(["import", str(TRUNCATED), "--name", "cut"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "not stored: truncated.xml cut off before the end; rerun with "
        "--accept-partial to store the complete activities read"
    )
    assert list_datasets() == []


def test_accept_partial_stores_the_complete_activities(store_dir, capsys):
    assert main(["import", str(TRUNCATED), "--name", "cut", "--accept-partial"]) == 0
    df, _ = load_dataset("cut")
    assert sorted(df["project_id"]) == ["XM-TRUNC-1", "XM-TRUNC-2", "XM-TRUNC-3"]


def test_json_output_names_the_partial_files(store_dir, capsys):
    assert main(["import", str(TRUNCATED), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["partial_files"], out["dataset"], out["accepted"]) == (
        ["truncated.xml"],
        None,
        3,
    )


def test_an_absurd_budget_is_refused_by_the_cli_with_the_pages_message(
    store_dir, tmp_path, capsys
):
    path = tmp_path / "big.csv"
    path.write_text(
        "project_id,title,country_iso3,sector_group,start_date,end_date,"
        "budget_usd,spent_usd\n"
        "P-1,Clinics,SEN,Health,2021-01-15,2023-12-31,1.5e11,0\n"
    )
    assert main(["import", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        "  error   big.csv: row 2: budget US$150,000,000,000 is above "
        "US$100,000,000,000, more than any single project; check the amount and "
        "its unit"
    ) in lines
    assert lines[-1] == "nothing stored"
