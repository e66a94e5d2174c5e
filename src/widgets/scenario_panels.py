"""Scenario page panels: run, charts with their tables, map, drivers, assumptions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.engine.calibration import load_calibration
from src.engine.metrics import Comparison
from src.engine.montecarlo import combine
from src.engine.narrative import change_summary
from src.engine.scenario import Scenario
from src.engine.work_limits import Check
from src.i18n import format_money, format_number
from src.portfolio.paths import ROOT
from src.portfolio.summary import by_country
from src.widgets import analysis_cache, cache, model_quality, state
from src.widgets import map as worldmap
from src.widgets import scenario_results as results
from src.widgets.assumptions import build_assumptions_table
from src.widgets.bounded import bounded
from src.widgets.charts import localised
from src.widgets.frame import Context
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import whole_table


def run_comparison(ctx: Context, scenario: Scenario) -> Comparison:
    """Baseline and scenario from the cache (each run once per settings)."""
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)

    def both(check: Check) -> Comparison:  # one time limit for both runs
        with st.spinner(t("scen.running", trials=scenario.trials)):
            base_token = scenario.baseline().to_token()
            base = cache.scenario_run(dataset, ctx.spec, base_token, check)
            scen = cache.scenario_run(dataset, ctx.spec, scenario.to_token(), check)
        return combine(base, scen)

    comp = bounded(both)
    if comp is None:
        st.stop()
    return comp


def render_summary(ctx: Context, scenario: Scenario, comp: Comparison) -> None:
    """The plain-language sentence and the baseline → scenario cards."""
    summary = change_summary(ctx.selection.reset_index(drop=True), scenario, comp)
    sentence = results.summary_sentence(scenario, summary)
    st.info(md_escape(sentence), icon=":material/summarize:")
    lang = current_lang()
    for item in comp.scenario.info.get("levers_on_finished", []):
        n = {k: format_number(v, lang) for k, v in item.items()}
        if item["finished"] == item["targeted"]:
            st.warning(
                t("scen.lever_finished_only", lever=n["lever"], n=n["finished"]),
                icon=":material/history:",
            )
        else:
            n["finished"] = item["finished"]  # the count of a plural entry
            st.caption(t("scen.lever_some_finished", **n))
    results.render_metric_cards(comp, baseline_only=not scenario.levers)
    if any(lever.kind == "end" for lever in scenario.levers):
        # closing at the planned end reads as "on time" in the timing cards
        st.warning(t("scen.end_reading"), icon=":material/info:")
    st.caption(
        t(
            "scen.cards_note_baseline" if not scenario.levers else "scen.cards_note",
            trials=t("scen.n_trials", n=comp.scenario.info["trials"]),
            tolerance=t(
                "cont.months", months=comp.scenario.info["on_time_tolerance_months"]
            ),
        )
    )
    st.caption(model_quality.caveat(comp.scenario.info))


def render_delivery(comp: Comparison) -> None:
    """Fan chart of delivery per year with its table."""
    lang = current_lang()
    st.altair_chart(
        localised(results.build_fan_chart(comp.baseline, comp.scenario)),
        alt=t("scen.fan_alt"),
        key=state.SCEN_FAN,
    )
    with st.expander(t("chart.show_table")):
        rows = []
        for label, res in (
            (t("scen.baseline"), comp.baseline),
            (t("scen.scenario"), comp.scenario),
        ):
            for rec in res.delivery.itertuples(index=False):
                rows.append(
                    {
                        t("scen.run"): label,
                        t("scen.year_after"): rec.year,
                        "P10": format_money(rec.p10, lang),
                        "P50": format_money(rec.p50, lang),
                        "P90": format_money(rec.p90, lang),
                    }
                )
        whole_table(pd.DataFrame(rows))


def render_delays(comp: Comparison) -> None:
    """Histogram of project delays."""
    st.altair_chart(
        localised(results.build_delay_histogram(comp.baseline, comp.scenario)),
        alt=t("scen.hist_alt"),
        key=state.SCEN_HIST,
    )
    results.render_affected(comp)


def render_change_map(ctx: Context, comp: Comparison) -> None:
    """The overview's map widget, coloured by the change in mean delay."""
    lang = current_lang()
    deck, legend = worldmap.build_portfolio_deck(
        by_country(ctx.selection),
        ctx.selection,
        metric=worldmap.CHANGE,
        lang=lang,
        change=results.country_change(comp),
        clickable=False,
    )
    worldmap.deck_chart(deck, height=460, key=state.SCEN_MAP, alt=t("scen.map_alt"))
    worldmap.render_legend(legend, t("map.metric.change"))
    worldmap.render_risk_legend(ctx.selection, lang, clickable=False)


def render_drivers(ctx: Context, scenario: Scenario) -> None:
    """Tornado chart of what moves the on-time rate (computed on request)."""
    st.caption(t("scen.drivers_note"))
    if not st.toggle(t("scen.drivers_run"), key=state.SCEN_DRIVERS):
        return
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    with st.spinner(t("scen.drivers_running")):
        swings = bounded(
            lambda check: analysis_cache.scenario_sensitivity(
                dataset, ctx.spec, scenario.to_token(), "mean_delay_months", check
            )
        )
    if swings is None:
        return
    st.altair_chart(
        localised(results.build_tornado(swings)),
        key=state.SCEN_TORNADO,
        alt=t("scen.drivers_alt"),
    )
    with st.expander(t("chart.show_table")):
        whole_table(swings)


def render_assumptions() -> None:
    """The model's parameters with their sources, and the model documentation."""
    params = build_assumptions_table(load_calibration().params, current_lang())
    st.markdown(t("scen.assumptions_intro"))
    whole_table(params)
    with st.expander(t("scen.model_doc")):
        st.markdown((ROOT / "docs/MODEL.md").read_text("utf-8"))
