"""A page widget's choice mirrored in the URL, so a shared link opens it again.

`seed_choice` sets the widget's state from the link before the widget is drawn
(a value the widget does not offer is named and ignored); `mirror_choice`
writes the widget's value back after it is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from src.widgets.i18n import md_escape, t


def current_params() -> dict[str, list[str]]:
    """The URL's parameters (repeated ones as lists), to carry into a page link.

    A link opened in a new tab, or a new session, starts from its URL alone:
    without them it showed the first country in English.
    """
    return {k: st.query_params.get_all(k) for k in st.query_params}


def seed_choice(key: str, param: str, options: Sequence[object], default: object):
    """Put the link's `param` (one of `options`, compared as text) in `key`'s state.

    Only on the widget's first run in the session: afterwards the widget keeps
    the user's choice. Returns the value in state.
    """
    if key not in st.session_state:
        asked = st.query_params.get(param)
        by_text = {str(o): o for o in options}
        if asked is not None and asked not in by_text:
            st.warning(
                t("notice.bad_value", param=param, value=md_escape(asked)),
                icon=":material/link_off:",
            )
        st.session_state[key] = by_text.get(asked, default)
    return st.session_state[key]


def mirror_choice(param: str, value: object, default: object) -> None:
    """Write the widget's `value` to the URL (removed when it is the default)."""
    if value is None or value == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(value)
