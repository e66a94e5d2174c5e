"""Sidebar filters mirrored in the URL: draw them, return a FilterSpec.

On the first run of a session the URL is read into the widgets; every run writes
the widgets back to the URL, so a copied link restores the same view. A URL value
that is not valid is ignored and named in a visible notice, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from src.i18n import country_name, format_money
from src.portfolio import schema as S
from src.portfolio.filters import NO_LIMIT, FilterSpec, dac_options, sdg_goals
from src.widgets import cache, state
from src.widgets.filters_more import (
    HUMANITARIAN_CHOICES,
    more_filters,
    multi_filter,
)
from src.widgets.i18n import current_lang, labeller, md_escape, t
from src.widgets.url_state import set_param

YEAR_BOUNDS = "filters.year_bounds"
BUDGET_STEPS: tuple[float, ...] = (
    0,
    10_000,
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    NO_LIMIT,
)


def _names(column: pd.Series) -> list[str]:
    """The distinct organisation names of a "; "-joined column, sorted."""
    return sorted(set(column.fillna("").str.split("; ").explode()) - {""})


def _options(df: pd.DataFrame) -> dict[str, list[str]]:
    present = set(df[S.COL_SECTOR_GROUP])
    goals = set(sdg_goals(df[S.COL_SDG_TAGS]).explode().dropna())
    return {
        state.FILTER_SECTORS: [g for g in S.ALL_SECTOR_GROUPS if g in present],
        state.FILTER_RISKS: list(S.RISK_LEVELS),
        state.FILTER_REGIONS: sorted(set(df[S.COL_REGION])),
        state.FILTER_COUNTRIES: sorted(set(df[S.COL_COUNTRY]) - {""}),
        state.FILTER_AGENCIES: sorted(set(df[S.COL_AGENCY])),
        state.FILTER_STATUSES: sorted(set(df[S.COL_STATUS])),
        state.FILTER_FUNDERS: _names(df[S.COL_FUNDERS]),
        state.FILTER_IMPLEMENTERS: _names(df[S.COL_IMPLEMENTERS]),
        state.FILTER_SDGS: sorted(goals, key=lambda g: (len(g), g)),
        state.FILTER_DAC: list(dac_options(df)),
    }


def year_bounds(df: pd.DataFrame) -> tuple[int, int]:
    """First start year and last end year in the table."""
    start = pd.to_datetime(df[S.COL_START]).dt.year.dropna()
    end = pd.to_datetime(df[S.COL_END]).dt.year.dropna()
    low = int(start.min()) if len(start) else 2000
    high = int(end.max()) if len(end) else low
    return low, max(low, high)


def _parse_range(text: str, cast: Callable[[str], float]) -> tuple[float, float]:
    low, _, high = text.partition("-")
    a, b = cast(low), cast(high)
    if a > b:
        msg = "first value above second"
        raise ValueError(msg)
    return a, b


def read_url(opts: dict[str, list[str]], bounds: tuple[int, int]) -> list[str]:
    """Copy valid URL parameters into session state; return notices for the rest.

    `opts` are the filters' choices (`_options`), `bounds` the table's years
    (`year_bounds`).
    """
    notices: list[str] = []
    params = st.query_params
    for key, name in state.URL_MULTI.items():
        values = params.get_all(name)
        if not values:
            continue
        good = [v for v in values if v in opts[key]]
        for bad in [v for v in values if v not in opts[key]]:
            notices.append(t("notice.bad_value", param=name, value=md_escape(bad)))
        st.session_state[key] = good
    if state.URL_QUERY in params:
        st.session_state[state.FILTER_QUERY] = params[state.URL_QUERY]
    if state.URL_HUMANITARIAN in params:
        raw = params[state.URL_HUMANITARIAN]
        if raw in HUMANITARIAN_CHOICES[1:]:
            st.session_state[state.FILTER_HUMANITARIAN] = raw
        else:
            notices.append(
                t(
                    "notice.bad_value",
                    param=state.URL_HUMANITARIAN,
                    value=md_escape(raw),
                )
            )
    low, high = bounds
    if state.URL_YEARS in params:
        raw = params[state.URL_YEARS]
        try:
            a, b = _parse_range(raw, int)
            if a < low or b > high:
                raise ValueError
            st.session_state[state.FILTER_YEARS] = (int(a), int(b))
        except ValueError:
            notices.append(
                t("notice.bad_value", param=state.URL_YEARS, value=md_escape(raw))
            )
    if state.URL_BUDGET in params:
        raw = params[state.URL_BUDGET]
        try:
            a, b = _parse_range(raw, float)
            if a not in BUDGET_STEPS or b not in BUDGET_STEPS:
                raise ValueError
            st.session_state[state.FILTER_BUDGET] = (a, b)
        except ValueError:
            notices.append(
                t("notice.bad_value", param=state.URL_BUDGET, value=md_escape(raw))
            )
    return notices


def _write_url(spec: FilterSpec) -> None:
    set_param(state.URL_QUERY, spec.query.strip())
    humanitarian = {True: "yes", False: "no"}.get(spec.humanitarian)
    set_param(state.URL_HUMANITARIAN, humanitarian)
    for key, name in state.URL_MULTI.items():
        set_param(name, [str(v) for v in st.session_state.get(key) or []])
    for name, value in ((state.URL_YEARS, spec.years), (state.URL_BUDGET, spec.budget)):
        set_param(name, f"{value[0]:.0f}-{value[1]:.0f}" if value else None)


def reset_filters() -> None:
    """Callback: clear every filter widget."""
    for key in state.URL_MULTI:
        st.session_state[key] = []
    st.session_state.pop(state.FILTER_YEARS, None)
    st.session_state.pop(state.FILTER_BUDGET, None)
    st.session_state[state.FILTER_QUERY] = ""
    st.session_state[state.FILTER_HUMANITARIAN] = HUMANITARIAN_CHOICES[0]


def _country_codes(df: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """ISO3 -> ISO2 and ISO3 -> the data's country name."""
    return (
        dict(zip(df[S.COL_COUNTRY], df[S.COL_COUNTRY_ISO2], strict=False)),
        dict(zip(df[S.COL_COUNTRY], df[S.COL_COUNTRY_NAME], strict=False)),
    )


def filter_sidebar(
    df: pd.DataFrame, dataset: str | None = None
) -> tuple[FilterSpec, list[str]]:
    """Draw the filters in the sidebar and return the selection and URL notices.

    With `dataset` (whose table `df` is), the choices are derived once per
    dataset content (`cache.of_dataset`) instead of on every run.
    """

    def derive(build: Callable) -> object:
        return build(df) if dataset is None else cache.of_dataset(build, dataset)

    notices: list[str] = []
    opts = derive(_options)
    if not st.session_state.get(state.FILTERS_READY):
        notices = read_url(opts, derive(year_bounds))
        st.session_state[state.FILTERS_READY] = True
        st.session_state[state.NOTICES] = notices

    lang = current_lang()
    names, fallback = derive(_country_codes)
    sb = st.sidebar
    sb.subheader(t("filters.title"))
    with sb:
        query = st.text_input(
            t("filters.search"),
            key=state.FILTER_QUERY,
            placeholder=t("filters.search_placeholder"),
            help=t("filters.search_help"),
        )
        sectors = multi_filter(
            state.FILTER_SECTORS,
            opts[state.FILTER_SECTORS],
            t("filters.sector"),
            labeller("sector."),
        )
        risks = multi_filter(
            state.FILTER_RISKS,
            opts[state.FILTER_RISKS],
            t("filters.risk"),
            labeller("risk."),
        )
        regions = multi_filter(
            state.FILTER_REGIONS,
            opts[state.FILTER_REGIONS],
            t("filters.region"),
            labeller("region."),
        )
        countries = multi_filter(
            state.FILTER_COUNTRIES,
            opts[state.FILTER_COUNTRIES],
            t("filters.country"),
            lambda v: country_name(names.get(v, ""), fallback.get(v, v), lang),
        )
        agencies = multi_filter(
            state.FILTER_AGENCIES, opts[state.FILTER_AGENCIES], t("filters.agency"), str
        )
        statuses = multi_filter(
            state.FILTER_STATUSES,
            opts[state.FILTER_STATUSES],
            t("filters.status"),
            labeller("status."),
        )
        more = more_filters(derive, opts)
        low, high = derive(year_bounds)
        span = st.session_state.get(state.FILTER_YEARS, (low, high))
        if st.session_state.get(YEAR_BOUNDS, (low, high)) != (low, high):
            span = (low, high)  # another dataset: its own full range
        st.session_state[YEAR_BOUNDS] = (low, high)
        if not (low <= span[0] <= span[1] <= high):
            span = (low, high)
        st.session_state[state.FILTER_YEARS] = tuple(span)
        # value= makes these range widgets; session state (URL, reset) wins.
        years = st.slider(
            t("filters.years"),
            min_value=low,
            max_value=high,
            value=(low, high),
            key=state.FILTER_YEARS,
        )
        st.session_state.setdefault(
            state.FILTER_BUDGET, (BUDGET_STEPS[0], BUDGET_STEPS[-1])
        )
        no_limit = t("filters.no_limit")
        budget = st.select_slider(
            t("filters.budget"),
            options=BUDGET_STEPS,
            value=(BUDGET_STEPS[0], BUDGET_STEPS[-1]),
            format_func=lambda v: (
                no_limit if v >= BUDGET_STEPS[-1] else format_money(v, lang)
            ),
            key=state.FILTER_BUDGET,
        )
        st.button(t("filters.reset"), on_click=reset_filters, key=state.FILTER_RESET)
    spec = FilterSpec(
        query=" ".join((query or "").split()),
        sectors=sectors,
        risks=risks,
        regions=regions,
        countries=countries,
        agencies=agencies,
        statuses=statuses,
        **more,
        years=None if tuple(years) == (low, high) else (int(years[0]), int(years[1])),
        budget=None
        if tuple(budget) == (BUDGET_STEPS[0], BUDGET_STEPS[-1])
        else (float(budget[0]), float(budget[1])),
    )
    _write_url(spec)
    return spec, st.session_state.get(state.NOTICES, [])
