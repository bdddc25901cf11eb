"""A lighter version of PySide6's check of every imported module (PYSIDE-2029).

PySide6 looks at each module imported after it to see whether the module uses PySide6 (for its
`from __feature__ import ...` switches). It does so with `inspect.getsource`, which keeps the
source lines of every module in `linecache` for the life of the process: after matplotlib,
numpy and python-docx are imported that is about 25 MB held for nothing (a quarter of the
window's budget). The same question is answered here by reading the file's bytes once and
letting them go. Modules without a `.py` file (built-in, compiled, frozen) are still asked the
original way.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

_MARK = "_ics_light"


def install() -> bool:
    """Replace PySide6's module check with one that keeps nothing; False when there is none to replace."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return False
    if getattr(original, _MARK, False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    setattr(uses_pyside, _MARK, True)
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()  # what the modules imported so far left behind (a cache: refilled on demand)
    return True
