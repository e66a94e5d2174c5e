"""A simulated user that speaks Streamlit's own protocol instead of driving a browser.

What a browser tab does, minus the drawing (the way locust drives HTTP): fetch
the page and `/_stcore/health` and `/_stcore/host-config`, open the websocket
`/_stcore/stream` (subprotocol ``streamlit``), send a ``BackMsg.rerun_script``
(a `ClientState`: query string, page name or page script hash, widget states,
context: locale and timezone), then read `ForwardMsg`s until the run's
``script_finished``. A widget is changed as the browser changes it: its id is
taken from the deltas the session received (`user_key_from_element_id` gives
the key the app gave it, from `src.widgets.state`), its new value goes into the
widget states of the next ``rerun_script``, with the widget's fragment id when
it sits in an ``st.fragment`` (a fragment rerun, as in the browser). Every
widget value this session set is sent again with each rerun (the browser sends
them all); a button's trigger only once. The query string follows the
``page_info_changed`` messages, as the browser's address bar does.

Like the browser, the session keeps the messages the server marks cacheable
(elements of 10 kB or more) and lists their hashes in each ``rerun_script``;
the server then sends a reference (``ref_hash``) instead of an unchanged
element, and the session reads it from its cache. Not done (the server's work
does not depend on it): no static JavaScript downloads, no media fetches, no
expiry of cached messages (a session lasts one page here).

A rerun's time runs from sending the ``BackMsg`` to the ``script_finished`` of
a complete run (a run stopped early by ``st.rerun`` does not count as the end).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.common import user_key_from_element_id
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from src.i18n import translate
from src.widgets import state
from src.widgets.i18n import md_escape

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
LANG = "en"  # the session's language: ContextInfo.locale, and the texts checked
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ProtocolError(RuntimeError):
    """The app answered wrongly: an exception shown, no run end, a missing widget."""


@dataclass
class Widget:
    """A widget as last drawn: its element id, fragment and element message."""

    id: str
    fragment_id: str
    element: Any  # the element's proto (Slider, MultiSelect, …) or TabContainer


@dataclass
class Run:
    """What one script run sent, until its end."""

    started: float = field(default_factory=time.perf_counter)
    done: asyncio.Future = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (format, body)
    exceptions: list[str] = field(default_factory=list)
    metrics: int = 0
    bytes: int = 0

    @property
    def seconds(self) -> float:
        """From sending the rerun request to the run's end."""
        return self.done.result()


class Session:
    """One browser tab on one page of the app: a websocket session.

    Args:
        base: the server's URL (``http://127.0.0.1:PORT``).
        page: the page's URL path ("" for the default page, e.g. "scenarios").
        query: the URL's query string without "?".
    """

    def __init__(self, base: str, page: str = "", query: str = "") -> None:
        self.base, self.page, self.query = base, page, query
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}  # user key -> widget
        self.values: dict[str, WidgetState] = {}  # widget id -> value set here
        self.cache: dict[str, ForwardMsg] = {}  # hash -> cacheable message
        self.run: Run | None = None
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def open(self, timeout: float) -> Run:
        """Load the page as a browser does; return its first complete run."""
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            await asyncio.to_thread(_get, self.base + path, timeout)
        self._ws = await connect(
            "ws" + self.base.removeprefix("http") + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.base,
            max_size=None,  # a map or a table is one message of several MB
            proxy=None,
            ping_interval=None,  # a browser sends no pings, it answers them
            open_timeout=timeout,
        )
        self._reader = asyncio.create_task(self._read())
        return await self.rerun(timeout, page_name=self.page)

    async def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def rerun(
        self, timeout: float, *, fragment_id: str = "", page_name: str = ""
    ) -> Run:
        """Send ``rerun_script`` with this session's state; wait for the run's end."""
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query
        client.page_script_hash = self.page_hash
        client.page_name = page_name
        client.fragment_id = fragment_id
        client.context_info.locale = "en-US"
        client.context_info.timezone = "UTC"
        client.context_info.timezone_offset = 0
        client.widget_states.widgets.extend(self.values.values())
        client.cached_message_hashes.extend(self.cache)
        self.run = run = Run()
        await self._ws.send(msg.SerializeToString())
        # The browser resets a trigger (a button press) once it has been sent.
        self.values = {
            k: v
            for k, v in self.values.items()
            if v.WhichOneof("value") != "trigger_value"
        }
        try:
            await asyncio.wait_for(asyncio.shield(run.done), timeout)
        except TimeoutError:
            raise ProtocolError(f"the run did not end in {timeout:.0f} s") from None
        if run.exceptions:
            raise ProtocolError(f"an exception is shown: {run.exceptions[0]}")
        return run

    def widget(self, key: str) -> Widget:
        try:
            return self.widgets[key]
        except KeyError:
            raise ProtocolError(f"no widget with key {key!r} on the page") from None

    async def set(self, key: str, timeout: float, **value: Any) -> Run:
        """Give the widget `key` a value (one WidgetState field) and rerun."""
        widget = self.widget(key)
        ws = WidgetState(id=widget.id)
        ((name, val),) = value.items()
        if name.endswith("_array_value"):
            getattr(ws, name).data.extend(val)
        else:
            setattr(ws, name, val)
        self.values[widget.id] = ws
        return await self.rerun(timeout, fragment_id=widget.fragment_id)

    def current(self, key: str) -> list:
        """The widget's value as the browser holds it (set here, sent, or default)."""
        widget = self.widget(key)
        if widget.id in self.values:
            ws = self.values[widget.id]
            return list(getattr(ws, ws.WhichOneof("value")).data)
        el = widget.element
        if "raw_values" in el.DESCRIPTOR.fields_by_name:  # multiselect
            if el.set_value:
                return list(el.raw_values)
            return [el.options[i] for i in el.default]
        return list(el.value if el.set_value else el.default)  # slider

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                self._handle(ForwardMsg.FromString(raw), len(raw))
        except Exception as exc:  # noqa: BLE001 - reported as the run's failure
            reason = exc
        else:
            reason = ProtocolError("the server closed the websocket")
        if self.run is not None and not self.run.done.done():
            self.run.done.set_exception(ProtocolError(f"connection lost: {reason}"))

    def _handle(self, msg: ForwardMsg, size: int) -> None:
        run = self.run
        if run is not None:
            run.bytes += size
        if msg.WhichOneof("type") == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                if run is not None:
                    run.exceptions.append(f"unknown cached message {msg.ref_hash}")
                return
            msg = cached
        elif msg.metadata.cacheable:
            self.cache[msg.hash] = msg
        kind = msg.WhichOneof("type")
        if kind == "delta":
            self._delta(msg.delta, run)
        elif kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found" and run is not None:
            run.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "script_finished" and run is not None and not run.done.done():
            status = msg.script_finished
            if status in DONE:
                run.done.set_result(time.perf_counter() - run.started)
            elif status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.exceptions.append("the script did not compile")
                run.done.set_result(time.perf_counter() - run.started)

    def _delta(self, delta: Any, run: Run | None) -> None:
        if delta.WhichOneof("type") == "add_block":
            if delta.add_block.HasField("tab_container"):
                tabs = delta.add_block.tab_container
                self._widget(tabs.id, delta.fragment_id, tabs)
            return
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind is None:
            return
        sub = getattr(el, kind)
        if run is not None:
            if kind == "exception":
                run.exceptions.append(f"{sub.type}: {sub.message}")
            elif kind == "alert":
                run.alerts.append((sub.format, sub.body))
            elif kind == "metric":
                run.metrics += 1
        if "id" in sub.DESCRIPTOR.fields_by_name and sub.id:
            self._widget(sub.id, delta.fragment_id, sub)

    def _widget(self, element_id: str, fragment_id: str, element: Any) -> None:
        key = user_key_from_element_id(element_id)
        if key is not None:
            self.widgets[key] = Widget(element_id, fragment_id, element)


def _get(url: str, timeout: float) -> None:
    with _NO_PROXY.open(url, timeout=timeout) as resp:
        resp.read()


class ProtocolUser:
    """One user's tab; `steps(n)` gives round `n`'s steps.

    Round `n`: open the overview (a new session), add a sector to its filter,
    open Scenarios with a one-lever scenario (a new session), move the lever one
    step (down in odd rounds, up in even ones), save under ``load-<uid>-<n>``.
    """

    ERRORS = (ProtocolError, WebSocketException, OSError, TimeoutError)

    def __init__(self, base: str, uid: int, token: str, timeout: float):
        self.base, self.uid, self.token, self.timeout = base, uid, token, timeout
        self.n = 0
        self.session: Session | None = None
        self.saved: list[str] = []

    async def __aenter__(self) -> ProtocolUser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def steps(self, n: int) -> dict[str, Callable[[], Awaitable[float]]]:
        self.n = n
        return {
            "open overview": self.open_overview,
            "filter change": self.change_filter,
            "open scenarios": self.open_scenarios,
            "lever move": self.move_lever,
            "save": self.save,
        }

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def _open(self, page: str, query: str) -> float:
        await self.close()  # a new page load: the old tab's session ends
        start = time.perf_counter()
        self.session = Session(self.base, page, query)
        run = await self.session.open(self.timeout)
        if not run.metrics:
            raise ProtocolError(f"no KPI shown on /{page}")
        return time.perf_counter() - start

    async def open_overview(self) -> float:
        return await self._open("", "")

    async def change_filter(self) -> float:
        s = self.session
        options = list(s.widget(state.FILTER_SECTORS).element.options)
        chosen = s.current(state.FILTER_SECTORS)
        pick = [o for o in options if o not in chosen]
        if not pick:
            raise ProtocolError("no sector left to choose")
        new = [*chosen, pick[(self.uid + self.n) % len(pick)]]
        run = await s.set(state.FILTER_SECTORS, self.timeout, string_array_value=new)
        if f"{state.URL_MULTI[state.FILTER_SECTORS]}=" not in s.query:
            raise ProtocolError("the sector filter is not in the page's link")
        return run.seconds

    async def open_scenarios(self) -> float:
        return await self._open("scenarios", f"{state.URL_SCENARIO}={self.token}")

    async def move_lever(self) -> float:
        s = self.session
        key = state.lever_key(0, "change")
        slider = s.widget(key).element
        (value,) = s.current(key)
        step = -slider.step if self.n % 2 else slider.step
        new = min(max(value + step, slider.min), slider.max)
        run = await s.set(key, self.timeout, double_array_value=[new])
        return run.seconds

    async def save(self) -> float:
        s = self.session
        name = f"load-{self.uid:02d}-{self.n:03d}"
        await s.set(state.SCEN_TABS, self.timeout, string_value=_t("scen.tab.save"))
        await s.set(state.SCEN_NAME, self.timeout, string_value=name)
        run = await s.set(state.SCEN_SAVE, self.timeout, trigger_value=True)
        wanted = _t("scen.saved", name=md_escape(name))
        if wanted not in [body for _, body in run.alerts]:
            shown = "; ".join(body for _, body in run.alerts) or "nothing"
            raise ProtocolError(f"save of {name} not confirmed (shown: {shown})")
        self.saved.append(name)
        return run.seconds


def _t(key: str, **kwargs: object) -> str:
    return translate(key, LANG, **kwargs)
