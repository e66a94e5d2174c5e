"""Scenarios: budget and capacity levers against the baseline, with ranges."""

import streamlit as st

from src.i18n import format_number
from src.widgets import model_quality, own_class, scenario_robustness
from src.widgets import scenario_panels as panels
from src.widgets import scenario_store as saved
from src.widgets.frame import context
from src.widgets.i18n import current_lang, t
from src.widgets.scenario_editor import scenario_editor

ctx = context()
st.title(t("scen.title"))
n = ctx.selection["project_id"].nunique()
st.caption(
    t("scen.portfolio_note", n=format_number(n, current_lang()), filters=ctx.caption_md)
)
if ctx.selection.empty:
    st.info(t("overview.empty"), icon=":material/filter_alt_off:")
    st.stop()

scenario = scenario_editor(ctx.selection, own_label=own_class.own_label())
comparison = panels.run_comparison(ctx, scenario)
panels.render_summary(ctx, scenario, comparison)
own_class.render_reference_caption(scenario.reference)
scenario_robustness.render_robustness(ctx, scenario)

tabs = st.tabs(
    [
        t("scen.tab.delivery"),
        t("scen.tab.delays"),
        t("scen.tab.map"),
        t("scen.tab.drivers"),
        t("scen.tab.compare"),
        t("scen.tab.save"),
        t("scen.tab.assumptions"),
    ]
)
with tabs[0]:
    panels.render_delivery(comparison)
with tabs[1]:
    panels.render_delays(comparison)
with tabs[2]:
    panels.render_change_map(ctx, comparison)
with tabs[3]:
    panels.render_drivers(ctx, scenario)
with tabs[4]:
    saved.render_comparison(ctx, saved.compare_picker())
with tabs[5]:
    saved.render_save(scenario, ctx)
    saved.render_library(ctx)
with tabs[6]:
    model_quality.render_model_quality(comparison.baseline.info["reference_rows"])
    panels.render_assumptions()
