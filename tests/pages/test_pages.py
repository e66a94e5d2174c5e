"""AppTest tests of the dashboard pages (no browser)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from src.i18n import format_money, format_number, format_percent
from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import kpis
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")
TIMEOUT = 60


def run_app(params: dict[str, str | list[str]] | None = None, page: str | None = None):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)  # a link to the page: its first run opens it
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value.replace("\\$", "$") for m in at.metric}


def expected_kpis(spec: FilterSpec, lang: str = "en") -> dict[str, str]:
    df, meta = load_bundled_portfolio()
    k = kpis(spec.apply(df), meta.as_of)
    if lang == "en":
        return {
            "Projects": format_number(k.projects, lang),
            "Countries": format_number(k.countries, lang),
            "Total budget": format_money(k.budget, lang),
            "Total spent": format_money(k.spent, lang),
            "Delivery ratio": format_percent(k.delivery_ratio, lang),
            "Budget at high risk": format_percent(k.high_risk_share, lang),
        }
    return {
        "Projets": format_number(k.projects, lang),
        "Budget total": format_money(k.budget, lang),
    }


@pytest.fixture(scope="module")
def landing() -> AppTest:
    """The landing page with no parameter, run once for the tests that read it."""
    return run_app()


def test_overview_kpis_equal_the_data_layer_for_the_whole_portfolio(landing):
    shown = metric_values(landing)
    for label, value in expected_kpis(FilterSpec()).items():
        assert shown[label] == value, label


def test_changing_sector_and_risk_filters_changes_kpis_to_data_layer_values():
    at = run_app()
    before = metric_values(at)["Total budget"]
    at.multiselect(key="filters.sector").set_value(["Health"])
    at.multiselect(key="filters.risk").set_value(["High", "Very high"])
    at.run()
    assert not at.exception
    shown = metric_values(at)
    spec = FilterSpec(sectors=("Health",), risks=("High", "Very high"))
    for label, value in expected_kpis(spec).items():
        assert shown[label] == value, label
    assert shown["Total budget"] != before
    assert at.query_params["sector"] in ("Health", ["Health"])
    assert at.query_params["risk"] == ["High", "Very high"]


def test_query_parameters_restore_filters():
    params = {
        "sector": "Humanitarian response",
        "risk": "High",
        "country": ["KEN", "UGA"],
    }
    at = run_app(params)
    assert at.multiselect(key="filters.sector").value == ["Humanitarian response"]
    assert at.multiselect(key="filters.country").value == ["KEN", "UGA"]
    spec = FilterSpec(
        sectors=("Humanitarian response",), risks=("High",), countries=("KEN", "UGA")
    )
    assert len(spec.apply(load_bundled_portfolio()[0])) > 0
    shown = metric_values(at)
    for label, value in expected_kpis(spec).items():
        assert shown[label] == value, label


def test_invalid_query_parameters_show_a_notice_and_are_ignored():
    at = run_app(
        {"sector": ["Health", "Nonsense<script>"], "years": "abc", "lang": "xx"}
    )
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Nonsense" in warnings
    assert "abc" in warnings
    assert "xx" in warnings
    assert at.multiselect(key="filters.sector").value == ["Health"]


def test_french_renders_french_labels_and_numbers():
    at = run_app({"lang": "fr"})
    assert not at.exception
    shown = metric_values(at)
    for label, value in expected_kpis(FilterSpec(), "fr").items():
        assert shown[label] == value, label
    assert at.title[0].value == "Vue d'ensemble du portefeuille"


def test_empty_selection_shows_a_message_not_charts():
    spec = FilterSpec(sectors=("Water & sanitation",), risks=("Low",))
    assert spec.apply(load_bundled_portfolio()[0]).empty
    at = run_app({"sector": "Water & sanitation", "risk": "Low"})
    assert not at.exception
    assert any("No project matches" in i.value for i in at.info)
    assert len(at.metric) == 0


def test_reset_button_clears_filters():
    at = run_app({"sector": "Health"})
    at.button(key="filters.reset").click()
    at.run()
    assert at.multiselect(key="filters.sector").value == []
    assert "sector" not in at.query_params


def test_country_page_shows_context_of_the_filtered_country():
    at = run_app({"country": "KEN"}, page="pages/country.py")
    assert not at.exception
    df, _ = load_bundled_portfolio()
    ken = df[df[S.COL_COUNTRY] == "KEN"]
    assert at.selectbox(key="country.select").value == "KEN"
    shown = metric_values(at)
    assert shown["INFORM risk (0–10)"] == format_number(
        ken[S.COL_INFORM].iloc[0], "en", 1
    )
    assert shown["Projects"] == format_number(ken[S.COL_PROJECT_ID].nunique(), "en")
    # one country's page has no "Countries: 1" card; the overview keeps it
    assert "Countries" not in shown
    assert "Countries" in metric_values(run_app({"country": "KEN"}))


def test_data_quality_page_lists_checks():
    at = run_app(page="pages/data_quality.py")
    assert not at.exception
    assert at.title[0].value == "Data quality"
    assert len(at.dataframe) >= 2


def test_a_broken_portfolio_file_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "broken.csv"
    bad.write_text("project_id,title\nP1,x\n", encoding="utf-8")
    monkeypatch.setenv("PORTFOLIO_FILE", str(bad))
    from src.widgets import cache

    cache.portfolio.clear()
    try:
        at = run_app()
        assert not at.exception
        assert "could not be loaded" in at.error[0].value
        assert "country\\_iso3" in at.error[0].value
    finally:
        cache.portfolio.clear()


def test_unknown_map_metric_and_present_values_show_notices():
    at = run_app({"metric": "xx<b>", "present": "abc"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "xx" in warnings
    assert "abc" in warnings


def test_imported_dataset_survives_a_page_switch(app_data_dir):
    """Streamlit drops query parameters on navigation: the session keeps it."""
    from src.portfolio.dataset_report import DatasetReport
    from src.portfolio.load import load_bundled_portfolio
    from src.store.datasets import save_dataset

    df, meta = load_bundled_portfolio()
    small = df[df["country_iso3"] == "KEN"].reset_index(drop=True)
    info = save_dataset("kenya", small, meta, provenance={}, report=DatasetReport())
    at = run_app({"dataset": "kenya"})  # an old link, by name
    assert at.query_params["dataset"] == info.id
    assert metric_values(at)["Projects"] == str(small["project_id"].nunique())
    del at.query_params["dataset"]  # what a sidebar page switch does
    at.switch_page("pages/country.py")
    at.run()
    assert not at.exception
    assert at.query_params["dataset"] == info.id
    assert metric_values(at)["Projects"] == str(small["project_id"].nunique())


def test_the_delivery_card_says_it_counts_only_projects_that_report_spending(
    landing,
):
    df, _ = load_bundled_portfolio()
    reporting = df.loc[df[S.COL_SPEND_REPORTED].astype(bool), S.COL_PROJECT_ID]
    n_reporting, n_projects = reporting.nunique(), df[S.COL_PROJECT_ID].nunique()
    assert 0 < n_reporting < n_projects  # the bundled data has both kinds
    card = next(m for m in landing.metric if m.label == "Delivery ratio")
    assert card.delta == (
        f"on the {n_reporting:,} of {n_projects:,} projects that report spending"
    )
