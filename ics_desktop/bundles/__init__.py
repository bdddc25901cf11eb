"""Bundles: a programme moved between laptops as one file (the format and its defensive reading, export and
import, the per-field merge, the `bundle` command)."""
