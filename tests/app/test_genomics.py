"""The genomics explorer: every tab renders in every language; each step hides its result until a
prediction is locked, then judges it from the run's numbers and records one event on its skill;
the CNN and autoencoder train as jobs; bad uploads get a translated message, not a traceback."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.config import LANGUAGES
from core.telemetry import load_events
from tests.app.conftest import Seed, app_as, assert_clean, lock_prediction, run_job

PAGE = "app_pages/genomics.py"


def _open(actor: Actor, lang: str = "en", n: int = 400) -> AppTest:
    at = app_as(actor, lang)
    at.switch_page(PAGE).run()
    assert_clean(at)
    at.slider(key="gen_n").set_value(n).run()
    assert_clean(at)
    return at


def _events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == "gen"].reset_index(drop=True)


def _predict(at: AppTest, question: str, option: str) -> AppTest:
    return lock_prediction(at, "gen", question, option)


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
