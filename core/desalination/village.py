""" "Which method for this village?": a community, its water and its constraints; every method
is designed for it by the models, and the cheapest one that meets every constraint wins. The
answer is computed, never written down, so changing a model changes the right answer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
MEMBRANE = frozenset({"ro", "nf", "nf_ro"})
# The design space the judge searches, as an engineer would: the recovery of the stage that
# makes the water (5 % steps) and, for membranes, the design flux (a lower flux needs less
# pressure but more membrane area, which the cost counts); for the hybrid also the NF recovery.
RECOVERIES: tuple[float, ...] = tuple(r / 100 for r in range(10, 91, 5))
FLUXES: tuple[float, ...] = (6.0, 8.0, 11.0, 14.0, 18.0, 24.0)
# The hybrid has three knobs; a coarser grid keeps its search to seconds.
HYBRID_FLUXES: tuple[float, ...] = (8.0, 14.0, 24.0)
HYBRID_RECOVERIES: tuple[float, ...] = tuple(r / 100 for r in range(10, 91, 10))
NF_RECOVERIES: tuple[float, ...] = (0.3, 0.4, 0.5, 0.65, 0.75, 0.85)
# Designs within this share of a method's cheapest cost itself: the one that wastes the least
# water is kept (the cost model does not price intake or brine disposal).
SAME_COST = 0.02
NONE = "none"  # the answer "no method meets every rule"
# The lab's rule (desal.note.ed_high_salinity): electrodialysis is for brackish water.
ED_MAX_TDS_G_L = 10.0


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

    def prices(self) -> Economics:
        base = replace(self.economics, capacity_m3_day=self.capacity_m3_day)
        return replace(base, heat_usd_kwh=0.003, heat_kg_co2_kwh=0.0) if self.waste_heat else base


@dataclass(frozen=True)
class Option:
    method: str
    result: Result | None
    cost: Cost | None
    failure: str  # "" when the option meets every constraint
    settings: dict[str, Any] = field(default_factory=dict)  # the design judged


def _failure(village: Village, result: Result) -> str:
    limit = limiting_note(result.notes)
    if limit:
        return limit
    if result.method == "electrodialysis" and village.feed.tds_g_l > ED_MAX_TDS_G_L:
        return "ed_high_salinity"
    if result.permeate_tds_mg_l > village.max_product_tds_mg_l:
        return "too_salty"
    hardness_limit = village.max_hardness_mg_l
    if hardness_limit is not None and result.permeate_hardness_mg_l > hardness_limit:
        return "too_hard"
    if village.min_recovery is not None and result.recovery < village.min_recovery - 1e-6:
        return "too_much_brine"
    return ""


def designs(village: Village, method: str) -> Iterator[list[dict[str, Any]]]:
    """The designs to try, as ladders of rising recovery: every failure grows with recovery
    (pressure, scaling, a saltier product) or does not depend on it, so one ends the climb.
    The first design of the first ladder is the method at its default flux and the lowest
    recovery the village allows: its failure is reported when no design works."""
    if method == "ion_exchange":
        yield [{}]
        return
    floor = village.min_recovery or 0.0
    if method == "nf_ro":
        for flux in _default_first(HYBRID_FLUXES, 14.0):
            for nf in NF_RECOVERIES:
                yield [
                    {"nf_recovery": nf, "recovery": r, "flux_lmh": flux}
                    for r in _from(floor / nf, HYBRID_RECOVERIES)
                ]
        return
    if method in MEMBRANE:
        default = 14.0 if method == "ro" else 20.0
        for flux in _default_first((*FLUXES, default), default):
            yield [{"recovery": r, "flux_lmh": flux} for r in _from(floor)]
        return
    yield [{"recovery": r} for r in _from(floor)]


def _default_first(values: Sequence[float], default: float) -> list[float]:
    return [default, *sorted(set(values) - {default})]


def _from(floor: float, grid: Sequence[float] = RECOVERIES) -> list[float]:
    """The grid's recoveries from ``floor`` up, the floor itself first when it is off the grid."""
    if floor >= 0.97:
        return []
    steps = [r for r in grid if r >= floor - 1e-9]
    if floor <= 0 or (steps and abs(steps[0] - floor) < 1e-9):
        return steps
    return [floor, *steps]


def best_design(village: Village, method: str) -> Option:
    """The cheapest design of ``method`` that meets every rule, or the first design's failure."""
    prices = village.prices()
    first: Option | None = None
    feasible: list[Option] = []
    nf_dead: set[float] = set()  # a hybrid's NF recoveries whose NF brine scales
    for ladder in designs(village, method):
        for settings in ladder:
            if settings.get("nf_recovery", 0.0) >= min(nf_dead, default=2.0):
                break
            try:
                result = simulate(method, village.feed, **settings)
            except DesalInputError as error:
                option = Option(method, None, None, error.code, settings)
            else:
                option = Option(
                    method, result, cost(result, prices), _failure(village, result), settings
                )
            first = first or option
            if option.failure:
                if option.failure.startswith("nf_") and method == "nf_ro":
                    nf_dead.add(settings["nf_recovery"])
                break
            feasible.append(option)
    if feasible:
        cheapest = min(map(_lcow, feasible))
        near = [o for o in feasible if _lcow(o) <= cheapest * (1.0 + SAME_COST)]
        return max(near, key=lambda o: (o.result.recovery if o.result else 0.0, -_lcow(o)))
    return first or Option(method, None, None, "too_much_brine", {})


def _lcow(option: Option) -> float:
    return float("inf") if option.cost is None else option.cost.lcow_usd_m3


def options(village: Village) -> list[Option]:
    """Every method at its best design for the village. The designs are looked up in the
    stored sweeps when the models have not changed since they were computed."""
    stored = default_sweeps.village_designs(village.id)
    out = []
    for method in METHODS:
        settings = None if stored is None else stored.get(method)
        out.append(
            best_design(village, method) if settings is None else _redo(village, method, settings)
        )
    return out


def _redo(village: Village, method: str, settings: dict[str, Any]) -> Option:
    """A stored design, simulated again (fast: one run); a stored failure is its settings with
    the failure's code."""
    try:
        result = simulate(method, village.feed, **settings)
    except DesalInputError as error:
        return Option(method, None, None, error.code, settings)
    return Option(
        method, result, cost(result, village.prices()), _failure(village, result), settings
    )


@dataclass(frozen=True)
class VillageVerdict:
    correct: bool
    error_type: str | None
    best: str | None
    acceptable: tuple[str, ...]  # the best and every method within TOLERANCE of it
    options: tuple[Option, ...]

    @property
    def ties(self) -> tuple[str, ...]:
        """Methods that count as right although they are not the cheapest."""
        return tuple(m for m in self.acceptable if m != self.best)


def judge_choice(
    village: Village, choice: str, table: Sequence[Option] | None = None
) -> VillageVerdict:
    """``table``: ``options(village)``, which does not depend on the choice, when the caller
    keeps it; computed otherwise."""
    if choice not in (*METHODS, NONE):
        raise DesalInputError("unknown_method", method=choice)
    if table is None:
        table = options(village)
    feasible = sorted((o for o in table if not o.failure and o.cost is not None), key=_lcow)
    best = feasible[0] if feasible else None
    acceptable: tuple[str, ...] = ()
    if best is not None:
        ceiling = _lcow(best) * TOLERANCE
        acceptable = tuple(o.method for o in feasible if _lcow(o) <= ceiling)
    if choice == NONE:
        correct = not acceptable
        error_type = None if correct else "gave_up_too_early"
    else:
        correct = choice in acceptable
        picked = next(o for o in table if o.method == choice)
        error_type = None if correct else _misconception(picked)
    return VillageVerdict(
        correct=correct,
        error_type=error_type,
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
    if reason == "ed_high_salinity":
        return "ed_energy_scales_with_salt"
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
