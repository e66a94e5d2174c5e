"""The `quality` subcommand: data-quality counts for the bundled portfolio."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

ORDER = 30


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `quality`."""
    p = subparsers.add_parser("quality", help="data-quality report")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quality)


def cmd_quality(args: argparse.Namespace) -> int:
    """Data-quality counts for the bundled portfolio."""
    from src.portfolio.load import load_bundled_portfolio, load_bundled_report
    from src.portfolio.quality import quality_report

    df, _ = load_bundled_portfolio()
    report = load_bundled_report()
    checks = quality_report(df, report.build_problems)
    if args.json:
        print(json.dumps([asdict(c) for c in checks], indent=2))
        return 0
    for c in checks:
        print(f"{c.label:<62} rows {c.rows:>5}  projects {c.projects:>5}")
    print(f"{'Activities skipped by the parser':<62} {report.skipped:>10}")
    return 0
