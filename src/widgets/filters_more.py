"""The sidebar's "More filters", and the multiselect every filter is drawn with.

"More filters" are the funder, implementer, SDG goal, DAC sector and
humanitarian flag: an expander that draws its widgets only while open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from src.i18n import translate
from src.portfolio.filters import NO_DAC, dac_names, dac_options
from src.portfolio.sectors import sector_name
from src.widgets import state
from src.widgets.i18n import current_lang, labeller, t

HUMANITARIAN_CHOICES = ("any", "yes", "no")


def multi_filter(
    key: str, options: Sequence[str], label: str, fmt: Callable[[str], str]
) -> tuple[str, ...]:
    """A filter's multiselect (empty is "any"); values no longer offered are dropped."""
    kept_values(key, options)
    return tuple(
        st.multiselect(
            label,
            options,
            key=key,
            format_func=fmt,
            placeholder=t("filters.any"),
            # Streamlit's "Select all" is English only, and empty is all here
            select_all=False,
        )
    )


def kept_values(key: str, options: Sequence[str]) -> tuple[str, ...]:
    """A filter's values still offered, saved under its key again.

    Before its widget is drawn, and for a filter of the closed "More filters":
    Streamlit drops the state of a widget not drawn in a run, and saving the
    value under its key again keeps it for when the section is opened.
    """
    current = [v for v in st.session_state.get(key, []) if v in options]
    st.session_state[key] = current
    return tuple(current)


def more_filters(
    derive: Callable[[Callable], object], opts: dict[str, list[str]]
) -> dict[str, object]:
    """Funder, implementer, SDG, DAC sector and humanitarian, in an expander.

    The expander draws its widgets only while open (`on_change="rerun"`):
    closed, their values are kept and applied, and a caption names the ones in
    use. It opens by itself when one is (a shared link with ?funder=...).
    """
    multi = {
        state.FILTER_FUNDERS: t("filters.funder"),
        state.FILTER_IMPLEMENTERS: t("filters.implementer"),
        state.FILTER_SDGS: t("filters.sdg"),
        state.FILTER_DAC: t("filters.dac"),
    }
    if st.session_state.get(state.FILTER_HUMANITARIAN) not in HUMANITARIAN_CHOICES:
        st.session_state[state.FILTER_HUMANITARIAN] = HUMANITARIAN_CHOICES[0]
    values = {key: kept_values(key, opts[key]) for key in multi}
    hum = st.session_state[state.FILTER_HUMANITARIAN]
    in_use = [label for key, label in multi.items() if values[key]]
    if hum != HUMANITARIAN_CHOICES[0]:
        in_use.append(t("filters.humanitarian"))
    # Open at first when a filter here is in use; after that as the user left
    # it (a default that followed `in_use` would close it under the cursor).
    st.session_state.setdefault(state.FILTERS_MORE, bool(in_use))
    box = st.expander(t("filters.more"), key=state.FILTERS_MORE, on_change="rerun")
    if box.open:
        with box:
            values, hum = _more_widgets(derive, opts, multi)
    elif in_use:
        st.caption(t("filters.more_in_use", names=", ".join(in_use)))
    return {
        "funders": values[state.FILTER_FUNDERS],
        "implementers": values[state.FILTER_IMPLEMENTERS],
        "sdgs": values[state.FILTER_SDGS],
        "dac_sectors": values[state.FILTER_DAC],
        "humanitarian": None if hum == "any" else hum == "yes",
    }


def _more_widgets(
    derive: Callable[[Callable], object],
    opts: dict[str, list[str]],
    labels: dict[str, str],
) -> tuple[dict[str, tuple[str, ...]], str]:
    """The open "More filters": their widgets, and the values they hold."""
    groups = derive(dac_options)
    names = derive(dac_names)
    lang = current_lang()
    no_dac = t("filters.no_dac")

    def dac_label(code: str) -> str:
        if code == NO_DAC:
            return no_dac
        group = translate("sector." + groups.get(code, "Other"), lang)
        name = sector_name(code, lang, names.get(code, ""))
        return f"{group} › {code} {name}".strip()

    sdg_label = t("filters.sdg_option")
    shown = {
        state.FILTER_SDGS: lambda g: sdg_label.format(goal=g),
        state.FILTER_DAC: dac_label,
    }
    values = {
        key: multi_filter(key, opts[key], label, shown.get(key, str))
        for key, label in labels.items()
    }
    hum = st.radio(
        t("filters.humanitarian"),
        HUMANITARIAN_CHOICES,
        format_func=labeller("filters.hum_"),
        horizontal=True,
        key=state.FILTER_HUMANITARIAN,
    )
    return values, hum
