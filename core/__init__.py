"""Zerde core: pure, typed domain code. Never imports streamlit."""
