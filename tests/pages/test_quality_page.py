"""Issue 12 item 7: the Data quality page follows the filters it shows."""

from __future__ import annotations

from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from tests.pages import helpers


def _counts(at) -> dict[str, int]:
    table = at.dataframe[0].value
    return dict(zip(table["Check"], table["Rows"], strict=True))


def test_the_quality_counts_follow_the_sidebar_filters():
    df, _ = load_bundled_portfolio()
    kenya = df[df[S.COL_COUNTRY] == "KEN"]
    assert 0 < len(kenya) < len(df)
    at = helpers.open_page("pages/data_quality.py", {"country": "KEN"})
    counts = _counts(at)
    assert counts["Placed at the country's label point (no site coordinates)"] == int(
        (kenya[S.COL_PRECISION] == "country").sum()
    )
    assert counts["No planned end date (end derived or missing)"] == int(
        (kenya[S.COL_END_SOURCE] != "reported").sum()
    )
    whole = _counts(helpers.open_page("pages/data_quality.py"))
    assert whole["No planned end date (end derived or missing)"] == int(
        (df[S.COL_END_SOURCE] != "reported").sum()
    )
    assert counts != whole  # the filter changed what the page counts
