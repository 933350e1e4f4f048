"""The callback shape every live training here accepts: ``report(progress 0..1, update)`` returns
False to stop. ``core.jobs.JobContext.report`` has exactly this shape, so a job passes it in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[[float, Any], bool]


def silent(progress: float, update: Any = None) -> bool:
    return True
