"""Parts of the traffic lab page (pages/traffic.py)."""

TABS = ("signals", "rl", "forecast", "about")
