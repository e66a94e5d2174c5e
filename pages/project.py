"""Project page (?id=<IATI identifier>): every field we hold about one project."""

import streamlit as st

from src.portfolio import schema as S
from src.widgets import cache, project_lists, state
from src.widgets import project as project_widgets
from src.widgets.flows import render_money_over_time
from src.widgets.frame import context
from src.widgets.i18n import md_escape, t

ctx = context()
pid = project_widgets.requested_id()
if not pid:
    st.title(t("nav.project"))
    st.info(t("project.none"), icon=":material/search:")
    st.stop()

rows = ctx.portfolio[ctx.portfolio[S.COL_PROJECT_ID] == pid]
if rows.empty:
    st.title(t("nav.project"))
    st.warning(t("project.unknown", id=md_escape(pid)), icon=":material/link_off:")
    st.stop()
st.query_params[state.URL_PROJECT] = pid  # keep the id in the shared link

dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
side = cache.side_tables(dataset)
mine = side.of_project(pid) if side is not None else None

# Header and facts
project_widgets.render_header(rows)
project_widgets.render_facts(rows)

# Money over time
render_money_over_time(rows, side, where="project")
project_lists.render_transactions(None if mine is None else mine.transactions, rows)

# Organisations, sectors, places, results, documents
project_lists.render_lists(None if mine is None else mine.details, rows)
