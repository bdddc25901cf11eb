"""A really full disk (a 3 MB tmpfs filled to the last byte): commands say the disk is full, never 'damaged'.

Needs root to mount the tmpfs, as CI runs; elsewhere it says why it cannot run (and fails in CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT


def _cannot_mount(reason: str) -> None:
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the full-disk test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        _cannot_mount("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        _cannot_mount(f"this machine does not allow mounting a tmpfs ({done.stderr.decode().strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env)


def test_a_full_disk_is_called_full(small_disk: Path) -> None:
    db = small_disk / "prog.sqlite"
    assert _run("sample", "--db", str(db)).returncode == 0
    with (small_disk / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    assert shutil.disk_usage(small_disk).free < 65536
    for command in ("check", "summary"):
        result = _run(command, "--db", str(db))
        said = result.stderr + result.stdout
        assert "Traceback" not in said
        if result.returncode != 0:  # reading may still work; when it cannot, the reason is the full disk
            assert "disk is full" in said, said
            assert "damaged" not in said, said
