"""The complete export of what Zerde keeps about a learner (GDPR Art. 15 access, Art. 20
portability): profile, events, face embeddings, saved RL agents and traffic policies (metadata
and the files themselves), blockchain chain state, quest progress, background jobs and deletion
requests. ``to_json`` is one machine-readable document; ``to_zip`` adds the files as they are on
disk, listed with size and SHA-256 in the JSON so the two can be checked against each other.

Per-learner files are found through core.learner_files, the same list deletion walks, so the
export cannot miss a kind of file that deletion removes. Never included: the password hash, the
chain's private keys (a secret, not data about the person) and job internals (pickled code).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from core.accounts.actor import Actor
from core.blockchain.progress import quest_progress
from core.db.models import DeletionRequest, FaceEnrolment, Job
from core.db.session import read_session
from core.exports import events_csv
from core.learner_files import chain_dir, learner_files
from core.telemetry.repository import UserExport, export_user_data

FORMAT_VERSION = 1


@dataclass(frozen=True)
class FullExport:
    base: UserExport  # profile and events, as the progress page reads them
    faces: list[dict[str, Any]]
    files: list[dict[str, Any]]  # kind, path, bytes, sha256 (+ the card of a saved RL agent)
    contents: dict[str, bytes]  # zip path -> file bytes
    blockchain: dict[str, Any] | None
    quest: dict[str, Any]
    jobs: list[dict[str, Any]]
    deletion_requests: list[dict[str, Any]]

    def document(self) -> dict[str, Any]:
        events = json.loads(self.base.events.to_json(orient="records", date_format="iso"))
        return {
            "format": f"zerde-export/{FORMAT_VERSION}",
            "profile": self.base.profile,
            "events": events,
            "face_enrolments": self.faces,
            "files": self.files,
            "blockchain": self.blockchain,
            "quest_progress": self.quest,
            "jobs": self.jobs,
            "deletion_requests": self.deletion_requests,
        }

    def to_json(self) -> bytes:
        return json.dumps(self.document(), ensure_ascii=False, indent=1).encode()

    def to_zip(self) -> bytes:
        """data.json, events.csv and every file under files/<kind>/..."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", self.to_json())
            archive.writestr("events.csv", events_csv(self.base.events))  # formula-safe
            for name, blob in self.contents.items():
                archive.writestr(name, blob)
        return buffer.getvalue()


def _iso(value: datetime | float | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return datetime.fromtimestamp(value, UTC).isoformat()
    return value.isoformat()


def _files(user_id: int) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    listed, contents = [], {}
    for f in learner_files(user_id):
        if f.kind == "blockchain":
            continue  # a key-value store of EVM state: exported as readable state below
        blob = f.path.read_bytes()
        entry: dict[str, Any] = {
            "kind": f.kind,
            "path": f"files/{f.kind}/{f.relative}",
            "bytes": len(blob),
            "sha256": hashlib.sha256(blob).hexdigest(),
        }
        if f.path.suffix == ".json":
            with contextlib.suppress(ValueError):  # a saved agent's algorithm, task, score
                entry["card"] = json.loads(blob)
        listed.append(entry)
        contents[entry["path"]] = blob
    return listed, contents


def _blockchain(user_id: int) -> dict[str, Any] | None:
    """Balances, block count and named contracts of the learner's chain, if they have one."""
    folder = chain_dir(user_id)
    if not folder.is_dir():
        return None
    from core.blockchain.chain import ChainError, LearnerChain

    try:
        chain = LearnerChain.shared(folder)
        wallets = chain.wallets()
        return {
            "blocks": chain.head() + 1,  # genesis is block 0
            "wallets": [
                {"name": name, "address": address, "balance_wei": str(chain.balance(address))}
                for name, address in wallets.items()
            ],
            "contracts": chain.known_contracts(),
        }
    except ChainError as error:
        return {"unreadable": error.code}


def _quest(base: UserExport, today: date) -> dict[str, Any]:
    progress = quest_progress(base.events, today)
    ledger = progress.ledger
    return {
        "xp": ledger.xp,
        "level": ledger.level,
        "badges": list(ledger.badges),
        "streak_days": ledger.streak_days,
        "xp_by_activity": dict(ledger.xp_by_activity),
        "completed_tasks": sorted(progress.completed),
        "levels": [
            {"level": lv.level, "done": lv.done, "total": lv.total, "xp": lv.xp}
            for lv in progress.levels
        ],
    }


def full_export(actor: Actor, user_id: int, engine: Engine | None = None) -> FullExport:
    """Everything about ``user_id`` that ``actor`` may see (the learner, or their teacher)."""
    base = export_user_data(actor, user_id, engine)  # checks the actor may see this person
    with read_session(engine) as s:
        faces = [
            {
                "name": r.name,
                "model": r.model,
                "embedding": list(r.embedding),
                "created_at": _iso(r.created_at),
            }
            for r in s.scalars(
                select(FaceEnrolment)
                .where(FaceEnrolment.user_id == user_id)
                .order_by(FaceEnrolment.id)
            )
        ]
        jobs = [
            {
                "id": r.id,
                "label": r.label,
                "slot": r.slot,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "ended_at": _iso(r.ended_at),
            }
            for r in s.scalars(select(Job).where(Job.owner_id == user_id).order_by(Job.created_at))
        ]
        requests = [
            {
                "requested_at": _iso(r.requested_at),
                "resolved_at": _iso(r.resolved_at),
                "outcome": r.outcome,
            }
            for r in s.scalars(
                select(DeletionRequest)
                .where(DeletionRequest.user_id == user_id)
                .order_by(DeletionRequest.id)
            )
        ]
    files, contents = _files(user_id)
    return FullExport(
        base=base,
        faces=faces,
        files=files,
        contents=contents,
        blockchain=_blockchain(user_id),
        quest=_quest(base, datetime.now(UTC).date()),
        jobs=jobs,
        deletion_requests=requests,
    )
