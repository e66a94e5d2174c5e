"""Portfolio dashboard entry point: `python dashboard.py` (or `streamlit run`)."""

import sys

import streamlit as st

from src.widgets import routing

routing.ignore_pages_folder()

# The one page list, as (path, title key, icon); the first is the landing page.
# Navigation uses it, and the page smoke tests are generated from it.
PAGES = [
    ("pages/overview.py", "nav.overview", ":material/public:"),
    ("pages/country.py", "nav.country", ":material/flag:"),
    ("pages/project.py", "nav.project", ":material/description:"),
    ("pages/scenarios.py", "nav.scenarios", ":material/tune:"),
    ("pages/coordination.py", "nav.coordination", ":material/hub:"),
    ("pages/money.py", "nav.money", ":material/account_tree:"),
    ("pages/data_quality.py", "nav.quality", ":material/fact_check:"),
    ("pages/data.py", "nav.data", ":material/upload_file:"),
    ("pages/briefing.py", "nav.briefing", ":material/slideshow:"),
    ("pages/admin.py", "nav.admin", ":material/manage_accounts:"),
]
# Reached by links (table, map, search results), not listed in the menu.
HIDDEN = {"pages/project.py"}
ADMIN_ONLY = {"pages/admin.py"}  # in the menu for admins only (with sign-in)


def main() -> None:
    # Imported here so that `python dashboard.py` starts the server first.
    from src.widgets.auth import admin_listed
    from src.widgets.frame import app_frame
    from src.widgets.i18n import t
    from src.widgets.present import apply_presentation_mode, render_presentation_bar

    st.set_page_config(page_title="Portfolio dashboard", page_icon="🌍", layout="wide")
    apply_presentation_mode()
    app_frame()
    hidden = HIDDEN if admin_listed() else HIDDEN | ADMIN_ONLY
    pages = [
        st.Page(
            path,
            title=t(title),
            icon=icon,
            default=path == PAGES[0][0],
            visibility="hidden" if path in hidden else "visible",
        )
        for path, title, icon in PAGES
    ]
    current = st.navigation(pages)
    render_presentation_bar(current, [p for p in pages if p.visibility == "visible"])
    current.run()


if __name__ == "__main__":
    if st.runtime.exists():
        main()
    else:  # `python dashboard.py [streamlit options]`: start the server.
        routing.serve(sys.argv[1:])
