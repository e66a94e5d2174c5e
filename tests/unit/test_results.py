"""Results ladder: value repair, achievement, ladder, findings, fix rows, CLI.

Hand-made IATI activities (built below) against hand-computed values, and the
bundled counts recomputed from the raw XML with lxml.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter

import pytest
from lxml import etree

from src.iati.parser import parse_file
from src.portfolio import results as R
from src.portfolio import schema as S
from src.portfolio.build import PortfolioStream
from src.portfolio.context_trends import HDI_FILE, hdi_trend
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from src.portfolio.paths import bundled_iati_files


def _activity(ident: str, sector: str, budget: int, results: str) -> str:
    return f"""
 <iati-activity default-currency="USD" last-updated-datetime="2021-05-01T00:00:00">
  <iati-identifier>{ident}</iati-identifier>
  <reporting-org ref="XX" type="40"><narrative>Org X</narrative></reporting-org>
  <title><narrative>Project {ident}</narrative></title>
  <recipient-country code="KE" percentage="100"/>
  <sector vocabulary="1" code="{sector}" percentage="100"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <activity-date type="3" iso-date="2022-12-31"/>
  <budget><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
   <value value-date="2021-01-01">{budget}</value></budget>
  {results}
 </iati-activity>"""


HEALTH, EDUCATION = "12220", "11220"
A1 = """
  <result type="1"><title><narrative>Clinics</narrative></title>
   <indicator ascending="0" measure="1">
    <title><narrative>Staff trained</narrative></title>
    <baseline year="2019" value="0"/>
    <period><period-end iso-date="2020-12-31"/>
     <target value="2020:2160"/><actual value="1,080"/></period>
   </indicator>
   <indicator ascending="0"><title><narrative>Guide written</narrative></title>
    <baseline value="0"/>
    <period><target value="10"/>
     <actual><comment><narrative>In progress</narrative></comment></actual></period>
   </indicator></result>
  <result type="2"><title><narrative>Use of clinics</narrative></title>
   <indicator><title><narrative>Visits per month</narrative></title>
    <baseline value="10"/>
    <period><target value="10"/><actual value="12"/></period>
   </indicator></result>"""
A3 = """
  <result type="1"><title><narrative>Fewer cases</narrative></title>
   <indicator ascending="0"><title><narrative>Cases</narrative></title>
    <baseline value="100"/>
    <period><period-end iso-date="2020-12-31"/>
     <target value="60"/><actual value="75"/></period>
    <period><period-end iso-date="2021-12-31"/><target value="50"/></period>
   </indicator></result>"""
A4 = """
  <result type="3"><title><narrative>Health</narrative></title>
   <indicator ascending="0"><title><narrative>Deaths</narrative></title>
    <baseline value="5.000"/>
    <period><target value=":"/></period>
   </indicator></result>"""
XML = (
    '<?xml version="1.0"?>\n<iati-activities version="2.03">'
    + _activity("A1", HEALTH, 1000, A1)
    + _activity("A2", EDUCATION, 3000, "")
    + _activity("A3", HEALTH, 2000, A3)
    + _activity("A4", HEALTH, 1000, A4)
    + "\n</iati-activities>"
).encode()


@pytest.fixture(scope="module")
def built():
    acts, _ = parse_file(io.BytesIO(XML), file_name="r.xml")
    stream = PortfolioStream(side_tables=True)
    for act in acts:
        stream.add(act)
    df, _, _ = stream.finish()
    return df, R.indicators(stream.side_tables().details)


@pytest.mark.parametrize(
    ("text", "number", "state", "year", "repairs"),
    [
        ("2160", 2160.0, R.NUMBER, "", ""),
        ("2020:2160", 2160.0, R.REPAIRED, "2020", "year"),
        ("1,080", 1080.0, R.REPAIRED, "", "separators"),
        ("2020:20,000", 20000.0, R.REPAIRED, "2020", "year+separators"),
        ("45%", 45.0, R.REPAIRED, "", "percent"),
        (":", None, R.MISSING, "", ""),
        ("2020:", None, R.MISSING, "", ""),
        ("", None, R.MISSING, "", ""),
        ("2020:5.000", None, R.AMBIGUOUS, "", ""),
        ("0.500", 0.5, R.NUMBER, "", ""),
        ("1,5", None, R.TEXT, "", ""),
        ("2020:Yes", None, R.TEXT, "", ""),
        ("In progress", None, R.TEXT, "", ""),
    ],
)
def test_published_values_are_read_and_every_repair_flagged(
    text, number, state, year, repairs
):
    value = R.read_value(text)
    assert (value.number, value.state, value.year, value.repairs) == (
        number,
        state,
        year,
        repairs,
    )


def test_indicators_pair_target_and_actual_by_period_and_compute_achievement(built):
    _, table = built
    ind = table.set_index("indicator")
    assert len(table) == 5
    # 1,080 of 2,160 from 0
    assert ind.at["Staff trained", "achievement"] == pytest.approx(0.5)
    assert ind.at["Staff trained", "target_repairs"] == "year"
    assert ind.at["Staff trained", "actual_repairs"] == "separators"
    assert ind.at["Staff trained", "period_end"] == "2020-12-31"
    # the actual 75 is the 2020 period's: target 60, not the later 50
    assert ind.at["Cases", "target_value"] == 60.0
    assert ind.at["Cases", "achievement"] == pytest.approx((75 - 100) / (60 - 100))
    # target == baseline: no distance to cover, no achievement
    assert ind.at["Visits per month", "numeric"]
    assert math.isnan(ind.at["Visits per month", "achievement"])
    assert ind.at["Guide written", "actual"] == "In progress"  # shown as published
    assert ind.at["Guide written", "actual_state"] == R.COMMENT  # never read
    assert not ind.at["Guide written", "numeric"]
    assert ind.at["Deaths", "baseline_state"] == R.AMBIGUOUS
    assert ind.at["Deaths", "target_state"] == R.MISSING


def test_ascending_zero_is_reported_not_used(built):
    df, table = built
    ind = table.set_index("indicator")
    # flag 0 (lower is better) with a target above the baseline: a contradiction
    assert ind.at["Staff trained", "ascending_conflict"]
    assert not ind.at["Cases", "ascending_conflict"]  # 0 and a falling target
    (row,) = R.ascending_findings(df, table).to_dict("records")
    assert row == {
        "publisher": "Org X",
        "indicators": 5,
        "ascending_zero": 4,
        "all_zero": False,
        "directed": 2,
        "conflicts": 1,
    }


def test_the_ladder_per_sector_with_budget_shares(built):
    df, table = built
    lad = R.ladder(df, table).set_index(["sector", "rung"])
    # Health: A1 (1000), A3 (2000), A4 (1000); Education: A2 (3000)
    health = {r: lad.loc[("Health", r)] for r in R.RUNGS}
    assert [health[r]["projects"] for r in R.RUNGS] == [3, 2, 1, 1, 2]
    assert health["output"]["budget_usd"] == pytest.approx(3000)
    assert health["output"]["share_budget"] == pytest.approx(0.75)
    assert health["outcome"]["share_budget"] == pytest.approx(0.25)
    assert health["numeric"]["share_projects"] == pytest.approx(2 / 3)
    total = {r: lad.loc[("total", r)] for r in R.RUNGS}
    assert [total[r]["projects"] for r in R.RUNGS] == [4, 2, 1, 1, 2]
    assert total["output"]["share_budget"] == pytest.approx(3000 / 7000)
    assert lad.loc[("Education", "output")]["projects"] == 0
    med = R.achievement_by_sector(df, table).set_index("sector")
    assert med.at["Health", "median"] == pytest.approx((0.5 + 0.625) / 2)
    assert (med.at["Health", "indicators"], med.at["Health", "projects"]) == (2, 2)
    cov = R.coverage(df, table)
    assert (cov.projects, cov.with_indicators, cov.indicators) == (4, 3, 5)
    assert (cov.numeric, cov.achievement, cov.repaired) == (3, 2, 2)


def test_fix_rows_list_what_is_missing_in_the_shared_shape(built):
    df, table = built
    fix = R.fix_rows(df, table)
    assert tuple(fix.columns) == (
        "publisher",
        "indicator",
        "missing",
        "total",
        "unit",
        "what",
    )
    got = {r.indicator: (r.missing, r.total, r.unit) for r in fix.itertuples()}
    assert got == {
        "result indicators": (1, 4, "projects"),
        "outcome indicators": (3, 4, "projects"),
        "numeric baseline, target and actual": (2, 5, "indicators"),
        "values written as text": (2, 15, "values"),
        "values with dot-grouped digits": (1, 15, "values"),
        "values given only as comments": (1, 15, "values"),
        "ascending flag against the target": (1, 2, "indicators"),
    }
    assert set(fix["publisher"]) == {"Org X"}
    fr = R.fix_rows(df, table, lang="fr")
    assert "indicateurs d'effet" in set(fr["indicator"])


def test_fix_row_and_state_keys_exist_in_every_language():
    from src.i18n import LANGUAGES, catalog

    keys = {f"results.rung.{r}" for r in R.RUNGS}
    keys |= {f"results.state.{s}" for s in (R.TEXT, R.MISSING, R.AMBIGUOUS, R.COMMENT)}
    keys |= {f"results.repair.{r}" for r in ("year", "separators", "percent")}
    for name in (
        "indicators",
        "outcome",
        "numeric",
        "repaired",
        "ambiguous",
        "comment",
    ):
        keys |= {f"fix.results.{name}", f"fix.results.{name}.what"}
    keys |= {"fix.results.ascending_default", "fix.results.ascending_default.what"}
    keys |= {"fix.results.ascending_conflict", "fix.results.ascending_conflict.what"}
    keys |= {f"fix.unit.{u}" for u in ("projects", "indicators", "values")}
    for lang in LANGUAGES:
        assert keys <= set(catalog(lang)), lang


def _raw_indicators() -> dict[str, dict[str, object]]:
    """Per bundled file, from the XML: indicators, types, flags, projects."""
    out = {}
    for path in bundled_iati_files():
        tree = etree.parse(str(path))
        inds = tree.xpath("//iati-activity/result/indicator")
        year_prefixed = sum(
            1
            for i in inds
            for e in i.xpath("period/target|period/actual")
            if re.fullmatch(r"\d{4}:\d+(\.\d\d)?", e.get("value") or "")
        )
        out[path.name.split("_")[0]] = {
            "indicators": len(inds),
            "types": Counter(i.getparent().get("type") for i in inds),
            "ascending_zero": sum(i.get("ascending") == "0" for i in inds),
            "projects": len(tree.xpath("//iati-activity[result/indicator]")),
            "year_prefixed": year_prefixed,
            "baseline_comments": sum(
                1
                for b in tree.xpath("//iati-activity/result/indicator/baseline")
                if not (b.get("value") or "").strip()
                and any((n.text or "").strip() for n in b.xpath("comment/narrative"))
            ),
        }
    return out


def test_bundled_result_indicators_match_the_xml():
    raw = _raw_indicators()
    assert raw["undp"]["indicators"] == 129
    assert raw["unicef"]["indicators"] == 160
    assert all(
        r["indicators"] == 0 for k, r in raw.items() if k not in {"undp", "unicef"}
    )
    assert raw["undp"]["types"] == Counter({"1": 129})  # all outputs
    assert raw["unicef"]["types"] == Counter({"1": 160})  # none outcome
    df, _ = load_bundled_portfolio()
    table = R.indicators(load_bundled_side_tables().details)
    prefix = table[S.COL_PROJECT_ID].str.extract(r"^(XM-DAC-\d+)")[0]
    for key, ref in (("undp", "XM-DAC-41114"), ("unicef", "XM-DAC-41122")):
        mine = table[prefix == ref]
        assert len(mine) == raw[key]["indicators"]
        assert (mine["ascending"] == "0").sum() == raw[key]["ascending_zero"]
        assert mine[S.COL_PROJECT_ID].nunique() == raw[key]["projects"]
        flags = (mine["target_repairs"] == "year").sum() + (
            mine["actual_repairs"] == "year"
        ).sum()
        assert flags == raw[key]["year_prefixed"]
        comments = (mine["baseline_state"] == R.COMMENT).sum()
        assert comments == raw[key]["baseline_comments"]
    assert raw["undp"]["baseline_comments"] > 100  # UNDP writes its values as text
    assert raw["unicef"]["year_prefixed"] > 100
    lad = R.ladder(df, table).set_index(["sector", "rung"])
    projects = raw["undp"]["projects"] + raw["unicef"]["projects"]
    assert lad.loc[("total", "output"), "projects"] == projects
    assert lad.loc[("total", "outcome"), "projects"] == 0
    asc = R.ascending_findings(df, table)
    assert asc["all_zero"].all()
    assert asc["ascending_zero"].sum() == 129 + 160


def test_hdi_trend_reads_the_country_series():
    with HDI_FILE.open(encoding="utf-8") as fh:
        ken = [r for r in csv.DictReader(fh) if r["Code"] == "KEN"]
    trend = hdi_trend("KEN")
    assert len(trend) == len(ken)
    assert trend["year"].iloc[-1] == max(int(r["Year"]) for r in ken)
    last = max(ken, key=lambda r: int(r["Year"]))
    assert trend["value"].iloc[-1] == pytest.approx(
        float(last["Human Development Index"])
    )
    assert hdi_trend("XXX").empty


def test_the_cli_prints_the_ladder_with_its_coverage(capsys):
    from src.cli.main import main

    raw = _raw_indicators()
    assert main(["results", "--agency", "UNICEF", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["published"] is True
    assert out["coverage"]["projects"] == raw["unicef"]["projects"] == 62
    assert out["coverage"]["indicators"] == raw["unicef"]["indicators"]
    total = {r["rung"]: r for r in out["ladder"] if r["sector"] == "total"}
    assert total["output"]["projects"] == 62
    assert total["outcome"]["projects"] == 0
    assert total["output"]["share_budget"] == pytest.approx(1.0)
    assert {f["indicator"] for f in out["fix"]} >= {"outcome indicators"}
    assert main(["results", "--country", "XXX"]) == 2


@pytest.mark.parametrize(
    "text",
    [
        "9" * 100_000 + "x",
        "9" * 400,
        "1 " * 50_000 + "x",
        "2020:" * 20_000,
        "1,000" * 20_000,
        " :" * 50_000 + "5",
    ],
)
def test_hostile_result_values_are_read_quickly_and_never_raise(text):
    import time

    start = time.perf_counter()
    value = R.read_value(text)
    assert time.perf_counter() - start < 0.5
    assert value.state in {R.TEXT, R.MISSING, R.NUMBER, R.REPAIRED, R.AMBIGUOUS}
