"""Continuity and handover: indicators against hand-computed values."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from src.portfolio import continuity as C
from src.portfolio import schema as S
from src.portfolio.activity_tables import budget_table

AS_OF = date(2021, 6, 1)
# p5's one budget runs 2021-03-01 … 2022-08-31: 306 days in 2021 of 549.
P5_2021 = 30 * 306 / 549
P6_2021 = 10 * 90 / 365  # 2020-04-01 … 2021-03-31: 90 days in 2021 of 365


def _portfolio() -> pd.DataFrame:
    """Seven projects (p7 in two countries); p4 is closed, p6 overdue."""
    rows = [
        ("p1", "AAA", 1.0, 100.0, "Implementation", "2020-01-01", "2021-12-31"),
        ("p2", "AAA", 1.0, 200.0, "Implementation", "2021-01-01", "2022-03-31"),
        ("p3", "BBB", 1.0, 400.0, "Implementation", "2019-01-01", "2023-12-31"),
        ("p4", "BBB", 1.0, 50.0, "Closed", "2021-01-01", "2021-09-30"),
        ("p5", "AAA", 1.0, 30.0, "Implementation", "2021-03-01", "2022-08-31"),
        ("p6", "BBB", 1.0, 10.0, "Implementation", "2020-04-01", "2021-03-31"),
        ("p7", "AAA", 0.25, 10.0, "Implementation", "2021-01-01", "2021-12-31"),
        ("p7", "BBB", 0.75, 30.0, "Implementation", "2021-01-01", "2021-12-31"),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            S.COL_PROJECT_ID, S.COL_COUNTRY, S.COL_COUNTRY_SHARE, S.COL_BUDGET,
            S.COL_STATUS, S.COL_START, S.COL_END,
        ],
    )  # fmt: skip
    df[S.COL_START] = pd.to_datetime(df[S.COL_START])
    df[S.COL_END] = pd.to_datetime(df[S.COL_END])
    df[S.COL_END_ACTUAL] = pd.NaT
    df[S.COL_TITLE] = df[S.COL_PROJECT_ID]
    df[S.COL_AGENCY] = "X"
    df[S.COL_SECTOR_GROUP] = "Health"
    return df


def _b(pid, start, end, usd, kind="budget", counted=True):
    return {
        S.COL_PROJECT_ID: pid,
        S.BG_KIND: kind,
        S.BG_TYPE: "1",
        S.BG_STATUS: "1",
        S.BG_START: pd.Timestamp(start),
        S.BG_END: pd.Timestamp(end),
        S.BG_VALUE: usd,
        S.BG_CURRENCY: "USD",
        S.BG_USD: usd,
        S.BG_COUNTED: counted,
    }


def _budgets() -> pd.DataFrame:
    return budget_table(
        [
            _b("p1", "2020-01-01", "2020-12-31", 50.0),
            _b("p1", "2021-01-01", "2021-12-31", 50.0),
            _b("p2", "2021-01-01", "2021-12-31", 120.0),
            _b("p2", "2022-01-01", "2022-03-31", 80.0),  # ends at the end: not after
            # a planned disbursement after the planned end: forward funding
            _b("p2", "2022-04-01", "2022-12-31", 60.0, "planned_disbursement", False),
            *[_b("p3", f"{y}-01-01", f"{y}-12-31", 100.0) for y in range(2020, 2024)],
            _b("p4", "2021-01-01", "2021-12-31", 50.0),
            _b("p5", "2021-03-01", "2022-08-31", 30.0),
            _b("p5", "2022-09-01", "2022-12-31", 0.0),  # zero: no forward funding
            _b("p6", "2020-04-01", "2021-03-31", 10.0),
            _b("p7", "2021-01-01", "2021-12-31", 40.0),
        ]
    )


def test_the_cliff_counts_active_projects_ending_without_a_later_budget():
    cliff = C.cliff(_portfolio(), _budgets(), AS_OF).set_index("months")
    # 12 months: p1 (100) and p7 in both countries (10 + 30); p2 has a planned
    # disbursement after its end, p4 is closed, p6 ended before the data date.
    assert cliff.loc[12, "projects"] == 2
    assert cliff.loc[12, "rows"] == 3
    assert cliff.loc[12, "budget_usd"] == pytest.approx(140.0)
    # Active budget: p1 100, p2 200, p3 400, p5 30, p6 10, p7 40.
    assert cliff.loc[12, "share_of_active_budget"] == pytest.approx(140 / 780)
    assert cliff.loc[24, "budget_usd"] == pytest.approx(170.0)  # + p5 (zero budget)
    assert cliff.loc[36, "budget_usd"] == pytest.approx(570.0)  # + p3
    assert cliff.loc[36, "projects"] == 4


def test_without_published_budget_periods_every_ending_project_is_on_the_cliff():
    empty = budget_table([])
    cliff = C.cliff(_portfolio(), empty, AS_OF).set_index("months")
    assert cliff.loc[12, "budget_usd"] == pytest.approx(140.0 + 200.0)  # + p2
    cov = C.coverage(_portfolio(), empty, AS_OF)
    assert cov.budget_periods is False
    assert cov.with_budget_periods == 0


def test_coverage_counts_rows_active_rows_and_projects_with_budgets():
    cov = C.coverage(_portfolio(), _budgets(), AS_OF)
    assert (cov.rows, cov.active, cov.with_end, cov.with_dates) == (8, 7, 7, 8)
    assert (cov.projects, cov.with_budget_periods, cov.budget_periods) == (7, 7, True)


def test_multi_year_share_counts_plans_of_24_months_or_more():
    out = C.multi_year(_portfolio())
    # Only p3 (5 years); p1 runs 730 days = 23.98 months.
    assert out["rows"] == 8
    assert out["multi_year_rows"] == 1
    assert out["share_budget"] == pytest.approx(400 / 830)
    assert out["share_rows"] == pytest.approx(1 / 8)


def test_forward_visibility_of_this_years_budget():
    fv = C.forward_visibility(_portfolio(), _budgets(), AS_OF).set_index("year")
    base = 50 + 120 + 100 + 50 + P5_2021 + P6_2021 + 40
    assert fv.loc[2022, "base_usd"] == pytest.approx(base)
    # 2022: p2 (planned disbursement and budget), p3, p5 (its period runs into 2022)
    assert fv.loc[2022, "share"] == pytest.approx((120 + 100 + P5_2021) / base)
    assert fv.loc[2023, "share"] == pytest.approx(100 / base)
    assert fv.loc[2024, "share"] == pytest.approx(0.0)


def test_new_versus_continuing_budget_by_year():
    out = C.new_vs_continuing(_portfolio(), _budgets()).set_index("year")
    assert out.loc[2021, "new_usd"] == pytest.approx(120 + 50 + P5_2021 + 40)
    assert out.loc[2021, "continuing_usd"] == pytest.approx(50 + 100 + P6_2021)
    assert out.loc[2020, "new_usd"] == pytest.approx(50 + 10 - P6_2021)
    assert out.loc[2020, "continuing_usd"] == pytest.approx(100)


def test_the_runway_lists_active_rows_with_forward_budget_and_horizon():
    out = C.runway(_portfolio(), _budgets(), AS_OF)
    assert "p4" not in set(out[S.COL_PROJECT_ID])
    by = out.groupby(S.COL_PROJECT_ID)
    cliff = by["cliff_months"].first()
    assert cliff["p1"] == 12
    assert cliff["p5"] == 24
    assert cliff["p3"] == 36
    assert np.isnan(cliff["p2"])
    assert np.isnan(cliff["p6"])
    forward = by["forward_budget_usd"].sum()
    assert forward["p2"] == pytest.approx(80.0)  # budgets only, not the PD
    assert forward["p3"] == pytest.approx(200.0)
    assert forward["p5"] == pytest.approx(30 * 243 / 549)
    assert list(out[S.COL_END]) == sorted(out[S.COL_END])


def test_bundled_budgets_beyond_2021_match_the_xml():
    """Activities with a budget period ending after 2021, counted with lxml."""
    from lxml import etree

    from src.portfolio import paths
    from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables

    expected = {}
    for path in paths.bundled_iati_files():
        for act in etree.parse(str(path)).iter("iati-activity"):
            ends = [
                e.get("iso-date", "")
                for e in act.iterfind("budget/period-end")
                if e.get("iso-date")
            ]
            if any(d[:4] > "2021" for d in ends):
                org = act.findtext("reporting-org/narrative")
                expected.setdefault(org, set()).add(act.findtext("iati-identifier"))
    df, _ = load_bundled_portfolio()
    bg = load_bundled_side_tables().budgets
    later = bg[(bg[S.BG_KIND] == "budget") & (bg[S.BG_END].dt.year > 2021)]
    agency = df.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)
    got = later[S.COL_PROJECT_ID].map(agency[S.COL_AGENCY])
    counts = later.assign(agency=got).groupby("agency")[S.COL_PROJECT_ID].nunique()
    assert {k: len(v) for k, v in expected.items()} == counts.to_dict()
    # The figures: 85 UNOPS, 41 FAO, 60 IOM, 37 UNDP, 19 UNICEF, no WHO.
    assert sorted(len(v) for v in expected.values()) == [19, 37, 41, 60, 85]


def _xml_cliff(iso2: str, as_of: date) -> dict[int, set[str]]:
    """Projects on the cliff in one country, read from the raw XML with lxml.

    Active: status not closed/cancelled (4, 5) and no actual end (type 4) on
    or before the data date; end: the planned end (type 3), else the last
    budget period end; no positive budget or planned disbursement starting
    after that end.
    """
    from lxml import etree

    from src.portfolio import paths

    def day(text: str | None) -> pd.Timestamp | None:
        return pd.Timestamp(text[:10]) if text else None

    asof = pd.Timestamp(as_of)
    out: dict[int, set[str]] = {12: set(), 24: set(), 36: set()}
    for path in paths.bundled_iati_files():
        for act in etree.parse(str(path)).iter("iati-activity"):
            codes = {c.get("code") for c in act.iterfind("recipient-country")}
            status = act.find("activity-status")
            if iso2 not in codes or (status is not None and status.get("code") in "45"):
                continue
            dates = {
                d.get("type"): day(d.get("iso-date"))
                for d in act.iterfind("activity-date")
            }
            if dates.get("4") is not None and dates["4"] <= asof:
                continue
            ends = [day(e.get("iso-date")) for e in act.iterfind("budget/period-end")]
            end = dates.get("3") or max(
                (e for e in ends if e is not None), default=None
            )
            if end is None:
                continue
            later = False
            for el in [*act.iterfind("budget"), *act.iterfind("planned-disbursement")]:
                start = el.find("period-start")
                when = day(start.get("iso-date")) if start is not None else None
                if when is None:
                    stop = el.find("period-end")
                    when = day(stop.get("iso-date")) if stop is not None else None
                if (
                    float(el.findtext("value") or 0) > 0
                    and when is not None
                    and when > end
                ):
                    later = True
            for h in out:
                if not later and asof < end <= asof + pd.DateOffset(months=h):
                    out[h].add(act.findtext("iati-identifier"))
    return out


def test_the_cli_prints_the_cliff_recomputed_from_the_xml(capsys):
    import json

    from src.cli.main import main

    assert main(["coordination", "--country", "BGD", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _xml_cliff("BD", date.fromisoformat(out["cliff"]["as_of"]))
    got = {h["months"]: h["projects"] for h in out["cliff"]["horizons"]}
    assert got == {h: len(ids) for h, ids in expected.items()}
    (bgd,) = out["countries"]
    assert bgd["cliff_12_projects"] == len(expected[12])
    assert out["cliff"]["coverage"]["budget_periods"] is True
