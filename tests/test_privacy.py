"""Privacy: the app opens no network connection, and its data folder is readable by its owner only.

The proof of the first runs the real app (the GUI smoke test, which visits every page and renders
the charts, and the Word and PDF exports) in processes that record every socket or URL use
through a Python audit hook (installed by a `sitecustomize` module); where `strace` is available
the smoke test also runs under it, so a connection made from native code (Qt) would show too.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ics_desktop import paths

ROOT = Path(__file__).resolve().parent.parent

SITECUSTOMIZE = '''
"""Installed by tests/test_privacy.py: record any network use by this process."""
import atexit, os, sys

_LOG = os.environ["ICS_NETWORK_LOG"]
_WATCHED = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "nntplib.", "poplib.", "imaplib.", "webbrowser.")


def _hook(event, args):
    if event.startswith(_WATCHED):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{event} {args!r}\\n")


sys.addaudithook(_hook)


@atexit.register
def _modules():
    with open(_LOG + ".modules", "w", encoding="utf-8") as fh:
        fh.write("\\n".join(sorted(sys.modules)))
'''
# Libraries whose only purpose is the network: none may even be loaded by the GUI.
NETWORK_MODULES = {"PySide6.QtNetwork", "PySide6.QtWebEngineCore", "requests", "urllib3", "httpx", "ftplib", "smtplib"}


def _run_watched(tmp_path: Path, name: str, args: list[str], *, native: bool) -> tuple[str, set[str], str]:
    """Run main.py with the audit hook (and strace when `native`); returns (hook log, modules, strace log)."""
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir(exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / f"{name}.log"
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(hook_dir), *filter(None, [os.environ.get("PYTHONPATH")])]),
        ICS_NETWORK_LOG=str(log),
        QT_QPA_PLATFORM="offscreen",
    )
    command = [sys.executable, str(ROOT / "main.py"), *args]
    trace = tmp_path / f"{name}.strace"
    strace = shutil.which("strace") if native else None
    if strace:
        # --seccomp-bpf: only the traced calls stop the process, so the run is hardly slower
        traced = ["-e", "trace=connect,sendto,sendmsg", "-o", str(trace)]
        command = [strace, "-f", "-qq", "--seccomp-bpf", *traced, *command]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    modules = set((tmp_path / f"{name}.log.modules").read_text(encoding="utf-8").split())
    assert "sitecustomize" in modules  # the hook really was there
    return (
        log.read_text(encoding="utf-8") if log.exists() else "",
        modules,
        trace.read_text(encoding="utf-8") if trace.exists() else "",
    )


def test_the_app_opens_no_network_connection(sample_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "sample.sqlite"
    shutil.copyfile(sample_file, db)

    events, modules, native = _run_watched(tmp_path, "smoke", ["--smoke-test", "--db", str(db)], native=True)
    assert events == "", f"the GUI used the network:\n{events}"
    assert not modules & NETWORK_MODULES, modules & NETWORK_MODULES
    # Local sockets (AF_UNIX, e.g. a desktop bus) are not the network; any IP address would be.
    assert not re.search(r"AF_INET6?\b", native), f"a native connection was attempted:\n{native}"

    programme = "Supporting Aspiring ICS Programme"
    args = ["export", "--db", str(db), "--programme", programme, "--docx", str(tmp_path / "r.docx")]
    events, _modules, _native = _run_watched(
        tmp_path, "export", [*args, "--pdf", str(tmp_path / "s.pdf")], native=False
    )
    assert events == "", f"an export used the network:\n{events}"
    assert (tmp_path / "r.docx").stat().st_size > 0 and (tmp_path / "s.pdf").stat().st_size > 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_data_folder_is_readable_by_its_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    old_umask = os.umask(0o022)  # a typical umask, which would leave a plain folder world-readable
    try:
        folder = paths.user_data_dir()
        db = paths.default_db_path()
    finally:
        os.umask(old_umask)
    assert folder.is_relative_to(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert db.parent == folder

    from ics_desktop.storage.store import Store

    store = Store.open(db)  # what the first run does
    store.close()
    Store.open(db, backup_on_open=True).close()
    backups_folder = paths.backups_dir_for(db)
    assert stat.S_IMODE(backups_folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(b.stat().st_mode) == 0o600 for b in backups_folder.iterdir())
