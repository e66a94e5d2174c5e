"""The funding cliff in the engine: the "end" and "extend" levers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from src.engine.cliff import EXTEND_MONTHS, cliff_scenarios
from src.engine.examples import three_projects
from src.engine.montecarlo import run
from src.engine.scenario import Lever, Scenario
from src.portfolio import schema as S
from src.portfolio.activity_tables import budget_table

AS_OF = date(2022, 1, 1)
SCEN = Scenario(trials=64, seed=11)


def _portfolio() -> pd.DataFrame:
    """A: ends 2022-07-02 (182 days after the data date), B: ends 2024, C: 2024."""
    df = three_projects()
    df.loc[0, S.COL_END] = pd.Timestamp("2022-07-02")
    df[S.COL_STATUS] = "Implementation"
    df[S.COL_END_ACTUAL] = pd.NaT
    df[S.COL_COUNTRY_SHARE] = 1.0
    return df


def _run(df: pd.DataFrame, scenario: Scenario):
    return run(df, scenario, as_of=AS_OF, row_quantiles=False)


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        ("end", -3, "below 0 months"),
        ("end", 27, "above 24 months"),
        ("extend", 42, "above 36 months"),
    ],
)
def test_end_and_extend_levers_have_one_validation_range(kind, change, message):
    with pytest.raises(ValueError, match=message):
        Scenario(levers=(Lever(kind, change, projects=("A",)),))


def test_a_lever_on_a_project_the_portfolio_lacks_is_refused():
    scen = SCEN.with_changes(levers=(Lever("end", 0, projects=("nope",)),))
    with pytest.raises(ValueError, match="projects"):
        _run(_portfolio(), scen)


def test_a_project_ended_at_its_planned_end_spends_nothing_after_it():
    df = _portfolio().iloc[[0]].reset_index(drop=True)
    base = _run(df, SCEN).quarterly.set_index("quarter")
    end = _run(df, SCEN.with_changes(levers=(Lever("end", 0, projects=("A",)),)))
    cut = end.quarterly.set_index("quarter")
    # The stop is 182 days = 5.98 months after the data date: in quarter 2.
    # Before it the project follows its own spend curve (same draws) …
    assert cut.loc[1, "mean"] == pytest.approx(base.loc[1, "mean"], rel=1e-5)
    # … after it nothing is spent, where the baseline (late as a rule) spends.
    assert (cut.loc[3:, "mean"] == 0).all()
    assert base.loc[3:, "mean"].sum() > 0
    scope = end.portfolio.set_index("metric").loc["delivered_scope_share", "p50"]
    assert scope < 1.0


def test_an_end_lever_changes_nothing_for_rows_it_does_not_target():
    lever = Lever("end", 0, projects=("A",))
    scen = SCEN.with_changes(levers=(lever,))
    both = run(_portfolio(), scen, as_of=AS_OF).rows.set_index("project_id")
    base = run(_portfolio(), SCEN, as_of=AS_OF).rows.set_index("project_id")
    col = "completion_p50_months"
    for pid in ("B", "C"):
        assert both.loc[pid, col] == pytest.approx(base.loc[pid, col])
    assert both.loc["A", col] < base.loc["A", col]


def test_extend_is_the_same_as_the_plan_extended_and_funded():
    df = _portfolio()
    ext = _run(df, SCEN.with_changes(levers=(Lever("extend", 12, projects=("B",)),)))
    planned = df.copy()
    months = (planned.loc[1, S.COL_END] - planned.loc[1, S.COL_START]).days / 30.4375
    planned.loc[1, S.COL_END] += pd.Timedelta(days=12 * 30.4375)
    planned.loc[1, S.COL_BUDGET] *= 1 + 12 / months
    direct = _run(planned, SCEN)
    assert_frame_equal(
        ext.portfolio.drop(columns="label", errors="ignore"),
        direct.portfolio.drop(columns="label", errors="ignore"),
        rtol=1e-5,
    )
    assert_frame_equal(ext.delivery, direct.delivery, rtol=1e-5)


def test_the_cliff_scenarios_equal_the_scenarios_built_by_hand():
    df = _portfolio()
    # B has a budget starting after its planned end (a successor): not on the cliff.
    budgets = budget_table(
        [
            {
                S.COL_PROJECT_ID: "B",
                S.BG_KIND: "budget",
                S.BG_TYPE: "1",
                S.BG_STATUS: "2",
                S.BG_START: pd.Timestamp("2024-02-01"),
                S.BG_END: pd.Timestamp("2024-12-31"),
                S.BG_VALUE: 1.0,
                S.BG_CURRENCY: "USD",
                S.BG_USD: 1.0,
                S.BG_COUNTED: True,
            }
        ]
    )
    end, extend = cliff_scenarios(df, budgets, AS_OF, months=24, base=SCEN)
    # Within 24 months: A (2022-07) and C (2024-01-01 is 24 months on); B is funded.
    by_hand = SCEN.with_changes(levers=(Lever("end", 0, projects=("A", "C")),))
    assert end == by_hand
    assert_frame_equal(_run(df, end).portfolio, _run(df, by_hand).portfolio)
    lever = Lever("extend", EXTEND_MONTHS, projects=("A", "C"))
    assert extend == SCEN.with_changes(levers=(lever,))
    with pytest.raises(ValueError, match="no project"):
        cliff_scenarios(df, budgets, AS_OF, months=1, base=SCEN)
