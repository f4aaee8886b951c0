"""Bundled sample packages and pairwise-judgment files (data only)."""
