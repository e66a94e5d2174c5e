"""AppTest tests of the portal features: search, project page, filters, flows."""

from __future__ import annotations

import unicodedata

import pytest

from src.i18n import format_money, format_number
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from tests.pages.helpers import open_page


def _plain(text: str) -> str:
    """Accents dropped and lower case, written apart from src.portfolio.search."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _expected_by_hand(words: list[str]) -> tuple[int, float]:
    """(projects, budget) whose title/description/id/org names hold every word."""
    df, _ = load_bundled_portfolio()
    ids = set()
    for row in df.itertuples(index=False):
        text = _plain(
            " ".join(
                str(getattr(row, c))
                for c in (
                    S.COL_TITLE,
                    S.COL_DESCRIPTION,
                    S.COL_PROJECT_ID,
                    S.COL_AGENCY,
                    S.COL_FUNDERS,
                    S.COL_IMPLEMENTERS,
                )
            )
        )
        if all(_plain(w) in text for w in words):
            ids.add(getattr(row, S.COL_PROJECT_ID))
    budget = float(df.loc[df[S.COL_PROJECT_ID].isin(ids), S.COL_BUDGET].sum())
    return len(ids), budget


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value.replace("\\$", "$") for m in at.metric}


@pytest.mark.parametrize("query", ["VACCINATION", "santé", "Cote"])
def test_search_in_the_url_narrows_the_kpis_to_the_matching_projects(query):
    projects, budget = _expected_by_hand([query])
    assert 0 < projects < 1029
    at = open_page(None, {"q": query})
    assert at.text_input(key="filters.query").value == query
    shown = _metrics(at)
    assert shown["Projects"] == format_number(projects, "en")
    assert shown["Total budget"] == format_money(budget, "en")


def test_typing_a_search_combines_with_a_filter_and_lands_in_the_url():
    df, _ = load_bundled_portfolio()
    health = df[df[S.COL_SECTOR_GROUP] == "Health"]
    at = open_page(None, {"sector": "Health"})
    at.text_input(key="filters.query").input("covid vaccin").run()
    assert not at.exception
    ids = {
        row[S.COL_PROJECT_ID]
        for _, row in health.iterrows()
        if all(
            w
            in _plain(f"{row[S.COL_TITLE]} {row[S.COL_DESCRIPTION]}")
            + _plain(
                f" {row[S.COL_PROJECT_ID]} {row[S.COL_AGENCY]}"
                f" {row[S.COL_FUNDERS]} {row[S.COL_IMPLEMENTERS]}"
            )
            for w in ("covid", "vaccin")
        )
    }
    assert 0 < len(ids) < len(health)
    assert _metrics(at)["Projects"] == format_number(len(ids), "en")
    assert at.query_params["q"] == "covid vaccin"
    assert at.query_params["sector"] in ("Health", ["Health"])
