"""The Readiness page driven through real widgets: assessments, grid, tally, results and agreed figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store
from ics_desktop.summary import summary
from ui.models import results_model as rm
from ui.pages.readiness import ReadinessPage
from ui.undo import EditRunner


def _page(qtbot: QtBot, store: Store, programme_id: str) -> ReadinessPage:
    page = ReadinessPage(EditRunner(store))
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.set_programme(programme_id)
    return page


def _open_editor(view: QTableView) -> QWidget:
    """The cell editor (a line edit or spin box) the view opened when typing started."""
    editors = [w for w in view.viewport().children() if isinstance(w, QWidget) and w.isVisible()]
    assert len(editors) == 1
    return editors[0]


@pytest.fixture
def fresh(store: Store) -> tuple[Store, str, str]:
    programme = store.create_programme("P", "S", default_framework())
    assessment = rounds.create_assessment(store, programme, "Scoping readiness exercise", "2018-09-10")
    return store, programme, assessment


def test_grid_entry_by_keyboard(qtbot: QtBot, fresh: tuple[Store, str, str], db_path: Path) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    page.tabs.setCurrentIndex(1)
    page.grid_question.setCurrentIndex(page.grid_question.findData("now"))
    # A named participant from the keyboard, then an anonymous one with Insert.
    qtbot.keyClicks(page.new_participant, "Julia Ross")
    qtbot.keyClick(page.new_participant, Qt.Key.Key_Return)
    view = page.grid_view
    assert view.currentIndex().row() == 0 and view.currentIndex().column() == 0
    for key in "123?4":
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    view.setCurrentIndex(page.grid_model.index(1, 0))
    qtbot.keyClicks(view, "44")
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # blank the second cell again
    qtbot.keyClick(view, "7")  # not a score: refused, nothing saved
    reopened = Store.open(db_path)
    try:
        labels = {r.id: (r.label, r.kind) for r in rounds.respondents(reopened, assessment)}
        saved = {(labels[k[0]][0], k[1], k[2]): v for k, v in rounds.response_map(reopened, assessment).items()}
        assert sorted(labels.values()) == [("Julia Ross", "named"), ("P01", "anonymous")]
    finally:
        reopened.close()
    assert saved == {
        ("Julia Ross", "1.1", "now"): 1,
        ("Julia Ross", "1.2", "now"): 2,
        ("Julia Ross", "1.3", "now"): 3,
        ("Julia Ross", "1.4", "now"): None,  # don't know
        ("Julia Ross", "1.5", "now"): 4,
        ("P01", "1.1", "now"): 4,
    }
    # The results follow at once.
    assert page.results_model.results is not None
    assert page.results_model.results.result("1.1", "now").mean == 2.5
    assert page.results_model.results.result("1.4", "now").dont_know == 1


def test_grid_all_three_questions_side_by_side(qtbot: QtBot, fresh: tuple[Store, str, str]) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    page.tabs.setCurrentIndex(1)
    assert page.grid_question.currentData() is None
    assert page.grid_model.columnCount() == 14 * 3
    assert page.grid_model.column_key(0) == ("1.1", "now") and page.grid_model.column_key(2) == ("1.1", "realistic")
    page.add_participant("")
    qtbot.keyClicks(page.grid_view, "243")
    got = {(k[1], k[2]): v for k, v in rounds.response_map(store, assessment).items()}
    assert got == {("1.1", "now"): 2, ("1.1", "aspire"): 4, ("1.1", "realistic"): 3}


def test_tally_entry(qtbot: QtBot, fresh: tuple[Store, str, str]) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    page.tabs.setCurrentIndex(2)
    page.tally_question.setCurrentIndex(page.tally_question.findData("now"))
    view, model = page.tally_view, page.tally_model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "1 More progress required"
    for column, typed in ((1, "6"), (2, "3")):  # 1.1 now: six people at level 2, three at level 3
        view.setCurrentIndex(model.index(0, column))
        qtbot.keyClicks(view, typed)
        qtbot.keyClick(_open_editor(view), Qt.Key.Key_Return)
        qtbot.wait(20)  # let the closed editor go, as between a person's keystrokes
    qtbot.waitUntil(lambda: rounds.tally_counts(store, assessment, "1.1", "now") == {2: 6, 3: 3})
    assert model.data(model.index(0, 4)) == 9
    results = page.results_model.results
    assert results is not None and results.result("1.1", "now").mean == pytest.approx((6 * 2 + 3 * 3) / 9)


def test_agreed_figures_focus_and_justification(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    programme = sample_store.programmes()[0].id
    page = _page(qtbot, sample_store, programme)
    model, proxy, view = page.results_model, page.results_proxy, page.results_view
    row = [model.code(r) for r in range(model.rowCount())].index("4.3")
    assert model.data(model.index(row, rm.AGREED_CURRENT)) == "2"
    view.setCurrentIndex(proxy.mapFromSource(model.index(row, rm.AGREED_DESIRED)))
    qtbot.keyClicks(view, "3")
    qtbot.keyClick(_open_editor(view), Qt.Key.Key_Return)
    assessment_id = sample_store.assessments(programme)[0].id
    qtbot.waitUntil(lambda: sample_store.capability_results(assessment_id)["4.3"]["agreed_desired"] == 3)
    model.setData(model.index(row, rm.AGREED_CURRENT), "9")  # refused with a message
    model.setData(model.index(row, rm.FOCUS), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    odd = "Room split: <b>R&D</b> ŵ 🙂 עברית"
    model.setData(model.index(row, rm.JUSTIFICATION), odd)
    model.setData(model.index(0, rm.AGREED_DESIRED), "?")  # desired may be left open
    model.setData(model.index(row, rm.CHANGE), "up")
    reopened = Store.open(db_path)
    try:
        data = summary(reopened)["programmes"][0]["assessments"][0]["capabilities"]
    finally:
        reopened.close()
    assert (data["4.3"]["agreed_current"], data["4.3"]["agreed_desired"]) == (2, 3)
    assert data["4.3"]["focus"] is True and data["4.3"]["justification"] == odd and data["4.3"]["change"] == "up"
    assert data["1.1"]["agreed_desired"] is None
    assert model.data(model.index(0, rm.AGREED_DESIRED)) == "?"


def test_results_show_means_and_discussion_prompts(qtbot: QtBot, sample_store: Store) -> None:
    programme = sample_store.programmes()[0].id
    page = _page(qtbot, sample_store, programme)
    model = page.results_model
    assert model.rowCount() == 14
    results = model.results
    assert results is not None
    assert model.data(model.index(0, rm.NOW)) == f"{results.result('1.1', 'now').mean:.1f}"
    assert "Overall" in page.overall.text() and "1.9" in page.overall.text()
    spreads, _gaps = model.discussion_prompts()
    assert spreads and spreads[0][1] >= spreads[-1][1]
    assert spreads[0][0] in page.prompts.text()
    # Sorting by spread puts the most divided capability first.
    page.results_view.sortByColumn(rm.SPREAD, Qt.SortOrder.DescendingOrder)
    first = page.results_proxy.index(0, rm.CODE).data()
    assert first == spreads[0][0]
    assert "illustrative" in page.notes.text()


def test_assessments_new_rename_date_delete(qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    programme = sample_store.programmes()[0].id
    page = _page(qtbot, sample_store, programme)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("End of programme", True))
    page.new_button.click()
    assert [a.name for a in sample_store.assessments(programme)][-1] == "End of programme"
    assert page.assessment.currentText().startswith("End of programme")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("End of programme review", True))
    page.rename_button.click()
    assert sample_store.assessments(programme)[-1].name == "End of programme review"
    page.date.setDate(page.date.date().addDays(-3))
    asked: list[str] = []

    def answer_no(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    page.delete_button.click()
    assert len(sample_store.assessments(programme)) == 2 and "Undo (Ctrl+Z) brings it back" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    assert [a.name for a in sample_store.assessments(programme)] == ["Scoping readiness exercise"]
    # Every step was an edit on the undo stack: undo brings the round back, then its date, name, and creation.
    runner = page._runner
    assert runner.undo()
    (_, restored) = sample_store.assessments(programme)
    assert restored.name == "End of programme review" and page.assessment.currentText().startswith("End of")
    dated = restored.date
    assert runner.undo() and sample_store.assessments(programme)[-1].date != dated
    assert runner.undo() and sample_store.assessments(programme)[-1].name == "End of programme"
    assert runner.undo() and [a.name for a in sample_store.assessments(programme)] == ["Scoping readiness exercise"]


def test_assessment_edits_refused_by_the_file_change_nothing_and_say_so(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = sample_store.programmes()[0].id
    page = _page(qtbot, sample_store, programme)
    problems: list[str] = []
    page._runner.storage_problem.connect(problems.append)
    (before,) = sample_store.assessments(programme)
    sample_store.conn.execute("PRAGMA query_only = ON")  # the file refuses every write from now on
    try:
        page.date.setDate(page.date.date().addDays(-3))  # no exception escapes the slot
        assert sample_store.assessments(programme)[0].date == before.date
        assert page.date.date().toString("yyyy-MM-dd") == before.date  # the widget shows what is saved
        assert problems and problems[-1]
        monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("End of programme", True))
        page.new_button.click()
        assert [a.name for a in sample_store.assessments(programme)] == [before.name]
        warnings: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(str(a[2])))
        monkeypatch.setattr(
            "ui.pages.readiness.QFileDialog.getOpenFileName", lambda *a, **k: (str(_room_csv(page)), "")
        )
        page.import_button.click()
        assert warnings and warnings[0].startswith("Nothing was imported.")
    finally:
        sample_store.conn.execute("PRAGMA query_only = OFF")
    page.date.setDate(page.date.date().addDays(-3))
    assert sample_store.assessments(programme)[0].date != before.date and problems[-1] == ""


def _room_csv(page: ReadinessPage) -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    path = folder / "room.csv"
    path.write_text("participant,capability,question,score\nAnn,1.1,now,2\n", encoding="utf-8")
    return path


def test_csv_import_from_the_page(
    qtbot: QtBot, fresh: tuple[Store, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    good = tmp_path / "room.csv"
    good.write_text("participant,capability,question,score\nAnn,1.1,now,2\nBob,1.1,now,4\nBob,1.2,aspire,?\n")
    monkeypatch.setattr("ui.pages.readiness.QFileDialog.getOpenFileName", lambda *a, **k: (str(good), ""))
    page.import_button.click()
    assert page.results_model.results is not None
    assert page.results_model.results.result("1.1", "now").mean == 3.0
    assert len(store.responses(assessment)) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("participant,capability,question,score\nCid,1.1,now,9\nCid,7.7,now,2\n")
    warnings: list[str] = []
    monkeypatch.setattr("ui.pages.readiness.QFileDialog.getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(str(a[2])))
    page.import_button.click()
    assert "row 2" in warnings[0] and "row 3" in warnings[0] and "nothing was saved" in warnings[0]
    assert len(store.responses(assessment)) == 3


def test_undo_and_redo_of_scores_and_agreed_figures(qtbot: QtBot, fresh: tuple[Store, str, str]) -> None:
    store, programme, assessment = fresh
    runner = EditRunner(store)
    page = ReadinessPage(runner)
    qtbot.addWidget(page)
    page.set_programme(programme)
    page.add_participant("Ann")
    page.grid_view.setCurrentIndex(page.grid_model.index(0, 0))
    qtbot.keyClicks(page.grid_view, "3")
    assert rounds.response_map(store, assessment)
    runner.stack.undo()
    assert rounds.response_map(store, assessment) == {}
    assert page.grid_model.data(page.grid_model.index(0, 0)) == ""
    runner.stack.redo()
    assert list(rounds.response_map(store, assessment).values()) == [3]
    assert page.results_model.results is not None and page.results_model.results.result("1.1", "now").n == 1
    model = page.results_model
    model.setData(model.index(0, rm.AGREED_CURRENT), "2")
    runner.stack.undo()
    assert store.capability_results(assessment)["1.1"]["agreed_current"] is None
    assert model.data(model.index(0, rm.AGREED_CURRENT)) == ""
    runner.stack.undo()  # the score
    runner.stack.undo()  # the participant
    assert rounds.respondents(store, assessment) == [] and page.grid_model.rowCount() == 0


def test_closed_full_screen_windows_are_deleted_at_once(qtbot: QtBot, sample_store: Store) -> None:
    # A closed presentation (slides, charts) or private entry window is handed back to Qt to delete,
    # rather than lingering until Python's next full garbage collection.
    import shiboken6

    page = _page(qtbot, sample_store, sample_store.programmes()[0].id)
    presentation = page.open_presentation()
    assert presentation is not None and presentation.isVisible()
    presentation.reveal()
    qtbot.wait(10)
    presentation.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(presentation))

    page.open_private_entry()
    [private] = page._windows  # the one window open
    assert private.isVisible()
    private.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(private))
    assert page._windows == []
    # The page keeps working: another presentation opens as before.
    again = page.open_presentation()
    assert again is not None and again.isVisible()
    again.close()


def _type_in(qtbot: QtBot, page: ReadinessPage, code: str, column: int, text: str) -> None:
    """Type `text` into a results cell through its editor (select all first: an empty text clears it)."""
    model, proxy, view = page.results_model, page.results_proxy, page.results_view
    row = [model.code(r) for r in range(model.rowCount())].index(code)
    view.setCurrentIndex(proxy.mapFromSource(model.index(row, column)))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = _open_editor(view)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)


def _shown(page: ReadinessPage, code: str, column: int) -> str:
    model = page.results_model
    row = [model.code(r) for r in range(model.rowCount())].index(code)
    return str(model.data(model.index(row, column)))


def test_change_in_the_seed_words_blank_kept_and_filled_only_when_asked(
    qtbot: QtBot, fresh: tuple[Store, str, str]
) -> None:
    store, programme, before = fresh
    for code, level in (("1.1", 2), ("1.2", 3), ("1.3", 2), ("1.4", 1)):
        store.set_capability_result(before, code, agreed_current=level)
    after = rounds.create_assessment(store, programme, "End of programme", "2018-12-01")
    page = _page(qtbot, store, programme)
    page.set_programme(programme, select=before)
    assert not page.fill_change_button.isEnabled()  # the first round: nothing before it
    page.set_programme(programme, select=after)
    assert page.fill_change_button.isEnabled()
    for code in ("1.1", "1.2", "1.3", "1.4"):
        _type_in(qtbot, page, code, rm.AGREED_CURRENT, "3")
    stored = lambda code, name: store.capability_results(after)[code][name]  # noqa: E731
    assert [_shown(page, c, rm.CHANGE) for c in ("1.1", "1.2", "1.3", "1.4")] == ["", "", "", ""]  # not computed

    _type_in(qtbot, page, "1.1", rm.CHANGE, "Remained the same")  # the seed's words, as typed
    _type_in(qtbot, page, "1.2", rm.CHANGE, "has GONE down")  # any case
    _type_in(qtbot, page, "1.3", rm.CHANGE, "up")
    _type_in(qtbot, page, "1.3", rm.CHANGE, "")  # then left blank on purpose
    messages: list[str] = []
    page._runner.saved.connect(messages.append)
    _type_in(qtbot, page, "1.1", rm.CHANGE, "sideways")  # refused, nothing lost
    assert messages and messages[-1].startswith("Not saved: change must be Has gone up")
    assert [stored(c, "change") for c in ("1.1", "1.2", "1.3", "1.4")] == ["same", "down", None, None]
    assert (stored("1.3", "change_blank"), stored("1.4", "change_blank")) == (1, 0)
    assert [_shown(page, c, rm.CHANGE) for c in ("1.1", "1.2", "1.3")] == [
        "Remained the same", "Has gone down", "",
    ]  # fmt: skip

    qtbot.mouseClick(page.fill_change_button, Qt.MouseButton.LeftButton)
    # Only 1.4 was never entered: 1 before, 3 now. Typed changes and the deliberate blank stay.
    assert [_shown(page, c, rm.CHANGE) for c in ("1.1", "1.2", "1.3", "1.4")] == [
        "Remained the same", "Has gone down", "", "Has gone up",
    ]  # fmt: skip
    page._runner.stack.undo()
    assert _shown(page, "1.4", rm.CHANGE) == "" and stored("1.4", "change") is None


def test_desired_left_open_is_a_question_mark_and_an_empty_current_adds_none(
    qtbot: QtBot, fresh: tuple[Store, str, str]
) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    _type_in(qtbot, page, "1.1", rm.AGREED_CURRENT, "2")
    _type_in(qtbot, page, "1.1", rm.AGREED_DESIRED, "?")
    _type_in(qtbot, page, "1.2", rm.AGREED_CURRENT, "2")  # desired not entered
    _type_in(qtbot, page, "1.3", rm.AGREED_CURRENT, "")  # editor left empty: nothing appears
    _type_in(qtbot, page, "1.4", rm.AGREED_CURRENT, "3")
    _type_in(qtbot, page, "1.4", rm.AGREED_CURRENT, "")  # cleared again
    assert [_shown(page, c, rm.AGREED_DESIRED) for c in ("1.1", "1.2", "1.3", "1.4")] == ["?", "", "", ""]
    rows = store.capability_results(assessment)
    assert (rows["1.1"]["agreed_desired"], rows["1.1"]["desired_open"]) == (None, 1)
    assert (rows["1.2"]["agreed_desired"], rows["1.2"]["desired_open"]) == (None, 0)
    assert "1.3" not in rows and rows["1.4"]["agreed_current"] is None and rows["1.4"]["desired_open"] == 0
    _type_in(qtbot, page, "1.1", rm.AGREED_DESIRED, "4")  # a level closes it
    assert _shown(page, "1.1", rm.AGREED_DESIRED) == "4"
    assert store.capability_results(assessment)["1.1"]["desired_open"] == 0
    _type_in(qtbot, page, "1.1", rm.AGREED_DESIRED, "")  # cleared: not entered, not open
    assert _shown(page, "1.1", rm.AGREED_DESIRED) == ""
    assert store.capability_results(assessment)["1.1"]["desired_open"] == 0
    data = summary(store)["programmes"][0]["assessments"][0]["capabilities"]
    assert (data["1.1"]["agreed_desired"], data["1.1"]["desired_open"]) == (None, False)


def test_grid_stops_at_the_last_cell_and_never_wraps_onto_scores(qtbot: QtBot, fresh: tuple[Store, str, str]) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    page.tabs.setCurrentIndex(1)
    page.grid_question.setCurrentIndex(page.grid_question.findData("now"))
    messages: list[str] = []
    page.saved.connect(messages.append)
    page.add_participant("Ann")
    page.add_participant("Bob")
    view, model = page.grid_view, page.grid_model
    assert model.columnCount() == 14  # the default framework's 14 capabilities, one question
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClicks(view, "2")  # Ann's first score
    view.setCurrentIndex(model.index(1, 12))
    qtbot.keyClicks(view, "34")  # Bob's last two: 5.1 is the last cell of the grid
    qtbot.keyClicks(view, "1111")  # typing on changes nothing
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 13)
    assert any("last score of the last participant" in m for m in messages)
    labels = {r.id: r.label for r in rounds.respondents(store, assessment)}
    saved = {(labels[k[0]], k[1]): v for k, v in rounds.response_map(store, assessment).items()}
    assert saved == {("Ann", "1.1"): 2, ("Bob", "4.3"): 3, ("Bob", "5.1"): 4}
    # Tab stops at the last cell too, rather than wrapping to Ann's first.
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 13)
    # Moving back lets typing go on.
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClicks(view, "1")
    assert rounds.response_map(store, assessment)[(next(k for k, v in labels.items() if v == "Bob"), "4.3", "now")] == 1


def test_tally_refuses_hidden_people_and_results_match_the_grid(qtbot: QtBot, fresh: tuple[Store, str, str]) -> None:
    store, programme, assessment = fresh
    page = _page(qtbot, store, programme)
    messages: list[str] = []
    page.saved.connect(messages.append)
    page._runner.saved.connect(messages.append)  # the edit's refusal, for the status bar
    page.tabs.setCurrentIndex(1)
    page.grid_question.setCurrentIndex(page.grid_question.findData("now"))
    for name in ("Ann", "Bob"):
        page.add_participant(name)
        qtbot.keyClicks(page.grid_view, "2")
    page.tabs.setCurrentIndex(2)
    page.tally_question.setCurrentIndex(page.tally_question.findData("now"))
    view, model = page.tally_view, page.tally_model
    assert model.data(model.index(0, 1)) == 2  # 1.1 now: Ann and Bob at level 2
    view.setCurrentIndex(model.index(0, 1))
    qtbot.keyClicks(view, "3")
    qtbot.keyClick(_open_editor(view), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("scored one by one" in m for m in messages))
    assert rounds.tally_counts(store, assessment, "1.1", "now") == {2: 2}
    assert [r.label for r in rounds.respondents(store, assessment)] == ["Ann", "Bob"]
    results = page.results_model.results
    assert results is not None and results.result("1.1", "now").n == 2 == page.grid_model.rowCount()


def test_a_tallied_round_takes_no_individual_participant(qtbot: QtBot, fresh: tuple[Store, str, str]) -> None:
    store, programme, assessment = fresh
    rounds.set_tally(store, assessment, "1.1", "now", {2: 9})
    page = _page(qtbot, store, programme)
    messages: list[str] = []
    page.saved.connect(messages.append)
    page._runner.saved.connect(messages.append)  # the edit's refusal, for the status bar
    page.tabs.setCurrentIndex(1)
    qtbot.keyClicks(page.new_participant, "Ann")
    qtbot.keyClick(page.new_participant, Qt.Key.Key_Return)
    assert any("scored as a tally" in m for m in messages)
    assert page.grid_model.rowCount() == 0
    assert page.new_participant.text() == "Ann"  # kept, not thrown away
