"""Follow the money: where the selection's money goes, how far it can be traced."""

import streamlit as st

from src.widgets import cache, state
from src.widgets import money as money_widgets
from src.widgets.frame import context
from src.widgets.i18n import t

ctx = context()
st.title(t("money.page_title"))
if ctx.selection.empty:
    st.info(t("overview.empty"), icon=":material/filter_alt_off:")
    st.stop()
st.caption(ctx.caption_md)
money_widgets.render_follow_the_money(
    st.session_state.get(state.DATASET, cache.BUNDLED),
    ctx.spec,
    where="portfolio",
    heading=False,
)
