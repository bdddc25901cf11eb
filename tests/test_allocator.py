"""Freed picture-sized blocks of memory are given back to the system, not kept by the process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

CHILD = """
import sys
from ics_desktop.allocator import return_large_blocks_to_system

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 // (1 << 20)

if sys.argv[1] == "tuned":
    assert return_large_blocks_to_system()
chart = bytearray(16 << 20)  # one page-high chart's pixels came and went
del chart
before = rss_mb()
pixels = [bytearray(4 << 20) for _ in range(20)]  # 80 MB of smaller pictures
kept = bytearray(600 << 10)  # and something allocated after them that stays
del pixels
print(rss_mb() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator: Linux only")
def test_freed_large_blocks_are_returned_to_the_system() -> None:
    def kept_mb(mode: str) -> int:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60, cwd=ROOT
        )
        assert result.returncode == 0, result.stderr
        return int(result.stdout.strip())

    assert kept_mb("default") >= 60  # glibc left to itself keeps the 80 MB
    assert kept_mb("tuned") <= 10
