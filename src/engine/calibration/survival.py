"""Parametric survival fits of actual/planned duration with right-censoring.

A reference class is a distribution of the duration ratio r = actual / planned
months given a project's covariates. Projects that report an actual end are
events; projects past their plan that report none are right-censored at the
last date they were seen (r > c). Three accelerated-failure-time (AFT) models are
fitted with lifelines and the lowest AIC is kept; all share the form

    log r = η(x) + s · ε,   η(x) = Σ coef_k · x_k,

with ε standard normal (log-normal), logistic (log-logistic) or minimum
extreme value (Weibull). Kaplan–Meier is the non-parametric check.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

DISTRIBUTIONS: tuple[str, ...] = ("lognormal", "loglogistic", "weibull")
_NORMAL = NormalDist()


def std_quantile(distribution: str, p: np.ndarray | float) -> np.ndarray:
    """Quantile of the standardised error ε of an AFT distribution.

    >>> float(std_quantile("loglogistic", 0.5))
    0.0
    >>> round(float(std_quantile("lognormal", 0.9)), 4)
    1.2816
    """
    p = np.asarray(p, dtype=float)
    if distribution == "lognormal":
        return np.vectorize(_NORMAL.inv_cdf, otypes=[float])(p)
    if distribution == "loglogistic":
        return np.log(p / (1 - p))
    if distribution == "weibull":
        return np.log(-np.log1p(-p))
    msg = f"unknown distribution {distribution!r}; choose from {list(DISTRIBUTIONS)}"
    raise ValueError(msg)


def std_cdf(distribution: str, u: np.ndarray) -> np.ndarray:
    """CDF of the standardised error ε (inverse of `std_quantile`)."""
    u = np.asarray(u, dtype=float)
    if distribution == "lognormal":
        from scipy.special import ndtr

        return ndtr(u)
    if distribution == "loglogistic":
        return 1 / (1 + np.exp(-u))
    if distribution == "weibull":
        return -np.expm1(-np.exp(u))
    msg = f"unknown distribution {distribution!r}; choose from {list(DISTRIBUTIONS)}"
    raise ValueError(msg)


@dataclass(frozen=True)
class AFTFit:
    """One fitted AFT model of the duration ratio.

    Attributes:
        distribution: one of `DISTRIBUTIONS`.
        coef: covariate → coefficient of η (log ratio); "Intercept" included.
        se: standard errors of `coef` (same keys).
        scale: s, the scale of ε in log ratio.
        scale_se: standard error of log(s) (delta method on lifelines' output).
        n: records; events: records with an observed end.
        aic: AIC of every candidate distribution (the kept one is the lowest).
        log_likelihood: of the kept model.
    """

    distribution: str
    coef: dict[str, float]
    se: dict[str, float]
    scale: float
    scale_se: float
    n: int
    events: int
    aic: dict[str, float] = field(default_factory=dict)
    log_likelihood: float = float("nan")

    @property
    def covariates(self) -> tuple[str, ...]:
        """Covariate names (without the intercept)."""
        return tuple(k for k in self.coef if k != "Intercept")

    def eta(self, x: pd.DataFrame) -> np.ndarray:
        """Location η of each row of `x` (missing covariate columns count as 0)."""
        out = np.full(len(x), self.coef.get("Intercept", 0.0))
        for name in self.covariates:
            if name in x.columns:
                out = out + self.coef[name] * x[name].to_numpy(float)
        return out

    def log_quantile(self, x: pd.DataFrame, p: float) -> np.ndarray:
        """Log of the p-quantile of the ratio for each row."""
        return self.eta(x) + self.scale * float(std_quantile(self.distribution, p))

    def cdf(self, x: pd.DataFrame, ratio: np.ndarray) -> np.ndarray:
        """P(r ≤ ratio) for each row."""
        u = (np.log(np.asarray(ratio, dtype=float)) - self.eta(x)) / self.scale
        return std_cdf(self.distribution, u)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (rounded)."""
        r = lambda v: round(float(v), 6)  # noqa: E731
        return {
            "distribution": self.distribution,
            "coef": {k: r(v) for k, v in self.coef.items()},
            "se": {k: r(v) for k, v in self.se.items()},
            "scale": r(self.scale),
            "scale_se": r(self.scale_se),
            "n": int(self.n),
            "events": int(self.events),
            "aic": {k: round(float(v), 2) for k, v in self.aic.items()},
            "log_likelihood": round(float(self.log_likelihood), 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AFTFit:
        """Inverse of `to_dict`."""
        return cls(
            distribution=str(data["distribution"]),
            coef={k: float(v) for k, v in data["coef"].items()},
            se={k: float(v) for k, v in data.get("se", {}).items()},
            scale=float(data["scale"]),
            scale_se=float(data.get("scale_se", float("nan"))),
            n=int(data.get("n", 0)),
            events=int(data.get("events", 0)),
            aic={k: float(v) for k, v in data.get("aic", {}).items()},
            log_likelihood=float(data.get("log_likelihood", float("nan"))),
        )


def _fitter(distribution: str):
    from lifelines import LogLogisticAFTFitter, LogNormalAFTFitter, WeibullAFTFitter

    return {
        "lognormal": (LogNormalAFTFitter, "mu_", "sigma_", 1.0),
        "loglogistic": (LogLogisticAFTFitter, "alpha_", "beta_", -1.0),
        "weibull": (WeibullAFTFitter, "lambda_", "rho_", -1.0),
    }[distribution]


def _fit_one(
    frame: pd.DataFrame, distribution: str, covariates: tuple[str, ...]
) -> AFTFit:
    cls, loc, anc, sign = _fitter(distribution)
    data = frame[["ratio", "event", *covariates]].astype(float)
    with warnings.catch_warnings():
        # lifelines calls pandas with positional arguments that pandas 3 marks
        # as deprecated; nothing we can act on here.
        warnings.filterwarnings("ignore", module="lifelines")
        warnings.filterwarnings("ignore", message=".*keyword-only.*")
        fitter = cls().fit(data, duration_col="ratio", event_col="event")
    params, ses = fitter.params_, fitter.standard_errors_
    coef = {name: float(params[(loc, name)]) for name in ("Intercept", *covariates)}
    se = {name: float(ses[(loc, name)]) for name in ("Intercept", *covariates)}
    # lifelines' ancillary parameter is log σ (log-normal) or log shape
    # (log-logistic β, Weibull ρ): s = σ, or 1/shape.
    log_anc = float(params[(anc, "Intercept")])
    return AFTFit(
        distribution=distribution,
        coef=coef,
        se=se,
        scale=float(np.exp(sign * log_anc)),
        scale_se=float(ses[(anc, "Intercept")]),
        n=len(data),
        events=int(data["event"].sum()),
        log_likelihood=float(fitter.log_likelihood_),
        aic={distribution: float(fitter.AIC_)},
    )


def fit_aft(
    frame: pd.DataFrame,
    *,
    covariates: tuple[str, ...] = (),
    distributions: tuple[str, ...] = DISTRIBUTIONS,
) -> AFTFit:
    """Fit every candidate AFT model and keep the lowest AIC.

    Args:
        frame: one row per project with "ratio" (> 0, actual or censoring
            ratio), "event" (1 observed end, 0 right-censored) and the
            covariate columns (numbers).
        covariates: covariate columns.
        distributions: candidates.

    Returns:
        The kept fit, with the AIC of every candidate in `aic`.
    """
    if len(frame) == 0 or frame["event"].sum() == 0:
        msg = "a survival fit needs at least one record with an observed end"
        raise ValueError(msg)
    if (frame["ratio"] <= 0).any() or not np.isfinite(frame["ratio"]).all():
        msg = "duration ratios must be finite and positive"
        raise ValueError(msg)
    fits = [_fit_one(frame, d, covariates) for d in distributions]
    aic = {f.distribution: f.aic[f.distribution] for f in fits}
    best = min(fits, key=lambda f: aic[f.distribution])
    return AFTFit(**{**best.__dict__, "aic": aic})


@dataclass(frozen=True)
class KaplanMeier:
    """Kaplan–Meier estimate of the ratio's survival function S(r) = P(R > r)."""

    times: np.ndarray
    survival: np.ndarray

    def at(self, r: float | np.ndarray) -> np.ndarray:
        """S(r) (right-continuous step function; 1 before the first event)."""
        idx = np.searchsorted(self.times, np.asarray(r, dtype=float), side="right")
        s = np.r_[1.0, self.survival]
        return s[idx]

    def median(self) -> float:
        """Smallest r with S(r) ≤ 0.5 (inf if never reached)."""
        hit = np.flatnonzero(self.survival <= 0.5)
        return float(self.times[hit[0]]) if hit.size else float("inf")


def kaplan_meier(
    ratio: np.ndarray, event: np.ndarray, weights: np.ndarray | None = None
) -> KaplanMeier:
    """Kaplan–Meier estimate (lifelines) of the duration ratio."""
    from lifelines import KaplanMeierFitter

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="lifelines")
        km = KaplanMeierFitter().fit(
            np.asarray(ratio, float), np.asarray(event, bool), weights=weights
        )
    sf = km.survival_function_.iloc[:, 0]
    keep = sf.index.to_numpy(float) > 0
    return KaplanMeier(sf.index.to_numpy(float)[keep], sf.to_numpy(float)[keep])
