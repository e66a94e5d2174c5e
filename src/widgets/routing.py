"""The one shim for Streamlit's legacy `pages/` folder (Streamlit 1.67).

Why: Streamlit decides, when it creates a session, whether the app is a "v1"
multipage app. `PagesManager.uses_pages_directory` is set from the mere
existence of a `pages/` folder next to the entry script, and while it is True
Streamlit's own router runs a page file *instead of* `dashboard.py`: a fresh
server whose first request is a page URL (a shared link to /scenarios) would
draw that page without the sidebar, the filters or our navigation. Only
`st.navigation` clears the flag, which is too late for that first request, and
AppTest resets it before every run.

Our `pages/` folder holds the `st.navigation` pages listed in `dashboard.py`,
not v1 pages. `ignore_pages_folder()` tells Streamlit so, once per process and
before the first session: every `PagesManager` created afterwards reports what
`st.navigation` itself sets (no v1 folder). It is installed by:

* `python dashboard.py [streamlit options]` (`make run`, the browser tests):
  `serve()` installs it, then starts the server in the same process;
* `import dashboard` (the page tests' conftest) and every run of `dashboard.py`.

A server started with plain `streamlit run dashboard.py` has no hook before its
first session; if that session opens on a page URL, Streamlit runs the page
alone, once, and the page's `frame.context()` calls `run_entry_script_instead()`,
which draws the run through `dashboard.py` (same run, no rerun).

Nothing else in the app or the tests touches Streamlit's routing. Delete this
module when Streamlit stops inferring v1 mode from the folder's existence.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import runpy
import sys
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

ENTRY_SCRIPT = Path(__file__).resolve().parents[2] / "dashboard.py"


def ignore_pages_folder() -> None:
    """Make Streamlit treat `pages/` as st.navigation pages (idempotent)."""
    init = PagesManager.__init__
    if getattr(init, "ignores_pages_folder", False):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):  # noqa: N807 (it replaces __init__)
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    __init__.ignores_pages_folder = True  # type: ignore[attr-defined]
    PagesManager.__init__ = __init__  # type: ignore[method-assign]
    PagesManager.uses_pages_directory = False


# What a server imports before it answers: the layers below the UI (no
# Streamlit in them, so nothing binds to a runtime that does not exist yet) and
# the chart libraries. The briefing writers (pptx, fpdf2, vl-convert: about
# 45 MiB) load when a pack is first made; Alembic only when a store needs a
# migration (src/store/migrate.py).
PRELOADED = ("src.i18n", "src.iati", "src.portfolio", "src.engine", "src.store")
PRELOADED_LIBRARIES = ("altair", "pydeck")


def preload() -> list[str]:
    """Import `PRELOADED` (every module of those packages) and the chart libraries.

    Returns the module names imported. A server started with `python
    dashboard.py` calls it before it listens, so a shared link opened on a
    fresh server does not wait for these imports (about 1-4 s on two cores),
    and the health check answers only once the server can serve at speed.
    """
    names = list(PRELOADED_LIBRARIES)
    for package in PRELOADED:
        root = importlib.import_module(package)
        names.append(package)
        names += [
            module.name
            for module in pkgutil.walk_packages(root.__path__, package + ".")
            if not module.name.endswith("__main__") and ".migrations" not in module.name
        ]
    for name in names:
        importlib.import_module(name)
    return names


def serve(options: list[str]) -> NoReturn:
    """Install the shim, preload, then run `streamlit run dashboard.py *options`.

    First of all, glibc's allocator is set for a long-running server with many
    threads (`heap.limit_fragmentation`), before any thread starts; after the
    preload, full garbage collections run periodically (`heap.collect_periodically`).
    """
    from streamlit.web import cli

    from src.widgets.heap import collect_periodically, limit_fragmentation

    limit_fragmentation()
    ignore_pages_folder()
    preload()
    collect_periodically()
    sys.argv = ["streamlit", "run", str(ENTRY_SCRIPT), *options]
    sys.exit(cli.main())


def run_entry_script_instead() -> NoReturn:
    """Draw this run through `dashboard.py`: Streamlit ran a page file alone."""
    ignore_pages_folder()
    runpy.run_path(str(ENTRY_SCRIPT), run_name="__main__")
    st.stop()
