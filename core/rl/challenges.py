"""The RL lessons' challenges. Each miss is named by the belief it reveals: a student who falls
into the pit on the way to the goal is ignoring negative rewards; one whose Q-learning agent never
leaves its first habit stopped exploring; one who trains DQN for 100 000 steps "to be safe" has
not met the sample budget, which is half of what makes an RL method practical."""

from __future__ import annotations

from collections.abc import Mapping

from core.challenges import Challenge, Measured, Setup, Verdict, error_codes, judge_challenge


def _be_agent(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["fell_in_pit"]:
        return "ignores_penalty"
    if not m["reached_goal"]:
        return "episode_unfinished"
    return None if m["return"] >= m["best_return"] else "step_cost_ignored"


def _bandit(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["final_optimal_share"] >= g["share"]:
        return None
    if m["epsilon"] == 0 and m["initial_value"] <= 0:
        return "no_exploration"
    if m["epsilon"] >= 0.3 and m["epsilon_decay"] == 1.0:
        return "too_much_exploration"
    return "below_target"


def _q_learning(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["episodes"] > g["max_episodes"]:
        return "budget_exceeded"
    if m["success_rate"] >= g["success"]:
        return None
    if m["gamma"] < 0.95:
        return "discount_misread"
    if m["epsilon"] < 0.5 or m["mean_epsilon"] < 0.1:
        return "no_exploration"
    return "below_target"


def _cartpole(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["timesteps"] > g["max_steps"]:
        return "budget_exceeded"
    if m["eval_reward"] >= g["reward"]:
        return None
    if m["train_reward"] >= g["reward"]:
        return "training_curve_trusted"
    return "below_target"


def _acrobot(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["policy_gradient"] < 1:
        return "not_policy_gradient"
    if m["timesteps"] > g["max_steps"]:
        return "budget_exceeded"
    return None if m["best_pg_reward"] >= g["reward"] else "below_target"


CHALLENGES: dict[str, Challenge] = {
    c.lesson: c
    for c in (
        Challenge(
            "be_agent",
            "rl.concepts",
            {},
            {},
            _be_agent,
            ("ignores_penalty", "episode_unfinished", "step_cost_ignored"),
        ),
        Challenge(
            "bandit",
            "rl.exploration",
            {"share": 0.88},
            {},
            _bandit,
            ("no_exploration", "too_much_exploration", "below_target"),
        ),
        Challenge(
            "q_learning",
            "rl.q_learning",
            {"success": 0.7, "max_episodes": 5000},
            {"task": "lake_slippery"},
            _q_learning,
            ("budget_exceeded", "discount_misread", "no_exploration", "below_target"),
        ),
        Challenge(
            "deep_rl",
            "rl.deep_rl",
            {"reward": 475, "max_steps": 30_000},
            {"task": "CartPole-v1"},
            _cartpole,
            ("budget_exceeded", "training_curve_trusted", "below_target"),
        ),
        Challenge(
            "compare",
            "rl.policy_gradient",
            {"reward": -100, "max_steps": 60_000},
            {"task": "Acrobot-v1"},
            _acrobot,
            ("not_policy_gradient", "budget_exceeded", "below_target"),
        ),
    )
}
ERROR_CODES: tuple[str, ...] = error_codes(CHALLENGES.values())


def judge(lesson: str, setup: Setup, measured: Measured) -> Verdict:
    return judge_challenge(CHALLENGES[lesson], setup, measured)
