import numpy as np
import pytest

from core.analytics.bkt import BKTParams, fit_em, forward, log_likelihood, to_matrix


def _textbook(seq: list[int], p: BKTParams) -> list[float]:
    """Corbett & Anderson's update written out the way textbooks print it, one answer at a time."""
    known = p.prior
    out = []
    for answer in seq:
        out.append(known)
        if answer == 1:
            cond = known * (1 - p.slip) / (known * (1 - p.slip) + (1 - known) * p.guess)
        else:
            cond = known * p.slip / (known * p.slip + (1 - known) * (1 - p.guess))
        known = cond + (1 - cond) * p.learn
    out.append(known)
    return out


def test_forward_matches_a_hand_computed_step() -> None:
    p = BKTParams(prior=0.5, learn=0.2, guess=0.25, slip=0.1)
    before, after = forward(to_matrix([[1]]), p)
    # P(known | right) = 0.45 / (0.45 + 0.125) = 0.782608..., then learning: + 0.217391 * 0.2
    assert before[0, 0] == pytest.approx(0.5)
    assert after[0, 0] == pytest.approx(0.782608695652 + 0.217391304348 * 0.2, abs=1e-6)


@pytest.mark.parametrize(
    "seq", [[1, 1, 1], [0, 0, 0, 0], [0, 1, 0, 1, 1], [1, 0, 0, 1, 1, 1, 0, 1], [0]]
)
def test_forward_matches_the_textbook_on_hand_made_sequences(seq: list[int]) -> None:
    p = BKTParams(prior=0.3, learn=0.15, guess=0.2, slip=0.1)
    other = [1, 0]  # a second, shorter row: padding must not leak into the first
    before, after = forward(to_matrix([seq, other]), p)
    expected = _textbook(seq, p)
    assert before[0, : len(seq)] == pytest.approx(expected[:-1], abs=1e-7)
    assert after[0, len(seq) - 1] == pytest.approx(expected[-1], abs=1e-7)
    assert after[1, -1] == pytest.approx(_textbook(other, p)[-1], abs=1e-7)


def _simulate(p: BKTParams, n: int, length: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    known = rng.random(n) < p.prior
    obs = np.empty((n, length), dtype=np.int8)
    for t in range(length):
        obs[:, t] = np.where(known, rng.random(n) < 1 - p.slip, rng.random(n) < p.guess)
        known |= rng.random(n) < p.learn
    for row, stop in enumerate(rng.integers(6, length + 1, n)):
        obs[row, stop:] = -1
    return obs


@pytest.mark.parametrize(
    "truth",
    [
        BKTParams(prior=0.3, learn=0.15, guess=0.2, slip=0.08),
        BKTParams(prior=0.6, learn=0.05, guess=0.25, slip=0.15),
        BKTParams(prior=0.1, learn=0.3, guess=0.1, slip=0.05),
    ],
)
def test_em_recovers_parameters_within_005(truth: BKTParams) -> None:
    obs = _simulate(truth, n=4000, length=20, seed=7)
    fitted = fit_em(obs)
    for name in ("prior", "learn", "guess", "slip"):
        assert getattr(fitted, name) == pytest.approx(getattr(truth, name), abs=0.05), name
    assert log_likelihood(obs, fitted) >= log_likelihood(obs, truth) - 1.0


def test_em_without_observations_keeps_the_start() -> None:
    start = BKTParams()
    assert fit_em(np.full((3, 4), -1, dtype=np.int8), init=start) == start
