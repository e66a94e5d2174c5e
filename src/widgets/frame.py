"""The shared app frame: language switch, data, filters and URL notices.

`dashboard.py` calls `app_frame()` once per run before the page; pages call
`context()` to get the selection they draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from src.i18n import LANGUAGES, format_number
from src.portfolio import schema as S
from src.portfolio.country_part import recomputed_projects
from src.portfolio.filters import FilterSpec
from src.portfolio.schema import PortfolioMeta
from src.widgets import cache, routing, state
from src.widgets.auth import require_sign_in
from src.widgets.filters import filter_sidebar
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.store_health import error_text, render_store_notice


@dataclass(frozen=True)
class Context:
    """What every page needs: the whole table, the selection and its caption."""

    portfolio: pd.DataFrame
    selection: pd.DataFrame
    spec: FilterSpec
    meta: PortfolioMeta
    caption: str

    @property
    def caption_md(self) -> str:
        """The caption escaped for Markdown (it holds names from data files)."""
        return md_escape(self.caption)


def language_switch() -> None:
    """Sidebar language selector, mirrored in the URL (?lang=fr)."""
    if state.LANG not in st.session_state:
        st.session_state[state.LANG] = current_lang()
    st.sidebar.selectbox(
        "Language / Langue",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=state.LANG,
        on_change=_relabel,
    )
    st.query_params[state.URL_LANG] = st.session_state[state.LANG]


def _relabel() -> None:
    """Callback of the language switch: set the translated select boxes again.

    Their values stay; setting them makes Streamlit send them to the browser
    with the new language's labels.
    """
    pattern = re.compile("|".join(f"(?:{p})" for p in state.RELABELLED))
    for key in list(st.session_state):
        if isinstance(key, str) and pattern.fullmatch(key):
            st.session_state[key] = st.session_state[key]


def active_dataset(notices: list[str]) -> str:
    """The active dataset's id: ?dataset= in the URL, else the session's, else bundled.

    Streamlit drops query parameters when the user switches page, so the session
    keeps the dataset and writes it back to the URL on every run. A link may
    name a dataset by id or (older links) by name; the URL then gets the id.
    One the user cannot see is "not known", as one that does not exist.
    """
    asked = st.query_params.get(state.URL_DATASET)
    if asked is None:
        asked = st.session_state.get(state.DATASET, cache.BUNDLED)
    wanted = cache.resolve_dataset(asked)
    if wanted is None:
        notices.append(
            t("notice.bad_value", param=state.URL_DATASET, value=md_escape(asked))
        )
        wanted = cache.BUNDLED
    st.session_state[state.DATASET] = wanted
    if wanted == cache.BUNDLED:
        st.query_params.pop(state.URL_DATASET, None)
    else:
        st.query_params[state.URL_DATASET] = wanted
    return wanted


def app_frame() -> Context:
    """Draw the shared sidebar and return (and remember) the page context."""
    url_lang = st.query_params.get(state.URL_LANG)
    language_switch()
    notices: list[str] = []
    if url_lang is not None and url_lang not in LANGUAGES:
        notices.append(
            t("notice.bad_value", param=state.URL_LANG, value=md_escape(url_lang))
        )
    render_store_notice()
    actor = require_sign_in()
    dataset = active_dataset(notices)
    try:
        # A fresh server reads the dataset first (seconds for a large one).
        with st.spinner(t("app.loading")):
            df, meta = cache.portfolio(dataset)
    except (OSError, ValueError, LookupError) as exc:
        # A broken dataset or PORTFOLIO_FILE: say what is wrong, no traceback.
        st.error(
            t(
                "notice.dataset_failed",
                name=md_escape(meta_name(dataset)),
                reason=error_text(exc),
            )
        )
        st.stop()
    if actor.country:
        df = restricted(dataset, actor.country)
    # the choices cached per dataset are of its whole table: not a restricted view
    spec, url_notices = filter_sidebar(df, None if actor.country else dataset)
    if actor.country:
        spec = replace(spec, countries=(actor.country,))
    for notice in [*notices, *url_notices]:
        st.warning(notice, icon=":material/link_off:")
    ctx = Context(df, spec.apply(df), spec, meta, spec.describe(current_lang(), df))
    st.session_state[state.CONTEXT] = ctx
    return ctx


def meta_name(dataset: str) -> str:
    """A dataset's display name (its id when the store cannot say)."""
    return cache.datasets().get(dataset, dataset)


def restricted(dataset: str, iso3: str) -> pd.DataFrame:
    """Only the rows of `iso3`, said in the sidebar (a partner government's view).

    Their money is the country's own (`cache.portfolio(within=)`: a project
    naming the countries of its transactions counts them as money over time
    does, labelled derived). The frame also forces the country into the
    `FilterSpec`, so every figure, scenario run and briefing built from the
    page context is that country's.
    """
    rows, _ = cache.portfolio(dataset, iso3)
    names = rows[S.COL_COUNTRY_NAME].dropna() if S.COL_COUNTRY_NAME in rows else []
    name = str(names.iloc[0]) if len(names) else iso3
    st.sidebar.info(
        t("auth.restricted", country=md_escape(name)), icon=":material/lock:"
    )
    if split := recomputed_projects(rows):
        n = format_number(split, current_lang())
        st.sidebar.caption(t("auth.country_money", n=n))
    return rows


def context() -> Context:
    """The context the frame computed in this run (see `routing` if missing)."""
    ctx = st.session_state.get(state.CONTEXT)
    if ctx is None:
        routing.run_entry_script_instead()
    return ctx
