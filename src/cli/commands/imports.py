"""The `import` and `datasets` subcommands of `python -m src.cli`.

`import FILE... [--name NAME] [--json]` validates the files exactly as the data
page does (the same steps and rules, src/portfolio/imports/), prints the report,
stores the accepted rows as a dataset and exits 1 when nothing could be
accepted, or when a file was cut off (truncated XML) and `--accept-partial` was
not given: the Data page asks for the same explicit accept.
`datasets [--json]` lists the stored datasets.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

from src.portfolio.imports import ImportReport, import_files
from src.problems import problem_text
from src.store.datasets import store_import

ORDER = 70


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `import` and `datasets` to the CLI's subparsers."""
    p = subparsers.add_parser("import", help="validate files and store a dataset")
    p.add_argument("files", nargs="+", help="IATI .xml, .csv or .xlsx files")
    p.add_argument("--name", help="dataset name (default: the first file's name)")
    p.add_argument("--as-of", help="data date yyyy-mm-dd (default: from the data)")
    p.add_argument("--replace", action="store_true", help="overwrite a dataset")
    p.add_argument("--dry-run", action="store_true", help="validate only")
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help="store the complete activities of a cut-off (truncated) file",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_import)
    p = subparsers.add_parser("datasets", help="list the imported datasets")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_datasets)


def report_dict(report: ImportReport) -> dict[str, object]:
    """The report as JSON-able data: counts, files and problems (English text).

    Each file has its refusal reason as ``error`` ("" when it was read); each
    problem has its ``message`` besides its key and params.
    """
    return {
        "read": report.read,
        "accepted": report.accepted,
        "rejected": report.rejected_count,
        "rows": len(report.table),
        "data_date": report.as_of.isoformat(),
        "files": [{**asdict(f), "error": report.file_error(f)} for f in report.files],
        "problems": [
            {
                "file": p.file,
                "row": p.row,
                "item": p.item,
                "column": p.field,
                "message": problem_text(p, "en"),
                "severity": p.severity,
                "key": p.key,
                "params": dict(p.params),
            }
            for p in report.problems
        ],
    }


def cmd_import(args: argparse.Namespace) -> int:
    """Validate, print the report, store the dataset; 1 when nothing is accepted."""
    from src.store.datasets import check_name

    paths = [Path(f) for f in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        msg = f"file(s) not found: {', '.join(missing)}"
        raise ValueError(msg)
    name = check_name(args.name or paths[0].stem)
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    report = import_files(paths, as_of=as_of)
    data = report_dict(report)
    partial = [f.name for f in report.partial_files]
    refused = bool(partial) and not args.accept_partial
    stored = report.accepted > 0 and not args.dry_run and not refused
    if stored:
        store_import(report, name, replace=args.replace)
    data["dataset"] = name if stored else None
    data["partial_files"] = partial
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        _print_text(report, name if stored else None, partial if refused else [])
    return 0 if report.accepted and not refused else 1


def _print_text(report: ImportReport, stored: str | None, partial: list[str]) -> None:
    for f in report.files:
        error = report.file_error(f)
        state = f"refused: {error}" if error and not f.accepted else ""
        print(
            f"{f.name} ({f.kind or '?'}, {f.size:,} bytes"
            f"{', ' + f.encoding if f.encoding else ''}): read {f.read:,}, "
            f"accepted {f.accepted:,}, rejected {f.rejected:,} {state}".rstrip()
        )
    print(
        f"total: read {report.read:,}, accepted {report.accepted:,}, rejected "
        f"{report.rejected_count:,}; {len(report.table):,} rows; "
        f"data date {report.as_of.isoformat()}"
    )
    for p in report.problems:
        message = problem_text(p, "en")
        text = message if message.startswith(p.file) else f"{p.file}: {message}"
        print(f"  {p.severity:<7} {text}")
    if stored:
        print(f"stored as dataset {stored!r} (open the app with ?dataset={stored})")
    elif partial:
        print(
            f"not stored: {', '.join(partial)} cut off before the end; rerun "
            "with --accept-partial to store the complete activities read"
        )
    else:
        print("nothing stored")


def cmd_datasets(args: argparse.Namespace) -> int:
    """List the stored datasets."""
    from src.store.datasets import list_datasets
    from src.store.db import check_store

    fault = check_store()
    if fault is not None:
        raise fault
    items = list_datasets()
    if args.json:
        print(json.dumps([asdict(d) for d in items], indent=2, default=str))
        return 0
    if not items:
        print("no imported datasets (the bundled dataset is always available)")
    for d in items:
        files = ", ".join(str(f.get("name")) for f in d.provenance.get("files", []))
        print(
            f"{d.name:<30} {d.rows:>7,} rows  data date {d.data_date}  "
            f"imported {d.created:%Y-%m-%d %H:%M}  files: {files}"
        )
    return 0
