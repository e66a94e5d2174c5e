"""The results ladder chart: rungs no project reaches say so, in grey."""

from __future__ import annotations

import pandas as pd

from src.portfolio.results import RUNGS
from src.widgets.results import NOT_PUBLISHED_GREY, build_ladder_chart


def test_a_rung_no_project_reaches_is_labelled_not_published_not_zero():
    ladder = pd.DataFrame(
        {
            "sector": ["total"] * len(RUNGS),
            "rung": list(RUNGS),
            "projects": [4, 2, 0, 0, 1],
            "budget_usd": [8_000_000.0, 2_000_000.0, 0.0, 0.0, 1_000_000.0],
            "share_projects": [1.0, 0.5, 0.0, 0.0, 0.25],
            "share_budget": [1.0, 0.25, 0.0, 0.0, 0.125],
        }
    )
    chart = build_ladder_chart(ladder, "fr")
    data = chart.data
    assert data["text"].tolist()[2:4] == ["aucun publié", "aucun publié"]
    assert data["text"].iloc[1] == "2 projets · 2,0 M$US"
    assert data["pct"].tolist() == [100.0, 25.0, 0.0, 0.0, 12.5]
    assert NOT_PUBLISHED_GREY in str(chart.to_dict())
