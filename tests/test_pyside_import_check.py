"""PySide6's check of each imported module must not keep every module's source in memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHILD = """
import json, linecache, sys
sys.path.insert(0, {folder!r})
import PySide6.QtCore
feature = sys.modules["shibokensupport.feature"]
import plain_before  # PySide6's own check: the source stays in linecache
before = any(name.endswith("plain_before.py") for name in linecache.cache)
from ui import pyside_import_check
assert pyside_import_check.install() and pyside_import_check.install()  # twice is harmless
import plain_after, uses_qt
kept = sorted(name.rsplit("/", 1)[-1] for name in linecache.cache if "_after" in name or "uses_qt" in name)
print(json.dumps([before, kept, feature.pyside_feature_dict["plain_after"], feature.pyside_feature_dict["uses_qt"]]))
"""


def test_imported_modules_are_checked_without_keeping_their_source(tmp_path: Path) -> None:
    filler = "# " + "x" * 200 + "\n"
    (tmp_path / "plain_before.py").write_text("VALUE = 1\n" + filler * 50, encoding="utf-8")
    (tmp_path / "plain_after.py").write_text("VALUE = 2\n" + filler * 50, encoding="utf-8")
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(folder=str(tmp_path))],
        capture_output=True, text=True, timeout=120, cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    before, kept, plain, qt = json.loads(result.stdout.strip().splitlines()[-1])
    # Without the lighter check, the whole source of each module imported is kept ...
    assert before is True
    # ... with it, none.
    assert kept == []
    # The answer is the same as PySide6's own: -1 "ignore this module", 0 "uses PySide6, no features".
    assert (plain, qt) == (-1, 0)
