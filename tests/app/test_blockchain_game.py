"""The Blockchain quest page: renders for every role and language, records one event per check
with the task's skill, error type and attempt, and opens levels in order."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.blockchain.hashing import digest, search
from core.blockchain.progress import ACTIVITY
from core.blockchain.quests import LEVELS
from core.config import LANGUAGES
from core.i18n import t
from core.telemetry import load_events, record
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean

PAGE = "app_pages/blockchain_game.py"


def _open(actor: Actor, lang: str = "en", level: str | None = None) -> AppTest:
    at = app_as(actor, lang)
    at.switch_page(PAGE).run()
    if level is not None:
        at.session_state["bcq_level"] = level
        at.run()
    assert_clean(at)
    return at


def _quest_events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == ACTIVITY].reset_index(drop=True)


def _error(value: object) -> str | None:
    return value if isinstance(value, str) else None  # pandas reads a missing one as NaN


def _rows(actor: Actor, item_id: str) -> list[tuple[object, ...]]:
    """(skill, correct, error type, attempt) of each recorded check of one task, in order."""
    events = _quest_events(actor)
    mine = events[events["item_id"] == item_id]
    return [
        (r.skill, bool(r.correct), _error(r.error_type), int(r.attempt))
        for r in mine.itertuples(index=False)
    ]


def _complete_levels(actor: Actor, count: int) -> None:
    """Right first answers for every task of the first `count` levels, as a student would."""
    for level in LEVELS[:count]:
        for task in level.tasks:
            record(
                actor,
                f.event(
                    actor,
                    activity=ACTIVITY,
                    item_id=task.id,
                    skill=task.skill,
                    correct=True,
                    error_type=None,
                    payload={},
                ),
            )


def _check(at: AppTest, name: str) -> None:
    at.button(key=f"bcq_{name}_check").click().run()
    assert_clean(at)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", ["student", "teacher"])
def test_page_renders_for_every_role_and_language(seed: Seed, lang: str, role: str) -> None:
    actor = seed.student if role == "student" else seed.teacher
    at = _open(actor, lang)
    assert at.title[0].value == t("labs.blockchain.title", lang)
    assert at.header[0].value == t(
        "quest.level_title", lang, n=1, title=t("quest.level.hashing", lang)
    )
    assert at.button(key="bcq_open_blocks").disabled is (role == "student")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_teacher_tours_every_level(seed: Seed, lang: str) -> None:
    at = _open(seed.teacher, lang, "blocks")
    at.button(key="bcq_l2_re_0_1").click().run()
    at.button(key="bcq_l2_mine_0_3").click().run()
    assert_clean(at)
    at.session_state["bcq_level"] = "pow"
    at.run()
    at.slider(key="bcq_l3_diff").set_value(1).run()
    at.button(key="bcq_l3_mine").click().run()
    assert_clean(at)
    assert _rows(seed.teacher, "mine_block") == [("chain.pow", True, None, 1)]
    at.session_state["bcq_level"] = "keys"
    at.run()
    at.button(key="bcq_l4_create").click().run()
    at.button(key="bcq_l4_sign").click().run()
    at.text_input(key="bcq_l4_vmsg").set_value("changed").run()
    at.button(key="bcq_l4_rec_0_0").click().run()
    assert_clean(at)


def _mystery(at: AppTest) -> tuple[str, str]:
    """The record and seal of the 'whose seal' task, read off the page."""
    card = at.get("code")
    seal_label = t("quest.hashing.algo_seal", "en")
    text = next(c.value for c in card if c.value in _mystery_texts())
    seal_html = next(m.value for m in at.markdown if f">{seal_label}</div>" in m.value)
    seal = re.sub(r"<[^>]+>", "", seal_html).removeprefix(seal_label)
    return text, seal


def _mystery_texts() -> set[str]:
    return {t(f"quest.hashing.mystery_{i}", "en") for i in (1, 2, 3)}


def test_level_one_walkthrough_records_each_check(seed: Seed) -> None:
    student = seed.student
    at = _open(student)
    base = t("quest.hashing.avalanche_base", "en")
    at.text_input(key="bcq_l1_aval_text").set_value(base.replace("Kegen", "Kegan"))
    at.slider(key="bcq_l1_aval_guess").set_value(3)
    _check(at, "avalanche")
    assert at.error, "a wrong guess is explained"
    at.slider(key="bcq_l1_aval_guess").set_value(50)
    _check(at, "avalanche")
    assert _rows(student, "avalanche") == [
        ("chain.hashing", False, "expects_small_change", 1),
        ("chain.hashing", True, None, 2),
    ]

    _check(at, "find_prefix")  # nothing typed yet
    at.text_input(key="bcq_l1_prefix_text").set_value("Bolat")
    _check(at, "find_prefix")
    at.text_input(key="bcq_l1_prefix_text").set_value(search("Bolat", "00"))
    _check(at, "find_prefix")
    wrong = "prefix_at_wrong_end" if digest("Bolat").endswith("00") else "prefix_not_met"
    assert _rows(student, "find_prefix") == [
        ("chain.hashing", False, "empty_input", 1),
        ("chain.hashing", False, wrong, 2),
        ("chain.hashing", True, None, 3),
    ]

    text, seal = _mystery(at)
    truth = "keccak256" if digest(text, "keccak256") == seal else "sha256"
    assert digest(text, truth) == seal
    at.radio(key="bcq_l1_algo_pick").set_value(truth)
    _check(at, "keccak_vs_sha")
    assert _rows(student, "keccak_vs_sha") == [("chain.hashing", True, None, 1)]

    events = _quest_events(student)
    assert (events["hints_used"] == 0).all()
    assert (events["decision_ms"] >= 0).all()
    assert at.button(key="bcq_open_blocks").disabled is False  # level 1 done: level 2 opens
    assert t("quest.badge.flawless_hashing", "en") not in str(at.markdown)  # retries happened
    assert t("quest.badge.level_hashing", "en") in " ".join(m.value for m in at.markdown)


def test_hint_is_counted(seed: Seed) -> None:
    at = _open(seed.student)
    at.button(key="bcq_avalanche_hint").click().run()
    assert at.info[0].value == t("quest.hints.avalanche", "en")
    at.text_input(key="bcq_l1_aval_text").set_value("talgar sends 40 kg of apples to Kegen")
    at.slider(key="bcq_l1_aval_guess").set_value(50)
    _check(at, "avalanche")
    assert int(_quest_events(seed.student).loc[0, "hints_used"]) == 1


def test_bad_input_never_breaks_the_page(seed: Seed) -> None:
    at = _open(seed.teacher)
    at.text_input(key="bcq_l1_play").set_value("").run()
    at.text_input(key="bcq_l1_prefix_text").set_value("ж" * 600).run()
    assert_clean(at)
    assert len(at.text_input(key="bcq_l1_prefix_text").value) == 500  # capped, not an error
    base = t("quest.hashing.avalanche_base", "en")
    _check(at, "avalanche")  # unchanged text: asked to change a letter, nothing recorded
    assert at.warning[0].value == t("quest.hashing.avalanche_same", "en")
    assert _rows(seed.teacher, "avalanche") == []
    at.text_input(key="bcq_l1_aval_text").set_value(base + "!" * 600).run()
    _check(at, "avalanche")
    at.session_state["bcq_level"] = "pow"
    at.session_state["bcq_l3_diff"] = 9
    at.run()
    assert_clean(at)
    assert at.slider(key="bcq_l3_diff").value == 5
    _check(at, "predict_attempts")  # no estimate yet
    assert at.warning[0].value == t("quest.pow.guess_first", "en")
    at.session_state["bcq_level"] = "keys"
    at.run()
    at.button(key="bcq_l4_create").click().run()
    at.text_input(key="bcq_l4_msg").set_value("").run()
    at.button(key="bcq_l4_sign").click().run()
    assert at.warning[-1].value == t("quest.keys.message_empty", "en")
    at.text_input(key="bcq_l4_msg").set_value("salem").run()
    at.button(key="bcq_l4_sign").click().run()
    at.text_input(key="bcq_l4_vsig").set_value("0xnot-a-signature").run()
    assert t("quest.keys.not_a_signature", "en") in [e.value for e in at.error]
    assert_clean(at)


def test_level_two_tamper_pick_wrong_then_right_and_repair(seed: Seed) -> None:
    student = seed.student
    _complete_levels(student, 1)
    at = _open(student, level="blocks")
    truth = at.session_state["bcq_l2_tamper"]["ledger"].validate()
    at.radio(key="bcq_l2_pick_0").set_value(truth % 4 + 1)  # another block
    _check(at, "find_tampered")
    fresh = at.session_state["bcq_l2_tamper"]
    assert fresh["round"] == 1  # a new secret after a wrong pick
    at.radio(key="bcq_l2_pick_1").set_value(fresh["ledger"].validate())
    _check(at, "find_tampered")
    rows = _rows(student, "find_tampered")
    wrong = "picked_later_block" if truth % 4 + 1 > truth else "picked_earlier_block"
    assert rows == [("chain.blocks", False, wrong, 1), ("chain.blocks", True, None, 2)]

    at.text_area(key="bcq_l2_data_0_2").set_value("Talgar sends 999 crates of apples to Saty")
    at.run()
    _check(at, "repair_chain")
    for index in (2, 3, 4):
        at.button(key=f"bcq_l2_mine_0_{index}").click().run()
    _check(at, "repair_chain")
    assert _rows(student, "repair_chain") == [
        ("chain.blocks", False, "block_not_remined", 1),
        ("chain.blocks", True, None, 2),
    ]


def test_level_three_guess_moves_the_difficulty(seed: Seed) -> None:
    student = seed.student
    _complete_levels(student, 2)
    at = _open(student, level="pow")
    at.slider(key="bcq_l3_diff").set_value(3).run()
    at.number_input(key="bcq_l3_guess").set_value(48)
    _check(at, "predict_attempts")
    moved = at.slider(key="bcq_l3_diff").value
    assert moved != 3
    at.number_input(key="bcq_l3_guess").set_value(16**moved)
    _check(at, "predict_attempts")
    assert _rows(student, "predict_attempts") == [
        ("chain.pow", False, "linear_not_exponential", 1),
        ("chain.pow", True, None, 2),
    ]


def test_level_four_address_and_forgery_verdicts(seed: Seed) -> None:
    student = seed.student
    _complete_levels(student, 3)
    at = _open(student, level="keys")
    at.button(key="bcq_l4_create").click().run()
    wallet = at.session_state["bcq_l4_wallet"]
    at.text_input(key="bcq_l4_addr").set_value(wallet.private_key)
    _check(at, "derive_address")
    at.text_input(key="bcq_l4_addr").set_value(wallet.address.lower())
    _check(at, "derive_address")
    assert _rows(student, "derive_address") == [
        ("chain.signatures", False, "gave_private_key_or_hash", 1),
        ("chain.signatures", True, None, 2),
    ]

    wrong_answer = {"genuine": "other_signer", "malformed": "genuine"}
    puzzles = at.session_state["bcq_l4_forgery"]["puzzles"]
    for j, puzzle in enumerate(puzzles):
        at.radio(key=f"bcq_l4_v_0_{j}").set_value(wrong_answer.get(puzzle.truth, puzzle.truth))
        _check(at, f"forgery_0_{j}")
    at.button(key="bcq_l4_round_0").click().run()
    again = at.session_state["bcq_l4_forgery"]["puzzles"]
    assert sorted(p.truth for p in again) == ["genuine", "malformed"]
    for j, puzzle in enumerate(again):
        at.radio(key=f"bcq_l4_v_1_{j}").set_value(puzzle.truth)
        _check(at, f"forgery_1_{j}")
    events = _quest_events(student)
    verdicts = events[events["item_id"] == "spot_forgery"]
    assert {
        (r.payload["part"], bool(r.correct), _error(r.error_type), int(r.attempt))
        for r in verdicts.itertuples()
    } == {
        ("genuine", False, "rejected_genuine", 1),
        ("malformed", False, "confused_hash_with_signature", 1),
        ("message_changed", True, None, 1),
        ("other_signer", True, None, 1),
        ("genuine", True, None, 2),
        ("malformed", True, None, 2),
    }
    assert set(verdicts["skill"]) == {"chain.signatures"}
    assert any(s.value == t("quest.keys.forgery_done", "en") for s in at.success)


def test_levels_open_in_order_for_students_only(seed: Seed) -> None:
    locked = _open(seed.student, level="blocks")
    assert [w.value for w in locked.warning] == [t("quest.locked_body", "en")]
    assert not [b for b in locked.button if b.key == "bcq_find_tampered_check"]
    assert locked.button(key="bcq_open_blocks").disabled

    _complete_levels(seed.student, 1)
    opened = _open(seed.student, level="blocks")
    assert opened.button(key="bcq_find_tampered_check")
    opened.session_state["bcq_level"] = "pow"
    opened.run()
    assert [w.value for w in opened.warning] == [t("quest.locked_body", "en")]
    assert opened.button(key="bcq_open_pow").disabled

    teacher = _open(seed.teacher, level="keys")
    assert not teacher.warning
    assert teacher.button(key="bcq_l4_create")
