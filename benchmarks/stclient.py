"""A minimal Streamlit protocol client (from our shared measuring tools, ../shared/tools/
classroom-load/stclient.py, kept here so the benchmark runs from a clean clone): one WebSocket
session at /_stcore/stream, speaking the same protobuf BackMsg/ForwardMsg messages as the
browser, without rendering anything.

What it does like the browser:
  * opens the stream (subprotocol "streamlit", same Origin), sends rerun_script with the page
    hash, query string, context info and the widget states it holds;
  * keeps every widget it has set (sticky values) and sends a button's trigger_value only in the
    rerun of the click; clears widget values on a page change;
  * a widget that arrived inside a fragment is rerun as that fragment (fragment_id);
  * honours auto_rerun / stop_auto_rerun (fragments with run_every, e.g. the job panel's 0.5 s
    poll): a timer sends is_auto_rerun reruns for the fragment. Deviation from the browser: an
    auto rerun is not sent while a user action of this client is in flight, and a user action
    waits (up to 5 s, not timed) for an in-flight auto rerun to finish first, so the two never
    mix in one latency;
  * a user interaction's latency = send -> the ForwardMsg script_finished that ends the run
    (FINISHED_EARLY_FOR_RERUN, i.e. st.rerun()/switch_page, is not the end; the run after is).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_COMPILE = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_FRAGMENT = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY

WIDGET_KINDS = {
    "button",
    "button_group",
    "checkbox",
    "multiselect",
    "number_input",
    "radio",
    "selectbox",
    "slider",
    "text_input",
    "text_area",
    "download_button",
}


@dataclass
class Widget:
    id: str
    kind: str
    proto: Any
    fragment_id: str
    path: tuple[int, ...]

    @property
    def key(self) -> str:
        return self.id.split("-", 2)[-1] if self.id.startswith("$$ID-") else self.id

    @property
    def disabled(self) -> bool:
        return bool(getattr(self.proto, "disabled", False))


@dataclass
class RunResult:
    ok: bool
    latency: float
    status: str  # "ok", "timeout", "exception", "closed", "compile_error"
    page_hash: str = ""
    n_deltas: int = 0
    exceptions: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (format, body)
    texts: list[str] = field(default_factory=list)  # headings/markdown/progress text seen


class StreamlitSession:
    def __init__(self, base: str, *, cookies: dict[str, str] | None = None, name: str = ""):
        self.base = base.rstrip("/")
        self.ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.cookies = cookies or {}
        self.name = name
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, tuple[str, Any]] = {}
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.page_hash = ""
        self.closed = False
        self.close_reason = ""
        # the run being waited for
        self._done: asyncio.Event | None = None
        self._collect: RunResult | None = None
        self._t0 = 0.0
        self._waiting_fragment = False
        # auto reruns (fragments with run_every)
        self.auto: dict[str, float] = {}
        self._auto_tasks: dict[str, asyncio.Task[None]] = {}
        self._auto_inflight: asyncio.Event | None = None
        self._user_busy = False
        self.auto_latencies: list[tuple[float, float, str]] = []  # (t_end, latency, status)
        self._auto_t0 = 0.0
        self.auto_on = True
        self.n_msgs = 0
        self.bytes_in = 0
        self.on_alert: Any = None  # optional callback(format, body)
        self.last_texts: list[str] = []
        self.last_alerts: list[tuple[str, str]] = []
        self.feed: list[tuple[float, str, str]] = []  # (time, "alert:FMT"|"progress", text)

    # ------------------------------------------------------------------ connection
    async def connect(self, timeout: float = 30) -> None:
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await asyncio.wait_for(
            websockets.connect(
                self.ws_url,
                subprotocols=["streamlit"],
                additional_headers=headers,
                max_size=None,
                ping_interval=20,
                ping_timeout=120,
                open_timeout=timeout,
            ),
            timeout,
        )
        self.reader = asyncio.create_task(self._read_loop())

    async def close(self) -> None:
        self.auto_on = False
        for task in self._auto_tasks.values():
            task.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()

    # ------------------------------------------------------------------ receiving
    async def _read_loop(self) -> None:
        try:
            async for data in self.ws:
                self.n_msgs += 1
                self.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:  # noqa: BLE001 - connection closed or broken
            self.close_reason = f"{type(exc).__name__}: {exc}"
        finally:
            self.closed = True
            if self._done is not None:
                self._done.set()
            if self._auto_inflight is not None:
                self._auto_inflight.set()

    def _handle(self, msg: ForwardMsg) -> None:  # noqa: PLR0912, PLR0915 - one protocol switch
        kind = msg.WhichOneof("type")
        res = self._collect
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            if not msg.metadata.run.fragment_ids:  # a full run, not a fragment run
                self.widgets = {}  # the element tree is rebuilt
                # like the browser: a full run drops the auto-rerun timers; a fragment still on
                # the page registers its timer again with a new auto_rerun message
                self.auto.clear()
        elif kind == "navigation":
            for page in msg.navigation.app_pages:
                self.pages[page.url_pathname or "app"] = page.page_script_hash
        elif kind == "delta":
            delta = msg.delta
            if res is not None:
                res.n_deltas += 1
            if delta.WhichOneof("type") == "new_element":
                el = delta.new_element
                ek = el.WhichOneof("type")
                body = getattr(el, ek)
                if ek in WIDGET_KINDS and getattr(body, "id", ""):
                    w = Widget(body.id, ek, body, delta.fragment_id, tuple(msg.metadata.delta_path))
                    self.widgets[body.id] = w
                elif ek == "exception" and res is not None:
                    res.exceptions.append(f"{body.type}: {body.message}"[:300])
                elif ek == "alert":
                    fmt = Alert.Format.Name(body.format)
                    self.feed.append((time.time(), "alert:" + fmt, body.body[:200]))
                    if res is not None:
                        res.alerts.append((fmt, body.body[:200]))
                    if self.on_alert is not None:
                        self.on_alert(fmt, body.body)
                elif ek in ("heading", "markdown") and res is not None:
                    res.texts.append(body.body[:120])
                elif ek == "progress":
                    self.feed.append((time.time(), "progress", f"{body.value} {body.text[:80]}"))
                    if res is not None:
                        res.texts.append(f"[progress {body.value}] {body.text[:80]}")
        elif kind == "auto_rerun":
            fid = msg.auto_rerun.fragment_id
            self.auto[fid] = msg.auto_rerun.interval
            if fid not in self._auto_tasks or self._auto_tasks[fid].done():
                self._auto_tasks[fid] = asyncio.create_task(self._auto_loop(fid))
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self.auto.pop(fid, None)
        elif kind == "script_finished":
            status = msg.script_finished
            if self._auto_inflight is not None and not self._user_busy:
                if status in (FINISHED_FRAGMENT, FINISHED_OK, FINISHED_COMPILE):
                    self.auto_latencies.append(
                        (time.time(), time.perf_counter() - self._auto_t0, "ok")
                    )
                    self._auto_inflight.set()
                    self._auto_inflight = None
                return
            if res is None or self._done is None:
                return
            if status == FINISHED_EARLY:
                return  # st.rerun() / switch_page: the next run is part of this interaction
            if status == FINISHED_FRAGMENT and not self._waiting_fragment:
                return  # a stray fragment run finishing; keep waiting for the full run
            res.latency = time.perf_counter() - self._t0
            res.page_hash = self.page_hash
            if status == FINISHED_COMPILE:
                res.status, res.ok = "compile_error", False
            elif res.exceptions:
                res.status, res.ok = "exception", False
            else:
                res.status, res.ok = "ok", True
            self._done.set()

    # ------------------------------------------------------------------ sending
    def _back_msg(
        self, *, page_hash: str, fragment_id: str, trigger: str | None, auto: bool = False
    ) -> bytes:
        bm = BackMsg()
        cs = bm.rerun_script
        cs.query_string = ""
        cs.page_script_hash = page_hash
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        ci = cs.context_info
        ci.timezone = "Asia/Almaty"
        ci.timezone_offset = -300
        ci.locale = "en-US"
        ci.url = self.base + "/"
        ci.is_embedded = False
        ci.color_scheme = "light"
        for wid, (fname, value) in self.values.items():
            ws = cs.widget_states.widgets.add()
            ws.id = wid
            _set(ws, fname, value)
        if trigger is not None:
            ws = cs.widget_states.widgets.add()
            ws.id = trigger
            ws.trigger_value = True
        return bm.SerializeToString()

    async def _auto_loop(self, fid: str) -> None:
        while self.auto_on and fid in self.auto and not self.closed:
            await asyncio.sleep(self.auto[fid])
            if fid not in self.auto or self.closed or not self.auto_on:
                break
            if self._user_busy or self._auto_inflight is not None:
                continue
            self._auto_inflight = asyncio.Event()
            self._auto_t0 = time.perf_counter()
            try:
                await self.ws.send(
                    self._back_msg(
                        page_hash=self.page_hash, fragment_id=fid, trigger=None, auto=True
                    )
                )
                await asyncio.wait_for(self._auto_inflight.wait(), 60)
            except TimeoutError:
                self.auto_latencies.append((time.time(), 60.0, "timeout"))
                self._auto_inflight = None
            except Exception:  # noqa: BLE001 - the socket went away: stop polling
                self._auto_inflight = None
                break

    async def rerun(
        self,
        *,
        page_hash: str | None = None,
        fragment_id: str = "",
        trigger: str | None = None,
        timeout: float = 60.0,
    ) -> RunResult:
        """One user interaction: send the rerun, wait for the run that ends it."""
        if self.closed:
            return RunResult(False, 0.0, "closed")
        self._user_busy = True
        try:
            if self._auto_inflight is not None:  # let a poll finish first (not timed)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._auto_inflight.wait(), 5)
                self._auto_inflight = None
            res = RunResult(False, 0.0, "timeout")
            self._collect = res
            self._done = asyncio.Event()
            self._waiting_fragment = bool(fragment_id)
            self._t0 = time.perf_counter()
            await self.ws.send(
                self._back_msg(
                    page_hash=self.page_hash if page_hash is None else page_hash,
                    fragment_id=fragment_id,
                    trigger=trigger,
                )
            )
            try:
                await asyncio.wait_for(self._done.wait(), timeout)
            except TimeoutError:
                res.latency = time.perf_counter() - self._t0
                res.status = "timeout"
            if self.closed and res.status == "timeout":
                res.status = "closed"
                res.latency = time.perf_counter() - self._t0
            self.last_texts = list(res.texts)
            self.last_alerts = list(res.alerts)
            return res
        except websockets.ConnectionClosed:
            return RunResult(False, time.perf_counter() - self._t0, "closed")
        finally:
            self._collect = None
            self._done = None
            self._user_busy = False

    # ------------------------------------------------------------------ helpers
    async def open(self, timeout: float = 120.0) -> RunResult:
        """The browser's first rerun after the socket opens."""
        return await self.rerun(page_hash="", timeout=timeout)

    async def goto(self, pathname: str, timeout: float = 60.0) -> RunResult:
        target = self.pages[pathname]
        self.values = {}
        return await self.rerun(page_hash=target, timeout=timeout)

    def find(self, key: str) -> Widget | None:
        """The widget whose user key is ``key`` (ids end with "-<key>")."""
        for w in self.widgets.values():
            if w.key == key or w.id.endswith("-" + key):
                return w
        return None

    def find_prefix(self, prefix: str) -> list[Widget]:
        return [w for w in self.widgets.values() if w.key.startswith(prefix)]

    async def click(self, w: Widget, timeout: float = 60.0) -> RunResult:
        return await self.rerun(trigger=w.id, fragment_id=w.fragment_id, timeout=timeout)

    async def set_value(
        self, w: Widget, value: Any, timeout: float = 60.0, rerun: bool = True
    ) -> RunResult | None:
        fname = value_field(w)
        self.values[w.id] = (fname, value)
        if not rerun:
            return None
        return await self.rerun(fragment_id=w.fragment_id, timeout=timeout)


def value_field(w: Widget) -> str:
    if w.kind in ("text_input", "text_area", "radio", "selectbox"):
        return "string_value"
    if w.kind == "slider":
        return "double_array_value"
    if w.kind in ("button_group", "multiselect"):
        return "string_array_value"
    if w.kind == "checkbox":
        return "bool_value"
    if w.kind == "number_input":
        return "double_value"
    raise ValueError(f"no value field for {w.kind}")


def _set(ws: Any, fname: str, value: Any) -> None:
    if fname == "double_array_value":
        ws.double_array_value.data.extend([float(v) for v in value])
    elif fname == "string_array_value":
        ws.string_array_value.data.extend([str(v) for v in value])
    else:
        setattr(ws, fname, value)


_counter = itertools.count()
