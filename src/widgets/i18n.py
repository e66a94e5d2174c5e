"""The UI's translation function: `t(key, **kwargs)` in the session's language."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from src.i18n import DEFAULT_LANG, LANGUAGES, translate
from src.widgets import state


def current_lang() -> str:
    """The session's language (from the switch, else the URL, else English)."""
    lang = st.session_state.get(state.LANG)
    if lang in LANGUAGES:
        return lang
    url_lang = st.query_params.get(state.URL_LANG, DEFAULT_LANG)
    return url_lang if url_lang in LANGUAGES else DEFAULT_LANG


def t(key: str, **kwargs: object) -> str:
    """Translate a catalog key into the session's language."""
    return translate(key, current_lang(), **kwargs)


def md_escape(text: str) -> str:
    r"""Escape Markdown so text from a URL or a data file renders literally.

    >>> md_escape("[x](y)")
    '\\[x\\]\\(y\\)'
    """
    specials = "\\`*_{}[]()#+-.!|<>~$"
    return "".join("\\" + ch if ch in specials else ch for ch in str(text))


def labeller(prefix: str) -> Callable[[str], str]:
    """A format_func translating `prefix + value`, bound to the current language.

    Streamlit may call format_func outside the script run (AppTest does), where
    the session's language cannot be read; binding it here keeps labels right.
    """
    lang = current_lang()
    return lambda value: translate(prefix + str(value), lang)
