"""Layout pieces that save work: tabs and expanders that draw only when open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from src.widgets.url_state import mirror_choice, seed_choice


def lazy_tabs(
    sections: Sequence[tuple[str, Callable[[], None]]],
    *,
    key: str,
    default: str | None = None,
    param: str | None = None,
    slugs: Sequence[str] = (),
) -> None:
    """Tabs (label, draw) of which only the open one is drawn.

    Streamlit computes and sends every tab's content unless the tabs track
    which one is open (`on_change="rerun"`): then a hidden tab costs nothing,
    and opening one reruns the page, or only the fragment the tabs are in.

    With `param`, the open tab is in the URL as its slug (stable across
    languages; the first tab, the default, is left out of the URL), so a shared
    link opens the same tab. A link's slug is read when the tabs have no state
    yet, or when their state is a label of another language (after a language
    switch); an unknown slug gives the bad-link notice and the first tab.

    Args:
        sections: the tab labels and, for each, what draws its content.
        key: the widget key (session state holds the open tab's label).
        default: the label of the tab open at first (None: the first tab);
            not used with `param`.
        param: the URL parameter naming the open tab (None: not in the URL).
        slugs: with `param`, one URL value per section, in order.
    """
    labels = [label for label, _ in sections]
    if param is not None:
        by_slug = dict(zip(slugs, labels, strict=True))
        if st.session_state.get(key) not in labels:
            st.session_state.pop(key, None)
            seed_choice(key, param, by_slug, labels[0])
        default = None
    tabs = st.tabs(labels, key=key, on_change="rerun", default=default)
    for tab, (_, draw) in zip(tabs, sections, strict=True):
        with tab:
            if tab.open:
                draw()
    if param is not None:
        opened = next((i for i, tab in enumerate(tabs) if tab.open), 0)
        mirror_choice(param, slugs[opened], slugs[0])


def lazy_expander(label: str, draw: Callable[[], None], *, key: str) -> None:
    """An expander whose content is drawn only while it is open.

    A closed expander's elements are still made, sent and rendered by the
    browser (a table in one loads the data-grid code on first render). With
    `on_change="rerun"` the expander tracks whether it is open: closed, it
    costs nothing; opening it reruns the page (or the fragment it is in).
    """
    box = st.expander(label, key=key, on_change="rerun")
    if box.open:
        with box:
            draw()


def card_row(n: int) -> list:
    """`n` blocks in a row that wraps, each as wide as its content.

    For metric cards: a figure or label is never cut ("US$3,893…") at any
    window width or in any language; blocks that do not fit go to the next
    line (`st.columns` would give each a fixed share of the width instead).
    """
    row = st.container(horizontal=True, gap="small")
    return [row.container(width="content") for _ in range(n)]


# Up to this many rows a table is drawn whole; a longer one (transactions,
# problem lists) shows ten rows and scrolls inside its box.
WHOLE_TABLE_ROWS = 25


def whole_table(table: pd.DataFrame, **options: Any) -> None:
    """A summary table without its index, never scrolling inside when short.

    Streamlit's default box shows ten rows: a table of 11 to 25 rows (the
    project's key facts, the data-quality checks, a chart's table) hid its last
    rows behind a scroll bar. `options` go to `st.dataframe`.
    """
    height = "content" if len(table) <= WHOLE_TABLE_ROWS else "auto"
    st.dataframe(table, hide_index=True, height=height, **options)
