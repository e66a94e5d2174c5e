"""Scenario results: summary sentence, baseline → scenario cards, charts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.engine.metrics import Comparison, SimulationResult
from src.engine.narrative import ChangeSummary
from src.engine.scenario import Scenario
from src.i18n import format_money, format_number
from src.presentation.metrics import format_metric
from src.widgets.i18n import current_lang, t
from src.widgets.layout import card_row

# Metrics where a fall is good news (the delta is coloured the other way).
LOWER_IS_BETTER = ("median_delay_months", "cost_overrun_pct", "funding_gap_usd")
HEADLINE = (
    "on_time_rate",
    "median_delay_months",
    "cost_overrun_pct",
    "delivered_scope_share",
    "funding_gap_usd",
)


def lever_phrase(scenario: Scenario, lang: str) -> str:
    """The levers in words: "budget −20% in Health; capacity +15% in …"."""
    if not scenario.levers:
        return t("scen.no_lever")
    parts = []
    for lv in scenario.levers:
        target = [t("sector." + s) for s in lv.sectors]
        target += [t("region." + r) for r in lv.regions] + list(lv.countries)
        if lv.projects:
            target.append(t("scen.n_projects", n=len(lv.projects)))
        where = ", ".join(target) if target else t("scen.whole_portfolio")
        if lv.kind in ("end", "extend", "risk"):  # plural entries: a raw count
            size = lv.change
        else:
            size = ("+" if lv.change > 0 else "") + format_number(lv.change, lang)
        parts.append(t("scen.lever_phrase." + lv.kind, change=size, target=where))
    return "; ".join(parts)


def summary_sentence(scenario: Scenario, s: ChangeSummary) -> str:
    """The plain-language result, generated from the numbers and translated."""
    lang = current_lang()
    if not scenario.levers:
        return t("scen.summary_baseline")
    lead = lever_phrase(scenario, lang)
    lead = lead[:1].upper() + lead[1:]
    counts = {  # counted by the targeted projects; the months are their own
        "delayed": format_number(s.delayed, lang),
        "advanced": format_number(s.advanced, lang),
        "targeted": s.targeted,
        "months": t("unit.months", value=s.median_extra_delay),
        "saved": t("unit.months", value=s.median_time_saved),
    }
    if s.delayed and s.advanced:
        delays = t("scen.summary_mixed", **counts)
    elif s.delayed:
        delays = t("scen.summary_delays", **counts)
    elif s.advanced:
        delays = t("scen.summary_faster", **counts)
    else:
        delays = t("scen.summary_no_delay", targeted=s.targeted)
    if s.value_change_p50 < 0:
        value = t(
            "scen.summary_undelivered",
            value=format_money(-s.value_change_p50, lang),
            low=format_money(-s.value_change_p90, lang),
            high=format_money(-s.value_change_p10, lang),
        )
    elif s.value_change_p50 > 0:
        value = t(
            "scen.summary_more",
            value=format_money(s.value_change_p50, lang),
            low=format_money(s.value_change_p10, lang),
            high=format_money(s.value_change_p90, lang),
        )
    else:
        value = t("scen.summary_same_value")
    return t("scen.summary", lead=lead, delays=delays, value=value)


def render_metric_cards(comp: Comparison, *, baseline_only: bool = False) -> None:
    """Baseline → scenario for each headline metric, with the CRN difference.

    With `baseline_only` (no lever set) each card shows the baseline's median
    and its own P10–P90 range over the trials: "x → x" with a zero difference
    would say nothing.
    """
    lang = current_lang()
    base_stats = comp.baseline.portfolio.set_index("metric")
    deltas = comp.deltas.set_index("metric")
    d1 = comp.delivery_deltas.iloc[0]
    year1 = comp.baseline.delivery.iloc[0], comp.scenario.delivery.iloc[0]
    cards = [
        (
            m,
            base_stats.loc[m],
            deltas.loc[m, "scenario_p50"],
            deltas.loc[m, ["p50", "p10", "p90"]].to_numpy(),
        )
        for m in HEADLINE
    ]
    cards.insert(
        4, ("delivery_y1", year1[0], year1[1]["p50"], d1[["p50", "p10", "p90"]])
    )
    # a row that wraps: a card as wide as its figure is never cut (FR, ES)
    cols = card_row(len(cards))
    for i, (metric, base, scen, (diff, low, high)) in enumerate(cards):
        unit = "funding_gap_usd" if metric == "delivery_y1" else metric
        shown = format_metric(unit, base["p50"], lang)
        if baseline_only:
            value = shown
            delta = t(
                "scen.range",
                low=format_metric(unit, base["p10"], lang),
                high=format_metric(unit, base["p90"], lang),
            )
        else:
            value = f"{shown} → {format_metric(unit, scen, lang)}"
            rng = t(
                "scen.range",
                low=format_metric(unit, low, lang, delta=True),
                high=format_metric(unit, high, lang, delta=True),
            )
            delta = f"{format_metric(unit, diff, lang, delta=True)} ({rng})"
        colour = "inverse" if metric in LOWER_IS_BETTER else "normal"
        still = baseline_only or abs(diff) < 1e-9  # no change: no colour, no arrow
        # st.metric renders Markdown: two "$" would start a LaTeX formula.
        cols[i].metric(
            t("metric." + metric),
            value.replace("$", r"\$"),
            delta=delta.replace("$", r"\$"),
            delta_color="off" if still else colour,
            delta_arrow="off" if still else "auto",
            border=True,
            help=t("metric_help." + metric),
        )


def build_fan_chart(base: SimulationResult, scen: SimulationResult) -> alt.Chart:
    """Delivery (spend per year) with P10–P90 bands, baseline vs scenario."""
    label_b, label_s = t("scen.baseline"), t("scen.scenario")
    data = pd.concat(
        [base.delivery.assign(run=label_b), scen.delivery.assign(run=label_s)]
    )
    data = data.assign(
        p10m=data["p10"] / 1e6, p50m=data["p50"] / 1e6, p90m=data["p90"] / 1e6
    )
    color = alt.Color(
        "run:N",
        scale=alt.Scale(domain=[label_b, label_s], range=["#7f7f7f", "#0069a8"]),
        title=None,
    )
    x = alt.X("year:O", title=t("scen.year_after"), axis=alt.Axis(labelAngle=0))
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.25)
        .encode(x=x, y=alt.Y("p10m:Q", title=t("chart.budget_musd")), y2="p90m:Q")
        .encode(color=color)
    )
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y="p50m:Q",
            color=color,
            tooltip=[
                "run:N",
                "year:O",
                alt.Tooltip("p10m:Q", format=",.1f", title="P10"),
                alt.Tooltip("p50m:Q", format=",.1f", title="P50"),
                alt.Tooltip("p90m:Q", format=",.1f", title="P90"),
            ],
        )
    )
    return (band + line).properties(height=300)


def build_delay_histogram(base: SimulationResult, scen: SimulationResult) -> alt.Chart:
    """Distribution of project median delays (months), baseline vs scenario."""
    label_b, label_s = t("scen.baseline"), t("scen.scenario")
    data = pd.concat(
        [
            base.rows[["delay_p50"]].assign(run=label_b),
            scen.rows[["delay_p50"]].assign(run=label_s),
        ]
    )
    return (
        alt.Chart(data)
        .mark_bar(opacity=0.6)
        .encode(
            x=alt.X("delay_p50:Q", bin=alt.Bin(step=3), title=t("scen.delay_months")),
            y=alt.Y("count():Q", stack=None, title=t("col.projects")),
            color=alt.Color(
                "run:N",
                scale=alt.Scale(
                    domain=[label_b, label_s], range=["#7f7f7f", "#0069a8"]
                ),
                title=None,
            ),
        )
        .properties(height=300)
    )


def affected_groups(comp: Comparison, dimension: str, metric: str) -> pd.DataFrame:
    """Groups of one dimension ranked by the change of a metric's P50."""
    g = comp.baseline.groups
    s = comp.scenario.groups
    keys = ["dimension", "group", "metric"]
    merged = g[keys + ["rows", "p50"]].merge(
        s[keys + ["p50"]], on=keys, suffixes=("_base", "_scen")
    )
    out = merged[(merged["dimension"] == dimension) & (merged["metric"] == metric)]
    out = out.assign(change=out["p50_scen"] - out["p50_base"])
    return out.reindex(out["change"].abs().sort_values(ascending=False).index)


def render_affected(comp: Comparison) -> None:
    """The sectors and countries whose mean delay changes most."""
    lang = current_lang()
    cols = st.columns(2)
    for col, (dimension, prefix) in zip(
        cols, (("sector_group", "sector."), ("country_iso3", "")), strict=True
    ):
        table = affected_groups(comp, dimension, "mean_delay_months").head(8)
        col.dataframe(
            pd.DataFrame(
                {
                    t("scen.group." + dimension): [
                        t(prefix + g) if prefix else g for g in table["group"]
                    ],
                    t("col.projects"): table["rows"],
                    t("scen.base_delay"): table["p50_base"].map(
                        lambda v: format_number(v, lang, 1)
                    ),
                    t("scen.scen_delay"): table["p50_scen"].map(
                        lambda v: format_number(v, lang, 1)
                    ),
                }
            ),
            hide_index=True,
        )


def country_change(comp: Comparison) -> pd.Series:
    """Change of the P50 mean delay (months) per country, indexed by ISO3."""
    table = affected_groups(comp, "country_iso3", "mean_delay_months")
    return table.set_index("group")["change"]


def factor_label(factor_kind: str, lever_kind: str, target: str, parameter: str) -> str:
    """A tornado factor in words: a parameter's name, or the lever and its target."""
    if factor_kind == "parameter":
        return t("param." + parameter)
    where = target or t("scen.whole_portfolio")
    return t("scen.factor_lever", kind=t("scen.kind." + lever_kind), target=where)


def build_tornado(swings: pd.DataFrame) -> alt.Chart:
    """What moves the result: one bar per lever or parameter, low to high."""
    data = swings.assign(
        factor_label=[
            factor_label(*r)
            for r in swings[
                ["factor_kind", "lever_kind", "target", "parameter"]
            ].itertuples(index=False)
        ],
        lo=swings[["low", "high"]].min(axis=1),
        hi=swings[["low", "high"]].max(axis=1),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0069a8")
        .encode(
            y=alt.Y(
                "factor_label:N",
                sort=list(data["factor_label"]),
                title=None,
                axis=alt.Axis(labelLimit=320),
            ),
            x=alt.X("lo:Q", title=t("scen.tornado_axis"), scale=alt.Scale(zero=False)),
            x2="hi:Q",
            tooltip=["factor_label:N", "setting:N", "low:Q", "high:Q"],
        )
    )
    rule = alt.Chart(data.head(1)).mark_rule(color="black").encode(x="base:Q")
    return (bars + rule).properties(height=max(160, 28 * len(data)))
