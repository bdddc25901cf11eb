"""Private (pass the laptop) entry and presentation mode, driven from the keyboard over a real SQLite file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ics_desktop.charts import CHARTS
from ics_desktop.frameworks.assessments import create_assessment, respondents, response_map
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import compute_results
from ics_desktop.storage.store import Store
from ui.readiness.presentation import CapabilitySlide, ChartSlide, PresentationWindow, TitleSlide
from ui.readiness.private_entry import HANDOVER, QUESTION, THANKS, PrivateEntryWindow
from ui.undo import EditRunner

from .conftest import ROOT

WAIT_MS = 5000
KEYS = {1: "1", 2: "2", 3: "3", 4: "4", None: "?"}


# -- helpers ---------------------------------------------------------------------------------------


def sample_ids(store: Store) -> tuple[str, str]:
    (programme,) = store.programmes()
    (assessment,) = store.assessments(programme.id)
    return programme.id, assessment.id


def framework_of(store: Store, assessment_id: str) -> Framework:
    return store.framework(store.get("assessments", assessment_id)["framework_id"])


def steps_of(framework: Framework) -> list[tuple[str, str]]:
    return [(code, q.key) for code in framework.covered_codes for q in framework.questions]


def visible_texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]


def all_texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def open_private(qtbot: QtBot, store: Store, assessment_id: str) -> PrivateEntryWindow:
    window = PrivateEntryWindow(EditRunner(store), assessment_id)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_presentation(qtbot: QtBot, store: Store, assessment_id: str) -> PresentationWindow:
    window = PresentationWindow(store, assessment_id)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def answer_by_key(qtbot: QtBot, window: PrivateEntryWindow, score: int | None) -> None:
    qtbot.keyClick(window, KEYS[score])


def patch_question(monkeypatch: pytest.MonkeyPatch, reply: QMessageBox.StandardButton) -> list[str]:
    """Make QMessageBox.question answer `reply` without showing anything; returns the titles asked."""
    asked: list[str] = []

    def fake(_parent: QWidget, title: str, *_args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return reply

    monkeypatch.setattr(QMessageBox, "question", fake)
    return asked


# -- private entry ---------------------------------------------------------------------------------


def test_two_people_by_keyboard_store_exactly_their_answers(qtbot: QtBot, sample_store: Store) -> None:
    programme_id, _ = sample_ids(sample_store)
    assessment_id = create_assessment(sample_store, programme_id, "Private round", "2018-11-20")
    framework = framework_of(sample_store, assessment_id)
    steps = steps_of(framework)
    window = open_private(qtbot, sample_store, assessment_id)
    saved: list[str] = []
    window.saved.connect(saved.append)

    assert window.screen_index() == HANDOVER
    assert "Pass the laptop to the next person" in visible_texts(window)
    assert "P01" in visible_texts(window)

    # Person 1: cycles 1, 2, 3, 4, ?; corrects the fifth answer with Backspace.
    pattern: list[int | None] = [1, 2, 3, 4, None]
    first: dict[tuple[str, str], int | None] = {}
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.screen_index() == QUESTION
    assert window.current_code() == "P01"
    for i, step in enumerate(steps):
        assert window.current_step() == i
        capability, question = divmod(i, len(framework.questions))
        progress = (
            f"Capability {capability + 1} of {len(framework.covered_codes)} · "
            f"question {question + 1} of {len(framework.questions)}"
        )
        assert progress in visible_texts(window)
        score = pattern[i % len(pattern)]
        answer_by_key(qtbot, window, score)
        first[step] = score
        if i == 4:
            qtbot.keyClick(window, Qt.Key.Key_Backspace)
            assert window.current_step() == 4
            # Going back shows this person's own answer (? = don't know) and nothing else.
            assert window.dont_know_button.isChecked()
            assert not any(b.isChecked() for b in window.answer_buttons.values())
            assert "Your answer: don't know" in visible_texts(window)
            answer_by_key(qtbot, window, 3)
            first[step] = 3
    assert window.screen_index() == THANKS
    assert "Thank you — please pass the laptop back" in visible_texts(window)

    # Backspace on the thank-you screen does not reopen person 1's answers for the next person.
    qtbot.keyClick(window, Qt.Key.Key_Backspace)
    assert window.screen_index() == THANKS

    # Person 2: Enter to the hand-over screen (the next code), Enter to start.
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.screen_index() == HANDOVER
    assert "P02" in visible_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_Enter)
    assert window.current_code() == "P02"
    second: dict[tuple[str, str], int | None] = {}
    pattern2: list[int | None] = [4, 4, None, 2, 1, 3]
    for i, step in enumerate(steps):
        # Nothing of person 1 is shown: no answer highlighted, no "your answer", no earlier code.
        assert not any(b.isChecked() for b in window.answer_buttons.values())
        assert not window.dont_know_button.isChecked()
        texts = visible_texts(window)
        assert not any(t.startswith("Your answer") for t in texts)
        assert not any("P01" in t for t in all_texts(window))
        score = pattern2[i % len(pattern2)]
        answer_by_key(qtbot, window, score)
        second[step] = score
    assert window.screen_index() == THANKS

    # Exactly the expected responses, under two anonymous codes; "?" is stored as None.
    people = {r.label: r for r in respondents(sample_store, assessment_id)}
    assert set(people) == {"P01", "P02"}
    assert all(r.kind == "anonymous" and not r.illustrative for r in people.values())
    stored = response_map(sample_store, assessment_id)
    expected = {(people["P01"].id, c, q): s for (c, q), s in first.items()}
    expected.update({(people["P02"].id, c, q): s for (c, q), s in second.items()})
    assert stored == expected
    assert None in stored.values()
    by_label = {(r.respondent, r.capability_code, r.question): r.score for r in sample_store.responses(assessment_id)}
    assert by_label[("P01", steps[4][0], steps[4][1])] == 3

    # Every answer was reported as saved, without its score.
    assert len(saved) == 2 * len(steps) + 1
    assert saved[0].startswith("Saved P01") and saved[-1].startswith("Saved P02")
    window.close()


def test_screens_never_show_earlier_answers(qtbot: QtBot, sample_store: Store) -> None:
    """The sample's fourteen people already scored this round: none of that reaches the screen."""
    _, assessment_id = sample_ids(sample_store)
    window = open_private(qtbot, sample_store, assessment_id)
    assert "P15" in visible_texts(window)  # the next free code after P01 … P14
    qtbot.keyClick(window, Qt.Key.Key_Return)
    earlier = {r.label for r in respondents(sample_store, assessment_id)} - {"P15"}
    for _ in range(6):
        texts = all_texts(window)
        assert not any(label in t for t in texts for label in earlier)
        assert not any(t.startswith("Your answer") for t in visible_texts(window))
        assert not any(b.isChecked() for b in window.answer_buttons.values())
        qtbot.keyClick(window, "2")
    window.close()


def _type_stop_code(qtbot: QtBot, window: PrivateEntryWindow, code: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.leave_panel.isVisible()
    qtbot.keyClicks(window.leave_input, code)
    qtbot.keyClick(window.leave_input, Qt.Key.Key_Return)


def test_only_the_facilitators_stop_code_leaves_and_answers_are_kept(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme_id, _ = sample_ids(sample_store)
    assessment_id = create_assessment(sample_store, programme_id, "Escape round", None)
    window = PrivateEntryWindow(EditRunner(sample_store), assessment_id)
    qtbot.addWidget(window)
    window.start()
    qtbot.waitExposed(window)
    assert window.isFullScreen()
    code = window.leave_code
    assert len(code) == 4 and code.isdigit()
    assert window.facilitator_note.isVisible() and code in window.facilitator_note.text()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert not window.facilitator_note.isVisible()  # gone once a participant holds the laptop
    assert not any(code in t for t in visible_texts(window))
    qtbot.keyClick(window, "3")
    qtbot.keyClick(window, "?")

    asked = patch_question(monkeypatch, QMessageBox.StandardButton.Yes)  # the old "Stop? Y" is gone
    wrong = "0000" if code != "0000" else "1111"
    _type_stop_code(qtbot, window, wrong)
    assert asked == []
    assert window.isVisible() and "not the stop code" in window.leave_prompt.text()
    qtbot.keyClick(window.leave_input, Qt.Key.Key_Escape)  # carry on scoring
    assert not window.leave_panel.isVisible()
    assert window.screen_index() == QUESTION and window.current_step() == 2
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window.leave_input, "y")
    qtbot.keyClick(window.leave_input, Qt.Key.Key_Return)
    assert window.isVisible() and window.screen_index() == QUESTION

    qtbot.keyClick(window.leave_input, Qt.Key.Key_Escape)
    with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
        _type_stop_code(qtbot, window, code)
    assert not window.isVisible()
    framework = framework_of(sample_store, assessment_id)
    (a, b) = steps_of(framework)[:2]
    responses = {(r.respondent, r.capability_code, r.question): r.score for r in sample_store.responses(assessment_id)}
    assert responses == {("P01", *a): 3, ("P01", *b): None}


def test_private_entry_never_shows_named_scores(qtbot: QtBot, sample_store: Store) -> None:
    programme_id, _ = sample_ids(sample_store)
    assessment_id = create_assessment(sample_store, programme_id, "Named round", None)
    julia = sample_store.add_respondent(assessment_id, "Julia Ross")
    sample_store.set_response(julia, "1.1", "now", 4)
    window = open_private(qtbot, sample_store, assessment_id)
    for _ in range(3):
        texts = visible_texts(window)
        assert not any("Julia" in t for t in texts)
        qtbot.keyClick(window, Qt.Key.Key_Return if window.screen_index() != QUESTION else "2")
    window.close()


def test_leaving_before_any_answer_leaves_no_empty_code(qtbot: QtBot, sample_store: Store) -> None:
    programme_id, _ = sample_ids(sample_store)
    assessment_id = create_assessment(sample_store, programme_id, "Empty round", None)
    window = open_private(qtbot, sample_store, assessment_id)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert [r.label for r in respondents(sample_store, assessment_id)] == ["P01"]
    with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
        _type_stop_code(qtbot, window, window.leave_code)
    assert respondents(sample_store, assessment_id) == []


def test_private_entry_buttons_are_named_and_large(qtbot: QtBot, sample_store: Store) -> None:
    _, assessment_id = sample_ids(sample_store)
    window = open_private(qtbot, sample_store, assessment_id)
    window.begin_person()
    buttons = [*window.answer_buttons.values(), window.dont_know_button, window.back_button, window.start_button]
    assert all(b.accessibleName() for b in buttons)
    assert [b.accessibleName() for b in window.answer_buttons.values()] == [
        "1 More progress required",
        "2 Fair progress",
        "3 Making good progress",
        "4 Mature",
    ]
    assert all(b.height() >= 90 for b in window.answer_buttons.values())
    assert window.answer_buttons[1].font().pointSizeF() >= 20
    assert window.statement_text.font().pointSizeF() >= 28
    # A click answers too, and moves on.
    qtbot.mouseClick(window.answer_buttons[2], Qt.MouseButton.LeftButton)
    assert window.current_step() == 1
    window.close()


# -- presentation ----------------------------------------------------------------------------------


def test_slides_reveal_and_navigation(qtbot: QtBot, sample_store: Store) -> None:
    _, assessment_id = sample_ids(sample_store)
    framework = framework_of(sample_store, assessment_id)
    results = compute_results(framework, sample_store.responses(assessment_id))
    window = open_presentation(qtbot, sample_store, assessment_id)

    assert window.slide_count() == 1 + len(CHARTS) + len(framework.covered_codes)
    assert window.current_slide() == 0 and isinstance(window.slides[0], TitleSlide)
    assert all(isinstance(window.slides[1 + i], ChartSlide) for i in range(len(CHARTS)))
    assert f"1 / {window.slide_count()}" in visible_texts(window)
    assert any("Press R to reveal" in t for t in visible_texts(window))

    # Title slide: overall means hidden until R.
    overall = f"{results.overall('now'):.1f}"
    assert overall not in all_texts(window)
    assert not window.is_revealed()
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.is_revealed()
    assert overall in visible_texts(window)

    # A capability slide: its means are nowhere until revealed, then one decimal each.
    first_cap = 1 + len(CHARTS)
    codes = [s.code for s in window.slides[first_cap:] if isinstance(s, CapabilitySlide)]
    assert codes == framework.covered_codes
    index = first_cap + codes.index("2.2")
    window.go_to(index)
    assert not window.is_revealed()
    assert overall not in all_texts(window)  # moving on hid the title slide's results again
    means = {q.key: f"{results.result('2.2', q.key).mean:.1f}" for q in framework.questions}
    slide = window.slides[index]
    assert not any(t in means.values() for t in all_texts(slide))
    assert "2.2" in visible_texts(window)
    assert framework.capability("2.2").statement in visible_texts(window)
    for stage in framework.stages:
        assert stage.label in visible_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_Return)  # Enter reveals …
    assert window.is_revealed() and window.current_slide() == index
    shown = visible_texts(window)
    for mean in means.values():
        assert mean in shown
    now = results.result("2.2", "now")
    assert any("Agreed by the group: current 1" in t for t in shown)
    counts = [label.text() for _, what, label in slide.cells if what in {"1", "2", "3", "4"}]  # type: ignore[attr-defined]
    assert sum(int(c) for c in counts[:4]) == now.n
    qtbot.keyClick(window, Qt.Key.Key_Return)  # … and then moves on
    assert window.current_slide() == index + 1 and not window.is_revealed()

    # R toggles back to hidden.
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.is_revealed()
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert not window.is_revealed()

    # Navigation keys.
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.current_slide() == 0
    for key, expected in [
        (Qt.Key.Key_Right, 1),
        (Qt.Key.Key_PageDown, 2),
        (Qt.Key.Key_Space, 3),
        (Qt.Key.Key_Left, 2),
        (Qt.Key.Key_PageUp, 1),
    ]:
        qtbot.keyClick(window, key)
        assert window.current_slide() == expected
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.current_slide() == window.slide_count() - 1
    assert f"{window.slide_count()} / {window.slide_count()}" in visible_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_Right)  # stays on the last slide
    assert window.current_slide() == window.slide_count() - 1
    window.previous_slide()
    window.next_slide()
    assert window.current_slide() == window.slide_count() - 1

    # Reveal all (A) keeps results shown while moving.
    qtbot.keyClick(window, Qt.Key.Key_A)
    assert window.is_revealed()
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.is_revealed()
    qtbot.keyClick(window, Qt.Key.Key_A)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert not window.is_revealed()

    with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_no_participant_is_named_on_any_slide(qtbot: QtBot, sample_store: Store) -> None:
    _, assessment_id = sample_ids(sample_store)
    framework = framework_of(sample_store, assessment_id)
    named = sample_store.add_respondent(assessment_id, "Alice Examplename", kind="named")
    sample_store.set_response(named, framework.covered_codes[0], "now", 4)
    labels = {r.label for r in respondents(sample_store, assessment_id)}
    assert {"P01", "P14", "Alice Examplename"} <= labels
    window = PresentationWindow(sample_store, assessment_id)
    qtbot.addWidget(window)
    window.start()
    qtbot.waitExposed(window)
    for index in range(window.slide_count()):
        window.go_to(index)
        window.reveal()
        slide = window.slides[index]
        slide.settle()
        texts = all_texts(window)
        if isinstance(slide, ChartSlide):
            assert slide.canvas is not None and slide.canvas.figure is not None
            texts += [t.get_text() for t in slide.canvas.figure.findobj(lambda o: hasattr(o, "get_text"))]
        for label in labels:
            assert not any(label in t for t in texts), (index, label)
    window.close()


def test_grab_slides_writes_pngs(qtbot: QtBot, sample_store: Store, tmp_path: Path) -> None:
    _, assessment_id = sample_ids(sample_store)
    window = open_presentation(qtbot, sample_store, assessment_id)
    window.go_to(3)
    count = 1 + len(CHARTS) + 1  # the title, every chart and the first capability
    paths = window.grab_slides(tmp_path / "slides", limit=count)
    assert [p.name for p in paths] == [f"slide-{i:02d}.png" for i in range(1, count + 1)]
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull() and image.width() == 1920 and image.height() == 1080
    assert window.current_slide() == 3 and not window.is_revealed()  # left as it was
    window.close()


def test_presentation_type_is_large_at_1080p(qtbot: QtBot, sample_store: Store) -> None:
    _, assessment_id = sample_ids(sample_store)
    window = open_presentation(qtbot, sample_store, assessment_id)
    first_cap = 1 + len(CHARTS)
    for index in range(first_cap, window.slide_count()):
        window.go_to(index)
        slide = window.slides[index]
        assert isinstance(slide, CapabilitySlide)
        assert slide.statement.font().pointSizeF() >= 32, slide.code
        sizes = [label.font().pointSizeF() for label in slide.findChildren(QLabel) if label.text().strip()]
        assert min(sizes) >= 20, slide.code
    window.go_to(1)
    assert window.slides[1].findChild(QLabel, "slideTitle").font().pointSizeF() >= 32  # type: ignore[union-attr]
    window.close()


def test_windows_do_not_import_matplotlib() -> None:
    code = (
        "import sys; import ui.readiness.presentation, ui.readiness.private_entry; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_small_screens_fit_without_overlap(qtbot: QtBot, sample_store: Store, size: tuple[int, int]) -> None:
    """A laptop or a 4:3 projector: type shrinks to fit rather than overlapping or running off the screen."""
    _, assessment_id = sample_ids(sample_store)
    framework = framework_of(sample_store, assessment_id)
    private = open_private(qtbot, sample_store, assessment_id)
    private.resize(*size)
    qtbot.waitUntil(lambda: private.size().toTuple() == size, timeout=WAIT_MS)
    private.begin_person()
    covered = [c for c in framework.capabilities if c.covered]
    longest = max(range(len(covered)), key=lambda i: len(covered[i].statement))
    for _ in range(longest * len(framework.questions)):
        private.answer(2)
    qtbot.wait(10)

    def rect_in_window(widget: QWidget) -> tuple[int, int]:
        top = widget.mapTo(private, widget.rect().topLeft()).y()
        return top, top + widget.height()

    answers_bottom = max(rect_in_window(b)[1] for b in private.answer_buttons.values())
    dont_know_top, dont_know_bottom = rect_in_window(private.dont_know_button)
    assert rect_in_window(private.statement_text)[1] <= rect_in_window(private.question_text)[0]
    assert answers_bottom <= dont_know_top
    assert dont_know_bottom <= rect_in_window(private.back_button)[0]
    assert rect_in_window(private.back_button)[1] <= size[1]
    private.close()

    window = open_presentation(qtbot, sample_store, assessment_id)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size, timeout=WAIT_MS)
    for index in range(1 + len(CHARTS), window.slide_count()):
        window.go_to(index)
        window.reveal()
        qtbot.wait(1)
        labels = [label for label in window.slides[index].findChildren(QLabel) if label.isVisible()]
        assert (
            max(label.mapTo(window.stack, label.rect().bottomLeft()).y() for label in labels) <= window.stack.height()
        )
        squeezed = [
            label.text()[:30]
            for label in labels
            if label.wordWrap() and label.heightForWidth(label.width()) > label.height() + 1
        ]
        assert squeezed == [], index
    window.close()


def test_a_question_two_people_answered_shows_the_room_no_figures(qtbot: QtBot, sample_store: Store) -> None:
    programme, _ = sample_ids(sample_store)
    assessment = create_assessment(sample_store, programme, "Small group", "2019-01-10")
    for name, now in (("Ann", 1), ("Bob", 4)):
        person = sample_store.add_respondent(assessment, name)
        sample_store.set_response(person, "1.1", "now", now)
    third = sample_store.add_respondent(assessment, "Cy")
    for person_score in (2, 3):
        sample_store.set_response(third, "1.2", "now", person_score)
    window = open_presentation(qtbot, sample_store, assessment)
    index = next(i for i, s in enumerate(window.slides) if isinstance(s, CapabilitySlide) and s.code == "1.1")
    window.go_to(index)
    window.reveal()
    shown = visible_texts(window.slides[index])
    assert "few" in shown and "2.5" not in shown and "1" not in shown and "4" not in shown
    assert any("fewer than 3 answered, not shown" in t for t in shown)
    qtbot.wait(50)
