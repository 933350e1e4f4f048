import pytest

from core.accounts import AccountError
from core.accounts.passwords import (
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first, second = hash_password("Tulpar-2026-steppe"), hash_password("Tulpar-2026-steppe")
    assert first.startswith("$argon2id$")
    assert first != second  # random salt
    assert verify_password(first, "Tulpar-2026-steppe")
    assert not verify_password(first, "tulpar-2026-steppe")
    assert not needs_rehash(first)


def test_garbage_hash_does_not_verify() -> None:
    assert not verify_password("not-a-hash", "whatever")


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("short1!", "errors.password_too_short"),
        ("x" * 129, "errors.password_too_long"),
        ("password123", "errors.password_common"),
        ("Qwertyuiop", "errors.password_common"),
        ("12345678", "errors.password_common"),
        ("87654321", "errors.password_common"),
        ("aaaaaaaaaaa", "errors.password_common"),
        ("ababababab", "errors.password_common"),
        ("йцукенгшщз", "errors.password_common"),
        ("my-bolat-secret", "errors.password_contains_username"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, key: str) -> None:
    with pytest.raises(AccountError) as info:
        check_password_policy(password, "bolat")
    assert info.value.key == key


@pytest.mark.parametrize("password", ["Tulpar-2026-steppe", "көктем жаңбыры 7", "xK9#mQ2$vL"])
def test_reasonable_passwords_pass(password: str) -> None:
    check_password_policy(password, "bolat")
