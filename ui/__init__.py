"""The Qt user interface. Imports `ics_desktop`; nothing in `ics_desktop` imports this package."""
