"""The ML lessons' background jobs, run here with a real JobContext as a worker would: each
reports its progress, returns what the page shows, and ends early on Stop."""

from __future__ import annotations

import pytest

from core.jobs.context import JobContext, JobStopped
from core.ml.datasets import load
from core.ml.evaluation import complexity_curve, curve_job
from core.ml.neural_net import EpochStats, MlpParams, train_job
from core.ml.supervised import ModelParams, decision_surface, fit_and_evaluate, fit_job
from tests.job_contexts import StopAfter, stopped


def test_the_complexity_curve_job_reports_each_point() -> None:
    ds = load("moons", noise=0.35)
    ctx = JobContext()
    depths = (1.0, 2.0, 4.0, 8.0)
    curve = curve_job(ctx, ds, ModelParams("tree"), "complexity", "max_depth", depths, 0)
    version, progress, updates = ctx.state()
    assert (version, progress, updates) == (4, 1.0, [])
    expected = complexity_curve(ds, ds.features, ModelParams("tree"), "max_depth", depths)
    assert curve.complete
    assert curve.values.tolist() == list(depths)
    assert curve.test_mean.tolist() == expected.test_mean.tolist()


def test_the_learning_curve_job_ignores_the_sweep_values() -> None:
    ds = load("moons")
    ctx = JobContext()
    curve = curve_job(ctx, ds, ModelParams("tree", max_depth=3), "learning", "max_depth", (1.0,), 0)
    assert curve.param == "train_size" and curve.complete
    assert len(curve.values) == 7
    assert ctx.state()[:2] == (7, 1.0)


def test_a_stopped_curve_job_keeps_its_first_points() -> None:
    ds = load("moons")
    values = (0.01, 0.1, 1.0, 10.0, 100.0)
    curve = curve_job(StopAfter(2), ds, ModelParams("svm"), "complexity", "C", values, 0)
    assert not curve.complete
    assert curve.values.tolist() == [0.01, 0.1]


def test_the_network_job_reports_every_epoch_as_a_live_update() -> None:
    ds = load("circles", noise=0.1)
    ctx = JobContext()
    result = train_job(ctx, ds, MlpParams(epochs=20), 0)
    _, progress, updates = ctx.state()
    assert progress == 1.0
    assert all(isinstance(u, EpochStats) for u in updates)
    assert tuple(updates) == result.epochs
    assert [u.epoch for u in updates] == list(range(1, 21))
    assert not result.stopped


def test_a_stopped_network_keeps_what_it_learnt() -> None:
    ds = load("moons")
    result = train_job(StopAfter(3), ds, MlpParams(epochs=50), 0)
    assert len(result.epochs) == 3
    assert result.stopped
    assert result.final.test_score > 0.5


@pytest.mark.parametrize("axes", [("x1", "x2"), None])
def test_the_fit_job_matches_the_page_fit(axes: tuple[str, str] | None) -> None:
    ds = load("moons")
    params = ModelParams("forest", max_depth=4, n_estimators=20)
    ctx = JobContext()
    result, plane = fit_job(ctx, ds, ds.features, params, axes, 0)
    assert ctx.state()[1] == 1.0
    assert result.test_score == fit_and_evaluate(ds, ds.features, params).test_score
    if axes is None:
        assert plane is None
        return
    assert plane is not None
    surface, two = plane
    expected, _ = decision_surface(ds, axes, params)
    assert surface.features == axes
    assert surface.z.tolist() == expected.z.tolist()
    assert two.features == axes


def test_stop_before_the_boundary_ends_the_fit_job() -> None:
    ds = load("moons")
    with pytest.raises(JobStopped):
        fit_job(stopped(), ds, ds.features, ModelParams("tree"), ("x1", "x2"), 0)
