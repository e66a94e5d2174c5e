"""The `brief` subcommand: `python -m src.cli brief --out deck.pptx|deck.pdf`.

Filters are the app's (`--sector`, `--country`, ...); `--scenario` takes a saved
scenario's name or a scenario JSON file and may be repeated. For example, one
country brief per country:

    for c in KEN UGA; do python -m src.cli brief --country $c --out $c.pptx; done
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from src.i18n import LANGUAGES


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `brief` subcommand to the CLI's subparsers."""
    from src.briefing.sections import SECTIONS
    from src.cli.options import add_dataset_arg, add_filter_args

    p = subparsers.add_parser(
        "brief", help="briefing pack of a selection as .pptx or .pdf"
    )
    p.add_argument("--out", required=True, help="output file: .pptx or .pdf")
    p.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    p.add_argument("--title", help="deck title (default: 'Portfolio briefing')")
    p.add_argument(
        "--section",
        action="append",
        choices=SECTIONS,
        default=[],
        help="include only these sections (repeatable; default: all)",
    )
    p.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME|FILE",
        help="saved scenario name or scenario JSON file (repeatable)",
    )
    p.add_argument("--trials", type=int, help="override the scenarios' trials")
    add_dataset_arg(p)
    add_filter_args(p)
    p.set_defaults(func=cmd_brief)


def load_scenario_arg(value: str) -> Any:
    """A Scenario from a JSON file path, else from the scenario store by name."""
    from src.engine.scenario import Scenario

    path = Path(value)
    if path.suffix.lower() == ".json" or path.exists():
        if not path.exists():
            msg = f"scenario file {path} not found"
            raise ValueError(msg)
        return Scenario.from_json(path.read_text(encoding="utf-8"))
    from src.briefing.scenarios import as_scenario

    try:
        from src.store.scenarios import load_scenario
    except ImportError:
        msg = f"scenario {value!r}: no such file, and no scenario store is available"
        raise ValueError(msg) from None
    return as_scenario(load_scenario(value), value)


def _budgets(dataset: str) -> Any:
    """The budgets table of the bundled data; None for an imported dataset."""
    from src.cli.options import BUNDLED

    if dataset != BUNDLED:
        return None
    from src.portfolio.load import load_bundled_side_tables

    return load_bundled_side_tables().budgets


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the pack; returns the exit code."""
    from src.briefing import SECTIONS, build_pack, to_pdf, to_pptx
    from src.briefing.scenarios import run_scenario
    from src.cli.options import check_values, filters_from_args, load_portfolio

    out = Path(args.out)
    writer = {".pptx": to_pptx, ".pdf": to_pdf}.get(out.suffix.lower())
    if writer is None:
        msg = f"--out {out}: the file name must end in .pptx or .pdf"
        raise ValueError(msg)
    spec = filters_from_args(args)
    started = time.perf_counter()
    scenarios = [load_scenario_arg(v) for v in args.scenario]
    df, meta = load_portfolio(args.dataset)
    check_values(spec, df)
    selection = spec.apply(df)
    results = []
    if scenarios and selection.empty:
        msg = "no projects match these filters: scenarios cannot be simulated"
        raise ValueError(msg)
    for scenario in scenarios:
        results.append(
            run_scenario(
                selection,
                scenario,
                as_of=meta.as_of,
                trials=args.trials,
                filters=spec,
            )
        )
    pack = build_pack(
        df,
        meta,
        spec,
        lang=args.lang,
        sections=tuple(args.section) or SECTIONS,
        scenarios=results,
        title=args.title,
        budgets=_budgets(args.dataset),
    )
    out.write_bytes(writer(pack))
    seconds = time.perf_counter() - started
    print(f"wrote {out} ({len(pack.slides)} slides, {seconds:.1f} s)")
    return 0
