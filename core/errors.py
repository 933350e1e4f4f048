"""Input a lab cannot use, as one error shape: a code the page translates, the values the
message needs, and a plain English sentence (``str(error)``) for scripts and logs. Each lab
subclasses it with its own ``MESSAGES``."""

from __future__ import annotations

from typing import ClassVar


class CodedError(ValueError):
    MESSAGES: ClassVar[dict[str, str]] = {}

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(self.MESSAGES[code].format(**values))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by class, code and values (Streamlit's cache pickles errors it returns)."""
        return (_rebuild, (type(self), self.code, self.values))

    @classmethod
    def check_ranges(cls, *limits: tuple[str, float, float, float]) -> None:
        """Raise ``parameter_range`` for the first (name, value, low, high) outside its bounds."""
        for name, value, low, high in limits:
            if not low <= value <= high:
                raise cls("parameter_range", name=name, low=low, high=high, value=value)


def _rebuild(cls: type[CodedError], code: str, values: dict[str, object]) -> CodedError:
    return cls(code, **values)
