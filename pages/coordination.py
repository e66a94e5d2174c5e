"""Coordination: who does what where, how concentrated, which relations matter."""

import streamlit as st

from src.widgets import coordination
from src.widgets import country as country_widgets
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
coordination.render_country_detail(
    country_widgets.country_rows(ctx, iso3),
    iso3,
    ctx.spec.with_changes(countries=()).apply(ctx.portfolio),
)
