"""What grew between two tracemalloc snapshots of a probed server.

Run: .venv/bin/python benchmarks/trace_diff.py OLD.pickle NEW.pickle
     [--by filename|lineno|traceback] [--top 25]

The snapshots are those `bench_load.py --probe DIR --tracemalloc FRAMES`
writes (benchmarks/serve_probed.py: DIR/<config>/trace-<pid>-<n>.pickle, one
per sample). Prints the total traced memory of each, then the allocation
sites whose size grew most (tracemalloc's `compare_to`), with their counts.
"""

from __future__ import annotations

import argparse
import tracemalloc
from pathlib import Path

IGNORED = (tracemalloc.Filter(False, tracemalloc.__file__),)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument(
        "--by", choices=["filename", "lineno", "traceback"], default="lineno"
    )
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    old = tracemalloc.Snapshot.load(str(args.old)).filter_traces(IGNORED)
    new = tracemalloc.Snapshot.load(str(args.new)).filter_traces(IGNORED)
    for name, snap in (("old", old), ("new", new)):
        total = sum(s.size for s in snap.statistics("filename"))
        print(f"{name}: {total / 2**20:.1f} MiB traced")
    for stat in new.compare_to(old, args.by)[: args.top]:
        print(
            f"{stat.size_diff / 2**20:+8.2f} MiB {stat.count_diff:+8d} blocks "
            f"(now {stat.size / 2**20:7.2f} MiB)  {stat.traceback[-1]}"
        )
        if args.by == "traceback":
            for frame in list(stat.traceback)[-2::-1][:7]:
                print(f"{'':40}{frame}")


if __name__ == "__main__":
    main()
