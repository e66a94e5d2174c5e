"""Scenarios: a baseline plus levers (budget, capacity, risk), versioned and validated.

A scenario is a small frozen value. It serialises to JSON (files, stores) and to a
compact URL token ("v1." + base64url of compact JSON), and it validates itself on
construction, so an out-of-range lever fails loudly with a message naming it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from src.engine.scenario_limits import (
    MAX_LEVERS,
    MAX_TARGET_VALUES,
    check_text_size,
)
from src.records import known_fields

SCHEMA_VERSION = 1
TOKEN_PREFIX = f"v{SCHEMA_VERSION}."

LEVER_KINDS: tuple[str, ...] = ("budget", "capacity", "risk", "end", "extend")
BUDGET_POLICIES: tuple[str, ...] = ("descope", "stretch", "cancel")
# Descoping is the default: it is what most agencies do first when funding is cut
# (fewer outputs on the same timeline); the user can choose another policy.
DEFAULT_POLICY = "descope"
# Which reference classes the schedule is drawn from: the published ones (short
# IATI projects and long ADB projects, blended by planned duration) or the
# organisation's own closed projects (fitted on an imported dataset).
REFERENCES: tuple[str, ...] = ("published", "own")
DEFAULT_REFERENCE = "published"

# Valid ranges, one per lever kind, shared by the engine, the page's sliders and
# the scenario parser: budget and capacity in % of the current value (step 5 on
# the sliders), risk in INFORM points (0-10 scale) added to the targeted
# countries' risk (step 0.5); end and extend in months after the planned end
# (docs/MODEL.md, "End without successor, extend").
LEVER_RANGES: dict[str, tuple[float, float, float]] = {
    "budget": (-100.0, 200.0, 5.0),
    "capacity": (-100.0, 200.0, 5.0),
    "risk": (0.0, 5.0, 0.5),
    "end": (0.0, 24.0, 3.0),
    "extend": (0.0, 36.0, 6.0),
}
LEVER_UNITS = {"risk": " INFORM points", "end": " months", "extend": " months"}
PCT_MIN, PCT_MAX = LEVER_RANGES["budget"][:2]
RISK_MIN, RISK_MAX = LEVER_RANGES["risk"][:2]
HORIZON_MIN, HORIZON_MAX = 12, 120
TRIALS_MIN, TRIALS_MAX = 1, 100_000
_TARGET_KEYS = ("sectors", "regions", "countries", "agencies", "projects")


def _as_tuple(values: Any, what: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    try:
        out = tuple(str(v) for v in values)
    except TypeError:
        msg = f"{what} must be a list of strings, got {values!r}"
        raise ValueError(msg) from None
    return out


@dataclass(frozen=True)
class Lever:
    """One change to the portfolio, applied to a target subset.

    The target is the intersection of the non-empty filters; all filters empty
    means the whole portfolio.

    Attributes:
        kind: "budget" (change of the remaining budget, %), "capacity" (change of
            implementation capacity, %), "risk" (INFORM points added to the
            country risk of the targeted rows), "end" (the rows end at their
            planned end plus `change` months, without successor: work left
            then is neither done nor paid) or "extend" (a funded extension of
            `change` months at the row's planned monthly budget).
        change: the size: −100…+200 (%) for budget and capacity, 0…+5 (INFORM
            points) for risk, 0…24 months for end, 0…36 months for extend.
        sectors: sector groups (labels of `schema.SECTOR_GROUPS`).
        regions: World Bank region names.
        countries: ISO3 codes.
        agencies: reporting-organisation names.
        projects: project identifiers (the funding cliff's projects).
    """

    kind: str
    change: float
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for key in _TARGET_KEYS:
            object.__setattr__(self, key, _as_tuple(getattr(self, key), key))
        object.__setattr__(
            self, "countries", tuple(c.strip().upper() for c in self.countries)
        )
        try:
            object.__setattr__(self, "change", float(self.change))
        except (TypeError, ValueError):
            msg = f"lever change must be a number, got {self.change!r}"
            raise ValueError(msg) from None

    def target_label(self) -> str:
        """A short human label of the target ("whole portfolio" if none).

        >>> Lever("budget", -20, sectors=("Health",)).target_label()
        'Health'
        """
        parts = [
            ", ".join(getattr(self, k)) for k in _TARGET_KEYS[:-1] if getattr(self, k)
        ]
        if self.projects:
            parts.append(f"{len(self.projects)} project(s)")
        return "; ".join(parts) if parts else "whole portfolio"

    def validate(self, index: int) -> None:
        """Raise ValueError naming the lever (1-based `index`) if it is invalid."""
        name = f"lever {index} ({self.kind}, {self.target_label()})"
        if self.kind not in LEVER_KINDS:
            msg = f"lever {index}: kind {self.kind!r} is not one of {list(LEVER_KINDS)}"
            raise ValueError(msg)
        if self.change != self.change or self.change in (float("inf"), -float("inf")):
            msg = f"{name}: change must be a finite number, got {self.change}"
            raise ValueError(msg)
        lo, hi, _ = LEVER_RANGES[self.kind]
        unit = LEVER_UNITS.get(self.kind, "%")
        if self.change < lo:
            msg = f"{name}: change {self.change:g}{unit} is below {lo:g}{unit}"
            raise ValueError(msg)
        if self.change > hi:
            msg = f"{name}: change {self.change:g}{unit} is above {hi:g}{unit}"
            raise ValueError(msg)
        total = sum(len(getattr(self, k)) for k in _TARGET_KEYS)
        if total > MAX_TARGET_VALUES:
            msg = (
                f"lever {index} names {total} targets; at most "
                f"{MAX_TARGET_VALUES} are allowed"
            )
            raise ValueError(msg)
        from src.portfolio.schema import ALL_SECTOR_GROUPS

        unknown = [s for s in self.sectors if s not in ALL_SECTOR_GROUPS]
        if unknown:
            msg = (
                f"lever {index} targets unknown sector group(s) {unknown}; "
                f"choose from {list(ALL_SECTOR_GROUPS)}"
            )
            raise ValueError(msg)
        bad = [c for c in self.countries if not (len(c) == 3 and c.isalpha())]
        if bad:
            shown = ", ".join(bad[:5]) + (" …" if len(bad) > 5 else "")
            msg = f"lever {index}: {shown} are not ISO 3166 alpha-3 country codes"
            raise ValueError(msg)

    def to_dict(self) -> dict[str, Any]:
        """Compact dict: empty target filters are left out."""
        out: dict[str, Any] = {"kind": self.kind, "change": self.change}
        for key in _TARGET_KEYS:
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lever:
        """Inverse of `to_dict`; unknown keys raise ValueError."""
        known_fields(data, ("kind", "change", *_TARGET_KEYS), "lever")
        if "kind" not in data or "change" not in data:
            msg = f"a lever needs 'kind' and 'change', got {data!r}"
            raise ValueError(msg)
        return cls(
            kind=str(data["kind"]),
            change=data["change"],
            **{k: _as_tuple(data.get(k), k) for k in _TARGET_KEYS},
        )


@dataclass(frozen=True)
class Scenario:
    """Baseline assumptions plus levers; immutable, validated on construction.

    Attributes:
        levers: the changes, applied in order (budget changes on the same row
            multiply; capacity changes multiply; risk shocks add).
        horizon_months: how far ahead delivery per year is reported (12…120).
        trials: number of Monte Carlo trials.
        seed: root seed; baseline and scenario with the same seed share draws.
        budget_policy: how a budget cut is absorbed: "descope" (default: fewer
            outputs, same timeline), "stretch" (same outputs, slower, extra cost)
            or "cancel" (the least advanced projects in the target are cancelled).
        name: a display name.
        reference: "published" (default) or "own" reference classes.
        filters: the portfolio selection the scenario was made on
            (`FilterSpec.to_dict()`), kept so that a saved scenario can be
            re-run on the same selection and a re-run on other filters can say
            so. The engine never applies it: it simulates the rows it is given.
        version: schema version of the serialised form.
    """

    levers: tuple[Lever, ...] = ()
    horizon_months: int = 48
    trials: int = 1000
    seed: int = 20240601
    budget_policy: str = DEFAULT_POLICY
    name: str = "Baseline"
    reference: str = DEFAULT_REFERENCE
    filters: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    version: int = field(default=SCHEMA_VERSION)

    def __post_init__(self) -> None:
        levers = tuple(
            lv if isinstance(lv, Lever) else Lever.from_dict(lv) for lv in self.levers
        )
        object.__setattr__(self, "levers", levers)
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a clear message on any invalid setting."""
        if self.version != SCHEMA_VERSION:
            msg = (
                f"scenario schema version {self.version} is not supported "
                f"(this engine reads version {SCHEMA_VERSION})"
            )
            raise ValueError(msg)
        if len(self.levers) > MAX_LEVERS:
            msg = (
                f"scenario has {len(self.levers)} levers; at most {MAX_LEVERS} "
                "are allowed"
            )
            raise ValueError(msg)
        for i, lever in enumerate(self.levers, start=1):
            lever.validate(i)
        if self.budget_policy not in BUDGET_POLICIES:
            msg = (
                f"budget_policy {self.budget_policy!r} is not one of "
                f"{list(BUDGET_POLICIES)}"
            )
            raise ValueError(msg)
        if self.filters is not None:
            from src.portfolio.filters import FilterSpec

            FilterSpec.from_dict(self.filters)  # raises ValueError naming the field
        if self.reference not in REFERENCES:
            msg = f"reference {self.reference!r} is not one of {list(REFERENCES)}"
            raise ValueError(msg)
        checks = (
            ("horizon_months", self.horizon_months, HORIZON_MIN, HORIZON_MAX),
            ("trials", self.trials, TRIALS_MIN, TRIALS_MAX),
        )
        for label, value, lo, hi in checks:
            if not isinstance(value, int) or isinstance(value, bool):
                msg = f"{label} must be an integer, got {value!r}"
                raise ValueError(msg)
            if not lo <= value <= hi:
                msg = f"{label} {value} is outside {lo}…{hi}"
                raise ValueError(msg)
        if not isinstance(self.seed, int) or self.seed < 0:
            msg = f"seed must be a non-negative integer, got {self.seed!r}"
            raise ValueError(msg)

    def with_changes(self, **changes: Any) -> Scenario:
        """A copy with some fields replaced (the original is never mutated).

        >>> BASELINE.with_changes(name="Cut", trials=200).trials
        200
        """
        return dataclasses.replace(self, **changes)

    def baseline(self) -> Scenario:
        """This scenario without its levers: the same settings and seed.

        Baseline and scenario then share their random draws (common random
        numbers), so their difference is the levers' effect.

        >>> s = Scenario(levers=(Lever("budget", -20),), seed=7, name="Cut")
        >>> s.baseline() == BASELINE.with_changes(seed=7)
        True
        """
        return BASELINE.with_changes(
            horizon_months=self.horizon_months,
            trials=self.trials,
            seed=self.seed,
            budget_policy=self.budget_policy,
            reference=self.reference,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (levers as compact dicts)."""
        out = {
            "version": self.version,
            "name": self.name,
            "horizon_months": self.horizon_months,
            "trials": self.trials,
            "seed": self.seed,
            "budget_policy": self.budget_policy,
            "levers": [lv.to_dict() for lv in self.levers],
        }
        if self.reference != DEFAULT_REFERENCE:
            out["reference"] = self.reference
        if self.filters:
            out["filters"] = dict(self.filters)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Inverse of `to_dict`; missing fields take baseline defaults."""
        known_fields(data, (f.name for f in dataclasses.fields(cls)), "scenario")
        levers = data.get("levers", [])
        if not isinstance(levers, list):
            msg = "scenario 'levers' must be a list"
            raise ValueError(msg)
        kwargs = {k: v for k, v in data.items() if k != "levers"}
        return cls(levers=tuple(Lever.from_dict(lv) for lv in levers), **kwargs)

    def to_json(self, *, indent: int | None = 2) -> str:
        """JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        """Parse JSON text; malformed, too long or too deep JSON raises ValueError."""
        check_text_size(text)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"scenario is not valid JSON: {exc}"
            raise ValueError(msg) from None
        return cls.from_dict(data)

    def to_token(self) -> str:
        """Compact URL-safe token: "v1." + base64url(compact JSON), no padding.

        >>> Scenario.from_token(BASELINE.to_token()) == BASELINE
        True
        """
        raw = json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)
        body = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        return TOKEN_PREFIX + body

    @classmethod
    def from_token(cls, token: str) -> Scenario:
        """Inverse of `to_token`; an invalid or old token raises ValueError."""
        if not isinstance(token, str) or "." not in token:
            msg = "invalid scenario token: expected 'v<version>.<data>'"
            raise ValueError(msg)
        check_text_size(token, "scenario link")
        prefix, body = token.split(".", 1)
        if prefix + "." != TOKEN_PREFIX:
            msg = (
                f"unsupported scenario token version {prefix!r}; this engine reads "
                f"{TOKEN_PREFIX[:-1]!r} tokens"
            )
            raise ValueError(msg)
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
            check_text_size(raw, "scenario link")
            data = json.loads(raw)
        except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
            msg = "invalid scenario token: the data part is not base64url JSON"
            raise ValueError(msg) from None
        return cls.from_dict(data)


BASELINE = Scenario()
