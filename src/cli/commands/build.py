"""The `build` subcommand: (re)build the bundled portfolio and print a summary."""

from __future__ import annotations

import argparse

from src.cli.options import counts, emit
from src.portfolio import schema as S

ORDER = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `build`."""
    p = subparsers.add_parser(
        "build", help="build the bundled portfolio and summarise it"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_build)


def cmd_build(args: argparse.Namespace) -> int:
    """Build (or rebuild) the bundled portfolio and print a summary."""
    from src.portfolio.load import load_bundled_portfolio, load_bundled_report

    df, meta = load_bundled_portfolio(rebuild=True)
    report = load_bundled_report()
    data = {
        "activities_read": report.activities_read,
        "activities_kept": report.activities_kept,
        "rows": len(df),
        "projects": int(df[S.COL_PROJECT_ID].nunique()),
        "countries": int(df.loc[df[S.COL_COUNTRY] != "", S.COL_COUNTRY].nunique()),
        "total_budget_usd": float(df[S.COL_BUDGET].sum()),
        "total_spent_usd": float(df[S.COL_SPENT].sum()),
        "as_of": meta.as_of,
        "fingerprint": meta.fingerprint,
        "sector_source": counts(df, S.COL_SECTOR_SOURCE),
        "location_precision": counts(df, S.COL_PRECISION),
        "end_date_source": counts(df, S.COL_END_SOURCE),
        "risk_level": counts(df, S.COL_RISK),
        "problems": len(report.problems),
        "unconverted_values": len(report.unconverted),
    }
    emit(data, args.json)
    return 0
