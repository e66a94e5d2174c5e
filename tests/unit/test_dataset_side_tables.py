"""Imported datasets keep their transactions, details and budgets (store r0003).

Expected values are read from the fixture's XML with lxml, independently of the
parser; CSV imports keep none ("not published", never zero).
"""

from __future__ import annotations

import json

import pytest
from alembic import command
from lxml import etree
from sqlalchemy import create_engine, inspect, text

from src.portfolio import schema as S
from src.portfolio.imports import import_files
from src.store import datasets as D
from src.store import db, migrate
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "iati" / "money_results.xml"
CSV = ROOT / "tests" / "fixtures" / "imports" / "portfolio_20.csv"


@pytest.fixture(autouse=True)
def _fresh_store(store_backend):
    return store_backend


def _xml_transactions() -> list[tuple[str, str, float]]:
    """(activity, type code, value) of every transaction, straight from the XML."""
    out = []
    for act in etree.parse(str(FIXTURE)).iter("iati-activity"):
        ident = act.findtext("iati-identifier").strip()
        for tx in act.iter("transaction"):
            code = tx.find("transaction-type").get("code")
            out.append((ident, code, float(tx.findtext("value"))))
    return out


def _xml_results() -> list[tuple[str, str, str, str]]:
    """(activity, baseline, target, actual) @value of every indicator."""
    out = []
    for act in etree.parse(str(FIXTURE)).iter("iati-activity"):
        ident = act.findtext("iati-identifier").strip()
        for ind in act.iter("indicator"):
            period = ind.find("period")
            out.append(
                (
                    ident,
                    ind.find("baseline").get("value"),
                    period.find("target").get("value"),
                    period.find("actual").get("value"),
                )
            )
    return out


def test_an_iati_import_is_stored_with_its_transactions_results_and_budgets():
    report = import_files([FIXTURE])
    info = D.store_import(report, "partner-iati")
    side = D.load_dataset_side_tables(info.id)
    assert side is not None
    tx = side.transactions
    got = sorted(
        zip(tx[S.COL_PROJECT_ID], tx[S.TX_REPORTED_TYPE], tx[S.TX_VALUE], strict=True)
    )
    assert got == sorted(_xml_transactions())
    assert len(got) == 8  # 6 on XM-MR-A, 2 on XM-MR-B
    assert tx[S.TX_USD].sum() == pytest.approx(4600.0)  # all USD, by hand
    assert tx[S.TX_DATE].notna().all()
    res = side.details[side.details[S.DT_KIND] == "result"]
    shown = sorted(
        zip(
            res[S.COL_PROJECT_ID],
            res[S.DT_BASELINE],
            res[S.DT_TARGET],
            res[S.DT_ACTUAL],
            strict=True,
        )
    )
    assert shown == sorted(_xml_results())
    assert ("XM-MR-A", "1000", "2020:3000", "2020:2160") in shown
    bg = side.budgets
    assert sorted(zip(bg[S.COL_PROJECT_ID], bg[S.BG_USD], strict=True)) == [
        ("XM-MR-A", 1000.0),
        ("XM-MR-A", 2000.0),
        ("XM-MR-B", 800.0),
    ]
    # typed as the bundled build's tables
    assert list(tx.columns) == list(S.TRANSACTION_COLUMNS)
    assert list(side.details.columns) == list(S.DETAIL_COLUMNS)
    assert str(bg[S.BG_START].dtype).startswith("datetime64")


def test_a_csv_import_keeps_no_side_tables_and_a_replacement_drops_them():
    csv = D.store_import(import_files([CSV]), "sheet")
    assert D.load_dataset_side_tables(csv.id) is None
    iati = D.store_import(import_files([FIXTURE]), "swap")
    assert D.load_dataset_side_tables(iati.id) is not None
    D.store_import(import_files([CSV]), "swap", replace=True)
    assert D.load_dataset_side_tables("swap") is None  # the CSV publishes none


def test_a_mixed_import_keeps_the_side_tables_of_its_iati_activities_only():
    report = import_files([FIXTURE, CSV])
    side = report.side_tables
    assert side is not None
    assert set(side.transactions[S.COL_PROJECT_ID]) == {"XM-MR-A", "XM-MR-B"}
    assert set(report.table[S.COL_PROJECT_ID]) > {"XM-MR-A", "XM-MR-B"}


def test_a_dataset_stored_before_r0003_loads_and_says_it_keeps_no_side_tables(
    tiny_portfolio,
):
    url = db.database_url()
    db.dispose_engines()
    old = create_engine(url)
    with old.begin() as conn:  # the store as revision 0002 left it
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        command.upgrade(migrate.alembic_config(conn), "0002")
        conn.execute(
            text(
                "INSERT INTO datasets (name, created, data_date, fingerprint, rows, "
                "provenance, report, table_parquet, dtypes, public_id, org_id, "
                "owner, public) VALUES ('old', :at, '2021-06-01', 'fp', 4, "
                "'{}', '{}', :table, '{}', 'pub-old', 'local', 'local', :f)"
            ),
            {
                "at": "2026-01-02 03:04:05",
                "table": D._to_parquet(tiny_portfolio),
                "f": False,
            },
        )
    old.dispose()
    assert D.load_dataset_side_tables("old") is None  # first use: upgraded
    df, _ = D.load_dataset("old")
    assert len(df) == len(tiny_portfolio)
    with db.get_engine().begin() as conn:
        assert migrate.current_revision(conn) == migrate.head()
        command.downgrade(migrate.alembic_config(conn), "0002")
        columns = {c["name"] for c in inspect(conn).get_columns("datasets")}
    assert not columns & set(D.SIDE_COLUMNS)
    db.dispose_engines()


def test_the_cli_measures_an_imported_iati_dataset_and_not_a_csv(capsys):
    from src.cli.main import main

    assert main(["import", str(FIXTURE), "--name", "partner"]) == 0
    assert main(["import", str(CSV), "--name", "sheet"]) == 0
    capsys.readouterr()
    assert main(["money", "--dataset", "partner", "--json"]) == 0
    money = json.loads(capsys.readouterr().out)
    verified = money["localisation"]["verified"]
    # hand-computed: 400 + 300 to local actors of 1,500 outgoing
    assert (verified["usd"], verified["of_usd"]) == (700.0, 1500.0)
    assert main(["results", "--dataset", "partner", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results["coverage"]["repaired"] == 4  # 2020:3000, 2020:2160, 5,000, 4,500
    assert main(["money", "--dataset", "sheet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["published"] is False
    assert main(["results", "--dataset", "sheet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["published"] is False
