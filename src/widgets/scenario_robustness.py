"""Assumptions vs luck: does a scenario's conclusion hold under every assumption?"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.engine.scenario import Scenario
from src.engine.sensitivity import Robustness, robustness
from src.presentation.metrics import format_metric
from src.widgets import analysis_cache, cache, state
from src.widgets.bounded import bounded
from src.widgets.frame import Context
from src.widgets.i18n import current_lang, t
from src.widgets.layout import whole_table

TOGGLE = state.SCEN_ROBUSTNESS
METRICS = (
    "on_time_rate",
    "mean_delay_months",
    "cost_overrun_pct",
    "delivered_scope_share",
    "funding_gap_usd",
)


def verdict(r: Robustness) -> str:
    """The conclusion in words: holds, no change, or depends on which assumptions."""
    if r.holds:
        return t("rob.holds")
    if abs(r.delta) < 1e-9 and abs(r.low) < 1e-9 and abs(r.high) < 1e-9:
        return t("rob.no_change")
    names = ", ".join(t("param." + p) for p in r.flipped_by)
    return t("rob.depends", names=names)


def robustness_table(items: list[Robustness], lang: str) -> pd.DataFrame:
    """One row per metric: change, luck (P10–P90), range over assumptions, verdict."""

    def fmt(metric: str, value: float) -> str:
        return format_metric(metric, value, lang, delta=True)

    return pd.DataFrame(
        [
            {
                t("rob.col.metric"): t("metric." + r.metric),
                t("rob.col.change"): fmt(r.metric, r.delta),
                t("rob.col.luck"): f"{fmt(r.metric, r.luck[0])} … "
                f"{fmt(r.metric, r.luck[1])}",
                t("rob.col.assumptions"): f"{fmt(r.metric, r.low)} … "
                f"{fmt(r.metric, r.high)}",
                t("rob.col.verdict"): verdict(r),
            }
            for r in items
            if r.metric in METRICS
        ]
    )


def render_robustness(ctx: Context, scenario: Scenario) -> None:
    """On request: the change under each key assumption's low and high value."""
    if not scenario.levers:
        return
    st.caption(t("rob.note"))
    if not st.toggle(t("rob.run"), key=TOGGLE):
        return
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    token = scenario.to_token()
    with st.spinner(t("rob.running")):
        ranges = bounded(
            lambda check: analysis_cache.scenario_assumptions(
                dataset, ctx.spec, token, check
            )
        )
    if ranges is None:
        return
    whole_table(robustness_table(robustness(ranges), current_lang()))
