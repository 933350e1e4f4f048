"""Parts of the vision lab page (pages/vision_lab.py)."""

TABS = ("live", "benchmark", "face", "palm", "worker")
