import numpy as np
import pytest

from core.rl import q_learning, replay

DETERMINISTIC = {"is_slippery": False}


@pytest.fixture(scope="module")
def lake_table() -> np.ndarray:
    return q_learning.train("FrozenLake-v1", 300, 0, env_kwargs=DETERMINISTIC).q_table


def test_mp4_replay_of_a_solved_lake(lake_table: np.ndarray) -> None:
    video = replay.record(
        replay.table_policy(lake_table), "FrozenLake-v1", env_kwargs=DETERMINISTIC, frame_every=1
    )
    assert video.data[4:8] == b"ftyp" and video.mime == "video/mp4"
    assert (video.steps, video.total_reward, video.outcome) == (6, 1.0, "done")
    assert video.frames == 7  # the start and one frame per step


def test_gif_replay_cuts_long_episodes() -> None:
    always_left = replay.record(lambda _: 0, "CartPole-v1", fmt="gif", max_steps=30)
    assert always_left.data[:6] == b"GIF89a"
    assert always_left.outcome == "done" and always_left.steps < 30  # the pole falls


def test_bad_format_is_refused() -> None:
    with pytest.raises(ValueError):
        replay.record(lambda _: 0, "CartPole-v1", fmt="avi")  # type: ignore[arg-type]
