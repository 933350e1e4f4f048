"""User text shown inside Markdown: what a person typed must read as the characters they typed.

Streamlit renders Markdown (GitHub-flavoured, plus its own `:red[…]` colour directives,
`:material/…:` icons, `:emoji:` short codes and `$…$` maths) in titles, captions, alerts,
expander, popover, tab and button labels. A display name such as `![x](http://host/x.png)`
would make every teacher's browser fetch an outside host, `[click](http://…)` would be a
trusted-looking link, and a bare `http://…`, `www.…` or `a@b.c` becomes a link as well.

Backslash escapes (CommonMark: any ASCII punctuation) stop the parser, but several of
Streamlit's extensions (autolink literals, icons, emoji, the `:streamlit:` logo) search the
already parsed *text*, where an escaped `:` is a plain `:` again. A WORD JOINER (U+2060,
invisible, zero width) after `:` and `@` and inside `www.` breaks those patterns too. A `.`
matters only after a digit ("1." starts a list) or `www`; elsewhere it is left alone, so an
ordinary "Aigerim T." stays as it is. Measured in Chromium on Streamlit 1.67
(tests/security/test_hostile_names_browser.py).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import defaultdict
from functools import lru_cache

from confusable_homoglyphs import categories, confusables  # type: ignore[import-untyped]

WORD_JOINER = "\u2060"
_ESCAPE = {ch: "\\" + ch for ch in string.punctuation}
# Autolink literals (http://, www., mailto:, a@b.c), `:directive[…]`, `:material/x:`, `:emoji:`.
_ESCAPE[":"] = "\\:" + WORD_JOINER
_ESCAPE["@"] = "\\@" + WORD_JOINER
del _ESCAPE["."]
_TABLE = str.maketrans(_ESCAPE)
_LIST_DOT = re.compile(r"(?<=\d)\.")
_WWW_DOT = re.compile(r"(?<=www)\.", re.IGNORECASE)


def plain_markdown(text: object) -> str:
    """`text` escaped so that a Markdown element shows it literally, on one line.

    Whitespace (line breaks, tabs, runs of spaces, leading indentation that would start a code
    block) collapses to single spaces: a name is one line of text, and a blank line or a
    leading `#`/`>`/`-` must not start a new block in the surrounding message."""
    escaped = " ".join(str(text).split()).translate(_TABLE)
    escaped = _WWW_DOT.sub(WORD_JOINER + "\\.", escaped)
    return _LIST_DOT.sub("\\.", escaped)


# Look-alike names. Unicode TR39 §4: two strings are confusable when their *skeletons* are equal,
# skeleton(s) = NFD(each character of NFD(s) replaced by its prototype). The prototypes come from
# Unicode's confusables.txt as shipped by confusable_homoglyphs; that package stores each
# "source → prototype" line in both directions, so the prototype of a character is recovered as
# the centre of its group (every source of a prototype points at it; a multi-character node is
# always a prototype, confusables.txt maps single code points only).
_DIRECTION_MARKS = "\u200e\u200f"  # the package pads right-to-left characters with these


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    neighbours: dict[str, set[str]] = defaultdict(set)
    for key, entries in confusables.confusables_data.items():
        source = key.strip(_DIRECTION_MARKS)
        for entry in entries:
            target = entry["c"].strip(_DIRECTION_MARKS)
            if source and target and source != target:
                neighbours[source].add(target)
                neighbours[target].add(source)
    prototype: dict[str, str] = {}
    for start in neighbours:
        if start in prototype:
            continue
        group, todo = {start}, [start]
        while todo:
            for other in neighbours[todo.pop()] - group:
                group.add(other)
                todo.append(other)
        centre = min(group, key=lambda node: (-len(neighbours[node]), -len(node), node))
        for node in group:
            prototype[node] = centre
    return prototype


def skeleton(text: str) -> str:
    """TR39 skeleton: "dаna.s" (Cyrillic а), "dana.s" and "dana.ѕ" all give the same one."""
    prototypes = _prototypes()

    def expand(chars: str, depth: int = 0) -> str:
        out = []
        for ch in chars:
            mapped = prototypes.get(ch, ch)
            out.append(expand(mapped, depth + 1) if len(mapped) > 1 and depth < 3 else mapped)
        return "".join(out)

    return unicodedata.normalize("NFD", expand(unicodedata.normalize("NFD", text)))


def scripts(text: str) -> set[str]:
    """The scripts a text's letters come from (digits and punctuation belong to none)."""
    found: set[str] = categories.unique_aliases(text)
    return found - {"COMMON", "INHERITED"}
