"""Areas of focus as the programme needs them: three areas each run as two workshops plus a joint one, and a
programme with twelve areas, through every document and the window. Real files read back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.exports.tables import write_xlsx
from ics_desktop.exports.word_roadmap import write_roadmap_docx
from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.planning import areas as core
from ics_desktop.planning import workshops as ws
from ics_desktop.storage.store import Store
from ui.app import run_smoke_test
from ui.main_window import MainWindow

PLAN = [
    ("Population health 1", "2026-01-12", [0]),
    ("Population health 2", "2026-02-09", [0]),
    ("Urgent care 1", "2026-03-09", [1]),
    ("Urgent care 2", "2026-04-13", [1]),
    ("Workforce 1", "2026-05-11", [2]),
    ("Workforce 2", "2026-06-08", [2]),
    ("Joint review", "2026-07-06", [0, 1, 2]),
]


def cells(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in Document(str(path)).tables for row in table.rows]


def test_three_areas_each_with_two_workshops_and_a_joint_one(store: Store, tmp_path: Path) -> None:
    pid = store.create_programme("Three areas", "Test ICS", default_framework())
    area_ids = []
    for title in ("Population health", "Urgent care", "Workforce"):
        edit = core.add_area(store, pid, title)
        edit.apply(store)
        area_ids.append(edit.record_id)
    for title, day, which in PLAN:
        edit = ws.new_workshop(pid, title, f"{day}T09:30")
        edit.apply(store)
        ws.set_plan_field(store, edit.record_id, "areas", [area_ids[i] for i in which]).apply(store)
    for name, write in (("tor.docx", write_tor_docx), ("roadmap.docx", write_roadmap_docx)):
        write(store, pid, tmp_path / name)
        plans = {row[1]: row[2] for row in cells(tmp_path / name) if row[0] in ("1", "2", "3") and len(row) == 3}
        assert plans["Urgent care"].split("\n") == [
            "Workshops planned: ",
            "Urgent care 1 (9 Mar 2026, 09:30)",
            "Urgent care 2 (13 Apr 2026, 09:30)",
            "Joint review (6 Jul 2026, 09:30)",
            "Baseline capabilities areas of focus: none recorded",
        ]
        assert "(part" not in "\n".join(plans)
        schedule = [row for row in cells(tmp_path / name) if row[1:2] == ["Joint review"]]
        assert schedule and schedule[0][2] == "1, 2, 3"


def test_twelve_areas_in_every_document_and_on_every_page(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (programme,) = sample_store.programmes()
    for n in range(7, 13):
        core.add_area(sample_store, programme.id, f"Extra area {n}").apply(sample_store)
    assert len(core.areas(sample_store, programme.id)) == 12
    write_tor_docx(sample_store, programme.id, tmp_path / "tor.docx")
    write_roadmap_docx(sample_store, programme.id, tmp_path / "roadmap.docx")
    for path in (tmp_path / "tor.docx", tmp_path / "roadmap.docx"):
        listed = {row[1] for row in cells(path) if len(row) == 3 and row[0].isdigit()}
        assert {f"Extra area {n}" for n in range(7, 13)} <= listed
    result = write_summary_pdf(sample_store, programme.id, tmp_path / "s.pdf")
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(str(result.path)).pages).split())
    assert "Extra area 7" in text and "Extra area 8" in text  # eight areas, then "and 4 more"
    assert "4 more areas of focus" in text
    write_xlsx(sample_store, programme.id, tmp_path / "w.xlsx")
    assert load_workbook(tmp_path / "w.xlsx").sheetnames

    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.show()
    assert run_smoke_test(window, time.perf_counter(), None, QSize(1366, 768)) == 0
    assert "clipped=0" in capsys.readouterr().out, "twelve areas push something out of a 1366×768 window"
    window.close()
    QApplication.processEvents()
