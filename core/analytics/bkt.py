"""Bayesian Knowledge Tracing (Corbett & Anderson 1995) in numpy, fitted by EM (Baum-Welch).

A skill is a two-state hidden Markov model: the learner either knows it or not. Each answer is
correct with probability 1 - slip when known and guess when not; after each practice
opportunity an unknown skill becomes known with probability learn (no forgetting). pyBKT does
the same but breaks on current numpy/scikit-learn (STACK_NOTES), so this is written out here.

Sequences are rows of a padded matrix: 1 = correct, 0 = wrong, -1 = no observation (padding at
the end). Every step is vectorised over learners, so fitting costs O(iterations × length) numpy
operations whatever the number of learners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]
Obs = npt.NDArray[np.int8]

EPS = 1e-9
# Guess and slip above 0.5 would mean "knowing makes you wrong": EM can drift there (the two
# states swap labels), so they are kept below this bound, as is common practice.
MAX_GUESS_SLIP = 0.45


@dataclass(frozen=True)
class BKTParams:
    prior: float = 0.4
    learn: float = 0.1
    guess: float = 0.2
    slip: float = 0.1

    def p_correct(self, p_known: Matrix) -> Matrix:
        return p_known * (1 - self.slip) + (1 - p_known) * self.guess


def to_matrix(sequences: list[list[int]]) -> Obs:
    """Pad variable-length 0/1 sequences with -1 into one matrix."""
    width = max((len(s) for s in sequences), default=0)
    out = np.full((len(sequences), width), -1, dtype=np.int8)
    for row, seq in enumerate(sequences):
        out[row, : len(seq)] = seq
    return out


def _emission(obs: Obs, guess: float, slip: float) -> tuple[Matrix, Matrix]:
    """P(observation | unknown), P(observation | known); 1 where nothing was observed."""
    seen = obs >= 0
    correct = obs == 1
    e_unknown = np.where(correct, guess, 1 - guess)
    e_known = np.where(correct, 1 - slip, slip)
    return np.where(seen, e_unknown, 1.0), np.where(seen, e_known, 1.0)


def forward(obs: Obs, params: BKTParams) -> tuple[Matrix, Matrix]:
    """The textbook BKT update, step by step.

    Returns (p_before, p_after): p_before[:, t] = P(known at t | answers before t), the
    probability used to predict answer t; p_after[:, t] = P(known at t + 1 | answers up to t),
    i.e. after the posterior update and the learning transition. Padding leaves p unchanged.
    """
    n, length = obs.shape
    p_before = np.empty((n, length))
    p_after = np.empty((n, length))
    p = np.full(n, params.prior)
    for t in range(length):
        p_before[:, t] = p
        o = obs[:, t]
        right = p * (1 - params.slip) / (p * (1 - params.slip) + (1 - p) * params.guess + EPS)
        wrong = p * params.slip / (p * params.slip + (1 - p) * (1 - params.guess) + EPS)
        posterior = np.where(o == 1, right, np.where(o == 0, wrong, p))
        p = np.where(o >= 0, posterior + (1 - posterior) * params.learn, p)
        p_after[:, t] = p
    return p_before, p_after


def log_likelihood(obs: Obs, params: BKTParams) -> float:
    p_before, _ = forward(obs, params)
    p_right = params.p_correct(p_before)
    seen = obs >= 0
    probs = np.where(obs == 1, p_right, 1 - p_right)[seen]
    return float(np.log(np.clip(probs, EPS, 1)).sum())


def _forward_backward(obs: Obs, params: BKTParams) -> tuple[Matrix, Matrix, float]:
    """Scaled forward-backward: gamma (P(known at t | all answers)), expected unknown->known
    transitions per step, and the log-likelihood."""
    n, length = obs.shape
    e0, e1 = _emission(obs, params.guess, params.slip)
    learn = params.learn
    a0 = np.empty((n, length))  # scaled alpha for unknown
    a1 = np.empty((n, length))
    scale = np.empty((n, length))
    u, k = (1 - params.prior) * e0[:, 0], params.prior * e1[:, 0]
    for t in range(length):
        if t > 0:
            u, k = (
                a0[:, t - 1] * (1 - learn) * e0[:, t],
                (a0[:, t - 1] * learn + a1[:, t - 1]) * e1[:, t],
            )
        c = u + k + EPS
        a0[:, t], a1[:, t], scale[:, t] = u / c, k / c, c
    b0 = np.ones((n, length))
    b1 = np.ones((n, length))
    for t in range(length - 2, -1, -1):
        nu = e0[:, t + 1] * b0[:, t + 1]
        nk = e1[:, t + 1] * b1[:, t + 1]
        c = scale[:, t + 1]
        b0[:, t] = ((1 - learn) * nu + learn * nk) / c
        b1[:, t] = nk / c
    gamma = a1 * b1
    gamma = gamma / (gamma + a0 * b0 + EPS)
    xi = np.zeros((n, length))
    if length > 1:
        xi[:, :-1] = a0[:, :-1] * learn * e1[:, 1:] * b1[:, 1:] / scale[:, 1:]
    return gamma, xi, float(np.log(scale[obs >= 0]).sum())


def fit_em(
    obs: Obs, n_iter: int = 100, tol: float = 1e-4, init: BKTParams | None = None
) -> BKTParams:
    """Maximum-likelihood BKT parameters for one skill from all learners' sequences."""
    params = init or BKTParams()
    seen = obs >= 0
    if not seen.any():
        return params
    has_next = np.zeros_like(seen)
    has_next[:, :-1] = seen[:, 1:]
    correct = (obs == 1).astype(float)
    previous = -np.inf
    for _ in range(n_iter):
        gamma, xi, ll = _forward_backward(obs, params)
        unknown = (1 - gamma) * seen
        known = gamma * seen
        starters = seen[:, 0]
        params = BKTParams(
            prior=float(np.clip(gamma[starters, 0].mean(), 1e-3, 1 - 1e-3)),
            learn=float(np.clip(xi[has_next].sum() / ((1 - gamma)[has_next].sum() + EPS), 1e-4, 1)),
            guess=float(
                np.clip((unknown * correct).sum() / (unknown.sum() + EPS), 1e-4, MAX_GUESS_SLIP)
            ),
            slip=float(
                np.clip((known * (1 - correct)).sum() / (known.sum() + EPS), 1e-4, MAX_GUESS_SLIP)
            ),
        )
        if ll - previous < tol * max(1.0, abs(ll)) * 1e-3:
            break
        previous = ll
    return params
