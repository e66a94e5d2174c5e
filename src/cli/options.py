"""Options shared by subcommands: the dataset, the sidebar's filters, the output."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.filters import FilterSpec

BUNDLED = "bundled"  # the shipped sample; any other name is an imported dataset


def add_dataset_arg(parser: argparse.ArgumentParser) -> None:
    """`--dataset NAME`: an imported dataset instead of the bundled portfolio."""
    parser.add_argument(
        "--dataset",
        default=BUNDLED,
        metavar="NAME",
        help=f"imported dataset to read (see `datasets`; default: {BUNDLED})",
    )


def known_datasets() -> list[str]:
    """The bundled dataset, then the imported ones (newest first)."""
    try:
        from src.store.datasets import list_datasets
    except ImportError:  # the store is optional for the data commands
        return [BUNDLED]
    return [BUNDLED, *(d.name for d in list_datasets())]


def _unknown(name: str) -> ValueError:
    known = ", ".join(known_datasets())
    return ValueError(f"--dataset: no dataset named {name!r}; known datasets: {known}")


def load_portfolio(name: str) -> tuple[pd.DataFrame, S.PortfolioMeta]:
    """The table and metadata of the bundled portfolio or an imported dataset.

    Raises:
        ValueError: no dataset has this name (the message names the known ones).
    """
    if name == BUNDLED:
        from src.portfolio.load import load_bundled_portfolio

        return load_bundled_portfolio()
    try:
        from src.store.datasets import DatasetNotFoundError, load_dataset
    except ImportError:
        raise _unknown(name) from None
    try:
        return load_dataset(name)
    except DatasetNotFoundError:
        raise _unknown(name) from None


def load_side_tables(name: str) -> SideTables | None:
    """The transactions, details and budgets of a dataset (None: it has none).

    Raises:
        ValueError: no dataset has this name.
    """
    if name == BUNDLED:
        from src.portfolio.load import load_bundled_side_tables

        return load_bundled_side_tables()
    from src.store.datasets import DatasetNotFoundError, load_dataset_side_tables

    try:
        return load_dataset_side_tables(name)
    except DatasetNotFoundError:
        raise _unknown(name) from None


def load_report(name: str) -> DatasetReport:
    """The build/import report of a dataset (`load_bundled_report()`'s shape).

    Raises:
        ValueError: no dataset has this name.
    """
    if name == BUNDLED:
        from src.portfolio.load import load_bundled_report

        return load_bundled_report()
    from src.store.datasets import DatasetNotFoundError, load_dataset_report

    try:
        return load_dataset_report(name)
    except DatasetNotFoundError:
        raise _unknown(name) from None


def add_filter_args(parser: argparse.ArgumentParser) -> None:
    """The same filters as the app's sidebar."""
    parser.add_argument("--sector", action="append", default=[], help="sector group")
    parser.add_argument("--risk", action="append", default=[], help="risk level")
    parser.add_argument("--region", action="append", default=[], help="WB region")
    parser.add_argument("--country", action="append", default=[], help="ISO3 code")
    parser.add_argument("--agency", action="append", default=[], help="agency name")
    parser.add_argument("--status", action="append", default=[], help="status name")
    parser.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"))
    parser.add_argument("--budget", nargs=2, type=float, metavar=("MIN", "MAX"))
    parser.add_argument("--funder", action="append", default=[], help="funder name")
    parser.add_argument(
        "--implementer", action="append", default=[], help="implementing org name"
    )
    parser.add_argument("--sdg", action="append", default=[], help="SDG goal (3)")
    parser.add_argument(
        "--dac", action="append", default=[], help="main DAC code, or 'none'"
    )
    parser.add_argument(
        "--humanitarian", choices=("yes", "no"), help="humanitarian projects only/not"
    )
    parser.add_argument(
        "--search",
        default="",
        help="keywords in title, description, identifier or organisation names",
    )


def filters_from_args(args: argparse.Namespace) -> FilterSpec:
    """Build a FilterSpec from parsed CLI arguments; bad values raise ValueError."""
    for values, allowed, name in (
        (args.sector, S.ALL_SECTOR_GROUPS, "--sector"),
        (args.risk, S.RISK_LEVELS, "--risk"),
    ):
        bad = [v for v in values if v not in allowed]
        if bad:
            msg = f"{name}: unknown value(s) {bad}; choose from {list(allowed)}"
            raise ValueError(msg)
    if args.years and args.years[0] > args.years[1]:
        msg = f"--years: first year {args.years[0]} is after last year {args.years[1]}"
        raise ValueError(msg)
    if args.budget and not 0 <= args.budget[0] <= args.budget[1]:
        msg = (
            f"--budget: need 0 <= MIN <= MAX, got {args.budget[0]:g} {args.budget[1]:g}"
        )
        raise ValueError(msg)
    return FilterSpec(
        sectors=tuple(args.sector),
        risks=tuple(args.risk),
        regions=tuple(args.region),
        countries=tuple(c.upper() for c in args.country),
        agencies=tuple(args.agency),
        statuses=tuple(args.status),
        years=tuple(args.years) if args.years else None,
        budget=tuple(args.budget) if args.budget else None,
        funders=tuple(args.funder),
        implementers=tuple(args.implementer),
        sdgs=tuple(args.sdg),
        dac_sectors=tuple(args.dac),
        humanitarian=None if args.humanitarian is None else args.humanitarian == "yes",
        query=" ".join(args.search.split()),
    )


def check_values(spec: FilterSpec, df) -> None:
    """Refuse filter values that do not occur in the data (a typo gives 0 rows)."""
    for values, col, name in (
        (spec.regions, S.COL_REGION, "--region"),
        (spec.countries, S.COL_COUNTRY, "--country"),
        (spec.agencies, S.COL_AGENCY, "--agency"),
        (spec.statuses, S.COL_STATUS, "--status"),
    ):
        known = set(df[col])
        bad = [v for v in values if v not in known]
        if bad:
            msg = f"{name}: not in the data: {bad}; known values: {sorted(known)[:12]}…"
            raise ValueError(msg)


def emit(data: dict[str, object], as_json: bool) -> None:
    """Print `data` as indented JSON, or as aligned `key  value` lines."""
    if as_json:
        print(json.dumps(data, indent=2, default=str))
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, float):
            value = f"{value:,.2f}"
        print(f"{key.ljust(width)}  {value}")


def counts(df, col: str) -> dict[str, int]:
    """{value: rows} of column `col`, sorted by value."""
    return {str(k): int(v) for k, v in df[col].value_counts().sort_index().items()}


def records(df) -> list[dict]:  # noqa: ANN001 - a DataFrame
    """Rows as dicts for JSON, NaN (a share with no base) as null."""
    return df.astype(object).where(df.notna(), None).to_dict("records")
