"""Level 1, the seal-maker: live SHA-256 and Keccak-256, the avalanche effect with a picture of
the flipped bits, a prefix puzzle (proof of work by hand) and "which function made this seal"."""

from __future__ import annotations

import random

import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain.visuals import bit_grid_html, hash_html, label, show
from app_pages.components.session import signed_in_fragment, tr
from core.blockchain.hashing import Algorithm, avalanche, digest, search
from core.blockchain.quests import check_avalanche, check_keccak_vs_sha, check_prefix_answer

ALGORITHMS: tuple[Algorithm, ...] = ("sha256", "keccak256")
PREFIX = "00"
MYSTERIES = ("quest.hashing.mystery_1", "quest.hashing.mystery_2", "quest.hashing.mystery_3")
TRADES = (  # practice records for the avalanche (the level 2 trades, with a seeded amount)
    "quest.blocks.trade_1",
    "quest.blocks.trade_2",
    "quest.blocks.trade_3",
    "quest.blocks.trade_4",
)


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.hashing.story"))
    _workshop()
    _avalanche(quest)
    _prefix(quest)
    _algorithm(quest)


@signed_in_fragment()
def _workshop() -> None:
    """The seal workshop: both digests of whatever the learner types, as they type."""
    with st.container(border=True, key="bcq_workshop"):
        st.markdown(
            f"##### :material/fingerprint: {tr('quest.hashing.workshop_title')}", anchors=False
        )
        text = tk.clip(
            st.text_input(
                tr("quest.hashing.workshop_label"),
                value=tr("quest.hashing.workshop_default"),
                key="bcq_l1_play",
                max_chars=tk.MAX_TEXT,
                live=True,
            )
        )
        left, right = st.columns(2)
        for column, algorithm in zip((left, right), ALGORITHMS, strict=True):
            with column:
                show(label(f"{tk.ALGORITHM_NAMES[algorithm]} · {tr(f'quest.hashing.{algorithm}')}"))
                show(hash_html(digest(text, algorithm), zeros=0, per_row=32, wide=True))
        if not text:
            st.caption(tr("quest.hashing.workshop_empty"))
        st.caption(tr("quest.hashing.workshop_note"))


def avalanche_base(task_seed: int, practice_round: int) -> str:
    """The record whose letter the learner changes: a trade with a seeded amount in practice."""
    if practice_round == 0:
        return tr("quest.hashing.avalanche_base")
    rng = random.Random(task_seed)
    return tr(rng.choice(TRADES), amount=rng.randint(3, 90))


def practice_prefix(task_seed: int, practice_round: int) -> str:
    """The council's prefix: 00 the first time, two other hex digits in each practice round (a
    text found before does not solve it again; the odds stay one in 256)."""
    if practice_round == 0:
        return PREFIX
    return f"{random.Random(task_seed).randrange(1, 256):02x}"


def _avalanche(quest: tk.Quest) -> None:
    task_id = "avalanche"
    current = tk.state(task_id)
    with tk.card(quest, task_id, "quest.hashing.avalanche_title", ":material/tsunami:") as done:
        st.markdown(tr("quest.hashing.avalanche_body"))
        base = avalanche_base(tk.task_seed(task_id), tk.practice_round(task_id))
        show(label(tr("quest.hashing.avalanche_original")))
        st.code(base, language=None)
        changed = st.text_input(
            tr("quest.hashing.avalanche_changed"),
            value=base,
            key=tk.wkey(task_id, "bcq_l1_aval_text"),
            max_chars=tk.MAX_TEXT,
            disabled=done,
        )
        guess = st.slider(
            tr("quest.hashing.avalanche_guess"),
            min_value=0,
            max_value=100,
            value=0,
            step=1,
            format="%d%%",
            key=tk.wkey(task_id, "bcq_l1_aval_guess"),
            disabled=done,
        )
        if tk.controls(task_id, disabled=done):
            changed = tk.clip(changed)
            if changed == base:
                st.warning(tr("quest.hashing.avalanche_same"), icon=":material/edit:")
            else:
                current["reveal"] = (base, changed)
                share = max(0, min(100, int(guess))) / 100
                tk.submit(
                    quest,
                    task_id,
                    check_avalanche(base, changed, share),
                    {"guess": share, "share": round(avalanche(base, changed).share, 3)},
                )
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        if current.get("reveal"):
            _bit_diff(*current["reveal"])


def _bit_diff(first: str, second: str) -> None:
    result = avalanche(first, second)
    left, right = st.columns([2, 3])
    with left:
        show(label(tr("quest.hashing.grid_title")))
        show(
            bit_grid_html(
                result.first,
                result.second,
                tr("quest.hashing.grid_same"),
                tr("quest.hashing.grid_flipped"),
            )
        )
    with right:
        show(
            label(tr("quest.hashing.seal_original")) + hash_html(result.first, zeros=0, per_row=32)
        )
        show(
            label(tr("quest.hashing.seal_changed"))
            + hash_html(result.second, zeros=0, against=result.first, per_row=32)
        )
        st.caption(
            tr(
                "quest.hashing.bits_flipped",
                n=result.bits_changed,
                total=result.total_bits,
                percent=round(100 * result.share),
            )
        )


def _count_try() -> None:
    tk.state("find_prefix")["tries"] = tk.state("find_prefix").get("tries", 0) + 1


@signed_in_fragment()
def _prefix(quest: tk.Quest) -> None:
    task_id = "find_prefix"
    current = tk.state(task_id)
    prefix = practice_prefix(tk.task_seed(task_id), tk.practice_round(task_id))
    with tk.card(quest, task_id, "quest.hashing.prefix_title", ":material/search:") as done:
        st.markdown(tr("quest.hashing.prefix_body", prefix=prefix))
        text = tk.clip(
            st.text_input(
                tr("quest.hashing.prefix_label"),
                key=tk.wkey(task_id, "bcq_l1_prefix_text"),
                max_chars=tk.MAX_TEXT,
                live=True,
                on_change=_count_try,
                disabled=done,
                placeholder=tr("quest.hashing.prefix_placeholder"),
            )
        )
        show(label("SHA-256") + hash_html(digest(text), prefix=prefix, per_row=32, wide=True))
        if st.toggle(tr("quest.hashing.show_tries"), key="bcq_l1_prefix_tries"):
            st.caption(tr("quest.hashing.tries", n=current.get("tries", 0)))

        def search_button() -> None:
            if st.button(
                tr("quest.hashing.search"),
                key="bcq_l1_prefix_search",
                icon=":material/memory:",
                disabled=done,
            ):
                base = text or tr("quest.hashing.prefix_placeholder")
                found = search(base, prefix)
                current["search"] = (found, int(found[len(base) :]) + 1)
                current["hints"] += 1  # letting the computer find it is the strongest hint

        check = tk.controls(task_id, disabled=done, extra=search_button)
        if check:
            tk.submit(
                quest,
                task_id,
                check_prefix_answer(text, prefix),
                {"text": text[:80], "prefix": prefix, "searched": bool(current.get("search"))},
            )
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        if current.get("search"):
            found, tries = current["search"]
            st.caption(tr("quest.hashing.search_result", tries=tries))
            st.code(found, language=None, wrap_lines=True)
        if done:
            st.info(tr("quest.hashing.prefix_pow"), icon=":material/hardware:")


def _mystery(seed: int, round_no: int) -> tuple[str, Algorithm, str]:
    rng = random.Random(seed * 31 + round_no)
    text = tr(rng.choice(MYSTERIES))
    algorithm: Algorithm = rng.choice(ALGORITHMS)
    return text, algorithm, digest(text, algorithm)


def _pick_key(round_no: int) -> str:
    """The answer belongs to the seal it judged: a new seal starts with no pick."""
    return "bcq_l1_algo_pick" if round_no == 0 else f"bcq_l1_algo_pick_{round_no}"


def _algorithm(quest: tk.Quest) -> None:
    task_id = "keccak_vs_sha"
    current = tk.state(task_id)
    with tk.card(quest, task_id, "quest.hashing.algo_title", ":material/quiz:") as done:
        st.markdown(tr("quest.hashing.algo_body"))
        text, _, shown = _mystery(tk.task_seed(task_id), current.get("round", 0))
        show(label(tr("quest.hashing.algo_text")))
        st.code(text, language=None)
        show(label(tr("quest.hashing.algo_seal")) + hash_html(shown, zeros=0, per_row=32))
        picked = st.radio(
            tr("quest.hashing.algo_pick"),
            options=ALGORITHMS,
            format_func=tk.ALGORITHM_NAMES.__getitem__,
            index=None,
            horizontal=True,
            key=tk.wkey(task_id, _pick_key(current.get("round", 0))),
            disabled=done,
        )
        if tk.controls(task_id, disabled=done):
            if picked is None:
                st.warning(tr("quest.pick_first"))
            else:
                outcome = check_keccak_vs_sha(text, picked, shown)
                if not outcome.correct:
                    current["round"] = current.get("round", 0) + 1  # a fresh seal to judge
                tk.submit(quest, task_id, outcome, {"picked": picked, "text": text[:80]})
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
