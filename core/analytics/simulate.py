"""A simulated class: learner telemetry generated from mastery we know, because we chose it.

Real telemetry never tells us what a student *actually* knows, so an estimator (BKT, a
dashboard's "struggling" flag, a benchmark) can only be checked against data whose truth is
known. This module draws that truth first and then plays the students through the quizzes,
writing the same events the platform records (`core.telemetry.schema.Event`).

Two generators share the truth model: ``simulate_cohort`` (below, generic quizzes on any skill
list, vectorised for the estimator benchmarks' hundreds of students) and ``simulate_class`` (at
the end of the module: a class's month on the labs themselves, with the activities, item ids,
skills and error codes they record; the dashboard's demo class).

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
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

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


# ---------------------------------------------------------------------------------------------
# A class on the labs' own vocabularies
# ---------------------------------------------------------------------------------------------
#
# simulate_cohort() above plays generic quizzes (items "chain.hashing:q0", activities
# "chain_quiz", made-up misconception codes): the right thing for measuring the estimators on
# hundreds of students, the wrong thing for a teacher to look at. simulate_class() plays the
# decisions the labs really record, in the order a class meets them: the onboarding quiz, the
# blockchain quest's tasks (and their parts), and the ML and RL lessons' predictions and
# challenges, each with the activity, item id, skill and error codes the lab writes. The truth
# model is the same (ability, skill difficulty, a topic that did not click, archetypes, true BKT
# per student x skill, with one topic that did not click and fewer "stuck" students than the
# benchmark cohorts); what differs is the course of a month:
#
# - The class meets ``lessons_per_week`` times a week for ``lesson_minutes`` (a student misses
#   about one lesson in ten) and some students also work at home in the evening.
# - Each student works through the teaching plan (lab_curriculum()) at their own pace: an item
#   takes class time (a quest story, a lesson to read, an experiment) before its first answer,
#   and that time teaches (one chance to learn the skill). Quest tasks, quiz items and
#   challenges are answered again until right, the clock restarting at the wrong answer as the
#   pages do, and the explanation of a wrong answer is a further chance to learn; a lesson's
#   prediction is made once. A weaker student may leave an item after a wrong answer (everyone
#   does after MAX_ATTEMPTS); when a lesson ends mid-item, the next one resumes it (the pages
#   remember attempts). How far a student gets in the month depends on their pace.
# - A pick among options (a quiz item, a prediction) is right by chance once in as many options
#   as are left, the ones already tried being ruled out; an answer to type or build (a quest
#   task, a challenge) rarely, as in simulate_cohort.
# - A wrong answer carries one of the item's own error codes. Some mistakes are more common in
#   the class than others (a popularity drawn per item), and each student has a favourite one
#   per item (70 % of their errors there).
#
# Decision times, hints and archetypes follow the same rules as simulate_cohort(), with a base
# time that depends on the kind of decision (a quiz click, a quest task, a prediction after
# reading, a challenge after an experiment).

ItemKind = Literal["quiz", "task", "prediction", "challenge"]
ONBOARDING = "onboarding"  # the onboarding page's activity: its quiz file has the same name
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class LabItem:
    """One decision a lab records, with the fields it records it under."""

    unit: str  # what is taught together: "onboarding", "blockchain_quest.hashing", "ml.kmeans"
    kind: ItemKind
    activity: str
    item_id: str
    skill: str
    errors: tuple[str, ...]  # the codes a wrong answer carries; () when it cannot be wrong
    part: str = ""  # a quest task's part (payload["part"]), "" for single-answer items


@dataclass(frozen=True)
class _Kind:
    retry: bool  # answered again until right (else once)
    hints: bool  # the card has a hint button
    choice: bool  # a pick among options: a guess is right by chance, a fast guesser clicks
    teaches: bool  # what comes before the answer (a story, a lesson, an experiment) teaches
    base_s: tuple[float, float]  # range of an item's typical decision time
    minutes: float  # class time before the first answer: reading, trying things out


_KINDS: dict[str, _Kind] = {
    "quiz": _Kind(
        retry=True, hints=True, choice=True, teaches=False, base_s=(6.0, 20.0), minutes=1.0
    ),
    "task": _Kind(
        retry=True, hints=True, choice=False, teaches=True, base_s=(15.0, 70.0), minutes=6.0
    ),
    "prediction": _Kind(
        retry=False, hints=True, choice=True, teaches=True, base_s=(10.0, 35.0), minutes=15.0
    ),
    "challenge": _Kind(
        retry=True, hints=False, choice=False, teaches=True, base_s=(30.0, 150.0), minutes=12.0
    ),
}

# The error codes each quest check can return (core/blockchain/quests.py for levels 1-4,
# quests_onchain.py for 5-7), per task and, for tasks of several answers, per part.
QUEST_ERRORS: dict[str, dict[str, tuple[str, ...]]] = {
    "avalanche": {"": ("expects_small_change", "expects_total_change")},
    "find_prefix": {"": ("prefix_not_met", "prefix_at_wrong_end", "empty_input")},
    "keccak_vs_sha": {"": ("algorithm_confused",)},
    "find_tampered": {
        "": ("picked_later_block", "picked_earlier_block", "saw_tamper_in_valid_chain")
    },
    "repair_chain": {"": ("block_not_remined", "broken_link_left")},
    "predict_attempts": {"": ("linear_not_exponential", "order_of_magnitude")},
    "mine_block": {"": ()},  # one button that mines until the target is met
    "derive_address": {"": ("address_mismatch", "gave_private_key_or_hash")},
    "spot_forgery": {
        "genuine": ("rejected_genuine",),
        "message_changed": ("accepted_forged", "wrong_forgery_reason"),
        "other_signer": ("accepted_forged", "wrong_forgery_reason"),
        "malformed": ("confused_hash_with_signature", "wrong_forgery_reason"),
    },
    "send_eth": {"": ("wrong_amount", "wrong_recipient", "insufficient_funds", "invalid_address")},
    "fix_failed_tx": {"": ("fee_too_low", "insufficient_gas", "nonce_reused", "nonce_too_high")},
    "mine_mempool": {"": ("block_too_small", "mined_empty_block", "tips_to_other")},
    "deploy_token": {"": ("not_owner", "not_enough_points", "zero_address")},
    "class_ballot": {
        "vote": ("voted_twice", "no_such_proposal"),
        "winner": ("tie_rule", "misread_votes"),
    },
    "exploit_bank": {
        "find_bug": ("blamed_guarded_function", "blamed_safe_function"),
        "exploit": ("not_owner_yet", "forgot_sweep", "not_owner"),
        "fix": ("fix_bypassable", "fix_already_there", "fix_wrong_function"),
    },
    "longest_chain": {"": ("first_seen_wins", "majority_of_nodes_wins", "forks_persist")},
    "double_spend": {
        "confirmations": ("too_few_confirmations",),
        "majority": ("confirmations_stop_majority",),
    },
}


def _lesson_units(activity: str, lessons: Any, challenges: Any) -> list[list[LabItem]]:
    """A lab's lessons: the prediction (the quiz item named like the lesson), then the
    challenge when the lesson has one."""
    from core.quiz import load_quiz

    quiz = {item.id: item for item in load_quiz(activity)}
    units = []
    for lesson in lessons:
        unit = f"{activity}.{lesson.id}"
        item = quiz[lesson.id]
        codes = tuple(o.error_type for o in item.options if o.error_type)
        steps = [LabItem(unit, "prediction", activity, lesson.prediction_item, item.skill, codes)]
        challenge = challenges.get(lesson.id)
        if challenge is not None:
            steps.append(
                LabItem(
                    unit,
                    "challenge",
                    activity,
                    challenge.item_id,
                    challenge.skill,
                    tuple(challenge.codes),
                )
            )
        units.append(steps)
    return units


def _interleave(first: list[list[LabItem]], second: list[list[LabItem]]) -> list[list[LabItem]]:
    """Two tracks taught side by side, each in its own order."""
    keyed = [((i + 0.5) / len(first), 0, u) for i, u in enumerate(first)]
    keyed += [((i + 0.5) / len(second), 1, u) for i, u in enumerate(second)]
    return [unit for _, _, unit in sorted(keyed, key=lambda k: (k[0], k[1]))]


def lab_curriculum() -> tuple[LabItem, ...]:
    """The month's teaching plan, built from the labs' own definitions: the onboarding quiz,
    then the blockchain quest's levels side by side with the ML lessons, then the RL lessons."""
    from core.blockchain.progress import ACTIVITY as QUEST
    from core.blockchain.quests import LEVELS
    from core.ml import challenges as ml_challenges
    from core.ml import lessons as ml_lessons
    from core.quiz import load_quiz
    from core.rl import challenges as rl_challenges
    from core.rl import lessons as rl_lessons

    onboarding = [
        LabItem(
            ONBOARDING,
            "quiz",
            ONBOARDING,
            item.id,
            item.skill,
            tuple(o.error_type for o in item.options if o.error_type),
        )
        for item in load_quiz(ONBOARDING)
    ]
    quest = [
        [
            LabItem(f"{QUEST}.{level.id}", "task", QUEST, task.id, task.skill, codes, part)
            for task in level.tasks
            for part, codes in QUEST_ERRORS[task.id].items()
        ]
        for level in LEVELS
    ]
    ml = _lesson_units(ml_lessons.ACTIVITY, ml_lessons.LESSONS, ml_challenges.CHALLENGES)
    rl = _lesson_units(rl_lessons.ACTIVITY, rl_lessons.LESSONS, rl_challenges.CHALLENGES)
    units = [onboarding, *_interleave(quest, ml), *rl]
    return tuple(item for unit in units for item in unit)


@dataclass(frozen=True)
class ClassSpec:
    n_students: int = 24
    weeks: int = 4
    lessons_per_week: int = 3  # on Monday, Wednesday, Friday (2: Tuesday, Thursday; 5: daily)
    lesson_minutes: int = 40
    homework_share: float = 0.25  # chance, per student and week, of an evening at home
    mean_ability: float = 0.6
    seed: int = 0
    start: datetime = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)  # a Monday, the first lesson
    user_id_start: int = 1
    classroom_id: int | None = None

    def __post_init__(self) -> None:
        if self.n_students < 1 or self.weeks < 1:
            raise ValueError("a class needs at least one student and one week")
        if not 1 <= self.lessons_per_week <= 5 or self.lesson_minutes < 5:
            raise ValueError("one to five lessons a week, of at least five minutes")
        if self.start.tzinfo is None:
            raise ValueError("start must be timezone-aware")


_LESSON_DAYS: dict[int, tuple[int, ...]] = {
    1: (2,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4),
}  # fmt: skip
# Archetype weights of a demo class: fewer "stuck" students than the estimator benchmarks use.
_CLASS_ARCHETYPES = (0.45, 0.15, 0.15, 0.15, 0.10)
_CLASS_ABILITY_SD = 0.75
_CLASS_DIFFICULTY_SD = 0.3
_CLASS_PERSONAL_SD = 0.3
_CLASS_WEAK_SHIFT = 1.0  # one topic that did not click, for everyone
_ATTENDANCE = 0.9
_FEEDBACK_LEARN = 0.25  # the explanation of a wrong answer: a further chance to learn


def _sessions(rng: np.random.Generator, spec: ClassSpec) -> list[tuple[datetime, float]]:
    """One student's work sessions: (start, minutes), in order."""
    monday = spec.start - timedelta(days=spec.start.weekday())
    out = []
    for week in range(spec.weeks):
        for day in _LESSON_DAYS[spec.lessons_per_week]:
            if rng.random() < _ATTENDANCE:
                late = timedelta(minutes=float(rng.uniform(1, 6)))
                moment = monday + timedelta(weeks=week, days=day)
                out.append((moment.replace(hour=spec.start.hour, minute=0) + late, 0.0))
        if rng.random() < spec.homework_share:
            day = int(rng.integers(0, 5))
            evening = timedelta(hours=int(rng.integers(16, 20)), minutes=int(rng.integers(0, 60)))
            moment = (monday + timedelta(weeks=week, days=day)).replace(hour=0, minute=0)
            out.append((moment + evening, 1.0))
    out.sort()
    return [(start, spec.lesson_minutes * (0.5 if home else 1.0)) for start, home in out]


def simulate_class(spec: ClassSpec = ClassSpec()) -> SimulatedCohort:
    """A class's month on the labs; see the comment above for the model."""
    rng = np.random.default_rng(spec.seed)
    plan = lab_curriculum()
    skills = tuple(dict.fromkeys(item.skill for item in plan))
    n_students, n_skills = spec.n_students, len(skills)

    ability = rng.normal(spec.mean_ability, _CLASS_ABILITY_SD, n_students)
    archetype = rng.choice(len(ARCHETYPES), size=n_students, p=_CLASS_ARCHETYPES)
    difficulty = rng.normal(0.0, _CLASS_DIFFICULTY_SD, n_skills)
    strength = ability[:, None] - difficulty[None, :]
    strength += rng.normal(0.0, _CLASS_PERSONAL_SD, (n_students, n_skills))
    rows = np.arange(n_students)
    strength[rows, rng.integers(0, n_skills, n_students)] -= _CLASS_WEAK_SHIFT
    stuck = archetype == _STUCK
    strength[rows[stuck], rng.integers(0, n_skills, int(stuck.sum()))] -= _STUCK_SHIFT
    prior = 0.02 + 0.93 * _sigmoid(2 * (strength - 0.3))
    learn = 0.01 + 0.35 * _sigmoid(2 * strength + 1)
    fast = (archetype == _FAST)[:, None]
    guess = np.where(
        fast, rng.uniform(0.22, 0.30, strength.shape), rng.uniform(0.10, 0.22, strength.shape)
    )
    slip = np.where(
        (archetype == _SLOW)[:, None],
        rng.uniform(0.03, 0.06, strength.shape),
        np.where(
            fast, rng.uniform(0.10, 0.15, strength.shape), rng.uniform(0.05, 0.15, strength.shape)
        ),
    )
    # Per item: its typical decision time, and how common each of its mistakes is in the class.
    base_ms = [1000 * float(np.exp(rng.uniform(*np.log(_KINDS[i.kind].base_s)))) for i in plan]
    popularity = [rng.dirichlet(np.ones(len(i.errors))) if i.errors else None for i in plan]
    pace = np.exp(rng.normal(0.0, 0.25, n_students) - 0.1 * (ability - spec.mean_ability))
    pace = np.where(archetype == _SLOW, pace * 1.3, pace)
    # Chance of leaving an item after a wrong answer: weaker students give up sooner.
    give_up = np.clip(0.1 * (spec.mean_ability - ability), 0.0, 0.3)

    columns: dict[str, list[Any]] = {c: [] for c in _CLASS_COLUMNS}
    truth_rows: list[dict[str, Any]] = []
    skill_index = {s: k for k, s in enumerate(skills)}
    for student in range(n_students):
        user_id = spec.user_id_start + student
        player = _Player(
            rng, student, archetype[student], pace[student], give_up[student],
            prior, learn, guess, slip,
        )  # fmt: skip
        player.play(spec, plan, skill_index, base_ms, popularity, columns, user_id)
        for skill, k in skill_index.items():
            n_opp = int(player.opportunities[k])
            if n_opp == 0:
                continue
            learned = int(player.learned_at[k])
            truth_rows.append(
                {
                    "user_id": user_id, "skill": skill, "prior": prior[student, k],
                    "learn": learn[student, k], "guess": guess[student, k],
                    "slip": slip[student, k], "known_final": bool(player.known[k]),
                    "n_opportunities": n_opp, "learned_at": learned if learned >= 0 else n_opp,
                    "strength": strength[student, k],
                    "dominant_error": player.first_dominant.get(k),
                }
            )  # fmt: skip
    return SimulatedCohort(
        events=_class_events(spec, columns),
        truth=pd.DataFrame(truth_rows).set_index(["user_id", "skill"]),
        students=pd.DataFrame(
            {"archetype": np.array(ARCHETYPES, dtype=object)[archetype], "ability": ability},
            index=pd.Index(
                np.arange(spec.user_id_start, spec.user_id_start + n_students), name="user_id"
            ),
        ),
    )


_CLASS_COLUMNS = (
    "user_id", "activity", "item_id", "skill", "shown_at", "answered_at", "decision_ms",
    "correct", "error_type", "attempt", "hints_used", "part",
)  # fmt: skip


@dataclass
class _Open:
    """An item a student is working on, carried over to the next lesson if the bell rings."""

    index: int  # in the plan
    dominant: int | None  # the student's favourite mistake on it (None: it cannot be wrong)
    attempt: int = 1
    hints: int = 0


class _Player:
    """One student working through the plan: the latent state per skill and the clock."""

    def __init__(
        self,
        rng: np.random.Generator,
        student: int,
        archetype: int,
        pace: float,
        give_up: float,
        prior: Floats,
        learn: Floats,
        guess: Floats,
        slip: Floats,
    ) -> None:
        self.rng, self.student, self.pace, self.give_up = rng, student, pace, give_up
        self.fast, self.slow = archetype == _FAST, archetype == _SLOW
        self.p_hint = (0.20, 0.80) if archetype == _HINTS else (0.05, 0.35)
        self.prior, self.learn = prior[student], learn[student]
        self.guess, self.slip = guess[student], slip[student]
        n_skills = prior.shape[1]
        self.known = rng.random(n_skills) < self.prior
        self.opportunities = np.zeros(n_skills, dtype=np.int64)
        self.learned_at = np.where(self.known, 0, -1)
        self.first_dominant: dict[int, str] = {}

    def play(
        self,
        spec: ClassSpec,
        plan: tuple[LabItem, ...],
        skill_index: dict[str, int],
        base_ms: list[float],
        popularity: list[Floats | None],
        out: dict[str, list[Any]],
        user_id: int,
    ) -> None:
        rng = self.rng
        position = 0
        current: _Open | None = None  # an item left unsolved when the lesson ended
        for start, minutes in _sessions(rng, spec):
            clock = start
            end = start + timedelta(minutes=minutes)
            if current is not None:  # back to where the student was: the page remembers
                clock += timedelta(minutes=float(rng.uniform(0.5, 2.0)))
            while clock < end:
                if current is None:
                    if position == len(plan):
                        return
                    current = self._open(plan[position], position, skill_index, popularity)
                    position += 1
                    kind = _KINDS[plan[current.index].kind]
                    reading = kind.minutes * self.pace * float(np.exp(rng.normal(0.0, 0.3)))
                    clock += timedelta(minutes=reading)
                item = plan[current.index]
                clock, finished = self._answer(
                    item, current, skill_index[item.skill], base_ms[current.index],
                    clock, end, out, user_id,
                )  # fmt: skip
                if finished:
                    current = None
                    clock += timedelta(seconds=float(rng.uniform(5, 25)))  # the feedback

    def _open(
        self,
        item: LabItem,
        index: int,
        skill_index: dict[str, int],
        popularity: list[Floats | None],
    ) -> _Open:
        """A new item: the student's favourite mistake on it, and what its story, lesson or
        experiment teaches before the first answer."""
        k = skill_index[item.skill]
        weights = popularity[index]
        dominant = None if weights is None else int(self.rng.choice(len(weights), p=weights))
        if dominant is not None:
            self.first_dominant.setdefault(k, item.errors[dominant])
        teaches = _KINDS[item.kind].teaches
        if teaches and not self.known[k] and self.rng.random() < self.learn[k]:
            self.known[k] = True
        return _Open(index, dominant)

    def _answer(
        self,
        item: LabItem,
        current: _Open,
        k: int,
        base_ms: float,
        shown: datetime,
        end: datetime,
        out: dict[str, list[Any]],
        user_id: int,
    ) -> tuple[datetime, bool]:
        """Answer the item until right (or once), each answer one event, while the lesson
        lasts. Returns the moment of the last answer and whether the item is finished (right,
        answered once, or given up: a weaker student may leave it after a wrong answer)."""
        rng, kind, dominant = self.rng, _KINDS[item.kind], current.dominant
        answered = shown
        while shown < end:
            known = bool(self.known[k])
            if self.learned_at[k] < 0 and known:
                self.learned_at[k] = self.opportunities[k]
            new_hints = self._hints(kind, known, current.hints)
            current.hints += new_hints
            # A pick among options is right by chance once in as many options as are left
            # (the wrong ones tried are ruled out); an answer to type or build is rarely.
            left = len(item.errors) + 2 - current.attempt
            chance = 1 / max(left, 1) if kind.choice else self.guess[k]
            correct = dominant is None or bool(
                rng.random() >= self.slip[k] if known else rng.random() < chance
            )
            ms = self._decision_ms(kind, base_ms, known, current.attempt, new_hints)
            error = None if correct or dominant is None else self._error(item, dominant)
            answered = shown + timedelta(milliseconds=ms)
            for name, value in (
                ("user_id", user_id), ("activity", item.activity), ("item_id", item.item_id),
                ("skill", item.skill), ("shown_at", shown), ("answered_at", answered),
                ("decision_ms", ms), ("correct", correct), ("error_type", error),
                ("attempt", current.attempt), ("hints_used", current.hints),
                ("part", item.part),
            ):  # fmt: skip
                out[name].append(value)
            self.opportunities[k] += 1
            # Each answer is a chance to learn; a wrong one comes with the explanation of
            # that very mistake, a further chance.
            learn = self.learn[k] if correct else 1 - (1 - self.learn[k]) * (1 - _FEEDBACK_LEARN)
            if not self.known[k] and rng.random() < learn:
                self.known[k] = True
            if correct or not kind.retry or current.attempt >= MAX_ATTEMPTS:
                return answered, True
            if rng.random() < self.give_up:
                return answered, True
            current.attempt += 1
            shown = answered  # a wrong answer starts the clock for the next attempt
        return answered, False

    def _hints(self, kind: _Kind, known: bool, opened: int) -> int:
        """Hints opened before this answer: more when the skill is not known."""
        if not kind.hints or opened >= _MAX_HINTS:
            return 0
        if self.rng.random() >= self.p_hint[0 if known else 1]:
            return 0
        return min(2 if self.rng.random() < 0.3 else 1, _MAX_HINTS - opened)

    def _error(self, item: LabItem, dominant: int) -> str:
        """The student's favourite mistake on this item, or now and then another one."""
        if len(item.errors) == 1 or self.rng.random() < _DOMINANT_SHARE:
            return item.errors[dominant]
        others = [e for j, e in enumerate(item.errors) if j != dominant]
        return others[int(self.rng.integers(0, len(others)))]

    def _decision_ms(
        self, kind: _Kind, base_ms: float, known: bool, attempt: int, new_hints: int
    ) -> int:
        rng = self.rng
        if known:
            ms = base_ms * 0.75 * float(np.exp(rng.normal(0.0, 0.35)))
        elif self.fast and kind.choice:
            ms = float(rng.uniform(1500.0, 3000.0))
        else:
            ms = base_ms * 1.35 * float(np.exp(rng.normal(0.0, 0.5)))
        if self.slow:
            ms *= 1.7
        if attempt > 1:
            ms *= 0.8
        ms += new_hints * 6000.0 * float(np.exp(rng.normal(0.0, 0.4)))
        return int(np.clip(round(ms), _MIN_MS, _MAX_MS))


def _class_events(spec: ClassSpec, columns: dict[str, list[Any]]) -> pd.DataFrame:
    n = len(columns["user_id"])
    parts = columns.pop("part")
    events = pd.DataFrame(
        {
            "user_id": np.array(columns["user_id"], dtype=np.int64),
            "classroom_id": pd.Series(
                np.full(n, spec.classroom_id if spec.classroom_id else None, dtype=object),
                dtype=np.int64 if spec.classroom_id else object,
            ),
            "activity": pd.Series(columns["activity"], dtype=object),
            "item_id": pd.Series(columns["item_id"], dtype=object),
            "skill": pd.Series(columns["skill"], dtype=object),
            "shown_at": pd.to_datetime(pd.Series(columns["shown_at"], dtype=object), utc=True),
            "answered_at": pd.to_datetime(
                pd.Series(columns["answered_at"], dtype=object), utc=True
            ),
            "decision_ms": np.array(columns["decision_ms"], dtype=np.int64),
            "correct": np.array(columns["correct"], dtype=bool),
            "error_type": pd.Series(columns["error_type"], dtype=object),
            "attempt": np.array(columns["attempt"], dtype=np.int64),
            "hints_used": np.array(columns["hints_used"], dtype=np.int64),
            "payload": pd.Series(
                [{"simulated": True, **({"part": p} if p else {})} for p in parts], dtype=object
            ),
        }
    )
    return events.sort_values(["shown_at", "user_id"], kind="stable").reset_index(drop=True)
