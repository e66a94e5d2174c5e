"""The funding cliff as scenarios: the cliff's projects end, or are extended.

`cliff_scenarios` turns the cliff of a selection (`portfolio.continuity`) into
two scenarios of the ordinary engine: "end" (the projects close at their
planned end without successor) and "extend" (a funded extension of
`EXTEND_MONTHS`); see docs/MODEL.md, "End without successor, extend".
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from src.engine.scenario import BASELINE, Lever, Scenario
from src.engine.scenario_limits import MAX_TARGET_VALUES
from src.portfolio import schema as S
from src.portfolio.continuity import cliff_rows

EXTEND_MONTHS = 12.0  # the contrasting lever: a one-year funded extension


def cliff_projects(
    rows: pd.DataFrame, budgets: pd.DataFrame, as_of: date, months: int
) -> tuple[str, ...]:
    """The cliff's project identifiers within `months`, sorted."""
    found = cliff_rows(rows, budgets, as_of, months)[S.COL_PROJECT_ID]
    return tuple(sorted(set(found.astype(str))))


def cliff_scenarios(
    rows: pd.DataFrame,
    budgets: pd.DataFrame,
    as_of: date,
    *,
    months: int,
    base: Scenario = BASELINE,
) -> tuple[Scenario, Scenario]:
    """(end, extend): the cliff's projects end at their planned end, or are extended.

    Both keep `base`'s settings (horizon, trials, seed, policy) and replace its
    levers, so either compared with `base.baseline()` shows the cliff's effect.

    Raises:
        ValueError: the cliff is empty, or names more projects than a lever
            may target (`MAX_TARGET_VALUES`): choose a country or sector.
    """
    ids = cliff_projects(rows, budgets, as_of, months)
    if not ids:
        msg = f"no project of the selection is on the {months}-month funding cliff"
        raise ValueError(msg)
    if len(ids) > MAX_TARGET_VALUES:
        msg = (
            f"the {months}-month funding cliff has {len(ids)} projects; a lever "
            f"targets at most {MAX_TARGET_VALUES}: choose a country or a sector"
        )
        raise ValueError(msg)
    end = base.with_changes(levers=(Lever("end", 0.0, projects=ids),))
    extend = base.with_changes(levers=(Lever("extend", EXTEND_MONTHS, projects=ids),))
    return end, extend
