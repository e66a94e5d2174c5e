"""Scenario levers: draw the editor, keep it in the URL, return a Scenario.

The scenario lives in session state as plain lever dicts and in the URL as the
engine's versioned token (?scenario=v1.…). An old or invalid token is ignored
with a visible notice, never a crash.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.engine.scenario import (
    BASELINE,
    BUDGET_POLICIES,
    DEFAULT_REFERENCE,
    LEVER_KINDS,
    LEVER_RANGES,
    Scenario,
)
from src.portfolio import schema as S
from src.widgets import state
from src.widgets.i18n import labeller, md_escape, t

URL_SCENARIO = "scenario"
LEVERS = "scen.levers"
READY = "scen.ready"
NOTICE = "scen.notice"
HORIZON = "scen.horizon"
POLICY = "scen.policy"
PRECISE = "scen.precise"
NAME = "scen.name"
REFERENCE = "scen.reference"
FAST_TRIALS = 200
PRECISE_TRIALS = 2_000
# One range per lever kind, the engine's (src.engine.scenario.LEVER_RANGES).
SLIDER = {
    kind: (int(lo), int(hi), int(step)) if kind != "risk" else (lo, hi, step)
    for kind, (lo, hi, step) in LEVER_RANGES.items()
}
DROPPED = "scen.dropped"  # notices about link values the editor could not show


def _lever_key(i: int, part: str) -> str:
    return f"scen.lever.{i}.{part}"


def load_into_state(scenario: Scenario) -> None:
    """Put a scenario into the editor's widgets (URL, store, file)."""
    for key in [k for k in st.session_state if str(k).startswith("scen.lever.")]:
        del st.session_state[key]
    st.session_state[LEVERS] = len(scenario.levers)
    for i, lever in enumerate(scenario.levers):
        st.session_state[_lever_key(i, "kind")] = lever.kind
        st.session_state[_lever_key(i, "change")] = (
            float(lever.change) if lever.kind == "risk" else int(round(lever.change))
        )
        st.session_state[_lever_key(i, "sectors")] = list(lever.sectors)
        st.session_state[_lever_key(i, "regions")] = list(lever.regions)
        st.session_state[_lever_key(i, "countries")] = list(lever.countries)
        st.session_state[_lever_key(i, "agencies")] = list(lever.agencies)
        st.session_state[_lever_key(i, "projects")] = list(lever.projects)
    st.session_state[HORIZON] = scenario.horizon_months
    st.session_state[POLICY] = scenario.budget_policy
    st.session_state[PRECISE] = scenario.trials > FAST_TRIALS
    st.session_state[REFERENCE] = scenario.reference
    st.session_state[NAME] = "" if scenario.name == BASELINE.name else scenario.name


def _read_url() -> None:
    token = st.query_params.get(URL_SCENARIO)
    st.session_state[NOTICE] = ""
    default = BASELINE.with_changes(trials=FAST_TRIALS)
    if not token:
        load_into_state(default)
        return
    try:
        load_into_state(Scenario.from_token(token))
    except ValueError as exc:
        load_into_state(default)
        st.session_state[NOTICE] = t(
            "scen.bad_link", value=md_escape(token[:40]), reason=md_escape(str(exc))
        )


def _add_lever() -> None:
    i = st.session_state.get(LEVERS, 0)
    st.session_state[_lever_key(i, "kind")] = "budget"
    st.session_state[_lever_key(i, "change")] = 0
    st.session_state[LEVERS] = i + 1


def _remove_lever(index: int) -> None:
    n = st.session_state.get(LEVERS, 0)
    parts = (
        "kind",
        "change",
        "sectors",
        "regions",
        "countries",
        "agencies",
        "projects",
    )
    for i in range(index, n - 1):
        for part in parts:
            st.session_state[_lever_key(i, part)] = st.session_state.get(
                _lever_key(i + 1, part)
            )
    for part in parts:
        st.session_state.pop(_lever_key(n - 1, part), None)
    st.session_state[LEVERS] = n - 1


def _on_kind_change(i: int) -> None:
    kind = st.session_state[_lever_key(i, "kind")]
    st.session_state[_lever_key(i, "change")] = 0.0 if kind == "risk" else 0


def _fit_to_options(i: int, part: str, options: list[str]) -> None:
    """Drop target values of a loaded lever that the selection does not have."""
    key = _lever_key(i, part)
    values = st.session_state.get(key) or []
    kept = [v for v in values if v in options]
    if len(kept) != len(values):
        dropped = [v for v in values if v not in options]
        st.session_state[key] = kept
        st.session_state.setdefault(DROPPED, []).append(
            t("scen.target_dropped", lever=i + 1, values=md_escape(", ".join(dropped)))
        )


def _fit_to_slider(i: int, kind: str) -> None:
    """Round a loaded change to the slider's step (and range), saying so."""
    key = _lever_key(i, "change")
    low, high, step = SLIDER[kind]
    value = st.session_state.get(key, 0)
    fitted = min(max(round(float(value) / step) * step, low), high)
    fitted = float(fitted) if kind == "risk" else int(fitted)
    if fitted != value:
        st.session_state[key] = fitted
        st.session_state.setdefault(DROPPED, []).append(
            t("scen.change_rounded", lever=i + 1, value=value, shown=fitted)
        )


def open_in_scenarios(scenario: Scenario, lang: str) -> None:
    """Switch to the Scenarios page with `scenario` in the editor (via its link)."""
    st.session_state.pop(READY, None)  # the editor reads the link again
    params = {URL_SCENARIO: scenario.to_token(), state.URL_LANG: lang}
    st.switch_page(state.SCENARIOS_PAGE, query_params=params)


def _projects(i: int, df: pd.DataFrame) -> list[str] | None:
    """The lever's project targets (None: the lever names none), said in words.

    Projects the selection lacks are dropped with a notice; a lever whose
    projects are all dropped is removed (it would otherwise hit every row).
    """
    key = _lever_key(i, "projects")
    if not st.session_state.get(key):
        return None
    _fit_to_options(i, "projects", set(df[S.COL_PROJECT_ID].astype(str)))
    kept = st.session_state.get(key) or []
    st.caption(t("scen.projects_target", n=len(kept)))
    return kept


def _lever_row(i: int, df: pd.DataFrame) -> dict[str, object]:
    sector_options = [
        g for g in S.ALL_SECTOR_GROUPS if g in set(df[S.COL_SECTOR_GROUP])
    ]
    region_options = sorted(set(df[S.COL_REGION]))
    country_options = sorted(set(df[S.COL_COUNTRY]) - {""})
    agency_options = sorted(set(df[S.COL_AGENCY].astype(str)) - {""})
    for part, options in (
        ("sectors", sector_options),
        ("regions", region_options),
        ("countries", country_options),
        ("agencies", agency_options),
    ):
        _fit_to_options(i, part, options)
    _fit_to_slider(i, st.session_state.get(_lever_key(i, "kind"), "budget"))
    with st.container(border=True):
        projects = _projects(i, df)
        top = st.columns([2, 4, 1])
        kind = top[0].selectbox(
            t("scen.kind"),
            LEVER_KINDS,
            format_func=labeller("scen.kind."),
            key=_lever_key(i, "kind"),
            on_change=_on_kind_change,
            args=(i,),
        )
        low, high, step = SLIDER[kind]
        change = top[1].slider(
            t("scen.change." + kind),
            min_value=low,
            max_value=high,
            step=step,
            key=_lever_key(i, "change"),
        )
        top[2].button(
            t("scen.remove"),
            key=_lever_key(i, "remove"),
            on_click=_remove_lever,
            args=(i,),
            icon=":material/delete:",
        )
        cols = st.columns(4)
        sectors = cols[0].multiselect(
            t("filters.sector"),
            sector_options,
            format_func=labeller("sector."),
            key=_lever_key(i, "sectors"),
            placeholder=t("scen.everywhere"),
            select_all=False,
        )
        regions = cols[1].multiselect(
            t("filters.region"),
            region_options,
            format_func=labeller("region."),
            key=_lever_key(i, "regions"),
            placeholder=t("scen.everywhere"),
            select_all=False,
        )
        names = dict(zip(df[S.COL_COUNTRY], df[S.COL_COUNTRY_NAME], strict=False))
        countries = cols[2].multiselect(
            t("filters.country"),
            country_options,
            format_func=lambda v: names.get(v, v),
            key=_lever_key(i, "countries"),
            placeholder=t("scen.everywhere"),
            select_all=False,
        )
        agencies = cols[3].multiselect(
            t("filters.agency"),
            agency_options,
            key=_lever_key(i, "agencies"),
            placeholder=t("scen.everywhere"),
            select_all=False,
        )
    return {
        "kind": kind,
        "change": float(change),
        "sectors": sectors,
        "regions": regions,
        "countries": countries,
        "agencies": agencies,
        "projects": projects or [],
        "empty": projects == [],  # named projects, none left in the selection
    }


def _reference_input(own_label: str | None) -> str:
    """Published or own reference classes (the choice exists with an own class)."""
    if own_label is None:
        if st.session_state.get(REFERENCE, DEFAULT_REFERENCE) != DEFAULT_REFERENCE:
            st.warning(t("scen.no_own_class"), icon=":material/info:")
        st.session_state[REFERENCE] = DEFAULT_REFERENCE
        return DEFAULT_REFERENCE
    labels = {"published": t("scen.reference.published"), "own": own_label}
    return st.radio(
        t("scen.reference"),
        list(labels),
        format_func=labels.__getitem__,
        key=REFERENCE,
        horizontal=True,
        help=t("scen.reference_help"),
    )


def scenario_editor(df: pd.DataFrame, *, own_label: str | None = None) -> Scenario:
    """Draw the levers and settings; return the scenario they describe.

    Args:
        df: the filtered portfolio (choices of the lever targets).
        own_label: how to name the dataset's own reference class ("your 412
            closed projects"), or None when it has none.
    """
    if not st.session_state.get(READY):
        _read_url()
        st.session_state[READY] = True
    if st.session_state.get(NOTICE):
        st.warning(st.session_state[NOTICE], icon=":material/link_off:")
    levers = [_lever_row(i, df) for i in range(st.session_state.get(LEVERS, 0))]
    for notice in st.session_state.pop(DROPPED, []):
        st.warning(notice, icon=":material/tune:")
    st.button(t("scen.add"), on_click=_add_lever, icon=":material/add:", key="scen.add")
    cols = st.columns(3)
    horizon = cols[0].slider(
        t("scen.horizon"), min_value=12, max_value=120, step=12, key=HORIZON
    )
    policy = cols[1].selectbox(
        t("scen.policy"),
        BUDGET_POLICIES,
        format_func=labeller("scen.policy."),
        key=POLICY,
        help=t("scen.policy_help"),
    )
    precise = cols[2].toggle(
        t("scen.precise"), key=PRECISE, help=t("scen.precise_help")
    )
    reference = _reference_input(own_label)
    name = st.session_state.get(NAME) or t("scen.unnamed")
    # An "end" lever acts at 0 months (the planned end); others at 0 do nothing.
    kept = [
        {k: v for k, v in lv.items() if k != "empty"}
        for lv in levers
        if (lv["change"] != 0 or lv["kind"] == "end") and not lv["empty"]
    ]
    scenario = Scenario(
        levers=tuple(kept),
        horizon_months=int(horizon),
        trials=PRECISE_TRIALS if precise else FAST_TRIALS,
        budget_policy=policy,
        name=name,
        reference=reference,
    )
    if scenario.levers or scenario != BASELINE.with_changes(
        trials=FAST_TRIALS, name=name
    ):
        st.query_params[URL_SCENARIO] = scenario.to_token()
    else:
        st.query_params.pop(URL_SCENARIO, None)
    return scenario
