"""Look-alike names (issue 20, item 11): "dаna.s" with a Cyrillic а must not sit in a roster
beside "dana.s"; a display name must not be invisible or reversed by bidi controls."""

from __future__ import annotations

import pytest

from core.accounts import AccountError
from core.accounts.classrooms import create_classroom
from core.accounts.service import create_teacher, login, register_student
from core.accounts.validation import (
    check_new_username,
    clean_class_name,
    clean_display_name,
    normalise_username,
)
from core.i18n import t
from core.text import scripts, skeleton
from tests import factories as f

CYRILLIC_A = "d\u0430na.s"  # а U+0430
DZE = "dana.\u0455"  # ѕ U+0455, the Cyrillic dze


def test_skeletons_follow_unicode_tr39() -> None:
    assert skeleton(CYRILLIC_A) == skeleton("dana.s") == skeleton(DZE)
    assert skeleton("dama") == skeleton("darna")  # m looks like rn
    assert skeleton("bolat1") == skeleton("bolatl")
    assert skeleton("dana.s") != skeleton("dina.s")
    assert skeleton("қайрат") != skeleton("кайрат")  # Kazakh letters are letters of their own


def test_scripts_ignore_digits_and_punctuation() -> None:
    assert scripts("dana.s_9") == {"LATIN"}
    assert scripts("дана.с-9") == {"CYRILLIC"}
    assert scripts(CYRILLIC_A) == {"LATIN", "CYRILLIC"}


@pytest.mark.parametrize(
    ("second", "key"),
    [
        (CYRILLIC_A, "errors.username_mixed_script"),
        (DZE, "errors.username_mixed_script"),
        ("вolat", "errors.username_mixed_script"),
        ("bolat1", "errors.username_confusable"),  # l and 1
        ("\u0430\u0441\u0430", "errors.username_confusable"),  # Cyrillic асa, all one script
    ],
)
def test_look_alike_usernames_are_refused(second: str, key: str) -> None:
    with pytest.raises(AccountError) as refused:
        check_new_username(normalise_username(second), ["dana.s", "bolatl", "aca"])
    assert refused.value.key == key
    for lang in ("kk", "ru", "en"):
        assert t(key, lang) != key


def test_registration_refuses_look_alikes_and_keeps_real_names(db_url: str) -> None:
    teacher = f.teacher("aca")
    room = create_classroom(teacher, "9A")
    register_student(room.join_code, "dana.s", "Dana", f.PASSWORD, "en")
    for second, key in (
        (CYRILLIC_A, "errors.username_mixed_script"),
        ("\u0430\u0441\u0430", "errors.username_confusable"),
        ("ＤＡＮＡ．Ｓ", "errors.username_taken"),  # NFKC and lower case: the same name
    ):
        with pytest.raises(AccountError) as refused:
            register_student(room.join_code, second, "Dana", f.PASSWORD, "en")
        assert refused.value.key == key
    with pytest.raises(AccountError) as refused:
        create_teacher(teacher, "dana.\u0455", "Dana", f.PASSWORD, "kk")
    assert refused.value.key == "errors.username_mixed_script"
    assert register_student(room.join_code, "дана.с", "Д", f.PASSWORD, "kk").username == "дана.с"
    assert login("дана.с", f.PASSWORD).actor.username == "дана.с"


def test_usernames_are_nfkc_normalised() -> None:
    assert normalise_username("ｄａｎａ．ｓ") == "dana.s"


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200b\u200c\u200d", "\u202e\u202c", "\u3164", " \u2800 ", "\u034f"]
)
def test_names_of_only_invisible_characters_are_refused(invisible: str) -> None:
    with pytest.raises(AccountError) as refused:
        clean_display_name(invisible)
    assert refused.value.key == "errors.display_name_empty"
    with pytest.raises(AccountError) as refused:
        clean_class_name(invisible)
    assert refused.value.key == "errors.class_name_empty"


def test_bidi_controls_are_stripped_from_names() -> None:
    assert clean_display_name("Dana\u202e sorekiS") == "Dana sorekiS"
    assert clean_display_name("\u2067Дана\u2069 \u200fС.") == "Дана С."
    assert clean_class_name("9\u202dA") == "9A"
    assert clean_display_name("Ｄａｎａ") == "Dana"  # NFKC
