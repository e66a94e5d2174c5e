"""Briefing: the current selection (and saved scenarios) as a PowerPoint or PDF pack."""

import streamlit as st

from src.widgets import briefing
from src.widgets.frame import context
from src.widgets.i18n import t

ctx = context()
st.title(t("brief.page.title"))
st.caption(t("brief.page.intro"))
st.caption(t("overview.selection", filters=ctx.caption_md))

# What goes in
choice = briefing.pack_choice_input()

# Build (cached), download, preview
with st.spinner(t("brief.page.building")):
    pack = briefing.build_pack_for(ctx, choice)
briefing.render_downloads(pack)
briefing.render_preview(pack)
