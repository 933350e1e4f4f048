"""One error type for every setting the palm-vein lab cannot use, carrying a code the page
translates and the values it needs; ``str(error)`` is a plain English sentence for scripts."""

from __future__ import annotations

from core.errors import CodedError

MESSAGES: dict[str, str] = {
    "parameter_range": "{name} must be between {low} and {high}, got {value}.",
    "blocks": "blocks must list 1 to 4 stages of 1 to 4 residual blocks each, got {value}.",
    "too_few_identities": (
        "The split leaves {train} identities for training and {test} held out; "
        "each side needs at least 2."
    ),
    "too_few_samples": (
        "Each identity has {samples} samples; enrolling {enrol} leaves none to probe with."
    ),
    "empty": "There are no images to work on.",
    "not_images": "Expected square greyscale images shaped (n, size, size), got shape {shape}.",
}


class PalmInputError(CodedError):
    MESSAGES = MESSAGES


check_ranges = PalmInputError.check_ranges
