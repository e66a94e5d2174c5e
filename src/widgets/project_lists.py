"""The project page's lists, each from the data layer's side tables.

Transactions, organisations, sectors, places, results and documents.

Builders (`build_*`) are pure and return a table or a deck; `render_*` draw
them, or say that nothing was published.
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk
import streamlit as st

from src.i18n import (
    format_date,
    format_money_full,
    format_number,
    format_percent,
    translate,
)
from src.portfolio import schema as S
from src.portfolio.corrections import INCOMING_TYPES
from src.portfolio.country_part import project_transactions, sites_in
from src.portfolio.sectors import sector_name
from src.widgets import cache
from src.widgets.auth import principal
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import whole_table
from src.widgets.map import deck_chart
from src.widgets.map_deck import NO_BASEMAP, CompactDeck
from src.widgets.map_layers import dots, land_layer
from src.widgets.results import render_project_results


def build_transaction_table(tx: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every transaction, oldest first: date, type, value as reported, USD.

    Incoming money the totals count through another record of the same
    provider (`corrections.counted_incoming`) says so beside its type.
    """
    tx = tx.sort_values(S.TX_DATE, kind="stable")
    tr = lambda key: translate(key, lang)  # noqa: E731
    return pd.DataFrame(
        {
            tr("tx.date"): [
                "–" if pd.isna(d) else format_date(d.date(), lang)
                for d in tx[S.TX_DATE]
            ],
            tr("tx.type"): [
                _type_label(c, fix, tr)
                + (
                    ""
                    if ok or k not in INCOMING_TYPES
                    else f" ({tr('tx.counted_once')})"
                )
                for c, fix, k, ok in zip(
                    tx[S.TX_REPORTED_TYPE],
                    tx[S.TX_CORRECTION],
                    tx[S.TX_TYPE],
                    tx[S.TX_COUNTED],
                    strict=True,
                )
            ],
            tr("tx.value"): [
                f"{format_number(v, lang, 2)} {c}".strip()
                for v, c in zip(tx[S.TX_VALUE], tx[S.TX_CURRENCY], strict=True)
            ],
            tr("tx.usd"): [
                tr("tx.no_rate") if pd.isna(v) else format_money_full(v, lang)
                for v in tx[S.TX_USD]
            ],
            tr("tx.provider"): tx[S.TX_PROVIDER].tolist(),
            tr("tx.receiver"): tx[S.TX_RECEIVER].tolist(),
        }
    )


def _type_label(code: str, fix: str, tr) -> str:  # noqa: ANN001 - translate
    """The type as published, with the correction made to it, if any."""
    label = tr("tx_type." + code) if code else "–"
    return f"{label} ({tr('tx.correction.' + fix)})" if fix else label


def _of(details: pd.DataFrame, kind: str) -> pd.DataFrame:
    return details[details[S.DT_KIND] == kind]


def build_org_table(details: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Participating organisations by role (funding, accountable, …)."""
    orgs = _of(details, "org").sort_values(S.DT_ROLE, kind="stable")
    return pd.DataFrame(
        {
            translate("project.role", lang): [
                translate("org_role." + (r or "none"), lang) for r in orgs[S.DT_ROLE]
            ],
            translate("project.organisation", lang): orgs[S.DT_NAME].tolist(),
            translate("project.org_ref", lang): orgs[S.DT_REF].tolist(),
        }
    )


def build_sector_table(details: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The reported DAC 5-digit sectors, named, and their percentages.

    The name is the IATI Sector codelist's in `lang` (publishers rarely write
    one: the column was mostly empty), else the name the publisher wrote.
    """
    sectors = _of(details, "sector")
    return pd.DataFrame(
        {
            translate("project.dac_code", lang): sectors[S.DT_CODE].tolist(),
            translate("project.dac_name", lang): [
                sector_name(str(code), lang, "" if pd.isna(name) else str(name))
                for code, name in zip(
                    sectors[S.DT_CODE], sectors[S.DT_NAME], strict=True
                )
            ],
            translate("project.percentage", lang): [
                "–" if pd.isna(v) else f"{format_number(v, lang, 1)} %"
                for v in sectors[S.DT_SHARE]
            ],
        }
    )


def build_location_deck(points: pd.DataFrame) -> pdk.Deck:
    """A small map of the reported places over grey countries.

    No web basemap, so no external host: pydeck's `map_style=None` would have
    Streamlit fetch Carto's style; `NO_BASEMAP` is its "no basemap" marker.
    Compact JSON: pydeck's own indents the world shapes to about 0.9 MB.
    """
    records = [
        {"lon": lon, "lat": lat, "title": name or "", "body": ""}
        for lon, lat, name in zip(
            points[S.DT_LON], points[S.DT_LAT], points[S.DT_NAME], strict=True
        )
    ]
    lat = float(points[S.DT_LAT].mean())
    lon = float(points[S.DT_LON].mean())
    spread = float(max(points[S.DT_LAT].std(), points[S.DT_LON].std()) or 0.0)
    zoom = 5 if pd.isna(spread) or spread < 2 else 3
    places = dots(
        "places",
        records,
        get_radius=6,  # px, every place alike
        pickable=True,
        get_fill_color=[0, 105, 168],
        get_line_color=[40, 40, 40],
        line_width_min_pixels=1,
    )
    return CompactDeck(
        layers=[land_layer(), places],
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom),
        map_provider=None,
        map_style=NO_BASEMAP,
        tooltip={"html": "<b>{title}</b>"},
    )


def _table_or_note(table: pd.DataFrame, note: str) -> None:
    if table.empty:
        st.caption(note)
    else:
        whole_table(table)


def render_transactions(tx: pd.DataFrame | None, rows: pd.DataFrame) -> None:
    """Every transaction of the project, or why none is shown.

    A user restricted to one country sees a multi-country project's
    transactions that name the country only; those naming none are the whole
    project's, counted at the country's share in the chart (`country_part`).
    """
    st.subheader(t("project.transactions"))
    if tx is None:
        st.info(t("flows.not_published"), icon=":material/receipt_long:")
        return
    lang = current_lang()
    if principal().country is not None:
        share = float(rows[S.COL_COUNTRY_SHARE].sum())
        iso2 = str(rows.iloc[0][S.COL_COUNTRY_ISO2])
        tx, hidden = project_transactions(tx, iso2=iso2, share=share)
        if hidden:
            st.caption(
                t(
                    "project.tx_country_part",
                    n=hidden,
                    share=format_percent(share, lang, 1),
                )
            )
    _table_or_note(build_transaction_table(tx, lang), t("project.no_tx"))


def render_lists(details: pd.DataFrame | None, rows: pd.DataFrame) -> None:
    """Organisations, sectors and SDGs, places, results and documents."""
    lang = current_lang()
    if details is None:
        st.info(t("project.no_details"), icon=":material/info:")
        return
    st.subheader(t("project.organisations"))
    _table_or_note(build_org_table(details, lang), t("project.none_published"))
    st.subheader(t("project.sectors"))
    _table_or_note(build_sector_table(details, lang), t("project.none_published"))
    sdgs = [g for g in str(rows.iloc[0][S.COL_SDG_TAGS]).split(";") if g]
    st.caption(t("project.sdgs", tags=", ".join(sdgs) or "–"))
    st.subheader(t("project.locations"))
    points = _of(details, "location")
    country = principal().country
    if country is not None and not points.empty:  # never another country's sites
        points = points[sites_in(points, country, cache.country_rings())]
    if points.empty:
        st.caption(t("project.no_locations"))
    else:
        deck_chart(build_location_deck(points), height=280)
        names = sorted({n for n in points[S.DT_NAME] if n})
        st.caption(", ".join(md_escape(n) for n in names))
    st.subheader(t("project.results"))
    render_project_results(details)
    st.subheader(t("project.documents"))
    docs = _of(details, "document")
    safe = docs[docs[S.DT_URL].str.match(r"^https?://", case=False)]
    if safe.empty:
        st.caption(t("project.none_published"))
    else:
        st.markdown(
            "\n".join(
                f"- [{md_escape(title)}]({url.replace(')', '%29').replace(' ', '%20')})"
                for title, url in zip(safe[S.DT_NAME], safe[S.DT_URL], strict=True)
            )
        )
