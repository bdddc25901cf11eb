"""Exporting documents from the GUI: the background worker the Export page runs."""
