"""A country-restricted organisation (Ministry B, Kenya) on the views that read
the whole dataset: the Data page's list, the Data quality problems, the own
reference class and the briefing pack (SQLite and PostgreSQL)."""

from __future__ import annotations

import pandas as pd
import pytest

from src.briefing.coordination import coordination_content
from src.portfolio import schema as S
from src.portfolio.activity_tables import budget_table
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio, load_bundled_report
from src.store import datasets as D
from src.store import orgs, shares
from src.widgets import state
from src.widgets.cache import side_tables
from tests.pages.test_auth_pages import ALICE, CAROL, ORGS_FILE, open_as, texts


@pytest.fixture(autouse=True)
def _orgs(store_backend, monkeypatch):
    monkeypatch.setenv("APP_ORGS_FILE", str(ORGS_FILE))
    orgs.load_orgs_file(ORGS_FILE)


def _public_dataset() -> D.DatasetInfo:
    """Alice's public dataset: 5 of Kenya's bundled rows and 27 others."""
    df, meta = load_bundled_portfolio()
    kenya = df[df[S.COL_COUNTRY] == "KEN"].head(5)
    rest = df[df[S.COL_COUNTRY] != "KEN"].head(27)
    alice = orgs.principal_for("alice", ALICE["email"], [])
    files = [{"name": "all-countries.xml", "kind": "iati", "size": 1, "sha256": "ab"}]
    info = D.save_dataset(
        "open-portfolio",
        pd.concat([kenya, rest], ignore_index=True),
        meta,
        provenance={"files": files},
        report=DatasetReport(),
        actor=alice,
    )
    shares.set_public("dataset", info.id, alice, True)
    return info


def test_the_data_page_list_shows_no_whole_dataset_figures_to_a_restricted_user():
    _public_dataset()
    carol = texts(open_as(CAROL, "pages/data.py"))
    assert "open\\-portfolio" in carol
    assert "32 rows" not in carol
    assert "all-countries.xml" not in carol
    assert "sees one country only" in carol
    alice = texts(open_as(ALICE, "pages/data.py"))  # not restricted: everything
    assert "32 rows" in alice
    assert "all-countries.xml" in alice


def test_the_quality_problems_are_only_those_of_the_restricted_countrys_activities():
    df, _ = load_bundled_portfolio()
    kenya = set(df.loc[df[S.COL_COUNTRY] == "KEN", S.COL_PROJECT_ID])
    problems = load_bundled_report().problems
    expected = sorted(p.item for p in problems if p.item in kenya)
    others = {p.item for p in problems if p.item and p.item not in kenya}
    assert expected  # the bundled data has both
    assert others
    at = open_as(CAROL, "pages/data_quality.py")
    [table] = [d.value for d in at.dataframe if "Activity" in d.value.columns]
    assert sorted(table["Activity"]) == expected
    assert any("your country's activities" in c.value for c in at.caption)
    assert not any("activities read" in c.value for c in at.caption)


def test_the_own_reference_class_is_not_offered_to_a_restricted_user():
    info = _public_dataset()
    at = open_as(CAROL, "pages/data.py", {"dataset": info.id})
    assert not [b for b in at.button if b.key == state.OWN_CLASS_FIT]
    assert any("sees one country only" in c.value for c in at.caption)


def test_the_briefing_compares_within_the_country_for_a_restricted_user():
    df, meta = load_bundled_portfolio()
    kenya = FilterSpec(countries=("KEN",)).apply(df)
    side = side_tables()
    bg = budget_table([]) if side is None else side.budgets
    own = coordination_content(kenya, kenya, bg, as_of=meta.as_of, lang="en")
    every = coordination_content(kenya, df, bg, as_of=meta.as_of, lang="en")
    assert own[2] != every[2]  # the reference changes a figure

    def table(user, params=None):
        at = open_as(user, "pages/briefing.py", params)
        [rows] = [d.value for d in at.dataframe if tuple(d.value.columns) == own[1]]
        return [tuple(r) for r in rows.itertuples(index=False)]

    assert table(CAROL) == list(own[2])
    assert table(ALICE, {"country": "KEN"}) == list(every[2])
