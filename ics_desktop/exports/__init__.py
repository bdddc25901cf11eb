"""Documents and data that leave the room: Word roadmap and terms of reference, PDF summary, CSV/Excel."""
