"""The one canonical reader: CSV, Parquet, DataFrame and row dicts alike."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from src.portfolio import schema as S
from src.portfolio.canonical import read_canonical

AS_OF = date(2021, 6, 1)
ROWS = [
    {
        S.COL_PROJECT_ID: "P1",
        S.COL_TITLE: "Two countries",
        S.COL_COUNTRY: "KEN",
        S.COL_SECTOR_GROUP: "Health",
        S.COL_START: "2020-01-01",
        S.COL_END: "2022-01-01",
        S.COL_BUDGET: 300.0,
        S.COL_SPENT: 30.0,
        S.COL_HUMANITARIAN: False,
    },
    {
        S.COL_PROJECT_ID: "P1",
        S.COL_TITLE: "Two countries",
        S.COL_COUNTRY: "UGA",
        S.COL_SECTOR_GROUP: "Health",
        S.COL_START: "2020-01-01",
        S.COL_END: "2022-01-01",
        S.COL_BUDGET: 100.0,
        S.COL_SPENT: None,
        S.COL_HUMANITARIAN: True,
    },
]


def _csv(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    return path


def _parquet(tmp_path):
    path = tmp_path / "p.parquet"
    df = pd.DataFrame(ROWS)
    df[S.COL_START] = pd.to_datetime(df[S.COL_START])
    df[S.COL_END] = pd.to_datetime(df[S.COL_END])
    df.to_parquet(path)
    return path


SOURCES = {
    "csv": _csv,
    "parquet": _parquet,
    "frame": lambda _: pd.DataFrame(ROWS),
    "rows": lambda _: ROWS,
}


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_every_source_gives_the_same_canonical_table(kind, tmp_path):
    df = read_canonical(SOURCES[kind](tmp_path), as_of=AS_OF)
    assert list(df.columns) == list(S.COLUMNS)
    # written as False / True, also in a CSV
    assert df[S.COL_HUMANITARIAN].tolist() == [False, True]
    # no share given: the project's budget split, 300 / 400 and 100 / 400
    assert df[S.COL_COUNTRY_SHARE].tolist() == [0.75, 0.25]
    # spend reported where spent is given
    assert df[S.COL_SPEND_REPORTED].tolist() == [True, False]
    assert df[S.COL_DELIVERY].iloc[0] == pytest.approx(30 / 300)
    assert pd.isna(df[S.COL_DELIVERY].iloc[1])
    # country context from the ISO3 code
    assert df[S.COL_COUNTRY_NAME].tolist() == ["Kenya", "Uganda"]
    assert df[S.COL_PRECISION].tolist() == ["country", "country"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {k: v for k, v in ROWS[0].items() if k != S.COL_BUDGET},
            "lacks required column.*budget_usd",
        ),
        ({**ROWS[0], S.COL_END: "31/31/2022"}, "'end_date' has 1 invalid date"),
    ],
    ids=["missing column", "bad date"],
)
def test_a_bad_table_is_refused_with_a_message_naming_the_cause(row, message):
    with pytest.raises(ValueError, match=message):
        read_canonical([row], as_of=AS_OF)


def test_a_file_that_is_neither_csv_nor_parquet_is_refused(tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(ValueError, match="expected a .csv or .parquet file"):
        read_canonical(path, as_of=AS_OF)
