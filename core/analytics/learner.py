"""The learner model: a logistic model over counts of past successes and failures (PFA, Pavlik
et al. 2009; "Best-LR", Gervet et al. 2020), with recency, forgetting and behaviour signals.

Why this model and not BKT: on real student data (ASSIST2015, STATICS2011) plain BKT landed on
degenerate parameters (guess near 0, learn near 1), so one right answer read as certain
knowledge, and it cannot use item difficulty or what a learner does on other skills. The
logistic family predicts the next answer as well as the published deep models on these data
sets, costs one sparse matrix product per answer, and every weight has a plain meaning a
teacher can be told ("right answers on this skill raise the chance, a long break lowers it").

Every feature of an answer is computed from that learner's *earlier* answers only (their
counts, their last answers, the gap since they last practised the skill), and the per-item and
per-skill statistics come from the training data, so predicting from a prefix of a learner's
history gives the same numbers as predicting the whole history at once.

Cost: the features are cumulative sums and shifts within (learner, skill) and learner groups,
so the work grows with the number of answers, not with the longest sequence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

Floats = npt.NDArray[Any]  # float arrays (bool masks are used as 0/1 too)

SKILL_WINDOW = 5  # "recent" answers on the skill
USER_WINDOW = 10  # "recent" answers on any skill
MIN_ITEM_ANSWERS = 10  # an item gets its own difficulty once it has this many training answers
MIN_TIME_ANSWERS = 5  # decision times are compared within the item from this many answers on
FAST, SLOW = -0.5, 0.5  # z-score bounds of log decision time for "fast" and "slow"
MAX_FIT_ANSWERS = 200_000  # larger training sets are subsampled by learner to fit the weights
REGULARISATION = 1.0  # inverse L2 strength (scikit-learn's C) on standardised features

SHARED = [
    "skill_right",  # log(1 + right answers on this skill so far)
    "skill_wrong",  # log(1 + wrong answers on this skill so far)
    "recent_right",  # right answers among the last SKILL_WINDOW on this skill
    "recent_wrong",
    "first_try",  # 1 if this is the learner's first answer on the skill
    "last_right",  # the previous answer on this skill was right
    "user_right",  # log(1 + right answers on any skill)
    "user_wrong",
    "user_recent",  # (right - wrong) among the last USER_WINDOW answers on any skill
    "gap_answers",  # log(1 + answers on other skills since this skill was last practised)
    "gap_hours",  # log(1 + hours since this skill was last practised): forgetting
    "user_residual",  # learner's right answers minus the skills' usual rates, shrunk: ability
    "skill_residual",  # the same on this skill only
]
BEHAVIOUR = [
    "prev_time_z",  # how slow the last answer on the skill was, for its item
    "prev_fast_wrong",  # ... a quick wrong answer: a guess
    "prev_slow_right",  # ... a slow right one: effortful knowledge
    "prev_hints",  # hints opened before the last answer on the skill (at most 3)
    "repeated_misconception",  # the last two mistakes on the skill were the same
    "retry",  # answering again an item just answered wrongly
]
DENSE = SHARED + BEHAVIOUR


def _column(events: pd.DataFrame, name: str, default: float) -> Floats:
    if name not in events:
        return np.full(len(events), default)
    return pd.to_numeric(events[name], errors="coerce").to_numpy(dtype=float)


def ordered_answers(events: pd.DataFrame) -> pd.DataFrame:
    """The graded answers, each learner's in the order given (ties: by `id`, then by arrival),
    with `_row`, the position in `events` each came from."""
    frame = events.reset_index(drop=True)
    frame = frame.assign(_row=np.arange(len(frame)))
    frame = frame[frame["correct"].notna()]
    keys = ["user_id", "answered_at"] + (["id"] if "id" in frame else []) + ["_row"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def _group_shift(values: Floats, starts: npt.NDArray[np.bool_], by: int = 1) -> Floats:
    """values shifted down `by` rows within consecutive groups (starts marks each group's first
    row); NaN where the group has fewer earlier rows."""
    out = np.full(len(values), np.nan)
    if by < len(values):
        out[by:] = values[:-by]
    group = np.cumsum(starts)
    if by < len(values):
        same = np.zeros(len(values), dtype=bool)
        same[by:] = group[by:] == group[:-by]
        out[~same] = np.nan
    return out


def _group_cumsum(values: Floats, starts: npt.NDArray[np.bool_]) -> Floats:
    """Inclusive running sum of values within consecutive groups."""
    if not len(values):
        return values.astype(float)
    total = np.cumsum(values, dtype=float)
    first = np.flatnonzero(starts)
    base = total[first] - values[first]
    out: Floats = total - base[np.cumsum(starts) - 1]
    return out


def fit_logistic(
    x: sparse.csr_matrix, y: Floats, c: float, max_iter: int = 150
) -> tuple[Floats, float]:
    """L2-regularised logistic regression (scikit-learn's objective: C × log-loss + ½‖w‖², the
    intercept not penalised) by SciPy's L-BFGS. Written out because importing scikit-learn
    costs the dashboard about a second per process (see profiles.kmeans)."""
    from scipy.optimize import minimize
    from scipy.special import expit

    xt = x.T.tocsr()

    def loss(w: Floats) -> tuple[float, Floats]:
        z = x @ w[:-1] + w[-1]
        # log(1 + e^z) - y z, computed stably
        value = float(np.logaddexp(0, z).sum() - y @ z)
        r = expit(z) - y
        grad = np.empty_like(w)
        grad[:-1] = c * (xt @ r) + w[:-1]
        grad[-1] = c * r.sum()
        return c * value + 0.5 * float(w[:-1] @ w[:-1]), grad

    start = np.zeros(x.shape[1] + 1)
    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    start[-1] = np.log(rate / (1 - rate))
    found = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return found.x[:-1], float(found.x[-1])


@dataclass
class States:
    """Per answer, what the model knows *after* it (inclusive), in the frame's (skill-sorted)
    order; shifting by one row within a group gives what was known *before* it."""

    frame: pd.DataFrame  # answers sorted by (user, skill, time); `pos` = order within user
    skill_start: npt.NDArray[np.bool_]
    n: Floats
    right: Floats
    recent_right: Floats
    recent_wrong: Floats
    y: Floats
    z: Floats
    hints: Floats
    repeated: Floats
    hours: Floats
    user_pos: Floats  # the answer's place in the learner's own sequence (0, 1, ...)
    user_right: Floats  # learner-level counts, inclusive
    user_n: Floats
    user_recent: Floats
    base: Floats  # the skill's usual rate of right answers (training data)
    resid: Floats  # running (right - usual rate) on the skill, inclusive
    user_resid: Floats


@dataclass
class LearnerModel:
    """Fitted weights and the training statistics the features need. `fit` then
    `predict_next` (next-answer probabilities) or `mastery_state` (per learner and skill)."""

    skills: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    time_mean: dict[str, float] = field(default_factory=dict)  # log decision ms per item/skill
    time_std: dict[str, float] = field(default_factory=dict)
    time_global: tuple[float, float] = (np.log(8000.0), 1.0)
    mean: Floats = field(default_factory=lambda: np.zeros(len(DENSE)))
    scale: Floats = field(default_factory=lambda: np.ones(len(DENSE)))
    coef: Floats = field(default_factory=lambda: np.zeros(len(DENSE)))
    intercept: float = 0.0
    base_rate: dict[str, float] = field(default_factory=dict)  # share right per skill
    use: tuple[str, ...] = tuple(DENSE)  # features switched on (the ablation switches some off)
    n_answers: int = 0

    # ------------------------------------------------------------------ features
    def _time_z(self, frame: pd.DataFrame) -> Floats:
        log_t = np.log(np.clip(_column(frame, "decision_ms", np.nan), 50, None))
        item = frame["item_id"].astype(str).to_numpy() if "item_id" in frame else None
        skill = frame["skill"].astype(str).to_numpy()
        g_mean, g_std = self.time_global
        mean = np.full(len(frame), g_mean)
        std = np.full(len(frame), g_std)
        for keys, prefix in ((skill, "s:"), (item, "i:")):
            if keys is None:
                continue
            codes = pd.Series([prefix + k for k in keys])
            m = codes.map(self.time_mean).to_numpy(dtype=float)
            s = codes.map(self.time_std).to_numpy(dtype=float)
            known = ~np.isnan(m)
            mean[known], std[known] = m[known], s[known]
        z = (log_t - mean) / std
        out: Floats = np.nan_to_num(z, nan=0.0)
        return out

    def _learn_times(self, frame: pd.DataFrame) -> None:
        log_t = pd.Series(np.log(np.clip(_column(frame, "decision_ms", np.nan), 50, None)))
        known = log_t.notna().to_numpy()
        self.time_mean, self.time_std = {}, {}
        if not known.any():
            return
        self.time_global = (float(log_t[known].mean()), max(float(log_t[known].std()), 0.1))
        for col, prefix in (("skill", "s:"), ("item_id", "i:")):
            if col not in frame:
                continue
            keys = prefix + frame[col].astype(str).reset_index(drop=True)
            stats = log_t[known].groupby(keys[known]).agg(["mean", "std", "size"])
            stats = stats[stats["size"] >= MIN_TIME_ANSWERS]
            self.time_mean.update({str(k): float(v) for k, v in stats["mean"].items()})
            spread = stats["std"].fillna(0.1).clip(lower=0.1)
            self.time_std.update({str(k): float(v) for k, v in spread.items()})

    def states(self, events: pd.DataFrame) -> States:
        answers = ordered_answers(events)
        answers["pos"] = answers.groupby("user_id", sort=False).cumcount().astype(float)
        user_y = answers["correct"].astype(bool).to_numpy(dtype=float)
        uid = answers["user_id"].to_numpy()
        user_start = np.r_[True, uid[1:] != uid[:-1]] if len(uid) else np.zeros(0, dtype=bool)
        user_right = _group_cumsum(user_y, user_start)
        user_n = answers["pos"].to_numpy() + 1
        back = np.nan_to_num(_group_shift(user_right, user_start, USER_WINDOW))
        back_n = np.nan_to_num(_group_shift(user_n, user_start, USER_WINDOW))
        recent_right = user_right - back
        user_recent = 2 * recent_right - (user_n - back_n)
        base = answers["skill"].astype(str).map(self.base_rate).fillna(0.7).to_numpy(dtype=float)
        answers["_ures"] = _group_cumsum(user_y - base, user_start)
        answers["_ur"], answers["_un"], answers["_urec"] = user_right, user_n, user_recent
        frame = answers.sort_values(["user_id", "skill", "pos"], kind="stable").reset_index(
            drop=True
        )
        keys = frame[["user_id", "skill"]]
        start = (
            (keys != keys.shift()).any(axis=1).to_numpy() if len(frame) else np.zeros(0, dtype=bool)
        )
        y = frame["correct"].astype(bool).to_numpy(dtype=float)
        base = frame["skill"].astype(str).map(self.base_rate).fillna(0.7).to_numpy(dtype=float)
        resid = _group_cumsum(y - base, start)
        n = _group_cumsum(np.ones(len(frame)), start)
        right = _group_cumsum(y, start)
        back_r = np.nan_to_num(_group_shift(right, start, SKILL_WINDOW))
        back_n2 = np.nan_to_num(_group_shift(n, start, SKILL_WINDOW))
        errors = (
            frame["error_type"].astype(object).where(frame["error_type"].notna(), None)
            if "error_type" in frame
            else pd.Series([None] * len(frame))
        )
        # The last two mistakes on the skill were the same misconception.
        wrong_codes = errors.where(y == 0, None)
        last_code = wrong_codes.where(wrong_codes.notna()).groupby(np.cumsum(start)).ffill()
        prev_code = last_code.groupby(np.cumsum(start)).shift(1)
        repeated = ((wrong_codes.notna()) & (wrong_codes == prev_code)).to_numpy(dtype=float)
        at = pd.to_datetime(frame["answered_at"], utc=True)
        hours = (at - at.min()).dt.total_seconds().to_numpy() / 3600 if len(frame) else np.zeros(0)
        return States(
            frame=frame,
            skill_start=start,
            n=n,
            right=right,
            recent_right=right - back_r,
            recent_wrong=(n - back_n2) - (right - back_r),
            y=y,
            z=self._time_z(frame),
            hints=np.clip(np.nan_to_num(_column(frame, "hints_used", 0.0)), 0, 3),
            repeated=repeated,
            hours=np.nan_to_num(hours),
            user_pos=frame["pos"].to_numpy(dtype=float),
            user_right=frame["_ur"].to_numpy(dtype=float),
            user_n=frame["_un"].to_numpy(dtype=float),
            user_recent=frame["_urec"].to_numpy(dtype=float),
            base=base,
            resid=resid,
            user_resid=frame["_ures"].to_numpy(dtype=float),
        )

    def _design(
        self,
        skill: pd.Series,
        item: pd.Series | None,
        dense: Floats,
        skill_right: Floats,
        skill_wrong: Floats,
    ) -> sparse.csr_matrix:
        """Standardised shared features, then one-hot skill and item (difficulty), then per-skill
        right/wrong counts (each skill its own learning rate)."""
        x = (dense - self.mean) / self.scale
        off = [DENSE.index(f) for f in DENSE if f not in self.use]
        x[:, off] = 0.0
        n = len(dense)
        n_skills, n_items = len(self.skills), len(self.items)
        s = skill.astype(str).map(self.skills).to_numpy(dtype=float)
        rows = np.arange(n)
        blocks = [sparse.csr_matrix(x)]
        has_s = ~np.isnan(s)
        s_idx = s[has_s].astype(int)
        blocks.append(
            sparse.csr_matrix(
                (np.ones(has_s.sum()), (rows[has_s], s_idx)), shape=(n, max(n_skills, 1))
            )
        )
        if item is not None and n_items:
            i = item.astype(str).map(self.items).to_numpy(dtype=float)
            has_i = ~np.isnan(i)
            blocks.append(
                sparse.csr_matrix(
                    (np.ones(has_i.sum()), (rows[has_i], i[has_i].astype(int))),
                    shape=(n, n_items),
                )
            )
        else:
            blocks.append(sparse.csr_matrix((n, max(n_items, 1) if n_items else 0)))
        for counts in (skill_right, skill_wrong):
            blocks.append(
                sparse.csr_matrix(
                    (np.log1p(counts[has_s]), (rows[has_s], s_idx)), shape=(n, max(n_skills, 1))
                )
            )
        return sparse.hstack(blocks, format="csr")

    def _before(self, st: States) -> tuple[Floats, Floats, Floats]:
        """Dense features of each answer from what came before it; right/wrong skill counts."""
        start = st.skill_start

        def prev(values: Floats, fill: float = 0.0) -> Floats:
            return np.nan_to_num(_group_shift(values, start), nan=fill)

        n, right = prev(st.n), prev(st.right)
        wrong = n - right
        last_y = _group_shift(st.y, start)
        # Learner-level counts before this answer: inclusive counts minus this answer.
        u_right = st.user_right - st.y
        u_n = st.user_n - 1
        u_recent = self._user_recent_before(st)
        gap = np.where(n > 0, st.user_pos - prev(st.user_pos, np.nan) - 1, 0.0)
        gap_h = np.where(n > 0, st.hours - prev(st.hours, np.nan), 0.0)
        item = st.frame["item_id"].astype(str).to_numpy() if "item_id" in st.frame else None
        retry = np.zeros(len(n))
        if item is not None and len(item) > 1:
            same = np.r_[False, item[1:] == item[:-1]] & ~start
            retry = (same & (last_y == 0)).astype(float)
        z_prev = prev(st.z)
        dense = np.column_stack(
            [
                np.log1p(right), np.log1p(wrong), prev(st.recent_right), prev(st.recent_wrong),
                (n == 0).astype(float), (last_y == 1).astype(float),
                np.log1p(u_right), np.log1p(u_n - u_right), u_recent,
                np.log1p(np.nan_to_num(gap)), np.log1p(np.clip(np.nan_to_num(gap_h), 0, None)),
                (st.user_resid - (st.y - st.base)) / (u_n + 5), prev(st.resid) / (n + 3),
                z_prev, ((last_y == 0) & (z_prev < FAST)).astype(float),
                ((last_y == 1) & (z_prev > SLOW)).astype(float), prev(st.hints),
                prev(st.repeated), retry,
            ]
        )  # fmt: skip
        return dense, right, wrong

    @staticmethod
    def _user_recent_before(st: States) -> Floats:
        """(right - wrong) among the learner's USER_WINDOW answers before this one: the inclusive
        figure of the learner's previous answer, found through its position."""
        frame = pd.DataFrame(
            {"u": st.frame["user_id"].to_numpy(), "pos": st.user_pos, "r": st.user_recent}
        )
        lookup = frame.set_index(["u", "pos"])["r"]
        wanted = pd.MultiIndex.from_arrays([frame["u"], frame["pos"] - 1])
        out: Floats = np.nan_to_num(lookup.reindex(wanted).to_numpy(dtype=float))
        return out

    def _after(self, st: States) -> tuple[pd.DataFrame, Floats, Floats, Floats]:
        """For each (learner, skill): the features of a next answer on the skill after the
        learner's last answer (any skill), with no item and no retry."""
        last = np.r_[st.skill_start[1:], True] if len(st.n) else st.skill_start
        users = st.frame["user_id"].to_numpy()
        user_last = pd.DataFrame({"u": users, "pos": st.user_pos, "h": st.hours}).groupby("u")
        u_end = user_last["pos"].transform("max").to_numpy()
        h_end = user_last["h"].transform("max").to_numpy()
        idx = np.flatnonzero(last)
        # Learner-level state after the learner's very last answer.
        final = st.user_pos == u_end
        by_user = pd.DataFrame(
            {
                "r": st.user_right[final],
                "n": st.user_n[final],
                "rec": st.user_recent[final],
                "res": st.user_resid[final],
            },
            index=users[final],
        )
        u_state = by_user.reindex(users[idx])
        n, right = st.n[idx], st.right[idx]
        wrong = n - right
        u_right, u_n = u_state["r"].to_numpy(), u_state["n"].to_numpy()
        z = st.z[idx]
        dense = np.column_stack(
            [
                np.log1p(right), np.log1p(wrong), st.recent_right[idx], st.recent_wrong[idx],
                np.zeros(len(idx)), (st.y[idx] == 1).astype(float),
                np.log1p(u_right), np.log1p(u_n - u_right), u_state["rec"].to_numpy(),
                np.log1p(u_end[idx] - st.user_pos[idx]),
                np.log1p(np.clip(h_end[idx] - st.hours[idx], 0, None)),
                u_state["res"].to_numpy() / (u_n + 5), st.resid[idx] / (n + 3),
                z, ((st.y[idx] == 0) & (z < FAST)).astype(float),
                ((st.y[idx] == 1) & (z > SLOW)).astype(float), st.hints[idx],
                st.repeated[idx], np.zeros(len(idx)),
            ]
        )  # fmt: skip
        keys = st.frame.iloc[idx][["user_id", "skill"]].reset_index(drop=True)
        return keys, dense, right, wrong

    # ------------------------------------------------------------------ fitting
    def fit(self, events: pd.DataFrame, seed: int = 0) -> LearnerModel:
        answers = events[events["correct"].notna()]
        users = answers["user_id"].unique()
        if len(answers) > MAX_FIT_ANSWERS:  # whole learners, so their histories stay whole
            rng = np.random.default_rng(seed)
            share = MAX_FIT_ANSWERS / len(answers)
            keep = rng.choice(users, size=max(1, int(len(users) * share)), replace=False)
            answers = answers[answers["user_id"].isin(keep)]
        self.n_answers = len(answers)
        skills = answers["skill"].astype(str)
        self.skills = {s: i for i, s in enumerate(sorted(skills.unique()))}
        if "item_id" in answers:
            counts = answers["item_id"].astype(str).value_counts()
            self.items = {
                s: i for i, s in enumerate(sorted(counts[counts >= MIN_ITEM_ANSWERS].index))
            }
        self._learn_times(answers)
        rate = answers["correct"].astype(float).groupby(skills).agg(["sum", "size"])
        shrunk = (rate["sum"] + 1) / (rate["size"] + 2)
        self.base_rate = {str(k): float(v) for k, v in shrunk.items()}
        st = self.states(answers)
        dense, right, wrong = self._before(st)
        self.mean = dense.mean(axis=0) if len(dense) else np.zeros(len(DENSE))
        self.scale = dense.std(axis=0) + 1e-9 if len(dense) else np.ones(len(DENSE))
        item = st.frame.get("item_id")
        x = self._design(st.frame["skill"], item, dense, right, wrong)
        if len(np.unique(st.y)) < 2:  # all right or all wrong: nothing to separate
            self.coef = np.zeros(x.shape[1])
            share = float(np.clip(st.y.mean() if len(st.y) else 0.5, 0.05, 0.95))
            self.intercept = float(np.log(share / (1 - share)))
            return self
        self.coef, self.intercept = fit_logistic(x, st.y, REGULARISATION)
        return self

    def _p(self, x: sparse.csr_matrix) -> Floats:
        if not len(self.coef) or x.shape[1] != len(self.coef):
            return np.full(x.shape[0], 1 / (1 + np.exp(-self.intercept)))
        return np.asarray(1 / (1 + np.exp(-(x @ self.coef + self.intercept))), dtype=float)

    # ------------------------------------------------------------------ use
    def predict_next(self, events: pd.DataFrame) -> Floats:
        """P(correct) of each row of `events` from that learner's earlier rows only; NaN for
        ungraded rows. Aligned with `events`' rows."""
        out = np.full(len(events), np.nan)
        st = self.states(events)
        if not len(st.n):
            return out
        dense, right, wrong = self._before(st)
        item = st.frame.get("item_id")
        x = self._design(st.frame["skill"], item, dense, right, wrong)
        out[st.frame["_row"].to_numpy()] = self._p(x)
        return out

    def mastery_state(self, events: pd.DataFrame) -> pd.DataFrame:
        """Per (user_id, skill) practised: `p_mastery`, the chance that the learner's next
        answer on the skill is right, `n_evidence`, the graded answers behind it, and
        `n_right`, how many of them were right."""
        st = self.states(events)
        if not len(st.n):
            return pd.DataFrame(columns=["user_id", "skill", "p_mastery", "n_evidence", "n_right"])
        keys, dense, right, wrong = self._after(st)
        x = self._design(keys["skill"], None, dense, right, wrong)
        return keys.assign(
            p_mastery=self._p(x), n_evidence=(right + wrong).astype(int), n_right=right
        )

    def timeline(self, events: pd.DataFrame) -> pd.DataFrame:
        """Graded answers in each learner's order with `p_after`: the chance of a right next
        answer on the skill right after each one (the mastery curve)."""
        st = self.states(events)
        frame = st.frame.drop(columns=["_ur", "_un", "_urec", "_ures"])
        if not len(st.n):
            return frame.assign(p_after=np.array([], dtype=float))
        # Right after each answer: no gap yet, no item chosen.
        after = np.column_stack(
            [
                np.log1p(st.right), np.log1p(st.n - st.right), st.recent_right, st.recent_wrong,
                np.zeros(len(st.n)), (st.y == 1).astype(float),
                np.log1p(st.user_right), np.log1p(st.user_n - st.user_right), st.user_recent,
                np.zeros(len(st.n)), np.zeros(len(st.n)),
                st.user_resid / (st.user_n + 5), st.resid / (st.n + 3), st.z,
                ((st.y == 0) & (st.z < FAST)).astype(float),
                ((st.y == 1) & (st.z > SLOW)).astype(float), st.hints, st.repeated,
                np.zeros(len(st.n)),
            ]
        )  # fmt: skip
        x = self._design(frame["skill"], None, after, st.right, st.n - st.right)
        return (
            frame.assign(p_after=self._p(x))
            .sort_values(["user_id", "pos"], kind="stable")
            .reset_index(drop=True)
        )

    def weights(self) -> dict[str, float]:
        """Standardised weights of the shared features: which signals matter, which way."""
        return {name: float(w) for name, w in zip(DENSE, self.coef[: len(DENSE)], strict=False)}


def next_answer_probabilities(train: pd.DataFrame, test: pd.DataFrame) -> Floats:
    """For each row of `test`, the probability that it is correct, from the model fitted on
    `train` and only that learner's earlier `test` rows (ordered by `answered_at`; ties by `id`
    when present, then by row). Needs only the contract's columns; `decision_ms`, `error_type`
    and `hints_used` may be missing or NaN. NaN for ungraded rows. Aligned with `test`."""
    return LearnerModel().fit(train).predict_next(test)
