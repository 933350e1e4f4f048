"""Genomics explorer page parts (app_pages/genomics.py)."""
