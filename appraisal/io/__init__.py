"""Readers and writers at the edge: CSV, JSON/TOML packages, text tables."""
