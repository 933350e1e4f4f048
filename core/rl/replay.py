"""Replays: one episode of an agent, rendered by the environment and encoded as a video the
browser plays (MP4, H.264) or an animated GIF. Seeing the pole stay up, or the taxi drive
straight to the passenger, is what convinces a class that the numbers on the curve mean something.

Frames are encoded as they are rendered, never all held in memory: CartPole draws 600×400 frames
and a solved episode lasts 500 steps. The ffmpeg binary ships inside imageio-ffmpeg (offline).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Format = Literal["mp4", "gif"]
Frame = npt.NDArray[np.uint8]
Policy = Callable[[Any], int]
MIME: dict[Format, str] = {"mp4": "video/mp4", "gif": "image/gif"}


@dataclass(frozen=True)
class Replay:
    data: bytes
    mime: str
    frames: int
    steps: int
    total_reward: float
    outcome: Literal["done", "truncated", "cut"]  # ended by the task, its time limit, or ours


def sb3_policy(model: Any) -> Policy:
    """The greedy action of a stable-baselines3 agent."""
    return lambda obs: int(model.predict(obs, deterministic=True)[0])


def table_policy(q_table: npt.NDArray[np.float64]) -> Policy:
    """The greedy action of a Q-table."""
    return lambda state: int(np.argmax(q_table[int(state)]))


@dataclass
class _Episode:
    steps: int = 0
    total_reward: float = 0.0
    outcome: Literal["done", "truncated", "cut"] = "cut"


def _frames(
    policy: Policy,
    env_id: str,
    seed: int,
    env_kwargs: dict[str, Any] | None,
    max_steps: int,
    frame_every: int,
    log: _Episode,
) -> Iterator[Frame]:
    import gymnasium as gym

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # pygame draws off-screen, no display
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    env = gym.make(env_id, render_mode="rgb_array", **(env_kwargs or {}))
    try:
        obs, _ = env.reset(seed=seed)
        yield np.asarray(env.render(), dtype=np.uint8)
        for step in range(1, max_steps + 1):
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            log.steps, log.total_reward = step, log.total_reward + float(reward)
            ended = terminated or truncated
            if ended or step % frame_every == 0:
                yield np.asarray(env.render(), dtype=np.uint8)
            if ended:
                log.outcome = "done" if terminated else "truncated"
                break
    finally:
        env.close()


def _mp4(frames: Iterator[Frame], fps: int) -> tuple[bytes, int]:
    import imageio_ffmpeg

    first = next(frames)
    height, width = first.shape[:2]
    count = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "replay.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (width, height),
            fps=fps,
            codec="libx264",
            macro_block_size=2,  # H.264 in yuv420p needs even sizes; Taxi's 550×350 is
            output_params=["-movflags", "+faststart"],  # playable before fully loaded
        )
        writer.send(None)
        for frame in _chain(first, frames):
            writer.send(np.ascontiguousarray(frame[: height - height % 2, : width - width % 2]))
            count += 1
        writer.close()
        return path.read_bytes(), count


def _chain(first: Frame, rest: Iterator[Frame]) -> Iterator[Frame]:
    yield first
    yield from rest


def _gif(frames: Iterator[Frame], fps: int, scale: int = 2) -> tuple[bytes, int]:
    from PIL import Image

    images = [Image.fromarray(frame[::scale, ::scale]) for frame in frames]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=round(1000 / fps),
        loop=0,
    )
    return buffer.getvalue(), len(images)


def record(
    policy: Policy,
    env_id: str,
    *,
    seed: int = 0,
    env_kwargs: dict[str, Any] | None = None,
    fmt: Format = "mp4",
    max_steps: int = 500,
    frame_every: int = 2,
    fps: int = 25,
) -> Replay:
    """Play one episode greedily and encode it. ``frame_every`` skips frames: CartPole runs at
    50 steps per simulated second, so every second frame at 25 fps is real time."""
    if fmt not in MIME:
        raise ValueError(f"unknown replay format {fmt!r}")
    if not 1 <= max_steps <= 5_000 or not 1 <= frame_every <= 10 or not 1 <= fps <= 60:
        raise ValueError("max_steps, frame_every or fps out of range")
    log = _Episode()
    frames = _frames(policy, env_id, seed, env_kwargs, max_steps, frame_every, log)
    data, count = _mp4(frames, fps) if fmt == "mp4" else _gif(frames, fps)
    return Replay(data, MIME[fmt], count, log.steps, log.total_reward, log.outcome)
