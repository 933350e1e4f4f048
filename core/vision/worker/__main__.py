"""Start the vision worker: ``python -m core.vision.worker`` (from `.venv-vision`).

On one laptop the app starts it by itself. On a GPU machine for a district, run it there:

    ZERDE_VISION_TOKEN=<secret> .venv-vision/bin/python -m core.vision.worker \\
        --host 0.0.0.0 --port 8765 --models-dir /srv/zerde/models

and point the app at it with ``ZERDE_VISION_WORKER=tcp://gpu-host:8765`` and the same token."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.vision.worker")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--models-dir", default=os.environ.get("ZERDE_MODELS_DIR", "models"))
    parser.add_argument("--home", default=os.environ.get("ZERDE_VISION_HOME", "data/vision"))
    parser.add_argument("--max-rss-mb", type=float, default=6000.0)
    parser.add_argument("--check", action="store_true", help="import the stack and exit")
    parser.add_argument(
        "--exit-with-parent",
        choices=("watch", "signal"),
        help="end when the launching process dies (see core/vision/worker/lifeline.py); "
        "signal: also the kernel's parent-death signal (only for a single-threaded parent)",
    )
    parser.add_argument("--parent-pid", type=int, help="the launcher's pid (catches a race)")
    args = parser.parse_args(argv)
    if args.exit_with_parent:  # before the heavy imports: an orphan must not even load models
        from core.vision.worker.lifeline import exit_with_parent

        exit_with_parent(args.exit_with_parent, args.parent_pid)

    from core.vision.worker.offline import prepare

    prepare(Path(args.home).resolve())
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if args.check:
        return _check()

    token = os.environ.get("ZERDE_VISION_TOKEN")
    if token is None:
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("set ZERDE_VISION_TOKEN when listening beyond this machine")
        token = secrets.token_hex(16)
        print(f"token {token}", flush=True)
    from core.vision.worker.server import Server, serve

    hooks = os.environ.get("ZERDE_VISION_TEST_HOOKS") == "1"
    server = Server(
        (args.host, args.port), token, Path(args.models_dir).resolve(), args.max_rss_mb, hooks
    )
    serve(server)
    return 0


def _check() -> int:
    """Import everything the worker uses (no model runs): proves the environment is whole."""
    import cv2
    import mediapipe
    import numpy

    from core.vision.worker.offline import define_torchvision_nms, link_dlib_weights

    link_dlib_weights()
    define_torchvision_nms()
    import torchvision
    import ultralytics

    print(
        f"vision worker ok: numpy {numpy.__version__}, opencv {cv2.__version__}, "
        f"mediapipe {mediapipe.__version__}, torchvision {torchvision.__version__}, "
        f"ultralytics {ultralytics.__version__}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
