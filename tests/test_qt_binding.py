"""Guards against Qt binding bugs that would crash a long workshop session."""

from __future__ import annotations

import subprocess
import sys


def test_signal_emit_keeps_python_reference_counts() -> None:
    # PySide6 6.12.0 dropped a reference to True on every Signal.emit() from Python; after enough edits
    # the interpreter aborted ("bool_dealloc"). Run in a child so a regression cannot take the suite down.
    code = (
        "import sys\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "class A(QObject):\n    s = Signal(str)\n"
        "a = A(); before = sys.getrefcount(True)\n"
        "for _ in range(500): a.s.emit('x')\n"
        "print(before - sys.getrefcount(True))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) <= 0
