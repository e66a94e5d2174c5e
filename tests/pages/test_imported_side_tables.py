"""AppTest: an imported IATI dataset shows its money, results and continuity;
a CSV import says "not published" for each, never zero.

Expected figures are hand-computed from tests/fixtures/iati/money_results.xml:
outgoing money (types 3 and 4) is 400 (national NGO, type 22) + 100
(international NGO) + 500 (no receiver) on XM-MR-A and 300 (government, type
10) + 200 (multilateral) on XM-MR-B: 1,500, of which 700 to local actors
(46.7 %) and 1,000 with a typed receiver (70.0 % local among them).
"""

from __future__ import annotations

import pytest

from src.portfolio.imports import import_files
from src.store.datasets import store_import
from tests.conftest import ROOT
from tests.pages import helpers

FIXTURE = ROOT / "tests" / "fixtures" / "iati" / "money_results.xml"
CSV = ROOT / "tests" / "fixtures" / "imports" / "portfolio_20.csv"


@pytest.fixture(autouse=True)
def _store(app_data_dir):
    return app_data_dir


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value.replace("\\", "") for m in at.metric}


def test_the_money_page_measures_an_imported_iati_dataset():
    info = store_import(import_files([FIXTURE]), "partner")
    at = helpers.open_page("pages/money.py", {"dataset": info.id})
    shown = _metrics(at)
    assert shown["Localisation, verified"] == "46.7%"
    assert shown["Localisation, typed receivers"] == "70.0%"
    assert not any("publishes no transactions" in i.value for i in at.info)
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any(
        "8 of 8 incoming and outgoing transactions carry an aid type (2 their own" in c
        for c in captions
    )


def test_the_country_page_shows_the_results_of_an_imported_iati_dataset():
    info = store_import(import_files([FIXTURE]), "partner")
    at = helpers.open_page("pages/country.py", {"dataset": info.id, "c": "KEN"})
    assert not any("publishes no result indicators" in i.value for i in at.info)
    table = next(
        d.value for d in at.dataframe if "With output indicators" in d.value.columns
    )
    total = table.iloc[0]
    assert total["Projects"] == 1  # XM-MR-A, the one Kenyan project
    assert total["With output indicators"].startswith("1 (")
    assert total["With outcome indicators"].startswith("1 (")


def test_a_csv_import_says_not_published_on_the_money_and_results_views():
    info = store_import(import_files([CSV]), "sheet")
    at = helpers.open_page("pages/money.py", {"dataset": info.id})
    assert any("publishes no transactions" in i.value for i in at.info)
    assert "Localisation, verified" not in _metrics(at)


def _budget_warning(at) -> bool:
    return any("publishes no budget periods" in w.value for w in at.warning)


def test_the_continuity_section_reads_the_budgets_of_an_imported_iati_dataset():
    iati = store_import(import_files([FIXTURE]), "partner")
    at = helpers.open_page("pages/coordination.py", {"dataset": iati.id, "c": "KEN"})
    assert not _budget_warning(at)
    sheet = store_import(import_files([CSV]), "sheet")
    at = helpers.open_page("pages/coordination.py", {"dataset": sheet.id, "c": "KEN"})
    assert _budget_warning(at)  # a CSV publishes no budget periods: unknown


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_quality_page_counts_the_repaired_result_values(lang):
    from src.i18n import translate

    info = store_import(import_files([FIXTURE]), "partner")
    at = helpers.open_page("pages/data_quality.py", {"dataset": info.id, "lang": lang})
    col = translate("quality.col.repair", lang)
    table = next(d.value for d in at.dataframe if col in d.value.columns)
    shown = {
        r[col]: (
            r[translate("quality.col.values", lang)],
            r[translate("quality.col.indicators", lang)],
        )
        for _, r in table.iterrows()
    }
    # XM-MR-A: "2020:3000" and "2020:2160"; XM-MR-B: "5,000" and "4,500"
    assert shown == {
        translate("quality.repair.year", lang): ("2", "1"),
        translate("quality.repair.separators", lang): ("2", "1"),
    }
    checks = next(
        d.value
        for d in at.dataframe
        if translate("quality.check", lang) in d.value.columns
    )
    line = checks[
        checks[translate("quality.check", lang)]
        == translate("quality.result_repaired", lang)
    ]
    assert line[translate("quality.projects", lang)].tolist() == [2]


def test_an_iati_file_uploaded_on_the_data_page_keeps_its_transactions():
    from src.store.datasets import list_datasets

    at = helpers.open_page("pages/data.py")
    upload = ("money_results.xml", FIXTURE.read_bytes(), "application/xml")
    at.file_uploader(key="data.upload").set_value(upload)
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="data.name").set_value("uploaded")
    at.button(key="data.accept").click()
    at.run()
    assert not at.exception, at.exception
    [info] = list_datasets()
    at.switch_page("pages/money.py")
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["ui.dataset"] == info.id
    assert _metrics(at)["Localisation, verified"] == "46.7%"


def test_the_coordination_page_measures_an_imported_iati_file_with_its_own_limits():
    from src.i18n import format_money, translate

    info = store_import(import_files([FIXTURE]), "partner")
    at = helpers.open_page("pages/coordination.py", {"dataset": info.id, "c": "KEN"})
    table = at.dataframe[0].value.set_index("Country")
    # by hand from the XML: one reporting organisation (Agency MR); Kenya's
    # XM-MR-A budgets 2,000 + 1,000, Uganda's XM-MR-B 800
    assert table["Actors"].to_dict() == {"Kenya": 1, "Uganda": 1}
    assert table["Budget (US$)"].to_dict() == {"Kenya": 3000, "Uganda": 800}
    assert table["Concentration (HHI)"].tolist() == [1.0, 1.0]
    # XM-MR-A ends 2023-12-31, within 12 months of the data date (2023-05-01),
    # with no budget after 2022: its 3,000 are on the cliff
    cliff = {m.label: m.value.replace("\\", "") for m in at.metric}
    assert cliff["Funding cliff, 12 months"] == format_money(3000, "en")
    captions = [c.value for c in at.caption]
    assert not any("COVID-19" in c for c in captions)  # the bundled sample's limit
    assert translate("cont.limits_import", "en") in captions
    assert captions[0].startswith(
        "From the 1 reporting organisation loaded, not all aid in each country: "
        "2 countries. 0 regional rows (US$0) name no country"
    )


def test_a_csv_import_says_it_carries_no_sites_for_the_overlap():
    from src.i18n import translate

    sheet = store_import(import_files([CSV]), "sheet")
    at = helpers.open_page("pages/coordination.py", {"dataset": sheet.id, "c": "KEN"})
    assert translate("coord.overlap_no_table", "en") in [i.value for i in at.info]
    assert _budget_warning(at)
    assert not any("COVID-19" in c.value for c in at.caption)
