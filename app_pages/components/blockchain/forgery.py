"""Level 4's forgery puzzles: four signed payment notes, each genuine, changed after signing,
signed by someone else, or no signature at all. The learner recovers the signer to judge.

Each verdict is one event (item spot_forgery, the kind of note as payload part). A wrong verdict
is explained and locks that note; once every note of a round is judged, a new round deals fresh
notes of the kinds still unsolved, so a retry is a new decision, not a repeat of the feedback."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain.visuals import PLAIN, hash_html, label, short, show
from app_pages.components.session import tr
from core.blockchain.keys import Puzzle, Verdict, forgery_puzzles, new_wallet, recover
from core.blockchain.quests import check_forgery_verdict

TASK = "spot_forgery"
STATE = "bcq_l4_forgery"
KINDS: tuple[Verdict, ...] = ("genuine", "message_changed", "other_signer", "malformed")


def _state(quest: tk.Quest) -> dict[str, Any]:
    """The notes on the table: a practice round brings new wallets, new amounts, new notes of
    every kind (round numbers keep counting, so every widget key is new)."""
    seed = tk.task_seed(TASK)
    practice = tk.practice_round(TASK)
    old = st.session_state.get(STATE)
    if old is None or old.get("practice", 0) != practice:
        st.session_state[STATE] = {
            "alice": new_wallet(seed=seed * 3 + 1),
            "mallory": new_wallet(seed=seed * 3 + 2),
            "round": 0 if old is None else old["round"] + 1,
            "practice": practice,
        }
    value: dict[str, Any] = st.session_state[STATE]
    if "puzzles" not in value:
        todo = [k for k in KINDS if not tk.solved(quest, TASK, k)]
        dealt = forgery_puzzles(
            value["alice"], value["mallory"], seed + value["round"], tr("quest_note.template")
        )
        value["puzzles"] = [p for p in dealt if p.truth in todo]
        value["answered"] = {}
        value["recovered"] = set()
    return value


def _new_round() -> None:
    value = st.session_state[STATE]
    value["round"] += 1
    del value["puzzles"]


def render(quest: tk.Quest) -> None:
    value = _state(quest)
    solved = [k for k in KINDS if tk.solved(quest, TASK, k)]
    done = len(solved) == len(KINDS)
    with tk.card(quest, TASK, "quest.keys.forgery_title", ":material/gavel:", done=done):
        st.markdown(tr("quest.keys.forgery_body"))
        book = st.columns(2)
        for column, who in zip(book, ("alice", "mallory"), strict=True):
            column.caption(tr(f"quest.keys.book_{who}"))
            column.code(value[who].address, language=None)
        st.progress(
            len(solved) / len(KINDS),
            text=tr("quest.keys.forgery_progress", n=len(solved), total=len(KINDS)),
        )
        if done:
            st.success(tr("quest.keys.forgery_done"), icon=":material/workspace_premium:")
            return
        puzzles: list[Puzzle] = value["puzzles"]
        for start in range(0, len(puzzles), 2):  # rows of two, so neighbours line up
            row = range(start, min(start + 2, len(puzzles)))
            for column, j in zip(st.columns(2), row, strict=False):
                with column:
                    _note(quest, value, j, puzzles[j])
        if len(value["answered"]) == len(puzzles):
            st.button(
                tr("quest.keys.new_round"),
                key=f"bcq_l4_round_{value['round']}",
                on_click=_new_round,
                type="primary",
                icon=":material/replay:",
            )
        tk.hint_button(TASK)


def _who(address: str | None, value: dict[str, Any]) -> str:
    if address is None:
        return tr("quest.keys.recovered_none")
    for who in ("alice", "mallory"):
        if address.lower() == value[who].address.lower():
            return tr(f"quest.keys.recovered_{who}")
    return tr("quest.keys.recovered_unknown", address=short(address, 8, 6))


def _note(quest: tk.Quest, value: dict[str, Any], j: int, puzzle: Puzzle) -> None:
    round_no, kind = value["round"], puzzle.truth
    tk.state(TASK, kind)  # the decision starts when the note is first shown
    answered = value["answered"].get(j)
    with st.container(border=True, key=f"{PLAIN}_f{round_no}_{j}", height="stretch"):
        st.markdown(f"**:material/mail: {tr('quest.keys.note_n', n=j + 1)}**")
        st.code(puzzle.message, language=None, wrap_lines=True)
        show(label(tr("quest.keys.signature")) + hash_html(puzzle.signature, per_row=33))
        st.caption(tr("quest.keys.claimed", address=short(puzzle.claimed, 8, 6)))
        if st.button(
            tr("quest.keys.recover"),
            key=f"bcq_l4_rec_{round_no}_{j}",
            icon=":material/person_search:",
        ):
            value["recovered"].add(j)
        if j in value["recovered"]:
            st.info(_who(recover(puzzle.message, puzzle.signature), value))
        verdict = st.radio(
            tr("quest.keys.verdict"),
            options=KINDS,
            format_func={k: tr(f"quest.keys.verdict_{k}") for k in KINDS}.__getitem__,
            index=None,
            key=f"bcq_l4_v_{round_no}_{j}",
            disabled=answered is not None,
        )
        if tk.controls(TASK, key=f"forgery_{round_no}_{j}", disabled=answered is not None):
            if verdict is None:
                st.warning(tr("quest.pick_first"))
            else:
                value["answered"][j] = verdict
                outcome = check_forgery_verdict(puzzle, verdict)
                payload = {"verdict": verdict, "round": round_no}
                tk.submit(quest, TASK, outcome, payload, part=kind)
        if answered is not None:
            tk.feedback(TASK, kind)
