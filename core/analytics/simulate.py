"""A simulated class: learner telemetry generated from mastery we know, because we chose it.

Real telemetry never tells us what a student *actually* knows, so an estimator (BKT, a
dashboard's "struggling" flag, a benchmark) can only be checked against data whose truth is
known. This module draws that truth first and then plays the students through the quizzes,
writing the same events the platform records (`core.telemetry.schema.Event`). Teachers can also
load the result as a "demo class" to explore the dashboards before their own class has data.

The generative model
--------------------
1. **Students.** Each student has an ability ``a ~ N(0, 0.7)`` and an archetype: ``steady``
   (40 %) or, about 15 % each, ``fast_guesser`` (answers what they do not know in 1.5-3 s and
   mostly wrongly), ``slow_accurate`` (about 1.7x slower, rarely slips), ``hint_reliant``
   (opens hints far more often) and ``stuck`` (one or two skills are far out of reach).
2. **Skills.** Each skill has a difficulty ``d ~ N(0, 0.4)``. The *strength* of a student on a
   skill is ``a - d + e`` with a personal term ``e ~ N(0, 0.4)``; every student also has two
   topics that did not click (chosen at random, so each student's are their own), 2.5 lower,
   and a ``stuck`` student is a further 3 lower on one or two of those.
3. **True BKT parameters** per student x skill, from the strength ``s``:
   ``prior = 0.02 + 0.93 * sigmoid(2 (s - 0.3))``, ``learn = 0.01 + 0.35 * sigmoid(2 s + 1)``,
   ``guess`` uniform in 0.10-0.22 (0.22-0.30 for fast guessers) and ``slip`` uniform in
   0.05-0.15 (0.03-0.06 for slow_accurate, 0.10-0.15 for fast guessers).
4. **Answers** follow Bayesian Knowledge Tracing exactly: the latent state starts known with
   probability ``prior``; each answer is correct with probability ``1 - slip`` if known and
   ``guess`` if not; after each answer an unknown skill becomes known with probability
   ``learn`` and a known one is never forgotten. Every answer (retries included) is one
   opportunity and one event, so fitting BKT to the events should recover these parameters.
5. **Items and retries.** A skill's items ``f"{skill}:q{j}"`` are presented in turn, cycling
   through ``items_per_skill``; the activity is the skill's area plus ``_quiz``. After a wrong
   answer the student retries the same item with probability 0.5 (``attempt`` goes up);
   otherwise, and after a right answer, the next item comes with ``attempt = 1``.
6. **Hints.** Before each answer a student may open one or two more hints (at most 3 per item):
   probability 0.05 when the skill is known and 0.35 when not (0.20 / 0.80 for
   ``hint_reliant``). ``hints_used`` counts the hints opened on the item so far. Hints are
   evidence of not knowing but do not change the chance of answering right, so the answers
   stay a pure BKT process.
7. **Decision time.** Each item has a base time between 3 and 12 s. Known answers take about
   0.75x the base, unknown ones 1.35x, both log-normally spread; fast guessers answer what
   they do not know in 1.5-3 s; slow_accurate students take 1.7x as long; retries are a little
   quicker and every newly opened hint adds ~6 s of reading. Times are whole milliseconds
   between 0.4 s and 10 min.
8. **Errors.** A wrong answer carries a misconception code from ``MISCONCEPTIONS[skill]``: each
   student x skill has a dominant one (70 % of its errors), the rest are spread evenly over
   the others. Right answers have no error type.
9. **Calendar.** Each skill's practice is spread over a window of the student's work that starts
   later for skills later in ``spec.skills`` (the teaching order) and overlaps the neighbouring
   skills, so sessions interleave two or three skills. A student's answers are cut into
   sessions of 12-35 answers (never in the middle of a retry), held on school days one to
   three school days apart, starting between ``spec.start``'s time of day and six hours
   later. Between answers the student reads feedback for ~3 s.

Everything is drawn from one ``numpy.random.Generator`` seeded by ``spec.seed``, so a spec
always yields the same cohort. The work is vectorised over all student x skill pairs with a
loop over the opportunity index only, so a million events take about a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.labs import area_of
from core.telemetry.schema import SKILL

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

DEFAULT_SKILLS: tuple[str, ...] = (
    "chain.hashing",
    "chain.blocks",
    "chain.signatures",
    "chain.transactions",
    "ml.supervised",
    "ml.unsupervised",
    "rl.q_learning",
    "desal.osmosis",
)

MISCONCEPTIONS: dict[str, tuple[str, ...]] = {
    "chain.hashing": ("hash_is_encryption", "avalanche_ignored", "reversible_hash"),
    "chain.blocks": ("prev_hash_ignored", "edit_without_rehash", "longest_chain_confused"),
    "chain.signatures": ("private_key_shared", "signature_is_encryption", "forged_accepted"),
    "chain.transactions": ("double_spend_missed", "balance_not_checked", "fee_ignored"),
    "ml.supervised": ("overfit_train_score", "label_leakage", "accuracy_on_imbalance"),
    "ml.unsupervised": ("clusters_are_labels", "k_chosen_blindly", "unscaled_features"),
    "rl.q_learning": ("reward_equals_value", "no_exploration", "discount_misread"),
    "desal.osmosis": ("flow_direction_reversed", "pressure_ignored", "salt_passes_membrane"),
}
"""Error codes per skill, each a wrong belief a distractor of that skill's quiz items targets."""

ARCHETYPES: tuple[str, ...] = ("steady", "fast_guesser", "slow_accurate", "hint_reliant", "stuck")
ARCHETYPE_WEIGHTS: tuple[float, ...] = (0.40, 0.15, 0.15, 0.15, 0.15)

# Codes for skills outside MISCONCEPTIONS, so a custom skill list still yields labelled errors.
GENERIC_ERRORS: tuple[str, ...] = ("concept_confused", "careless_error", "misread_question")

_STEADY, _FAST, _SLOW, _HINTS, _STUCK = range(len(ARCHETYPES))
_STUCK_SHIFT = 3.0
_PERSONAL_SD = 0.4
_DIFFICULTY_SD = 0.4
_ABILITY_SD = 0.7
_WEAK_SKILLS = 2
_WEAK_SHIFT = 2.5
_RETRY_PROB = 0.5
_DOMINANT_SHARE = 0.7
_MAX_HINTS = 3
_MIN_MS, _MAX_MS = 400, 10 * 60 * 1000
_DAY_MS = 24 * 60 * 60 * 1000
_SCHOOL_DAY_MS = 6 * 60 * 60 * 1000


@dataclass(frozen=True)
class CohortSpec:
    n_students: int = 200
    skills: tuple[str, ...] = DEFAULT_SKILLS
    items_per_skill: int = 6
    min_opportunities: int = 8  # answers (retries included) per student x skill
    max_opportunities: int = 20
    seed: int = 0
    start: datetime = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    user_id_start: int = 1
    classroom_id: int | None = None

    def __post_init__(self) -> None:
        if self.n_students < 1 or not self.skills or self.items_per_skill < 1:
            raise ValueError("a cohort needs at least one student, skill and item")
        if not 1 <= self.min_opportunities <= self.max_opportunities:
            raise ValueError("need 1 <= min_opportunities <= max_opportunities")
        if self.user_id_start < 1:
            raise ValueError("user ids start at 1")
        if self.classroom_id is not None and self.classroom_id < 1:
            raise ValueError("classroom ids start at 1")
        if self.start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        bad = [skill for skill in self.skills if not re.fullmatch(SKILL, skill)]
        if bad:
            raise ValueError(f"not dotted skill ids: {bad}")


@dataclass(frozen=True)
class SimulatedCohort:
    """Events as the platform would store them, plus the hidden truth that produced them.

    ``truth`` has one row per (user_id, skill); besides the true BKT parameters it holds
    ``learned_at``, the index of the first answer given in the known state (0 when known from
    the start, ``n_opportunities`` when never learned), for measuring how late an estimator
    notices mastery.
    """

    events: pd.DataFrame
    truth: pd.DataFrame
    students: pd.DataFrame


def _sigmoid(x: Floats) -> Floats:
    out: Floats = 1.0 / (1.0 + np.exp(-x))
    return out


def _error_table(skills: tuple[str, ...]) -> tuple[tuple[str, ...], Ints, Ints]:
    """All codes in one tuple, and per skill the offset and count of its own codes in it."""
    codes: list[str] = []
    offsets = np.empty(len(skills), dtype=np.int64)
    counts = np.empty(len(skills), dtype=np.int64)
    for k, skill in enumerate(skills):
        own = MISCONCEPTIONS.get(skill, GENERIC_ERRORS)
        offsets[k], counts[k] = len(codes), len(own)
        codes.extend(own)
    return tuple(codes), offsets, counts


def simulate_cohort(spec: CohortSpec = CohortSpec()) -> SimulatedCohort:
    """Draw a cohort; see the module docstring for the model."""
    rng = np.random.default_rng(spec.seed)
    user_ids = np.arange(spec.user_id_start, spec.user_id_start + spec.n_students, dtype=np.int64)
    ability, archetype, strength = _draw_students(rng, spec)
    pairs = _draw_pairs(rng, spec, archetype, strength)
    played = _play(rng, spec, pairs)

    # Per student, order the answers by where each skill sits in their work. lexsort is
    # stable, so ties keep (pair, opportunity) order and a retry stays right after its miss.
    mask = np.arange(spec.max_opportunities)[None, :] < pairs.n_opp[:, None]
    ev_pair = np.broadcast_to(np.arange(pairs.n_opp.size)[:, None], mask.shape)[mask]
    order = np.lexsort((played.key[mask], pairs.student[ev_pair]))
    ev_pair = ev_pair[order]
    ev_student = pairs.student[ev_pair]
    ev_attempt = played.attempt[mask][order]
    ev_ms = played.ms[mask][order]
    shown_ms = _timeline(rng, spec, ev_student, ev_attempt, ev_ms)

    skill = pairs.skill[ev_pair]
    events = _events_frame(spec, user_ids[ev_student], skill, played.item[mask][order])
    events["shown_at"] = pd.to_datetime(shown_ms, unit="ms", utc=True)
    events["answered_at"] = pd.to_datetime(shown_ms + ev_ms, unit="ms", utc=True)
    events["decision_ms"] = ev_ms
    events["correct"] = played.correct[mask][order]
    error_codes = np.array((*pairs.codes, None), dtype=object)  # index -1 means no error
    events["error_type"] = pd.Series(error_codes[played.error[mask][order]], dtype=object)
    events["attempt"] = ev_attempt
    events["hints_used"] = played.hints[mask][order]
    payload: dict[str, Any] = {"simulated": True}
    events["payload"] = pd.Series(np.full(ev_ms.size, payload, dtype=object), dtype=object)

    codes = np.array(pairs.codes, dtype=object)
    truth = pd.DataFrame(
        {
            "prior": pairs.prior,
            "learn": pairs.learn,
            "guess": pairs.guess,
            "slip": pairs.slip,
            "known_final": played.known_final,
            "n_opportunities": pairs.n_opp,
            "learned_at": played.learned_at,
            "strength": pairs.strength,
            "dominant_error": codes[pairs.code_offset[pairs.skill] + pairs.dominant],
        },
        index=pd.MultiIndex.from_arrays(
            [user_ids[pairs.student], np.array(spec.skills, dtype=object)[pairs.skill]],
            names=["user_id", "skill"],
        ),
    )
    students = pd.DataFrame(
        {"archetype": np.array(ARCHETYPES, dtype=object)[archetype], "ability": ability},
        index=pd.Index(user_ids, name="user_id"),
    )
    return SimulatedCohort(events=events, truth=truth, students=students)


def _draw_students(rng: np.random.Generator, spec: CohortSpec) -> tuple[Floats, Ints, Floats]:
    """Ability, archetype index and the (students x skills) strength matrix."""
    n_students, n_skills = spec.n_students, len(spec.skills)
    ability = rng.normal(0.0, _ABILITY_SD, n_students)
    archetype = rng.choice(len(ARCHETYPES), size=n_students, p=ARCHETYPE_WEIGHTS)
    difficulty = rng.normal(0.0, _DIFFICULTY_SD, n_skills)
    personal = rng.normal(0.0, _PERSONAL_SD, (n_students, n_skills))
    strength = ability[:, None] - difficulty[None, :] + personal
    # Every student has a couple of topics that did not click (chosen at random, so each
    # student's are their own); a stuck student is far out of reach on one or two of them.
    most = min(_WEAK_SKILLS, n_skills)
    shuffled = np.argsort(rng.random((n_students, n_skills)), axis=1)
    rows = np.arange(n_students)
    for rank in range(most):
        strength[rows, shuffled[:, rank]] -= _WEAK_SHIFT
    stuck = np.flatnonzero(archetype == _STUCK)
    n_blocked = rng.integers(1, most + 1, size=stuck.size)
    for rank in range(most):
        chosen = n_blocked > rank
        strength[stuck[chosen], shuffled[stuck[chosen], rank]] -= _STUCK_SHIFT
    return ability, archetype.astype(np.int64), strength


@dataclass(frozen=True)
class _Pairs:
    """Per student x skill, flattened student-major: pair p = student * n_skills + skill."""

    student: Ints
    skill: Ints
    archetype: Ints
    strength: Floats
    prior: Floats
    learn: Floats
    guess: Floats
    slip: Floats
    n_opp: Ints
    codes: tuple[str, ...]
    code_offset: Ints  # per skill
    code_count: Ints  # per skill
    dominant: Ints  # index into the pair's own skill codes


def _draw_pairs(
    rng: np.random.Generator, spec: CohortSpec, archetype: Ints, strength: Floats
) -> _Pairs:
    n_students, n_skills = strength.shape
    n = n_students * n_skills
    student = np.repeat(np.arange(n_students, dtype=np.int64), n_skills)
    skill = np.tile(np.arange(n_skills, dtype=np.int64), n_students)
    arch = archetype[student]
    s = strength.ravel()
    fast, slow = arch == _FAST, arch == _SLOW
    guess = np.where(fast, rng.uniform(0.22, 0.30, n), rng.uniform(0.10, 0.22, n))
    slip = rng.uniform(0.05, 0.15, n)
    slip = np.where(slow, rng.uniform(0.03, 0.06, n), slip)
    slip = np.where(fast, rng.uniform(0.10, 0.15, n), slip)
    n_opp = rng.integers(spec.min_opportunities, spec.max_opportunities + 1, n)
    codes, code_offset, code_count = _error_table(spec.skills)
    return _Pairs(
        student=student,
        skill=skill,
        archetype=arch,
        strength=s,
        prior=0.02 + 0.93 * _sigmoid(2 * (s - 0.3)),
        learn=0.01 + 0.35 * _sigmoid(2 * s + 1),
        guess=guess,
        slip=slip,
        n_opp=n_opp,
        codes=codes,
        code_offset=code_offset,
        code_count=code_count,
        dominant=rng.integers(0, code_count[skill]),
    )


@dataclass(frozen=True)
class _Played:
    """(pairs x max_opportunities) matrices of what happened; cells past n_opp are unused."""

    correct: Bools
    attempt: Ints
    hints: Ints
    item: Ints
    ms: Ints
    error: Ints  # index into _Pairs.codes, -1 for a right answer
    key: Floats  # position of the answer's item in the student's work, for ordering
    known_final: Bools
    learned_at: Ints


def _play(rng: np.random.Generator, spec: CohortSpec, pairs: _Pairs) -> _Played:
    """Run BKT, retries, hints, timing and errors one opportunity at a time for all pairs."""
    n, width = pairs.n_opp.size, spec.max_opportunities
    n_skills = len(spec.skills)
    shape = (n, width)
    out = _Played(
        correct=np.zeros(shape, dtype=bool),
        attempt=np.ones(shape, dtype=np.int64),
        hints=np.zeros(shape, dtype=np.int64),
        item=np.zeros(shape, dtype=np.int64),
        ms=np.zeros(shape, dtype=np.int64),
        error=np.full(shape, -1, dtype=np.int64),
        key=np.zeros(shape, dtype=np.float64),
        known_final=np.zeros(n, dtype=bool),
        learned_at=np.zeros(n, dtype=np.int64),
    )
    fast, slow = pairs.archetype == _FAST, pairs.archetype == _SLOW
    hinty = pairs.archetype == _HINTS
    p_hint_known = np.where(hinty, 0.20, 0.05)
    p_hint_unknown = np.where(hinty, 0.80, 0.35)
    item_base_ms = rng.uniform(3000.0, 12000.0, (n_skills, spec.items_per_skill))
    n_codes = pairs.code_count[pairs.skill]
    own_offset = pairs.code_offset[pairs.skill]
    # Where each skill's practice sits in the student's work: later skills start later.
    window_start = pairs.skill / n_skills * 0.7 + rng.uniform(-0.05, 0.05, n)
    window_span = rng.uniform(0.3, 0.5, n)

    known = rng.random(n) < pairs.prior
    learned_at = np.where(known, 0, pairs.n_opp)
    visit = np.zeros(n, dtype=np.int64)
    visit_start = np.zeros(n, dtype=np.int64)
    attempt = np.ones(n, dtype=np.int64)
    hints = np.zeros(n, dtype=np.int64)
    correct = np.ones(n, dtype=bool)
    for t in range(width):
        active = t < pairs.n_opp
        if t > 0:
            retry = ~correct & (rng.random(n) < _RETRY_PROB)
            attempt = np.where(retry, attempt + 1, 1)
            visit = np.where(retry, visit, visit + 1)
            visit_start = np.where(retry, visit_start, t)
            hints = np.where(retry, hints, 0)
        learned_at = np.where(active & known & (learned_at > t), t, learned_at)

        correct = np.where(known, rng.random(n) >= pairs.slip, rng.random(n) < pairs.guess)
        opens = rng.random(n) < np.where(known, p_hint_known, p_hint_unknown)
        extra = np.where(rng.random(n) < 0.3, 2, 1)
        new_hints = np.minimum(np.where(opens, extra, 0), _MAX_HINTS - hints)
        hints = hints + new_hints

        item = visit % spec.items_per_skill
        base = item_base_ms[pairs.skill, item]
        ms = _decision_ms(rng, base, known, fast, slow, attempt, new_hints)

        other = (pairs.dominant + 1 + rng.integers(0, np.maximum(n_codes - 1, 1))) % n_codes
        err = np.where(rng.random(n) < _DOMINANT_SHARE, pairs.dominant, other)

        out.correct[:, t] = correct
        out.attempt[:, t] = attempt
        out.hints[:, t] = hints
        out.item[:, t] = item
        out.ms[:, t] = ms
        out.error[:, t] = np.where(correct, -1, own_offset + err)
        out.key[:, t] = window_start + window_span * visit_start / pairs.n_opp

        known = known | (active & (rng.random(n) < pairs.learn))
    out.known_final[:] = known
    out.learned_at[:] = learned_at
    return out


def _decision_ms(
    rng: np.random.Generator,
    base: Floats,
    known: Bools,
    fast: Bools,
    slow: Bools,
    attempt: Ints,
    new_hints: Ints,
) -> Ints:
    """Milliseconds to answer: what a dashboard reads as hesitation, tied to the latent state."""
    n = base.size
    ms = np.where(
        known,
        base * 0.75 * np.exp(rng.normal(0.0, 0.35, n)),
        base * 1.35 * np.exp(rng.normal(0.0, 0.5, n)),
    )
    ms = np.where(fast & ~known, rng.uniform(1500.0, 3000.0, n), ms)
    ms = np.where(slow, ms * 1.7, ms)
    ms = np.where(attempt > 1, ms * 0.8, ms)  # the question has been read already
    ms = ms + new_hints * 6000.0 * np.exp(rng.normal(0.0, 0.4, n))
    out: Ints = np.clip(np.rint(ms), _MIN_MS, _MAX_MS).astype(np.int64)
    return out


def _timeline(
    rng: np.random.Generator,
    spec: CohortSpec,
    ev_student: Ints,
    ev_attempt: Ints,
    ev_ms: Ints,
) -> Ints:
    """Milliseconds since the epoch at which each (student-ordered) question was shown."""
    n, n_students = ev_student.size, spec.n_students
    idx = np.arange(n)
    first_of_student = np.r_[True, ev_student[1:] != ev_student[:-1]]
    student_first = np.maximum.accumulate(np.where(first_of_student, idx, 0))
    # A session may only begin at a fresh item, never between a wrong answer and its retry.
    block_first = np.maximum.accumulate(np.where(ev_attempt == 1, idx, 0))
    session_len = rng.integers(12, 36, n_students)
    session = (block_first - student_first) // session_len[ev_student]
    n_sessions = int(session.max()) + 1

    gaps = rng.integers(1, 4, (n_students, n_sessions))
    gaps[:, 0] = 0
    start_day = np.datetime64(spec.start.astimezone(UTC).date(), "D")
    first_day = np.busday_offset(start_day, 0, roll="forward")
    days = np.busday_offset(first_day, np.cumsum(gaps, axis=1))
    day_offset = (days - start_day).astype(np.int64)
    time_of_day = rng.integers(0, _SCHOOL_DAY_MS // 60_000, (n_students, n_sessions)) * 60_000
    start_ms = int(spec.start.timestamp() * 1000)
    session_start = start_ms + day_offset * _DAY_MS + time_of_day

    feedback = np.rint(3000.0 * np.exp(rng.normal(0.0, 0.5, n))).astype(np.int64)
    step = ev_ms + feedback
    before = np.cumsum(step) - step  # time used by all earlier events, across sessions
    first_of_session = first_of_student | np.r_[True, session[1:] != session[:-1]]
    session_first = np.maximum.accumulate(np.where(first_of_session, idx, 0))
    shown: Ints = session_start[ev_student, session] + before - before[session_first]
    return shown


def _events_frame(spec: CohortSpec, user_id: Ints, skill: Ints, item: Ints) -> pd.DataFrame:
    """The identifying columns; strings come from small lookup tables, not per-event work."""
    n, n_items = user_id.size, spec.items_per_skill
    item_names = np.array(
        [f"{sk}:q{j}" for sk in spec.skills for j in range(n_items)], dtype=object
    )
    activities = np.array([f"{area_of(sk)}_quiz" for sk in spec.skills], dtype=object)
    classroom: pd.Series[Any]
    if spec.classroom_id is None:
        classroom = pd.Series(np.full(n, None, dtype=object), dtype=object)
    else:
        classroom = pd.Series(np.full(n, spec.classroom_id, dtype=np.int64))
    return pd.DataFrame(
        {
            "user_id": user_id,
            "classroom_id": classroom,
            "activity": activities[skill],
            "item_id": item_names[skill * n_items + item],
            "skill": np.array(spec.skills, dtype=object)[skill],
        }
    )
