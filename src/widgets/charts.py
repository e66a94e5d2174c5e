"""Altair charts; every chart comes with its table one click away."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from src.i18n import format_money, format_percent
from src.portfolio import schema as S
from src.portfolio.summary import breakdown
from src.presentation.chart_locale import vega_locale
from src.presentation.palettes import BAR, RISK_COLORS, Rgb, css_rgb, hex_color
from src.widgets import row_cache, state
from src.widgets.i18n import current_lang, t
from src.widgets.layout import lazy_expander, whole_table


def build_bar_chart(
    table: pd.DataFrame,
    *,
    category: str,
    label: str,
    value: str = "budget_usd",
    value_label: str = "",
    colors: dict[str, Rgb] | None = None,
) -> alt.Chart:
    """A horizontal bar chart of `value` (USD millions) by `category` (labels).

    Args:
        table: rows with columns `category` (already translated) and `value`.
        category: name of the label column.
        label: axis title for the categories.
        value: numeric column in USD.
        value_label: axis title for the values.
        colors: optional fixed colours per category label.
    """
    data = table.assign(value_m=table[value] / 1e6)
    enc_color: alt.Color | alt.Value = alt.value(hex_color(BAR))
    if colors:
        domain = list(colors)
        rng = [css_rgb(c) for c in colors.values()]
        enc_color = alt.Color(
            f"{category}:N", scale=alt.Scale(domain=domain, range=rng), legend=None
        )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N",
                sort=list(data[category]),
                title=None,
                axis=alt.Axis(labelLimit=170, labelOverlap=False),
            ),
            x=alt.X("value_m:Q", title=value_label),
            color=enc_color,
            tooltip=[
                alt.Tooltip(f"{category}:N", title=label),
                alt.Tooltip("value_m:Q", title=value_label, format=",.1f"),
            ],
        )
        .properties(height=max(140, 30 * len(data)))
    )


def table_view(table: pd.DataFrame, category: str, label: str) -> pd.DataFrame:
    """The chart's data as a readable, translated table (its text alternative)."""
    lang = current_lang()
    return pd.DataFrame(
        {
            label: table[category],
            t("col.budget"): table["budget_usd"].map(lambda v: format_money(v, lang)),
            t("col.spent"): table["spent_usd"].map(lambda v: format_money(v, lang)),
            t("col.projects"): table["projects"],
            t("col.share"): table["share"].map(lambda v: format_percent(v, lang, 1)),
        }
    )


def localised(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with axis numbers formatted for the UI language."""
    return chart.configure(locale=vega_locale(current_lang()))


# What the active Altair theme adds to every spec (a default view size):
# Streamlit draws charts without it (`st.altair_chart` switches the theme off).
_THEME_CONFIG = alt.Chart().mark_point().to_dict(validate=False).get("config", {})


def vega_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The localised chart as the Vega-Lite spec `st.altair_chart` would draw.

    The chart was checked as it was built (each encoding is validated), so
    the spec is not validated again; its data is in Arrow form, without the
    theme's default view size. Made once per selection by the callers'
    caches, so a rerun that keeps the selection builds no Altair object.
    """
    spec = localised(chart).to_dict(validate=False)
    # Each dataset as the Arrow stream Streamlit sends (it passes bytes on).
    spec["datasets"] = {
        name: _arrow_stream(pa.Table.from_pylist(records))
        for name, records in spec.get("datasets", {}).items()
    }
    config = dict(spec.get("config", {}))
    for name, value in _THEME_CONFIG.items():
        if config.get(name) == value:
            del config[name]
    if config:
        spec["config"] = config
    else:
        spec.pop("config", None)
    return spec


def _arrow_stream(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@dataclass(frozen=True)
class ChartView:
    """A chart made once: the spec drawn, its text alternative and table.

    `chart` is kept for the PNG download (rendered only when clicked).
    """

    chart: alt.Chart
    spec: dict[str, Any]
    alt: str
    table: pd.DataFrame


def render_chart_view(view: ChartView, *, key: str, png_name: str) -> None:
    """Draw a made chart, the table behind it (made when opened) and its PNG."""
    # Streamlit takes the data out of the spec it is given: a shallow copy
    # keeps the shared one whole.
    st.vega_lite_chart(spec=dict(view.spec), key=key, alt=view.alt)
    lazy_expander(
        t("chart.show_table"),
        lambda: whole_table(view.table),
        key=state.item_key(key, state.TABLE_EXPANDER),
    )
    render_png_download(view.chart, key=key, name=png_name)


def chart_png(chart: alt.Chart) -> bytes:
    """The chart as a PNG at presentation resolution (rendered offline)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=2)


def render_png_download(chart: alt.Chart, *, key: str, name: str) -> None:
    """A PNG download of one chart (generated only when clicked)."""
    st.download_button(
        t("chart.png"),
        data=lambda: chart_png(chart),
        file_name=f"{name}.png",
        mime="image/png",
        key=state.item_key(key, state.PNG_DOWNLOAD),
        icon=":material/image:",
    )


def chart_with_table(
    chart: alt.Chart, table: pd.DataFrame, *, category: str, label: str
) -> ChartView:
    """A bar chart of budget by `category` with its readable table."""
    summary = "; ".join(
        f"{c}: {format_money(v, current_lang())}"
        for c, v in zip(table[category], table["budget_usd"], strict=True)
    )
    return ChartView(
        chart=chart,
        spec=vega_spec(chart),
        alt=f"{label}. {summary}",
        table=table_view(table, category, label),
    )


def translated_breakdown(table: pd.DataFrame, column: str, kind: str) -> pd.DataFrame:
    """Replace the category values by their translated labels."""
    prefix = {"sector": "sector.", "risk": "risk.", "region": "region."}[kind]
    return table.assign(**{column: table[column].map(lambda v: t(prefix + str(v)))})


def risk_colors() -> dict[str, Rgb]:
    """Translated risk label -> the map's risk colour."""
    return {t("risk." + k): c for k, c in RISK_COLORS.items()}


def render_year_chart(years: pd.DataFrame) -> None:
    """Budget and spend by start year (grouped bars) with its table."""
    label_budget, label_spent = t("col.budget"), t("col.spent")
    long = years.melt(
        id_vars="year", value_vars=["budget_usd", "spent_usd"], var_name="what"
    )
    long["what"] = long["what"].map(
        {"budget_usd": label_budget, "spent_usd": label_spent}
    )
    long["value_m"] = long["value"] / 1e6
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("chart.start_year"), axis=alt.Axis(labelAngle=0)),
            xOffset="what:N",
            y=alt.Y("value_m:Q", title=t("chart.budget_musd")),
            color=alt.Color("what:N", title=None),
            tooltip=["year:O", "what:N", alt.Tooltip("value_m:Q", format=",.2f")],
        )
        .properties(height=260)
    )
    lang = current_lang()
    st.altair_chart(localised(chart), key=state.CHART_YEARS, alt=t("chart.by_year"))
    with st.expander(t("chart.show_table")):
        whole_table(
            pd.DataFrame(
                {
                    t("chart.start_year"): years["year"].astype(str),
                    label_budget: years["budget_usd"].map(
                        lambda v: format_money(v, lang)
                    ),
                    label_spent: years["spent_usd"].map(
                        lambda v: format_money(v, lang)
                    ),
                    t("col.projects"): years["projects"],
                }
            ),
        )


# Display order of each breakdown (regions: by budget).
BREAKDOWN_ORDER = {"sector": S.ALL_SECTOR_GROUPS, "risk": S.RISK_LEVELS, "region": ()}


def render_breakdown(
    df: pd.DataFrame, column: str, kind: str, *, key: str, dataset: str | None = None
) -> None:
    """Heading, bar chart of budget by `column`, and its table.

    `kind` is "sector", "risk" or "region" (labels, order and colours). With
    `dataset` (`df` is a selection of its rows, unchanged), the breakdown is
    made once per selection (`row_cache`).
    """
    st.subheader(t(f"chart.by_{kind}"))
    lang = current_lang()
    if dataset is None:
        view = breakdown_view(df, column, kind, lang)
    else:
        view = row_cache.of_rows(breakdown_view, df, dataset, column, kind, lang)
    render_chart_view(view, key=key, png_name=key.replace(".", "_"))


def breakdown_view(df: pd.DataFrame, column: str, kind: str, lang: str) -> ChartView:
    """The bar chart of budget by `column` and its table, in `lang`.

    `lang` is the current UI language (the labels' language), passed so that
    a cache of the view is keyed on it.
    """
    del lang  # the labels follow the current UI language
    totals = breakdown(df, column, BREAKDOWN_ORDER[kind])
    table = translated_breakdown(totals, column, kind)
    label = t(f"filters.{kind}")
    chart = build_bar_chart(
        table,
        category=column,
        label=label,
        value_label=t("chart.budget_musd"),
        colors=risk_colors() if kind == "risk" else None,
    )
    return chart_with_table(chart, table, category=column, label=label)
