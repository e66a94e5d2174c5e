"""Who does what where: indicators against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from src.portfolio import coordination as C
from src.portfolio import schema as S


def _portfolio() -> pd.DataFrame:
    """Country A: X 60 and Y 30 in Health, Z 10 in Education; B: X 10, Y 90."""
    rows = [
        ("p1", "AAA", "X", "Health", "12220", 60.0, "Partner 1"),
        ("p2", "AAA", "Y", "Health", "12240", 30.0, ""),
        ("p3", "AAA", "Z", "Education", "11110", 10.0, "Partner 2; Partner 1"),
        ("p4", "BBB", "X", "Health", "12220", 10.0, ""),
        ("p5", "BBB", "Y", "Health", "", 90.0, ""),
        ("p6", "", "X", "Health", "12220", 50.0, ""),  # regional: left out
        ("p7", "BBB", "Y", "Health", "12220", -5.0, ""),  # net revision: read as 0
    ]
    cols = [
        S.COL_PROJECT_ID, S.COL_COUNTRY, S.COL_AGENCY, S.COL_SECTOR_GROUP,
        S.COL_SECTOR_CODE, S.COL_BUDGET, S.COL_IMPLEMENTERS,
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_hhi_and_effective_number_of_actors_per_country():
    conc = C.concentration(_portfolio()).set_index(S.COL_COUNTRY)
    assert conc.loc["AAA", "actors"] == 3
    assert conc.loc["AAA", "hhi"] == pytest.approx(0.36 + 0.09 + 0.01)
    assert conc.loc["AAA", "effective_actors"] == pytest.approx(1 / 0.46)
    assert conc.loc["BBB", "hhi"] == pytest.approx(0.81 + 0.01)
    assert conc.loc["BBB", "projects"] == 3
    assert conc.loc["BBB", "budget_usd"] == pytest.approx(100.0)


def test_concentration_per_country_and_sector():
    conc = C.concentration(_portfolio(), by=(S.COL_COUNTRY, "sector"))
    cell = conc.set_index([S.COL_COUNTRY, "sector"]).loc[("AAA", "Health")]
    assert cell["actors"] == 2
    assert cell["hhi"] == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)


@pytest.mark.parametrize(
    ("country", "actor", "in_top_90", "significant"),
    [
        ("AAA", "X", True, True),  # 60% of A ≥ its 35% of all aid
        ("AAA", "Y", True, True),  # 30% < 60%, but among the top 90%
        ("AAA", "Z", False, True),  # 10% ≥ its 5% of all aid
        ("BBB", "Y", True, True),
        ("BBB", "X", False, False),  # 10% < 35%, and outside the top 90%
    ],
)
def test_oecd_significance_rule(country, actor, in_top_90, significant):
    rel = C.significance(_portfolio()).set_index([S.COL_COUNTRY, "actor"])
    row = rel.loc[(country, actor)]
    assert bool(row["in_top_90"]) is in_top_90
    assert bool(row["significant"]) is significant


def test_non_significant_share_of_relations_and_money():
    ns = C.non_significant_by_country(_portfolio()).set_index(S.COL_COUNTRY)
    assert ns.loc["AAA", "non_significant"] == 0
    assert ns.loc["BBB", "non_significant"] == 1
    assert ns.loc["BBB", "share_relations"] == pytest.approx(0.5)
    assert ns.loc["BBB", "share_budget"] == pytest.approx(0.1)


def test_the_3w_table_and_coverage_state_what_was_left_out():
    www = C.who_does_what_where(_portfolio(), level="dac3")
    a = www[www[S.COL_COUNTRY] == "AAA"]
    assert set(a["sector"]) == {"122", "111"}
    assert a.loc[a["actor"] == "Z", "implementers"].item() == "Partner 1; Partner 2"
    b = www[(www[S.COL_COUNTRY] == "BBB") & (www["actor"] == "Y")]
    assert set(b["sector"]) == {S.SECTOR_NOT_REPORTED, "122"}
    cov = C.coverage(_portfolio())
    assert (cov.actors, cov.countries, cov.regional_rows) == (3, 2, 1)
    assert cov.regional_budget_usd == pytest.approx(50.0)
    assert cov.negative_rows == 1


def test_actors_per_country_on_the_bundled_data_match_the_xml():
    """Distinct reporting organisations per recipient country, read from the XML."""
    from collections import defaultdict

    from lxml import etree

    from src.portfolio.load import load_bundled_portfolio
    from tests.conftest import ROOT

    by_country: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "data" / "raw" / "iati").glob("*.xml")):
        for _, act in etree.iterparse(str(path), tag="iati-activity"):
            org = act.find("reporting-org")
            ref = (org.get("ref") or "").strip() if org is not None else ""
            for rc in act.findall("recipient-country"):
                by_country[(rc.get("code") or "").strip().upper()].add(ref)
            act.clear()
    expected = {iso2: len(refs) for iso2, refs in by_country.items() if iso2}
    df, _ = load_bundled_portfolio()
    conc = C.concentration(df)
    iso2 = df.drop_duplicates(S.COL_COUNTRY).set_index(S.COL_COUNTRY)[
        S.COL_COUNTRY_ISO2
    ]
    got = {
        iso2[c]: int(n)
        for c, n in zip(conc[S.COL_COUNTRY], conc["actors"], strict=True)
    }
    assert got == expected
    assert len(got) == 155


def test_the_cli_prints_the_same_figures_as_the_data_layer(capsys):
    import json

    from src.cli.main import main
    from src.portfolio.load import load_bundled_portfolio

    assert main(["coordination", "--country", "KEN", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    df, _ = load_bundled_portfolio()
    rel = C.significance(df)
    rel = rel[rel[S.COL_COUNTRY] == "KEN"]
    assert [r["actor"] for r in out["relations"]] == rel["actor"].tolist()
    assert [r["significant"] for r in out["relations"]] == rel["significant"].tolist()
    (ken,) = out["countries"]
    expected = C.concentration(df).set_index(S.COL_COUNTRY).loc["KEN"]
    assert ken["actors"] == expected["actors"]
    assert ken["hhi"] == pytest.approx(expected["hhi"])
    assert main(["coordination", "--country", "XXX"]) == 2
