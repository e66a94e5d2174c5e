"""The portfolio build: totals, splits, currencies, the bundled files, the CLI."""

from __future__ import annotations

import gc
import json
import weakref
import xml.etree.ElementTree as ET  # trusted bundled files only, for expectations
from datetime import date
from functools import cache

import pandas as pd
import pytest

from src.cli.main import main as cli_main
from src.iati.parser import parse_file
from src.portfolio import schema as S
from src.portfolio.build import PortfolioStream, build_portfolio
from src.portfolio.filters import FilterSpec
from src.portfolio.fx import rate_table
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.paths import bundled_iati_files
from src.portfolio.summary import kpis
from tests.conftest import ROOT

FIXTURE = ROOT / "tests/fixtures/portfolio/build_cases.xml"


@pytest.fixture(scope="module")
def cases():
    acts, _ = parse_file(FIXTURE)
    df, report, as_of = build_portfolio(acts)
    return df.set_index([S.COL_PROJECT_ID, S.COL_COUNTRY]), report, as_of


def test_multi_country_split_preserves_totals_and_revised_replaces_original(cases):
    df, _, _ = cases
    split = df.loc["XM-T-SPLIT"]
    # 2020: revised 1,000,000 replaces original 900,000; 2021: 500,000.
    assert split[S.COL_BUDGET].sum() == pytest.approx(1_500_000)
    assert split.loc["KEN", S.COL_BUDGET] == pytest.approx(900_000)
    assert split.loc["UGA", S.COL_BUDGET] == pytest.approx(600_000)
    assert split[S.COL_SPENT].sum() == pytest.approx(400_000)
    assert split[S.COL_COMMITTED].sum() == pytest.approx(1_500_000)
    assert split.loc["UGA", S.COL_DELIVERY] == pytest.approx(400_000 / 1_500_000)
    assert set(split[S.COL_SECTOR_GROUP]) == {"Water & sanitation"}


def test_percentages_not_adding_up_are_normalised_with_a_warning(cases):
    df, report, _ = cases
    eur = df.loc["XM-T-EUR"]
    assert eur[S.COL_COUNTRY_SHARE].tolist() == pytest.approx([0.5, 0.5])
    assert any("normalised" in p.message for p in report.problems)


def test_currency_converted_with_the_value_year_and_unknown_reported(cases):
    df, report, _ = cases
    eur_rate = rate_table()["EUR"][2021]
    assert df.loc["XM-T-EUR"][S.COL_BUDGET].sum() == pytest.approx(1_000_000 / eur_rate)
    assert report.unconverted == [
        {
            "file": "build_cases.xml",
            "activity": "XM-T-EUR",
            "element": "budget",
            "amount": 777.0,
            "currency": "ZZZ",
        }
    ]


def test_data_date_and_derived_end(cases):
    df, _, as_of = cases
    assert as_of == date(2021, 5, 1)
    eur = df.loc["XM-T-EUR"].iloc[0]
    assert eur[S.COL_END] == pd.Timestamp("2023-06-30")
    assert eur[S.COL_END_SOURCE] == "derived from budget periods"
    assert eur[S.COL_SECTOR_SOURCE] == "inferred"  # "Clinic" -> Health
    assert eur[S.COL_SECTOR_GROUP] == "Health"


@cache  # two tests compare with it; the XML does not change during a run
def _independent_xml_totals() -> dict[str, float]:
    """Sum budgets and spend straight from the XML (all bundled values are USD)."""
    totals = {"activities": 0, "budget": 0.0, "spent": 0.0}
    codes: set[str] = set()
    for path in bundled_iati_files():
        root = ET.parse(path).getroot()
        for act in root.iter("iati-activity"):
            totals["activities"] += 1
            for b in act.findall("budget"):
                assert (b.find("value").get("currency") or "USD") == "USD"
                totals["budget"] += float(b.find("value").text)
            for t in act.findall("transaction"):
                if t.find("transaction-type").get("code") in ("3", "4"):
                    totals["spent"] += float(t.find("value").text)
            codes |= {
                c.get("code") for c in act.findall("recipient-country") if c.get("code")
            }
    totals["countries"] = len(codes)
    return totals


def test_bundled_portfolio_totals_equal_the_iati_files():
    df, meta = load_bundled_portfolio()
    expected = _independent_xml_totals()
    assert df[S.COL_PROJECT_ID].nunique() == expected["activities"] == 1029
    assert df[S.COL_BUDGET].sum() == pytest.approx(expected["budget"], rel=1e-9)
    assert df[S.COL_SPENT].sum() == pytest.approx(expected["spent"], rel=1e-9)
    countries = df.loc[df[S.COL_COUNTRY] != "", S.COL_COUNTRY].nunique()
    assert countries == expected["countries"] >= 150
    assert meta.as_of == "2021-05-24"
    assert list(df.columns) == list(S.COLUMNS)


def test_bundled_points_never_fall_outside_their_country_box():
    df, _ = load_bundled_portfolio()
    from src.portfolio.reference import country_reference

    ref = country_reference()
    sites = df[(df[S.COL_PRECISION] != "none") & (df[S.COL_COUNTRY] != "")]
    sites = sites[sites[S.COL_COUNTRY].map(ref["min_lat"]).notna()]  # has a shape
    assert len(sites) > 900
    box = ref.loc[sites[S.COL_COUNTRY]]
    inside = (sites[S.COL_LAT].to_numpy() >= box["min_lat"].to_numpy() - 0.5) & (
        sites[S.COL_LAT].to_numpy() <= box["max_lat"].to_numpy() + 0.5
    )
    assert inside.all()


def test_cli_build_reports_counts_as_json(capsys):
    assert cli_main(["build", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _independent_xml_totals()
    assert out["activities_read"] == 1029
    assert out["countries"] >= 150
    assert out["total_budget_usd"] == pytest.approx(expected["budget"], rel=1e-9)
    assert set(out["sector_source"]) <= set(S.SECTOR_SOURCES)


def test_cli_summary_uses_the_same_filters_as_the_app(capsys):
    assert cli_main(["summary", "--sector", "Health", "--risk", "High", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    df, meta = load_bundled_portfolio()
    k = kpis(FilterSpec(sectors=("Health",), risks=("High",)).apply(df), meta.as_of)
    assert out["projects"] == k.projects
    assert out["budget"] == pytest.approx(k.budget)


def test_cli_summary_searches_as_the_app_does(capsys):
    assert cli_main(["summary", "--search", "SANTE", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    df, _ = load_bundled_portfolio()
    titles = df[S.COL_TITLE].str.lower() + " " + df[S.COL_DESCRIPTION].str.lower()
    by_hand = df[titles.str.contains("santé|sante", regex=True)]
    assert out["filters"] == "Search: “SANTE”"
    assert out["projects"] == by_hand[S.COL_PROJECT_ID].nunique() > 0
    assert out["budget"] == pytest.approx(by_hand[S.COL_BUDGET].sum())


def test_cli_summary_takes_the_new_filters(capsys):
    args = ["--funder", "Germany", "--sdg", "3", "--humanitarian", "no", "--json"]
    assert cli_main(["summary", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    df, _ = load_bundled_portfolio()
    by_hand = df[
        df[S.COL_FUNDERS].str.split("; ").map(lambda names: "Germany" in names)
        & df[S.COL_SDG_TAGS].map(
            lambda tags: "3" in {t.split(".")[0] for t in tags.split(";")}
        )
        & ~df[S.COL_HUMANITARIAN]
    ]
    assert out["projects"] == by_hand[S.COL_PROJECT_ID].nunique()


def test_cli_rejects_an_unknown_filter_value_with_exit_code_2(capsys):
    assert cli_main(["summary", "--sector", "Hlth"]) == 2
    assert "--sector" in capsys.readouterr().err


def test_cli_quality_lists_checks(capsys):
    assert cli_main(["quality", "--json"]) == 0
    checks = {c["key"]: c for c in json.loads(capsys.readouterr().out)}
    df, _ = load_bundled_portfolio()
    assert checks["sector_inferred"]["rows"] == int(
        (df[S.COL_SECTOR_SOURCE] == "inferred").sum()
    )
    assert checks["no_spend"]["rows"] == int((~df[S.COL_SPEND_REPORTED]).sum())


def test_synth_resamples_real_rows_and_marks_them(tmp_path, capsys):
    out = tmp_path / "synth.parquet"
    assert cli_main(["synth", "--projects", "500", "--out", str(out)]) == 0
    df = pd.read_parquet(out)
    real, _ = load_bundled_portfolio()
    assert len(df) == 500
    assert df[S.COL_TITLE].str.startswith("SYNTHETIC").all()
    assert set(df[S.COL_COUNTRY]) <= set(real[S.COL_COUNTRY])
    assert set(df[S.COL_BUDGET]) <= set(real[S.COL_BUDGET])


def test_building_nothing_gives_an_empty_table_with_the_schema():
    got, report, as_of = build_portfolio([], as_of=date(2021, 1, 1))
    assert list(got.columns) == list(S.COLUMNS)
    assert len(got) == 0
    assert report.problems == []
    assert as_of == date(2021, 1, 1)


def test_packing_rows_in_batches_of_one_changes_nothing():
    acts, _ = parse_file(FIXTURE)
    whole = PortfolioStream(batch_rows=4096)
    single = PortfolioStream(batch_rows=1)
    for act in acts:
        whole.add(act)
        single.add(act)
    want, want_report, _ = whole.finish()
    got, got_report, _ = single.finish()
    pd.testing.assert_frame_equal(got, want)
    assert got_report.problems == want_report.problems


def test_replace_swaps_rows_problems_and_data_date_in_place():
    acts, _ = parse_file(FIXTURE)
    first, *rest = acts
    stream = PortfolioStream(batch_rows=1)
    slots = [stream.add(a) for a in acts]
    newest = max(a.last_updated for a in acts)[:10]
    assert stream.data_date() == date.fromisoformat(newest)
    # the first slot now holds the last activity; the last slot a copy of the first
    stream.replace(slots[0], acts[-1])
    stream.replace(slots[-1], first)
    got, report, _ = stream.finish(as_of=date(2021, 1, 1))
    order = [acts[-1], *rest[:-1], first]
    want, want_report, _ = build_portfolio(order, as_of=date(2021, 1, 1))
    pd.testing.assert_frame_equal(got, want)
    assert report.problems == want_report.problems


def test_streaming_build_does_not_hold_the_activities():
    acts, _ = parse_file(FIXTURE)
    refs: list[weakref.ref] = []

    def fresh():
        for _ in range(50):
            for act in parse_file(FIXTURE)[0]:
                refs.append(weakref.ref(act))
                yield act

    build_portfolio(fresh(), as_of=date(2021, 1, 1))
    gc.collect()
    assert len(refs) == 50 * len(acts)
    assert sum(r() is not None for r in refs) == 0


def test_the_bundled_cache_key_changes_with_a_codelist_the_build_reads(
    tmp_path, monkeypatch
):
    """A corrected codelist (e.g. a sector's name) must rebuild the cached table."""
    import shutil

    from src.portfolio import load, paths

    folder = tmp_path / "codelists"
    shutil.copytree(paths.CODELIST_DIR, folder)
    monkeypatch.setattr(paths, "CODELIST_DIR", folder)
    before = load.fingerprint(load._inputs())
    sector = folder / "Sector.xml"  # where the build reads sector names
    text = sector.read_text(encoding="utf-8")
    assert "Basic health care" in text  # code 12220's name in the IATI codelist
    sector.write_text(text.replace("Basic health care", "Basic healthcare"), "utf-8")
    assert load.fingerprint(load._inputs()) != before
