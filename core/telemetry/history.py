"""What a learner has already done on each item of an activity, from the stored events: the
attempt number of the next answer and whether the item is solved must survive a reload, a new
sign-in and another web process, so they are never kept only in the browser session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, case, func, select

from core.accounts.actor import Actor
from core.db.models import Event as EventRow
from core.db.session import read_session


@dataclass(frozen=True)
class ItemHistory:
    attempts: int  # graded answers stored for the item (ungraded events do not count)
    solved: bool  # answered right at least once
    solved_first_try: bool  # the first graded answer was right

    @property
    def next_attempt(self) -> int:
        return self.attempts + 1


NEVER = ItemHistory(0, False, False)


def item_history(
    actor: Actor, activity: str, engine: Engine | None = None
) -> dict[str, ItemHistory]:
    """The actor's own history per item of ``activity`` (items never answered are absent)."""
    graded = EventRow.correct.is_not(None)
    right = EventRow.correct.is_(True)
    first_attempt_right = func.max(case(((EventRow.attempt == 1) & right, 1), else_=0))
    query = (
        select(
            EventRow.item_id,
            func.count(),
            func.max(case((right, 1), else_=0)),
            first_attempt_right,
        )
        .where(EventRow.user_id == actor.user_id, EventRow.activity == activity, graded)
        .group_by(EventRow.item_id)
    )
    with read_session(engine) as s:
        return {
            str(item): ItemHistory(int(n), bool(solved), bool(first))
            for item, n, solved, first in s.execute(query)
        }
