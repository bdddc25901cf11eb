"""No export and no bundle is ever written onto the database, its journal files or one of its backups.

Real processes, a real sample file: each refusal is one line, a non-zero exit, and the files unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ics_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "Supporting Aspiring ICS Programme"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(sample_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "programme.sqlite"
    shutil.copyfile(sample_file, path)
    Store.open(path, backup_on_open=True).close()  # a backup, as the app takes one on opening
    return path


def refused(db: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "would destroy your data" in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--pdf", "--docx", "--tor", "--xlsx"])
def test_an_export_onto_the_database_is_refused(db: Path, option: str) -> None:
    before = digest(db)
    refused(db, run("export", "--db", str(db), "--programme", PROGRAMME, option, str(db)))
    assert digest(db) == before


def test_an_export_onto_a_journal_a_backup_or_a_link_to_the_database_is_refused(db: Path, tmp_path: Path) -> None:
    before = digest(db)
    backup = next((db.parent / "backups").iterdir())
    backup_before = digest(backup)
    link = tmp_path / "elsewhere" / "looks-like-a.pdf"
    link.parent.mkdir()
    os.link(db, link)  # the same file under another name
    symlink = tmp_path / "shortcut.pdf"
    symlink.symlink_to(db)
    sneaky = tmp_path / "elsewhere" / ".." / "programme.sqlite"
    for target in (Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal"), backup, link, symlink, sneaky):
        refused(db, run("export", "--db", str(db), "--programme", PROGRAMME, "--pdf", str(target)))
    assert digest(db) == before and digest(backup) == backup_before
    assert not Path(f"{db}-journal").exists()
    # A folder of CSV files that would replace the database (named as one of them) is refused too.
    csv_db = tmp_path / "csv" / "actions.csv"
    csv_db.parent.mkdir()
    shutil.copyfile(db, csv_db)
    refused(csv_db, run("export", "--db", str(csv_db), "--programme", PROGRAMME, "--csv", str(csv_db.parent)))


def test_a_bundle_onto_the_database_or_a_backup_is_refused(db: Path) -> None:
    before = digest(db)
    backup = next((db.parent / "backups").iterdir())
    for target in (db, backup):
        refused(db, run("bundle", "export", "--db", str(db), "--programme", PROGRAMME, "--out", str(target)))
    assert digest(db) == before


def test_an_ordinary_export_beside_the_database_still_works(db: Path) -> None:
    result = run("export", "--db", str(db), "--programme", PROGRAMME, "--pdf", str(db.parent / "summary.pdf"))
    assert result.returncode == 0, result.stderr
    assert (db.parent / "summary.pdf").read_bytes().startswith(b"%PDF")
