"""The genomics explorer: every tab renders in every language; each step hides its result until a
prediction is locked, then judges it from the run's numbers and records one event on its skill;
the CNN and autoencoder train as jobs, the clusters, the map and the k-mer models run as jobs by
themselves (t-SNE can be stopped and run again); bad uploads get a translated message, not a
traceback."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import jobs
from core.accounts import Actor
from core.config import LANGUAGES
from core.jobs import JobSnapshot
from core.telemetry import load_events
from tests.app.conftest import Seed, app_as, assert_clean, lock_prediction, run_job

PAGE = "app_pages/genomics.py"
SLOTS = ("gen_clu", "gen_map", "gen_trees", "gen_cnn", "gen_ae")


def _open(actor: Actor, lang: str = "en", n: int = 400) -> AppTest:
    at = app_as(actor, lang)
    at.switch_page(PAGE).run()
    assert_clean(at)
    at.select_slider(key="gen_n").set_value(n).run()
    assert_clean(at)
    return at


def _events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == "gen"].reset_index(drop=True)


def _predict(at: AppTest, question: str, option: str) -> AppTest:
    return lock_prediction(at, "gen", question, option)


def _unfinished(at: AppTest) -> list[JobSnapshot]:
    owner = at.session_state["zerde_actor"].user_id
    snaps = [jobs.latest(owner, slot) for slot in SLOTS]
    return [snap for snap in snaps if snap is not None and not snap.finished]


def _settle(at: AppTest, timeout: float = 180) -> AppTest:
    """Wait for the steps' jobs to end, rerunning the page (which may start the next ones)."""
    owner = at.session_state["zerde_actor"].user_id
    deadline = time.monotonic() + timeout
    while True:
        pending = _unfinished(at)
        for snap in pending:
            jobs.wait(snap.id, owner, max(deadline - time.monotonic(), 1.0))
        at.run()
        assert_clean(at)
        if not pending and not _unfinished(at):
            return at
        assert time.monotonic() < deadline, f"still running: {[s.slot for s in pending]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_opens_on_generated_promoters_in_every_language(seed: Seed, lang: str) -> None:
    at = _open(seed.student, lang)
    assert len(at.tabs) == 7
    assert at.dataframe  # the preview
    assert not at.error


def test_every_step_after_its_prediction(seed: Seed) -> None:
    at = _open(seed.student)
    for question, option in (
        ("gc", "higher"),
        ("columns", "four_k"),
        ("clusters", "close"),
        ("cnn_vs_kmers", "cnn"),
        ("anomaly", "autoencoder"),
    ):
        at = _predict(at, question, option)
    options = at.radio(key="gen_q_choice_top_kmer").options
    at = _predict(at, "top_kmer", options[0])
    at = _settle(at)
    events = _events(seed.student)
    assert set(events["item_id"]) == {"gc", "columns", "clusters", "top_kmer"}
    assert len(at.get("plotly_chart")) >= 5


def test_cnn_and_autoencoder_train_live_and_judge_their_predictions(seed: Seed) -> None:
    at = _open(seed.student)
    at = _predict(at, "cnn_vs_kmers", "kmers")
    at.slider(key="gen_cnn_epochs").set_value(3).run()
    at = run_job(at, "gen_cnn")
    at = _predict(at, "anomaly", "isolation_forest")
    at.slider(key="gen_ae_epochs").set_value(5).run()
    at = run_job(at, "gen_ae")
    events = _events(seed.student).set_index("item_id")
    assert set(events.index) == {"cnn_vs_kmers", "anomaly"}
    assert events.loc["cnn_vs_kmers", "skill"] == "gen.classification"
    assert events.loc["anomaly", "skill"] == "gen.anomaly"
    assert events.loc["anomaly", "payload"]["choice"] == "isolation_forest"
    metrics = {m.label: m.value for m in at.metric}
    assert any(label.startswith("Autoencoder: precision@") for label in metrics)
    assert at.get("plotly_chart")
    assert any("Random forest" in str(frame.value) for frame in at.dataframe)


def test_a_tsne_map_runs_as_a_job_that_can_be_stopped_and_run_again(seed: Seed) -> None:
    at = _open(seed.student, n=2000)
    at.radio(key="gen_clu_view").set_value("tsne").run()
    at = _predict(at, "clusters", "close")
    owner = seed.student.user_id
    started = jobs.latest(owner, "gen_map")
    assert started is not None and not started.finished
    at.button(key="gen_map_stop").click().run()
    done = jobs.wait(started.id, owner, 60)
    assert done is not None and done.status == "stopped"
    at.run()
    assert_clean(at)
    assert any("Stopped" in i.value for i in at.info)
    assert not any("t-SNE" in str(c.proto) for c in at.get("plotly_chart"))
    at.button(key="gen_map_again").click().run()
    at = _settle(at)
    shown = jobs.latest(owner, "gen_map")
    assert shown is not None and shown.status == "done" and shown.id != started.id
    assert any("t-SNE" in str(c.proto) for c in at.get("plotly_chart"))
    events = _events(seed.student).set_index("item_id")
    assert "clusters" in events.index


def test_tumour_data_reaches_multimodal_and_federated(seed: Seed) -> None:
    at = _open(seed.student, n=600)
    at.segmented_control(key="gen_kind").set_value("tumour").run()
    assert_clean(at)
    at = _predict(at, "multimodal", "large")
    at = _predict(at, "federated", "near_central")
    events = _events(seed.student).set_index("item_id")
    assert set(events.index) == {"multimodal", "federated"}
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Numbers sent to the server"].replace(",", "")) > 0


def test_upload_mode_asks_for_a_file_first(seed: Seed) -> None:
    """AppTest cannot upload a file: the upload itself is the Playwright journey's job."""
    at = _open(seed.student)
    at.segmented_control(key="gen_kind").set_value("upload").run()
    assert_clean(at)
    assert any("Upload a FASTA file" in i.value for i in at.info)
