"""`python dashboard.py` with a memory probe: what a loaded server holds, over time.

Run: APP_BENCH_PROBE=DIR [APP_BENCH_PROBE_EVERY=60] [APP_BENCH_TRACEMALLOC=FRAMES]
     .venv/bin/python benchmarks/serve_probed.py [streamlit options]

A benchmark-only launcher (`bench_load.py --probe DIR` starts the servers with
it); the app's own code path (`dashboard.py`) has no probe. Every
APP_BENCH_PROBE_EVERY seconds, and once more on SIGUSR1, a thread appends one
JSON line to DIR/probe-<pid>.jsonl:

* ``rss_mib``; glibc's heap (``mallinfo2``: bytes in use, free in the heap);
* the resident memory by kind of mapping (``/proc/self/smaps``): glibc's main
  heap, anonymous mappings (other malloc arenas, blocks mapped on their own,
  Python's object arenas, pyarrow's jemalloc pool, thread stacks), files;
* Python's object allocator (``sys.getallocatedblocks``) and pyarrow's pool
  (backend, bytes allocated, its peak) when pyarrow is loaded;
* Streamlit's sessions: active (a websocket open) and stored (closed, kept for
  a reconnect: `MemorySessionStorage`, at most 128 for 2 minutes);
* every ``st.cache_data`` / ``st.cache_resource`` cache: entries, its bound
  (max_entries), bytes (cache_data: the pickled values; cache_resource: each
  value's deep size, `pympler.asizeof` vendored by Streamlit) and the largest
  entry;
* media files (download buttons) and lazy dataframe sources held;
* the collector: ``gc.get_count()``, ``len(gc.garbage)``, collections per
  generation, and threads alive;
* with APP_BENCH_TRACEMALLOC=FRAMES: Python's traced bytes, and a snapshot
  file DIR/trace-<pid>-<n>.pickle (compare two with `tracemalloc`).

On SIGUSR1 (sent by bench_load at the end of the load) the line is followed by
two more: after ``gc.collect()`` and after glibc's ``malloc_trim(0)``, each
with its RSS: what was unreachable cycles, and what was free heap not given
back to the system.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src.widgets.heap import glibc  # noqa: E402

ENV_DIR, ENV_EVERY, ENV_TRACE = (
    "APP_BENCH_PROBE",
    "APP_BENCH_PROBE_EVERY",
    "APP_BENCH_TRACEMALLOC",
)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def heap(libc: ctypes.CDLL | None) -> dict[str, float]:
    """glibc's heap: MiB in use by malloc's callers, MiB free but kept."""
    if libc is None or not hasattr(libc, "mallinfo2"):
        return {}
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    mib = 1024 * 1024
    return {
        "heap_used_mib": (info.uordblks + info.hblkhd) / mib,
        "heap_free_mib": info.fordblks / mib,
        "heap_arena_mib": info.arena / mib,
    }


def mappings() -> dict[str, float]:
    """Resident MiB per kind of mapping: [heap], anonymous, file, other."""
    rss: dict[str, float] = {"heap": 0.0, "anon": 0.0, "file": 0.0, "other": 0.0}
    kind = "other"
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split(maxsplit=6)
        if len(head) >= 5 and "-" in head[0] and not head[0].endswith(":"):
            name = head[5] if len(head) > 5 else ""
            kind = (
                "heap"
                if name == "[heap]"
                else "anon"
                if not name
                else "file"
                if name.startswith("/")
                else "other"
            )
        elif head and head[0] == "Rss:":
            rss[kind] += int(head[1]) / 1024
    return {f"map_{k}_mib": round(v, 1) for k, v in rss.items()}


def allocators() -> dict[str, object]:
    """Python's allocated blocks; pyarrow's pool if pyarrow is imported."""
    row: dict[str, object] = {"py_blocks": sys.getallocatedblocks()}
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pool = pa.default_memory_pool()
        row.update(
            arrow_backend=pool.backend_name,
            arrow_mib=pool.bytes_allocated() / 2**20,
            arrow_peak_mib=pool.max_memory() / 2**20,
        )
    return row


def sessions() -> dict[str, int]:
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return {}
    mgr = Runtime.instance()._session_mgr  # noqa: SLF001 - a probe reads internals
    stored = getattr(getattr(mgr, "_session_storage", None), "_cache", {})
    return {
        "sessions_active": len(getattr(mgr, "_active_session_info_by_id", {})),
        "sessions_stored": len(stored),
    }


def _deep_size(value: object) -> int:
    from streamlit.runtime.stats import safe_sizeof

    return safe_sizeof(value)


def caches() -> list[dict[str, object]]:
    """Each cache: kind, function, entries, bound, bytes, largest entry."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    out: list[dict[str, object]] = []
    data = cache_data_api._data_caches  # noqa: SLF001
    with data._caches_lock:  # noqa: SLF001
        data_caches = [c for cs in data._function_caches.values() for c in cs.values()]  # noqa: SLF001
    for cache in data_caches:
        storage = cache.storage
        mem = getattr(storage, "_mem_cache", None)
        if mem is None:
            continue
        with storage._mem_cache_lock:  # noqa: SLF001
            sizes = [len(v) for v in mem.values()]
        out.append(_row("data", cache.display_name, cache.max_entries, sizes))
    res = cache_resource_api._resource_caches  # noqa: SLF001
    with res._caches_lock:  # noqa: SLF001
        res_caches = [c for cs in res._function_caches.values() for c in cs.values()]  # noqa: SLF001
    for cache in res_caches:
        with cache._mem_cache_lock:  # noqa: SLF001
            values = [r.value for r in cache._mem_cache.values()]  # noqa: SLF001
        sizes = [_deep_size(v) for v in values]
        out.append(_row("resource", cache.display_name, cache.max_entries, sizes))
    return out


def _row(kind: str, name: str, bound: object, sizes: list[int]) -> dict[str, object]:
    bound = None if bound is None or bound == float("inf") else int(bound)
    return {
        "kind": kind,
        "name": name,
        "entries": len(sizes),
        "max_entries": bound,
        "bytes": sum(sizes),
        "largest": max(sizes, default=0),
    }


def streamlit_stores() -> dict[str, int]:
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return {}
    rt = Runtime.instance()
    media = rt.media_file_mgr
    storage = getattr(media, "_storage", None)
    files = getattr(storage, "_files_by_id", {})
    return {
        "media_files": len(files),
        "media_bytes": sum(len(getattr(f, "content", b"")) for f in [*files.values()]),
        "media_deferred": len(getattr(media, "_deferred_callables", {})),
        "dataframe_sources": rt.dataframe_source_mgr.get_source_count(),
    }


def collector() -> dict[str, object]:
    # No gc.get_objects(): the list would hold references to tuples other
    # threads are still resizing, and their _PyTuple_Resize fails (SystemError
    # shown in the app: seen in a probed load run).
    return {
        "gc_count": gc.get_count(),
        "gc_garbage": len(gc.garbage),
        "gc_collections": [s["collections"] for s in gc.get_stats()],
        "threads": threading.active_count(),
    }


class Probe:
    def __init__(self, folder: Path, every: float, frames: int) -> None:
        self.folder, self.every, self.frames = folder, every, frames
        self.path = folder / f"probe-{os.getpid()}.jsonl"
        self.libc = glibc()
        self.n = 0
        self.started = time.monotonic()
        self.lock = threading.RLock()  # final() holds it through sample()
        self.finished = False  # after the final lines, no more ticks

    def line(self, event: str) -> dict[str, object]:
        row: dict[str, object] = {
            "t": round(time.monotonic() - self.started, 1),
            "event": event,
            "rss_mib": rss_mib(),
            **heap(self.libc),
        }
        if tracemalloc.is_tracing():
            row["traced_mib"] = tracemalloc.get_traced_memory()[0] / 2**20
        return row

    def write(self, row: dict[str, object]) -> None:
        with self.path.open("a") as f:
            f.write(json.dumps(row) + "\n")

    def sample(self, event: str = "tick") -> None:
        with self.lock:
            if self.finished:
                return
            self.n += 1
            row = self.line(event)
            for part in (
                mappings,
                allocators,
                sessions,
                streamlit_stores,
                caches,
                collector,
            ):
                try:
                    value = part()
                except Exception as exc:  # noqa: BLE001 - a probe never stops the app
                    value = {f"{part.__name__}_error": repr(exc)}
                row.update(value if isinstance(value, dict) else {part.__name__: value})
            if tracemalloc.is_tracing():
                snap = tracemalloc.take_snapshot()
                snap.dump(str(self.folder / f"trace-{os.getpid()}-{self.n:03d}.pickle"))
            self.write(row)

    def final(self) -> None:
        """A sample, then RSS after a full collection and after malloc_trim."""
        with self.lock:
            self.sample("end")
            freed = gc.collect()
            row = self.line("after gc.collect")
            row["collected"] = freed
            self.write(row)
            if self.libc is not None and hasattr(self.libc, "malloc_trim"):
                self.libc.malloc_trim(0)
                self.write(self.line("after malloc_trim"))
            self.finished = True

    def run(self) -> None:
        while True:
            time.sleep(self.every)
            self.sample()


def install() -> Probe | None:
    folder = os.environ.get(ENV_DIR)
    if not folder:
        return None
    frames = int(os.environ.get(ENV_TRACE) or 0)
    if frames:
        tracemalloc.start(frames)
    probe = Probe(Path(folder), float(os.environ.get(ENV_EVERY) or 60), frames)
    probe.folder.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=probe.run, name="memory-probe", daemon=True).start()
    signal.signal(
        signal.SIGUSR1,
        lambda *_: threading.Thread(target=probe.final, daemon=True).start(),
    )
    return probe


def main() -> None:
    install()
    from src.widgets import routing

    routing.serve(sys.argv[1:])


if __name__ == "__main__":
    main()
