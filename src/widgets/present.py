"""Presentation mode (?present=1): no sidebar or controls, larger figures.

A bar at the top keeps the way out (the same page and filters without
``present``) and links to the other pages (staying in presentation mode).
"""

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


PRESENT_VALUES = ("1", "true", "yes")
OFF_VALUES = ("0", "false", "no", "")


def presenting() -> bool:
    """True when the URL asks for presentation mode."""
    return st.query_params.get(state.URL_PRESENT) in PRESENT_VALUES


def apply_presentation_mode() -> None:
    """Hide the sidebar and controls and enlarge KPIs when presenting."""
    value = st.query_params.get(state.URL_PRESENT)
    if value is not None and value not in PRESENT_VALUES + OFF_VALUES:
        from src.widgets.i18n import md_escape, t

        st.warning(
            t("notice.bad_value", param=state.URL_PRESENT, value=md_escape(value)),
            icon=":material/link_off:",
        )
    if presenting():
        st.markdown(_CSS, unsafe_allow_html=True)


def render_presentation_bar(current: st.Page, pages: list[st.Page]) -> None:
    """When presenting: an exit link and one link per listed page.

    Args:
        current: the page shown (the exit link reopens it, not presenting).
        pages: the pages to link to, in menu order (hidden ones left out).
    """
    if not presenting():
        return
    from src.widgets.i18n import t
    from src.widgets.url_state import current_params

    params = current_params()
    leave = {k: v for k, v in params.items() if k != state.URL_PRESENT}
    with st.container(horizontal=True, key=state.PRESENT_BAR):
        st.page_link(
            current,
            label=t("present.exit"),
            icon=":material/close_fullscreen:",
            query_params=leave,
        )
        for page in pages:
            if page.url_path != current.url_path:
                st.page_link(page, query_params=params)
