"""The catalogue of labs the home page describes. A lab's page appears once it is built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Lab:
    id: str
    area: str  # skill prefix, e.g. "chain" for chain.hashing
    icon: str
    page: str  # path relative to the project root

    @property
    def available(self) -> bool:
        return (ROOT / self.page).is_file()

    @property
    def title_key(self) -> str:
        return f"labs.{self.id}.title"

    @property
    def summary_key(self) -> str:
        return f"labs.{self.id}.summary"


LABS: tuple[Lab, ...] = (
    Lab("blockchain", "chain", ":material/link:", "app_pages/blockchain_game.py"),
    Lab("ml", "ml", ":material/model_training:", "app_pages/ml_lessons.py"),
    Lab("rl", "rl", ":material/smart_toy:", "app_pages/rl_lessons.py"),
    Lab("vision", "vision", ":material/videocam:", "app_pages/vision_lab.py"),
    Lab("desalination", "desal", ":material/water_drop:", "app_pages/desalination.py"),
    Lab("genomics", "gen", ":material/genetics:", "app_pages/genomics.py"),
    Lab("traffic", "traffic", ":material/traffic:", "app_pages/traffic.py"),
)

AREAS: tuple[str, ...] = ("platform", *(lab.area for lab in LABS))


def area_of(skill: str) -> str:
    return skill.split(".", 1)[0]
