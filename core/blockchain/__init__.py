"""Blockchain quest: a teaching ledger in pure Python and, for later levels, a real EVM chain."""
