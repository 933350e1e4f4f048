"""Telemetry: every learner decision as a validated event, recorded durably, read with authz."""

from core.telemetry.history import NEVER, ItemHistory, item_history
from core.telemetry.recorder import Recorder, record
from core.telemetry.repository import (
    UserExport,
    delete_student_data,
    export_user_data,
    load_events,
)
from core.telemetry.schema import Event

__all__ = [
    "NEVER",
    "Event",
    "ItemHistory",
    "Recorder",
    "UserExport",
    "delete_student_data",
    "export_user_data",
    "item_history",
    "load_events",
    "record",
]
