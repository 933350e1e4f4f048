"""The one place that knows every per-learner folder under the data dir.

Deleting a student once left their saved agents and traffic policies on disk, and the next
registration with the same id saw them. Every module that keeps files for a learner builds the
folder here, so deletion (core.telemetry.repository.delete_student_data) and the data export
cannot miss one: a new kind of per-learner artefact is a new entry in ``FOLDERS`` and nothing
else. Ids are checked to be positive integers, so no path can leave its folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.config import load_settings

__all__ = [
    "FOLDERS",
    "LearnerFile",
    "chain_dir",
    "delete_learner_files",
    "learner_files",
    "learner_paths",
    "rl_agents_dir",
    "traffic_dir",
]


def _root(data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else load_settings().data_dir


def _id(user_id: int) -> int:
    if isinstance(user_id, bool) or int(user_id) != user_id or int(user_id) <= 0:
        raise ValueError(f"not a user id: {user_id!r}")
    return int(user_id)


def chain_dir(user_id: int, data_dir: Path | None = None) -> Path:
    """The learner's blockchain (core.blockchain.chain): balances, blocks, contracts."""
    return _root(data_dir) / "chains" / str(_id(user_id))


def rl_agents_dir(user_id: int, data_dir: Path | None = None) -> Path:
    """Saved reinforcement-learning agents (core.rl.agents): SB3 zips plus JSON cards."""
    return _root(data_dir) / "rl_agents" / str(_id(user_id))


def traffic_dir(user_id: int, data_dir: Path | None = None) -> Path:
    """Trained traffic-light policies (core.traffic.rl)."""
    return _root(data_dir) / "traffic" / f"user-{_id(user_id)}"


# kind -> folder builder; the export names files by kind, deletion walks them all.
FOLDERS: dict[str, Callable[[int, Path | None], Path]] = {
    "blockchain": chain_dir,
    "rl_agents": rl_agents_dir,
    "traffic": traffic_dir,
}


def learner_paths(user_id: int, data_dir: Path | None = None) -> list[Path]:
    """Every folder that may hold this learner's files (existing or not)."""
    return [build(user_id, data_dir) for build in FOLDERS.values()]


@dataclass(frozen=True)
class LearnerFile:
    kind: str  # a key of FOLDERS
    relative: str  # path inside the kind's folder, with forward slashes
    path: Path


def learner_files(user_id: int, data_dir: Path | None = None) -> list[LearnerFile]:
    """Every file the learner has on disk, for the export (their right of access)."""
    files = []
    for kind, build in FOLDERS.items():
        folder = build(user_id, data_dir)
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    files.append(LearnerFile(kind, path.relative_to(folder).as_posix(), path))
    return files


def delete_learner_files(user_id: int, data_dir: Path | None = None) -> list[Path]:
    """Remove every per-learner folder; returns the folders that existed. An open chain is
    closed first (its SQLite file would otherwise be rewritten by the shared handle)."""
    removed = []
    for kind, build in FOLDERS.items():
        folder = build(user_id, data_dir)
        existed = folder.exists()
        if kind == "blockchain":
            # Imported here: web3/py-evm are heavy and most callers never open a chain.
            from core.blockchain.chain import LearnerChain

            LearnerChain.forget(folder)
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            raise OSError(f"could not delete {folder}")
        if existed:
            removed.append(folder)
    return removed
