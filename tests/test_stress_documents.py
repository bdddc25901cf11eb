"""The stress case of issue 15 (200-character names, 3,000-character justifications, 40 participants, 300
actions, milestones over four years, right-to-left text): every document exports, the PDF in two pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.exports.tables import write_xlsx
from ics_desktop.exports.word_roadmap import write_roadmap_docx
from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.storage.store import Store
from tests.stress_case import RTL, make_stress_case


def test_the_stress_case_exports_every_document_and_the_pdf_stays_two_pages(
    sample_store: Store, tmp_path: Path
) -> None:
    programme_id = make_stress_case(sample_store)
    as_at = date(2019, 6, 30)
    pdf = write_summary_pdf(sample_store, programme_id, tmp_path / "s.pdf", today=as_at)
    assert pdf.pages is not None and 1 <= pdf.pages <= 2
    assert len(PdfReader(str(tmp_path / "s.pdf")).pages) == pdf.pages
    write_roadmap_docx(sample_store, programme_id, tmp_path / "r.docx", today=as_at)
    write_tor_docx(sample_store, programme_id, tmp_path / "t.docx", today=as_at)
    write_xlsx(sample_store, programme_id, tmp_path / "w.xlsx", today=as_at.isoformat())
    cells = [c.text for t in Document(str(tmp_path / "t.docx")).tables for r in t.rows for c in r.cells]
    assert any(c.startswith(RTL) and len(c) == 3000 for c in cells), "the 3,000-character justification in full"
    assert load_workbook(tmp_path / "w.xlsx")["Actions"].max_row == 301
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(tmp_path / "s.pdf")).pages)
    assert "more" in text  # what does not fit is counted, not dropped silently
