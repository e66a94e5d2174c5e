"""Continuity and handover: funding cliff, runway, multi-year and new budgets."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from src.engine.cliff import cliff_projects, cliff_scenarios
from src.engine.scenario import BASELINE
from src.engine.scenario_limits import MAX_TARGET_VALUES
from src.i18n import (
    format_date,
    format_money,
    format_number,
    format_percent,
    translate,
)
from src.portfolio import continuity as C
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables, budget_table
from src.widgets import state
from src.widgets.charts import localised
from src.widgets.i18n import current_lang, labeller, t
from src.widgets.layout import card_row
from src.widgets.map_points import shorten
from src.widgets.scenario_editor import FAST_TRIALS, open_in_scenarios
from src.widgets.url_state import mirror_choice, seed_choice

RUNWAY_ROWS = 40  # the Gantt shows the projects ending soonest
TITLE_CHARS = 45
RUNWAY_ROW_PX = 20
# 12, 24, 36 months, later (or overdue), budgeted after its end
STATUS_COLOURS = ["#c62828", "#ef6c00", "#f9a825", "#90a4ae", "#2e7d32"]


def budgets_of(side: SideTables | None) -> pd.DataFrame:
    """The budgets table of a dataset's side tables (empty when it has none)."""
    return side.budgets if side is not None else budget_table([])


def _as_of(meta_as_of: str) -> date:
    return date.fromisoformat(meta_as_of)


def render_coverage(
    rows: pd.DataFrame, budgets: pd.DataFrame, as_of: date, *, bundled: bool = True
) -> None:
    """What the continuity figures rest on, and what the data cannot show.

    The bundled sample's limits (COVID-19 tag, WHO bienniums) are said only of
    it; an imported dataset gets the limits any dataset has.
    """
    lang = current_lang()
    cov = C.coverage(rows, budgets, as_of)
    st.caption(
        t(
            "cont.coverage",
            active=format_number(cov.active, lang),
            rows=cov.rows,
            budgets=t(
                "cont.coverage_budgets",
                with_budgets=format_number(cov.with_budget_periods, lang),
                projects=cov.projects,
            ),
            as_of=format_date(as_of, lang),
        )
    )
    if not cov.budget_periods:
        st.warning(t("cont.no_budget_periods"), icon=":material/info:")
    st.caption(t("cont.limits" if bundled else "cont.limits_import"))


def render_cliff(rows: pd.DataFrame, budgets: pd.DataFrame, as_of: date) -> None:
    """The cliff at 12, 24 and 36 months as metrics."""
    lang = current_lang()
    cliff = C.cliff(rows, budgets, as_of)
    cols = card_row(len(cliff))
    for col, r in zip(cols, cliff.itertuples(index=False), strict=True):
        col.metric(
            t("cont.cliff", months=r.months),
            format_money(r.budget_usd, lang).replace("$", r"\$"),
            help=t("cont.cliff_help"),
            border=True,
        )
        col.caption(
            t(
                "cont.cliff_note",
                projects=r.projects,
                share=format_percent(r.share_of_active_budget, lang),
            )
        )


def render_cliff_scenario(
    rows: pd.DataFrame, budgets: pd.DataFrame, as_of: date
) -> None:
    """Buttons opening the Scenarios page with the cliff as a lever."""
    lang = current_lang()
    seed_choice(state.CONT_HORIZON, state.URL_CONT_HORIZON, C.HORIZONS, C.HORIZONS[0])
    months = st.segmented_control(
        t("cont.horizon"),
        list(C.HORIZONS),
        format_func=lambda m: translate("cont.months", lang, months=m),
        key=state.CONT_HORIZON,
    )
    mirror_choice(state.URL_CONT_HORIZON, months, C.HORIZONS[0])
    months = int(months or C.HORIZONS[0])
    n = len(cliff_projects(rows, budgets, as_of, months))
    if n == 0:
        st.caption(t("cont.cliff_empty", months=months))
        return
    if n > MAX_TARGET_VALUES:
        st.caption(t("cont.cliff_too_many", n=n, max=MAX_TARGET_VALUES))
        return
    base = BASELINE.with_changes(trials=FAST_TRIALS)
    countries = tuple(sorted(set(rows[S.COL_COUNTRY].astype(str)) - {""}))
    end, extend = cliff_scenarios(rows, budgets, as_of, months=months, base=base)
    cols = card_row(2)
    if cols[0].button(
        t("cont.scenario_end", n=n),
        key=state.CONT_SCEN_END,
        icon=":material/trending_down:",
        help=t("cont.scenario_end_help"),
    ):
        name = t("cont.scen_name_end", months=months)
        open_in_scenarios(end.with_changes(name=name), lang, countries)
    if cols[1].button(
        t("cont.scenario_extend", n=n),
        key=state.CONT_SCEN_EXTEND,
        icon=":material/trending_up:",
        help=t("cont.scenario_extend_help"),
    ):
        name = t("cont.scen_name_extend", months=months)
        open_in_scenarios(extend.with_changes(name=name), lang, countries)


def render_shares(rows: pd.DataFrame, budgets: pd.DataFrame, as_of: date) -> None:
    """Multi-year share and forward visibility of this year's budget."""
    lang = current_lang()
    my = C.multi_year(rows)
    fv = C.forward_visibility(rows, budgets, as_of)
    cols = card_row(1 + len(fv))
    cols[0].metric(
        t("cont.multi_year"),
        format_percent(my["share_budget"], lang),
        help=t("cont.multi_year_help"),
        border=True,
    )
    cols[0].caption(
        t(
            "cont.multi_year_note",
            n=format_number(my["multi_year_rows"], lang),
            rows=my["rows"],
        )
    )
    for col, r in zip(cols[1:], fv.itertuples(index=False), strict=True):
        col.metric(
            t("cont.visible", year=r.year, base=as_of.year),
            format_percent(r.share, lang),
            help=t("cont.visible_help", base=as_of.year),
            border=True,
        )


def build_new_vs_continuing(table: pd.DataFrame, lang: str) -> alt.Chart:
    """Stacked bars of budget per year: new projects vs continuing ones."""
    long = table.melt(
        id_vars="year", value_vars=["new_usd", "continuing_usd"], var_name="kind"
    )
    long["series"] = long["kind"].map(labeller("cont.series."))
    long["value_m"] = long["value"] / 1e6
    long["text"] = [format_money(v, lang) for v in long["value"]]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("cont.year")),
            y=alt.Y("value_m:Q", stack=True, title=t("chart.budget_musd")),
            color=alt.Color("series:N", title=None, legend=alt.Legend(labelLimit=320)),
            tooltip=[
                alt.Tooltip("year:O", title=t("cont.year")),
                alt.Tooltip("series:N", title=t("cont.series")),
                alt.Tooltip("text:N", title=t("col.budget_usd")),
            ],
        )
    )


def runway_labels(titles: pd.Series) -> list[str]:
    """The Gantt's row labels: titles cut to TITLE_CHARS, repeats numbered.

    >>> runway_labels(pd.Series(["Goats", "Goats", "Water"]))
    ['Goats', 'Goats (2)', 'Water']
    """
    seen: dict[str, int] = {}
    out = []
    for title in titles:
        short = shorten(str(title), TITLE_CHARS)
        seen[short] = seen.get(short, 0) + 1
        out.append(short if seen[short] == 1 else f"{short} ({seen[short]})")
    return out


def build_runway(table: pd.DataFrame, as_of: date, lang: str) -> alt.Chart:
    """A Gantt of the runway: planned start to end, coloured by cliff horizon.

    Rows are named by the project's title (the full one in the tooltip), in
    the table's order (planned end first).
    """
    labels = runway_labels(table[S.COL_TITLE])
    data = table.assign(
        label=[str(x) for x in table[S.COL_TITLE]],
        row=labels,
        status=[
            t("cont.status.funded")
            if f
            else (t("cont.months", months=int(m)) if pd.notna(m) else t("cont.later"))
            for f, m in zip(
                table["funded_after_end"], table["cliff_months"], strict=True
            )
        ],
        budget_text=[format_money(v, lang) for v in table[S.COL_BUDGET]],
        forward_text=[format_money(v, lang) for v in table["forward_budget_usd"]],
        sector=[t("sector." + s) for s in table[S.COL_SECTOR_GROUP]],
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{S.COL_START}:T", title=None),
            x2=f"{S.COL_END}:T",
            y=alt.Y(
                "row:N",
                sort=labels,
                title=None,
                axis=alt.Axis(labelLimit=200, ticks=False, labelOverlap=False),
            ),
            color=alt.Color(
                "status:N",
                title=t("cont.status"),
                # the nearer the cliff, the hotter; funded after its end: green
                scale=alt.Scale(
                    domain=[
                        *(t("cont.months", months=m) for m in C.HORIZONS),
                        t("cont.later"),
                        t("cont.status.funded"),
                    ],
                    range=STATUS_COLOURS,
                ),
                # below the chart: beside it, a phone had no room for bars
                legend=alt.Legend(
                    orient="bottom",
                    direction="vertical",
                    labelLimit=320,
                    titleLimit=320,
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("col.title")),
                alt.Tooltip(f"{S.COL_AGENCY}:N", title=t("coord.col.actor")),
                alt.Tooltip("sector:N", title=t("col.sector")),
                alt.Tooltip(f"{S.COL_START}:T", title=t("cont.start")),
                alt.Tooltip(f"{S.COL_END}:T", title=t("cont.end")),
                alt.Tooltip("budget_text:N", title=t("col.budget_usd")),
                alt.Tooltip("forward_text:N", title=t("cont.forward")),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"d": [pd.Timestamp(as_of)]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(x="d:T")
    )
    # a step per row, tall enough for its label (a total height shared with the
    # axis left rows so short that Vega hid every other title)
    return (bars + rule).properties(height=alt.Step(RUNWAY_ROW_PX))


def render_charts(
    rows: pd.DataFrame, budgets: pd.DataFrame, as_of: date, *, bundled: bool = True
) -> None:
    """New vs continuing budget by year, and the runway Gantt."""
    lang = current_lang()
    st.subheader(t("cont.new_title"))
    st.caption(t("cont.new_note" if bundled else "cont.new_note_import"))
    table = C.new_vs_continuing(rows, budgets)
    if table.empty:
        st.info(t("cont.no_budget_years"))
    else:
        st.altair_chart(
            localised(build_new_vs_continuing(table, lang)),
            key=state.CONT_NEW,
            alt=t("cont.new_title"),
        )
    st.subheader(t("cont.runway"))
    runway = C.runway(rows, budgets, as_of)
    if runway.empty:
        st.info(t("cont.no_active"))
        return
    shown = runway.dropna(subset=[S.COL_START, S.COL_END]).head(RUNWAY_ROWS)
    st.caption(
        t(
            "cont.runway_note",
            shown=len(shown),
            n=format_number(len(runway), lang),
        )
    )
    st.altair_chart(
        localised(build_runway(shown, as_of, lang)),
        key=state.CONT_RUNWAY,
        alt=t("cont.runway"),
    )


def render_continuity(
    rows: pd.DataFrame, side: SideTables | None, as_of: str, *, bundled: bool = True
) -> None:
    """The continuity section of the Coordination page (`bundled`: the sample)."""
    budgets, when = budgets_of(side), _as_of(as_of)
    st.header(t("cont.title"))
    render_coverage(rows, budgets, when, bundled=bundled)
    render_cliff(rows, budgets, when)
    render_cliff_scenario(rows, budgets, when)
    render_shares(rows, budgets, when)
    render_charts(rows, budgets, when, bundled=bundled)
