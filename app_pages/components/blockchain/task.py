"""The quest's task frame: the state pattern of app_pages/components/quiz.py (when the task
was shown, which attempt, how many hints), one telemetry event per check, and explained feedback.

A task is done once telemetry holds a right answer for it (core.blockchain.progress), so a task
solved in an earlier session shows as solved. `part` splits a task into several decisions that
share its item id (the four forgery messages); parts done earlier are read from the payload.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.session import tr
from core.accounts import Actor
from core.blockchain.progress import ACTIVITY, QuestProgress, quest_progress
from core.blockchain.quests import TASKS, Outcome

MAX_TEXT = 500  # characters of learner text any task accepts
ALGORITHM_NAMES = {"sha256": "SHA-256", "keccak256": "Keccak-256"}
SEED = "bcq_seed"


@dataclass(frozen=True)
class Quest:
    actor: Actor
    progress: QuestProgress
    parts_done: frozenset[tuple[str, str]]

    @property
    def teacher(self) -> bool:
        return self.actor.is_teacher


def build_quest(actor: Actor, events: pd.DataFrame) -> Quest:
    parts: set[tuple[str, str]] = set()
    if not events.empty:
        mine = events[events["activity"] == ACTIVITY]
        for row in mine[mine["correct"].fillna(False).astype(bool)].itertuples():
            payload: dict[str, Any] = row.payload if isinstance(row.payload, dict) else {}
            parts.add((str(row.item_id), str(payload.get("part", ""))))
    return Quest(actor, quest_progress(events), frozenset(parts))


def session_seed() -> int:
    """One seed per browser session: the secret tamper, the mystery hash, the forgery round."""
    if SEED not in st.session_state:
        st.session_state[SEED] = random.SystemRandom().randrange(1, 2**31)
    return int(st.session_state[SEED])


def clip(text: str | None) -> str:
    """Learner text, capped: a huge paste is cut (with a note), never an error."""
    value = text or ""
    if len(value) > MAX_TEXT:
        st.caption(f":material/content_cut: {tr('quest.too_long', limit=MAX_TEXT)}")
        return value[:MAX_TEXT]
    return value


def state(task_id: str, part: str = "") -> dict[str, Any]:
    return decision_state(f"bcq_task::{task_id}::{part}")


def solved(quest: Quest, task_id: str, part: str = "") -> bool:
    if state(task_id, part)["solved"]:
        return True
    if part:
        return (task_id, part) in quest.parts_done
    return task_id in quest.progress.completed


@contextmanager
def card(
    quest: Quest, task_id: str, title_key: str, icon: str, done: bool | None = None
) -> Iterator[bool]:
    """A bordered task card with its title, XP and a solved mark; yields whether it is solved."""
    done = solved(quest, task_id) if done is None else done
    with st.container(border=True, key=f"bcq_card_{task_id}"):
        badges = f":blue-badge[{tr('quest.xp_badge', xp=TASKS[task_id].xp)}]"
        if done:
            badges += f" :green-badge[:material/check: {tr('quest.solved')}]"
        st.markdown(f"##### {icon} {tr(title_key)} &nbsp; {badges}", anchors=False)
        yield done


def controls(
    task_id: str,
    *,
    key: str | None = None,
    disabled: bool = False,
    label_key: str = "quest.check",
    extra: Callable[[], None] | None = None,
) -> bool:
    """Check and hint buttons (plus `extra`, e.g. a helper button, in the same row); the hint
    (quest.hints.<task>) stays open once asked for."""
    base = state(task_id)
    name = key or task_id
    with st.container(horizontal=True, key=f"bcq_controls_{name}"):
        check = st.button(
            tr(label_key),
            key=f"bcq_{name}_check",
            type="primary",
            disabled=disabled,
            icon=":material/task_alt:",
        )
        if key is None and st.button(
            tr("quest.hint_button"),
            key=f"bcq_{task_id}_hint",
            disabled=disabled,
            icon=":material/lightbulb:",
        ):
            base["hints"] += 1
        if extra is not None:
            extra()
    if base["hints"] and not disabled and key is None:
        st.info(tr(f"quest.hints.{task_id}"), icon=":material/lightbulb:")
    return check


def hint_button(task_id: str, disabled: bool = False) -> None:
    """A task-level hint for tasks whose parts have their own check buttons."""
    base = state(task_id)
    if st.button(
        tr("quest.hint_button"),
        key=f"bcq_{task_id}_hint",
        disabled=disabled,
        icon=":material/lightbulb:",
    ):
        base["hints"] += 1
    if base["hints"] and not disabled:
        st.info(tr(f"quest.hints.{task_id}"), icon=":material/lightbulb:")


def submit(
    quest: Quest, task_id: str, outcome: Outcome, payload: dict[str, Any], part: str = ""
) -> None:
    """Record one event for this check, keep the explained outcome, and rerun so XP, badges and
    unlocks (all read from telemetry) are up to date."""
    current = state(task_id, part)
    try:
        record_decision(
            quest.actor,
            current,
            activity=ACTIVITY,
            item_id=task_id,
            skill=TASKS[task_id].skill,
            correct=outcome.correct,
            error_type=outcome.error_type,
            payload={**payload, "part": part} if part else payload,
            hints_used=state(task_id)["hints"],
        )
    except ValidationError:
        st.error(tr("errors.not_saved"), icon=":material/error:")
        return
    current["outcome"] = outcome
    st.rerun()


def feedback(task_id: str, part: str = "") -> None:
    """The last outcome: what happened (quest.feedback.*) and, when wrong, why it is a common
    mistake (quest.error.<error type>)."""
    outcome: Outcome | None = state(task_id, part)["outcome"]
    if outcome is None:
        return
    params = {k: ALGORITHM_NAMES.get(str(v), v) for k, v in outcome.params.items()}
    text = tr(f"quest.feedback.{outcome.feedback}", **params)
    if outcome.correct:
        st.success(text, icon=":material/check_circle:")
    else:
        st.error(f"{text}\n\n{tr(f'quest.error.{outcome.error_type}')}", icon=":material/cancel:")


def earlier_note(done: bool, task_id: str) -> None:
    """A task solved in an earlier session has no outcome in this one: say so."""
    if done and state(task_id)["outcome"] is None:
        st.caption(f":material/history: {tr('quest.solved_before')}")


def choice(
    quest: Quest,
    task_id: str,
    part: str,
    *,
    question: str,
    labels: dict[Any, str],
    key: str,
    check: Callable[[Any], Outcome],
    horizontal: bool = False,
) -> None:
    """A multiple-choice part: radio, Check (button `<key>_check`), one event, feedback."""
    done = solved(quest, task_id, part)
    pick = st.radio(
        question,
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        key=key,
        disabled=done,
        horizontal=horizontal,
    )
    if st.button(tr("quest.check"), key=f"{key}_check", type="primary", disabled=done):
        if pick is None:
            st.warning(tr("quest.pick_first"), icon=":material/touch_app:")
        else:
            submit(quest, task_id, check(pick), {"answer": pick}, part)
    feedback(task_id, part)
