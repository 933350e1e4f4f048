"""Parts of the traffic lab page (app_pages/traffic.py)."""

TABS = ("signals", "rl", "forecast", "about")
