"""The quest's task frame: the state pattern of app_pages/components/quiz.py (when the task
was shown, how many hints), one telemetry event per check, and explained feedback.

A task is done once telemetry holds a right answer for it (core.blockchain.progress), so a task
solved in an earlier session shows as solved. `part` splits a task into several decisions that
share its item id (the four forgery messages); parts done earlier are read from the payload.
Attempt numbers come from the stored events too (core.telemetry.item_history, per part from
core.blockchain.history), read once per page run: a reload never starts a task over at 1.

A solved task can be practised: each practice round deals fresh values (a new seed for the
task's hashes, nonces, fees, keys...), resets the task's widgets (their keys carry the round)
and records every check with payload["practice"] = True. Practice answers move mastery; they
never earn the task's first-time XP (core.rewards leaves them out).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.session import lang, tr
from core.accounts import Actor
from core.blockchain.history import quest_record
from core.blockchain.progress import ACTIVITY, QuestProgress, quest_progress
from core.blockchain.quests import TASKS, Outcome
from core.locale import plural_key
from core.telemetry import NEVER, ItemHistory, item_history

MAX_TEXT = 500  # characters of learner text any task accepts
ALGORITHM_NAMES = {"sha256": "SHA-256", "keccak256": "Keccak-256"}
SEED = "bcq_seed"
PRACTICE = "bcq_practice"  # task id -> practice round (absent: the task's first time)
SESSION_START = "bcq_session_start"


@dataclass(frozen=True)
class Quest:
    actor: Actor
    progress: QuestProgress
    parts_done: frozenset[tuple[str, str]]
    # From the stored events, read once per page run: per task (item_history) and per part.
    history: Mapping[str, ItemHistory] = field(default_factory=dict)
    part_history: Mapping[tuple[str, str], ItemHistory] = field(default_factory=dict)
    solved_at: Mapping[str, datetime] = field(default_factory=dict)

    @property
    def teacher(self) -> bool:
        return self.actor.is_teacher


def build_quest(actor: Actor, events: pd.DataFrame) -> Quest:
    st.session_state.setdefault(SESSION_START, datetime.now(UTC))
    record = quest_record(events)
    return Quest(
        actor,
        quest_progress(events),
        record.parts_done,
        item_history(actor, ACTIVITY),
        record.parts,
        record.solved_at,
    )


def session_seed() -> int:
    """One seed per browser session: the secret tamper, the mystery hash, the forgery round."""
    if SEED not in st.session_state:
        st.session_state[SEED] = random.SystemRandom().randrange(1, 2**31)
    return int(st.session_state[SEED])


def practice_round(task_id: str) -> int:
    """0 the first time; 1, 2, ... for each practice round of a solved task."""
    rounds: dict[str, int] = st.session_state.get(PRACTICE, {})
    return int(rounds.get(task_id, 0))


def practising(task_id: str) -> bool:
    return practice_round(task_id) > 0


def start_practice(task_id: str) -> None:
    """A new practice round: fresh values, fresh widgets, a fresh decision."""
    rounds: dict[str, int] = st.session_state.setdefault(PRACTICE, {})
    rounds[task_id] = rounds.get(task_id, 0) + 1


def task_seed(task_id: str) -> int:
    """The seed of a task's values: the session's the first time, a new one per practice round."""
    round_no = practice_round(task_id)
    if round_no == 0:
        return session_seed()
    return random.Random(f"{session_seed()}:{task_id}:{round_no}").randrange(1, 2**31)


def wkey(task_id: str, key: str) -> str:
    """A widget key of the task's current round: a practice round starts with empty inputs."""
    round_no = practice_round(task_id)
    return key if round_no == 0 else f"{key}_p{round_no}"


def tr_count(key: str, count: float, **params: Any) -> str:
    """A counted text in the plural form the reader's language needs for `count`."""
    return tr(plural_key(key, count, lang()), **params)


def clip(text: str | None) -> str:
    """Learner text, capped: a huge paste is cut (with a note), never an error."""
    value = text or ""
    if len(value) > MAX_TEXT:
        st.caption(f":material/content_cut: {tr('quest.too_long', limit=MAX_TEXT)}")
        return value[:MAX_TEXT]
    return value


def state(task_id: str, part: str = "") -> dict[str, Any]:
    """The decision being made (shown at, hints, last outcome), per part and practice round."""
    round_no = practice_round(task_id)
    suffix = f"::p{round_no}" if round_no else ""
    return decision_state(f"bcq_task::{task_id}::{part}{suffix}")


def history(quest: Quest, task_id: str, part: str = "") -> ItemHistory:
    """The stored answers to this task (or this part of it)."""
    if part:
        return quest.part_history.get((task_id, part), NEVER)
    return quest.history.get(task_id, NEVER)


def solved(quest: Quest, task_id: str, part: str = "") -> bool:
    """Solved per the stored events; in a practice round, solved in this round."""
    if practising(task_id):
        parts = (part,) if part or not TASKS[task_id].parts else TASKS[task_id].parts
        return all(state(task_id, p)["solved"] for p in parts)
    if state(task_id, part)["solved"]:
        return True
    if part:
        return (task_id, part) in quest.parts_done
    return task_id in quest.progress.completed


@contextmanager
def card(
    quest: Quest, task_id: str, title_key: str, icon: str, done: bool | None = None
) -> Iterator[bool]:
    """A bordered task card with its title, XP (or the practice mark) and a solved mark; yields
    whether it is solved. A solved card ends with the button that starts a practice round."""
    done = solved(quest, task_id) if done is None else done
    practice = practising(task_id)
    with st.container(border=True, key=f"bcq_card_{task_id}"):
        if practice:
            badges = f":violet-badge[:material/replay: {tr('quest.practice.badge')}]"
        else:
            badges = f":blue-badge[{tr('quest.xp_badge', xp=TASKS[task_id].xp)}]"
        if done:
            badges += f" :green-badge[:material/check: {tr('quest.solved')}]"
        st.markdown(f"##### {icon} {tr(title_key)} &nbsp; {badges}", anchors=False)
        if practice and not done:
            st.caption(f":material/replay: {tr('quest.practice.fresh')}")
        yield done
        if done:
            practice_button(task_id)


def practice_button(task_id: str) -> None:
    st.button(
        tr("quest.practice.button"),
        key=f"bcq_{task_id}_practice",
        icon=":material/replay:",
        help=tr("quest.practice.help"),
        on_click=start_practice,
        args=(task_id,),
    )


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
    unlocks (all read from telemetry) are up to date. The attempt number continues the stored
    answers to this task (or part); an answer to a task already solved, in a practice round or
    not, is marked as practice: it counts for mastery, never for first-time XP."""
    current = state(task_id, part)
    past = history(quest, task_id, part)
    current["attempt"] = past.next_attempt
    extra: dict[str, Any] = {"part": part} if part else {}
    if practising(task_id) or past.solved:
        extra |= {"practice": True, "round": practice_round(task_id)}
    try:
        record_decision(
            quest.actor,
            current,
            activity=ACTIVITY,
            item_id=task_id,
            skill=TASKS[task_id].skill,
            correct=outcome.correct,
            error_type=outcome.error_type,
            payload={**payload, **extra},
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


def earlier_note(quest: Quest, task_id: str, done: bool) -> None:
    """Say so when the task was solved before this browser session began (per the stored
    events: a task solved a moment ago, in any part, is not from an earlier session)."""
    if not done or practising(task_id):
        return
    when = quest.solved_at.get(task_id)
    start: datetime | None = st.session_state.get(SESSION_START)
    if when is not None and start is not None and when < start:
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
        key=wkey(task_id, key),
        disabled=done,
        horizontal=horizontal,
    )
    if st.button(tr("quest.check"), key=f"{key}_check", type="primary", disabled=done):
        if pick is None:
            st.warning(tr("quest.pick_first"), icon=":material/touch_app:")
        else:
            submit(quest, task_id, check(pick), {"answer": pick}, part)
    feedback(task_id, part)
