"""Pose models as the seed study measured them: average FPS (mean of per-frame 1/Δt), CPU %
(psutil), RSS memory (MB) and elapsed time, per model × resolution × scene, on ONE core (the
worker process is pinned to core 0).

    python -m benchmarks.pose                 # every model whose weights are here, 6 s per config
    python -m benchmarks.pose --quick         # 2 s per config
    python -m benchmarks.pose --json          # one JSON object per line per configuration
    python -m benchmarks.pose --models mediapipe-full yolov8n-pose --resolutions 480p

Untrained YOLO architectures (no ``yolov8*-pose.pt`` in models/) are timed honestly but find
nobody; the ``trained`` field says which rows those are. Target: mediapipe-full ≥ 25 FPS at
480p on one core. Each model runs in a fresh worker, so its memory figure is its own (the
lab page's shared worker keeps every model it has loaded).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace

from core.vision import client as vision_client
from core.vision.catalogue import POSE_MODELS
from core.vision.client import WorkerClient, WorkerConfig
from core.vision.pose_bench import BenchRow, grid
from core.vision.scenes import RESOLUTIONS, SCENES

TARGET_FPS = 25.0
HEADER = (
    f"{'model':16} {'trained':7} {'res':6} {'scene':11} {'FPS':>7} "
    f"{'CPU%':>6} {'proc%':>6} {'RSS MB':>7} {'elapsed':>8} {'frames':>6} people"
)


def runnable_models(worker: WorkerClient) -> list[str]:
    """MediaPipe models whose files are here, and every YOLO size (untrained if no weights)."""
    present = worker.call("status").header["pose_models"]
    return [m.id for m in POSE_MODELS if m.family == "yolo" or present[m.id]["present"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 s per configuration")
    parser.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    parser.add_argument("--models", nargs="*")
    parser.add_argument("--resolutions", nargs="*", default=list(RESOLUTIONS))
    parser.add_argument("--scenes", nargs="*", default=list(SCENES))
    args = parser.parse_args()

    worker = WorkerClient(replace(WorkerConfig.from_env(), cores=1))
    vision_client.use(worker)
    try:
        models = args.models or runnable_models(worker)
        budget = 2.0 if args.quick else 6.0

        def report(progress: float, rows: list[BenchRow]) -> bool:
            print_row(rows[-1], args.json)
            return True

        if not args.json:
            print(HEADER)
        rows: list[BenchRow] = []
        for model in models:  # a fresh worker per model: its RSS is that model's alone
            rows += grid([model], args.resolutions, args.scenes, budget, report=report)
            worker.close()
    finally:
        worker.close()
    if not args.json:
        summary(rows)


def print_row(row: BenchRow, as_json: bool) -> None:
    if as_json:
        keys = (
            "model",
            "trained",
            "resolution",
            "scene",
            "fps",
            "cpu_percent",
            "rss_mb",
            "elapsed_s",
        )
        record = {k: asdict(row)[k] for k in keys}
        print(
            json.dumps(
                {**record, "frames": row.frames, "process_cpu_percent": row.process_cpu_percent}
            ),
            flush=True,
        )
        return
    print(f"{row.model:16} {row.trained!s:7} {row.resolution:6} {row.scene:11} {row.fps:7.1f} "
          f"{row.cpu_percent:6.1f} {row.process_cpu_percent:6.1f} {row.rss_mb:7.0f} "
          f"{row.elapsed_s:8.2f} {row.frames:6d} {row.people_mean:.2f}", flush=True)  # fmt: skip


def summary(rows: list[BenchRow]) -> None:
    target = [r.fps for r in rows if r.model == "mediapipe-full" and r.resolution == "480p"]
    if target:
        worst = min(target)
        verdict = "meets" if worst >= TARGET_FPS else "MISSES"
        print(
            f"\nmediapipe-full at 480p on one core: {worst:.1f}–{max(target):.1f} FPS across "
            f"scenes; {verdict} the {TARGET_FPS:.0f} FPS target (lowest scene counts)"
        )
    by_model: dict[str, list[float]] = {}
    for r in rows:
        by_model.setdefault(r.model, []).append(r.fps)
    fastest = {m: sum(v) / len(v) for m, v in by_model.items()}
    base = fastest.get("mediapipe-full")
    if base:
        ranked = sorted(fastest.items(), key=lambda kv: -kv[1])
        ratios = ", ".join(f"{m} ×{fps / base:.2f}" for m, fps in ranked)
        print(f"mean FPS relative to mediapipe-full: {ratios}")


if __name__ == "__main__":
    main()
