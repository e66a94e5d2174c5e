"""Scenarios: budget and capacity levers against the baseline, with ranges."""

import streamlit as st

from src.widgets import model_quality, own_class, scenario_robustness, state
from src.widgets import scenario_panels as panels
from src.widgets import scenario_store as saved
from src.widgets.frame import context
from src.widgets.i18n import t
from src.widgets.layout import lazy_tabs
from src.widgets.scenario_editor import scenario_editor

ctx = context()
st.title(t("scen.title"))
n = ctx.selection["project_id"].nunique()
st.caption(t("scen.portfolio_note", n=n, filters=ctx.caption_md))
if ctx.selection.empty:
    st.info(t("overview.empty"), icon=":material/filter_alt_off:")
    st.stop()


@st.fragment
def workspace() -> None:
    """Levers and results: moving a lever reruns only this part of the page."""
    scenario = scenario_editor(ctx.selection, own_label=own_class.own_label())
    comparison = panels.run_comparison(ctx, scenario)
    panels.render_summary(ctx, scenario, comparison)
    own_class.render_reference_caption(scenario.reference)
    scenario_robustness.render_robustness(ctx, scenario)

    def save() -> None:
        saved.render_save(scenario, ctx)
        saved.render_library(ctx)

    def assumptions() -> None:
        model_quality.render_model_quality(comparison.baseline.info["reference_rows"])
        panels.render_assumptions()

    # Only the open tab is drawn; a link with ?compare= opens the comparison.
    lazy_tabs(
        [
            (t("scen.tab.delivery"), lambda: panels.render_delivery(comparison)),
            (t("scen.tab.delays"), lambda: panels.render_delays(comparison)),
            (t("scen.tab.map"), lambda: panels.render_change_map(ctx, comparison)),
            (t("scen.tab.drivers"), lambda: panels.render_drivers(ctx, scenario)),
            (
                t("scen.tab.compare"),
                lambda: saved.render_comparison(ctx, saved.compare_picker()),
            ),
            (t("scen.tab.save"), save),
            (t("scen.tab.assumptions"), assumptions),
        ],
        key=state.SCEN_TABS,
        default=t("scen.tab.compare") if saved.compare_linked() else None,
    )


workspace()
