"""Dialogs of the Areas of focus page."""
