"""Errors carry an i18n key, so the page shows a translated message instead of a traceback."""

from __future__ import annotations


class AccountError(Exception):
    """A user mistake the page explains: `key` is an i18n key under `errors.`."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class PermissionDenied(AccountError):
    """The acting user may not do this: raised by repositories, whatever the UI shows."""

    def __init__(self, what: str = "") -> None:
        super().__init__("errors.permission_denied", what=what)
