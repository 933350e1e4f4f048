"""Pictures of hashes and blocks in the spirit of Anders Brownworth's demo: hex in rows of 16 with
the leading zeros picked out, a 16 x 16 grid of flipped bits, and tinted block cards. Plain HTML
and CSS (no web fonts, nothing from the network); every learner-typed text is escaped."""

from __future__ import annotations

import html

import streamlit as st

OK, BAD, PLAIN = "zqok", "zqbad", "zqplain"  # container key prefixes the CSS below tints

STYLE = """
<style>
.zq-hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.78rem; line-height: 1.25; letter-spacing: 0.04em; color: #334155;
  background: rgba(255,255,255,0.7); border: 1px solid #e2e8f0; border-radius: 6px;
  padding: 4px 6px; display: inline-block; margin-bottom: 6px; }
.zq-hash.zq-wide { font-size: 0.9rem; }
.zq-hash.zq-small { font-size: 0.7rem; letter-spacing: 0; padding: 3px 4px; }
.zq-hash .zq-zero { color: #15803d; font-weight: 700; background: #dcfce7; border-radius: 2px; }
.zq-hash .zq-miss { color: #b91c1c; font-weight: 700; background: #fee2e2; border-radius: 2px; }
.zq-hash .zq-diff { color: #c2410c; font-weight: 700; background: #ffedd5; border-radius: 2px; }
.zq-hash .zq-tail { color: #0e7490; font-weight: 700; }
.zq-label { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.06em;
  color: #64748b; margin: 2px 0 1px 0; }
.zq-data { font-size: 0.9rem; background: rgba(255,255,255,0.8); border: 1px solid #e2e8f0;
  border-radius: 6px; padding: 6px 8px; min-height: 3.4em; overflow-wrap: anywhere; }
.zq-grid { display: grid; grid-template-columns: repeat(16, 14px); gap: 2px; margin: 4px 0; }
.zq-grid span { width: 14px; height: 14px; border-radius: 2px; background: #e2e8f0; }
.zq-grid span.zq-on { background: #ea580c; }
.zq-legend { font-size: 0.8rem; color: #475569; }
.zq-legend i { display: inline-block; width: 11px; height: 11px; border-radius: 2px;
  margin: 0 4px 0 10px; vertical-align: -1px; }
[class*="st-key-zqok_"] { background: #f0fdf4; border-color: #86efac !important; }
[class*="st-key-zqbad_"] { background: #fef2f2; border-color: #fca5a5 !important; }
[class*="st-key-zqplain_"] { background: #f8fafc; }
[class*="st-key-bcq_card_"] { background: #ffffff; }
</style>
"""


def inject_style() -> None:
    st.html(STYLE)


def _rows(cells: list[str], per_row: int) -> str:
    return "<br>".join("".join(cells[i : i + per_row]) for i in range(0, len(cells), per_row))


def hash_html(
    value: str,
    *,
    zeros: int | None = None,
    prefix: str | None = None,
    against: str | None = None,
    tail: int = 0,
    per_row: int = 16,
    wide: bool = False,
    small: bool = False,
) -> str:
    """Hex in rows. `zeros`: mark the first `zeros` digits green when they are 0, red when not
    (None: mark the run of leading zeros). `prefix`: the same against any target prefix.
    `against`: mark digits that differ from it. `tail`: mark the last `tail` digits (where an
    address comes from)."""
    text = value.removeprefix("0x")
    target = prefix if prefix is not None else None if zeros is None else "0" * zeros
    run = len(text) - len(text.lstrip("0"))
    cells = []
    for i, ch in enumerate(text):
        cls = ""
        if target is None and i < run:
            cls = "zq-zero"
        elif target is not None and i < len(target):
            cls = "zq-zero" if ch == target[i] else "zq-miss"
        elif against is not None and i < len(against) and against[i] != ch:
            cls = "zq-diff"
        elif tail and i >= len(text) - tail:
            cls = "zq-tail"
        cells.append(f'<span class="{cls}">{ch}</span>' if cls else html.escape(ch))
    size = " zq-wide" if wide else (" zq-small" if small else "")
    return f'<div class="zq-hash{size}">{_rows(cells, per_row)}</div>'


def label(text: str) -> str:
    return f'<div class="zq-label">{html.escape(text)}</div>'


def data_box(text: str) -> str:
    return f'<div class="zq-data">{html.escape(text)}</div>'


def bit_grid_html(first: str, second: str, legend_same: str, legend_flipped: str) -> str:
    """256 squares, one per output bit; orange where the two digests differ."""
    a, b = int(first, 16), int(second, 16)
    bits = len(first) * 4
    flipped = a ^ b
    cells = [
        '<span class="zq-on"></span>' if (flipped >> (bits - 1 - i)) & 1 else "<span></span>"
        for i in range(bits)
    ]
    legend = (
        f'<div class="zq-legend"><i style="background:#e2e8f0"></i>{html.escape(legend_same)}'
        f'<i style="background:#ea580c"></i>{html.escape(legend_flipped)}</div>'
    )
    return f'<div class="zq-grid">{"".join(cells)}</div>{legend}'


def short(value: str, head: int = 6, tail: int = 4) -> str:
    return value if len(value) <= head + tail + 1 else f"{value[:head]}…{value[-tail:]}"


def show(markup: str) -> None:
    st.markdown(markup, unsafe_allow_html=True)
