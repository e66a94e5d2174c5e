"""Portfolio dashboard entry point: `streamlit run dashboard.py`."""

import streamlit as st

from src.widgets.frame import app_frame
from src.widgets.i18n import t
from src.widgets.present import apply_presentation_mode


def main() -> None:
    st.set_page_config(
        page_title="Portfolio dashboard", page_icon=":material/public:", layout="wide"
    )
    apply_presentation_mode()
    app_frame()
    pages = [
        st.Page(
            "pages/overview.py",
            title=t("nav.overview"),
            icon=":material/public:",
            default=True,
        ),
        st.Page("pages/country.py", title=t("nav.country"), icon=":material/flag:"),
        st.Page("pages/scenarios.py", title=t("nav.scenarios"), icon=":material/tune:"),
        st.Page(
            "pages/data_quality.py",
            title=t("nav.quality"),
            icon=":material/fact_check:",
        ),
        st.Page("pages/data.py", title=t("nav.data"), icon=":material/upload_file:"),
        st.Page(
            "pages/briefing.py",
            title=t("nav.briefing"),
            icon=":material/slideshow:",
        ),
    ]
    st.navigation(pages).run()


main()
