"""The `quality` subcommand: data-quality counts of a dataset (default: bundled)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from src.cli.options import (
    add_dataset_arg,
    load_portfolio,
    load_report,
    load_side_tables,
)

ORDER = 30


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `quality`."""
    p = subparsers.add_parser("quality", help="data-quality report")
    add_dataset_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quality)


def cmd_quality(args: argparse.Namespace) -> int:
    """Data-quality counts of the chosen dataset."""
    from src.portfolio.quality import quality_report
    from src.portfolio.results import indicators

    df, _ = load_portfolio(args.dataset)
    report = load_report(args.dataset)
    side = load_side_tables(args.dataset)
    table = None if side is None else indicators(side.details)
    checks = quality_report(df, report.build_problems, table)
    if args.json:
        print(json.dumps([asdict(c) for c in checks], indent=2))
        return 0
    for c in checks:
        print(f"{c.label:<62} rows {c.rows:>5}  projects {c.projects:>5}")
    print(f"{'Activities skipped by the parser':<62} {report.skipped:>10}")
    return 0
