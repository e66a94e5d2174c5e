"""The calibration file: every model parameter with value, unit, description, source.

`data/calibration/calibration.json` is written by `python -m src.engine.calibration`
(fits on the ADB records and the IATI short-project records, plus labelled
literature values and assumptions) and read here. A parameter's value is a
number, or a mapping sector group → number; reference classes fitted as survival
models are in `classes`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from src.portfolio import schema as S

CALIBRATION_FILE = (
    Path(__file__).resolve().parents[3] / "data" / "calibration" / "calibration.json"
)
# Row order of per-group parameter arrays; "Not reported" uses pooled values.
GROUPS: tuple[str, ...] = S.ALL_SECTOR_GROUPS
_REQUIRED_KEYS = ("value", "unit", "description", "source")

Value = float | dict[str, float]


@dataclass(frozen=True)
class Calibration:
    """Model parameters by dotted name (see `docs/MODEL.md` for each one).

    Attributes:
        params: name → {"value", "unit", "description", "source"}.
        fit: fit diagnostics (not used by the model; shown in docs and the UI).
        classes: survival-fit reference classes by name ("short", and "own"
            when a user fits one): {"fit", "planned_range", "kind_shares",
            "source", ...} (see `src.engine.reference`).
    """

    params: Mapping[str, Mapping[str, Any]]
    fit: Mapping[str, Any] = field(default_factory=dict)
    classes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, entry in self.params.items():
            missing = [k for k in _REQUIRED_KEYS if k not in entry]
            if missing:
                msg = f"calibration parameter {name!r} lacks {missing}"
                raise ValueError(msg)

    def value(self, name: str) -> float:
        """A scalar parameter (KeyError-free: unknown names raise ValueError)."""
        v = self._raw(name)
        if isinstance(v, dict):
            msg = f"calibration parameter {name!r} is per group, not a scalar"
            raise ValueError(msg)
        return float(v)

    def by_group(self, name: str) -> np.ndarray:
        """A per-group parameter as a float64 array in `GROUPS` order.

        Groups missing from the file take the "pooled" entry.
        """
        v = self._raw(name)
        if not isinstance(v, dict):
            return np.full(len(GROUPS), float(v))
        pooled = v.get("pooled")
        out = []
        for g in GROUPS:
            x = v.get(g, pooled)
            if x is None:
                msg = f"calibration parameter {name!r} has no value for {g!r}"
                raise ValueError(msg)
            out.append(float(x))
        return np.asarray(out)

    def _raw(self, name: str) -> Value:
        try:
            return self.params[name]["value"]
        except KeyError:
            msg = f"unknown calibration parameter {name!r}"
            raise ValueError(msg) from None

    def with_values(self, **values: Value) -> Calibration:
        """A copy with some values replaced; names use "__" for ".".

        >>> cal = load_calibration()
        >>> cal.with_values(capacity__rho0=0.7).value("capacity.rho0")
        0.7
        """
        params = {k: dict(v) for k, v in self.params.items()}
        for key, v in values.items():
            name = key.replace("__", ".")
            if name not in params:
                msg = f"unknown calibration parameter {name!r}"
                raise ValueError(msg)
            params[name]["value"] = v
        return Calibration(params=params, fit=self.fit, classes=self.classes)

    def ranges(self, *, key_only: bool = False) -> dict[str, tuple[float, float]]:
        """Plausible (low, high) of the parameters that carry one.

        With `key_only`, only the key assumptions a conclusion is checked
        against (queue share, utilisation, ramp-up, descope elasticity, stretch
        cost).
        """
        return {
            name: (float(e["low"]), float(e["high"]))
            for name, e in self.params.items()
            if "low" in e and (e.get("key_assumption") or not key_only)
        }

    def with_class(self, name: str, entry: Mapping[str, Any]) -> Calibration:
        """A copy with a reference class added or replaced (e.g. "own")."""
        return Calibration(
            params=self.params, fit=self.fit, classes={**self.classes, name: entry}
        )

    def deterministic(self) -> Calibration:
        """The zero-variance limit: every noise scale and tail set to zero."""
        zero = dict.fromkeys(GROUPS, 0.0) | {"pooled": 0.0}
        out = self.with_values(
            schedule__sigma_lo=zero,
            schedule__sigma_hi=zero,
            cost__sigma=zero,
            cost__tail_xi=zero,
        )
        for name, entry in self.classes.items():
            fit = {**entry["fit"], "scale": 0.0}
            out = out.with_class(name, {**entry, "fit": fit})
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the file layout)."""
        return {
            "parameters": dict(self.params),
            "fit": dict(self.fit),
            "classes": dict(self.classes),
        }


def load_calibration(path: Path | None = None) -> Calibration:
    """Read a calibration file (default: the bundled one)."""
    if path is None:
        return _bundled()
    return _read(Path(path))


@cache
def _bundled() -> Calibration:
    return _read(CALIBRATION_FILE)


def _read(path: Path) -> Calibration:
    if not path.exists():
        msg = (
            f"calibration file {path} not found; run `python -m src.engine.calibration`"
        )
        raise FileNotFoundError(msg)
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(
        params=data["parameters"],
        fit=data.get("fit", {}),
        classes=data.get("classes", {}),
    )
