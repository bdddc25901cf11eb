"""Reusable Qt widgets (chart canvas, …) shared by the pages."""
