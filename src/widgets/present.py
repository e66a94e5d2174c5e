"""Presentation mode (?present=1): no sidebar or controls, larger figures."""

from __future__ import annotations

import streamlit as st

from src.widgets import state

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stExpander"],
[data-testid="stDownloadButton"], [data-testid="stRadio"],
[data-testid="stCheckbox"] { display: none !important; }
[data-testid="stMetricValue"] { font-size: 3rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
</style>
"""


def presenting() -> bool:
    """True when the URL asks for presentation mode."""
    return st.query_params.get(state.URL_PRESENT) in ("1", "true", "yes")


def apply_presentation_mode() -> None:
    """Hide the sidebar and controls and enlarge KPIs when presenting."""
    if presenting():
        st.markdown(_CSS, unsafe_allow_html=True)
