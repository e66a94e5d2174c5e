"""The `simulate` and `validate` subcommands of `python -m src.cli`.

`simulate [--scenario FILE.json]` prints portfolio metrics, delivery per year,
per-group metrics and per-row P10/P50/P90 delay, duration ratio and reference
class (JSON with --json, else a short text summary); without --scenario it runs
the baseline. `validate` prints the out-of-sample checks of the reference
classes (`src.engine.calibration.validation`). Bad input gives a one-line
message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from src.cli.options import add_dataset_arg, load_portfolio
from src.engine.scenario import BASELINE, Scenario
from src.portfolio.canonical import read_canonical

VALIDATION_NAME = "data/calibration/validation.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `simulate` and `validate` subcommands to the CLI's subparsers."""
    p = subparsers.add_parser("simulate", help="Monte Carlo delivery simulation")
    p.add_argument("--scenario", help="scenario JSON file (default: the baseline)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--portfolio", help="portfolio .csv or .parquet file")
    add_dataset_arg(source)
    p.add_argument("--as-of", help="data date yyyy-mm-dd (default: file's or today)")
    p.add_argument("--trials", type=int, help="override the scenario's trials")
    p.add_argument("--seed", type=int, help="override the scenario's seed")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_simulate)
    v = subparsers.add_parser(
        "validate", help="out-of-sample checks of the reference classes"
    )
    v.add_argument("--json", action="store_true", help="print JSON")
    v.add_argument(
        "--write",
        action="store_true",
        help=f"also write the figures the app shows ({VALIDATION_NAME})",
    )
    v.set_defaults(func=cmd_validate)


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, date, str]:
    """The portfolio, its data date and its fingerprint ("" for a file)."""
    if args.portfolio:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
        return read_canonical(Path(args.portfolio), as_of=as_of), as_of, ""
    df, meta = load_portfolio(args.dataset)
    as_of = date.fromisoformat(args.as_of or meta.as_of)
    return df, as_of, meta.fingerprint


def _calibration(scenario: Scenario, dataset: str, fingerprint: str):  # noqa: ANN202
    """The calibration, with the dataset's own class when the scenario asks for it.

    The own class is fitted on the Data page and tied to the dataset's fingerprint.
    """
    from src.engine.calibration import load_calibration
    from src.engine.calibration.own import with_own_class

    stored = None
    if scenario.reference == "own" and fingerprint and dataset != "bundled":
        from src.store.reference_classes import load_own_class

        stored = load_own_class(dataset, fingerprint)
    entry = stored.entry if stored else None
    return with_own_class(load_calibration(), scenario.reference, entry, dataset)


def cmd_simulate(args: argparse.Namespace) -> int:
    """Run the simulation; returns the process exit code."""
    from src.engine.montecarlo import run

    try:
        if args.scenario:
            path = Path(args.scenario)
            if not path.exists():
                return _error(f"scenario file {path} not found")
            scenario = Scenario.from_json(path.read_text(encoding="utf-8"))
        else:
            scenario = BASELINE
        if args.trials is not None or args.seed is not None:
            scenario = scenario.with_changes(
                trials=args.trials if args.trials is not None else scenario.trials,
                seed=args.seed if args.seed is not None else scenario.seed,
            )
        df, as_of, fingerprint = _load(args)
        cal = _calibration(scenario, getattr(args, "dataset", "bundled"), fingerprint)
        result = run(df, scenario, as_of=as_of, calibration=cal)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps(result.to_dict(), indent=1, default=str, allow_nan=False))
        return 0
    print(f"{scenario.name}: {result.info['rows']} rows, {result.info['trials']} "
          f"trials, seed {result.info['seed']}, as of {as_of}")  # fmt: skip
    for rec in result.portfolio.itertuples():
        print(f"  {rec.label:<34} P10 {rec.p10:>14,.3f}  P50 {rec.p50:>14,.3f}  "
              f"P90 {rec.p90:>14,.3f}  ({rec.unit})")  # fmt: skip
    for rec in result.delivery.itertuples():
        print(f"  Delivery year {rec.year:<20} P10 {rec.p10:>14,.0f}  "
              f"P50 {rec.p50:>14,.0f}  P90 {rec.p90:>14,.0f}  (USD)")  # fmt: skip
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the hold-out checks; print them (and write them with --write)."""
    from src.engine.calibration.validation import (
        TARGET_50,
        TARGET_80,
        VALIDATION_FILE,
        validate_all,
        write_validation,
    )

    try:
        checks = validate_all()
        if args.write:
            write_validation(checks, VALIDATION_FILE)
    except (ValueError, OSError) as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps([c.to_dict() for c in checks], indent=1, allow_nan=False))
        return 0
    print(
        f"Targets: P10-P90 {TARGET_80[0]:.0%}-{TARGET_80[1]:.0%}, "
        f"P25-P75 {TARGET_50[0]:.0%}-{TARGET_50[1]:.0%}; skill > 0 beats the "
        "training median"
    )
    for c in checks:
        print(f"{c.reference_class} ({c.reading}): {c.method}")
        print(
            f"  n {c.n}, observed {c.observed}; inside P10-P90 {c.inside_80:.1%}, "
            f"P25-P75 {c.inside_50:.1%}; late: model {c.share_late_model:.1%} "
            f"vs KM {c.share_late_km:.1%}; median ratio: model "
            f"{c.median_model:.2f} vs KM {c.median_km:.2f}; MdAE log {c.mdae_model:.3f}"
            f" vs constant {c.mdae_constant:.3f} (skill {c.skill:+.3f})"
        )
        print("  PIT deciles: " + " ".join(f"{p:.2f}" for p in c.pit))
    if args.write:
        print(f"wrote {VALIDATION_FILE}")
    return 0
