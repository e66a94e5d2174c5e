"""glibc's allocator, set for a long-running app server with many script threads.

Why: Streamlit runs every script run in a thread of its own, so under load a
server's large short-lived buffers (a map's JSON, a pickled cache value, a
protobuf message, pandas' arrays) are malloc'd from up to 8 arenas per core,
and glibc raises its mmap threshold each time such a buffer is freed (up to
32 MiB), after which they come from the arenas' heaps. What is freed there
stays in the process (free in the heap, still resident) wherever a small
live block sits above it. Measured under the load test (20 users, one
server, 2 minutes of warm-up then 10 measured, `bench_load.py --probe`):
glibc's free heap 191 -> 259 MiB while its heap in use stayed at 103-107 MiB,
RSS 496 -> 572 MiB; with these settings 22 -> 34 MiB free, RSS 421 -> 444 MiB
(README, Load test).

`limit_fragmentation()` (called by `routing.serve`, i.e. `python dashboard.py`,
before the server starts its threads) asks glibc, with `mallopt`, for

* at most `ARENAS` arenas (M_ARENA_MAX; glibc's own default is 8 per core),
* a fixed mmap threshold of `MMAP_THRESHOLD` (M_MMAP_THRESHOLD, which also
  turns the dynamic threshold off): a block that large is mapped on its own
  and returned to the system when freed,
* a fixed trim threshold (M_TRIM_THRESHOLD): free memory above that at the
  top of the main heap is returned.

The environment variables glibc reads itself (MALLOC_ARENA_MAX,
MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_) win: a value set there is not
overridden. Not glibc (musl, macOS): nothing is done.

`collect_periodically()` (also started by `routing.serve`, after the preload)
runs a full `gc.collect()` every `Settings.gc_every_s` seconds (60; 0 for
none) in a daemon thread. Streamlit's own full collection after every script
run is off (`runner.postScriptGC = false` in .streamlit/config.toml: it was
68% of a loaded server's CPU), and Python's generational collector reaches
its oldest generation only rarely in a process holding millions of objects,
so reference cycles left by finished runs (frames, exceptions, Altair and
protobuf objects) would pile up between those rare passes. What the preload
built (the bundled portfolio, its side tables) is moved out of the
collector's sight first (`gc.freeze`), so each pass walks only what came
after.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading

from src.settings import Settings, allocator_variables

ARENAS = 2
MMAP_THRESHOLD = 128 * 1024
TRIM_THRESHOLD = 128 * 1024

# mallopt parameters, glibc's malloc.h
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8
SETTINGS = (
    (M_ARENA_MAX, ARENAS, "MALLOC_ARENA_MAX"),
    (M_MMAP_THRESHOLD, MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_"),
    (M_TRIM_THRESHOLD, TRIM_THRESHOLD, "MALLOC_TRIM_THRESHOLD_"),
)


def glibc() -> ctypes.CDLL | None:
    """The C library if it is glibc (it has mallopt), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    is_glibc = hasattr(libc, "mallopt") and hasattr(libc, "gnu_get_libc_version")
    return libc if is_glibc else None


def limit_fragmentation() -> dict[str, int]:
    """Set `SETTINGS` with mallopt; return those set (name -> value)."""
    libc = glibc()
    if libc is None:
        return {}
    done, operator_set = {}, allocator_variables()
    for param, value, env in SETTINGS:
        if env in operator_set:
            continue
        if libc.mallopt(ctypes.c_int(param), ctypes.c_int(value)) == 1:
            done[env] = value
    return done


def collect_periodically(every: float | None = None) -> threading.Event | None:
    """Start the daemon thread of full collections; None if `every` is 0.

    Args:
        every: seconds between two passes (default `Settings.gc_every_s`).

    Returns:
        The event that stops the thread when set (the server never sets it:
        the thread ends with the process).
    """
    every = Settings.from_env().gc_every_s if every is None else every
    if every <= 0:
        return None
    gc.collect()
    gc.freeze()
    done = threading.Event()

    def collect() -> None:
        while not done.wait(every):
            gc.collect()

    threading.Thread(target=collect, name="periodic-gc", daemon=True).start()
    return done
