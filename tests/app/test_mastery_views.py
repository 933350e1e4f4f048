"""My progress and the teacher's drill-down show one number per student and skill (the class's
model), and both say "not enough evidence yet" instead of a number on too few answers."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.telemetry import Recorder
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean


def _table(at: AppTest) -> pd.DataFrame:
    """The page's mastery table (app_pages/components/progress_view.mastery_table)."""
    columns = ["skill", "mastery", "evidence", "state"]
    frames = [d.value for d in at.dataframe if list(d.value.columns) == columns]
    assert len(frames) == 1
    return frames[0].set_index("skill")


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_student_and_teacher_see_the_same_mastery_and_the_uncertain_state(
    seed: Seed, lang: str
) -> None:
    others = [f.student(seed.room, f"pupil{i}") for i in range(3)]
    for n, who in enumerate([seed.student, *others]):
        events = [
            f.event(
                who,
                skill="chain.hashing",
                item_id=f"h{i}",
                correct=(i + n) % 3 != 0,
                error_type=None if (i + n) % 3 else "reversible_hash",
            )
            for i in range(40)
        ] + [f.event(who, skill="chain.signatures", item_id="s0", correct=True, error_type=None)]
        Recorder().record_many(who, events)  # fmt: skip
    mine = app_as(seed.student, lang)
    mine.switch_page("app_pages/my_progress.py").run()
    assert_clean(mine)
    student_side = _table(mine)

    teacher = app_as(seed.teacher, lang)
    teacher.switch_page("app_pages/teacher_dashboard.py").run()
    teacher.selectbox(key="dashboard_student").set_value(seed.student.user_id).run()
    assert_clean(teacher)
    teacher_side = _table(teacher)

    hashing = t("skills.chain.hashing", lang)
    signatures = t("skills.chain.signatures", lang)
    assert set(student_side.index) == set(teacher_side.index) >= {hashing, signatures}
    assert not pd.isna(student_side.loc[hashing, "mastery"])
    both = student_side.join(teacher_side, rsuffix="_teacher")
    gap = (both["mastery"].astype(float) - both["mastery_teacher"].astype(float)).abs()
    assert (gap.dropna() <= 5).all()  # percent points: within 0.05
    assert (both["state"] == both["state_teacher"]).all()
    # One answer on signatures: no number on either side, the state says why.
    unsure = t("mastery.state.uncertain", lang)
    for side in (student_side, teacher_side):
        assert pd.isna(side.loc[signatures, "mastery"])
        assert side.loc[signatures, "state"] == unsure
        assert side.loc[signatures, "evidence"] == 1


def test_my_progress_says_when_on_the_readers_clock(seed: Seed) -> None:
    """Last activity in the reader's time zone and date order, not "2026-12-08 00:22 UTC"."""
    from core.locale import moment
    from core.telemetry import load_events

    at = app_as(seed.student, "ru")
    at.switch_page("app_pages/my_progress.py").run()
    assert_clean(at)
    last = load_events(seed.student)["answered_at"].max()
    captions = [c.value for c in at.caption]
    assert t("progress.last_active", "ru", when=moment(last, "ru", None)) in captions
    assert not any("UTC" in c for c in captions)
