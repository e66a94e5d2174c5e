"""The model-quality panel: reference classes and their out-of-sample checks."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.engine.calibration import load_calibration
from src.engine.calibration.validation import TARGET_50, TARGET_80, load_validation
from src.engine.reference import BLEND_FROM_MONTHS, BLEND_TO_MONTHS
from src.i18n import format_number, format_percent, translate
from src.widgets import state
from src.widgets.charts import localised
from src.widgets.i18n import current_lang, t
from src.widgets.layout import whole_table

CLASSES = ("short", "blend", "long", "own", "reported")


def _bounds(c: str, lang: str) -> dict[str, object]:
    """The month bounds for a class's "applies" text.

    "short" and "long" are plural entries counted by lo / hi: raw numbers.
    """
    if c == "blend":
        return {
            "lo": format_number(BLEND_FROM_MONTHS, lang),
            "hi": format_number(BLEND_TO_MONTHS, lang),
        }
    return {"lo": BLEND_FROM_MONTHS, "hi": BLEND_TO_MONTHS}


def class_counts_table(reference_rows: dict[str, int], lang: str) -> pd.DataFrame:
    """Rows of the current run per reference class, with where each applies."""

    def tr(key: str, **kw: object) -> str:
        return translate(key, lang, **kw)

    return pd.DataFrame(
        [
            {
                tr("model.col.class"): tr(f"model.class.{c}"),
                tr("model.col.applies"): tr(f"model.applies.{c}", **_bounds(c, lang)),
                tr("model.col.rows"): format_number(reference_rows.get(c, 0), lang),
            }
            for c in CLASSES
            if reference_rows.get(c, 0) or c in ("short", "long")
        ]
    )


def coverage_table(checks: list[dict], lang: str) -> pd.DataFrame:
    """One row per check: coverage, share late, median, skill (formatted)."""

    def tr(key: str, **kw: object) -> str:
        return translate(key, lang, **kw)

    def pct(x: float) -> str:
        return format_percent(x, lang, digits=1)

    def num(x: float) -> str:
        return format_number(x, lang, digits=2)

    return pd.DataFrame(
        [
            {
                tr("model.col.class"): tr(f"model.class.{c['reference_class']}"),
                tr("model.col.reading"): tr(f"model.reading.{c['reading']}"),
                tr("model.col.n"): format_number(c["n"], lang),
                tr("model.col.observed"): format_number(c["observed"], lang),
                tr("model.col.inside_80"): pct(c["inside_80"]),
                tr("model.col.inside_50"): pct(c["inside_50"]),
                tr("model.col.late"): f"{pct(c['share_late_model'])} / "
                f"{pct(c['share_late_km'])}",
                tr("model.col.median"): f"{num(c['median_model'])} / "
                f"{num(c['median_km'])}",
                tr("model.col.skill"): format_number(c["skill"], lang, digits=3),
            }
            for c in checks
        ]
    )


def build_pit_chart(checks: list[dict], lang: str) -> alt.Chart:
    """PIT histogram per check: share of outcomes in each predicted decile."""

    def tr(key: str, **kw: object) -> str:
        return translate(key, lang, **kw)

    rows = [
        {
            "check": f"{tr('model.class.' + c['reference_class'])} · "
            f"{tr('model.reading.' + c['reading'])}",
            "decile": (k + 1) * 10,
            "share": share,
        }
        for c in checks
        for k, share in enumerate(c["pit"])
    ]
    data = pd.DataFrame(rows)
    # One data set for the whole layer, split by the facet: each panel shows
    # its own check's ten deciles and the 10% line of a calibrated model.
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("decile:O", title=tr("model.pit_x")),
            y=alt.Y("share:Q", title=tr("model.pit_y"), axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("check:N", title=tr("model.col.class")),
                alt.Tooltip("decile:O", title=tr("model.pit_x")),
                alt.Tooltip("share:Q", title=tr("model.pit_y"), format=".1%"),
            ],
        )
    )
    rule = alt.Chart().mark_rule(strokeDash=[4, 3]).encode(y=alt.datum(0.1))
    return (
        alt.layer(bars, rule, data=data)
        .facet(facet=alt.Facet("check:N", title=None), columns=2)
        .properties(title=tr("model.pit_title"))
    )


def caveat(info: dict) -> str:
    """The caveat line under the results cards.

    How far the bands can be trusted (the worst out-of-sample coverage of the
    classes the app uses), and where the model extrapolates (rows planned
    outside the fitted durations) or does not simulate (finished rows).
    """
    lang = current_lang()
    checks = [
        c
        for c in load_validation()
        if c["reading"] in ("observed", load_calibration().classes["short"]["reading"])
    ]
    parts = []
    if checks:
        worst = min(checks, key=lambda c: c["inside_80"])
        parts.append(
            t(
                "model.caveat",
                share=format_percent(worst["inside_80"], lang, digits=0),
                cls=t("model.class." + worst["reference_class"]),
            )
        )
    if info.get("extrapolated_rows"):
        parts.append(
            t(
                "model.caveat_extrapolated",
                n=info["extrapolated_rows"],
            )
        )
    if info.get("finished_rows"):
        parts.append(t("model.caveat_finished", n=info["finished_rows"]))
    return " ".join(parts)


def render_model_quality(reference_rows: dict[str, int] | None = None) -> None:
    """The section beside the assumptions: classes, coverage table, PIT chart."""
    lang = current_lang()
    st.subheader(t("model.title"))
    cal = load_calibration()
    short = cal.classes.get("short", {})
    st.markdown(
        t(
            "model.intro",
            long_n=format_number(cal.fit.get("records", 0), lang),
            short_n=format_number(short.get("records", 0), lang),
            publishers=format_number(short.get("publishers", 0), lang),
            lo=format_number(BLEND_FROM_MONTHS, lang),
            hi=format_number(BLEND_TO_MONTHS, lang),
            reading=t(f"model.reading.{short.get('reading', 'status')}"),
        )
    )
    if reference_rows:
        whole_table(class_counts_table(reference_rows, lang))
    checks = load_validation()
    if not checks:
        st.info(t("model.no_validation"))
        return
    st.markdown(
        t(
            "model.targets",
            lo80=format_percent(TARGET_80[0], lang, digits=0),
            hi80=format_percent(TARGET_80[1], lang, digits=0),
            lo50=format_percent(TARGET_50[0], lang, digits=0),
            hi50=format_percent(TARGET_50[1], lang, digits=0),
        )
    )
    whole_table(coverage_table(checks, lang))
    st.caption(t("model.table_note"))
    st.altair_chart(
        localised(build_pit_chart(checks, lang)),
        key=state.MODEL_PIT,
        alt=t("model.pit_title"),
    )
    st.caption(t("model.pit_note"))
