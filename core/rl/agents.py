"""A student's saved agents: a trained network is minutes of a lesson, worth keeping to replay
next week or to show the class. Each agent is stable-baselines3's zip plus a small JSON card
(algorithm, task, evaluation), in ``<data dir>/rl_agents/<user id>/``, so a student sees only
their own and deleting the folder deletes everything.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.learner_files import rl_agents_dir
from core.rl import deep
from core.rl.deep import ALGOS, TASKS, Algo, DeepResult

NAME = re.compile(r"^[\w\- ]{1,40}$")
MAX_AGENTS = 20


class AgentError(ValueError):
    """A problem the page explains in the learner's language; ``code`` picks the message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


AGENT_ERRORS: tuple[str, ...] = ("bad_name", "too_many", "unreadable", "missing")


@dataclass(frozen=True)
class SavedAgent:
    name: str
    algo: Algo
    env_id: str
    timesteps: int
    mean_eval_reward: float
    saved_at: str  # ISO time, UTC


class AgentStore:
    def __init__(self, user_id: int, root: Path | None = None) -> None:
        # The folder comes from core.learner_files, so deleting a student's data removes it.
        self.folder = rl_agents_dir(user_id) if root is None else root / str(int(user_id))

    def _paths(self, name: str) -> tuple[Path, Path]:
        slug = re.sub(r"\W+", "_", name.strip().lower()).strip("_")
        return self.folder / f"{slug}.zip", self.folder / f"{slug}.json"

    def list(self) -> list[SavedAgent]:
        """Newest first; a card that cannot be read is skipped rather than breaking the list."""
        agents = []
        for card in self.folder.glob("*.json"):
            try:
                agent = SavedAgent(**json.loads(card.read_text(encoding="utf-8")))
            except (ValueError, TypeError):
                continue
            if agent.algo in ALGOS and agent.env_id in TASKS:
                agents.append(agent)
        return sorted(agents, key=lambda a: a.saved_at, reverse=True)

    def save(self, name: str, result: DeepResult) -> SavedAgent:
        """Save under ``name``; the same name again replaces the earlier agent."""
        name = name.strip()
        if not NAME.match(name) or not re.search(r"\w", name):
            raise AgentError("bad_name", name)
        model_path, card_path = self._paths(name)
        if not card_path.exists() and len(self.list()) >= MAX_AGENTS:
            raise AgentError("too_many", str(MAX_AGENTS))
        agent = SavedAgent(
            name=name,
            algo=result.algo,
            env_id=result.env_id,
            timesteps=result.timesteps,
            mean_eval_reward=round(result.mean_eval_reward, 2),
            saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        deep.save(result.model, model_path)
        card_path.write_text(json.dumps(asdict(agent), ensure_ascii=False), encoding="utf-8")
        return agent

    def load(self, agent: SavedAgent) -> Any:
        model_path, _ = self._paths(agent.name)
        if not model_path.is_file():
            raise AgentError("missing", agent.name)
        try:
            return deep.load(agent.algo, model_path)
        except ValueError as error:
            raise AgentError("unreadable", agent.name) from error

    def delete(self, agent: SavedAgent) -> None:
        for path in self._paths(agent.name):
            path.unlink(missing_ok=True)
