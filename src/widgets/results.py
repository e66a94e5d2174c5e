"""Results ladder (Country page) and result indicators (project page).

Builders (`build_*`) are pure: tables and charts from the data layer's
`src.portfolio.results`; `render_*` draw them, or say that the dataset
publishes no result indicators (never a ladder of zeros).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.i18n import format_money, format_number, format_percent, translate
from src.portfolio import results as R
from src.portfolio.context_trends import hdi_trend
from src.presentation.palettes import BAR, hex_color
from src.widgets import state
from src.widgets.charts import localised
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import whole_table

NOT_PUBLISHED_GREY = "#9e9e9e"


def _sector_label(sector: str, lang: str) -> str:
    key = "results.total" if sector == "total" else "sector." + sector
    return translate(key, lang)


def build_ladder_table(
    ladder: pd.DataFrame, achieved: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """Per sector group ("all" first): budget, projects and each rung.

    A rung's cell is "projects (share of the sector's budget)"; the median
    achievement carries its n.
    """
    tr = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    wide = ladder.pivot(index="sector", columns="rung")
    order = ["total", *sorted(s for s in wide.index if s != "total")]
    med = achieved.set_index("sector")
    out = {tr("col.sector"): [_sector_label(s, lang) for s in order]}
    out[tr("col.budget")] = [
        format_money(wide.at[s, ("budget_usd", "all")], lang) for s in order
    ]
    out[tr("col.projects")] = [int(wide.at[s, ("projects", "all")]) for s in order]
    for rung in R.RUNGS[1:]:
        out[tr("results.rung." + rung)] = [
            tr(
                "results.cell",
                projects=format_number(wide.at[s, ("projects", rung)], lang),
                share=format_percent(wide.at[s, ("share_budget", rung)], lang, 0),
            )
            for s in order
        ]
    out[tr("results.median")] = [
        tr(
            "results.median_cell",
            value=format_percent(med.at[s, "median"], lang, 0),
            n=format_number(med.at[s, "indicators"], lang),
        )
        if s in med.index and med.at[s, "indicators"] > 0
        else "–"
        for s in order
    ]
    return pd.DataFrame(out)


def build_ladder_chart(ladder: pd.DataFrame, lang: str) -> alt.Chart:
    """The selection's rungs: share of budget reached, projects as labels.

    A rung no project reaches is labelled "none published" in grey.
    """
    total = ladder[ladder["sector"] == "total"]
    labels = [translate("results.rung." + r, lang) for r in total["rung"]]
    data = total.assign(
        rung_label=labels,
        pct=total["share_budget"].fillna(0.0) * 100,
        text=[
            translate(
                "results.bar_label",
                lang,
                projects=n,
                budget=format_money(b, lang),
            )
            if n
            else translate("results.none_published", lang)
            for n, b in zip(total["projects"], total["budget_usd"], strict=True)
        ],
        reached=total["projects"] > 0,
    )
    axis_title = translate("results.share_budget", lang)
    base = alt.Chart(data).encode(
        y=alt.Y("rung_label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("pct:Q", title=axis_title, scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar(color=hex_color(BAR))
    text = base.mark_text(align="left", dx=4).encode(
        text="text:N",
        color=alt.condition(
            "datum.reached", alt.value("black"), alt.value(NOT_PUBLISHED_GREY)
        ),
    )
    return (bars + text).properties(height=40 * len(data))


def _coverage_caption(cov: R.Coverage, lang: str) -> str:
    n = lambda v: format_number(v, lang)  # noqa: E731
    return translate(
        "results.coverage",
        lang,
        with_indicators=n(cov.with_indicators),
        projects=cov.projects,
        indicators=translate("results.n_indicators", lang, n=cov.indicators),
        numeric=n(cov.numeric),
        achievement=n(cov.achievement),
        repaired=translate("results.n_repaired", lang, n=cov.repaired),
    )


def _ascending_captions(findings: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for f in findings[findings["all_zero"]].itertuples():
        # plural entries counted by the raw number of indicators
        values = {"publisher": md_escape(str(f.publisher)), "indicators": f.indicators}
        if f.directed:
            values["targets"] = translate(
                "results.conflicting_targets",
                lang,
                conflicts=format_number(f.conflicts, lang),
                directed=f.directed,
            )
            out.append(translate("results.ascending_default", lang, **values))
        else:
            out.append(translate("results.ascending_default_unchecked", lang, **values))
    return out


def render_results(
    rows: pd.DataFrame, table: pd.DataFrame | None, *, iso3: str
) -> None:
    """The results ladder of `rows` and the country's national context trend.

    Args:
        rows: the portfolio rows shown (under the sidebar filters).
        table: the dataset's indicator table (`cache.result_indicators`);
            None when it publishes no details.
        iso3: the country, for the context trend.
    """
    lang = current_lang()
    st.subheader(t("results.title"))
    if table is None:
        st.info(t("results.not_published"), icon=":material/checklist:")
        return
    ladder = R.ladder(rows, table)
    cov = R.coverage(rows, table)
    st.caption(t("results.intro"))
    st.altair_chart(
        localised(build_ladder_chart(ladder, lang)),
        key=state.RESULTS_CHART,
        alt=t("results.alt"),
    )
    st.caption(_coverage_caption(cov, lang))
    for caption in _ascending_captions(R.ascending_findings(rows, table), lang):
        st.caption(caption)
    whole_table(
        build_ladder_table(ladder, R.achievement_by_sector(rows, table), lang),
    )
    render_context_trend(iso3)


def build_hdi_chart(trend: pd.DataFrame, lang: str) -> alt.Chart:
    """The HDI by year, a line (0–1 scale as published)."""
    return (
        alt.Chart(trend)
        .mark_line(point=True, color=hex_color(BAR))
        .encode(
            x=alt.X("year:O", title=translate("results.year", lang)),
            y=alt.Y(
                "value:Q",
                title=translate("results.hdi", lang),
                scale=alt.Scale(zero=False),
            ),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=200)
    )


def render_context_trend(iso3: str) -> None:
    """The country's Human Development Index trend, labelled as context."""
    lang = current_lang()
    st.markdown(f"**{t('results.context_title')}**")
    trend = hdi_trend(iso3)
    if trend.empty:
        st.caption(t("results.hdi_missing"))
        return
    st.altair_chart(
        localised(build_hdi_chart(trend, lang)),
        key=state.RESULTS_HDI,
        alt=t("results.hdi_alt"),
    )
    last = trend.iloc[-1]
    st.caption(
        t(
            "results.context_note",
            year=str(int(last["year"])),
            value=format_number(last["value"], lang, 3),
        )
    )


def _read_as(ind: pd.Series, lang: str) -> str:
    parts = []
    for col in ("baseline", "target", "actual"):
        state_ = ind[f"{col}_state"]
        if state_ in (R.NUMBER, R.REPAIRED):
            value = float(ind[f"{col}_value"])
            parts.append(format_number(value, lang, 0 if value.is_integer() else 2))
        else:
            parts.append(translate("results.state." + state_, lang))
    return " · ".join(parts)


def _repairs(ind: pd.Series, lang: str) -> str:
    notes = []
    for col in ("baseline", "target", "actual"):
        if ind[f"{col}_state"] != R.REPAIRED:
            continue
        rules = ", ".join(
            translate("results.repair." + r, lang, year=ind[f"{col}_year"])
            for r in ind[f"{col}_repairs"].split("+")
        )
        notes.append(f"{translate('project.' + col, lang)}: {rules}")
    return "; ".join(notes) or "–"


def build_project_table(details: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Result indicators: as published, as read (repairs flagged), achievement."""
    tr = lambda key: translate(key, lang)  # noqa: E731
    ind = R.indicators(details)
    derived = tr("project.derived")
    return pd.DataFrame(
        {
            tr("project.result"): [
                f"{tr('result_type.' + (r or 'none'))}: {n}"
                for r, n in zip(ind["result_type"], ind["result_title"], strict=True)
            ],
            tr("project.indicator"): ind["indicator"].tolist(),
            tr("project.baseline"): ind["baseline"].tolist(),
            tr("project.target"): ind["target"].tolist(),
            tr("project.actual"): ind["actual"].tolist(),
            tr("results.period_end"): [p or "–" for p in ind["period_end"]],
            f"{tr('results.read_as')} ({derived})": [
                _read_as(r, lang) for _, r in ind.iterrows()
            ],
            tr("results.repaired"): [_repairs(r, lang) for _, r in ind.iterrows()],
            f"{tr('results.achievement')} ({derived})": [
                "–" if pd.isna(a) else format_percent(a, lang, 0)
                for a in ind["achievement"]
            ],
        }
    )


def render_project_results(details: pd.DataFrame) -> None:
    """The project's result indicators, or that none is published."""
    table = build_project_table(details, current_lang())
    if table.empty:
        st.caption(t("project.none_published"))
        return
    whole_table(table)
    st.caption(t("results.project_note"))
