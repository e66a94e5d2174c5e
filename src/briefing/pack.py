"""The pack: slide content built once, written to .pptx or .pdf by the writers.

Every figure comes from src.portfolio.summary (the functions the app's pages
call) and is formatted with src.i18n, so a number in the pack is the number the
app shows for the same filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from src.briefing import charts, methods
from src.briefing.coordination import coordination_slides
from src.briefing.scenarios import ScenarioResult, summary_sentence
from src.briefing.sections import SECTIONS
from src.briefing.text import truncate
from src.i18n import (
    LANGUAGES,
    country_name,
    format_date,
    format_money,
    format_number,
    format_percent,
    translate,
)
from src.portfolio import schema as S
from src.portfolio.export import source_line
from src.portfolio.filters import FilterSpec, country_label
from src.portfolio.schema import PortfolioMeta
from src.portfolio.summary import Kpis, breakdown, by_country, kpis
from src.presentation.metrics import format_metric

TITLE_LIMIT = 90  # deck title (two lines on the title slide)
CELL_LIMIT = 60  # project titles in tables
TOP_AT_RISK = 10
_BREAKDOWNS = {
    "sector": (S.COL_SECTOR_GROUP, S.ALL_SECTOR_GROUPS),
    "risk": (S.COL_RISK, S.RISK_LEVELS),
    "region": (S.COL_REGION, ()),
}


@dataclass(frozen=True)
class Table:
    """A text table: header and rows of already formatted cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Slide:
    """One slide (or PDF page).

    Attributes:
        kind: title, kpis, chart, table, scenario or methods.
        title: the heading (writers truncate it to fit).
        lines: text lines (title-slide facts, bullets, notes, summary).
        kpis: (label, formatted value) pairs.
        image: a PNG chart (≥ 1600 px wide), or None.
        image_alt: the chart's text alternative.
        table: a text table, or None.
    """

    kind: str
    title: str
    lines: tuple[str, ...] = ()
    kpis: tuple[tuple[str, str], ...] = ()
    image: bytes | None = None
    image_alt: str = ""
    table: Table | None = None


@dataclass(frozen=True)
class Pack:
    """A briefing pack: the slides plus what every page footer repeats.

    Attributes:
        title: the deck title.
        lang: "en" or "fr".
        filters: the selection in words.
        as_of: the data date (ISO).
        footer: one line naming filters, data date and source.
        slides: the slides in order (the title slide first).
        kpis: the raw KPI values (for tests and the CLI).
    """

    title: str
    lang: str
    filters: str
    as_of: str
    footer: str
    slides: tuple[Slide, ...] = field(default_factory=tuple)
    kpis: Kpis | None = None


def kpi_pairs(k: Kpis, lang: str) -> tuple[tuple[str, str], ...]:
    """(label, value) of each KPI, formatted as the app's KPI row formats them."""
    t = lambda key: translate(key, lang)  # noqa: E731
    return (
        (t("kpi.projects"), format_number(k.projects, lang)),
        (t("kpi.countries"), format_number(k.countries, lang)),
        (t("kpi.budget"), format_money(k.budget, lang)),
        (t("kpi.spent"), format_money(k.spent, lang)),
        (t("kpi.delivery"), format_percent(k.delivery_ratio, lang)),
        (t("kpi.high_risk"), format_percent(k.high_risk_share, lang)),
        (t("kpi.as_of"), format_date(k.as_of, lang)),
    )


def _breakdown_slide(sel: pd.DataFrame, key: str, lang: str) -> Slide:
    column, order = _BREAKDOWNS[key]
    table = breakdown(sel, column, order)
    table[column] = table[column].map(lambda v: translate(f"{key}.{v}", lang))
    colors = None
    if key == "risk":
        colors = {translate(f"risk.{k}", lang): c for k, c in charts.RISK_HEX.items()}
    spec = charts.bar_chart_spec(
        table,
        category=column,
        value_label=translate("chart.budget_musd", lang),
        colors=colors,
    )
    lines = tuple(
        f"{label}: {format_money(budget, lang)} ({format_percent(share, lang, 1)})"
        for label, budget, share in zip(
            table[column], table["budget_usd"], table["share"], strict=True
        )
    )
    return Slide(
        kind="chart",
        title=translate(f"chart.by_{key}", lang),
        lines=lines,
        image=charts.render_png(spec, lang),
        image_alt="; ".join(lines),
    )


def _map_slide(sel: pd.DataFrame, lang: str) -> Slide:
    countries = by_country(sel)
    spec = charts.map_spec(
        countries, lang=lang, title=translate("map.metric.budget", lang)
    )
    top = countries.sort_values("budget_usd", ascending=False).head(5)
    lines = tuple(
        f"{truncate(country_label(iso3, sel, lang), 40)}: {format_money(budget, lang)}"
        for iso3, budget in zip(top[S.COL_COUNTRY], top["budget_usd"], strict=True)
    )
    return Slide(
        kind="chart",
        title=translate("brief.map", lang),
        lines=(translate("brief.map_top", lang), *lines),
        image=charts.render_png(spec, lang),
        image_alt=translate("brief.map", lang),
    )


def at_risk_table(sel: pd.DataFrame, lang: str, n: int = TOP_AT_RISK) -> Table:
    """The `n` rows with the highest risk score (ties: larger budget first)."""
    top = sel.sort_values(
        [S.COL_RISK_SCORE, S.COL_BUDGET], ascending=[False, False], na_position="last"
    ).head(n)
    t = lambda key: translate(key, lang)  # noqa: E731
    rows = []
    for rec in top.itertuples(index=False):
        r = rec._asdict()
        country = (
            country_name(r[S.COL_COUNTRY_ISO2], r[S.COL_COUNTRY_NAME], lang)
            if r[S.COL_COUNTRY]
            else t("brief.regional")
        )
        rows.append(
            (
                truncate(r[S.COL_TITLE], CELL_LIMIT),
                truncate(country, 30),
                t(f"sector.{r[S.COL_SECTOR_GROUP]}"),
                format_money(r[S.COL_BUDGET], lang),
                format_percent(r[S.COL_DELIVERY], lang),
                format_number(r[S.COL_RISK_SCORE], lang, 2),
                t(f"risk.{r[S.COL_RISK]}"),
            )
        )
    columns = (
        t("col.title"),
        t("col.country"),
        t("col.sector"),
        t("col.budget"),
        t("kpi.delivery"),
        t("brief.col.risk_score"),
        t("col.risk"),
    )
    return Table(columns, tuple(rows))


def _filters_note(result: ScenarioResult, lang: str) -> tuple[str, ...]:
    """A line when the scenario was saved on other filters than this pack's."""
    from src.portfolio.filters import FilterSpec

    saved = result.info.get("saved_filters")
    if not saved:
        return ()
    described = FilterSpec.from_dict(saved).describe(lang)
    return (translate("brief.other_filters", lang, saved=described),)


def _scenario_slide(result: ScenarioResult, lang: str) -> Slide:
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731

    def rng(row: pd.Series, who: str) -> str:
        p50, p10, p90 = (
            format_metric(row["metric"], row[f"{who}_{q}"], lang)
            for q in ("p50", "p10", "p90")
        )
        return f"{p50} ({p10} – {p90})"

    rows = tuple(
        (
            t(f"brief.metric.{row['metric']}"),
            rng(row, "baseline"),
            rng(row, "scenario"),
            format_metric(row["metric"], row["delta_p50"], lang, delta=True),
        )
        for _, row in result.metrics.iterrows()
    )
    table = Table(
        (
            t("brief.col.metric"),
            t("brief.col.baseline"),
            t("brief.col.scenario"),
            t("brief.col.change"),
        ),
        rows,
    )
    labels = {"baseline": t("brief.baseline"), "scenario": truncate(result.name, 40)}
    delivery = result.delivery.assign(series=result.delivery["series"].map(labels))
    spec = charts.fan_chart_spec(
        delivery, x_title=t("brief.fan_x"), y_title=t("brief.fan_y")
    )
    return Slide(
        kind="scenario",
        title=t("brief.scenario_title", name=result.name),
        lines=(summary_sentence(result, lang), *_filters_note(result, lang)),
        image=charts.render_png(spec, lang),
        image_alt=t("brief.fan_title"),
        table=table,
    )


_NEEDS_ROWS = ("map", "sector", "risk", "region", "at_risk", "coordination")


def build_pack(
    df: pd.DataFrame,
    meta: PortfolioMeta,
    spec: FilterSpec,
    *,
    lang: str,
    sections: Sequence[str] = SECTIONS,
    scenarios: Sequence[ScenarioResult] = (),
    title: str | None = None,
    today: date | None = None,
    budgets: pd.DataFrame | None = None,
) -> Pack:
    """Build the slide content for a filtered portfolio.

    Args:
        df: the whole portfolio (canonical columns).
        meta: its metadata (data date, dataset name).
        spec: the filters; the pack describes the selection `spec.apply(df)`.
        lang: "en" or "fr".
        sections: which sections to include, from SECTIONS (the title slide is
            always first).
        scenarios: results to show, one slide each (with "scenarios" in
            `sections`).
        title: the deck title (default: the catalog's).
        today: the date printed on the title slide (default: today).
        budgets: the dataset's budgets table (`schema.BUDGET_COLUMNS`) for the
            coordination slide's funding cliff; None: not published.

    Returns:
        The Pack.
    """
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}; choose from {list(LANGUAGES)}"
        raise ValueError(msg)
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        msg = f"unknown section(s) {unknown}; choose from {list(SECTIONS)}"
        raise ValueError(msg)
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    sel = spec.apply(df)
    k = kpis(sel, meta.as_of)
    filters = spec.describe(lang, df)
    deck_title = truncate(title or t("brief.title_default"), TITLE_LIMIT)
    as_of = format_date(meta.as_of, lang)
    footer = " · ".join(
        (t("export.filters", filters=filters), t("export.as_of", date=as_of))
    )
    slides = [
        Slide(
            kind="title",
            title=deck_title,
            lines=(
                t("brief.generated", date=format_date(today or date.today(), lang)),
                t("brief.language", language=LANGUAGES[lang]),
                t("export.filters", filters=filters),
                t("brief.dataset", name=meta.name, fingerprint=meta.fingerprint),
                t("export.as_of", date=as_of),
                source_line(meta, lang),
            ),
        )
    ]
    empty = sel.empty
    for section in SECTIONS:
        if section not in sections:
            continue
        if section == "kpis":
            slides.append(
                Slide(kind="kpis", title=t("brief.kpis"), kpis=kpi_pairs(k, lang))
            )
        elif section in _NEEDS_ROWS and empty:
            continue
        elif section == "map":
            slides.append(_map_slide(sel, lang))
        elif section in _BREAKDOWNS:
            slides.append(_breakdown_slide(sel, section, lang))
        elif section == "at_risk":
            slides.append(
                Slide(
                    kind="table",
                    title=t("brief.at_risk"),
                    lines=(t("brief.at_risk_note"),),
                    table=at_risk_table(sel, lang),
                )
            )
        elif section == "coordination":
            parts = coordination_slides(
                df, spec, meta.as_of, budgets, lang, bundled=meta.bundled
            )
            for part in parts:
                table = part.pop("table", None)
                slides.append(Slide(**part, table=table and Table(*table)))
        elif section == "scenarios":
            slides.extend(_scenario_slide(r, lang) for r in scenarios)
        elif section == "methods":
            slides.append(
                Slide(
                    kind="methods",
                    title=t("brief.methods"),
                    lines=methods.method_lines(sel, lang, scenarios, meta=meta),
                )
            )
    if empty:
        slides.insert(1, Slide(kind="methods", title=t("brief.empty")))
    return Pack(
        title=deck_title,
        lang=lang,
        filters=filters,
        as_of=meta.as_of,
        footer=footer,
        slides=tuple(slides),
        kpis=k,
    )
