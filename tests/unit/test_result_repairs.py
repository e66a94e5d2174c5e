"""Result values repaired from text are counted in the Data quality report.

Hand-computed on tests/fixtures/iati/money_results.xml (XM-MR-A: target
"2020:3000" and actual "2020:2160", a year prefix; XM-MR-B: target "5,000" and
actual "4,500", thousands separators) and recomputed from the bundled UNICEF
XML with lxml.
"""

from __future__ import annotations

import re

from lxml import etree

from src.portfolio import paths
from src.portfolio import results as R
from src.portfolio.imports import import_files
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from src.portfolio.quality import quality_report, result_repairs
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "iati" / "money_results.xml"


def _fixture():
    report = import_files([FIXTURE])
    return report.table, R.indicators(report.side_tables.details)


def test_each_repaired_value_is_counted_per_publisher_and_rule():
    df, ind = _fixture()
    table = result_repairs(df, ind)
    assert table.to_dict("records") == [
        {
            "publisher": "Agency MR",
            "repairs": "separators",
            "values": 2,
            "indicators": 1,
        },
        {"publisher": "Agency MR", "repairs": "year", "values": 2, "indicators": 1},
    ]
    checks = {c.key: c for c in quality_report(df, (), ind)}
    assert checks["result_repaired"].projects == 2
    assert set(checks["result_repaired"].ids) == {"XM-MR-A", "XM-MR-B"}


def test_the_repairs_follow_the_selection_and_are_not_counted_without_results():
    df, ind = _fixture()
    kenya = df[df["country_iso3"] == "KEN"]
    assert result_repairs(kenya, ind)["repairs"].tolist() == ["year"]
    # no result indicators published: the check is left out, not counted 0
    assert "result_repaired" not in {c.key for c in quality_report(df, (), None)}


# A number after a year prefix, as IATI publishers write it; dot-grouped digits
# ("2021:300.000": thousands or decimals?) are left unread by the rules.
_YEAR_NUMBER = re.compile(
    r"^(?:19|20)\d\d\s*:\s*[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?$"
)
_DOT_GROUPS = re.compile(r"^(?:19|20)\d\d\s*:\s*[-+]?[1-9]\d{0,2}(?:\.\d{3})+\s*%?$")


def _unicef_year_values() -> int:
    """Year-prefixed numbers among UNICEF's baselines and chosen periods' values.

    The period read is the last reporting an actual, else the last reporting
    a target (the parser's documented choice).
    """
    path = next(p for p in paths.bundled_iati_files() if p.name.startswith("unicef"))

    def value(elem) -> str:  # noqa: ANN001
        return "" if elem is None else (elem.get("value") or "").strip()

    count = 0
    for ind in etree.parse(str(path)).iter("indicator"):
        chosen = None
        for period in ind.findall("period"):
            actual, target = value(period.find("actual")), value(period.find("target"))
            if actual or (target and (chosen is None or not chosen[1])):
                chosen = (target, actual)
        values = [value(ind.find("baseline")), *(chosen or ())]
        count += sum(
            bool(_YEAR_NUMBER.match(v)) and not _DOT_GROUPS.match(v) for v in values
        )
    return count


def test_the_bundled_unicef_year_prefixes_are_all_counted():
    df, _ = load_bundled_portfolio()
    table = result_repairs(df, R.indicators(load_bundled_side_tables().details))
    year = table[table["repairs"].str.contains("year")]
    assert set(year["publisher"]) == {"UNICEF"}
    assert year["values"].sum() == _unicef_year_values() == 171
    assert table["values"].sum() == 172  # and one "1,000"-style value
