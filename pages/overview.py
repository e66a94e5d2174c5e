"""Overview: KPIs, world map, breakdowns and the project table."""

import streamlit as st

from src.portfolio import schema as S
from src.portfolio.summary import kpis
from src.widgets import cache, charts, row_cache, state
from src.widgets import map as worldmap
from src.widgets.flows import render_money_over_time
from src.widgets.frame import context
from src.widgets.i18n import current_lang, t
from src.widgets.kpis import render_kpi_row
from src.widgets.layout import lazy_tabs
from src.widgets.project import render_search_results
from src.widgets.provenance import render_provenance
from src.widgets.table import render_project_table

ctx = context()
lang = current_lang()
st.title(t("overview.title"))
st.caption(t("overview.selection", filters=ctx.caption_md))

if ctx.selection.empty:
    st.info(t("overview.empty"), icon=":material/filter_alt_off:")
    st.stop()

# KPI row (the figures of a selection are made once: row_cache)
dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
render_kpi_row(row_cache.of_rows(kpis, ctx.selection, dataset, ctx.meta.as_of))
render_search_results(ctx.selection, ctx.spec.query, dataset)


# Map (a fragment: its controls rerun only the map)
worldmap.render_overview_map(ctx.selection, dataset, caption=ctx.caption, lang=lang)


def breakdowns() -> None:
    cols = st.columns(3)
    for col, (column, kind) in zip(
        cols,
        (
            (S.COL_SECTOR_GROUP, "sector"),
            (S.COL_RISK, "risk"),
            (S.COL_REGION, "region"),
        ),
        strict=True,
    ):
        with col:
            charts.render_breakdown(
                ctx.selection,
                column,
                kind,
                key=state.item_key(state.CHART_BREAKDOWN, kind),
                dataset=dataset,
            )


def money_over_time() -> None:
    render_money_over_time(
        ctx.selection, cache.side_tables(dataset), where="overview", dataset=dataset
    )


def projects() -> None:
    st.subheader(t("overview.projects"))
    render_project_table(ctx.selection, meta=ctx.meta, caption=ctx.caption)


# Below the map, one section at a time (only the open tab is made and sent);
# ?view= names the open one in a shared link
lazy_tabs(
    [
        (t("overview.tab_breakdowns"), breakdowns),
        (t("flows.title"), money_over_time),
        (t("overview.projects"), projects),
    ],
    key=state.OVERVIEW_TABS,
    param=state.URL_OVERVIEW_VIEW,
    slugs=state.OVERVIEW_VIEWS,
)
render_provenance(ctx.selection, ctx.meta, dataset)
