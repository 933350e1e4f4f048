"""Input the traffic lab cannot use: a code the page translates, the values it needs."""

from __future__ import annotations

from core.errors import CodedError

MESSAGES: dict[str, str] = {
    "parameter_range": "{name} must be between {low} and {high}, got {value}.",
    "unknown_scenario": "There is no scenario '{value}'; choose one of {choices}.",
    "unknown_network": "There is no network '{value}'; choose one of {choices}.",
    "unknown_controller": (
        "There is no controller '{value}'; choose one of {choices} or rl:<path to a policy>."
    ),
    "no_policy": "No trained policy at '{path}'; train one first.",
    "unknown_model": "There is no forecasting model '{value}'; choose one of {choices}.",
    "interval_choice": "The interval must be one of {choices} minutes, got {value}.",
    "horizon_multiple": (
        "The horizon ({horizon} min) must be a multiple of the {interval}-minute interval."
    ),
    "counts_shape": (
        "Flows must be a table of {times} times by {detectors} detectors, got shape {shape}."
    ),
    "too_few_days": (
        "The data covers {days} days; forecasting with {test_days} test days needs at least "
        "{needed} (one day for 'yesterday', at least one to train on)."
    ),
}


class TrafficInputError(CodedError):
    MESSAGES = MESSAGES
