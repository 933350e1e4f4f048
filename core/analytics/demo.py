"""A demo class a teacher can load to explore the dashboard: simulated students with known
strengths and weaknesses working through the labs for a month (core.analytics.simulate's
simulate_class: the onboarding quiz, the blockchain quest, the ML and RL lessons, with the
activities, item ids, skills and error codes those labs record), stored like a real class."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Engine, insert

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.classrooms import ClassroomView, new_join_code, normalise_join_code
from core.accounts.errors import PermissionDenied
from core.analytics.simulate import ClassSpec, simulate_class
from core.db.models import Classroom, Enrolment, User
from core.db.models import Event as EventRow
from core.db.session import write_session

# An argon2 verifier never matches this, so demo students exist for the dashboard but nobody
# can sign in as them.
NO_LOGIN = "!demo-account"
FIRST_NAMES = (
    "Aruzhan", "Nursultan", "Dana", "Yerlan", "Aigerim", "Daulet", "Madina", "Timur", "Zhanel",
    "Alibek", "Kamila", "Arman", "Saule", "Bekzat", "Dilnaz", "Nurlan", "Aisha", "Miras",
    "Tomiris", "Askar", "Amina", "Olzhas", "Inkar", "Rustem", "Asel", "Sanzhar", "Moldir",
    "Yerbol", "Akbota", "Dias",
)  # fmt: skip
SURNAME_INITIALS = "ABDEGIKMNOSTZ"


def load_demo_class(
    actor: Actor,
    name: str,
    n_students: int = 24,
    seed: int | None = None,
    engine: Engine | None = None,
) -> ClassroomView:
    """Create a class of simulated students with a month of answers that ended in the past
    week (moved by whole weeks, so lessons stay on school days at the class's hour)."""
    if not actor.is_teacher:
        raise PermissionDenied("teacher_only")
    seed = secrets.randbelow(2**31) if seed is None else seed
    cohort = simulate_class(ClassSpec(n_students=n_students, seed=seed))
    events = cohort.events
    last = events["answered_at"].max().to_pydatetime()
    shift = timedelta(weeks=(datetime.now(UTC) - last) // timedelta(weeks=1))
    with write_session(engine) as s:
        code = new_join_code()
        room = Classroom(name=name, join_code=normalise_join_code(code), teacher_id=actor.user_id)
        s.add(room)
        s.flush()
        ids: dict[int, int] = {}
        for index, sim_id in enumerate(sorted(cohort.students.index)):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            initial = SURNAME_INITIALS[(index * 7 + seed) % len(SURNAME_INITIALS)]
            user = User(
                username=f"demo-{room.join_code.lower()}-{index + 1:02d}",
                display_name=f"{first} {initial}.",
                password_hash=NO_LOGIN,
                role="student",
                language=actor.language,
                is_disabled=False,
                failed_logins=0,
            )
            s.add(user)
            s.flush()
            s.add(Enrolment(user_id=user.id, classroom_id=room.id))
            ids[int(sim_id)] = user.id
        rows = pd.DataFrame(
            {
                "user_id": events["user_id"].map(ids),
                "classroom_id": room.id,
                "activity": events["activity"],
                "item_id": events["item_id"],
                "skill": events["skill"],
                "shown_at": events["shown_at"] + shift,
                "answered_at": events["answered_at"] + shift,
                "decision_ms": events["decision_ms"],
                "correct": events["correct"],
                "error_type": events["error_type"],
                "attempt": events["attempt"],
                "hints_used": events["hints_used"],
                "payload": events["payload"],
            }
        )
        records: list[dict[str, Any]] = [
            {str(k): v for k, v in r.items()} for r in rows.to_dict("records")
        ]
        for record in records:
            record["shown_at"] = record["shown_at"].to_pydatetime()
            record["answered_at"] = record["answered_at"].to_pydatetime()
            extra = {k: v for k, v in record["payload"].items() if k != "simulated"}
            record["payload"] = {"demo": True, **extra}  # e.g. the part of a quest task
        s.execute(insert(EventRow), records)
        write_audit(s, actor, "load_demo_class", None, classroom_id=room.id, events=len(records))
        return ClassroomView(room.id, room.name, room.join_code, len(ids))
