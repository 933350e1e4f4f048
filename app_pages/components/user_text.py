"""The one way a page shows text a person typed (names, class names, face labels, agent names)
inside anything Streamlit renders as Markdown: titles, captions, alerts, expander, popover,
tab, button and widget labels, and translated messages that take a name.

Tables, select-box options and download file names are plain text already: do not escape
there, or the backslashes show."""

from __future__ import annotations

from core.text import plain_markdown


def user_text(value: object) -> str:
    """`value` escaped for a Markdown element (see core/text.py for what and why)."""
    return plain_markdown(value)
