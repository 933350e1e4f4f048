"""The replay of a trained agent: encoded on request (about a second for a 500-step CartPole
episode), kept for the same agent, and played in the page as a looping video."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from app_pages.components.session import exact, tr
from core.rl.replay import Replay


def replay_panel(key: str, make: Callable[[], Replay], *, signature: Hashable) -> None:
    slot = f"{key}_replay"
    kept = st.session_state.get(slot)
    if st.button(tr("rl.watch_agent"), key=f"{key}_watch", icon=":material/movie:"):
        with st.spinner(tr("rl.rendering")):
            try:
                kept = (signature, make())
            except (ValueError, OSError, RuntimeError):
                kept = None
                st.error(tr("rl.replay_failed"), icon=":material/error:")
        st.session_state[slot] = kept
    if not kept or kept[0] != signature:
        return
    replay: Replay = kept[1]
    with st.columns([2, 1])[0].container(key=f"{key}_replay_box"):
        if replay.mime.startswith("video/"):
            st.video(replay.data, format=replay.mime, autoplay=True, loop=True, muted=True)
        else:
            st.image(replay.data)
        st.caption(
            tr(
                f"rl.replay_{replay.outcome}",
                steps=replay.steps,
                reward=exact(round(replay.total_reward, 3)),
            )
        )
