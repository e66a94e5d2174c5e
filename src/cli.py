"""Command line: `python -m src.cli <command>` (build, summary, quality, synth, ...).

Every command prints plain text, or JSON with --json, and returns a non-zero exit
code with a clear message on bad input (never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec


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


def _emit(data: dict[str, object], as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, indent=2, default=str))
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, float):
            value = f"{value:,.2f}"
        print(f"{key.ljust(width)}  {value}")


def _counts(df, col: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in df[col].value_counts().sort_index().items()}


def cmd_build(args: argparse.Namespace) -> int:
    """Build (or rebuild) the bundled portfolio and print a summary."""
    from src.portfolio.load import load_bundled_portfolio, load_bundled_report

    df, meta = load_bundled_portfolio(rebuild=True)
    report = load_bundled_report()
    data = {
        "activities_read": report["activities_read"],
        "activities_kept": report["activities_kept"],
        "rows": len(df),
        "projects": int(df[S.COL_PROJECT_ID].nunique()),
        "countries": int(df.loc[df[S.COL_COUNTRY] != "", S.COL_COUNTRY].nunique()),
        "total_budget_usd": float(df[S.COL_BUDGET].sum()),
        "total_spent_usd": float(df[S.COL_SPENT].sum()),
        "as_of": meta.as_of,
        "fingerprint": meta.fingerprint,
        "sector_source": _counts(df, S.COL_SECTOR_SOURCE),
        "location_precision": _counts(df, S.COL_PRECISION),
        "end_date_source": _counts(df, S.COL_END_SOURCE),
        "risk_level": _counts(df, S.COL_RISK),
        "problems": len(report["parse_problems"]) + len(report["build_problems"]),
        "unconverted_values": len(report["unconverted"]),
    }
    _emit(data, args.json)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """KPIs for a filtered selection."""
    from src.portfolio.load import load_bundled_portfolio
    from src.portfolio.summary import breakdown, kpis

    spec = filters_from_args(args)
    df, meta = load_bundled_portfolio()
    check_values(spec, df)
    sel = spec.apply(df)
    data: dict[str, object] = {
        "filters": spec.describe(),
        **asdict(kpis(sel, meta.as_of)),
    }
    data["rows"] = len(sel)
    if args.json:
        data["by_sector"] = breakdown(sel, S.COL_SECTOR_GROUP).to_dict("records")
        data["by_risk"] = breakdown(sel, S.COL_RISK, S.RISK_LEVELS).to_dict("records")
        data["by_region"] = breakdown(sel, S.COL_REGION).to_dict("records")
    _emit(data, args.json)
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    """Data-quality counts for the bundled portfolio."""
    from src.portfolio.load import load_bundled_portfolio, load_bundled_report
    from src.portfolio.quality import quality_report

    df, _ = load_bundled_portfolio()
    report = load_bundled_report()
    checks = quality_report(df, report["build_problems"])
    if args.json:
        print(json.dumps([asdict(c) for c in checks], indent=2))
        return 0
    for c in checks:
        print(f"{c.label:<62} rows {c.rows:>5}  projects {c.projects:>5}")
    print(
        f"{'Activities skipped by the parser':<62} "
        f"{report['activities_read'] - report['activities_kept']:>10}"
    )
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic portfolio (benchmarks only)."""
    from src.portfolio.load import load_bundled_portfolio
    from src.portfolio.synth import synthesize

    df, _ = load_bundled_portfolio()
    out = synthesize(df, projects=args.projects, seed=args.seed)
    path = Path(args.out)
    if path.suffix not in (".parquet", ".csv"):
        msg = f"--out: {path.name} must end in .csv or .parquet"
        raise ValueError(msg)
    if path.suffix == ".parquet":
        out.to_parquet(path, index=False)
    else:
        out.to_csv(path, index=False)
    print(f"wrote {len(out):,} SYNTHETIC rows to {path}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m src.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build the bundled portfolio and summarise it")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("summary", help="KPIs of a filtered selection")
    add_filter_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("quality", help="data-quality report")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quality)
    p = sub.add_parser("synth", help="write a SYNTHETIC portfolio for benchmarks")
    p.add_argument("--projects", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_synth)
    try:
        from src.engine.command import register
    except ImportError:  # the engine is optional for the data commands
        pass
    else:
        register(sub)
    from src.briefing.command import register as register_brief

    register_brief(sub)
    from src.portfolio.import_command import register as register_import

    register_import(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, LookupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
