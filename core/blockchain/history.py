"""What the stored events say about each quest task, beyond progress: the history of every part
of a multi-part task (its attempts count on their own, as each part is its own decision) and the
moment each task became solved. Single-part tasks read core.telemetry.item_history; both come
from the stored events, never from the browser session, so a reload changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from core.blockchain.progress import ACTIVITY
from core.blockchain.quests import TASKS
from core.telemetry import ItemHistory


@dataclass(frozen=True)
class QuestRecord:
    parts: Mapping[tuple[str, str], ItemHistory] = field(default_factory=dict)
    solved_at: Mapping[str, datetime] = field(default_factory=dict)  # task id -> when solved

    @property
    def parts_done(self) -> frozenset[tuple[str, str]]:
        return frozenset(key for key, history in self.parts.items() if history.solved)


def _part(payload: object) -> str:
    return str(payload.get("part", "")) if isinstance(payload, dict) else ""


def _history(rows: pd.DataFrame) -> ItemHistory:
    right = rows["correct"].astype(bool)
    attempts = rows["attempt"] if "attempt" in rows else pd.Series(1, index=rows.index)
    return ItemHistory(len(rows), bool(right.any()), bool((right & (attempts == 1)).any()))


def quest_record(events: pd.DataFrame) -> QuestRecord:
    """The learner's quest record from their events (other activities are ignored)."""
    if events.empty or "activity" not in events:
        return QuestRecord()
    graded = events[(events["activity"] == ACTIVITY) & events["correct"].notna()].copy()
    if graded.empty:
        return QuestRecord()
    graded["part"] = graded["payload"].map(_part) if "payload" in graded else ""
    graded["answered_at"] = pd.to_datetime(graded["answered_at"], utc=True)
    parts: dict[tuple[str, str], ItemHistory] = {}
    first_right: dict[tuple[str, str], datetime] = {}
    for (item, part), rows in graded.groupby(["item_id", "part"], sort=False):
        key = (str(item), str(part))
        parts[key] = _history(rows)
        right = rows[rows["correct"].astype(bool)]
        if len(right):
            first_right[key] = right["answered_at"].min().to_pydatetime()
    solved_at: dict[str, datetime] = {}
    for task in TASKS.values():
        wanted = task.parts or ("",)
        times = [first_right.get((task.id, p)) for p in wanted]
        if all(t is not None for t in times):
            solved_at[task.id] = max(t for t in times if t is not None)
    return QuestRecord(parts, solved_at)
