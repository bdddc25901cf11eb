"""Documents produced "as at" a day, and exports that never fail as a whole: every file of an `export`
command written or reported on its own, any name length, stale temporary files swept. Real processes,
real files read back (python-docx, pypdf, openpyxl)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from ics_desktop.exports.common import STALE_PART_SECONDS, sweep_stale_parts
from ics_desktop.storage.store import Store

from .conftest import ROOT

PROGRAMME = "Supporting Aspiring ICS Programme"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    db = tmp_path / "sample.sqlite"
    assert run("sample", "--db", str(db)).returncode == 0
    return db


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "") for page in PdfReader(str(path)).pages).split())


def test_the_sample_as_at_a_day_in_2018_reads_as_it_did_then(sample_db: Path, tmp_path: Path) -> None:
    pdf, docx, xlsx = tmp_path / "s.pdf", tmp_path / "r.docx", tmp_path / "w.xlsx"
    result = run("export", "--db", str(sample_db), "--programme", PROGRAMME, "--as-at", "2018-12-10",
                 "--pdf", str(pdf), "--docx", str(docx), "--xlsx", str(xlsx))  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf)
    assert "Summary as at 10 December 2018" in text
    # As at 10 December 2018 two open actions were late: due 30 November (10 days) and 6 December (4 days).
    assert (
        "Overdue action Owner Due Days late Develop an outline communication strategy and shared roadmap towards "
        "an integrated care system Stephen Lightbown 30 Nov 2018 10 Hold the system wide frailty design workshop "
        "Martin Jones 6 Dec 2018 4 Next milestones"
    ) in text
    assert not re.search(r"\b\d,\d{3}\b", text), "days late counted from today, years after the programme"

    cover = [[c.text for c in row.cells] for table in Document(str(docx)).tables[:3] for row in table.rows]
    assert ["As at", "10 Dec 2018"] in cover

    sheet = load_workbook(xlsx)["Actions"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    overdue = sorted(str(r["Action"])[:30] for r in rows if r["Overdue"] == "Yes")
    assert overdue == ["Develop an outline communicati", "Hold the system wide frailty d"]


def test_as_at_must_be_a_real_day(sample_db: Path, tmp_path: Path) -> None:
    for bad in ("2018-02-31", "31/12/2018", "tomorrow", "2018-1-5"):
        result = run("export", "--db", str(sample_db), "--programme", PROGRAMME, "--as-at", bad,
                     "--pdf", str(tmp_path / "s.pdf"))  # fmt: skip
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert f"--as-at '{bad}' is not a date: write a real day as YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "s.pdf").exists()


def test_one_document_failing_does_not_stop_the_others(sample_db: Path, tmp_path: Path) -> None:
    folder_in_the_way = tmp_path / "roadmap.docx"
    folder_in_the_way.mkdir()  # a folder where the roadmap should go
    pdf, tor, xlsx = tmp_path / "s.pdf", tmp_path / "tor.docx", tmp_path / "w.xlsx"
    result = run("export", "--db", str(sample_db), "--programme", PROGRAMME, "--docx", str(folder_in_the_way),
                 "--tor", str(tor), "--pdf", str(pdf), "--xlsx", str(xlsx))  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: the Word roadmap was not written:"), result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "wrote terms of reference", "wrote summary", "wrote workbook",
    ]  # fmt: skip
    assert tor.stat().st_size > 0 and pdf.stat().st_size > 0 and xlsx.stat().st_size > 0


def test_any_name_length_exports_every_document(sample_db: Path, tmp_path: Path) -> None:
    long_programme = "Programme " + "Ä" * 140 + " — " + "w" * 150  # 300+ characters
    long_system = "System " + "ß" * 300
    store = Store.open(sample_db)
    (programme,) = store.programmes()
    store.conn.execute("UPDATE programmes SET name = ? WHERE id = ?", (long_programme, programme.id))
    store.conn.execute("UPDATE systems SET name = ?, full_name = ?", (long_system, long_system))
    store.close()
    kinds = (("--docx", ".docx"), ("--tor", ".docx"), ("--pdf", ".pdf"), ("--xlsx", ".xlsx"))
    files = {flag: tmp_path / f"out{flag.replace('-', '_')}{suffix}" for flag, suffix in kinds}
    args = [arg for flag, path in files.items() for arg in (flag, str(path))]
    result = run("export", "--db", str(sample_db), "--programme", long_programme, *args)
    assert result.returncode == 0, result.stderr
    for flag, starts in (("--docx", "Roadmap — System ßßß"), ("--tor", "Programme ÄÄÄ")):
        document = Document(str(files[flag]))
        title = document.core_properties.title
        assert len(title) <= 255 and title.endswith("…") and title.startswith(starts)
        body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            c.text for t in document.tables for r in t.rows for c in r.cells
        )
        assert long_programme in body, "the document shows the name in full"
    assert "System ßßßß" in pdf_text(files["--pdf"])


def test_a_name_saved_with_spaces_around_it_is_found_as_typed(sample_db: Path, tmp_path: Path) -> None:
    store = Store.open(sample_db)
    store.conn.execute("UPDATE programmes SET name = ?", (PROGRAMME + "  ",))
    store.close()
    result = run("export", "--db", str(sample_db), "--programme", PROGRAMME, "--pdf", str(tmp_path / "s.pdf"))
    assert result.returncode == 0, result.stderr


def test_stale_temporary_files_of_a_killed_export_are_swept(tmp_path: Path) -> None:
    target = tmp_path / "BNSSG [2025] summary.pdf"
    old = tmp_path / ".BNSSG [2025] summary-a1b2c3d4.pdf.part"
    fresh = tmp_path / ".BNSSG [2025] summary-e5f6g7h8.pdf.part"  # another export still writing
    other = tmp_path / ".BNSSG [2025] roadmap-a1b2c3d4.docx.part"  # not this document's
    mine = tmp_path / "notes.pdf.part"  # not our naming at all
    for path in (old, fresh, other, mine):
        path.write_bytes(b"half a file")
    long_ago = time.time() - STALE_PART_SECONDS - 60
    for path in (old, other, mine):
        os.utime(path, (long_ago, long_ago))
    assert sweep_stale_parts(target) == [old]
    assert not old.exists() and fresh.exists() and other.exists() and mine.exists()


def test_the_workbook_says_what_day_it_was_judged_on(sample_db: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "w.xlsx"
    result = run(
        "export", "--db", str(sample_db), "--programme", PROGRAMME, "--as-at", "2018-12-10", "--xlsx", str(xlsx)
    )
    assert result.returncode == 0, result.stderr
    assert load_workbook(xlsx).properties.subject == "As at 10 December 2018"


def test_documents_never_show_a_question_fewer_than_three_answered(sample_db: Path, tmp_path: Path) -> None:
    """Two people answered: no mean, count or chart figure of theirs reaches the roadmap or the board summary."""
    from ics_desktop.exports.pdf_summary import summary_data
    from ics_desktop.exports.roadmap_data import load_data
    from ics_desktop.frameworks.assessments import create_assessment

    store = Store.open(sample_db)
    try:
        (programme,) = store.programmes()
        small = create_assessment(store, programme.id, "Small round", "2019-01-10")
        for label, score in (("P01", 1), ("P02", 4)):
            respondent = store.add_respondent(small, label, kind="anonymous")
            store.set_response(respondent, "1.1", "now", score)
        data = load_data(store, programme.id, small)
        assert data.results is not None and data.results.result("1.1", "now").mean is None
        board = summary_data(store, programme.id, assessment_id=small)
        assert board.readiness is not None and all(value is None for _label, value in board.readiness.overall)
        write = run("export", "--db", str(sample_db), "--programme", PROGRAMME, "--assessment", "Small round",
                    "--docx", str(tmp_path / "r.docx"))  # fmt: skip
        assert write.returncode == 0, write.stderr
        texts = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
        assert "Where fewer than three people answered a question, its figures are not shown." in texts
        # With three answers the figures are shown again.
        third = store.add_respondent(small, "P03", kind="anonymous")
        store.set_response(third, "1.1", "now", 4)
        assert load_data(store, programme.id, small).results.result("1.1", "now").mean == 3.0  # type: ignore[union-attr]
    finally:
        store.close()
