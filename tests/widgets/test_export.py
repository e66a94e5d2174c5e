"""The project table's CSV (issue 12 item 7): a plain file for pandas and
spreadsheets, with its notes in a second file; unreported spend is empty."""

from __future__ import annotations

import io

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.export import source_line, to_csv_bytes, to_notes_bytes
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.schema import PortfolioMeta
from src.widgets.table import build_project_table, csv_file_name, table_notes


def test_the_project_csv_opens_with_plain_read_csv_and_leaves_unreported_spend_empty():
    df, meta = load_bundled_portfolio()
    table = build_project_table(df, "fr", meta.as_of)  # French country names
    raw = to_csv_bytes(table)
    text = raw.decode("utf-8-sig")
    assert not any(line.startswith("#") for line in text.splitlines())
    back = pd.read_csv(io.BytesIO(raw))  # no option: no skiprows, no comment=
    assert len(back) == len(df)
    assert back.columns[0] == "Title"  # the BOM is not glued to the first name
    assert "Algérie" in set(back["Country"])  # accents kept
    assert back["Country"].tolist() == table["Country"].tolist()
    no_spend = int((~df[S.COL_SPEND_REPORTED].astype(bool)).sum())
    assert no_spend > 0
    spent = back["Spent (US$)"]
    assert int(spent.isna().sum()) == no_spend  # empty, not 0
    assert spent.notna().sum() == len(df) - no_spend
    derived_end = int((df[S.COL_END_SOURCE] == "derived from budget periods").sum())
    assert derived_end > 0
    end_source = back["Planned end source"]
    assert int((end_source == "derived from budget periods").sum()) == derived_end


def test_the_csv_file_name_keeps_accents():
    name = csv_file_name("2021-06-01", "Côte d'Ivoire; Santé")
    assert name == "portfolio_2021-06-01_Côte-d-Ivoire-Santé.csv"
    notes = csv_file_name("2021-06-01", "Côte d'Ivoire", "_notes.txt")
    assert notes == "portfolio_2021-06-01_Côte-d-Ivoire_notes.txt"


def test_the_notes_file_names_the_imported_datasets_own_files_and_the_derived_columns():
    own = PortfolioMeta("2021-06-01", "f", "mine", ("projets_été.csv", "b.xlsx"))
    text = to_notes_bytes(
        table_notes("all", "2021-06-01", source_line(own, "en"))
    ).decode("utf-8-sig")
    assert "projets_été.csv, b.xlsx" in text
    assert "UNOPS" not in text
    assert "“Delivery (%)” is spent ÷ budget" in text
    assert "not published, not zero" in text
    bundled = source_line(PortfolioMeta("2021-06-01", "f"), "en")
    assert "UNOPS" in bundled
