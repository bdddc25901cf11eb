"""The seed's vocabulary for agreed figures in every output: "?" for a desired maturity left open (apart
from one not entered) and "Has gone up / Remained the same / Has gone down" for the change."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from ics_desktop.bundles.transfer import export_bundle, import_bundle, load_bundle
from ics_desktop.exports import tables
from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.exports.word_roadmap import write_roadmap_docx
from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store
from ics_desktop.summary import summary

TODAY = date(2019, 1, 15)


@pytest.fixture
def agreed(store: Store) -> tuple[Store, str, str]:
    """1.1 agreed 3 with desired left open; 1.2 agreed 2, desired not entered; 1.3 agreed 2 → 4.

    Changes recorded by hand: 1.1 up, 1.2 the same, 1.3 left blank on purpose.
    """
    programme = store.create_programme("Vocabulary", "System", default_framework())
    assessment = rounds.create_assessment(store, programme, "End of programme", "2018-12-01")
    store.set_capability_result(assessment, "1.1", agreed_current=3, desired_open=1, change="up", focus=1)
    store.set_capability_result(assessment, "1.2", agreed_current=2, change="same", focus=1)
    store.set_capability_result(assessment, "1.3", agreed_current=2, agreed_desired=4, change_blank=1, focus=1)
    return store, programme, assessment


def test_summary_json_says_which_desired_was_left_open(agreed: tuple[Store, str, str]) -> None:
    store, _programme, _assessment = agreed
    caps = summary(store)["programmes"][0]["assessments"][0]["capabilities"]
    assert [(caps[c]["agreed_desired"], caps[c]["desired_open"]) for c in ("1.1", "1.2", "1.3", "1.4")] == [
        (None, True), (None, False), (4, False), (None, False),
    ]  # fmt: skip
    assert [caps[c]["change"] for c in ("1.1", "1.2", "1.3")] == ["up", "same", None]


def test_word_roadmap_shows_question_mark_only_for_open_desired_and_the_seed_words(
    agreed: tuple[Store, str, str], tmp_path: Path
) -> None:
    store, programme, _assessment = agreed
    path = write_roadmap_docx(store, programme, tmp_path / "r.docx", sections={"readiness"}, today=TODAY).path
    rows = {}
    for table in Document(str(path)).tables:
        for row in table.rows:
            texts = [c.text.strip() for c in row.cells]
            if texts and texts[0][:4] in ("1.1 ", "1.2 ", "1.3 "):
                rows[texts[0][:3]] = texts[1:4]
    assert rows["1.1"] == ["3", "?", "▲ Has gone up"]
    assert rows["1.2"] == ["2", "–", "= Remained the same"]
    assert rows["1.3"] == ["2", "4", "–"]


def test_pdf_summary_focus_list_shows_open_desired(agreed: tuple[Store, str, str], tmp_path: Path) -> None:
    store, programme, _assessment = agreed
    write_summary_pdf(store, programme, tmp_path / "s.pdf", today=TODAY)
    text = "\n".join(page.extract_text() or "" for page in PdfReader(tmp_path / "s.pdf").pages)
    assert "3 → ?" in text and "2 → –" in text and "2 → 4" in text


def test_excel_results_show_question_mark_and_seed_words(agreed: tuple[Store, str, str], tmp_path: Path) -> None:
    store, programme, _assessment = agreed
    tables.write_xlsx(store, programme, tmp_path / "d.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx")["Results"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    heading = next(i for i, r in enumerate(values) if "Agreed desired" in r)
    names = values[heading]
    rows = {r[names.index("Capability")]: r for r in values[heading + 1 :] if r[names.index("Capability")]}
    shown = {c: (rows[c][names.index("Agreed desired")], rows[c][names.index("Change")]) for c in ("1.1", "1.2", "1.3")}
    assert shown == {"1.1": ("?", "Has gone up"), "1.2": (None, "Remained the same"), "1.3": (4, None)}


def test_bundle_round_trip_keeps_open_desired_and_blank_change(agreed: tuple[Store, str, str], tmp_path: Path) -> None:
    store, programme, _assessment = agreed
    export_bundle(store, programme, tmp_path / "p.icsbundle")
    other = Store.open(tmp_path / "other.sqlite")
    try:
        result = import_bundle(other, load_bundle(other, tmp_path / "p.icsbundle"))
        imported = other.assessments(result.programme_id)[0].id
        rows = other.capability_results(imported)
        assert [(rows[c]["desired_open"], rows[c]["change_blank"]) for c in ("1.1", "1.2", "1.3")] == [
            (1, 0), (0, 0), (0, 1),
        ]  # fmt: skip
        caps = json.loads(json.dumps(summary(other)))["programmes"][0]["assessments"][0]["capabilities"]
        assert caps["1.1"]["desired_open"] is True
    finally:
        other.close()
