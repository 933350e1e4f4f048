"""Accounts, roles, classrooms and sessions."""

from core.accounts.actor import Actor, Role
from core.accounts.errors import AccountError, PermissionDenied

__all__ = ["AccountError", "Actor", "PermissionDenied", "Role"]
