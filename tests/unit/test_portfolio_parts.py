"""Unit tests of the data layer's pieces on hand-made rows."""

from __future__ import annotations

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.export import neutralise_formulas, to_csv_bytes
from src.portfolio.fx import rate_table, to_usd
from src.portfolio.reference import country_reference
from src.portfolio.risk import risk_formula, risk_level
from src.portfolio.sectors import group_for_code, infer_group
from src.portfolio.summary import breakdown, kpis


def test_fx_converts_with_the_year_rate_read_from_the_table_file():
    raw = pd.read_csv("data/raw/fx/fx_annual_avg_units_per_usd_2000_2024.csv")
    xof_2020 = raw[(raw.currency == "XOF") & (raw.year == 2020)].units_per_usd.item()
    assert to_usd(1_000_000, "XOF", 2020).usd == pytest.approx(1_000_000 / xof_2020)


def test_fx_unknown_currency_is_reported_not_treated_as_usd():
    conv = to_usd(500, "ZZZ", 2020)
    assert conv.usd is None
    assert conv.reason == "no_rate"
    assert to_usd(500, "", 2020).reason == "no_currency"


def test_fx_year_outside_table_uses_nearest_year_and_says_so():
    conv = to_usd(100, "EUR", 2031)
    assert conv.rate_year == max(rate_table()["EUR"])
    assert conv.reason == "nearest_year"
    assert to_usd(100, "EUR", 2020).reason == ""


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("12264", "Health"),
        ("11220", "Education"),
        ("14030", "Water & sanitation"),
        ("21020", "Infrastructure & transport"),
        ("23210", "Energy"),
        ("31161", "Agriculture & food systems"),
        ("15220", "Governance & peace"),
        ("72010", "Humanitarian response"),
        ("41010", "Environment & climate"),
        ("99810", "Other"),
        ("16030", "Infrastructure & transport"),  # 5-digit override of 160
        ("16010", "Other"),
    ],
)
def test_dac_codes_map_to_sector_groups(code, group):
    assert group_for_code(code) == group


def test_every_mapped_group_is_a_schema_group():
    table = pd.read_csv("data/sector_groups.csv", dtype=str)
    assert set(table.sector_group) <= set(S.ALL_SECTOR_GROUPS)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Procurement of medical equipment for Banadir Hospital", "Health"),
        ("Connectivity for Remote Education in the COVID-19 Pandemic", "Education"),
        ("TekoHuerta: seguridad alimentaria", "Agriculture & food systems"),
        ("Kosovo Emergency COVID-19 Project", "Health"),
        ("BRG Results Enabling Facility (REF)", None),
    ],
)
def test_title_keywords_infer_a_group(title, group):
    got = infer_group(title)
    assert (got[0] if got else None) == group


def test_risk_levels_follow_the_documented_thresholds():
    levels = risk_formula()["levels"]
    cuts = [lv["below"] for lv in levels[:-1]]
    scores = pd.Series([0.0, cuts[0] - 1e-6, cuts[0], cuts[1], cuts[2], 1.0])
    assert risk_level(scores).tolist() == [
        "Low",
        "Low",
        "Medium",
        "High",
        "Very high",
        "Very high",
    ]


def test_risk_score_on_hand_made_rows(tiny_portfolio):
    ref = country_reference()
    p4 = tiny_portfolio.set_index(S.COL_PROJECT_ID).loc["P4"]
    # P4: Afghanistan, half a year elapsed of a one-year project, nothing spent.
    elapsed = (pd.Timestamp("2021-06-01") - pd.Timestamp("2021-01-01")).days / (
        pd.Timestamp("2021-12-31") - pd.Timestamp("2021-01-01")
    ).days
    expected = (
        0.4 * ref.loc["AFG", "inform_risk"] / 10
        + 0.3 * (2.5 - ref.loc["AFG", "wgi_ge"]) / 5
        + 0.3 * elapsed
    )
    assert p4[S.COL_RISK_SCORE] == pytest.approx(expected)
    assert p4[S.COL_ELAPSED] == pytest.approx(elapsed)
    assert p4[S.COL_RISK] == "Very high"
    p3 = tiny_portfolio.set_index(S.COL_PROJECT_ID).loc["P3"]
    assert p3[S.COL_RISK] == "Low"  # Norway, fully spent


def test_kpis_match_hand_computed_values(tiny_portfolio):
    k = kpis(tiny_portfolio, "2021-06-01")
    assert k.projects == 4
    assert k.countries == 3
    assert k.budget == 6_500_000
    assert k.spent == 2_200_000
    assert k.delivery_ratio == pytest.approx(2_200_000 / 6_500_000)
    high = tiny_portfolio[tiny_portfolio[S.COL_RISK].isin(["High", "Very high"])]
    assert k.high_risk_share == pytest.approx(high[S.COL_BUDGET].sum() / 6_500_000)


def test_breakdown_sums_to_total(tiny_portfolio):
    table = breakdown(tiny_portfolio, S.COL_SECTOR_GROUP)
    assert table.budget_usd.sum() == tiny_portfolio[S.COL_BUDGET].sum()
    assert table.share.sum() == pytest.approx(1.0)


def test_csv_export_neutralises_formulas_and_keeps_numbers():
    df = pd.DataFrame({"t": ["=HYPERLINK(1)", "+1", "@x", "fine"], "n": [-1, 2, 3, 4]})
    out = neutralise_formulas(df)
    assert out.t.tolist() == ["'=HYPERLINK(1)", "'+1", "'@x", "fine"]
    assert out.n.tolist() == [-1, 2, 3, 4]
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert text.startswith("t,n\n")
    assert "'=HYPERLINK(1)" in text


def test_reference_maps_wgi_legacy_codes():
    ref = country_reference()
    wgi = pd.read_csv(
        "data/raw/indicators/wgi_worldwide_governance_indicators_1996_2023.csv",
        encoding="utf-8-sig",
    )
    zar = wgi[(wgi.code == "ZAR") & (wgi.indicator == "ge") & (wgi.year == 2023)]
    assert ref.loc["COD", "wgi_ge"] == pytest.approx(float(zar.estimate.item()))
    assert ref.loc["NAM", "iso2"] == "NA"  # not read as missing


def test_user_file_with_every_point_given_loads(tmp_path, tiny_portfolio):
    from src.portfolio.load import read_portfolio_file

    path = tmp_path / "mine.parquet"
    tiny_portfolio.assign(**{S.COL_LAT: 1.5, S.COL_LON: 36.0}).to_parquet(path)
    df, meta = read_portfolio_file(path)
    assert (df[S.COL_LAT] == 1.5).all()
    assert meta.name == "mine"


def test_user_file_missing_columns_is_refused_with_their_names(tmp_path):
    from src.portfolio.load import read_portfolio_file

    path = tmp_path / "bad.csv"
    path.write_text("project_id,title\nP1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="country_iso3"):
        read_portfolio_file(path)
