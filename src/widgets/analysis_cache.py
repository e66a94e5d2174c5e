"""Cached analyses of a scenario: the drivers' tornado and the assumption runs.

Each is many runs of the engine (slow), cached per dataset content, filters
and scenario; `check` bounds them like the main runs (`widgets.bounded`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from src.engine.scenario import Scenario
from src.engine.sensitivity import assumption_ranges, sensitivity
from src.engine.work_limits import Check
from src.portfolio.filters import FilterSpec
from src.widgets.cache import calibration, data_version, portfolio


def scenario_sensitivity(
    dataset: str, spec: FilterSpec, token: str, metric: str, check: Check | None = None
) -> pd.DataFrame:
    """Tornado swings of a metric (slow: many runs, cached; `check` as in runs)."""
    version = data_version(dataset)
    return _scenario_sensitivity(dataset, version, spec, token, metric, check)


@st.cache_data(show_spinner=False, max_entries=16)
def _scenario_sensitivity(
    dataset: str, version: str, spec: FilterSpec, token: str, metric: str, _check
) -> pd.DataFrame:
    del version  # part of the cache key only
    rows, scen, opts = _analysis_inputs(dataset, spec, token)
    return sensitivity(rows, scen, metric=metric, check=_check, **opts)


def _analysis_inputs(
    dataset: str, spec: FilterSpec, token: str
) -> tuple[pd.DataFrame, Scenario, dict[str, object]]:
    """The rows, scenario and run options of a drivers or assumptions analysis."""
    df, meta = portfolio(dataset)
    scen = Scenario.from_token(token)
    opts = {
        "as_of": date.fromisoformat(meta.as_of),
        "trials": min(scen.trials, 200),
        "calibration": calibration(dataset, scen.reference),
    }
    return spec.apply(df).reset_index(drop=True), scen, opts


def scenario_assumptions(
    dataset: str, spec: FilterSpec, token: str, check: Check | None = None
) -> pd.DataFrame:
    """A scenario's change at each end of each key assumption (cached)."""
    return _scenario_assumptions(dataset, data_version(dataset), spec, token, check)


@st.cache_data(show_spinner=False, max_entries=16)
def _scenario_assumptions(
    dataset: str, version: str, spec: FilterSpec, token: str, _check
) -> pd.DataFrame:
    del version  # part of the cache key only
    rows, scen, opts = _analysis_inputs(dataset, spec, token)
    return assumption_ranges(rows, scen, check=_check, **opts)


def clear() -> None:
    """Forget every cached analysis (after a new own reference class)."""
    _scenario_sensitivity.clear()
    _scenario_assumptions.clear()
