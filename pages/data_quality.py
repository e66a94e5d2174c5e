"""Data quality: what is missing, derived or suspicious in the current selection."""

import streamlit as st

from src.widgets import quality
from src.widgets.frame import context
from src.widgets.i18n import t

ctx = context()
st.title(t("quality.title"))
st.caption(t("quality.intro"))
st.caption(t("overview.selection", filters=ctx.caption_md))
quality.render_quality_report(ctx.selection)
quality.render_corrections(ctx.selection)
quality.render_result_repairs(ctx.selection)
quality.render_problems(ctx.portfolio)
