"""Readiness windows and views: entry grids, private (pass the laptop) entry, presentation mode."""
