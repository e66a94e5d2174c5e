"""The methods-and-caveats text: what is derived, the risk formula, the model."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from src.briefing.scenarios import ScenarioResult
from src.i18n import format_number, format_percent, translate
from src.portfolio.country_part import recomputed_projects
from src.portfolio.export import source_line
from src.portfolio.quality import derived_counts
from src.portfolio.risk import risk_formula
from src.portfolio.schema import PortfolioMeta


def risk_formula_line(lang: str) -> str:
    """The risk score formula and level thresholds from data/risk_formula.json."""
    spec = risk_formula()
    terms = " + ".join(
        f"{format_percent(part['weight'], lang)} × "
        f"{translate(f'brief.risk.{name}', lang)}"
        for name, part in spec["components"].items()
    )
    levels = []
    low = 0.0
    for item in spec["levels"]:
        high = min(float(item["below"]), 1.0)
        label = translate(f"risk.{item['level']}", lang)
        levels.append(
            f"{label} {format_number(low, lang, 2)}–{format_number(high, lang, 2)}"
        )
        low = high
    return translate("brief.risk_formula", lang, terms=terms, levels=", ".join(levels))


def _months(months: object, lang: str) -> str:
    """A stored horizon in months as words ("24 months"), "–" when not stored."""
    if months is None or isinstance(months, str):
        return "–"
    return translate("cont.months", lang, months=months)


def method_lines(
    df: pd.DataFrame,
    lang: str,
    scenarios: Sequence[ScenarioResult] = (),
    *,
    meta: PortfolioMeta,
) -> tuple[str, ...]:
    """The bullet lines of the methods-and-caveats slide.

    The sources line names an imported dataset's own files (`meta.files`).
    """
    found = derived_counts(df)
    counts = {k: format_number(v, lang) for k, v in found.items()}
    counts["rows"] = found["rows"]  # the count of a plural entry
    lines = [
        translate("brief.derived", lang, **counts),
        translate("brief.derived_money", lang),
        risk_formula_line(lang),
    ]
    if split := recomputed_projects(df):  # a partner government's rows
        n = format_number(split, lang)
        lines.insert(2, translate("export.country_money", lang, n=n))
    if scenarios:
        for result in scenarios:
            info = result.info
            lines.append(
                translate(
                    "brief.model",
                    lang,
                    name=result.name,
                    trials=translate("scen.n_trials", lang, n=info.get("trials") or 0),
                    seed=info.get("seed", "–"),
                    horizon=_months(info.get("horizon_months"), lang),
                    policy=info.get("budget_policy", "–"),
                    levers="; ".join(info.get("levers") or ()) or "–",
                )
            )
        lines.append(translate("brief.model_caveat", lang))
    else:
        lines.append(translate("brief.model_none", lang))
    lines.append(source_line(meta, lang, long=True))
    return tuple(lines)
