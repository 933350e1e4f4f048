"""Live trainings (the CNN, the autoencoder) as background jobs tied to the data they were
trained on: change the data or a setting and the old result is marked stale, not silently reused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.jobs import JobContext, JobSnapshot
from app_pages.components.jobs import button_job
from app_pages.components.session import tr


def trained(
    key: str,
    signature: object,
    button: str,
    work: Callable[[], Callable[[JobContext], Any]],
    live: Callable[[JobSnapshot], None],
) -> Any | None:
    return button_job(key, signature, button, work, live, tr("gen.settings_changed"))
