"""Layout pieces that save work: tabs that draw only the open one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st


def lazy_tabs(
    sections: Sequence[tuple[str, Callable[[], None]]],
    *,
    key: str,
    default: str | None = None,
) -> None:
    """Tabs (label, draw) of which only the open one is drawn.

    Streamlit computes and sends every tab's content unless the tabs track
    which one is open (`on_change="rerun"`): then a hidden tab costs nothing,
    and opening one reruns the page, or only the fragment the tabs are in.

    Args:
        sections: the tab labels and, for each, what draws its content.
        key: the widget key (session state holds the open tab's label).
        default: the label of the tab open at first (None: the first tab).
    """
    labels = [label for label, _ in sections]
    tabs = st.tabs(labels, key=key, on_change="rerun", default=default)
    for tab, (_, draw) in zip(tabs, sections, strict=True):
        with tab:
            if tab.open:
                draw()


def card_row(n: int) -> list:
    """`n` blocks in a row that wraps, each as wide as its content.

    For metric cards: a figure or label is never cut ("US$3,893…") at any
    window width or in any language; blocks that do not fit go to the next
    line (`st.columns` would give each a fixed share of the width instead).
    """
    row = st.container(horizontal=True, gap="small")
    return [row.container(width="content") for _ in range(n)]
