"""App cold start: `streamlit run app.py` until /_stcore/health answers, and which heavy
libraries the modules imported by app.py pull in (they must be imported lazily, by labs)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEAVY_MODULES = ("torch", "tensorflow", "mediapipe", "ultralytics", "web3", "sklearn")
EXTRA_HEAVY = ("cv2", "jax", "stable_baselines3", "gymnasium", "deepface", "shap", "xgboost")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def streamlit_command() -> list[str]:
    binary = Path(sys.executable).with_name("streamlit")
    return [str(binary)] if binary.is_file() else [sys.executable, "-m", "streamlit"]


def health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def cold_start_once(timeout: float) -> float:
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="zerde_cold_"))
    env = dict(os.environ)
    env.update(
        ZERDE_DATA_DIR=str(data_dir),
        ZERDE_DATABASE_URL=f"sqlite:///{data_dir / 'zerde.db'}",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    cmd = [
        *streamlit_command(),
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    log_path = data_dir / "streamlit.log"
    url = f"http://127.0.0.1:{port}/_stcore/health"
    with log_path.open("wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            while True:
                if health_ok(url):
                    return time.perf_counter() - start
                if proc.poll() is not None:
                    tail = log_path.read_text(errors="replace")[-800:]
                    raise RuntimeError(f"streamlit exited with {proc.returncode}: {tail}")
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"no 200 from {url} within {timeout:.0f} s")
                time.sleep(0.05)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            shutil.rmtree(data_dir, ignore_errors=True)


def app_imports() -> list[str]:
    """Top-level modules app.py imports, read from its source (so the check follows the code)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module != "__future__"
        ):
            names.append(node.module)
    return list(dict.fromkeys(names))


def heavy_import_check() -> dict[str, Any]:
    modules = app_imports()
    heavy = [*HEAVY_MODULES, *EXTRA_HEAVY]
    code = (
        "import importlib, json, sys, time\n"
        f"mods = {modules!r}\n"
        "t0 = time.perf_counter()\n"
        "for m in mods: importlib.import_module(m)\n"
        "dt = time.perf_counter() - t0\n"
        f"heavy = [h for h in {heavy!r} if h in sys.modules]\n"
        "print(json.dumps({'seconds': dt, 'heavy': heavy, 'n_modules': len(sys.modules)}))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["modules"] = modules
    return result


# --------------------------------------------------------------------------- driver
