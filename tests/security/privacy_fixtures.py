"""Builders for the privacy tests: give a learner one of every per-learner artefact, through the
same core code the lessons use (chain, saved RL agent, traffic policy, face, event, job)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.accounts import Actor
from core.blockchain.chain import LearnerChain, learner_dir
from core.jobs import store
from core.rl.agents import AgentStore
from core.rl.deep import DeepResult
from core.telemetry import record
from core.traffic.rl import policy_folder
from core.vision import gallery
from tests import factories as f

FACE_LABEL = "Qazyna-Zhuldyzai"  # rare bytes to look for in the database files


class _TinyModel:
    """Stands in for an SB3 model: AgentStore only calls ``save(path)``."""

    def save(self, path: Path) -> None:
        Path(path).write_bytes(b"PK\x03\x04 tiny policy")


def tiny_result() -> DeepResult:
    return DeepResult(
        algo="ppo",
        env_id="CartPole-v1",
        seed=0,
        timesteps=1024,
        mean_eval_reward=42.0,
        std_eval_reward=1.0,
        curve=(),
        solved_at=None,
        solved_after_s=None,
        stopped=False,
        elapsed_s=1.0,
        checks_s=0.0,
        model=_TinyModel(),
    )


@dataclass(frozen=True)
class Artefacts:
    chain_address: str
    agent_name: str
    policy_file: Path


def give_artefacts(actor: Actor, label: str = FACE_LABEL) -> Artefacts:
    chain = LearnerChain.shared(learner_dir(actor.user_id))
    chain.send("me", chain.wallets()["friend"], 10**18)  # one block beyond genesis
    chain.remember_contract("token", chain.wallets()["shop"])
    AgentStore(actor.user_id).save("first pole", tiny_result())
    folder = policy_folder(actor.user_id)
    folder.mkdir(parents=True, exist_ok=True)
    policy = folder / "ppo-single-rush.zip"
    policy.write_bytes(b"PK\x03\x04 traffic policy")
    gallery.enrol(actor, label, np.linspace(-0.5, 0.5, 128).astype(np.float32))
    record(actor, f.event(actor))
    store.create(  # a finished training's row: its result is the learner's data too
        job_id=f"privacy-{actor.user_id}",
        owner_id=actor.user_id,
        slot="rl:deep",
        label="PPO CartPole",
        fn="core.rl.deep:train_job",
        args=b"",
        meta=None,
        priority=0,
        session=None,
        per_owner=1,
    )
    return Artefacts(chain.wallets()["me"], "first pole", policy)


def data_files(data_dir: Path) -> set[str]:
    """Every file under the data dir except the platform database itself."""
    return {
        p.relative_to(data_dir).as_posix()
        for p in data_dir.rglob("*")
        if p.is_file() and not p.name.startswith("zerde.db")
    }
