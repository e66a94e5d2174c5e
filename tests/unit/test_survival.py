"""Survival fits with censoring, and the out-of-sample validation machinery."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from src.engine.calibration.records import tidy_records
from src.engine.calibration.survival import fit_aft, kaplan_meier
from src.engine.calibration.validation import evaluate, publisher_folds
from src.engine.reference import SplitNormal

RNG_SEED = 20261201


def _censored_lognormal(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """log r = 0.3 + 0.5·x + 0.4·ε, censored by an independent log-normal time."""
    x = rng.normal(size=n)
    r = np.exp(0.3 + 0.5 * x + 0.4 * rng.normal(size=n))
    c = np.exp(0.6 + 0.5 * rng.normal(size=n))
    return pd.DataFrame({"ratio": np.minimum(r, c), "event": (r <= c) * 1, "x": x})


def test_the_lognormal_fit_recovers_known_parameters_under_censoring():
    rng = np.random.default_rng(RNG_SEED)
    data = _censored_lognormal(3000, rng)
    assert 0.3 < 1 - data["event"].mean() < 0.7  # a real share is censored
    fit = fit_aft(data, covariates=("x",), distributions=("lognormal",))
    for name, true in (("Intercept", 0.3), ("x", 0.5)):
        assert abs(fit.coef[name] - true) < 3 * fit.se[name], name
    assert abs(np.log(fit.scale) - np.log(0.4)) < 3 * fit.scale_se


def test_aic_picks_the_generating_distribution():
    rng = np.random.default_rng(RNG_SEED + 1)
    x = rng.normal(size=3000)
    # Weibull AFT: log r = 0.2 + 0.3·x + 0.5·W, W standard minimum extreme value.
    w = np.log(-np.log(rng.uniform(size=3000)))
    data = pd.DataFrame({"ratio": np.exp(0.2 + 0.3 * x + 0.5 * w), "event": 1, "x": x})
    fit = fit_aft(data, covariates=("x",))
    assert fit.distribution == "weibull"
    assert set(fit.aic) == {"lognormal", "loglogistic", "weibull"}


@pytest.mark.parametrize("distribution", ["lognormal", "loglogistic", "weibull"])
def test_our_quantiles_equal_lifelines_predictions(distribution):
    from lifelines import LogLogisticAFTFitter, LogNormalAFTFitter, WeibullAFTFitter

    cls = {
        "lognormal": LogNormalAFTFitter,
        "loglogistic": LogLogisticAFTFitter,
        "weibull": WeibullAFTFitter,
    }[distribution]
    data = _censored_lognormal(800, np.random.default_rng(RNG_SEED + 2))
    fit = fit_aft(data, covariates=("x",), distributions=(distribution,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = cls().fit(data, duration_col="ratio", event_col="event")
        # lifelines' predict_percentile(p) is the time where survival = p.
        theirs = ref.predict_percentile(data.head(5), p=0.1).to_numpy()
    ours = np.exp(fit.log_quantile(data.head(5), 0.9))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_kaplan_meier_matches_a_hand_computed_example():
    # Ratios 1, 2(censored), 3, 4: S(1) = 3/4, S(3) = 3/4 · 1/2, S(4) = 0.
    km = kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 0, 1, 1]))
    assert km.at(0.5) == 1.0
    assert km.at(1.0) == pytest.approx(0.75)
    assert km.at(3.5) == pytest.approx(0.375)
    assert km.at(4.0) == pytest.approx(0.0)
    assert km.median() == 3.0


def test_validation_on_data_from_the_model_itself_has_nominal_coverage():
    rng = np.random.default_rng(RNG_SEED + 3)
    n = 6000
    mu = rng.normal(0.3, 0.2, n)
    lo, hi = np.full(n, 0.2), np.full(n, 0.35)
    z = rng.normal(size=n)
    r = np.exp(mu + z * np.where(z > 0, hi, lo))
    c = np.exp(rng.normal(0.7, 0.4, n))  # independent censoring
    check = evaluate(
        SplitNormal(mu, lo, hi),
        np.minimum(r, c),
        r <= c,
        constant=float(np.exp(np.median(mu))),
        reference_class="test",
        method="simulated",
        reading="censored",
    )
    assert 0.2 < 1 - check.observed / check.n < 0.6
    assert 0.75 <= check.inside_80 <= 0.85
    assert 0.45 <= check.inside_50 <= 0.55
    assert max(abs(p - 0.1) for p in check.pit) < 0.03
    assert check.skill > 0  # the row medians know each row's own location


def test_a_constant_forecast_has_no_skill_over_itself():
    rng = np.random.default_rng(RNG_SEED + 4)
    n = 2000
    r = np.exp(rng.normal(0.3, 0.3, n))
    const = float(np.exp(0.3))
    check = evaluate(
        SplitNormal(np.full(n, np.log(const)), np.full(n, 0.3), np.full(n, 0.3)),
        r,
        np.ones(n, bool),
        constant=const,
        reference_class="test",
        method="simulated",
        reading="observed",
    )
    assert check.skill == pytest.approx(0.0, abs=1e-12)
    assert 0.77 <= check.inside_80 <= 0.83


def test_publisher_folds_never_split_a_publisher():
    pubs = pd.Series(["a"] * 50 + ["b"] * 30 + ["c"] * 30 + ["d"] * 10 + ["e"] * 5)
    fold = publisher_folds(pubs, 3)
    for p in pubs.unique():
        assert len(set(fold[pubs.to_numpy() == p])) == 1
    assert sorted(np.bincount(fold).tolist()) == [35, 40, 50]


def test_records_count_every_exclusion():
    raw = pd.DataFrame(
        {
            "project_id": list("abcde"),
            "publisher": "p",
            "kind": "ngo",
            "status": ["4", "2", "2", "4", "3"],
            "humanitarian": False,
            "sector_group": "Health",
            "start": ["2020-01-01"] * 5,
            "planned_end": [
                "2020-07-01",
                "2020-01-05",
                None,
                "2020-07-01",
                "2020-07-01",
            ],
            "actual_end": ["2020-09-01", None, None, "2020-01-03", None],
            "seen": ["2021-01-01"] * 5,
        }
    )
    records, excluded = tidy_records(raw)
    assert excluded.planned_too_short == 1  # b: 4 days planned
    assert excluded.no_planned_end == 1  # c
    assert excluded.implausibly_early == 1  # d: ended 2 days after start
    assert records["project_id"].tolist() == ["a", "e"]
    a, e = records.iloc[0], records.iloc[1]
    assert a["observed"]
    assert a["ratio"] == pytest.approx(244 / 182)
    assert not e["observed"]
    assert e["status_ended"]
    assert e["ratio"] == pytest.approx(366 / 182)
