"""Everything that can go wrong between the app and the vision worker, as codes the page
translates; ``str(error)`` is a plain English sentence for scripts and logs."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "unavailable": "The vision environment is not installed at {path}; run `make vision`.",
    "start_failed": "The vision worker did not start: {detail}",
    "unreachable": "The vision worker at {address} does not answer: {detail}",
    "crashed": "The vision worker stopped (exit code {exit_code}) and has been restarted.",
    "memory": (
        "The vision worker used {rss_mb:.0f} MB, more than its {limit_mb:.0f} MB limit, "
        "and has been restarted."
    ),
    "timeout": "The vision worker did not answer within {seconds:.0f} s.",
    "unauthorised": "The vision worker refused the token; set ZERDE_VISION_TOKEN to its token.",
    "missing_weights": "This needs the file {file}; place it in {folder}.",
    "bad_request": "The vision worker could not use this input: {detail}",
    "failed": "The vision model failed: {detail}",
    "no_face": "No face was found in the {which} image.",
    "unknown_op": "The vision worker does not know '{detail}'; update it.",
}


class VisionError(Exception):
    def __init__(self, code: str, **values: object) -> None:
        self.code = code if code in MESSAGES else "failed"
        self.values = values if code in MESSAGES else {"detail": f"{code} {values}"}
        try:
            text = MESSAGES[self.code].format(**self.values)
        except (KeyError, ValueError):
            text = f"{self.code}: {self.values}"
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.code, self.values))


def _rebuild(code: str, values: dict[str, object]) -> VisionError:
    return VisionError(code, **values)


# What a vision job hands back as its result, for the page to explain, instead of failing: the
# worker's errors and the labs' coded input errors (MediaError, NetcamError, GalleryError and
# PalmInputError are all ValueErrors). All of them pickle by code and values.
EXPLAINED: tuple[type[Exception], ...] = (VisionError, ValueError)
