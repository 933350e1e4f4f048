"""Simulated students for benchmarks/classroom.py: each one is a Streamlit session over the
WebSocket protocol (benchmarks/stclient.py), signing in through the form and then working
through light pages with think time, or starting a training and watching it on its page.

Adapted from our shared load tool (../shared/tools/classroom-load/loadrun.py)."""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from benchmarks.stclient import RunResult, StreamlitSession

# Actions that are not "a click until the page updated" for the latency goals.
NOT_INTERACTIONS = frozenset({"open", "login", "train_wait", "poll"})
SAVE_FAILED = ("could not be saved", "could not finish", "went wrong", "Traceback")


@dataclass
class Action:
    t: float
    user: str
    action: str
    latency: float
    status: str
    step: int
    phase: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Training:
    user: str
    kind: str  # "ml" or "rl"
    t_click: float = 0.0
    t_done: float = 0.0
    error: str = ""


class Run:
    """What all students of one scenario share: the log, the clock, what they submitted."""

    def __init__(self, base: str, seed: int, think: tuple[float, float]) -> None:
        self.base = base
        self.think = think
        self.rng = random.Random(seed)
        self.seed = seed
        self.actions: list[Action] = []
        self.trainings: list[Training] = []
        self.expected: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: list[str] = []
        self.step = 0
        self.phase = "login"
        self.stop_at = float("inf")
        self.sessions: list[StreamlitSession] = []

    def log(self, user: str, action: str, res: RunResult, t0: float, **detail: Any) -> None:
        failed = [b for f, b in res.alerts if f == "ERROR" and any(m in b for m in SAVE_FAILED)]
        if res.exceptions:
            detail["exceptions"] = res.exceptions[:3]
        if failed:
            detail["failed_alerts"] = failed[:2]
        status = "error" if failed and res.status == "ok" else res.status
        self.actions.append(
            Action(t0, user, action, res.latency, status, self.step, self.phase, detail)
        )
        if status != "ok":
            self.errors.append(f"{user} {action} {status} {res.exceptions[:1]} {failed[:1]}")


class Student:
    def __init__(self, run: Run, account: dict[str, Any], index: int, trainer: str | None):
        self.run = run
        self.account = account
        self.user = account["username"]
        self.trainer = trainer
        self.rng = random.Random(run.seed * 1000 + index)
        self.s = StreamlitSession(run.base, name=self.user)

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.run.think))

    async def act(self, action: str, coro: Any, **detail: Any) -> RunResult:
        t0 = time.time()
        res: RunResult = await coro
        self.run.log(self.user, action, res, t0, **detail)
        return res

    def done(self) -> bool:
        return time.time() >= self.run.stop_at or self.s.closed

    async def main(self, ready: asyncio.Event) -> None:
        try:
            await self.s.connect()
        except Exception as exc:  # noqa: BLE001 - a refused connection is a measured failure
            self.run.errors.append(f"{self.user} connect failed: {exc!r}")
            ready.set()
            return
        self.run.sessions.append(self.s)
        await self.act("open", self.s.open(timeout=180))
        await self.think()
        ok = await self.login()
        ready.set()
        if not ok:
            return
        try:
            if self.trainer:
                await self.think()
                await self.train()
            while not self.done():
                await self.think()
                if self.done():
                    break
                activity = self.rng.choice(["home", "progress", "quiz", "quest", "desal"])
                await getattr(self, activity)()
        except Exception as exc:  # noqa: BLE001 - a harness bug must not stop the others
            self.run.errors.append(f"{self.user} crashed: {exc!r}")
        finally:
            await self.s.close()

    async def login(self) -> bool:
        s = self.s
        user, pw = s.find("si_username"), s.find("si_password")
        submit = next((w for w in s.widgets.values() if "FormSubmitter:sign_in" in w.id), None)
        if not (user and pw and submit):
            self.run.errors.append(f"{self.user}: no sign-in form")
            return False
        s.values[user.id] = ("string_value", self.account["username"])
        s.values[pw.id] = ("string_value", self.account["password"])
        res = await self.act("login", s.click(submit, timeout=300))
        s.values = {}
        ok = res.ok and res.page_hash == s.pages.get("home")
        if not ok:
            self.run.errors.append(f"{self.user}: sign-in failed ({res.status})")
        return ok

    async def home(self) -> None:
        await self.act("nav_home", self.s.goto("home"))

    async def progress(self) -> None:
        await self.act("nav_progress", self.s.goto("my_progress"))

    async def quiz(self) -> None:
        s = self.s
        if not (await self.act("nav_quiz", s.goto("onboarding"))).ok:
            return
        for _ in range(self.rng.choice([1, 2])):
            items = [
                w
                for w in s.find_prefix("quiz::onboarding::")
                if w.key.endswith("::choice") and not w.disabled
            ]
            if not items or self.done():
                return
            radio = self.rng.choice(items)
            item = radio.key.split("::")[2]
            await self.think()
            res = await self.act(
                "quiz_pick", s.set_value(radio, self.rng.choice(list(radio.proto.options)))
            )
            check = s.find(f"quiz::onboarding::{item}::check")
            if not res.ok or check is None or check.disabled or self.done():
                return
            await self.think()
            self.run.expected[self.user][f"onboarding/{item}"] += 1
            await self.act("quiz_check", s.click(check), item=item)

    async def quest(self) -> None:
        s = self.s
        if not (await self.act("nav_quest", s.goto("blockchain_game"))).ok:
            return
        tasks = [
            t
            for t in ("avalanche", "find_prefix", "keccak_vs_sha")
            if (w := s.find(f"bcq_{t}_check")) is not None and not w.disabled
        ]
        if not tasks:  # level 1 done: play with the live seal workshop
            if (w := s.find("bcq_l1_play")) is not None:
                await self.think()
                await self.act("quest_input", s.set_value(w, f"seal {self.rng.randrange(10**6)}"))
            return
        task = self.rng.choice(tasks)
        await self.think()
        res = await self._quest_input(task)
        check = s.find(f"bcq_{task}_check")
        if not res.ok or check is None or check.disabled or self.done():
            return
        await self.think()
        self.run.expected[self.user][f"blockchain_quest/{task}"] += 1
        await self.act("quest_check", s.click(check), item=task)

    async def _quest_input(self, task: str) -> RunResult:
        s = self.s
        if task == "avalanche":
            text = s.find("bcq_l1_aval_text")
            assert text is not None
            base = text.proto.default or "Aru pays Bolat 5 coins"
            suffix = self.rng.choice(["!", ".", " x", "?"])
            res = await self.act("quest_input", s.set_value(text, base + suffix))
            if not res.ok or self.done():
                return res
            await self.think()
            guess = s.find("bcq_l1_aval_guess")
            assert guess is not None
            value = float(self.rng.choice([5, 20, 35, 50, 55, 65, 90]))
            return await self.act("quest_input", s.set_value(guess, [value]))
        if task == "find_prefix":
            text = s.find("bcq_l1_prefix_text")
            assert text is not None
            return await self.act(
                "quest_input", s.set_value(text, f"steppe {self.rng.randrange(10**6)}")
            )
        radio = s.find("bcq_l1_algo_pick")
        assert radio is not None
        return await self.act(
            "quest_input", s.set_value(radio, self.rng.choice(list(radio.proto.options)))
        )

    async def desal(self) -> None:
        s = self.s
        if not (await self.act("nav_desal", s.goto("desalination", timeout=120))).ok:
            return
        for _ in range(self.rng.choice([1, 2])):
            if self.done():
                return
            await self.think()
            if self.rng.random() < 0.7:
                w, value = s.find("desal_ro_recovery"), self.rng.randrange(30, 71)
            else:
                w, value = s.find("desal_ro_flux"), self.rng.randrange(8, 25)
            if w is None:
                return
            await self.act("desal_slider", s.set_value(w, [float(value)], timeout=120))

    async def train(self) -> None:
        """Open the lesson, lock a prediction, press Train and watch the job to its end."""
        s, kind = self.s, self.trainer or "rl"
        record = Training(self.user, kind)
        self.run.trainings.append(record)
        if kind == "ml":
            if not (await self.act("nav_ml", s.goto("ml_lessons"))).ok:
                return
            pills = s.find("ml_lesson_supervised")
            assert pills is not None
            await self.act("ml_pick", s.set_value(pills, [pills.proto.options[4].content]))
            keys = ("ml_predict_neural_net", "ml_predict_lock_neural_net", "mln_go")
            item = "ml/neural_net/predict"
        else:
            if not (await self.act("nav_rl", s.goto("rl_lessons"))).ok:
                return
            family = s.find("rl_family")
            assert family is not None
            await self.act("rl_pick", s.set_value(family, [family.proto.options[2].content]))
            keys = ("rl_predict_deep_rl", "rl_predict_lock_deep_rl", "rld_go")
            item = "rl/deep_rl/predict"
        radio = s.find(keys[0])
        if radio is not None:  # a prediction locked in an earlier session is not asked again
            await self.think()
            await self.act("predict_pick", s.set_value(radio, radio.proto.options[0]))
            lock = s.find(keys[1])
            assert lock is not None
            self.run.expected[self.user][item] += 1
            await self.act("predict_lock", s.click(lock))
        go = s.find(keys[2])
        if go is None:
            record.error = "no train button"
            return
        await self.think()
        record.t_click = time.time()
        await self.act("train_click", s.click(go))
        while not self.done():  # the page's fragment polls; the job ends when polling stops
            await asyncio.sleep(0.5)
            if not s.auto and time.time() - record.t_click > 2:
                record.t_done = time.time()
                break
        if record.t_done:
            waited = RunResult(True, record.t_done - record.t_click, "ok")
            self.run.log(self.user, "train_wait", waited, record.t_click, kind=kind)
        for t_end, latency, status in s.auto_latencies:  # the live panel's polls
            self.run.log(self.user, "poll", RunResult(status == "ok", latency, status), t_end)
        s.auto_latencies.clear()
