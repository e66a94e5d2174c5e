"""Engine behaviour: reproducibility, CRN, known answers in the zero-variance limit."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from src.engine.examples import (
    AS_OF,
    portfolio,
    three_projects,
    unit_calibration,
)
from src.engine.montecarlo import compare, run
from src.engine.scenario import BASELINE, Lever
from src.engine.sensitivity import sensitivity
from src.portfolio import schema as S

SMALL = BASELINE.with_changes(trials=64)


def _metrics(result) -> pd.Series:
    return result.portfolio.set_index("metric")["p50"]


def test_same_seed_gives_identical_results():
    a = run(portfolio(), SMALL, as_of=AS_OF)
    b = run(portfolio(), SMALL, as_of=AS_OF)
    pd.testing.assert_frame_equal(a.trials, b.trials)
    pd.testing.assert_frame_equal(a.rows, b.rows)
    pd.testing.assert_frame_equal(a.groups, b.groups)


def test_different_seeds_differ():
    a = run(portfolio(), SMALL, as_of=AS_OF, seed=1)
    b = run(portfolio(), SMALL, as_of=AS_OF, seed=2)
    assert not a.trials["mean_delay_months"].equals(b.trials["mean_delay_months"])


def test_results_do_not_depend_on_chunk_size():
    a = run(portfolio(), SMALL, as_of=AS_OF, chunk_size=8)
    b = run(portfolio(), SMALL, as_of=AS_OF, chunk_size=64)
    pd.testing.assert_frame_equal(a.trials, b.trials)


SLICE_LEVERS = (
    Lever("budget", -40, regions=("South Asia",)),
    Lever("capacity", 30, sectors=("Health", "Education")),
    Lever("capacity", -20, countries=("KEN",)),
)


def _ramp_paths(monkeypatch, path: str) -> list:
    """Force the ramp path ("runs" or "scattered"); return the ramp rows built."""
    from src.engine import kernel

    if path == "scattered":
        monkeypatch.setattr(kernel, "MAX_RUNS", 0)
    built = []
    queue_inputs = kernel._queue_inputs

    def spy(*args, **kwargs):
        qconst, ramp = queue_inputs(*args, **kwargs)
        built.append(ramp)
        return qconst, ramp

    monkeypatch.setattr(kernel, "_queue_inputs", spy)
    return built


@pytest.mark.parametrize("path", ["runs", "scattered"])
@pytest.mark.parametrize("policy", ["descope", "stretch", "cancel"])
def test_row_slices_change_only_spend_rounding(monkeypatch, policy, path):
    """Large portfolios run in row slices: same draws, same cell sums and
    medians; spend (summed over slices) equal up to float64 rounding. Both ramp
    paths (contiguous runs of capacity-gain rows, and the `np.take` gather
    taken with MAX_RUNS runs or more) are exercised."""
    from src.engine import montecarlo

    built = _ramp_paths(monkeypatch, path)
    scen = SMALL.with_changes(budget_policy=policy, levers=SLICE_LEVERS)
    df = portfolio(300, seed=5)
    whole = run(df, scen, as_of=AS_OF)
    monkeypatch.setattr(montecarlo, "SLICE_ROWS", 37)
    sliced = run(df, scen, as_of=AS_OF)
    with_ramp = [r for r in built if r.idx.size]
    assert len(with_ramp) >= 2  # the whole portfolio and at least one slice
    assert all((r.runs is None) == (path == "scattered") for r in with_ramp)
    spend = [c for c in whole.trials.columns if c.startswith("delivery_y")]
    exact = whole.trials.drop(columns=spend)
    pd.testing.assert_frame_equal(exact, sliced.trials.drop(columns=spend))
    pd.testing.assert_frame_equal(whole.rows, sliced.rows)
    pd.testing.assert_frame_equal(whole.groups, sliced.groups)
    pd.testing.assert_frame_equal(
        whole.trials[spend], sliced.trials[spend], check_exact=False, rtol=1e-12
    )


@pytest.mark.parametrize("policy", ["descope", "stretch"])
def test_both_ramp_paths_give_identical_results(monkeypatch, policy):
    scen = SMALL.with_changes(budget_policy=policy, levers=SLICE_LEVERS)
    df = portfolio(300, seed=5)
    runs = run(df, scen, as_of=AS_OF)
    built = _ramp_paths(monkeypatch, "scattered")
    scattered = run(df, scen, as_of=AS_OF)
    assert built[0].runs is None
    assert built[0].idx.size > 0
    pd.testing.assert_frame_equal(runs.trials, scattered.trials)
    pd.testing.assert_frame_equal(runs.rows, scattered.rows)


def test_scenario_without_levers_equals_the_baseline_exactly():
    c = compare(portfolio(), SMALL, SMALL.with_changes(levers=()), as_of=AS_OF)
    pd.testing.assert_frame_equal(c.baseline.trials, c.scenario.trials)
    assert (c.deltas[["p10", "p50", "p90"]].to_numpy() == 0).all()


@pytest.mark.parametrize(
    ("lever", "named"),
    [
        (Lever("budget", -30, countries=("XXX",)), "countries ['XXX']"),
        (Lever("capacity", 50, agencies="Nobody"), "agencies ['Nobody']"),
        (Lever("capacity", 50, regions=("Atlantis",)), "regions ['Atlantis']"),
    ],
)
def test_a_lever_on_a_target_no_row_has_is_an_error_naming_it(lever, named):
    scen = SMALL.with_changes(levers=(lever,))
    with pytest.raises(ValueError, match=re.escape(f"lever 1 targets {named}")):
        run(portfolio(), scen, as_of=AS_OF)


def test_crn_difference_has_the_expected_sign():
    scen = SMALL.with_changes(levers=(Lever("capacity", 50),))
    c = compare(portfolio(), SMALL, scen, as_of=AS_OF)
    d = c.deltas.set_index("metric")
    assert d.loc["mean_delay_months", "p90"] < 0


def test_three_projects_have_known_answers_in_the_zero_variance_limit():
    res = run(
        three_projects(),
        BASELINE.with_changes(trials=8),
        as_of=AS_OF,
        calibration=unit_calibration(),
        on_time_tolerance_months=0.5,
    )
    rows = res.rows.set_index(S.COL_PROJECT_ID)
    # A: 48-month plan, 24 months elapsed, half spent: finishes on time.
    assert rows.loc["A", "planned_months"] == pytest.approx(48.0, abs=1e-9)
    assert rows.loc["A", "delay_p50"] == pytest.approx(0.0, abs=0.05)
    # B: 25% spent at half time: the remaining 75% takes 36 months: 12 late.
    assert rows.loc["B", "delay_p50"] == pytest.approx(12.0, abs=0.05)
    assert rows.loc["B", "ratio_p50"] == pytest.approx(60 / 48, abs=1e-3)
    # C: starts in 12 months, runs 12: completes 24 months after the data date.
    assert rows.loc["C", "completion_p50_months"] == pytest.approx(24.0, abs=0.05)
    assert rows.loc["C", "delay_p50"] == pytest.approx(0.0, abs=0.05)
    assert (rows["delay_p10"] == rows["delay_p90"]).all()
    m = _metrics(res)
    assert m["on_time_rate"] == pytest.approx(2 / 3)
    assert m["mean_delay_months"] == pytest.approx(4.0, abs=0.05)
    assert m["cost_overrun_pct"] == pytest.approx(0.0, abs=1e-4)
    assert m["funding_gap_usd"] == pytest.approx(0.0, abs=1.0)
    assert m["delivered_value_usd"] == pytest.approx(3_500_000.0, rel=1e-6)
    # All remaining money (USD 2.5 m) is spent within the 48-month horizon.
    assert res.delivery["p50"].sum() == pytest.approx(2_500_000.0, rel=1e-5)
    assert res.delivery["p50"].iloc[-1] == pytest.approx(0.0, abs=1.0)


def test_descope_and_cancel_have_known_answers():
    cal = unit_calibration()
    cut = BASELINE.with_changes(trials=8, levers=(Lever("budget", -50),))
    res = run(three_projects(), cut, as_of=AS_OF, calibration=cal)
    # Each row keeps its past progress and delivers half of the remaining scope.
    assert _metrics(res)["delivered_value_usd"] == pytest.approx(2_250_000.0, rel=1e-6)
    res = run(
        three_projects(),
        cut.with_changes(budget_policy="cancel"),
        as_of=AS_OF,
        calibration=cal,
    )
    # USD 1.25 m to save: C (least advanced) and B are cancelled, A continues.
    assert res.rows.set_index(S.COL_PROJECT_ID)["cancelled"].to_dict() == {
        "A": False,
        "B": True,
        "C": True,
    }
    stretch = run(
        three_projects(),
        cut.with_changes(budget_policy="stretch"),
        as_of=AS_OF,
        calibration=cal,
    )
    rows = stretch.rows.set_index(S.COL_PROJECT_ID)
    # Half the funding rate doubles the remaining time of A: 24 → 48 months.
    assert rows.loc["A", "completion_p50_months"] == pytest.approx(48.0, abs=0.1)
    assert _metrics(stretch)["delivered_scope_share"] == pytest.approx(1.0)


def test_descope_elasticity_has_the_known_answer_in_the_zero_variance_limit():
    """Scope = min(1, φ / min(cost ratio, 1))^ε on cut rows, (1 + x)^ε on rows
    with an absorbed increase x; cost ratio 1, so value = Σ B·(p + (1 − p)·s)."""
    eps = 0.5
    cal = unit_calibration().with_values(budget__descope_elasticity=eps)
    scen = BASELINE.with_changes(
        trials=8,
        levers=(
            Lever("budget", -50, sectors=("Health",)),  # A: φ = 0.5
            Lever("budget", 10, sectors=("Energy",)),  # C: +10% (headroom 12.5%)
        ),
    )
    res = run(three_projects(), scen, as_of=AS_OF, calibration=cal)
    # A: B 1 m, p 0.5; B: B 2 m, p 0.25, untouched; C: B 0.5 m, p 0.
    expected = 1_000_000 * (0.5 + 0.5 * 0.5**eps) + 2_000_000 + 500_000 * 1.1**eps
    assert _metrics(res)["delivered_value_usd"] == pytest.approx(expected, rel=1e-6)
    shares = res.trials["delivered_scope_share"]
    assert (shares == shares.iloc[0]).all()  # zero variance: every trial equal
    assert shares.iloc[0] == pytest.approx(expected / 3_500_000, rel=1e-6)


def test_outputs_have_the_documented_shape():
    res = run(portfolio(), SMALL, as_of=AS_OF)
    assert len(res.rows) == 40
    assert list(res.rows[S.COL_PROJECT_ID]) == list(portfolio()[S.COL_PROJECT_ID])
    assert set(res.groups["dimension"]) == {
        S.COL_SECTOR_GROUP,
        S.COL_REGION,
        S.COL_COUNTRY,
    }
    assert len(res.delivery) == 4
    assert len(res.quarterly) == 16
    assert np.isfinite(res.portfolio[["p10", "p50", "p90"]].to_numpy()).all()


def test_bad_portfolio_fails_loudly():
    with pytest.raises(ValueError, match="lacks column"):
        run(portfolio().drop(columns=[S.COL_BUDGET]), SMALL, as_of=AS_OF)
    bad = portfolio().astype({S.COL_SPENT: object})
    bad.loc[0, S.COL_SPENT] = "lots"
    with pytest.raises(ValueError, match="not numbers"):
        run(bad, SMALL, as_of=AS_OF)


def test_sensitivity_lists_levers_and_parameters_as_columns():
    from src.engine.calibration import load_calibration

    scen = SMALL.with_changes(levers=(Lever("budget", -20, sectors=("Health",)),))
    df = sensitivity(portfolio(), scen, as_of=AS_OF, trials=16)
    lever = df[df["factor_kind"] == "lever"]
    assert lever[["lever_kind", "target", "setting"]].values.tolist() == [
        ["budget", "Health", "-30 / -10"]
    ]
    params = df[df["factor_kind"] == "parameter"]
    assert sorted(params["parameter"]) == sorted(load_calibration().ranges())
    assert (df["swing"].diff().dropna() <= 0).all()
    assert (df["swing"] == (df["high"] - df["low"]).abs()).all()


def _cli(argv: list[str]) -> int:
    import argparse

    from src.engine.command import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_simulates_a_user_csv_and_rejects_bad_files(tmp_path, capsys):
    import json

    scen = tmp_path / "s.json"
    scen.write_text(SMALL.with_changes(levers=(Lever("budget", -10),)).to_json())
    csv = tmp_path / "p.csv"
    portfolio().to_csv(csv, index=False)
    argv = ["simulate", "--scenario", str(scen), "--portfolio", str(csv)]
    assert _cli([*argv, "--as-of", "2022-01-01", "--trials", "16", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"info", "portfolio", "groups", "rows", "delivery_per_year"} <= set(out)
    assert out["info"]["trials"] == 16
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    assert _cli(["simulate", "--scenario", str(scen), "--portfolio", str(bad)]) == 2
    assert "lacks required column" in capsys.readouterr().err
    scen.write_text('{"levers": [{"kind": "budget", "change": -150}]}')
    assert _cli(argv) == 2
    assert "below -100%" in capsys.readouterr().err
