"""Scorers behind `newsie eval`."""
