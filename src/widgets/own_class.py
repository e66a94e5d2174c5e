"""Fit, show and offer a reference class on the active dataset's own projects."""

from __future__ import annotations

from datetime import date

import streamlit as st

from src.engine.calibration.own import closed_projects
from src.i18n import format_number
from src.widgets import analysis_cache, cache, state
from src.widgets.i18n import current_lang, t
from src.widgets.layout import whole_table
from src.widgets.model_quality import coverage_table
from src.widgets.store_health import render_store_error

FIT_BUTTON = state.OWN_CLASS_FIT


def own_label(dataset: str | None = None) -> str | None:
    """The label of the own class ("your 412 closed projects"), or None.

    `dataset` defaults to the active one. None for an organisation restricted
    to one country: the class is fitted on every country's projects.
    """
    from src.widgets.auth import principal

    if principal().country:
        return None
    dataset = dataset or st.session_state.get(state.DATASET, cache.BUNDLED)
    stored = cache.own_class(dataset)
    if stored is None:
        return None
    closed = closed_projects(stored.entry)
    return t(
        "own.label",
        closed=closed,
        n=format_number(stored.entry["records"], current_lang()),
    )


def render_own_class() -> None:
    """On the Data page: the active dataset's own class, or the offer to fit one."""
    from src.engine.calibration.own import NotEnoughProjectsError, fit_own
    from src.store.reference_classes import save_own_class

    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    st.header(t("own.title"))
    if dataset == cache.BUNDLED:
        st.caption(t("own.imported_only"))
        return
    from src.widgets.auth import principal

    if principal().country:  # its figures are of every country's projects
        st.caption(t("own.restricted"))
        return
    st.caption(t("own.intro"))
    stored = cache.own_class(dataset)
    if stored is not None:
        st.success(t("own.fitted", label=own_label(dataset)))
        whole_table(coverage_table([stored.check], current_lang()))
        st.caption(t("model.table_note"))
    if not st.button(
        t("own.refit") if stored else t("own.fit"),
        key=FIT_BUTTON,
        icon=":material/model_training:",
    ):
        return
    df, meta = cache.portfolio(dataset)
    try:
        with st.spinner(t("own.fitting")):
            own = fit_own(df, date.fromisoformat(meta.as_of))
    except NotEnoughProjectsError as exc:
        st.info(t("own.not_enough", found=exc.found, needed=exc.needed))
        return
    from src.widgets.auth import principal

    try:
        save_own_class(
            dataset,
            meta.fingerprint,
            own.entry,
            own.check.to_dict(),
            actor=principal(),
        )
    except (ValueError, LookupError) as exc:  # a refusal or a storage fault
        render_store_error(exc)
        return
    cache.scenario_run.clear()
    analysis_cache.clear()
    st.rerun()


def render_reference_caption(reference: str) -> None:
    """Which reference class the results rest on."""
    label = own_label() if reference == "own" else None
    st.caption(t("scen.reference_used", label=label or t("scen.reference.published")))
