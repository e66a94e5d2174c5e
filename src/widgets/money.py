"""Follow the money: KPIs with coverage, where the money goes, the chain, the fixes.

Builders (`build_*`) are pure and return a chart or a table from a
`money_summary.MoneySummary`; `render_follow_the_money` draws the section on
the Follow-the-money page and on the Country page. A share with nothing to
measure it on reads "not published", never 0 %.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.i18n import format_money, format_number, format_percent, translate
from src.portfolio import money as M
from src.portfolio import money_chain as C
from src.portfolio import schema as S
from src.portfolio.export import to_csv_bytes
from src.portfolio.filters import FilterSpec
from src.portfolio.money_summary import MoneySummary
from src.widgets import cache, state
from src.widgets.auth import principal
from src.widgets.charts import localised
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import card_row, whole_table
from src.widgets.money_fixes import render_fix_list

# Okabe-Ito for the categories (local actors in the warm colours), grey for
# "not stated" so missing data never reads as a category of its own.
CATEGORY_COLORS = {
    M.NATIONAL_GOVERNMENT: "#D55E00",
    M.LOCAL_NGO: "#E69F00",
    M.LOCAL_PRIVATE: "#F0E442",
    M.INTERNATIONAL_NGO: "#56B4E9",
    M.MULTILATERAL: "#0072B2",
    M.PRIVATE: "#CC79A7",
    M.OTHER: "#009E73",
    M.NOT_STATED: "#BBBBBB",
}


def share_text(share: M.Share, lang: str) -> str:
    """The share as a percentage, or "not published" when it has no base."""
    if share.value is None:
        return translate("money.not_published", lang)
    return format_percent(share.value, lang, 1)


def coverage_text(share: M.Share, lang: str, unit: str = "tx") -> str:
    """What a share is measured on: "US$16.5M of US$223.5M; 76 of 1,895 …"."""
    return translate(
        "money.coverage." + unit,
        lang,
        usd=format_money(share.usd, lang),
        of_usd=format_money(share.of_usd, lang),
        count=format_number(share.count, lang),
        of_count=share.of_count,
    )


def kpi_cards(m: MoneySummary, lang: str) -> list[tuple[str, str, str]]:
    """(label, value, coverage caption) for each KPI card, in display order."""
    loc, tr, imp = m.localisation, m.traceability, m.implementation
    return [
        (
            translate("money.kpi.verified", lang),
            share_text(loc.verified, lang),
            coverage_text(loc.verified, lang),
        ),
        (
            translate("money.kpi.typed", lang),
            share_text(loc.among_typed, lang),
            translate("money.typed_coverage", lang)
            + " "
            + coverage_text(loc.typed, lang),
        ),
        (
            translate("money.kpi.up", lang),
            share_text(tr.up, lang),
            coverage_text(tr.up, lang),
        ),
        (
            translate("money.kpi.down", lang),
            share_text(tr.down, lang),
            coverage_text(tr.down, lang),
        ),
        (
            translate("money.kpi.pass_through", lang),
            share_text(m.pass_through, lang),
            coverage_text(m.pass_through, lang),
        ),
        (
            translate("money.kpi.self", lang),
            share_text(imp.self_share, lang),
            coverage_text(imp.self_share, lang, "act"),
        ),
        (
            translate("money.kpi.national", lang),
            share_text(imp.national_share, lang),
            coverage_text(imp.national_share, lang, "act"),
        ),
    ]


def category_label(code: str, lang: str) -> str:
    """The name of a receiver category in `lang`."""
    return translate("money.cat." + code, lang)


def build_category_chart(flows: pd.DataFrame, lang: str) -> alt.Chart:
    """Outgoing money per intermediary (publisher), stacked by receiver category."""
    data = flows.groupby(["intermediary", M.CATEGORY], as_index=False)["usd"].sum()
    data = data.assign(
        category=[category_label(c, lang) for c in data[M.CATEGORY]],
        value_m=data["usd"] / 1e6,
        money=[format_money(v, lang) for v in data["usd"]],
    )
    order = [category_label(c, lang) for c in M.CATEGORIES]
    usd_m = translate("chart.budget_musd", lang)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            # no axis title: it would overlap the long names (the tooltip has it)
            y=alt.Y("intermediary:N", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("value_m:Q", title=usd_m, stack="zero"),
            color=alt.Color(
                "category:N",
                title=translate("money.receiver_category", lang),
                scale=alt.Scale(
                    domain=order, range=[CATEGORY_COLORS[c] for c in M.CATEGORIES]
                ),
                sort=order,
                legend=alt.Legend(orient="bottom", columns=4),
            ),
            order=alt.Order("category:N"),
            tooltip=[
                alt.Tooltip(
                    "intermediary:N", title=translate("money.intermediary", lang)
                ),
                alt.Tooltip(
                    "category:N", title=translate("money.receiver_category", lang)
                ),
                alt.Tooltip("money:N", title=usd_m),
            ],
        )
        # the height holds the axes and the legend too (Streamlit fits the
        # whole chart into it): 50 px per bar plus room for both
        .properties(height=160 + 50 * max(1, data["intermediary"].nunique()))
    )


def build_localisation_chart(publishers: pd.DataFrame, lang: str) -> alt.Chart:
    """Verified localisation share per publisher, all and humanitarian, and 25 %.

    Publishers whose share is not published are left out (listed in a caption).
    """
    rows = []
    for rec in publishers.to_dict("records"):
        for key, col in (
            ("all", "localisation_verified"),
            ("hum", "humanitarian_verified"),
        ):
            if pd.notna(rec[col]):
                rows.append(
                    {
                        "publisher": rec[M.PUBLISHER],
                        "scope": translate("money.scope." + key, lang),
                        "share": float(rec[col]),
                    }
                )
    data = pd.DataFrame(rows, columns=["publisher", "scope", "share"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("publisher:N", title=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("scope:N"),
            x=alt.X(
                "share:Q",
                title=translate("money.kpi.verified", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("scope:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("publisher:N"),
                alt.Tooltip("scope:N"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )
    target = pd.DataFrame(
        {"share": [M.GRAND_BARGAIN_TARGET], "label": [translate("money.gb_line", lang)]}
    )
    rule = (
        alt.Chart(target)
        .mark_rule(color="black", strokeDash=[4, 3])
        .encode(x="share:Q")
    )
    text = (
        alt.Chart(target)
        .mark_text(align="left", dx=4, dy=-6, baseline="bottom")
        .encode(x="share:Q", y=alt.value(0), text="label:N")
    )
    height = 110 + 60 * max(1, data["publisher"].nunique())  # axes, legend included
    return (bars + rule + text).properties(height=height)


def build_hops_table(hops: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Outgoing money by chain length and how far the chain can be walked."""
    return pd.DataFrame(
        {
            translate("money.col.hops", lang): hops["hops"],
            translate("money.col.chain", lang): [
                translate("money.chain." + s, lang) for s in hops["status"]
            ],
            translate("money.col.transactions", lang): [
                format_number(v, lang) for v in hops["transactions"]
            ],
            translate("col.budget_usd", lang): [
                format_money(v, lang) for v in hops["usd"]
            ],
        }
    )


def build_flow_table(flows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Funder → intermediary → implementer → category, names as published."""
    missing = translate("money.not_published", lang)
    outside = translate("money.outside_activity", lang)
    funder = flows["funder"].replace({"": missing, C.OUTSIDE_FUNDER: outside})
    return pd.DataFrame(
        {
            translate("money.funder", lang): funder,
            translate("money.intermediary", lang): flows["intermediary"],
            translate("money.implementer", lang): flows["implementer"].replace(
                "", missing
            ),
            translate("money.receiver_category", lang): [
                category_label(c, lang) for c in flows[M.CATEGORY]
            ],
            translate("col.budget_usd", lang): flows["usd"].round(0),
        }
    )


def _routes_text(m: MoneySummary, lang: str) -> str:
    parts = [
        f"{translate('money.route.' + r, lang)} {format_money(m.routes[r], lang)}"
        for r in C.ROUTES
        if m.routes[r] > 0
    ]
    text = translate("money.routes", lang, routes="; ".join(parts) or "–")
    cov = m.aid_types
    if not cov.stated.of_count:
        return text
    return (
        text
        + " "
        + translate(
            "money.aid_types",
            lang,
            stated=format_number(cov.stated.count, lang),
            total=cov.stated.of_count,
            own=format_number(cov.own.count, lang),
            pooled=format_number(cov.pooled.count, lang),
        )
    )


def render_follow_the_money(
    dataset: str,
    spec: FilterSpec,
    *,
    where: str,
    ge: float | None = None,
    heading: bool = True,
) -> None:
    """The section: KPIs, where the money goes, the chain, the fix-your-data list.

    Args:
        dataset: the active dataset.
        spec: the selection (the Country page's has its country).
        where: the page, to key the charts and downloads.
        ge: the country's government-effectiveness score (Country page only).
        heading: draw the section heading (the page of its own has a title).
    """
    lang = current_lang()
    if heading:
        st.subheader(t("money.title"))
    within = principal().country
    m = cache.money_figures(dataset, spec, within)
    if m is None:
        st.info(t("money.no_transactions"), icon=":material/receipt_long:")
        return
    st.caption(t("money.intro"))
    if within:  # the walk stops at the country's border (docs/SECURITY.md)
        st.caption(t("money.restricted_walk"))
    cards = kpi_cards(m, lang)
    for col, (label, value, caption) in zip(card_row(len(cards)), cards, strict=True):
        col.metric(label, value.replace("$", r"\$"), border=True)
        col.caption(md_escape(caption))
    if ge is not None and pd.notna(ge):
        st.caption(md_escape(t("money.ge", ge=format_number(ge, lang, 2))))
    hum = m.humanitarian.verified
    # captions are escaped: "$" in amounts would start LaTeX, names are data
    text = t(
        "money.humanitarian" if hum.value is not None else "money.humanitarian_none",
        share=share_text(hum, lang),
        coverage=coverage_text(hum, lang),
        target=format_percent(M.GRAND_BARGAIN_TARGET, lang),
    )
    st.caption(md_escape(text))
    st.caption(md_escape(_routes_text(m, lang)))
    if not m.flows.empty:
        st.altair_chart(
            localised(build_category_chart(m.flows, lang)),
            key=state.item_key(state.MONEY_CATEGORY_CHART, where),
        )
        st.caption(t("money.sankey_note"))
    if m.publishers["localisation_verified"].notna().any():
        st.altair_chart(
            localised(build_localisation_chart(m.publishers, lang)),
            key=state.item_key(state.MONEY_LOCAL_CHART, where),
        )
    unpublished = m.publishers.loc[
        m.publishers["localisation_verified"].isna(), M.PUBLISHER
    ]
    if len(unpublished):
        st.caption(md_escape(t("money.unpublished", names=", ".join(unpublished))))
    with st.expander(t("money.chain_title")):
        st.caption(t("money.chain_note"))
        whole_table(build_hops_table(m.hops, lang))
    with st.expander(t("money.flows_title")):
        table = build_flow_table(m.flows, lang)
        whole_table(table)
        st.download_button(
            t("table.download"),
            data=lambda: to_csv_bytes(table, [t("money.flows_title"), spec.describe()]),
            file_name=f"money_flows_{where}.csv",
            mime="text/csv",
            key=state.item_key(state.MONEY_FLOW_DOWNLOAD, where),
        )
    fixes = cache.fix_your_data(dataset, spec, lang)
    render_fix_list(fixes, caption=spec.describe(), where=where)


def country_ge(rows: pd.DataFrame) -> float | None:
    """The country's government-effectiveness estimate (None when unknown)."""
    values = rows[S.COL_GE].dropna()
    return float(values.iloc[0]) if len(values) else None
