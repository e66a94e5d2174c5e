"""AppTest of the data page: upload, validation report, accept, dataset switch."""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from src.portfolio.dataset_report import DatasetReport
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.schema import PortfolioMeta
from src.store.datasets import list_datasets, save_dataset
from src.widgets import state
from tests.conftest import ROOT
from tests.pages import helpers

PAGE = "pages/data.py"
FIX = ROOT / "tests" / "fixtures" / "imports"
IATI = ROOT / "data" / "raw" / "iati"


@pytest.fixture(autouse=True)
def _store(app_data_dir):
    return app_data_dir


def open_page(params: dict[str, str] | None = None) -> AppTest:
    return helpers.open_page(PAGE, params)


def test_data_page_runs_and_lists_no_datasets():
    at = open_page()
    assert at.title[0].value == "Your data"
    assert any("No imported datasets" in i.value for i in at.info)


def test_upload_shows_the_report_then_accept_switches_the_app():
    at = open_page()
    csv = (FIX / "portfolio_20.csv").read_bytes()
    at.file_uploader(key="data.upload").set_value(("portfolio_20.csv", csv, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: m.value.replace("\\$", "$") for m in at.metric}
    assert shown == {"Read": "19", "Accepted": "11", "Rejected": "8"}
    problems = at.dataframe[1].value
    assert "row 12: end date 2021-02-30 is not a date (use yyyy-mm-dd)" in set(
        problems["Message"]
    )
    assert list_datasets() == []  # nothing is used before the choice
    name = f"upload-{uuid.uuid4().hex[:6]}"
    at.text_input(key="data.name").set_value(name)
    at.button(key="data.accept").click()
    at.run()
    assert not at.exception, at.exception
    [info] = list_datasets()
    assert info.name == name
    # links carry the dataset's random id, not its name
    assert at.query_params["dataset"] in (info.id, [info.id])
    assert at.session_state["ui.dataset"] == info.id
    ctx = at.session_state[state.CONTEXT]
    assert len(ctx.portfolio) == 11
    assert ctx.meta.name == name


def test_several_iati_files_merge_and_report_duplicates():
    at = open_page()
    unops = (IATI / "unops_41AAA_covid19_2021.xml").read_bytes()
    fao = (IATI / "fao_XM-DAC-41301_covid19_2021.xml").read_bytes()
    at.file_uploader(key="data.upload").set_value(
        [
            ("unops.xml", unops, "text/xml"),
            ("fao.xml", fao, "text/xml"),
            ("unops-again.xml", unops, "text/xml"),
        ]
    )
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: m.value.replace("\\$", "$") for m in at.metric}
    assert shown == {"Read": "325", "Accepted": "240", "Rejected": "85"}


def test_hostile_upload_is_refused_without_crashing():
    at = open_page()
    at.file_uploader(key="data.upload").set_value(
        (
            "laughs.xml",
            (ROOT / "tests/fixtures/iati/billion_laughs.xml").read_bytes(),
            "text/xml",
        )
    )
    at.run()
    assert not at.exception, at.exception
    assert any("Nothing could be accepted" in e.value for e in at.error)


def test_switch_back_to_bundled_and_delete():
    df, meta = load_bundled_portfolio()
    name = f"small-{uuid.uuid4().hex[:6]}"
    info = save_dataset(
        name,
        df.head(20),
        PortfolioMeta(meta.as_of, "f" * 16, name),
        provenance={
            "files": [{"name": "a.xml", "kind": "iati", "size": 1, "sha256": "0"}]
        },
        report=DatasetReport([], 20, 20, [], [], []),
    )
    at = open_page({"dataset": name})
    assert len(at.session_state[state.CONTEXT].portfolio) == 20
    at.button(key="data.bundled").click()
    at.run()
    assert not at.exception, at.exception
    assert "dataset" not in at.query_params
    assert len(at.session_state[state.CONTEXT].portfolio) == len(df)
    at.button(key="data.switch.0").click()
    at.run()
    assert at.session_state["ui.dataset"] == info.id
    at.button(key="data.delete.0").click()
    at.run()
    assert not at.exception, at.exception
    assert len(list_datasets()) == 1  # deletion asks first
    assert at.warning[-1].value.startswith("Delete “small\\-")
    at.button(key="ui.confirm.yes").click()
    at.run()
    assert not at.exception, at.exception
    assert list_datasets() == []
    assert at.session_state["ui.dataset"] == "bundled"


def test_quality_page_reads_the_imported_dataset_report():
    at = open_page()
    csv = (FIX / "portfolio_20.csv").read_bytes()
    at.file_uploader(key="data.upload").set_value(("p.csv", csv, "text/csv"))
    at.run()
    at.text_input(key="data.name").set_value(f"q-{uuid.uuid4().hex[:6]}")
    at.button(key="data.accept").click()
    at.run()
    at.switch_page("pages/data_quality.py")
    at.run()
    assert not at.exception, at.exception
    assert any("above the budget" in df.value.to_csv() for df in at.dataframe)


def test_french_upload_shows_french_problem_messages():
    at = open_page({"lang": "fr"})
    csv = (FIX / "portfolio_20.csv").read_bytes()
    at.file_uploader(key="data.upload").set_value(
        [("portfolio_20.csv", csv, "text/csv"), ("vide.csv", b"", "text/csv")]
    )
    at.run()
    assert not at.exception, at.exception
    files, problems = at.dataframe[0].value, at.dataframe[1].value
    messages = set(problems["Message"])
    assert (
        "ligne 12 : la date de fin 2021-02-30 n'est pas une date (format aaaa-mm-jj)"
        in messages
    )
    assert "vide.csv : le fichier est vide (0 octet) ; rien à importer" in messages
    assert not any(m.startswith("row ") for m in messages)
    assert "le fichier est vide (0 octet) ; rien à importer" in set(
        files["Fichier refusé car"]
    )


def _import_and_fit(tmp_path, name: str, *, closed: int, running: int) -> AppTest:
    """Store a CSV of closed and running projects, open it, press "fit"."""
    from src.portfolio.imports import import_files
    from src.store.datasets import store_import
    from tests.unit.test_own_reference_class import AS_OF, _write_csv

    path = tmp_path / f"{name}.csv"
    _write_csv(path, n_closed=closed, n_running=running)
    store_import(import_files([path], as_of=AS_OF), name)
    at = open_page({"dataset": name})
    at.button(key="data.own_class.fit").click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_fitting_an_own_reference_class_then_simulating_with_it(tmp_path):
    """Import closed projects, fit on the Data page, pick it on Scenarios."""
    from datetime import date

    from src.store.reference_classes import load_own_class
    from tests.unit.test_own_reference_class import AS_OF

    at = _import_and_fit(tmp_path, "history", closed=45, running=10)
    from src.store.datasets import dataset_info

    stored = load_own_class("history", dataset_info("history").fingerprint)
    assert stored is not None
    assert any("Reference class fitted" in s.value for s in at.success)
    at.switch_page("pages/scenarios.py")
    at.run()
    assert not at.exception, at.exception
    radio = at.radio(key="scen.reference")
    assert radio.options[1].startswith("your 45 closed projects")
    radio.set_value("own")
    at.run()
    assert not at.exception, at.exception
    assert any(
        "Reference class: your 45 closed projects" in c.value for c in at.caption
    )
    assert date.fromisoformat(stored.entry["source"][-10:]) == AS_OF


def test_too_few_closed_projects_give_a_clear_message_on_the_data_page(tmp_path):
    at = _import_and_fit(tmp_path, "few", closed=10, running=4)
    assert any("needs at least 30 projects" in i.value for i in at.info)
    assert any("this dataset has 14" in i.value for i in at.info)


ABSURD = (
    b"project_id,title,country_iso3,sector_group,start_date,end_date,"
    b"budget_usd,spent_usd\n"
    b"OK-1,Clinics,SEN,Health,2021-01-15,2023-12-31,2500000,1000000\n"
    b"BIG-40,Huge,SEN,Health,2021-01-15,2023-12-31,1e40,0\n"
    b"BIG-308,Huger,KEN,Health,2021-01-15,2023-12-31,1e308,0\n"
    b"LATE,Far,SEN,Health,2021-01-15,9999-12-31,1000,0\n"
    b"EARLY,Old,SEN,Health,0001-01-01,2023-12-31,1000,0\n"
)


def test_absurd_budgets_and_dates_are_refused_and_every_page_keeps_working():
    at = open_page({"lang": "fr"})
    at.file_uploader(key="data.upload").set_value(("absurd.csv", ABSURD, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert list(shown.values()) == ["5", "1", "4"]
    messages = list(at.dataframe[1].value["Message"])
    assert messages[2] == (
        "ligne 5 : la date de fin 9999-12-31 est hors des années 1950–2100 ; "
        "vérifiez la date"
    )
    # 1e40 written the French way: 10 and thirteen groups of 000
    assert messages[0].startswith("ligne 3 : le budget de 10" + "\u202f000" * 13 + " $")
    at.text_input(key="data.name").set_value("absurd")
    at.button(key="data.accept").click()
    at.run()
    assert not at.exception, at.exception
    assert len(at.session_state[state.CONTEXT].portfolio) == 1
    for page in ("pages/overview.py", "pages/scenarios.py"):
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
    for page in ("pages/overview.py", "pages/scenarios.py"):
        bundled = helpers.open_page(page, {"lang": "fr"})
        assert not bundled.exception, (page, bundled.exception)


def test_an_import_past_its_time_limit_is_stopped_with_a_translated_message(
    monkeypatch,
):
    monkeypatch.setenv("APP_IMPORT_TIMEOUT_S", "0.000001")
    at = open_page({"lang": "es"})
    csv = (FIX / "portfolio_20.csv").read_bytes()
    at.file_uploader(key="data.upload").set_value(("portfolio_20.csv", csv, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("La validación de los archivos se detuvo" in e for e in errors), errors
    assert not at.metric  # no report: nothing was read into the page
    assert list_datasets() == []
