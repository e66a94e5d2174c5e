"""The country brief: coordination and continuity figures in one tidy table.

For division-of-labour talks: who does what in which sector (the 3W table),
how concentrated each sector is, and what funding ends without a successor.
Pure: the app's CSV and the briefing pack's slide both read `country_brief`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from src.portfolio import continuity
from src.portfolio import coordination as C
from src.portfolio import schema as S

BRIEF_COLUMNS = ("section", "indicator", "sector", "actor", "value")


def country_brief(
    rows: pd.DataFrame,
    reference: pd.DataFrame,
    budgets: pd.DataFrame,
    as_of: date,
) -> pd.DataFrame:
    """Tidy figures of one selection (usually one country).

    Args:
        rows: the selection's rows.
        reference: every country under the same filters (for the OECD rule).
        budgets: the budgets table (`schema.BUDGET_COLUMNS`).
        as_of: the data date.

    Returns:
        section ("3w", "sector", "significance", "cliff", "multi_year",
        "forward"), indicator (a code: budget_usd, projects, actors, hhi,
        effective_actors, significant, cliff_<h>_usd, cliff_<h>_projects,
        share_budget, share_<year>), sector, actor ("" where not relevant),
        value (float).
    """
    out: list[dict[str, object]] = []

    def add(section: str, indicator: str, value: float, sector="", actor=""):
        out.append(
            {
                "section": section,
                "indicator": indicator,
                "sector": sector,
                "actor": actor,
                "value": float(value),
            }
        )

    for r in C.who_does_what_where(rows).itertuples(index=False):
        add("3w", "budget_usd", r.budget_usd, r.sector, r.actor)
        add("3w", "projects", r.projects, r.sector, r.actor)
    conc = C.concentration(rows, by=(S.COL_COUNTRY, "sector"))
    for r in conc.itertuples(index=False):
        for name in ("actors", "hhi", "effective_actors"):
            add("sector", name, getattr(r, name), r.sector)
    countries = set(rows[S.COL_COUNTRY])
    rel = C.significance(reference)
    for r in rel[rel[S.COL_COUNTRY].isin(countries)].itertuples(index=False):
        add("significance", "significant", r.significant, actor=r.actor)
    for r in continuity.cliff(rows, budgets, as_of).itertuples(index=False):
        add("cliff", f"cliff_{r.months}_usd", r.budget_usd)
        add("cliff", f"cliff_{r.months}_projects", r.projects)
    add("multi_year", "share_budget", continuity.multi_year(rows)["share_budget"])
    for r in continuity.forward_visibility(rows, budgets, as_of).itertuples():
        add("forward", f"share_{r.year}", r.share)
    return pd.DataFrame(out, columns=list(BRIEF_COLUMNS))
