"""The `results` subcommand: the results ladder with its coverage."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from src.cli.options import (
    add_dataset_arg,
    add_filter_args,
    check_values,
    filters_from_args,
    load_portfolio,
    load_side_tables,
    records,
)

ORDER = 38


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `results`."""
    p = subparsers.add_parser(
        "results",
        help="results ladder: projects with output, outcome and numeric indicators",
    )
    add_dataset_arg(p)
    add_filter_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_results)


def results_data(df, details, spec) -> dict[str, object]:  # noqa: ANN001
    """The figures printed: coverage, ladder, achievement, findings, fix list."""
    from src.portfolio import results as R

    sel = spec.apply(df)
    data: dict[str, object] = {"filters": spec.describe(), "published": True}
    if details is None:
        data["published"] = False
        return data
    table = R.indicators(details)
    data["coverage"] = asdict(R.coverage(sel, table))
    data["ladder"] = records(R.ladder(sel, table))
    data["achievement"] = records(R.achievement_by_sector(sel, table))
    data["ascending"] = records(R.ascending_findings(sel, table))
    data["fix"] = records(R.fix_rows(sel, table))
    return data


def cmd_results(args: argparse.Namespace) -> int:
    """Per sector group: projects and budget on each rung, median achievement."""
    spec = filters_from_args(args)
    df, _ = load_portfolio(args.dataset)
    check_values(spec, df)
    side = load_side_tables(args.dataset)
    details = None if side is None else side.details
    data = results_data(df, details, spec)
    if args.json:
        print(json.dumps(data, indent=1, default=str, allow_nan=False))
        return 0
    if not data["published"]:
        print(f"{args.dataset}: no result indicators published (IATI files only)")
        return 0
    cov = data["coverage"]
    print(
        f"{cov['with_indicators']} of {cov['projects']} projects publish result "
        f"indicators ({cov['indicators']} indicators, {cov['numeric']} numeric, "
        f"{cov['repaired']} values repaired from text); {data['filters']}"
    )
    for rec in data["ladder"]:
        share = rec["share_budget"]
        pct = "n/a" if share is None else f"{share:.1%}"
        print(
            f"  {rec['sector']:<28} {rec['rung']:<8} {rec['projects']:>5} projects"
            f"  {pct:>6} of budget"
        )
    return 0
