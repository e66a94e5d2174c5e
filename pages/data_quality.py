"""Data quality: what is missing, derived or suspicious in the active dataset."""

import streamlit as st

from src.widgets import quality
from src.widgets.frame import context
from src.widgets.i18n import t

ctx = context()
st.title(t("quality.title"))
st.caption(t("quality.intro"))
quality.render_quality_report(ctx.portfolio)
quality.render_corrections(ctx.portfolio)
quality.render_problems()
