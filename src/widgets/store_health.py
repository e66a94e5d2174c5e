"""The store's health notice: read-only or damaged storage said once per page."""

from __future__ import annotations

import streamlit as st

from src.settings import Settings
from src.store.db import check_store
from src.store.errors import StoreError, store_error_text, store_message
from src.widgets.i18n import current_lang, md_escape


@st.cache_data(show_spinner=False, ttl=60)
def store_fault(url: str) -> tuple[str, str] | None:
    """(kind, detail) of the fault of the store at `url`, or None.

    Checked once a minute per database, not on every rerun: the check waits
    for the write lock like a save does.
    """
    fault = check_store()
    return None if fault is None else (fault.kind, fault.detail)


def render_store_notice() -> bool:
    """Warn when the store cannot be written; True when it is healthy."""
    fault = store_fault(Settings.from_env().database_url)
    if fault is None:
        return True
    error = StoreError(*fault)
    st.warning(
        md_escape(store_error_text(error, current_lang())), icon=":material/database:"
    )
    return False


def render_store_error(exc: BaseException) -> None:
    """A failed or refused save, share or delete, in the UI language."""
    st.error(error_text(exc))


def error_text(exc: BaseException) -> str:
    """A store refusal or fault (else the error's text), escaped, in the UI language."""
    return md_escape(store_message(exc, current_lang()))
