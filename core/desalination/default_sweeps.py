"""Energy curves and recovery limits at the models' default settings on the waters everyone
starts from: the presets at 25 °C (the page's first view) and the villages' waters (the village
exercise). They take seconds each to compute (every point marches a membrane stage and solves
for its pressure) and never change, so they are computed once, by

    python -m core.desalination.default_sweeps

and stored in default_sweeps.json; ``energy_curve`` and ``limit`` look them up there and
compute everything else. The file carries a fingerprint of the model's source: after any change
in core/desalination/ it no longer matches and is ignored (everything is computed, slower but
right) until the script is run again, and tests/unit/desalination/test_sweep_keys.py fails."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from core.desalination.sweep import (
    CURVE_RECOVERIES,
    RECOVERY_SWEPT,
    CurvePoint,
    RecoveryLimit,
    curve_settings,
    limit_settings,
    recovery_limit,
    sec_curve,
)
from core.desalination.water import PRESETS, Feed, preset

TABLE = Path(__file__).with_name("default_sweeps.json")
PAGE_TEMP_C = 25.0  # the page's temperature slider starts there

WaterKey = tuple[tuple[float, ...], float, float]


def fingerprint() -> str:
    """sha256 over the model's source files, this one excepted."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve()
    for path in sorted(here.parent.glob("*.py")):
        if path != here:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def water_key(feed: Feed) -> WaterKey:
    """What the models read from a feed: its composition, temperature and pH (not its name)."""
    return tuple(feed.vector.tolist()), float(feed.temp_c), float(feed.ph)


@cache
def _stored() -> dict[tuple[str, WaterKey], dict[str, Any]]:
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("fingerprint") != fingerprint():
        return {}
    return {(e["method"], (tuple(e["water"]), e["temp_c"], e["ph"])): e for e in data["entries"]}


def stored(method: str, feed: Feed) -> dict[str, Any] | None:
    """The table's entry for the method at its defaults on this water, if it has one."""
    return _stored().get((method, water_key(feed)))


def energy_curve(method: str, feed: Feed, params: Mapping[str, Any]) -> list[CurvePoint]:
    """``sec_curve`` at CURVE_RECOVERIES for these settings (their recovery is not used)."""
    settings = curve_settings(method, params)
    entry = None if settings else stored(method, feed)
    if entry is not None:
        return [CurvePoint(*point) for point in entry["curve"]]
    return sec_curve(method, feed, list(CURVE_RECOVERIES), settings)


def limit(method: str, feed: Feed, params: Mapping[str, Any]) -> RecoveryLimit | None:
    """``recovery_limit`` for these settings; its ``settings`` are the ones it depends on."""
    settings = limit_settings(method, params)
    entry = None if settings else stored(method, feed)
    if entry is not None:
        found = entry["limit"]
        return RecoveryLimit(found["recovery"], found["reason"], dict(found["settings"]))
    return recovery_limit(method, feed, settings)


def village_designs(village_id: str) -> dict[str, dict[str, Any]] | None:
    """The judge's chosen design of every method for this village (core.desalination.village
    searches the design space for it: seconds per village), if the table is current."""
    return _villages().get(village_id)


@cache
def _villages() -> dict[str, dict[str, dict[str, Any]]]:
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("fingerprint") != fingerprint():
        return {}
    return dict(data.get("villages", {}))


def waters() -> Iterator[Feed]:
    from core.desalination.village import VILLAGES  # village.py looks limits up here

    yield from (preset(name, PAGE_TEMP_C) for name in PRESETS)
    yield from (village.feed for village in VILLAGES)


def compute() -> dict[str, Any]:
    entries: dict[tuple[str, WaterKey], dict[str, Any]] = {}
    for feed in waters():
        vector, temp_c, ph = water_key(feed)
        for method in sorted(RECOVERY_SWEPT):
            found = recovery_limit(method, feed)
            assert found is not None
            points = sec_curve(method, feed, list(CURVE_RECOVERIES))
            entries[(method, water_key(feed))] = {
                "method": method,
                "water": vector,
                "temp_c": temp_c,
                "ph": ph,
                "curve": [[p.recovery, p.sec_kwh_m3, p.reason, p.floor_kwh_m3] for p in points],
                "limit": {
                    "recovery": found.recovery,
                    "reason": found.reason,
                    "settings": found.settings,
                },
            }
    from core.desalination import METHODS
    from core.desalination.village import VILLAGES, best_design

    villages = {
        v.id: {method: best_design(v, method).settings for method in METHODS} for v in VILLAGES
    }
    return {"fingerprint": fingerprint(), "entries": list(entries.values()), "villages": villages}


def main() -> None:
    started = time.perf_counter()
    data = compute()
    with TABLE.open("w", encoding="utf-8") as out:
        out.write('{"fingerprint": ' + json.dumps(data["fingerprint"]) + ',\n"entries": [\n')
        out.write(",\n".join(json.dumps(e, ensure_ascii=False) for e in data["entries"]))
        out.write("\n],\n")
        out.write('"villages": ' + json.dumps(data["villages"], ensure_ascii=False) + "}\n")
    _stored.cache_clear()
    _villages.cache_clear()
    print(
        f"{len(data['entries'])} curves and limits written to {TABLE.name} "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
