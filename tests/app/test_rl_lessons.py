"""The RL lessons page: every lesson renders in every language after a prediction; the grid is
played by hand and the challenge judges the episode; trainings run in the background with live
progress, Stop, evaluation, replay and a shelf of saved agents; misses record a misconception."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.config import LANGUAGES
from core.rl.agents import AgentStore
from core.rl.challenges import CHALLENGES
from core.rl.lessons import ACTIVITY, LESSONS
from core.telemetry import load_events
from tests.app import lessons
from tests.app.conftest import Seed, assert_clean

PAGE = "app_pages/rl_lessons.py"
SHORTEST = ("right", "up", "up", "right", "right", "up", "up", "right")


def _events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == ACTIVITY].reset_index(drop=True)


def _lesson(actor: Actor, lesson_id: str, lang: str = "en") -> AppTest:
    at = lessons.open_lesson(actor, PAGE, ACTIVITY, LESSONS, lesson_id, lang)
    return lessons.predict(at, ACTIVITY, lesson_id)


def _submit(at: AppTest, actor: Actor, lesson_id: str) -> pd.Series:
    """Submit the challenge; the last event recorded."""
    at.button(key=f"rl_challenge_submit_{lesson_id}").click().run()
    assert_clean(at)
    return _events(actor).iloc[-1]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", [lesson.id for lesson in LESSONS])
def test_every_lesson_renders_after_its_prediction(seed: Seed, lesson: str, lang: str) -> None:
    at = lessons.open_lesson(seed.student, PAGE, ACTIVITY, LESSONS, lesson, lang)
    assert not at.get("plotly_chart")
    lessons.predict(at, ACTIVITY, lesson)
    trains = {b.key for b in at.button} & {"rlq_go", "rld_go", "rlc_go"}
    assert at.get("plotly_chart") or trains or (lesson == "applications" and len(at.markdown) > 10)
    events = _events(seed.student)
    assert events["item_id"].tolist() == [f"predict.{lesson}"]


def test_playing_the_grid_by_hand_and_the_challenge(seed: Seed) -> None:
    at = _lesson(seed.student, "be_agent")
    for action in SHORTEST:
        at.button(key=f"rlg_{action}").click().run()
    assert_clean(at)
    assert lessons.metric(at, "Return G (γ = 1.00)") == "3.00"
    assert any("You reached the flag" in s.value for s in at.success)
    assert at.button(key="rlg_up").disabled
    event = _submit(at, seed.student, "be_agent")
    assert event["item_id"] == "challenge.be_agent" and bool(event["correct"])
    at.button(key="rlg_restart").click().run()
    for action in ("right", "up", "up", "up"):  # straight into the pit at (1, 1)
        at.button(key=f"rlg_{action}").click().run()
    event = _submit(at, seed.student, "be_agent")
    assert not bool(event["correct"]) and event["error_type"] == "ignores_penalty"


def test_watching_q_learning_learn_the_grid(seed: Seed) -> None:
    at = _lesson(seed.student, "be_agent")
    assert lessons.metric(at, "Greedy policy succeeds") == "100%"
    at.slider(key="rlg_episodes").set_value(10).run()
    assert_clean(at)
    assert lessons.metric(at, "Greedy policy succeeds") != "100%"


def test_the_bandit_challenge_names_a_greedy_agent(seed: Seed) -> None:
    at = _lesson(seed.student, "bandit")
    at.select_slider(key="rlb_epsilon").set_value(0.0).run()
    event = _submit(at, seed.student, "bandit")
    assert event["error_type"] == "no_exploration"
    at.select_slider(key="rlb_epsilon").set_value(1.0).run()
    at.select_slider(key="rlb_decay").set_value(0.995).run()
    assert int(lessons.metric(at, "Best machine in the last 100 pulls").rstrip("%")) >= 88
    assert bool(_submit(at, seed.student, "bandit")["correct"])


def test_q_learning_trains_in_the_background_and_meets_the_slippery_challenge(seed: Seed) -> None:
    at = _lesson(seed.student, "q_learning")
    at.button(key="rlq_go").click().run()
    lessons.wait_until(at, lessons.has_metric("Greedy policy succeeds"))
    assert_clean(at)
    assert lessons.metric(at, "Greedy policy succeeds") == "100%"
    at.button(key="rl_challenge_submit_q_learning").click().run()
    assert any("Slippery FrozenLake" in w.value for w in at.warning)  # wrong task: not judged
    at.segmented_control(key="rlq_task").set_value("lake_slippery").run()
    at.select_slider(key="rlq_episodes").set_value(5000).run()
    at.select_slider(key="rlq_decay").set_value(0.999).run()
    at.button(key="rlq_go").click().run()
    lessons.wait_until(at, lessons.has_metric("Greedy policy succeeds"))
    assert int(lessons.metric(at, "Greedy policy succeeds").rstrip("%")) >= 70
    assert bool(_submit(at, seed.student, "q_learning")["correct"])


NBSP = "\u00a0"


def test_russian_metrics_have_a_decimal_comma_and_a_thousands_space(seed: Seed) -> None:
    at = _lesson(seed.student, "q_learning", "ru")
    assert f"10{NBSP}000" in at.select_slider(key="rlq_episodes").options
    assert "0,995" in at.select_slider(key="rlq_decay").options
    assert at.select_slider(key="rlq_gamma").options[-1] == "1,00"
    at.button(key="rlq_go").click().run()
    lessons.wait_until(at, lessons.has_metric("Успех жадной политики"))
    assert_clean(at)
    assert lessons.metric(at, "Пройдено эпизодов обучения") == f"1{NBSP}000"
    reward = lessons.metric(at, "Средняя награда жадной политики")
    assert re.fullmatch(r"\d,\d\d", reward), reward
    assert lessons.metric(at, "Успех жадной политики") == f"100{NBSP}%"


def test_deep_rl_trains_saves_loads_and_replays_an_agent(seed: Seed) -> None:
    at = _lesson(seed.student, "deep_rl")
    at.select_slider(key="rld_steps").set_value(5_000).run()
    at.button(key="rld_go").click().run()
    lessons.wait_until(at, lessons.has_metric("Evaluation reward"))
    assert_clean(at)
    assert at.get("plotly_chart")
    at.button(key="rld_watch").click().run()
    assert_clean(at)
    assert at.get("video")
    event = _submit(at, seed.student, "deep_rl")
    assert event["error_type"] in CHALLENGES["deep_rl"].codes or bool(event["correct"])
    at.text_input(key="rld_save_name").set_value("first pole")
    at.button(key="FormSubmitter:rld_save-Save agent").click().run()
    assert_clean(at)
    assert [a.name for a in AgentStore(seed.student.user_id).list()] == ["first pole"]
    at.button(key="rld_shelf_load").click().run()
    assert_clean(at)
    assert sum("Evaluation reward" in m.label for m in at.metric) == 2


def test_a_deep_training_can_be_stopped(seed: Seed) -> None:
    at = _lesson(seed.student, "deep_rl")
    at.select_slider(key="rld_steps").set_value(150_000).run()
    at.button(key="rld_go").click().run()
    at.button(key="rld_train_stop").click().run()
    lessons.wait_until(at, lambda at: any("Stopped" in i.value for i in at.info), 60)
    assert_clean(at)


def test_side_by_side_trains_each_chosen_algorithm(seed: Seed) -> None:
    at = _lesson(seed.student, "compare")
    at.button_group(key="rlc_algos").set_value(["ppo", "a2c"]).run()
    at.select_slider(key="rlc_steps").set_value(5_000).run()
    at.button(key="rlc_go").click().run()
    lessons.wait_until(at, lambda at: len(at.dataframe) == 1, 90)
    assert_clean(at)
    assert len(at.dataframe[0].value) == 2
    at.button(key="rl_challenge_submit_compare").click().run()
    assert any("Acrobot" in w.value for w in at.warning)


def test_a_finished_training_is_still_there_after_a_reload(seed: Seed) -> None:
    """The job store, not the browser session, holds the result: a new session (a reload, a
    second tab, another web process) shows it without training again."""
    at = _lesson(seed.student, "q_learning")
    at.button(key="rlq_go").click().run()
    lessons.wait_until(at, lessons.has_metric("Greedy policy succeeds"))
    reloaded = _lesson(seed.student, "q_learning")
    assert lessons.metric(reloaded, "Greedy policy succeeds") == "100%"
    assert_clean(reloaded)


def test_a_closed_session_stops_its_training(seed: Seed) -> None:
    """Streamlit drops a closed tab's session after its reconnect grace period; its training
    then stops instead of holding a worker for nobody."""
    import gc
    import time

    from core import jobs

    at = _lesson(seed.student, "deep_rl")
    at.select_slider(key="rld_steps").set_value(150_000).run()
    at.button(key="rld_go").click().run()
    job = jobs.latest(seed.student.user_id, "rld_train")
    assert job is not None and not job.finished
    del at
    gc.collect()
    deadline = time.monotonic() + 30
    while (snap := jobs.snapshot(job.id, seed.student.user_id)) and not snap.finished:
        assert time.monotonic() < deadline, "the closed session's job still runs"
        time.sleep(0.2)
    assert snap is not None and snap.status == "stopped"
