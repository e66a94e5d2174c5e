"""Country page: one country's projects, context, sectors, years and risk mix."""

import streamlit as st

from src.portfolio import schema as S
from src.portfolio.summary import by_year, kpis
from src.widgets import cache, charts, money, state
from src.widgets import country as country_widgets
from src.widgets.country_brief import render_country_summary
from src.widgets.flows import render_money_over_time
from src.widgets.frame import context
from src.widgets.i18n import t
from src.widgets.kpis import render_kpi_row
from src.widgets.results import render_results
from src.widgets.table import render_project_table

ctx = context()
iso3 = country_widgets.country_picker(ctx)
if not iso3:
    st.info(t("country.none"), icon=":material/flag:")
    st.stop()

rows = country_widgets.country_rows(ctx, iso3)
st.title(country_widgets.display_name(ctx.portfolio, iso3))
country_widgets.render_context(ctx.portfolio, iso3)
if rows.empty:
    st.info(t("country.no_projects"), icon=":material/filter_alt_off:")
    st.stop()
render_kpi_row(kpis(rows, ctx.meta.as_of), omit=("kpi.countries",))

left, right = st.columns(2)
with left:
    charts.render_breakdown(
        rows,
        S.COL_SECTOR_GROUP,
        "sector",
        key=state.item_key(state.COUNTRY_CHART, "sector"),
    )
with right:
    charts.render_breakdown(
        rows, S.COL_RISK, "risk", key=state.item_key(state.COUNTRY_CHART, "risk")
    )
st.subheader(t("chart.by_year"))
charts.render_year_chart(by_year(rows))
dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
render_money_over_time(rows, cache.side_tables(dataset), where="country")
render_country_summary(
    rows,
    ctx.spec.with_changes(countries=()).apply(ctx.portfolio),
    cache.side_tables(dataset),
    as_of=ctx.meta.as_of,
    title=country_widgets.display_name(ctx.portfolio, iso3),
)
money.render_follow_the_money(
    dataset,
    ctx.spec.with_changes(countries=(iso3,)),
    where="country",
    ge=money.country_ge(rows),
)
render_results(rows, cache.result_indicators(dataset), iso3=iso3)
st.subheader(t("overview.projects"))
render_project_table(
    rows,
    meta=ctx.meta,
    caption=f"{iso3}; {ctx.caption}",
    key=state.COUNTRY_DOWNLOAD,
)
