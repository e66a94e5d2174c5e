"""glibc's allocator settings for the app server (src/widgets/heap.py).

Each case runs in a fresh Python process (the allocator's state is per
process): the pattern that kept a loaded server's memory is reproduced with
malloc/free themselves, and the process's resident memory read from /proc.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading
import weakref

import pytest
from streamlit.web import cli

from src.settings import Settings
from src.widgets import heap, routing
from tests.conftest import ROOT

# After one 8 MiB block is freed (glibc then raises its mmap threshold to
# 8 MiB), 128 blocks of 1 MiB are written; every other one is freed (64 MiB),
# the others stay (64 MiB live, between the freed ones). Prints the RSS growth
# (MiB) at the peak and after the frees.
PATTERN = """
import ctypes, json, sys
from pathlib import Path

def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
done = {}
if sys.argv[1] == "tuned":
    from src.widgets.heap import limit_fragmentation
    done = limit_fragmentation()
start = rss()
libc.free(libc.malloc(8 << 20))
blocks = []
for _ in range(128):
    p = libc.malloc(1 << 20)
    ctypes.memset(p, 1, 1 << 20)
    blocks.append(p)
peak = rss()
for p in blocks[::2]:
    libc.free(p)
print(json.dumps({"set": done, "peak": peak - start, "left": rss() - start}))
"""


def _run(mode: str, **env: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PATTERN, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PATH": "/usr/bin:/bin", **env},
    )
    return json.loads(proc.stdout)


def test_untuned_glibc_keeps_freed_big_blocks_resident():
    """The old behaviour (no settings): the 64 MiB freed stay resident."""
    result = _run("plain")
    assert result["peak"] >= 124
    assert result["left"] >= 120


def test_limit_fragmentation_returns_freed_big_blocks():
    """With the settings, the 64 MiB freed are given back: 64 MiB stay (live)."""
    result = _run("tuned")
    assert result["set"] == {
        "MALLOC_ARENA_MAX": 2,
        "MALLOC_MMAP_THRESHOLD_": 128 * 1024,
        "MALLOC_TRIM_THRESHOLD_": 128 * 1024,
    }
    assert result["peak"] >= 124
    assert 60 <= result["left"] < 72


def test_the_environment_wins():
    """MALLOC_MMAP_THRESHOLD_ set by the operator is not overridden."""
    result = _run("tuned", MALLOC_MMAP_THRESHOLD_=str(32 << 20))
    assert "MALLOC_MMAP_THRESHOLD_" not in result["set"]
    assert result["left"] >= 120


def test_serve_sets_the_allocator_before_anything_else(monkeypatch):
    """`python dashboard.py` (routing.serve): settings, preload, then the server."""
    calls = []
    monkeypatch.setattr(heap, "limit_fragmentation", lambda: calls.append("heap"))
    monkeypatch.setattr(routing, "preload", lambda: calls.append("preload"))
    monkeypatch.setattr(heap, "collect_periodically", lambda: calls.append("gc"))
    monkeypatch.setattr(cli, "main", lambda: calls.append("server") or 0)
    monkeypatch.setattr(sys, "argv", ["dashboard.py"])
    with pytest.raises(SystemExit):
        routing.serve(["--server.port", "1"])
    assert calls == ["heap", "preload", "gc", "server"]
    assert sys.argv[-2:] == ["--server.port", "1"]


class _Node:
    """An object in a reference cycle (weakref-able)."""

    def __init__(self) -> None:
        self.me = self


def test_the_periodic_collection_frees_cycles():
    """A cycle made after the start is freed by the thread, not by refcounts.

    The generational collector is disabled meanwhile, so only the thread's
    `gc.collect()` can free it; what existed at the start is frozen.
    """
    gc.disable()
    stop = None
    try:
        stop = heap.collect_periodically(0.05)
        assert gc.get_freeze_count() > 0
        freed = threading.Event()
        node = _Node()
        ref = weakref.ref(node, lambda _: freed.set())
        del node  # a cycle: its refcount never reaches 0
        assert freed.wait(10), "the periodic collection never freed the cycle"
        assert ref() is None
    finally:
        if stop is not None:
            stop.set()
        gc.unfreeze()
        gc.enable()


def test_no_periodic_collection_when_set_to_zero(monkeypatch):
    monkeypatch.setenv("APP_GC_EVERY_S", "0")
    assert heap.collect_periodically() is None
    assert Settings.from_env().gc_every_s == 0
