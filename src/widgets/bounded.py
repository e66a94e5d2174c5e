"""Simulations within the page's limits: a refusal or a timeout is a message.

Every simulation a page starts (the baseline and scenario runs, the drivers'
tornado, the assumption runs) goes through `bounded`: one time limit
(`Settings.run_timeout_s`, APP_RUN_TIMEOUT_S) for all the runs of one call, a
closed or rerun session stopping them between chunks (`session_check`),
and the engine's size limit (rows × trials per run). Past a limit the user
reads what to change (fewer trials, a smaller selection), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from src.engine.levers import TargetMissingError
from src.engine.work_limits import Check, Deadline, RunSizeError, RunTimeoutError
from src.i18n import format_number
from src.settings import Settings
from src.widgets import state
from src.widgets.i18n import current_lang, md_escape, t

T = TypeVar("T")


def bounded(compute: Callable[[Check], T]) -> T | None:
    """`compute(check)` under the limits, or None once its message is shown.

    Args:
        compute: runs the simulations, passing `check` to each of them.
    """
    check = session_check(Settings.from_env().run_timeout_s)
    try:
        return compute(check)
    except RunTimeoutError as exc:
        lang = current_lang()
        st.error(
            t(
                "scen.timeout",
                seconds=format_number(exc.seconds, lang, 0 if exc.seconds >= 1 else 3),
                trials=t("scen.n_trials", n=exc.trials),
                fits=t("scen.n_trials", n=exc.fits),
            ),
            icon=":material/timer_off:",
        )
    except ValueError as exc:
        # The engine refuses what it cannot do (a run over the size limit, a
        # lever on a target no row has): say why, never a traceback.
        st.error(
            t("scen.cannot_run", reason=refusal_text(exc)), icon=":material/block:"
        )
    return None


def refusal_text(exc: ValueError) -> str:
    """Why the engine refused a run, in the UI language (Markdown-escaped)."""
    lang = current_lang()
    if isinstance(exc, RunSizeError):
        return t(
            "scen.too_big",
            rows=format_number(exc.rows, lang),
            trials=format_number(exc.trials, lang),
            limit=format_number(exc.limit, lang),
            fits=format_number(exc.fits, lang),
        )
    if isinstance(exc, TargetMissingError):
        values = ", ".join(v for vs in exc.missing.values() for v in vs)
        return t("scen.target_missing", lever=exc.lever, values=md_escape(values))
    return md_escape(str(exc))  # engine text (English) of a rarer refusal


def session_check(seconds: float) -> Check:
    """A between-chunks check: the time limit, and the session's yield point.

    Reading session state is where Streamlit raises its stop or rerun
    exception in the script thread (a closed tab, a moved slider), so a run
    whose session ended stops after at most one more chunk instead of
    computing on; a run past `seconds` raises `RunTimeoutError`.
    """
    deadline = Deadline(seconds)

    def check(done: int, trials: int) -> None:
        st.session_state.get(state.LANG)  # a yield point (stop/rerun raise here)
        deadline(done, trials)

    return check
