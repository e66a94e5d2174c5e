"""Coordination: who does what where, how concentrated, which relations matter."""

import streamlit as st

from src.widgets import cache, continuity, coordination, state
from src.widgets import country as country_widgets
from src.widgets.country_brief import render_brief_download
from src.widgets.frame import context
from src.widgets.i18n import t

ctx = context()
st.title(t("coord.title"))
coordination.render_coverage(ctx.selection)
if ctx.selection.empty:
    st.info(t("overview.empty"), icon=":material/filter_alt_off:")
    st.stop()
coordination.render_country_table(ctx.selection)

st.header(t("coord.one_country"))
iso3 = country_widgets.country_picker(ctx)
if not iso3:
    st.info(t("country.none"), icon=":material/flag:")
    st.stop()
# The significance rule compares an actor's share of the country with its share
# of all aid under the same filters (every country), so both are passed.
rows = country_widgets.country_rows(ctx, iso3)
reference = ctx.spec.with_changes(countries=()).apply(ctx.portfolio)
coordination.render_country_detail(rows, iso3, reference)

# Continuity and handover: what ends when, and the cliff as a scenario
side = cache.side_tables(st.session_state.get(state.DATASET, cache.BUNDLED))
coordination.render_overlap(rows, side)
continuity.render_continuity(rows, side, ctx.meta.as_of, bundled=ctx.meta.bundled)
render_brief_download(
    rows,
    reference,
    side,
    as_of=ctx.meta.as_of,
    title=country_widgets.display_name(ctx.portfolio, iso3),
    key=state.CONT_BRIEF,
)
