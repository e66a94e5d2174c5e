"""Briefing page pieces: choose the pack's content, preview it, download it.

The pack is built by src.briefing (no UI code there); this module only draws the
choices, caches the built pack and offers .pptx / .pdf downloads generated when
clicked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from src.briefing.sections import SECTIONS
from src.i18n import LANGUAGES
from src.widgets import cache, state
from src.widgets.frame import Context
from src.widgets.i18n import current_lang, labeller, md_escape, t
from src.widgets.layout import card_row

SECTIONS_KEY = "briefing.sections"
SCENARIOS_KEY = "briefing.scenarios"
LANG_KEY = "briefing.lang"
TITLE_KEY = "briefing.title"
PPTX_KEY = "briefing.download_pptx"
PDF_KEY = "briefing.download_pdf"
MIME_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass(frozen=True)
class PackChoice:
    """What the user asked for."""

    sections: tuple[str, ...]
    scenarios: tuple[str, ...]
    lang: str
    title: str


def saved_scenario_names() -> list[str] | None:
    """Names of saved scenarios, or None when no scenario store is installed."""
    try:
        from src.store.scenarios import list_scenarios
    except ImportError:
        return None
    from src.widgets.auth import principal
    from src.widgets.scenario_refs import LISTED

    records = list_scenarios(actor=principal(), limit=LISTED)
    names = (str(item.name) for item in records)
    return list(dict.fromkeys(names))


def pack_choice_input() -> PackChoice:
    """Draw the choices (sections, scenarios, language, title); return them."""
    lang = current_lang()
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = lang
    left, right = st.columns([3, 2])
    sections = left.multiselect(
        t("brief.page.sections"),
        SECTIONS,
        default=list(SECTIONS),
        format_func=labeller("brief.section."),
        key=SECTIONS_KEY,
        select_all=False,
    )
    pack_lang = right.selectbox(
        t("brief.page.lang"), list(LANGUAGES), format_func=LANGUAGES.get, key=LANG_KEY
    )
    title = right.text_input(
        t("brief.page.deck_title"),
        value="",
        placeholder=t("brief.title_default"),
        max_chars=200,
        key=TITLE_KEY,
    )
    names = saved_scenario_names()
    chosen: list[str] = []
    if names is None or not names:
        left.caption(t("brief.page.no_scenarios"))
    else:
        chosen = left.multiselect(
            t("brief.page.scenarios"), names, key=SCENARIOS_KEY, select_all=False
        )
    return PackChoice(tuple(sections), tuple(chosen), pack_lang, title.strip())


def _scenario_result(dataset: str, spec, name: str):
    """Run the saved scenario `name` the user can see on the selection."""
    from src.store.scenarios import get_scenario
    from src.widgets.auth import principal

    actor = principal()
    record = get_scenario(name, actor=actor)
    return _run_saved(dataset, spec, record.name, record.scenario_json, actor.country)


@st.cache_data(show_spinner=False, max_entries=16)
def _run_saved(
    dataset: str, spec, name: str, scenario_json: str, country: str | None = None
):
    """Run a saved scenario (cached per data, filters, name, content, restriction).

    A country-restricted organisation's run is on its country's rows.
    """
    from src.briefing.scenarios import as_scenario, run_scenario
    from src.widgets import cache

    df, meta = cache.portfolio(dataset, country)
    scenario = as_scenario(scenario_json, name)
    return run_scenario(spec.apply(df), scenario, as_of=meta.as_of, filters=spec)


@st.cache_data(show_spinner=False, max_entries=16)
def _pack(dataset: str, spec, choice: PackChoice, results: tuple, country: str | None):
    """The pack, on `country`'s rows only for a country-restricted organisation.

    Those rows are the frame's (`cache.portfolio(within=)`: their money the
    country's own). The coordination slide compares with every country under
    the filters: a restricted organisation's pack compares within its own country.
    """
    from src.briefing import build_pack
    from src.widgets import cache

    df, meta = cache.portfolio(dataset, country)
    side = cache.side_tables(dataset)
    return build_pack(
        df,
        meta,
        spec,
        lang=choice.lang,
        sections=choice.sections,
        scenarios=results,
        title=choice.title or None,
        budgets=None if side is None else side.budgets,
    )


def build_pack_for(ctx: Context, choice: PackChoice):
    """The pack for the page's selection; failed scenarios are reported and left out."""
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    results = []
    if "scenarios" in choice.sections and not ctx.selection.empty:
        for name in choice.scenarios:
            try:
                results.append(_scenario_result(dataset, ctx.spec, name))
            except (ValueError, LookupError, OSError) as exc:
                st.warning(
                    t("brief.page.scenario_error", name=md_escape(name), error=exc)
                )
    from src.widgets.auth import principal

    return _pack(dataset, ctx.spec, choice, tuple(results), principal().country)


def file_stem(as_of: str, filters: str) -> str:
    """A file name stem carrying the data date and a slug of the filters.

    >>> file_stem("2021-05-24", "Country: Kenya")
    'briefing-2021-05-24-Country-Kenya'
    """
    slug = re.sub(r"[^A-Za-z0-9]+", "-", filters).strip("-")[:60] or "all"
    return f"briefing-{as_of}-{slug}"


def render_downloads(pack) -> None:
    """Two download buttons; each file is generated only when clicked."""
    from src.briefing import to_pdf, to_pptx

    stem = file_stem(pack.as_of, pack.filters)
    left, right = st.columns(2)
    left.download_button(
        t("brief.page.download_pptx"),
        data=lambda: to_pptx(pack),
        file_name=f"{stem}.pptx",
        mime=MIME_PPTX,
        key=PPTX_KEY,
        icon=":material/slideshow:",
        on_click="ignore",
        type="primary",
    )
    right.download_button(
        t("brief.page.download_pdf"),
        data=lambda: to_pdf(pack),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key=PDF_KEY,
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )


def render_preview(pack) -> None:
    """Slide titles, their text and chart images, in order."""
    st.subheader(t("brief.page.preview"))
    for n, slide in enumerate(pack.slides, start=1):
        with st.container(border=True):
            st.markdown(
                f"**{md_escape(t('brief.page.slide', n=n, title=slide.title))}**"
            )
            if slide.kpis:
                cols = card_row(len(slide.kpis))
                for col, (label, value) in zip(cols, slide.kpis, strict=True):
                    col.metric(label, value)
            if slide.image is not None:
                st.image(slide.image, caption=md_escape(slide.image_alt[:300]) or None)
            if slide.table is not None:
                st.dataframe(
                    [
                        dict(zip(slide.table.columns, row, strict=True))
                        for row in slide.table.rows
                    ],
                    hide_index=True,
                )
            for line in (
                slide.lines if slide.kind in ("title", "methods", "scenario") else ()
            ):
                st.caption(md_escape(line))
