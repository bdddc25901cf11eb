"""Adaptable frameworks: the pure edit operations, the editor dialog, and import/export on the Framework page.

UI tests drive the real widgets over real SQLite files (offscreen); no dialog is ever exec()'d, and
file and message boxes are patched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QMessageBox, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from ics_desktop.errors import FrameworkError
from ics_desktop.frameworks import framework_edit as fe
from ics_desktop.frameworks.assessments import create_assessment
from ics_desktop.frameworks.framework import Framework, default_framework, framework_from_dict
from ics_desktop.frameworks.framework_versions import framework_is_frozen
from ics_desktop.storage.store import Store
from ics_desktop.summary import summary
from ui.framework_editor import NEW_STATEMENT, FrameworkEditorDialog
from ui.models.framework_models import NOT_COVERED, EditableCapabilitiesModel
from ui.pages.framework import FrameworkPage
from ui.undo import EditRunner

WAIT_MS = 5000
BASELINE_CODES = ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3", "5.1"]
COL = EditableCapabilitiesModel


# -- helpers ---------------------------------------------------------------------------------------


def codes(framework: Framework) -> list[str]:
    return [c.code for c in framework.capabilities]


def domain_codes(framework: Framework, index: int) -> list[str]:
    return [c.code for c in framework.domains[index].capabilities]


@contextmanager
def reopened(db_path: Path) -> Iterator[Store]:
    """A second, independent connection to the same file."""
    other = Store.open(db_path)
    try:
        yield other
    finally:
        other.close()


def framework_rows(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM frameworks").fetchone()[0])


def new_programme(store: Store) -> str:
    return store.create_programme("Readiness 2019", "Anytown and District", default_framework())


def open_page(qtbot: QtBot, store: Store, programme_id: str) -> FrameworkPage:
    page = FrameworkPage(EditRunner(store))
    qtbot.addWidget(page)
    page.resize(1170, 780)
    page.set_programme(programme_id)
    page.show()
    qtbot.waitExposed(page)
    return page


def open_editor(qtbot: QtBot, page: FrameworkPage) -> FrameworkEditorDialog:
    """The editor as a user gets it from the page (open(), never exec()), shown and active."""
    dialog = page.edit_framework()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    return dialog


def type_into_open_editor(qtbot: QtBot, view: QTableView, text: str) -> None:
    """Replace the text of the cell editor the view has open, then press Return to commit it."""
    qtbot.waitUntil(lambda: view.state() == QTableView.State.EditingState, timeout=WAIT_MS)
    editor = view.indexWidget(view.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QTableView.State.EditingState, timeout=WAIT_MS)


def score_everything(store: Store, programme_id: str, name: str, respondents: int = 2) -> str:
    """A scoring round where every respondent scores every covered capability on every question."""
    assessment_id = create_assessment(store, programme_id, name, "2019-03-01")
    framework = store.framework(store.get("assessments", assessment_id)["framework_id"])
    for number in range(1, respondents + 1):
        respondent = store.add_respondent(assessment_id, f"P{number:02d}")
        for cap in framework.capabilities:
            if cap.covered:
                for question in framework.questions:
                    store.set_response(respondent, cap.code, question.key, 1 + (number % 4))
    return assessment_id


def patch_message_boxes(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[tuple[str, str]]:
    """Record every warning/information/question; questions get `answer`."""
    shown: list[tuple[str, str]] = []

    def record(kind: str, result: Any) -> Callable[..., Any]:
        def box(_parent: Any, title: str, text: str, *_args: Any, **_kwargs: Any) -> Any:
            shown.append((kind, f"{title}: {text}"))
            return result

        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("question", answer))
    return shown


def patch_file_dialogs(
    monkeypatch: pytest.MonkeyPatch, *, open_path: Path | None = None, save_path: Path | None = None
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(open_path) if open_path else "", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(save_path) if save_path else "", ""))


# -- framework_edit: the pure operations ----------------------------------------------------------


@pytest.fixture(scope="module")
def fw() -> Framework:
    return default_framework()


def test_add_capability_at_the_end_or_after_a_code(fw: Framework) -> None:
    added = fe.add_capability(fw, 2, "3.3", "The system has a single system financial plan.")
    assert domain_codes(added, 2) == ["3.1", "3.2", "3.3"]
    assert added.capability("3.3").covered is True
    assert codes(fw) == BASELINE_CODES  # the original is never changed

    after = fe.add_capability(fw, 0, "1.1a", "Between 1.1 and 1.2.", after_code="1.1")
    assert domain_codes(after, 0) == ["1.1", "1.1a", "1.2", "1.3", "1.4", "1.5"]
    assert fe.add_capability(fw, 4, "  5.2 ", "Trimmed code.").capability("5.2").statement == "Trimmed code."


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: fe.add_capability(f, 2, "2.1", "Duplicate."), "The code 2.1 is already used"),
        (lambda f: fe.add_capability(f, 2, "   ", "Blank code."), "A capability code cannot be blank"),
        (lambda f: fe.add_capability(f, 2, "3.3", "  "), "The statement of capability 3.3 cannot be blank"),
        (lambda f: fe.add_capability(f, 7, "8.1", "No domain."), "There is no domain 8"),
        (lambda f: fe.add_capability(f, 2, "3.3", "Wrong place.", after_code="1.1"), "1.1 is not in domain 3"),
        (lambda f: fe.add_capability(f, 2, "3.3", "Unknown.", after_code="9.9"), "There is no capability '9.9'"),
    ],
)
def test_add_capability_refusals(fw: Framework, call: Callable[[Framework], Framework], message: str) -> None:
    with pytest.raises(FrameworkError, match=message):
        call(fw)


def test_remove_reword_and_their_refusals(fw: Framework) -> None:
    removed = fe.remove_capability(fw, "2.2")
    assert domain_codes(removed, 1) == ["2.1", "2.3"]
    with pytest.raises(FrameworkError, match=r"5.1 is the only capability in domain 5"):
        fe.remove_capability(fw, "5.1")
    with pytest.raises(FrameworkError, match=r"There is no capability '6.1'"):
        fe.remove_capability(fw, "6.1")

    statement = "Ysbyty Gwynedd ŵ ł <b>&amp; 🙂  kept exactly  "
    assert fe.reword_capability(fw, "4.2", statement).capability("4.2").statement == statement
    with pytest.raises(FrameworkError, match=r"The statement of capability 4.2 cannot be blank"):
        fe.reword_capability(fw, "4.2", " \n ")
    with pytest.raises(FrameworkError, match="There is no capability"):
        fe.reword_capability(fw, "4.9", "Nothing to reword.")


def test_recode_refuses_duplicates_and_blanks(fw: Framework) -> None:
    recoded = fe.recode_capability(fw, "5.1", " 5.1a ")
    assert codes(recoded)[-1] == "5.1a"
    assert recoded.capability("5.1a").statement == fw.capability("5.1").statement
    assert fe.recode_capability(fw, "5.1", "5.1") == fw
    with pytest.raises(FrameworkError, match=r"The code 1.1 is already used"):
        fe.recode_capability(fw, "5.1", "1.1")
    with pytest.raises(FrameworkError, match="A capability code cannot be blank"):
        fe.recode_capability(fw, "5.1", "  ")
    with pytest.raises(FrameworkError, match="There is no capability"):
        fe.recode_capability(fw, "7.7", "7.8")


def test_move_within_and_across_domains(fw: Framework) -> None:
    assert domain_codes(fe.move_capability(fw, "1.3", -1), 0) == ["1.1", "1.3", "1.2", "1.4", "1.5"]
    assert domain_codes(fe.move_capability(fw, "1.3", 2), 0) == ["1.1", "1.2", "1.4", "1.5", "1.3"]
    assert fe.move_capability(fw, "1.3", 0) == fw

    # Past the first place of its domain it joins the end of the previous one, keeping its code.
    up = fe.move_capability(fw, "3.1", -1)
    assert domain_codes(up, 1) == ["2.1", "2.2", "2.3", "3.1"]
    assert domain_codes(up, 2) == ["3.2"]
    down = fe.move_capability(fw, "4.3", 1)
    assert domain_codes(down, 4) == ["4.3", "5.1"]

    with pytest.raises(FrameworkError, match=r"1.1 is already the first capability"):
        fe.move_capability(fw, "1.1", -1)
    with pytest.raises(FrameworkError, match=r"5.1 is already the last capability"):
        fe.move_capability(fw, "5.1", 1)
    with pytest.raises(FrameworkError, match=r"5.1 is the only capability in domain 5"):
        fe.move_capability(fw, "5.1", -1)


def test_covered_and_renumber(fw: Framework) -> None:
    off = fe.set_covered(fw, "4.2", False)
    assert [c.code for c in off.capabilities if not c.covered] == ["4.2"]
    assert fe.set_covered(off, "4.2", True) == fw
    with pytest.raises(FrameworkError, match="There is no capability"):
        fe.set_covered(fw, "4.9", False)

    shuffled = fe.move_capability(fe.add_capability(fw, 2, "new", "A third financial capability."), "new", -2)
    assert domain_codes(shuffled, 2) == ["new", "3.1", "3.2"]
    renumbered = fe.renumber_domain(shuffled, 2)
    assert domain_codes(renumbered, 2) == ["3.1", "3.2", "3.3"]
    assert renumbered.capability("3.1").statement == "A third financial capability."
    assert renumbered.capability("3.3").statement == fw.capability("3.2").statement

    moved = fe.move_capability(fw, "3.1", -1)  # domain 2 now holds 2.1-2.3 and 3.1; domain 3 holds 3.2
    assert domain_codes(fe.renumber_domain(moved, 1), 1) == ["2.1", "2.2", "2.3", "2.4"]
    with pytest.raises(FrameworkError, match=r"Cannot renumber domain 3 .*3.1 is already used in another domain"):
        fe.renumber_domain(moved, 2)
    with pytest.raises(FrameworkError, match="There is no domain 6"):
        fe.renumber_domain(fw, 5)


def test_domains_add_remove_title_number(fw: Framework) -> None:
    titled = fe.set_domain_title(fw, 4, "Coherent, defined population & place")
    assert titled.domains[4].title == "Coherent, defined population & place"
    with pytest.raises(FrameworkError, match="The title of domain 5 cannot be blank"):
        fe.set_domain_title(fw, 4, "")

    added = fe.add_domain(fw, "Digital and data")
    assert [d.number for d in added.domains] == ["1", "2", "3", "4", "5", "6"]
    assert domain_codes(added, 5) == ["6.1"]
    assert fe.suggest_code(added, 5) == "6.2"
    assert fe.next_domain_number(added) == "7"
    with pytest.raises(FrameworkError, match="There is already a domain 2"):
        fe.add_domain(fw, "Clash", number="2")
    with pytest.raises(FrameworkError, match="A domain title cannot be blank"):
        fe.add_domain(fw, " ")

    assert fe.set_domain_number(added, 5, "7").domains[5].number == "7"
    with pytest.raises(FrameworkError, match="There is already a domain 1"):
        fe.set_domain_number(added, 5, "1")

    removed = fe.remove_domain(added, 1)
    assert [d.number for d in removed.domains] == ["1", "3", "4", "5", "6"]
    assert "2.1" not in codes(removed)
    single = fw
    while len(single.domains) > 1:
        single = fe.remove_domain(single, 0)
    assert [d.number for d in single.domains] == ["5"]
    with pytest.raises(FrameworkError, match="the last one cannot be removed"):
        fe.remove_domain(single, 0)


def test_scale_questions_identity_and_suggestions(fw: Framework) -> None:
    relabelled = fe.set_scale_label(fw, 2, "Some progress")
    assert [s.label for s in relabelled.scale] == [
        "More progress required",
        "Some progress",
        "Making good progress",
        "Mature",
    ]
    with pytest.raises(FrameworkError, match="There is no scale level 5"):
        fe.set_scale_label(fw, 5, "Beyond")
    with pytest.raises(FrameworkError, match="The label of scale level 3 cannot be blank"):
        fe.set_scale_label(fw, 3, "")

    asked = fe.set_question(fw, "aspire", label="Aspire (2 years)", text="Where do we aspire to be in 2 years?")
    question = next(q for q in asked.questions if q.key == "aspire")
    assert (question.label, question.text) == ("Aspire (2 years)", "Where do we aspire to be in 2 years?")
    assert fe.set_question(fw, "now") == fw
    with pytest.raises(FrameworkError, match="There is no question 'later'"):
        fe.set_question(fw, "later", label="Later")
    with pytest.raises(FrameworkError, match="The text of question Now cannot be blank"):
        fe.set_question(fw, "now", text="")

    named = fe.set_identity(fw, name="ICS maturity matrix (BNSSG)", version=" 2019 ")
    assert (named.name, named.version, named.key) == ("ICS maturity matrix (BNSSG)", "2019", fw.key)
    with pytest.raises(FrameworkError, match="The framework's name cannot be blank"):
        fe.set_identity(fw, name="")
    with pytest.raises(FrameworkError, match="The framework's version cannot be blank"):
        fe.set_identity(fw, version="  ")

    assert fe.suggest_code(fw, 2) == "3.3"
    assert fe.suggest_code(fw, 4) == "5.2"
    taken = fe.add_capability(fw, 0, "3.3", "A stray code in another domain.")
    assert fe.suggest_code(taken, 2) == "3.4"


def test_every_edit_result_is_a_valid_framework(fw: Framework) -> None:
    edited = fe.set_covered(
        fe.add_capability(fe.add_domain(fw, "Digital"), 5, "6.2", "Shared care record."), "6.2", False
    )
    assert framework_from_dict(json.loads(edited.to_json())) == edited


# -- the editor dialog: acceptance ----------------------------------------------------------------


def test_acceptance_adapt_split_finance_and_population_then_score(qtbot: QtBot, store: Store) -> None:
    programme_id = new_programme(store)
    framework_id = store.programme(programme_id).framework_id
    page = open_page(qtbot, store, programme_id)
    dialog = open_editor(qtbot, page)
    assert not dialog.frozen
    assert "has not been scored against yet" in dialog.banner.text()
    table, model = dialog.table, dialog.cap_model

    # Finance: 3.1-3.2 becomes 3.1-3.3 (Add capability suggests the next code and opens its statement).
    dialog.select_capability("3.1")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert model.code_at(table.currentIndex().row()) == "3.3"
    type_into_open_editor(qtbot, table, "The system has a single financial plan and a shared control total.")

    # Population: 5.1 becomes 5.1-5.3, with Ins on the table.
    dialog.select_capability("5.1")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    type_into_open_editor(qtbot, table, "The system understands the health needs of its whole population.")
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    assert model.code_at(table.currentIndex().row()) == "5.3"
    type_into_open_editor(qtbot, table, "The system uses population health management to target care.")

    # 5.3 is not covered on this programme: Space on its Covered cell unticks it.
    covered_cell = model.index(model.row_of("5.3"), COL.COVERED)
    table.setCurrentIndex(covered_cell)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert covered_cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert covered_cell.data() == NOT_COVERED

    with qtbot.waitSignal(page.saved, timeout=WAIT_MS) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert "Saved framework" in saved.args[0]
    assert store.programme(programme_id).framework_id == framework_id  # not scored yet: edited in place

    expected = [*BASELINE_CODES[:10], "3.3", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3"]
    assert codes(store.programme_framework(programme_id)) == expected
    assert [page.capabilities_model.index(r, 0).data() for r in range(page.capabilities_model.rowCount())] == expected
    assert "Not covered on this programme: 5.3" in page.details.text()

    # Score it, and the summary carries the new codes, exactly one not covered, with results.
    score_everything(store, programme_id, "Programme start", respondents=3)
    (programme,) = summary(store, "Readiness 2019")["programmes"]
    listed = programme["framework"]["capabilities"]
    assert [c["code"] for c in listed] == expected
    assert [c["code"] for c in listed if not c["covered"]] == ["5.3"]
    assert next(c for c in listed if c["code"] == "3.3")["statement"].startswith("The system has a single financial")
    (assessment,) = programme["assessments"]
    assert list(assessment["capabilities"]) == expected
    for code in ("3.3", "5.2"):
        assert assessment["capabilities"][code]["now"]["n"] == 3
        assert assessment["capabilities"][code]["now"]["mean"] is not None
    assert assessment["capabilities"]["5.3"]["now"]["n"] == 0
    assert framework_is_frozen(store, framework_id)


def test_scored_version_is_frozen_and_an_edit_becomes_a_new_version(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    store = sample_store
    (programme,) = store.programmes()
    old_id = programme.framework_id
    assert framework_is_frozen(store, old_id)
    (scored,) = store.assessments(programme.id)
    unscored_id = create_assessment(store, programme.id, "Follow-up", "2019-06-01")
    old_summary = summary(store)["programmes"][0]["assessments"][0]
    rows_before = framework_rows(store)

    page = open_page(qtbot, store, programme.id)
    assert "frozen" in page.version_line.text() and "1 assessment" in page.version_line.text()
    dialog = open_editor(qtbot, page)
    assert dialog.frozen
    banner = dialog.banner.text().replace("<b>", "").replace("</b>", "")
    assert "Scored against in 1 assessment: saving creates a new version 2018 rev 2" in banner

    dialog.select_capability("3.2")
    assert dialog.add_capability() == "3.3"
    type_into_open_editor(qtbot, dialog.table, "Financial plan agreed by every partner.")
    assert dialog.save()

    new_id = store.programme(programme.id).framework_id
    assert new_id != old_id
    assert framework_rows(store) == rows_before + 1
    assert store.framework(new_id).version == "2018 rev 2"
    assert "3.3" in codes(store.framework(new_id))
    assert codes(store.framework(old_id)) == BASELINE_CODES  # the scored version is untouched
    assert store.assessments(programme.id)[0].framework_id == old_id
    assessments = {a.id: a for a in store.assessments(programme.id)}
    assert assessments[scored.id].framework_id == old_id  # the scored assessment keeps its version
    assert assessments[unscored_id].framework_id == new_id  # the unscored one moves with the programme
    assert "new version 2018 rev 2" in dialog.saved_message

    after = summary(store)["programmes"][0]
    assert "3.3" in [c["code"] for c in after["framework"]["capabilities"]]
    kept = next(a for a in after["assessments"] if a["name"] == scored.name)
    assert list(kept["capabilities"]) == BASELINE_CODES == list(old_summary["capabilities"])
    assert kept["overall"] == old_summary["overall"]
    assert "earlier versions kept for their assessments: 2018" in page.version_line.text()

    # The new version is not scored yet: the next edit changes it in place.
    second = open_editor(qtbot, page)
    assert not second.frozen
    second.cap_model.setData(second.cap_model.index(second.cap_model.row_of("3.3"), COL.STATEMENT), "Reworded.")
    assert second.save()
    assert store.programme(programme.id).framework_id == new_id
    assert framework_rows(store) == rows_before + 1
    with reopened(db_path) as other:  # what the next launch sees
        assert other.framework(new_id).capability("3.3").statement == "Reworded."


# -- the editor dialog: validation, keyboard, undo ------------------------------------------------


def test_refused_edits_and_a_blank_field_are_shown_inline_and_nothing_is_saved(qtbot: QtBot, store: Store) -> None:
    programme_id = new_programme(store)
    before = store.programme_framework(programme_id)
    page = open_page(qtbot, store, programme_id)
    dialog = open_editor(qtbot, page)
    model = dialog.cap_model

    # A duplicate code typed into the table is refused: the cell keeps its code, the reason is shown.
    code_cell = model.index(model.row_of("3.2"), COL.CODE)
    dialog.table.setCurrentIndex(code_cell)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    type_into_open_editor(qtbot, dialog.table, "3.1")
    assert code_cell.data() == "3.2"
    assert dialog.error_label.isVisible()
    assert "The code 3.1 is already used" in dialog.error_label.text()

    # A successful edit clears the message.
    assert model.setData(code_cell, "3.2a")
    assert not dialog.error_label.isVisible()

    # Blank version and blank question text: Save lists both, stays open, writes nothing.
    dialog.version_edit.clear()
    dialog.tabs.setCurrentIndex(1)
    dialog.question_edits["realistic"][1].setText("   ")
    assert dialog.save() is False
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    problems = dialog.error_label.text()
    assert "The framework's version cannot be blank" in problems
    assert "The text of question Realistic (18 months) cannot be blank" in problems
    assert store.programme_framework(programme_id) == before

    # Fixed, it saves (Unicode set with setText, never typed).
    dialog.version_edit.setText("2019 – Anytown")
    dialog.question_edits["realistic"][1].setText("Where will we realistically be in 18 months’ time?")
    dialog.scale_edits[4].setText("Mature ✓")
    assert dialog.save() is True
    saved = store.programme_framework(programme_id)
    assert saved.version == "2019 – Anytown"
    assert saved.scale_label(4) == "Mature ✓"
    assert "3.2a" in codes(saved)


def test_keyboard_delete_undo_redo_move_renumber_and_escape(qtbot: QtBot, store: Store) -> None:
    programme_id = new_programme(store)
    before = store.programme_framework(programme_id)
    page = open_page(qtbot, store, programme_id)
    dialog = open_editor(qtbot, page)
    table = dialog.table

    dialog.select_capability("2.2")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "2.2" not in codes(dialog.framework)
    assert dialog.cap_model.code_at(table.currentIndex().row()) == "2.3"
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert codes(dialog.framework) == BASELINE_CODES
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "2.2" not in codes(dialog.framework)
    dialog.undo()

    # Move 1.1 down twice with Alt+Down, then renumber the domain.
    dialog.select_capability("1.1")
    first = dialog.framework.capability("1.1").statement
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert domain_codes(dialog.framework, 0) == ["1.2", "1.3", "1.1", "1.4", "1.5"]
    qtbot.mouseClick(dialog.renumber_button, Qt.MouseButton.LeftButton)
    assert domain_codes(dialog.framework, 0) == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert dialog.framework.capability("1.3").statement == first
    assert dialog.cap_model.code_at(table.currentIndex().row()) == "1.3"  # the moved capability stays selected
    assert dialog.up_button.isEnabled() and dialog.down_button.isEnabled()

    # The last capability of a domain cannot be removed: the reason is shown inline.
    dialog.select_capability("5.1")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "5.1 is the only capability in domain 5" in dialog.error_label.text()

    # Domains: add one (Ins on the domains table), retitle it, remove it again.
    dialog.tabs.setCurrentIndex(1)
    dialog.add_domain()
    assert [d.number for d in dialog.framework.domains][-1] == "6"
    assert codes(dialog.framework)[-1] == "6.1"
    dialog.domains_model.setData(dialog.domains_model.index(5, 1), "Digital and data")
    assert dialog.framework.domains[5].title == "Digital and data"
    assert dialog.cap_model.index(dialog.cap_model.row_of("6.1"), COL.DOMAIN).data() == "6. Digital and data"
    dialog.domains_view.setCurrentIndex(dialog.domains_model.index(5, 1))
    qtbot.mouseClick(dialog.remove_domain_button, Qt.MouseButton.LeftButton)
    assert len(dialog.framework.domains) == 5

    # Escape cancels: nothing written.
    dialog.tabs.setCurrentIndex(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert store.programme_framework(programme_id) == before


def test_ctrl_s_and_ins_while_a_cell_is_being_typed_into_keep_what_was_typed(qtbot: QtBot, store: Store) -> None:
    programme_id = new_programme(store)
    page = open_page(qtbot, store, programme_id)
    dialog = open_editor(qtbot, page)
    table, model = dialog.table, dialog.cap_model

    dialog.select_capability("2.3")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: table.state() == QTableView.State.EditingState, timeout=WAIT_MS)
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.setText("Délivery of the 2019/20 operating plan ✓")  # Unicode is set, never typed
    qtbot.keyClick(editor, Qt.Key.Key_Insert)  # Ins again while still typing: 2.4 is kept, 2.5 added
    assert dialog.framework.capability("2.4").statement == "Délivery of the 2019/20 operating plan ✓"
    assert model.code_at(table.currentIndex().row()) == "2.5"
    qtbot.waitUntil(lambda: table.state() == QTableView.State.EditingState, timeout=WAIT_MS)
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Typed but not yet committed")

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = store.programme_framework(programme_id)
    assert domain_codes(saved, 1) == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    assert saved.capability("2.4").statement == "Délivery of the 2019/20 operating plan ✓"
    assert saved.capability("2.5").statement == "Typed but not yet committed"


def test_unchanged_save_writes_nothing_and_controls_have_accessible_names(qtbot: QtBot, sample_store: Store) -> None:
    (programme,) = sample_store.programmes()
    rows = framework_rows(sample_store)
    page = open_page(qtbot, sample_store, programme.id)
    dialog = open_editor(qtbot, page)
    unnamed = [
        type(w).__name__ + ":" + (w.text() if isinstance(w, (QPushButton, QLineEdit)) else "")
        for w in dialog.findChildren(QPushButton) + dialog.findChildren(QLineEdit) + dialog.findChildren(QTableView)
        if not w.accessibleName() and not isinstance(w.parent(), QTableView)
    ]
    assert unnamed == []
    assert dialog.save() is True
    assert framework_rows(sample_store) == rows  # a frozen version saved unchanged makes no new version
    assert sample_store.programme(programme.id).framework_id == programme.framework_id
    assert dialog.saved_message == "The framework is unchanged"


def test_new_capability_statement_placeholder_and_page_without_programme(qtbot: QtBot, store: Store) -> None:
    page = FrameworkPage(EditRunner(store))
    qtbot.addWidget(page)
    page.set_programme(None)
    assert not page.edit_button.isEnabled() and not page.import_button.isEnabled()
    assert page.edit_framework() is None

    programme_id = new_programme(store)
    dialog = FrameworkEditorDialog(EditRunner(store), programme_id)  # constructed without showing: still testable
    qtbot.addWidget(dialog)
    dialog.select_capability("4.3")
    assert dialog.add_capability() == "4.4"
    assert dialog.framework.capability("4.4").statement == NEW_STATEMENT
    assert dialog.save()
    assert "4.4" in codes(store.programme_framework(programme_id))


# -- import and export through the page ------------------------------------------------------------


def test_export_then_import_round_trip(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sample_store
    (programme,) = store.programmes()
    page = open_page(qtbot, store, programme.id)
    shown = patch_message_boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    exports = tmp_path / "exports"
    exports.mkdir()

    patch_file_dialogs(monkeypatch, save_path=exports / "bnssg-framework")
    with qtbot.waitSignal(page.saved, timeout=WAIT_MS) as saved:
        target = page.export_json()
    assert target == exports / "bnssg-framework.json"
    assert "Exported framework" in saved.args[0]
    assert [p.name for p in exports.iterdir()] == ["bnssg-framework.json"]  # no temporary file left behind
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert framework_from_dict(exported) == store.programme_framework(programme.id)

    # Importing the very same file changes nothing.
    patch_file_dialogs(monkeypatch, open_path=target)
    assert page.import_json() is False
    assert shown[-1][0] == "information"

    # Adapt the file outside the app (finance 3.1-3.3), then import it: a new version, since 2018 is scored.
    exported["version"] = "2019"
    exported["domains"][2]["capabilities"].append({"code": "3.3", "statement": "Single system financial plan."})
    adapted = exports / "bnssg-2019.json"
    adapted.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    patch_file_dialogs(monkeypatch, open_path=adapted)
    with qtbot.waitSignal(page.saved, timeout=WAIT_MS) as saved:
        assert page.import_json() is True
    kind, text = shown[-1]
    assert kind == "question" and "has been scored against" in text and "15 capabilities" in text
    assert "Imported framework" in saved.args[0]
    new_id = store.programme(programme.id).framework_id
    assert new_id != programme.framework_id
    assert store.framework(new_id).version == "2019"
    assert "3.3" in codes(store.framework(new_id))
    assert store.assessments(programme.id)[0].framework_id == programme.framework_id
    assert page.heading.text() == "ICS baseline capabilities (2019)"
    assert page.capabilities_model.rowCount() == 15

    # And back out again: the export holds exactly what the programme now uses.
    again = exports / "again.json"
    patch_file_dialogs(monkeypatch, save_path=again)
    assert page.export_json() == again
    assert framework_from_dict(json.loads(again.read_text(encoding="utf-8"))) == store.framework(new_id)


def test_declined_import_changes_nothing(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme_id = new_programme(store)
    before = store.programme_framework(programme_id)
    page = open_page(qtbot, store, programme_id)
    shown = patch_message_boxes(monkeypatch, QMessageBox.StandardButton.No)
    other = tmp_path / "other.json"
    other.write_text(fe.set_identity(before, name="Outcomes framework").to_json(), encoding="utf-8")
    patch_file_dialogs(monkeypatch, open_path=other)
    assert page.import_json() is False
    assert shown[-1][0] == "question" and "not been scored against yet" in shown[-1][1]
    assert store.programme_framework(programme_id) == before

    patch_file_dialogs(monkeypatch)  # the user cancels the file dialog
    assert page.import_json() is False
    assert page.export_json() is None
    assert len(shown) == 1


def test_invalid_import_lists_every_problem_and_changes_nothing(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sample_store
    (programme,) = store.programmes()
    before = store.programme_framework(programme.id)
    rows = framework_rows(store)
    page = open_page(qtbot, store, programme.id)
    shown = patch_message_boxes(monkeypatch, QMessageBox.StandardButton.Yes)

    broken = before.to_dict()
    broken["name"] = ""
    broken["scale"][1]["level"] = 3
    broken["domains"][0]["capabilities"][1]["code"] = "1.1"
    broken["domains"][2]["capabilities"][0]["statement"] = ""
    broken["questions"] = []
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    patch_file_dialogs(monkeypatch, open_path=bad)

    assert page.import_json() is False
    ((kind, text),) = shown
    assert kind == "warning" and "broken.json cannot be used as a framework" in text
    for problem in (
        "framework: 'name' is empty",
        "scale: levels must run 1, 2, 3",
        "capability code '1.1' is used more than once",
        "domains[3].capabilities[1]: 'statement' is empty",
        "framework: 'questions' must be a non-empty list",
    ):
        assert problem in text
    assert store.programme_framework(programme.id) == before
    assert framework_rows(store) == rows

    not_json = tmp_path / "notes.json"
    not_json.write_text("{ this is not json", encoding="utf-8")
    patch_file_dialogs(monkeypatch, open_path=not_json)
    assert page.import_json() is False
    assert "not valid JSON (line 1" in shown[-1][1]
    assert framework_rows(store) == rows


def test_export_never_leaves_a_half_written_file(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (programme,) = sample_store.programmes()
    page = open_page(qtbot, sample_store, programme.id)
    shown = patch_message_boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "framework.json"
    target.write_text("the previous export", encoding="utf-8")

    def fail(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("ui.pages.framework.os.replace", fail)
    patch_file_dialogs(monkeypatch, save_path=target)
    assert page.export_json() is None
    assert shown[-1][0] == "warning" and "disk full" in shown[-1][1]
    assert target.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in folder.iterdir()] == ["framework.json"]  # the temporary file is cleaned up

    patch_file_dialogs(monkeypatch, save_path=tmp_path / "missing" / "framework.json")
    assert page.export_json() is None
    assert shown[-1][0] == "warning"
    assert not (tmp_path / "missing").exists()
