import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("torch", "stable_baselines3", "gymnasium", "pygame", "imageio_ffmpeg")


def test_the_rl_pages_load_without_torch_gymnasium_or_pygame() -> None:
    """The RL page's modules are imported when the app builds its navigation; the heavy libraries
    must wait until a training, a replay or a saved agent needs them."""
    code = (
        "import sys\n"
        "import app_pages.components.rl, core.rl.agents, core.rl.deep, core.rl.q_learning\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == ""
