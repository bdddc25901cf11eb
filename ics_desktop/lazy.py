"""Import helpers that keep start-up fast."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from types import ModuleType


def import_without(module: str, hidden: Iterable[str]) -> ModuleType:
    """Import `module` while `hidden` modules look uninstalled (unless already loaded); then unhide them.

    For libraries that import heavy optional dependencies eagerly "just in case".
    """
    if module in sys.modules:
        return sys.modules[module]
    blocked = [name for name in hidden if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        return importlib.import_module(module)
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]
