"""A page widget's choice mirrored in the URL, so a shared link opens it again.

`seed_choice` sets the widget's state from the link before the widget is drawn
(a value the widget does not offer is named and ignored); `mirror_choice`
writes the widget's value back after it is drawn.

Every write goes through `set_param`, which changes the URL only when its value
differs. Streamlit sends the *whole* query string on each write, as the run
knows it, and a run knows the URL the browser sent when it asked for the run.
A fragment run asked for before the browser took the previous run's URL (a
second click on the map while the app reran for the first) wrote its control's
unchanged value and so sent the old URL back: the country filter stayed on, but
`?country=` was gone from the address a user shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from src.widgets.i18n import md_escape, t


def current_params() -> dict[str, list[str]]:
    """The URL's parameters (repeated ones as lists), to carry into a page link.

    A link opened in a new tab, or a new session, starts from its URL alone:
    without them it showed the first country in English.
    """
    return {k: st.query_params.get_all(k) for k in st.query_params}


def seed_choice(
    key: str,
    param: str,
    options: Sequence[object] | Mapping[str, object],
    default: object,
):
    """Put the link's `param` (one of `options`, compared as text) in `key`'s state.

    Only on the widget's first run in the session: afterwards the widget keeps
    the user's choice. `options` may map the URL's text to the value to store
    (a stable slug to a translated label). Returns the value in state.
    """
    if key not in st.session_state:
        asked = st.query_params.get(param)
        by_text = (
            dict(options)
            if isinstance(options, Mapping)
            else {str(o): o for o in options}
        )
        if asked is not None and asked not in by_text:
            st.warning(
                t("notice.bad_value", param=param, value=md_escape(asked)),
                icon=":material/link_off:",
            )
        st.session_state[key] = by_text.get(asked, default)
    return st.session_state[key]


def set_param(name: str, value: str | Sequence[str] | None) -> None:
    """Make the URL's `name` read `value` (removed when empty), writing only a change.

    >>> set_param("sector", ["Health"])  # outside a run, nothing to send
    """
    params = st.query_params
    wanted = [value] if isinstance(value, str) else list(value or ())
    wanted = [v for v in wanted if v != ""]
    if params.get_all(name) == wanted:
        return
    if wanted:
        params[name] = wanted if len(wanted) > 1 else wanted[0]
    else:
        del params[name]


def mirror_choice(param: str, value: object, default: object) -> None:
    """Write the widget's `value` to the URL (removed when it is the default)."""
    set_param(param, None if value is None or value == default else str(value))
