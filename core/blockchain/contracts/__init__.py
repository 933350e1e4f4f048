"""Vyper sources for the blockchain quest (level 6); compiled at run time by contracts_lib.

Kept as a package so the .vy files ship with `core` and are found next to this file.
"""
