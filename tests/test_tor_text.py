"""The terms of reference in the programme's own words: the sample holds seed 000's wording section by section,
the facilitator edits it in the app, bundles carry it, and no document carries a development note."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ics_desktop.bundles.transfer import export_bundle, import_bundle, load_bundle
from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.exports.tables import write_xlsx
from ics_desktop.exports.word_roadmap import write_roadmap_docx
from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.frameworks.assessments import create_assessment
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.planning.tor_text import blocks, tor_sections
from ics_desktop.storage.store import Store
from ui.tor_dialog import TorTextDialog
from ui.undo import EditRunner

WORDING = Path(__file__).parent / "fixtures" / "seed000_tor_wording.txt"


def _norm(text: str) -> str:
    """Whitespace collapsed, the seed's stray bullet dots and the space before a full stop gone."""
    text = re.sub(r"^[-·•\s]+", "", text.strip())
    return " ".join(text.replace(" .", ".").split())


def seed_wording() -> list[tuple[int, str]]:
    """(seed line, text) of every paragraph, bullet or table cell the seed's ToR has in its own words."""
    out = []
    for line in WORDING.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        number, text = line.split("\t", 1)
        for part in text.split("\t"):
            if _norm(part):
                out.append((int(number), _norm(part)))
    return out


def docx_texts(path: Path) -> list[str]:
    """Every paragraph and table cell in document order."""
    document = Document(str(path))
    body = document.element.body
    texts: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for tc in child.iter():
                if tc.tag.endswith("}tc"):
                    texts.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                          for p in tc.iter() if p.tag.endswith("}p")))  # fmt: skip
    return [_norm(t) for t in texts if _norm(t)]


def test_the_sample_terms_of_reference_hold_the_seeds_own_words_in_order(sample_store: Store, tmp_path: Path) -> None:
    (programme,) = sample_store.programmes()
    target = tmp_path / "tor.docx"
    write_tor_docx(sample_store, programme.id, target)
    texts = docx_texts(target)
    position = 0
    for number, wanted in seed_wording():
        found = next((i for i in range(position, len(texts)) if wanted in texts[i]), None)
        assert found is not None, f"seed line {number} missing or out of order: {wanted[:80]!r}"
        position = found
    headings = [p.text for p in Document(str(target)).paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Introduction and context", "Preparing for the future: a development programme for Aspirant ICSs",
                    "How will it be delivered?", "Current situation", "Areas of focus",
                    "Readiness Assessment – Cover Note", "Design Group"):  # fmt: skip
        assert heading in headings


def test_a_new_programme_gets_the_template_and_leaves_out_what_only_the_system_can_write(
    store: Store, tmp_path: Path
) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test ICS", default_framework())
    sections = tor_sections(store, programme_id)
    assert sections["introduction"].body.startswith("In January 2018 NHSE/I launched")
    assert sections["cover_note"].body == "" and sections["design_group"].body == ""
    target = tmp_path / "tor.docx"
    write_tor_docx(store, programme_id, target)
    headings = [p.text for p in Document(str(target)).paragraphs if p.style.name.startswith("Heading")]
    assert "Introduction and context" in headings
    assert "Readiness Assessment – Cover Note" not in headings and "Design Group" not in headings
    assert "Healthier Together" not in "\n".join(docx_texts(target)), "another system's facts"


def test_the_text_is_edited_in_the_app_and_the_document_follows(
    qtbot: QtBot, sample_store: Store, tmp_path: Path
) -> None:
    (programme,) = sample_store.programmes()
    runner = EditRunner(sample_store)
    dialog = TorTextDialog(runner, programme.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select("cover_note")
    assert dialog.body.toPlainText().startswith("The aspirant programme will help the STP")
    dialog.body.setFocus()
    dialog.body.selectAll()
    qtbot.keyClicks(dialog.body, "Our cover note.")
    dialog.body.insertPlainText("\n\n- first point\n- second point\n\n| Phase | When |\n| One | 2026 |")
    dialog.title.setFocus()  # leaving the text saves it
    QApplication.processEvents()
    dialog.close()
    target = tmp_path / "tor.docx"
    write_tor_docx(sample_store, programme.id, target)
    texts = docx_texts(target)
    start = len(texts) - 1 - texts[::-1].index("Readiness Assessment – Cover Note")  # the heading, not the contents
    assert texts[start + 1 : start + 4] == ["Our cover note.", "first point", "second point"]
    assert texts[start + 4 : start + 8] == ["Phase", "When", "One", "2026"]
    runner.stack.undo()
    assert tor_sections(sample_store, programme.id)["cover_note"].body.startswith("The aspirant programme")


def test_bundles_carry_the_terms_of_reference_text(sample_store: Store, tmp_path: Path) -> None:
    from ics_desktop.planning.tor_text import ensure_tor_sections

    (programme,) = sample_store.programmes()
    ensure_tor_sections(sample_store, programme.id)
    sample_store.conn.execute(
        "UPDATE tor_sections SET body = ? WHERE key = 'design_group'", ("Our design group, in our words ✓",)
    )
    bundle = tmp_path / "p.icsbundle"
    export_bundle(sample_store, programme.id, bundle)
    other = Store.open(tmp_path / "other.sqlite")
    try:
        result = import_bundle(other, load_bundle(other, bundle))
        (copy,) = other.programmes()
        assert tor_sections(other, copy.id)["design_group"].body == "Our design group, in our words ✓"
        assert result is not None
    finally:
        other.close()


def test_no_document_carries_a_development_note(sample_store: Store, tmp_path: Path) -> None:
    (programme,) = sample_store.programmes()
    write_tor_docx(sample_store, programme.id, tmp_path / "tor.docx")
    write_roadmap_docx(sample_store, programme.id, tmp_path / "roadmap.docx")
    write_summary_pdf(sample_store, programme.id, tmp_path / "s.pdf")
    write_xlsx(sample_store, programme.id, tmp_path / "w.xlsx")
    texts = "\n".join(docx_texts(tmp_path / "tor.docx") + docx_texts(tmp_path / "roadmap.docx"))
    texts += "\n".join((p.extract_text() or "") for p in PdfReader(str(tmp_path / "s.pdf")).pages)
    book = load_workbook(tmp_path / "w.xlsx")
    texts += "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "seed" not in texts.lower()


def test_agreed_figures_alone_read_as_agreed_with_change_justification_and_the_18_months(
    store: Store, tmp_path: Path
) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test ICS", default_framework())
    first = create_assessment(store, programme_id, "Expression of interest", "2026-03-01")
    second = create_assessment(store, programme_id, "Scoping readiness exercise", "2026-09-10")
    store.set_capability_result(first, "3.2", agreed_current=1, agreed_desired=3)
    store.set_capability_result(
        second, "3.2", agreed_current=2, agreed_desired=4, change="up", justification="Control totals agreed."
    )
    for write, name in ((write_tor_docx, "tor.docx"), (write_roadmap_docx, "roadmap.docx")):
        write(store, programme_id, tmp_path / name)
    tor = docx_texts(tmp_path / "tor.docx")
    assert "No scores have been entered for this readiness exercise yet." not in tor
    assert "The figures are the group’s agreed maturity; no individual scores were entered." in tor
    header = next(i for i, t in enumerate(tor) if t == "Capability")
    assert tor[header : header + 5] == ["Capability", "Current maturity", "Desired maturity", "Change", "Justification"]
    row = next(i for i, t in enumerate(tor) if t.startswith("3.2 "))
    assert tor[row + 1 : row + 5] == ["2", "4", "▲ Has gone up", "Control totals agreed."]
    assert any("Desired maturity answers “Where do we aspire to be in 18 months?”" in t for t in tor)
    roadmap = docx_texts(tmp_path / "roadmap.docx")
    assert "No scores yet" not in "\n".join(roadmap)
    assert any(t.startswith("The charts are drawn from individual scores;") for t in roadmap)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("One.\nStill one.\n\nTwo.", [("paragraph", ["One. Still one."]), ("paragraph", ["Two."])]),
        ("- a\n- b", [("bullets", ["a", "b"])]),
        ("## Heading\n\n| x | y |\n| 1 | 2 |", [("heading", ["Heading"]), ("table", [["x", "y"], ["1", "2"]])]),
        ("", []),
    ],
)
def test_the_text_markup(body: str, expected: list[object]) -> None:
    assert blocks(body) == expected


def test_the_bundle_member_names_are_unchanged(sample_store: Store, tmp_path: Path) -> None:
    (programme,) = sample_store.programmes()
    bundle = tmp_path / "p.icsbundle"
    export_bundle(sample_store, programme.id, bundle)
    with zipfile.ZipFile(bundle) as z:
        assert sorted(z.namelist()) == ["manifest.json", "programme.json", "sync.json"]


def test_the_board_summary_of_agreed_figures_alone_shows_their_means(store: Store, tmp_path: Path) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test ICS", default_framework())
    assessment = create_assessment(store, programme_id, "Scoping readiness exercise", "2026-09-10")
    store.set_capability_result(assessment, "1.1", agreed_current=2, agreed_desired=4)
    store.set_capability_result(assessment, "3.2", agreed_current=1, agreed_desired=3)
    write_summary_pdf(store, programme_id, tmp_path / "s.pdf")
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(str(tmp_path / "s.pdf")).pages).split())
    # Each tile reads figure then label (as a screen reader hears it), then what they come from.
    assert "1.5 Agreed current 3.5 Agreed desired Scoping readiness exercise" in text
    assert "mean of the group’s agreed maturity" in text


def test_the_terms_of_reference_carry_their_own_date_and_version(sample_store: Store, tmp_path: Path) -> None:
    from datetime import date

    from ics_desktop.exports.registry import ExportOptions, export

    (programme,) = sample_store.programmes()
    target = tmp_path / "tor.docx"
    options = ExportOptions(version="Agreed by the Executive Group", as_at=date(2018, 9, 20))
    export("tor", sample_store, programme.id, target, options)
    cover = [[c.text for c in row.cells] for table in Document(str(target)).tables[:3] for row in table.rows]
    assert ["As at", "20 Sep 2018"] in cover
    assert ["Version", "Agreed by the Executive Group"] in cover


def test_an_older_sample_loses_its_development_notes_on_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database made before the terms of reference text (migration 7) had notes meant for developers
    ("which are the seed's") in the sample's assessment and action notes: the upgrade words them for a board."""
    from tests.conftest import schema_before

    schema_before(tmp_path, monkeypatch, "terms_of_reference")
    path = tmp_path / "old.sqlite"
    old = Store.open(path)
    try:
        old_note = (
            "Individual responses in this assessment are illustrative: the terms of reference record only the "
            "group's figures (overall 1.9) and the agreed current and desired maturity, which are the seed's."
        )
        programme = old.create_programme("Older", "System", default_framework())
        assessment = old.add_assessment(programme, "Scoping", "2018-09-10", old_note)
        action = old.insert("actions", {"programme_id": programme, "title": "An action"})
        old.insert("action_notes", {"action_id": action, "date": "2018-09-17", "text": (
            "Illustrative: added to the sample programme to show the workflow; the seed documents do not record it."
        )})  # fmt: skip
    finally:
        old.close()
    monkeypatch.undo()
    upgraded = Store.open(path)
    try:
        assert upgraded.get("assessments", assessment)["notes"] == (
            "Individual responses in this assessment are illustrative: the terms of reference record only the "
            "group's figures (overall 1.9) and the agreed current and desired maturity."
        )
        texts = [r["text"] for r in upgraded.rows("SELECT text FROM action_notes")]
        assert texts == [
            "Illustrative: added to the sample programme to show the workflow (the 2018 terms of reference do not "
            "record it)."
        ]
        assert tor_sections(upgraded, programme)["introduction"].body.startswith("In January 2018")
    finally:
        upgraded.close()
