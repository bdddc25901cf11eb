"""The Workshops page's parts: item models, the plan editor and the live capture view."""
