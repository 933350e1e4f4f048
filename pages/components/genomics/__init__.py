"""Genomics explorer page parts (pages/genomics.py)."""
