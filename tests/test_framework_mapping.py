"""Agreed figures count as results: a framework edit after them makes a new version, and results move to it
only by an explicit, previewed mapping. Real file, real editor and pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ics_desktop.errors import UserFacingError
from ics_desktop.frameworks.assessments import create_assessment
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.frameworks.framework_mapping import move_to_framework
from ics_desktop.frameworks.framework_versions import framework_is_frozen
from ics_desktop.storage.store import Store
from ui.framework_mapping_dialog import FrameworkMappingDialog
from ui.models.framework_models import EditableCapabilitiesModel as COL
from ui.pages.readiness import ReadinessPage

from .test_framework_editor import open_editor, open_page, type_into_open_editor

OLD_32 = "The system has credible plans for meeting system control total and, where not already achieved, for moving towards system financial balance."  # noqa: E501
NEW_32 = "The system has a credible plan for financial balance across every partner."
JUSTIFICATION = "No single system plan yet; control totals agreed for 2019/20."


@pytest.fixture
def agreed_only(store: Store) -> tuple[Store, str, str]:
    """A programme with agreed figures but no individual scores (as a ToR records them)."""
    programme_id = store.create_programme("Readiness 2026", "Test ICS", default_framework())
    assessment_id = create_assessment(store, programme_id, "Scoping readiness exercise", "2026-09-10")
    store.set_capability_result(
        assessment_id, "3.2", agreed_current=2, agreed_desired=3, change="up", justification=JUSTIFICATION
    )
    store.set_capability_result(assessment_id, "1.1", agreed_current=1, agreed_desired=4)
    return store, programme_id, assessment_id


def reword_and_add(qtbot: QtBot, store: Store, programme_id: str) -> str:
    page = open_page(qtbot, store, programme_id)
    assert "frozen" in page.version_line.text()
    dialog = open_editor(qtbot, page)
    assert dialog.frozen, "agreed figures freeze the version the same as responses"
    row = dialog.cap_model.row_of("3.2")
    dialog.cap_model.setData(dialog.cap_model.index(row, COL.STATEMENT), NEW_32)
    dialog.select_capability("3.2")
    assert dialog.add_capability() == "3.3"
    type_into_open_editor(qtbot, dialog.table, "The system has a single system financial plan.")
    assert dialog.save()
    return store.programme(programme_id).framework_id


def test_rewording_after_agreement_moves_nothing_silently(qtbot: QtBot, agreed_only: tuple[Store, str, str]) -> None:
    store, programme_id, assessment_id = agreed_only
    old_id = store.programme(programme_id).framework_id
    assert framework_is_frozen(store, old_id)
    new_id = reword_and_add(qtbot, store, programme_id)
    assert new_id != old_id
    assert store.framework(old_id).capability("3.2").statement == OLD_32, "the version results belong to is kept"
    assert store.get("assessments", assessment_id)["framework_id"] == old_id, "the agreed round stays with it"
    row = store.capability_results(assessment_id)["3.2"]
    assert (row["agreed_current"], row["agreed_desired"], row["justification"]) == (2, 3, JUSTIFICATION)

    page = open_page(qtbot, store, programme_id)
    assert page.map_button.isVisible()
    assert "Scoping readiness exercise" in page.version_line.text()


def test_the_mapping_preview_then_the_move_and_undo(qtbot: QtBot, agreed_only: tuple[Store, str, str]) -> None:
    store, programme_id, assessment_id = agreed_only
    old_id = store.programme(programme_id).framework_id
    new_id = reword_and_add(qtbot, store, programme_id)
    page = open_page(qtbot, store, programme_id)
    dialog = FrameworkMappingDialog(page._runner, assessment_id, page)
    qtbot.addWidget(dialog)
    assert dialog.mapping()["3.2"] == "3.2"  # proposed, not yet done
    assert dialog.preview.text() == "2 capabilities' results move; reworded, check the meaning: 3.2."
    assert store.get("assessments", assessment_id)["framework_id"] == old_id

    dialog.choose("1.1", None)
    assert dialog.preview.text() == (
        "1 capabilities' results move; reworded, check the meaning: 3.2; dropped (results not carried over): 1.1."
    )
    assert dialog.move_results()
    assert store.get("assessments", assessment_id)["framework_id"] == new_id
    results = store.capability_results(assessment_id)
    assert set(results) == {"3.2"}
    assert results["3.2"]["justification"] == JUSTIFICATION

    page._runner.stack.undo()
    assert store.get("assessments", assessment_id)["framework_id"] == old_id
    assert set(store.capability_results(assessment_id)) == {"1.1", "3.2"}


def test_two_old_capabilities_cannot_land_on_one(qtbot: QtBot, agreed_only: tuple[Store, str, str]) -> None:
    store, programme_id, assessment_id = agreed_only
    new_id = reword_and_add(qtbot, store, programme_id)
    with pytest.raises(UserFacingError, match=r"Two old capabilities cannot both move to 3\.2"):
        move_to_framework(store, assessment_id, new_id, {"1.1": "3.2", "3.2": "3.2"})
    page = open_page(qtbot, store, programme_id)
    dialog = FrameworkMappingDialog(page._runner, assessment_id, page)
    qtbot.addWidget(dialog)
    dialog.choose("1.1", "3.2")
    assert not dialog.move_results()
    assert dialog.problem.text().startswith("Two old capabilities cannot both move to 3.2")


def test_an_edit_before_any_result_shows_on_the_readiness_page_at_once(qtbot: QtBot, store: Store) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test ICS", default_framework())
    create_assessment(store, programme_id, "Round 1", "2026-09-10")
    framework_page = open_page(qtbot, store, programme_id)
    readiness = ReadinessPage(framework_page._runner)
    qtbot.addWidget(readiness)
    readiness.set_programme(programme_id)
    readiness.show()
    dialog = open_editor(qtbot, framework_page)
    assert not dialog.frozen
    row = dialog.cap_model.row_of("1.1")
    dialog.cap_model.setData(dialog.cap_model.index(row, COL.STATEMENT), "Leadership, reworded before scoring.")
    assert dialog.save()
    QApplication.processEvents()
    model = readiness.results_model
    row = next(r for r in range(model.rowCount()) if model.code(r) == "1.1")
    assert "Leadership, reworded before scoring." in str(model.data(model.index(row, 1)))


def test_the_undo_restores_responses_exactly(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    (programme,) = sample_store.programmes()
    (assessment,) = sample_store.assessments(programme.id)
    before = sample_store.rows("SELECT * FROM responses ORDER BY id")
    new_id = reword_and_add(qtbot, sample_store, programme.id)
    edit = move_to_framework(sample_store, assessment.id, new_id, {"1.1": "1.1", "3.2": "3.3"})
    edit.apply(sample_store)
    moved = sample_store.rows("SELECT capability_code, COUNT(*) n FROM responses GROUP BY capability_code")
    assert {r["capability_code"]: r["n"] for r in moved} == {"1.1": 42, "3.3": 42}
    edit.revert(sample_store)
    assert sample_store.rows("SELECT * FROM responses ORDER BY id") == before


# -- the outcomes framework of seed 002 annex 4, shipped as data ---------------------------------------------

OUTCOME_AREAS = [  # literal from the seed (the missing "of" in the first row restored)
    ("1", "The health of our RESIDENTS", 6),
    ("2", "The health of our SERVICES", 3),
    ("3", "The health of our STAFF", 4),
    ("4", "The health of our COMMUNITIES", 5),
    ("5", "The health and wellbeing of our ENVIRONMENT", 3),
]


def test_the_outcomes_framework_ships_word_for_word() -> None:
    from ics_desktop.frameworks.framework import shipped_frameworks

    baseline, outcomes = shipped_frameworks()
    assert baseline.name == "ICS baseline capabilities"
    assert outcomes.name == "ICS Outcomes Framework"
    assert [(d.number, d.title, len(d.capabilities)) for d in outcomes.domains] == OUTCOME_AREAS
    assert outcomes.capability("1.4").statement == "We will reduce the proportion of people in BNSSG who smoke"
    assert outcomes.capability("5.3").statement == (
        "We will increase use of active travel, public transport and other sustainable transport by our staff, "
        "service users and communities"
    )
    assert outcomes.stages == ()  # outcomes have no maturity stages, and no other framework's text
    assert all(d.stages == {} for d in outcomes.domains)


def test_a_programme_on_the_outcomes_framework_scores_and_exports(store: Store, tmp_path: Path) -> None:
    from docx import Document

    from ics_desktop.exports.pdf_summary import write_summary_pdf
    from ics_desktop.exports.word_roadmap import write_roadmap_docx
    from ics_desktop.exports.word_tor import write_tor_docx
    from ics_desktop.frameworks.framework import shipped_frameworks

    outcomes = shipped_frameworks()[1]
    programme_id = store.create_programme("Outcomes 2026", "Test ICS", outcomes)
    assessment_id = create_assessment(store, programme_id, "Baseline", "2026-10-01")
    respondent = store.add_respondent(assessment_id, "P01", kind="anonymous")
    store.set_response(respondent, "2.1", "now", 2)
    store.set_capability_result(assessment_id, "2.1", agreed_current=2, agreed_desired=3)
    write_roadmap_docx(store, programme_id, tmp_path / "roadmap.docx")
    write_tor_docx(store, programme_id, tmp_path / "tor.docx")
    write_summary_pdf(store, programme_id, tmp_path / "s.pdf")
    text = "\n".join(p.text for p in Document(str(tmp_path / "roadmap.docx")).paragraphs)
    cells = "\n".join(c.text for t in Document(str(tmp_path / "roadmap.docx")).tables for r in t.rows for c in r.cells)
    assert "The health of our SERVICES" in text + cells
    assert "STP lead is in place" not in text + cells, "no other framework's stage text"


# -- stage descriptions: editable, and a renamed domain starts empty -------------------------------------------


def test_a_renamed_domain_starts_with_empty_stage_descriptions() -> None:
    from ics_desktop.frameworks import framework_edit as fe

    fw = default_framework()
    assert fw.domains[0].stages["aspirant"][0] == "STP lead is in place."
    renamed = fe.set_domain_title(fw, 0, "The health of our residents")
    assert renamed.domains[0].stages == {}
    same = fe.set_domain_title(fw, 0, "  effective leadership and relationships,  capacity & capability ")
    assert same.domains[0].stages == fw.domains[0].stages  # the same words: kept
    kept = fe.set_domain_title(fw, 0, "Leadership", keep_stages=True)
    assert kept.domains[0].stages == fw.domains[0].stages
    written = fe.set_stage_text(renamed, 0, "shadow", "Shared outcomes dashboard\n\n  Joint commissioning  \n")
    assert written.domains[0].stages == {"shadow": ("Shared outcomes dashboard", "Joint commissioning")}


def test_stage_descriptions_are_edited_in_the_editor_and_reach_the_roadmap(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    from docx import Document

    from ics_desktop.exports.word_roadmap import write_roadmap_docx

    programme_id = store.create_programme("Readiness 2026", "Test ICS", default_framework())
    page = open_page(qtbot, store, programme_id)
    dialog = open_editor(qtbot, page)
    dialog.tabs.setCurrentIndex(2)
    assert dialog.tabs.tabText(2) == "&Maturity matrix"
    dialog.matrix_domain.setCurrentIndex(2)  # domain 3, strong financial management
    shadow = dialog.stage_edits["shadow"]
    assert shadow.toPlainText().startswith("Strong financial management")
    shadow.setFocus()
    shadow.selectAll()
    qtbot.keyClicks(shadow, "One system financial plan agreed by every partner.")
    dialog.matrix_domain.setFocus()  # leaving the box takes it in
    assert dialog.save()
    framework = store.programme_framework(programme_id)
    assert framework.domains[2].stages["shadow"] == ("One system financial plan agreed by every partner.",)
    write_roadmap_docx(store, programme_id, tmp_path / "r.docx")
    cells = [c.text for t in Document(str(tmp_path / "r.docx")).tables for r in t.rows for c in r.cells]
    assert any("One system financial plan agreed by every partner." in c for c in cells)
