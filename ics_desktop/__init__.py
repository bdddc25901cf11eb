"""ICS Desktop core: domain, store, scoring and commands. Knows nothing of Qt."""

__version__ = "0.1.0"
