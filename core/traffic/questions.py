"""The traffic lab's predict-then-run questions and its challenge. Right answers come from the
learner's own runs; "clearly better" means at least 10 % less (waiting time or forecast error).

The rush-hour challenge's target comes from the honest baselines: a trained policy must make
vehicles wait less than the best of the four (the network's plan, Webster's plan, blind
alternation and max-pressure), averaged over test seeds it never trained on. (It used to ask for
20 % less than a mistuned "tuned" plan, which blind alternation already beat.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.questions import Question, Verdict, question
from core.questions import judge as judge_question

CLEAR = 0.10
QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        question("pressure_vs_fixed", "traffic.signals", better="adaptive_misjudged",
                 same="adaptive_underrated", worse="adaptive_underrated"),
        question("best_controller", "traffic.signals", fixed_time="fixed_plan_overrated",
                 tuned_fixed_time="demand_change_ignored", alternating="switching_overrated",
                 max_pressure="adaptive_overrated"),
        question("rl_vs_tuned", "traffic.rl", better="rl_overrated", same="rl_misjudged",
                 worse="rl_underrated"),
        question("forecast_vs_naive", "traffic.prediction", better="forecast_misjudged",
                 same="forecast_underrated", worse="forecast_underrated"),
        question("forecast_hours", "traffic.prediction", peaks="peaks_misjudged",
                 night="night_overrated", everywhere="error_uniform_assumed"),
    )
}  # fmt: skip
CHALLENGE_ERRORS = ("rl_gain_too_small", "rl_worse_than_plan")


def judge(question_id: str, choice: str, truth: Sequence[str]) -> Verdict:
    return judge_question(QUESTIONS[question_id], choice, truth)


def compare_truth(candidate: float, baseline: float) -> tuple[str, ...]:
    """'better' when ``candidate`` (lower is better) is at least 10 % below ``baseline``."""
    if baseline <= 0:
        return ("same",) if candidate <= 0 else ("worse",)
    change = (candidate - baseline) / baseline
    if change <= -CLEAR:
        return ("better",)
    return ("worse",) if change >= CLEAR else ("same",)


def best_truth(waiting: Mapping[str, float]) -> tuple[str, ...]:
    """Every controller within 5 % of the lowest mean waiting time counts as best."""
    lowest = min(waiting.values())
    return tuple(c for c, w in waiting.items() if w <= lowest * 1.05 + 0.1)


def hours_truth(model_mae: Sequence[float], naive_mae: Sequence[float]) -> tuple[str, ...]:
    """Where forecasting gains most over persistence: the rush hours (6–10, 15–20), at night
    (0–5), or about evenly."""
    gains = [n - m for m, n in zip(model_mae, naive_mae, strict=True)]
    peaks = [gains[h] for h in (*range(6, 10), *range(15, 20))]
    night = [gains[h] for h in range(0, 6)]
    mean_all = sum(gains) / len(gains)
    if max(gains) <= 0 or max(gains) < 1.5 * max(mean_all, 1e-9):
        return ("everywhere",)
    return ("peaks",) if max(peaks) >= max(night) else ("night",)


def challenge(policy_waiting: float, baselines: Mapping[str, float]) -> tuple[bool, str | None]:
    """The rush-hour challenge: the policy's mean waiting must be below every baseline's (each
    a mean over the same unseen test seeds). Missing it while beating some baselines is
    rl_gain_too_small; beating none is rl_worse_than_plan."""
    if policy_waiting < min(baselines.values()):
        return True, None
    beaten = any(policy_waiting < w for w in baselines.values())
    return False, CHALLENGE_ERRORS[0] if beaten else CHALLENGE_ERRORS[1]
