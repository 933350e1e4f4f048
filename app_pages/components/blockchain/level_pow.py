"""Level 3, proof of work: predict how many tries a d-zero seal takes, mine one and compare the
measured tries and time with 16**d, and see why the network adjusts the difficulty."""

from __future__ import annotations

import random
import secrets
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain.visuals import hash_html, label, show
from app_pages.components.class_views import CHART
from app_pages.components.plots import plot
from app_pages.components.session import tr
from core.blockchain.ledger import Ledger, MineResult, expected_attempts
from core.blockchain.quests import check_attempts_guess, check_mined_block

MIN_DIFFICULTY, MAX_DIFFICULTY = 1, 5  # 16**5 ≈ 1 million tries: about a second here
DIFFICULTY = "bcq_l3_diff"
NEXT_DIFFICULTY = "bcq_l3_next_diff"
HISTORY = "bcq_l3_history"
PRACTICE_SEEN = "bcq_l3_practice_seen"  # the prediction's practice round the difficulty is for
MAX_GUESS = 10**12


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.pow.story"))
    difficulty = _difficulty()
    _predict(quest, difficulty)
    _mine(quest, difficulty)
    _chart()
    with st.container(border=True, key="bcq_l3_why"):
        st.markdown(f"##### :material/tune: {tr('quest.pow.why_title')}", anchors=False)
        st.markdown(tr("quest.pow.why_body"))


def _clamp(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 2
    return max(MIN_DIFFICULTY, min(MAX_DIFFICULTY, number))


def _practice_difficulty() -> None:
    """A practice round of the prediction asks about a new difficulty (set before the slider
    exists, as after a wrong guess)."""
    practice = tk.practice_round("predict_attempts")
    if practice and st.session_state.get(PRACTICE_SEEN) != practice:
        current = _clamp(st.session_state.get(DIFFICULTY, 2))
        st.session_state[NEXT_DIFFICULTY] = _another(current, tk.task_seed("predict_attempts"))
    st.session_state[PRACTICE_SEEN] = practice


def _another(difficulty: int, seed: int) -> int:
    others = [d for d in range(MIN_DIFFICULTY, MAX_DIFFICULTY + 1) if d != difficulty]
    return random.Random(seed).choice(others)


def _difficulty() -> int:
    _practice_difficulty()
    if NEXT_DIFFICULTY in st.session_state:  # set after a wrong guess, before the slider exists
        st.session_state[DIFFICULTY] = st.session_state.pop(NEXT_DIFFICULTY)
    if DIFFICULTY in st.session_state:
        st.session_state[DIFFICULTY] = _clamp(st.session_state[DIFFICULTY])
    value = st.slider(
        tr("quest.pow.difficulty"),
        min_value=MIN_DIFFICULTY,
        max_value=MAX_DIFFICULTY,
        value=2,
        key=DIFFICULTY,
        help=tr("quest.pow.difficulty_help"),
    )
    difficulty = _clamp(value)
    show(
        label(tr("quest.pow.target"))
        + hash_html("0" * difficulty + "?" * (64 - difficulty), per_row=32)
    )
    return difficulty


def guess_key(task_id: str, difficulty: int, answered: int) -> str:
    """An estimate belongs to the question it answers: the difficulty asked and how many
    answers came before. A new question (another difficulty, or the same one asked again after
    an answer) starts with an empty field, so an old wrong estimate cannot be sent again to a
    question it happens to fit."""
    return tk.wkey(task_id, f"bcq_l3_guess_{difficulty}_{answered}")


def _predict(quest: tk.Quest, difficulty: int) -> None:
    task_id = "predict_attempts"
    current = tk.state(task_id)
    past = tk.history(quest, task_id)
    with tk.card(quest, task_id, "quest.pow.predict_title", ":material/psychology:") as done:
        asked = current.get("asked", difficulty) if done else difficulty  # keep the solved one
        st.markdown(tk.tr_count("quest.pow.predict_body", asked, d=asked, zeros="0" * asked))
        guess = st.number_input(
            tr("quest.pow.guess"),
            min_value=1,
            max_value=MAX_GUESS,
            value=None,
            step=1,
            key=guess_key(task_id, asked, past.attempts),
            placeholder=tr("quest.pow.guess_placeholder"),
            disabled=done,
        )
        if tk.controls(task_id, disabled=done):
            if guess is None:
                st.warning(tr("quest.pow.guess_first"), icon=":material/edit:")
            else:
                value = max(1, min(MAX_GUESS, int(guess)))
                outcome = check_attempts_guess(difficulty, value)
                current["moved_to"], current["asked"] = None, difficulty
                if not outcome.correct:  # a fresh question: the council changes the difficulty
                    seed = tk.task_seed(task_id) + past.next_attempt
                    moved = _another(difficulty, seed)
                    st.session_state[NEXT_DIFFICULTY] = current["moved_to"] = moved
                tk.submit(quest, task_id, outcome, {"difficulty": difficulty, "guess": value})
        tk.feedback(task_id)
        moved_to = current.get("moved_to")
        if moved_to and not done:
            st.info(
                tk.tr_count("quest.pow.moved", moved_to, d=moved_to), icon=":material/swap_vert:"
            )
        tk.earlier_note(quest, task_id, done)


def _mine_once(difficulty: int, number: int) -> tuple[Ledger, MineResult]:
    """A fresh festival block (a random note, so two runs differ) mined from nonce 0."""
    ledger = Ledger(difficulty=0)
    ledger.add_block(f"{tr('quest.pow.block_data', n=number)} · {secrets.token_hex(4)}")
    return ledger, ledger.mine(1, difficulty)


def _mine(quest: tk.Quest, difficulty: int) -> None:
    task_id = "mine_block"
    history: list[dict[str, Any]] = st.session_state.setdefault(HISTORY, [])
    with tk.card(quest, task_id, "quest.pow.mine_title", ":material/hardware:") as done:
        st.markdown(tr("quest.pow.mine_body"))
        if difficulty == MAX_DIFFICULTY:
            st.caption(f":material/hourglass_top: {tr('quest.pow.slow_warning')}")
        if st.button(
            tr("quest.pow.mine", d=difficulty),
            key="bcq_l3_mine",
            type="primary",
            icon=":material/hardware:",
        ):
            with st.spinner(tr("quest.pow.mining")):
                ledger, result = _mine_once(difficulty, len(history) + 1)
            row = {
                "difficulty": difficulty,
                "attempts": result.attempts,
                "expected": result.expected_attempts,
                "seconds": round(result.seconds, 4),
                "hash": result.hash,
            }
            history.append(row)
            if not done:
                outcome = check_mined_block(ledger, result, difficulty)
                payload = {k: row[k] for k in ("difficulty", "attempts", "seconds")}
                tk.submit(quest, task_id, outcome, payload)
        if len(history) <= 1 or tk.practising(task_id):  # else the numbers below speak
            tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        if history:
            _last_result(history[-1])


def _last_result(row: dict[str, Any]) -> None:
    cols = st.columns(4)
    cols[0].metric(tr("quest.pow.tries"), f"{row['attempts']:,}".replace(",", " "))
    cols[1].metric(tr("quest.pow.expected"), f"{row['expected']:,}".replace(",", " "))
    cols[2].metric(tr("quest.pow.time"), tr("quest.pow.seconds", s=f"{row['seconds']:.3f}"))
    rate = row["attempts"] / row["seconds"] if row["seconds"] > 0 else 0
    cols[3].metric(tr("quest.pow.rate"), f"{rate:,.0f}".replace(",", " "))
    show(label(tr("quest.pow.mined_hash")) + hash_html(row["hash"], zeros=row["difficulty"]))
    st.caption(tr("quest.pow.luck", ratio=f"{row['attempts'] / row['expected']:.2f}"))


def _chart() -> None:
    history: list[dict[str, Any]] = st.session_state.get(HISTORY, [])
    levels = list(range(MIN_DIFFICULTY, MAX_DIFFICULTY + 1))
    expected = [expected_attempts(d) for d in levels]
    figure = go.Figure()
    figure.add_bar(
        x=levels,
        y=expected,
        name=tr("quest.pow.expected"),
        marker_color="#99f6e4",
        text=[f"{e:,}".replace(",", " ") for e in expected],
        textposition="outside",
    )
    if history:
        figure.add_scatter(
            x=[row["difficulty"] for row in history],
            y=[row["attempts"] for row in history],
            mode="markers",
            name=tr("quest.pow.measured"),
            marker={"color": "#c2410c", "size": 11, "symbol": "diamond"},
        )
    figure.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": tr("quest.pow.chart_title"), "font": {"size": 15}},
        xaxis={"title": tr("quest.pow.difficulty_axis"), "dtick": 1},
        yaxis={"title": tr("quest.pow.tries_axis"), "type": "log", "range": [0, 7]},
        legend={"orientation": "h", "y": -0.25},
    )
    plot(figure, config=CHART, key="bcq_l3_chart")
