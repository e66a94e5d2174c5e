"""The world map widget: draw the deck, its legends and the colouring choice.

The deck itself is built by the pure `src.widgets.map_deck`; this module only
touches Streamlit (drawing, the click that filters to a country, the selector).
"""

from __future__ import annotations

import html

import pandas as pd
import pydeck as pdk
import streamlit as st

from src.portfolio.summary import by_country
from src.presentation.bins import CHANGE, MAP_METRICS
from src.presentation.palettes import OCEAN, Rgb, css_rgb
from src.widgets import cache, row_cache, state
from src.widgets.map_deck import build_portfolio_deck, points_legend
from src.widgets.url_state import set_param

METRICS = MAP_METRICS
# Re-exported for the pages and widgets that draw a map through this module.
__all__ = [
    "CHANGE",
    "METRICS",
    "build_portfolio_deck",
    "deck_chart",
    "metric_selector",
    "on_map_select",
    "portfolio_deck",
    "render_legend",
    "render_map",
    "render_overview_map",
    "render_risk_legend",
]


def _selection_key() -> str:
    return state.item_key(
        state.MAP_SELECTION, st.session_state.get(state.MAP_GENERATION, 0)
    )


def on_map_select() -> None:
    """Callback: a click on a dot opens its project; on a country, filters to it.

    A callback can neither switch page nor rerun the whole app (the map may
    be in a fragment, whose rerun would not redraw the sidebar filters), so
    both are noted for `render_map`. A click acted on gives the next run a new
    map widget, without the selection: otherwise the redrawn deck reports what
    now lies under the old click (after a country click, the dot of a project
    in that country).
    """
    event = st.session_state.get(_selection_key())
    objects = (getattr(event, "selection", None) or {}).get("objects", {})
    dots = objects.get("points") or []
    picked = objects.get("countries") or []
    iso3 = picked[0].get("properties", picked[0]).get("iso3") if picked else None
    if dots and dots[0].get("project_id"):
        st.session_state[state.MAP_OPEN_PROJECT] = dots[0]["project_id"]
    elif iso3:
        st.session_state[state.FILTER_COUNTRIES] = [iso3]
    else:
        return
    st.session_state[state.MAP_GENERATION] = (
        st.session_state.get(state.MAP_GENERATION, 0) + 1
    )
    if iso3 and not dots:
        st.session_state[state.MAP_PICKED_COUNTRY] = True


def portfolio_deck(
    rows: pd.DataFrame, dataset: str, **controls: object
) -> tuple[pdk.Deck, list[tuple[Rgb, str]]]:
    """The overview's deck and legend for rows of `dataset`, built once per input.

    `controls` are `build_portfolio_deck`'s metric, lang, web_basemap and
    borders. A rerun with the same selection and controls reuses the deck and
    its JSON (`row_cache`); the point records come from `cache.point_source`.
    """
    controls_key = tuple(sorted(controls.items()))
    return row_cache.of_rows(_dataset_deck, rows, dataset, dataset, controls_key)


def _dataset_deck(
    rows: pd.DataFrame, dataset: str, controls_key: tuple
) -> tuple[pdk.Deck, list[tuple[Rgb, str]]]:
    controls = dict(controls_key)
    return build_portfolio_deck(
        by_country(rows),
        rows,
        **controls,
        records=cache.point_source(dataset, str(controls["lang"])),
    )


def render_legend(
    items: list[tuple[Rgb, str]], title: str, *, dots: bool = False
) -> None:
    """A compact colour legend under the map (labels escaped).

    Country classes are squares; point colours are round with the dark
    outline the map draws around them.
    """
    shape = (
        "border-radius:50%;border:1px solid #282828"
        if dots
        else ("border:1px solid #999")
    )
    swatches = " ".join(
        f"<span style='white-space:nowrap'><span style='display:inline-block;"
        f"width:12px;height:12px;background:{css_rgb(c)};{shape};"
        f"margin:0 4px 0 10px;vertical-align:middle'></span>"
        f"{html.escape(label)}</span>"
        for c, label in items
    )
    st.markdown(
        f"<div style='font-size:0.85rem'><b>{html.escape(title)}</b>{swatches}</div>",
        unsafe_allow_html=True,
    )


def render_risk_legend(
    points: pd.DataFrame, lang: str, *, clickable: bool = True
) -> None:
    """Legend for the point colours, their shapes and what a click does."""
    title, items, notes = points_legend(points, lang, clickable=clickable)
    render_legend(items, title, dots=True)
    st.caption(" ".join(notes))


# The sea: the background of every map (drawn without a web basemap, the
# canvas is transparent where no country is; the basemap's tiles cover it).
_SEA = (
    "<style>[data-testid='stDeckGlJsonChart']"
    f"{{background-color:{css_rgb(OCEAN)}}}</style>"
)


def deck_chart(deck: pdk.Deck, **options: object) -> object:
    """`st.pydeck_chart(deck, **options)` on the sea's colour.

    The sea is a page style, not a layer: deck.gl would draw a polygon over
    the whole canvas (on machines without a GPU, software WebGL: a cost on
    every draw).
    """
    st.html(_SEA)  # style only: Streamlit puts it where it takes no space
    return st.pydeck_chart(deck, **options)


def render_map(deck: pdk.Deck, *, alt: str, height: int = 520) -> None:
    """Draw the deck; a click on a country calls `on_map_select`.

    After a country click the whole app reruns (the filters and every figure
    follow); after a dot click, its project page opens.
    """
    deck_chart(
        deck,
        height=height,
        on_select=on_map_select,
        selection_mode="single-object",
        key=_selection_key(),
        alt=alt,
    )
    if st.session_state.pop(state.MAP_PICKED_COUNTRY, False):
        st.rerun(scope="app")
    project_id = st.session_state.pop(state.MAP_OPEN_PROJECT, None)
    if project_id:
        from src.widgets.i18n import current_lang

        params = {state.URL_PROJECT: project_id, state.URL_LANG: current_lang()}
        st.switch_page(state.PROJECT_PAGE, query_params=params)


@st.fragment
def render_overview_map(
    rows: pd.DataFrame, dataset: str, *, caption: str, lang: str
) -> None:
    """The overview's map with its controls and legends, as a fragment.

    Changing the colouring, the borders or the basemap reruns only this part
    of the page; a click on a country reruns the app (`render_map`).

    Args:
        rows: the selection (rows of `dataset`, unchanged).
        dataset: the active dataset's id.
        caption: the selection in words (the map's text alternative).
        lang: UI language.
    """
    from src.widgets.i18n import t

    metric, web, borders = metric_selector()
    with st.spinner(t("map.preparing")):  # the first in a process reads the shapes
        deck, legend = portfolio_deck(
            rows, dataset, metric=metric, lang=lang, web_basemap=web, borders=borders
        )
    render_map(deck, alt=t("map.alt", filters=caption))
    render_legend(legend, t("map.metric." + metric))
    render_risk_legend(rows, lang)


def metric_selector() -> tuple[str, bool, bool]:
    """Choose the country colouring (mirrored in ?metric=), basemap and borders."""
    from src.widgets.i18n import labeller, md_escape, t

    url_metric = st.query_params.get(state.URL_METRIC)
    if state.MAP_METRIC not in st.session_state:
        if url_metric is not None and url_metric not in METRICS:
            st.warning(
                t(
                    "notice.bad_value",
                    param=state.URL_METRIC,
                    value=md_escape(url_metric),
                ),
                icon=":material/link_off:",
            )
        st.session_state[state.MAP_METRIC] = (
            url_metric if url_metric in METRICS else METRICS[0]
        )
    metric = st.radio(
        t("map.colour_by"),
        METRICS,
        format_func=labeller("map.metric."),
        horizontal=True,
        key=state.MAP_METRIC,
    )
    # Toggles as wide as their labels, on one line that wraps on a phone.
    with st.container(horizontal=True, gap="medium"):
        borders = st.toggle(
            t("map.borders"), key=state.MAP_BORDERS, help=t("map.borders_help")
        )
        web = st.toggle(t("map.web_basemap"), key=state.MAP_WEB, help=t("map.web_help"))
    set_param(state.URL_METRIC, metric)
    return metric, web, borders
