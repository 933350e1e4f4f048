""" "Download all my data" holds everything kept about the learner, machine-readable: faces
(with the embedding numbers), saved agents and traffic policies (cards and files), the chain's
state, quest progress (issue 20, item 3). It used to hold only the profile and the events."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from core.accounts import PermissionDenied
from core.telemetry.export import full_export
from tests import factories as f
from tests.security.privacy_fixtures import FACE_LABEL, give_artefacts


def test_export_holds_every_kind_of_data(db_url: str) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat = f.student(room, "bolat")
    made = give_artefacts(bolat)

    export = full_export(bolat, bolat.user_id)
    doc = json.loads(export.to_json())

    assert doc["profile"]["username"] == "bolat" and "password_hash" not in json.dumps(doc)
    assert len(doc["events"]) == 1
    [face] = doc["face_enrolments"]
    assert face["name"] == FACE_LABEL and face["model"] == "Dlib" and len(face["embedding"]) == 128
    kinds = {(e["kind"], e["path"].rsplit("/", 1)[-1]) for e in doc["files"]}
    assert kinds == {
        ("rl_agents", "first_pole.zip"),
        ("rl_agents", "first_pole.json"),
        ("traffic", made.policy_file.name),
    }
    card = next(e["card"] for e in doc["files"] if e["path"].endswith(".json"))
    assert card["name"] == made.agent_name and card["algo"] == "ppo"
    chain = doc["blockchain"]
    assert chain["blocks"] >= 2 and chain["contracts"] == {"token": chain["wallets"][2]["address"]}
    assert {w["name"] for w in chain["wallets"]} == {"me", "friend", "shop"}
    assert "private" not in json.dumps(chain).lower()
    assert {"xp", "level", "badges", "levels", "completed_tasks"} <= set(doc["quest_progress"])
    assert [j["label"] for j in doc["jobs"]] == ["PPO CartPole"]

    archive = zipfile.ZipFile(io.BytesIO(export.to_zip()))
    names = set(archive.namelist())
    assert {"data.json", "events.csv"} <= names
    for entry in doc["files"]:
        blob = archive.read(entry["path"])
        assert hashlib.sha256(blob).hexdigest() == entry["sha256"]
    assert json.loads(archive.read("data.json"))["face_enrolments"][0]["name"] == FACE_LABEL


def test_teacher_exports_own_students_only(db_url: str) -> None:
    first = f.teacher()
    other = f.teacher("dana_t", first=False, by=first)
    bolat = f.student(f.classroom(first), "bolat")
    erlan = f.student(f.classroom(other, "10B"), "erlan")
    assert full_export(first, bolat.user_id).base.profile["username"] == "bolat"
    with pytest.raises(PermissionDenied):
        full_export(first, erlan.user_id)
    with pytest.raises(PermissionDenied):
        full_export(bolat, erlan.user_id)
