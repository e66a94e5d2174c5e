"""Out-of-sample checks of the reference classes (`python -m src.cli validate`).

* long (ADB): fitted on projects approved up to 2002, tested on 2003–2008;
* short (IATI): 5-fold cross-validation grouped by publisher (a publisher is
  never in its own training fold), under each reading of projects past their
  plan without an actual end;
* own: the same grouped cross-validation on a user's own records.

Each test row's predicted distribution is the split normal the engine simulates.
With censoring, coverage is estimated without imputing: the probability
integral transform u = F(ratio) of a censored row is itself censored at F(c), so
the Kaplan–Meier estimate of the distribution of u gives the share of outcomes
inside P10–P90 (S_U(0.1) − S_U(0.9)) and the PIT histogram. A calibrated model
has u uniform: 80% inside P10–P90, 50% inside P25–P75, 10% per decile.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from src.engine.calibration import CALIBRATION_FILE, GROUPS, Calibration
from src.engine.calibration.records import READINGS, design
from src.engine.calibration.short import APP_READING, fit_class, kind_shares
from src.engine.calibration.survival import kaplan_meier
from src.engine.reference import SplitNormal, long_class, survival_class

VALIDATION_FILE = CALIBRATION_FILE.with_name("validation.json")
FOLDS = 5
LONG_TRAIN_LAST_YEAR = 2002
TARGET_80 = (0.75, 0.85)
TARGET_50 = (0.45, 0.55)


@dataclass(frozen=True)
class Check:
    """Out-of-sample figures of one reference class under one reading.

    Attributes:
        reference_class: "long", "short" or "own".
        method: how the hold-out was made (plain words).
        reading: how projects past their plan without an actual end count.
        n: test records; observed: with an observed end (under `reading`).
        inside_80, inside_50: share of outcomes inside P10–P90 and P25–P75.
        pit: share of outcomes in each predicted decile (10 values).
        unresolved: share the data cannot place (Kaplan–Meier mass beyond the
            last observed end when censoring is heavy); 0 without censoring.
        share_late_model, share_late_km: share finishing after the planned end,
            predicted (mean over rows) and Kaplan–Meier.
        median_model, median_km: median duration ratio, predicted (of the mixture
            of rows) and Kaplan–Meier.
        mdae_model, mdae_constant: median absolute log error of the row median
            and of a constant forecast (the training median), on observed rows.
        skill: 1 − mdae_model / mdae_constant (> 0: better than the constant).
    """

    reference_class: str
    method: str
    reading: str
    n: int
    observed: int
    inside_80: float
    inside_50: float
    pit: tuple[float, ...]
    unresolved: float
    share_late_model: float
    share_late_km: float
    median_model: float
    median_km: float
    mdae_model: float
    mdae_constant: float
    skill: float

    def to_dict(self) -> dict:
        """JSON-ready, rounded."""
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, float):
                out[k] = round(v, 4)
        out["pit"] = [round(v, 4) for v in self.pit]
        return out


def _mixture_median(dist: SplitNormal) -> float:
    lo, hi = np.log(1e-3), np.log(1e3)
    for _ in range(60):
        mid = (lo + hi) / 2
        if dist.cdf(np.full(len(dist.mu), np.exp(mid))).mean() < 0.5:
            lo = mid
        else:
            hi = mid
    return float(np.exp((lo + hi) / 2))


def evaluate(
    dist: SplitNormal,
    ratio: np.ndarray,
    event: np.ndarray,
    *,
    constant: float,
    reference_class: str,
    method: str,
    reading: str,
) -> Check:
    """Coverage, PIT, share late, median and skill of predictions `dist`."""
    ratio, event = np.asarray(ratio, float), np.asarray(event, bool)
    u = np.clip(dist.cdf(ratio), 1e-9, 1.0)
    km_u = kaplan_meier(u, event)
    edges = np.linspace(0, 1, 11)
    s = km_u.at(edges)
    s[0] = 1.0
    pit = tuple(float(x) for x in s[:-1] - s[1:])
    s10, s25, s75, s90 = km_u.at(np.array([0.1, 0.25, 0.75, 0.9]))
    km_r = kaplan_meier(ratio, event)
    obs = event
    err_model = np.abs(np.log(ratio[obs]) - dist.mu[obs])
    err_const = np.abs(np.log(ratio[obs]) - np.log(constant))
    mdae_m = float(np.median(err_model)) if obs.any() else float("nan")
    mdae_c = float(np.median(err_const)) if obs.any() else float("nan")
    return Check(
        reference_class=reference_class,
        method=method,
        reading=reading,
        n=len(ratio),
        observed=int(obs.sum()),
        inside_80=float(s10 - s90),
        inside_50=float(s25 - s75),
        pit=pit,
        unresolved=float(max(0.0, s[-1])),
        share_late_model=float((1 - dist.cdf(np.ones(len(ratio)))).mean()),
        share_late_km=float(km_r.at(1.0)),
        median_model=_mixture_median(dist),
        median_km=km_r.median(),
        mdae_model=mdae_m,
        mdae_constant=mdae_c,
        skill=1 - mdae_m / mdae_c if mdae_c > 0 else float("nan"),
    )


def validate_long(records: pd.DataFrame | None = None) -> Check:
    """ADB class: fit on approvals up to 2002, test on 2003–2008."""
    from src.engine.calibration import adb
    from src.engine.calibration import params as P

    records = adb.read_adb_projects() if records is None else records
    train = records[records["year"] <= LONG_TRAIN_LAST_YEAR]
    test = records[records["year"] > LONG_TRAIN_LAST_YEAR].reset_index(drop=True)
    cal = Calibration(params=P.assemble(adb.fit(train), train)["parameters"])
    gmap = {g: i for i, g in enumerate(GROUPS)}
    group = test["group"].map(gmap).fillna(len(GROUPS) - 1).to_numpy(np.int64)
    dist = long_class(cal, test["planned_m"].to_numpy(float), group)
    return evaluate(
        dist,
        test["ratio"].to_numpy(),
        np.ones(len(test), bool),
        constant=float(train["ratio"].median()),
        reference_class="long",
        method=f"fit on approvals to {LONG_TRAIN_LAST_YEAR} "
        f"({len(train)}), test on later approvals ({len(test)})",
        reading="observed",
    )


def publisher_folds(publisher: pd.Series, folds: int = FOLDS) -> np.ndarray:
    """Fold of each record: whole publishers, largest first to the smallest fold.

    >>> publisher_folds(pd.Series(list("aaabbc")), 2).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    sizes = publisher.value_counts(sort=False)
    order = sorted(sizes.index, key=lambda p: (-sizes[p], str(p)))
    load = np.zeros(folds)
    fold_of = {}
    for p in order:
        k = int(np.argmin(load))
        fold_of[p] = k
        load[k] += sizes[p]
    return publisher.map(fold_of).to_numpy(int)


def cross_validate(
    records: pd.DataFrame,
    *,
    reading: str = APP_READING,
    reference_class: str = "short",
    folds: int = FOLDS,
) -> Check:
    """Grouped (by publisher) cross-validation of a survival reference class."""
    fold = publisher_folds(records["publisher"], folds)
    parts, ratio, event, consts = [], [], [], []
    for k in range(folds):
        train, test = records[fold != k], records[fold == k]
        if test.empty or train.empty:
            continue
        entry = {
            "fit": fit_class(train, reading).to_dict(),
            "planned_range": list(np.quantile(train["planned_m"], [0.05, 0.95])),
            "kind_shares": kind_shares(train),
        }
        parts.append(survival_class(entry, test, test["planned_m"].to_numpy(float)))
        d = design(test, reading, ())
        ratio.append(d["ratio"].to_numpy())
        event.append(d["event"].to_numpy(bool))
        dt = design(train, reading, ())
        km = kaplan_meier(dt["ratio"].to_numpy(), dt["event"].to_numpy())
        consts.append(np.full(len(test), km.median()))
    dist = SplitNormal(
        *(np.concatenate([getattr(p, a) for p in parts]) for a in ("mu", "lo", "hi"))
    )
    const = float(np.median(np.concatenate(consts)))
    return evaluate(
        dist,
        np.concatenate(ratio),
        np.concatenate(event),
        constant=const,
        reference_class=reference_class,
        method=f"{folds}-fold cross-validation grouped by publisher "
        f"({records['publisher'].nunique()} publishers)",
        reading=reading,
    )


def validate_all() -> list[Check]:
    """Every published class: long hold-out, short CV under every reading."""
    from src.engine.calibration.records import read_reference_records

    records, _ = read_reference_records()
    checks = [validate_long()]
    checks += [cross_validate(records, reading=r) for r in READINGS]
    return checks


def write_validation(checks: list[Check], path: Path = VALIDATION_FILE) -> Path:
    """Store the checks (deterministic JSON) for the app's model-quality panel."""
    data = {"targets": {"inside_80": TARGET_80, "inside_50": TARGET_50}}
    data["checks"] = [c.to_dict() for c in checks]
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    _read_validation.cache_clear()
    return path


def load_validation(path: Path = VALIDATION_FILE) -> list[dict]:
    """The stored checks ([] when the file is missing); read once per process."""
    return [dict(c) for c in _read_validation(Path(path))]


@cache
def _read_validation(path: Path) -> tuple[dict, ...]:
    if not path.exists():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8"))["checks"])
