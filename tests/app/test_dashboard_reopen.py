"""Reruns of the class overview (every widget click) and coming back to it reuse the class's
analytics: the learner-model fit runs once per version of the class, not once per click."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.analytics import report
from core.analytics.demo import load_demo_class
from core.telemetry import Recorder
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean


def test_the_model_fit_runs_once_per_version_of_the_class(
    seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = load_demo_class(seed.teacher, "Demo", n_students=8, seed=6)
    fits: list[int] = []
    real = report.fit_model

    def counting(events: Any) -> Any:
        fits.append(len(events))
        return real(events)

    monkeypatch.setattr(report, "fit_model", counting)
    at = app_as(seed.teacher, "en")
    at.switch_page("app_pages/teacher_dashboard.py").run()
    assert at.selectbox(key="dashboard_class").value == room.id  # the newest class first
    assert_clean(at)
    assert len(fits) == 1
    at.selectbox(key="heatmap_sort").set_value("mean").run()
    at.selectbox(key="heatmap_sort").set_value("name").run()
    at.selectbox(key="dashboard_student").select_index(0).run()
    assert_clean(at)
    assert len(fits) == 1  # three reruns, nothing refitted

    at.selectbox(key="dashboard_class").set_value(seed.room.id).run()
    assert len(fits) == 2 and at.metric[1].value == "2"
    at.selectbox(key="dashboard_class").set_value(room.id).run()
    assert len(fits) == 2  # back to the demo class: kept

    # A new answer in a class: the next time it is shown, it is counted.
    shown = datetime.now(UTC) - timedelta(minutes=1)
    Recorder().record(seed.student, f.event(seed.student, shown_at=shown, answered_at=shown))
    at.selectbox(key="dashboard_class").set_value(seed.room.id).run()
    assert_clean(at)
    assert len(fits) == 3 and at.metric[1].value == "3"
