""" "Which method for this village?": a community, its water and its constraints; every method
is designed for it by the models, and the cheapest one that meets every constraint wins. The
answer is computed, never written down, so changing a model changes the right answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core.desalination import METHODS, default_sweeps, simulate
from core.desalination.economics import Cost, Economics, cost
from core.desalination.errors import DesalInputError
from core.desalination.result import Result
from core.desalination.sweep import LIMIT_NOTES, limiting_note
from core.desalination.water import Feed, preset

# Near-optimal answers are right too: models this simple cannot separate options within 10 %.
TOLERANCE = 1.10
THERMAL = frozenset({"distillation_msf", "distillation_med"})
SOFTENERS = frozenset({"nf", "ion_exchange"})


@dataclass(frozen=True)
class Village:
    id: str
    skill: str
    feed: Feed
    capacity_m3_day: float
    max_product_tds_mg_l: float = 1000.0  # Kazakhstan's drinking-water norm (SanPiN)
    max_hardness_mg_l: float | None = None  # as CaCO₃
    min_recovery: float | None = None  # brine disposal limit
    waste_heat: bool = False
    economics: Economics = field(default_factory=Economics)

    def settings(self, method: str) -> dict[str, Any]:
        if self.min_recovery is None or method == "ion_exchange":
            return {}
        if method == "nf_ro":
            return {"nf_recovery": 0.85, "recovery": min(0.97, self.min_recovery / 0.85 + 0.01)}
        return {"recovery": self.min_recovery}

    def prices(self) -> Economics:
        base = replace(self.economics, capacity_m3_day=self.capacity_m3_day)
        return replace(base, heat_usd_kwh=0.003, heat_kg_co2_kwh=0.0) if self.waste_heat else base


@dataclass(frozen=True)
class Option:
    method: str
    result: Result | None
    cost: Cost | None
    failure: str  # "" when the option meets every constraint


def _failure(village: Village, result: Result) -> str:
    limit = limiting_note(result.notes)
    if limit:
        return limit
    if result.permeate_tds_mg_l > village.max_product_tds_mg_l:
        return "too_salty"
    hardness_limit = village.max_hardness_mg_l
    if hardness_limit is not None and result.permeate_hardness_mg_l > hardness_limit:
        return "too_hard"
    if village.min_recovery is not None and result.recovery < village.min_recovery - 1e-6:
        return "too_much_brine"
    return ""


def options(village: Village) -> list[Option]:
    prices = village.prices()
    out = []
    for method in METHODS:
        settings = village.settings(method)
        result: Result | None = None
        try:
            result = simulate(method, village.feed, **settings)
        except DesalInputError as error:
            failure = error.code
        else:
            failure = _failure(village, result)
        if failure and village.min_recovery is None:
            # An engineer would not give up at the default recovery: design at the limit.
            result, failure = _at_limit(village, method, result, failure)
        out.append(
            Option(method, result, None if result is None else cost(result, prices), failure)
        )
    return out


def _at_limit(
    village: Village, method: str, result: Result | None, failure: str
) -> tuple[Result | None, str]:
    limit = default_sweeps.limit(method, village.feed, {})
    if limit is None or limit.recovery < 0.05:
        return result, failure
    try:
        retry = simulate(method, village.feed, **limit.settings)
    except DesalInputError as error:
        return result, error.code
    return retry, _failure(village, retry)


@dataclass(frozen=True)
class VillageVerdict:
    correct: bool
    error_type: str | None
    best: str | None
    acceptable: tuple[str, ...]
    options: tuple[Option, ...]


def judge_choice(
    village: Village, choice: str, table: Sequence[Option] | None = None
) -> VillageVerdict:
    """``table``: ``options(village)``, which does not depend on the choice, when the caller
    keeps it; computed otherwise."""
    if choice not in METHODS:
        raise DesalInputError("unknown_method", method=choice)
    if table is None:
        table = options(village)
    feasible = [o for o in table if not o.failure and o.cost is not None]
    best = min(feasible, key=lambda o: o.cost.lcow_usd_m3 if o.cost else 0.0, default=None)
    acceptable: tuple[str, ...] = ()
    if best is not None and best.cost is not None:
        ceiling = best.cost.lcow_usd_m3 * TOLERANCE
        acceptable = tuple(o.method for o in feasible if o.cost and o.cost.lcow_usd_m3 <= ceiling)
    picked = next(o for o in table if o.method == choice)
    correct = choice in acceptable
    return VillageVerdict(
        correct=correct,
        error_type=None if correct else _misconception(picked),
        best=None if best is None else best.method,
        acceptable=acceptable,
        options=tuple(table),
    )


def _misconception(picked: Option) -> str:
    """Name the likely misunderstanding behind a wrong pick."""
    reason = picked.failure
    if reason in {"pressure_limit", "pressure_too_low_for_recovery", "pressure_below_osmotic"}:
        return "osmotic_pressure_ignored"
    if reason in LIMIT_NOTES:
        return "scaling_ignored"
    if reason == "ion_exchange_exhausted" or (reason == "too_salty" and picked.method in SOFTENERS):
        return "softening_is_not_desalting"
    if reason == "product_not_cleaner":
        return "softening_is_not_desalting"
    if reason == "too_salty":
        return "quality_ignored"
    if reason == "too_much_brine":
        return "brine_ignored"
    if picked.method in THERMAL:
        return "thermal_energy_cost"
    if picked.method == "electrodialysis":
        return "ed_energy_scales_with_salt"
    return "cost_ignored"


HARD_WELL: dict[str, float] = {
    "Na": 60,
    "K": 5,
    "Ca": 180,
    "Mg": 55,
    "Cl": 110,
    "SO4": 380,
    "HCO3": 330,
}
VILLAGES: tuple[Village, ...] = (
    Village("steppe_village", "desal.energy", preset("brackish", 12.0), 300.0),
    Village(
        "hard_well",
        "desal.membranes",
        Feed("custom", HARD_WELL, 10.0, 7.4),
        150.0,
        max_hardness_mg_l=300.0,
    ),
    Village("aktau", "desal.thermal", preset("caspian", 15.0), 20000.0, waste_heat=True),
    Village("aral_shore", "desal.osmosis", preset("aral", 20.0), 100.0),
    Village("caspian_resort", "desal.hybrid", preset("caspian", 20.0), 2000.0, min_recovery=0.55),
)
