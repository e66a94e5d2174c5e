"""Money over time: a chart of commitments, disbursements and expenditure.

`build_flow_chart` is pure (a spec from the data layer's `quarterly_flows`);
`render_money_over_time` draws it with its table, or says that the dataset
publishes no transactions (never a chart of zeros).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.i18n import format_money, translate
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.country_part import country_part
from src.portfolio.flows import QUARTER, QUARTER_START, quarterly_flows, undated_usd
from src.widgets import cache, row_cache, state
from src.widgets.auth import principal
from src.widgets.charts import ChartView, render_chart_view, vega_spec
from src.widgets.i18n import current_lang, t

# Okabe-Ito colours (distinct under the common colour-vision deficiencies);
# not the risk colours, so no flow reads as a risk level.
FLOW_COLORS = {
    S.TX_COMMITMENT: "#E69F00",
    S.TX_DISBURSEMENT: "#0072B2",
    S.TX_EXPENDITURE: "#009E73",
}


def flow_label(code: str, lang: str) -> str:
    """The name of a transaction type in `lang` (IATI TransactionType code)."""
    return translate("tx_type." + code, lang)


def build_flow_chart(flows: pd.DataFrame, lang: str) -> alt.Chart:
    """Grouped bars: USD millions per quarter, one bar per flow type.

    Args:
        flows: `quarterly_flows` output.
        lang: label language.
    """
    labels = [flow_label(c, lang) for c in S.FLOW_TYPES]
    data = flows.assign(
        flow=flows[S.TX_TYPE].map(lambda c: flow_label(c, lang)),
        value_m=flows[S.TX_USD] / 1e6,
    )
    usd_m = translate("chart.budget_musd", lang)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                f"{QUARTER}:O",
                title=translate("flows.quarter", lang),
                sort=sorted(set(data[QUARTER])),
                axis=alt.Axis(labelAngle=-45),
            ),
            xOffset=alt.XOffset("flow:N", sort=labels),
            y=alt.Y("value_m:Q", title=usd_m),
            color=alt.Color(
                "flow:N",
                title=None,
                scale=alt.Scale(
                    domain=labels, range=[FLOW_COLORS[c] for c in S.FLOW_TYPES]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip(f"{QUARTER}:O", title=translate("flows.quarter", lang)),
                alt.Tooltip("flow:N", title=translate("flows.type", lang)),
                alt.Tooltip("value_m:Q", title=usd_m, format=",.2f"),
            ],
        )
        .properties(height=280)
    )


def flow_table(flows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per quarter, one column per flow (formatted money)."""
    wide = flows.pivot_table(
        index=[QUARTER_START, QUARTER],
        columns=S.TX_TYPE,
        values=S.TX_USD,
        aggfunc="sum",
    ).reset_index()
    out = pd.DataFrame({translate("flows.quarter", lang): wide[QUARTER]})
    for code in S.FLOW_TYPES:
        values = wide[code] if code in wide else pd.Series(float("nan"), wide.index)
        out[flow_label(code, lang)] = values.map(lambda v: format_money(v, lang))
    return out


def render_money_over_time(
    rows: pd.DataFrame,
    side: SideTables | None,
    *,
    where: str,
    dataset: str | None = None,
) -> None:
    """Heading, chart and table of the rows' money per quarter.

    Args:
        rows: the portfolio rows shown (a selection, a country, a project).
        side: the dataset's side tables; None when it publishes no transactions.
        where: the page, to key the chart.
        dataset: the dataset whose side tables `side` are, when `rows` are a
            selection of its rows (unchanged): the flows are then made once
            per selection (`row_cache`).
    """
    lang = current_lang()
    st.subheader(t("flows.title"))
    if side is None:
        st.info(t("flows.not_published"), icon=":material/receipt_long:")
        return
    # a restricted view: a multi-country project's part (`country_part`)
    by_country = principal().country is not None
    if dataset is None:
        view, undated = flow_view(*_selection_flows(rows, side, by_country), lang)
    else:
        view, undated = row_cache.of_rows(
            _dataset_flow_view, rows, dataset, dataset, by_country, lang
        )
    if view is None:
        st.info(t("flows.none"), icon=":material/receipt_long:")
        return
    key = state.item_key(state.FLOW_CHART, where)
    render_chart_view(view, key=key, png_name=f"money_over_time_{where}")
    st.caption(t("flows.caption"))
    if by_country:
        render_country_part(rows, side.transactions)
    if undated:
        st.caption(t("flows.undated", amount=format_money(undated, lang)))


def flow_view(
    flows: pd.DataFrame, undated: float, lang: str
) -> tuple[ChartView | None, float]:
    """The chart and table of the quarterly flows, and the undated USD.

    The view is None when no flow is dated.
    """
    if flows.empty:
        return None, undated
    chart = build_flow_chart(flows, lang)
    view = ChartView(
        chart=chart,
        spec=vega_spec(chart),
        alt=translate("flows.alt", lang),
        table=flow_table(flows, lang),
    )
    return view, undated


def render_country_part(rows: pd.DataFrame, transactions: pd.DataFrame) -> None:
    """How a restricted view cut its multi-country projects (a derived figure)."""
    part = country_part(rows, transactions)
    if part.projects:
        st.caption(
            t(
                "flows.country_part",
                projects=part.projects,
                named=t("flows.tx_named", n=part.named),
                elsewhere=t("flows.tx_elsewhere", n=part.elsewhere),
                unnamed=t("flows.tx_unnamed", n=part.unnamed),
            )
        )


def _selection_flows(
    rows: pd.DataFrame, side: SideTables, by_country: bool = False
) -> tuple[pd.DataFrame, float]:
    """The rows' quarterly flows and their undated USD."""
    return (
        quarterly_flows(rows, side.transactions, by_country=by_country),
        undated_usd(rows, side.transactions, by_country=by_country),
    )


def _dataset_flow_view(
    rows: pd.DataFrame, dataset: str, by_country: bool, lang: str
) -> tuple[ChartView | None, float]:
    side = cache.side_tables(dataset)
    if side is None:  # not reached: the caller checked the dataset has them
        return None, 0.0
    return flow_view(*_selection_flows(rows, side, by_country), lang)
