"""Parts of the vision lab page (app_pages/vision_lab.py)."""

TABS = ("live", "benchmark", "face", "palm", "worker")
