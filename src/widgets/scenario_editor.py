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
from src.i18n import format_number_as_needed
from src.portfolio import schema as S
from src.widgets import state
from src.widgets.i18n import current_lang, labeller, md_escape, t
from src.widgets.state import lever_key
from src.widgets.url_state import set_param

FAST_TRIALS = 200
PRECISE_TRIALS = 2_000
# One range per lever kind, the engine's (src.engine.scenario.LEVER_RANGES).
SLIDER = {
    kind: (int(lo), int(hi), int(step)) if kind != "risk" else (lo, hi, step)
    for kind, (lo, hi, step) in LEVER_RANGES.items()
}


def load_into_state(scenario: Scenario) -> None:
    """Put a scenario into the editor's widgets (URL, store, file)."""
    prefix = state.item_key(state.SCEN_LEVER, "")
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    st.session_state[state.SCEN_LEVERS] = len(scenario.levers)
    for i, lever in enumerate(scenario.levers):
        st.session_state[lever_key(i, "kind")] = lever.kind
        st.session_state[lever_key(i, "change")] = (
            float(lever.change) if lever.kind == "risk" else int(round(lever.change))
        )
        st.session_state[lever_key(i, "sectors")] = list(lever.sectors)
        st.session_state[lever_key(i, "regions")] = list(lever.regions)
        st.session_state[lever_key(i, "countries")] = list(lever.countries)
        st.session_state[lever_key(i, "agencies")] = list(lever.agencies)
        st.session_state[lever_key(i, "projects")] = list(lever.projects)
    st.session_state[state.SCEN_HORIZON] = scenario.horizon_months
    st.session_state[state.SCEN_POLICY] = scenario.budget_policy
    st.session_state[state.SCEN_PRECISE] = scenario.trials > FAST_TRIALS
    st.session_state[state.SCEN_REFERENCE] = scenario.reference
    st.session_state[state.SCEN_NAME] = (
        "" if scenario.name == BASELINE.name else scenario.name
    )


def _read_url() -> None:
    token = st.query_params.get(state.URL_SCENARIO)
    st.session_state[state.SCEN_NOTICE] = ""
    default = BASELINE.with_changes(trials=FAST_TRIALS)
    if not token:
        load_into_state(default)
        return
    try:
        load_into_state(Scenario.from_token(token))
    except ValueError as exc:
        load_into_state(default)
        st.session_state[state.SCEN_NOTICE] = t(
            "scen.bad_link", value=md_escape(token[:40]), reason=md_escape(str(exc))
        )


def _add_lever() -> None:
    i = st.session_state.get(state.SCEN_LEVERS, 0)
    st.session_state[lever_key(i, "kind")] = "budget"
    st.session_state[lever_key(i, "change")] = 0
    st.session_state[state.SCEN_LEVERS] = i + 1


def _remove_lever(index: int) -> None:
    n = st.session_state.get(state.SCEN_LEVERS, 0)
    for i in range(index, n - 1):
        for part in state.LEVER_PARTS:
            st.session_state[lever_key(i, part)] = st.session_state.get(
                lever_key(i + 1, part)
            )
    for part in state.LEVER_PARTS:
        st.session_state.pop(lever_key(n - 1, part), None)
    st.session_state[state.SCEN_LEVERS] = n - 1


def _on_kind_change(i: int) -> None:
    kind = st.session_state[lever_key(i, "kind")]
    st.session_state[lever_key(i, "change")] = 0.0 if kind == "risk" else 0


def _fit_to_options(i: int, part: str, options: list[str]) -> None:
    """Drop target values of a loaded lever that the selection does not have."""
    key = lever_key(i, part)
    values = st.session_state.get(key) or []
    kept = [v for v in values if v in options]
    if len(kept) != len(values):
        dropped = [v for v in values if v not in options]
        st.session_state[key] = kept
        st.session_state.setdefault(state.SCEN_DROPPED, []).append(
            t("scen.target_dropped", lever=i + 1, values=md_escape(", ".join(dropped)))
        )


def _fit_to_slider(i: int, kind: str) -> None:
    """Round a loaded change to the slider's step (and range), saying so."""
    key = lever_key(i, "change")
    low, high, step = SLIDER[kind]
    value = st.session_state.get(key, 0)
    fitted = min(max(round(float(value) / step) * step, low), high)
    fitted = float(fitted) if kind == "risk" else int(fitted)
    if fitted != value:
        st.session_state[key] = fitted
        st.session_state.setdefault(state.SCEN_DROPPED, []).append(
            t(
                "scen.change_rounded",
                lever=i + 1,
                value=format_number_as_needed(float(value), current_lang()),
                shown=format_number_as_needed(float(fitted), current_lang()),
            )
        )


def open_in_scenarios(
    scenario: Scenario, lang: str, countries: tuple[str, ...] = ()
) -> None:
    """Switch to the Scenarios page with `scenario` in the editor (via its link).

    Args:
        scenario: the scenario to edit.
        lang: the UI language.
        countries: simulate these countries (the sidebar's country filter):
            one country's cliff is read on that country's delivery, not
            diluted in the whole portfolio's.
    """
    st.session_state.pop(state.SCEN_READY, None)  # the editor reads the link again
    params: dict[str, str | list[str]] = {
        state.URL_SCENARIO: scenario.to_token(),
        state.URL_LANG: lang,
    }
    if countries:
        params[state.URL_MULTI[state.FILTER_COUNTRIES]] = list(countries)
        # the sidebar reads the link's filters again (the others stay as set)
        st.session_state.pop(state.FILTERS_READY, None)
    st.switch_page(state.SCENARIOS_PAGE, query_params=params)


def _projects(i: int, df: pd.DataFrame) -> list[str] | None:
    """The lever's project targets (None: the lever names none), said in words.

    Projects the selection lacks are dropped with a notice; a lever whose
    projects are all dropped is removed (it would otherwise hit every row).
    """
    key = lever_key(i, "projects")
    if not st.session_state.get(key):
        return None
    _fit_to_options(i, "projects", set(df[S.COL_PROJECT_ID].astype(str)))
    kept = st.session_state.get(key) or []
    st.caption(t("scen.projects_target", n=len(kept)))
    return kept


def _targets(df: pd.DataFrame) -> tuple[tuple[str, str, list, object], ...]:
    """(lever part, label key, options, format_func) of each target box."""
    names = dict(zip(df[S.COL_COUNTRY], df[S.COL_COUNTRY_NAME], strict=False))
    present = set(df[S.COL_SECTOR_GROUP])
    return (
        (
            "sectors",
            "filters.sector",
            [g for g in S.ALL_SECTOR_GROUPS if g in present],
            labeller("sector."),
        ),
        (
            "regions",
            "filters.region",
            sorted(set(df[S.COL_REGION])),
            labeller("region."),
        ),
        (
            "countries",
            "filters.country",
            sorted(set(df[S.COL_COUNTRY]) - {""}),
            lambda v: names.get(v, v),
        ),
        (
            "agencies",
            "filters.agency",
            sorted(set(df[S.COL_AGENCY].astype(str)) - {""}),
            str,
        ),
    )


def _lever_row(i: int, df: pd.DataFrame) -> dict[str, object]:
    targets = _targets(df)
    for part, _, options, _ in targets:
        _fit_to_options(i, part, options)
    _fit_to_slider(i, st.session_state.get(lever_key(i, "kind"), "budget"))
    with st.container(border=True):
        projects = _projects(i, df)
        top = st.columns([2, 4, 1])
        kind = top[0].selectbox(
            t("scen.kind"),
            LEVER_KINDS,
            format_func=labeller("scen.kind."),
            key=lever_key(i, "kind"),
            on_change=_on_kind_change,
            args=(i,),
        )
        low, high, step = SLIDER[kind]
        change = top[1].slider(
            t("scen.change." + kind),
            min_value=low,
            max_value=high,
            step=step,
            key=lever_key(i, "change"),
        )
        top[2].button(
            t("scen.remove"),
            key=lever_key(i, state.LEVER_REMOVE),
            on_click=_remove_lever,
            args=(i,),
            icon=":material/delete:",
        )
        chosen = {
            part: col.multiselect(
                t(label),
                options,
                format_func=format_func,
                key=lever_key(i, part),
                placeholder=t("scen.everywhere"),
                select_all=False,
            )
            for col, (part, label, options, format_func) in zip(
                st.columns(len(targets)), targets, strict=True
            )
        }
    return {
        "kind": kind,
        "change": float(change),
        **chosen,
        "projects": projects or [],
        "empty": projects == [],  # named projects, none left in the selection
    }


def _reference_input(own_label: str | None) -> str:
    """Published or own reference classes (the choice exists with an own class)."""
    if own_label is None:
        if (
            st.session_state.get(state.SCEN_REFERENCE, DEFAULT_REFERENCE)
            != DEFAULT_REFERENCE
        ):
            st.warning(t("scen.no_own_class"), icon=":material/info:")
        st.session_state[state.SCEN_REFERENCE] = DEFAULT_REFERENCE
        return DEFAULT_REFERENCE
    labels = {"published": t("scen.reference.published"), "own": own_label}
    return st.radio(
        t("scen.reference"),
        list(labels),
        format_func=labels.__getitem__,
        key=state.SCEN_REFERENCE,
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
    if not st.session_state.get(state.SCEN_READY):
        _read_url()
        st.session_state[state.SCEN_READY] = True
    if st.session_state.get(state.SCEN_NOTICE):
        st.warning(st.session_state[state.SCEN_NOTICE], icon=":material/link_off:")
    levers = [
        _lever_row(i, df) for i in range(st.session_state.get(state.SCEN_LEVERS, 0))
    ]
    for notice in st.session_state.pop(state.SCEN_DROPPED, []):
        st.warning(notice, icon=":material/tune:")
    st.button(
        t("scen.add"), on_click=_add_lever, icon=":material/add:", key=state.SCEN_ADD
    )
    cols = st.columns(3)
    horizon = cols[0].slider(
        t("scen.horizon"), min_value=12, max_value=120, step=12, key=state.SCEN_HORIZON
    )
    policy = cols[1].selectbox(
        t("scen.policy"),
        BUDGET_POLICIES,
        format_func=labeller("scen.policy."),
        key=state.SCEN_POLICY,
        help=t("scen.policy_help"),
    )
    precise = cols[2].toggle(
        t("scen.precise"), key=state.SCEN_PRECISE, help=t("scen.precise_help")
    )
    reference = _reference_input(own_label)
    name = st.session_state.get(state.SCEN_NAME) or t("scen.unnamed")
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
        set_param(state.URL_SCENARIO, scenario.to_token())
    else:
        set_param(state.URL_SCENARIO, None)
    return scenario
