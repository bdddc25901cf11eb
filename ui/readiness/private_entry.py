"""Private entry ("pass the laptop"): one person at a time scores every covered capability, full screen.

Each person picks their name from the programme's participants not yet scoring (named rounds), or stays
anonymous with the next code (P01, P02, …), and presses Start; every answer is saved
the moment it is given. Nobody sees anyone else's answers: the screens show only the framework's
text and, when a person steps back, their own current answer.

Keys: ↑ ↓ or typing pick a name · Enter starts · 1–4 answer · ? (or /) don't know · Backspace goes back one
step · Esc asks for the facilitator's stop code (shown on the first hand-over screen only; whatever was
answered is kept).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.frameworks.assessments import answer_count, next_anonymous_code
from ics_desktop.frameworks.framework import Capability, Domain, Framework, Question
from ics_desktop.frameworks.scoring_people import unscored_participants
from ics_desktop.storage.records import Person
from ui.undo import EditRunner

LEAVE_PROMPT = "Facilitator: type the stop code and press Enter (Esc carries on)"
NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_TEXT = "#212b32"
NHS_SECONDARY = "#4c6272"
NHS_YELLOW = "#ffb81c"

REFERENCE = QSize(1920, 1080)  # the sizes below are for this screen; smaller screens scale down to fit
MIN_SCALE = 0.5


def entry_style(scale: float) -> str:
    """The window's style sheet with every size multiplied by `scale` (1.0 = 1920×1080)."""

    def pt(size: float) -> str:
        return f"{max(8, round(size * scale))}pt"

    def px(size: float) -> str:
        return f"{max(1, round(size * scale))}px"

    return f"""
QLabel {{ color: {NHS_TEXT}; font-size: {pt(20)}; }}
QLabel#eyebrow {{ color: {NHS_SECONDARY}; font-size: {pt(20)}; }}
QLabel#progressText {{ color: {NHS_SECONDARY}; font-size: {pt(18)}; }}
QLabel#handoverTitle, QLabel#thanksTitle {{ color: {NHS_DARK_BLUE}; font-size: {pt(40)}; font-weight: 700; }}
QLabel#code {{ color: {NHS_DARK_BLUE}; font-size: {pt(64)}; font-weight: 700; }}
QLabel#lead {{ font-size: {pt(22)}; }}
QLabel#domain {{ color: {NHS_SECONDARY}; font-size: {pt(20)}; font-weight: 600; }}
QLabel#capabilityCode {{ color: #ffffff; background: {NHS_DARK_BLUE}; font-size: {pt(30)}; font-weight: 700;
    padding: {px(6)} {px(18)}; border-radius: {px(6)}; }}
QLabel#statement {{ color: {NHS_TEXT}; font-size: {pt(30)}; font-weight: 600; }}
QLabel#question {{ color: {NHS_DARK_BLUE}; font-size: {pt(26)}; font-weight: 600; }}
QLabel#hint {{ color: {NHS_SECONDARY}; font-size: {pt(16)}; }}
QLabel#yourAnswer {{ color: {NHS_DARK_BLUE}; font-size: {pt(18)}; font-weight: 600; }}
QPushButton {{ font-size: {pt(20)}; font-weight: 600; min-height: {px(90)}; border-radius: {px(8)};
    padding: {px(8)} {px(18)}; }}
QPushButton#answer {{ min-height: {px(120)}; }}
QPushButton#answer, QPushButton#primary {{ color: #ffffff; background: {NHS_BLUE}; border: {px(4)} solid {NHS_BLUE}; }}
QPushButton#primary {{ min-width: {px(420)}; }}
QPushButton#answer:hover, QPushButton#primary:hover {{ background: #004b93; border-color: #004b93; }}
QPushButton#answer:checked {{ background: {NHS_DARK_BLUE}; border: {px(6)} solid {NHS_YELLOW}; }}
QPushButton#dontKnow {{ color: {NHS_BLUE}; background: #ffffff; border: {px(4)} solid {NHS_BLUE}; }}
QPushButton#dontKnow:checked {{ color: {NHS_DARK_BLUE}; background: #e8f0fa; border: {px(6)} solid {NHS_YELLOW}; }}
QPushButton#back {{ color: {NHS_BLUE}; background: #ffffff; border: {px(2)} solid #d8dde0; font-size: {pt(18)};
    min-height: {px(70)}; min-width: {px(200)}; }}
QPushButton#answer:focus, QPushButton#primary:focus, QPushButton#dontKnow:focus, QPushButton#back:focus {{
    border: {px(6)} solid {NHS_TEXT}; }}
QListWidget#who {{ font-size: {pt(20)}; border: {px(2)} solid #d8dde0; border-radius: {px(6)}; }}
QListWidget#who::item {{ padding: {px(6)} {px(12)}; }}
QListWidget#who::item:selected {{ color: #ffffff; background: {NHS_BLUE}; }}
QProgressBar {{ border: none; background: #e8edee; border-radius: {px(5)}; max-height: {px(10)}; }}
QProgressBar::chunk {{ background: {NHS_BLUE}; border-radius: {px(5)}; }}
"""


HANDOVER, QUESTION, THANKS = 0, 1, 2


@dataclass(frozen=True)
class Step:
    """One screen of questions: a capability and a question about it."""

    domain: Domain
    capability: Capability
    capability_index: int  # 0-based among covered capabilities
    question: Question
    question_index: int  # 0-based


def _label(text: str = "", name: str = "", *, wrap: bool = True, centre: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if centre:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _button(text: str, name: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    # Tab reaches every button; a click does not leave focus behind that Enter would press again.
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


class PrivateEntryWindow(QWidget):
    """Full-screen, one-person-at-a-time anonymous scoring. Construct, then call `start()`.

    The caller keeps a reference while it is open; it is not deleted on close.
    """

    saved = Signal(str)
    closed = Signal()

    def __init__(self, runner: EditRunner, assessment_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        # Answers are written through the runner's unrecorded path: the storage banner and backups follow
        # them, and the facilitator's Ctrl+Z never takes back a participant's private answer.
        self._runner = runner
        self._store = store = runner.store
        self._assessment_id = assessment_id
        assessment = store.get("assessments", assessment_id)
        self._assessment_name = str(assessment["name"])
        self._framework: Framework = store.framework(assessment["framework_id"])
        self._steps = self._make_steps(self._framework)
        self._covered = len({s.capability.code for s in self._steps})
        self._respondent_id: str | None = None
        self._code = ""
        self._people: list[Person] = []
        self._named = False
        self._answers: dict[tuple[str, str], int | None] = {}  # this person's own answers only
        self._step = 0
        self._closed_emitted = False
        # Only the facilitator leaves: Esc asks for this code, shown on the first hand-over screen only.
        self.leave_code = f"{secrets.randbelow(10_000):04d}"

        self.setWindowTitle(f"Private entry — {self._assessment_name}")
        self.setAccessibleName("Private entry")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
        self.setPalette(palette)
        self._scale = 0.0

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_handover())
        self.pages.addWidget(self._build_question())
        self.pages.addWidget(self._build_thanks())
        self._outer = QVBoxLayout(self)
        # The screen decides the size (full screen); the type is then scaled to fit it, see _fit().
        self._outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._outer.addWidget(self.pages)
        self._outer.addWidget(self._build_leave_panel())
        self._apply_scale(1.0)
        self._show_handover()

    @staticmethod
    def _make_steps(framework: Framework) -> list[Step]:
        steps: list[Step] = []
        index = 0
        for domain in framework.domains:
            for capability in domain.capabilities:
                if not capability.covered:
                    continue
                for q_index, question in enumerate(framework.questions):
                    steps.append(Step(domain, capability, index, question, q_index))
                index += 1
        return steps

    # -- building the three screens -------------------------------------------------------------

    def _build_handover(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(24)
        layout.addStretch(2)
        self.handover_eyebrow = _label(self._assessment_name, "eyebrow", centre=True)
        self.handover_title = _label("Pass the laptop to the next person", "handoverTitle", centre=True)
        self.handover_code_caption = _label("Your anonymous code", "lead", centre=True)
        self.handover_code = _label("", "code", centre=True)
        self.handover_code.setAccessibleName("Your anonymous code")
        self.handover_text = _label(
            f"You will score {self._covered} capabilities, {len(self._framework.questions)} questions each. "
            "Your answers are private: nobody sees them on this screen, and each one is saved as you go.",
            "lead",
            centre=True,
        )
        self.start_button = _button("Start  (Enter)", "primary", "Start scoring")
        self.start_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self.begin_person)
        self.handover_hint = _label(
            "Press 1–4 to answer, ? if you don't know, Backspace to go back.", "hint", centre=True
        )
        # Named rounds: the programme's participants not yet scoring, to pick from (or stay anonymous).
        self.who = QListWidget()
        self.who.setObjectName("who")
        self.who.setAccessibleName("Who is scoring")
        self.who.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ↑ ↓ and typing reach it through the window's keys
        self.who.currentRowChanged.connect(self._who_changed)
        for widget in (self.handover_eyebrow, self.handover_title, self.handover_code_caption, self.handover_code):
            layout.addWidget(widget)
        layout.addWidget(self.who, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(10)
        layout.addWidget(self.handover_text)
        layout.addSpacing(20)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.handover_hint)
        self.facilitator_note = _label(
            f"Facilitator: to stop private entry, press Esc and type {self.leave_code}. Note it now: it is not "
            "shown again once the first person starts.",
            "hint",
            centre=True,
        )
        self.facilitator_note.setAccessibleName("Facilitator's stop code")
        layout.addWidget(self.facilitator_note)
        layout.addStretch(3)
        return page

    def _build_leave_panel(self) -> QWidget:
        panel = QWidget()
        row = QHBoxLayout(panel)
        self.leave_prompt = _label(LEAVE_PROMPT, "hint", wrap=False)
        self.leave_input = QLineEdit()
        self.leave_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.leave_input.setMaxLength(8)
        self.leave_input.setMinimumWidth(160)
        self.leave_input.setAccessibleName("Facilitator's stop code")
        row.addStretch(1)
        row.addWidget(self.leave_prompt)
        row.addWidget(self.leave_input)
        row.addStretch(1)
        panel.hide()
        self.leave_panel = panel
        return panel

    def _build_question(self) -> QWidget:
        page = self.question_page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(18)

        top = QHBoxLayout()
        self.progress_text = _label("", "progressText", wrap=False)
        self.person_text = _label("", "progressText", wrap=False)
        self.person_text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.progress_text, 1)
        top.addWidget(self.person_text)
        layout.addLayout(top)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setAccessibleName("Progress")
        layout.addWidget(self.progress_bar)
        layout.addStretch(1)

        self.domain_text = _label("", "domain")
        layout.addWidget(self.domain_text)
        statement_row = QHBoxLayout()
        statement_row.setSpacing(24)
        self.code_text = _label("", "capabilityCode", wrap=False)
        self.code_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.statement_text = _label("", "statement")
        statement_row.addWidget(self.code_text, 0, Qt.AlignmentFlag.AlignTop)
        statement_row.addWidget(self.statement_text, 1)
        layout.addLayout(statement_row)
        layout.addSpacing(40)
        self.question_text = _label("", "question")
        layout.addWidget(self.question_text)
        layout.addSpacing(10)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(18)
        self.answer_buttons: dict[int, QPushButton] = {}
        for column, level in enumerate(self._framework.scale):
            button = _button(f"{level.level}\n{level.label}", "answer", f"{level.level} {level.label}")
            button.setCheckable(True)
            button.setToolTip(f"Press {level.level}")
            button.clicked.connect(lambda _checked=False, value=level.level: self.answer(value))
            self.answer_buttons[level.level] = button
            grid.addWidget(button, 0, column)
        self.dont_know_button = _button("?  Don't know", "dontKnow", "Don't know")
        self.dont_know_button.setCheckable(True)
        self.dont_know_button.setToolTip("Press ?")
        self.dont_know_button.clicked.connect(lambda: self.answer(None))
        grid.addWidget(self.dont_know_button, 1, 0, 1, len(self._framework.scale))
        layout.addLayout(grid)
        layout.addStretch(1)

        bottom = QHBoxLayout()
        self.back_button = _button("←  Back", "back", "Back to the previous question")
        self.back_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.back_button.clicked.connect(self.go_back)
        self.your_answer = _label("", "yourAnswer")
        self.question_hint = _label("1–4 answer · ? don't know · Backspace back", "hint")
        self.question_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.back_button)
        bottom.addSpacing(20)
        bottom.addWidget(self.your_answer, 3)
        bottom.addWidget(self.question_hint, 2)
        layout.addLayout(bottom)
        return page

    def _build_thanks(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(28)
        layout.addStretch(2)
        self.thanks_title = _label("Thank you — please pass the laptop back", "thanksTitle", centre=True)
        self.thanks_text = _label(
            "Your answers are saved. The facilitator will hand the laptop to the next person.", "lead", centre=True
        )
        self.next_button = _button("Next person  (Enter)", "primary", "Next person")
        self.next_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.next_button.clicked.connect(self._show_handover)
        self.thanks_hint = _label("Pass the laptop back to the facilitator.", "hint", centre=True)
        layout.addWidget(self.thanks_title)
        layout.addWidget(self.thanks_text)
        layout.addSpacing(20)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.thanks_hint)
        layout.addStretch(3)
        return page

    # -- public API --------------------------------------------------------------------------

    def start(self) -> None:
        """Show full screen on the hand-over screen."""
        self._closed_emitted = False
        self._show_handover()
        self.showFullScreen()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def screen_index(self) -> int:
        """0 hand-over, 1 question, 2 thank you."""
        return self.pages.currentIndex()

    def current_code(self) -> str:
        """The anonymous code of the person scoring (or about to score)."""
        return self._code

    def step_count(self) -> int:
        return len(self._steps)

    def current_step(self) -> int:
        return self._step

    def begin_person(self) -> None:
        """The person holding the laptop pressed Start: create their anonymous respondent."""
        if self.pages.currentIndex() != HANDOVER:
            return
        if not self._steps:
            QMessageBox.information(self, "Private entry", "No capability is covered on this programme.")
            return
        person = self.chosen_person()
        code = person.name.strip() if person else next_anonymous_code(self._store, self._assessment_id)
        respondent = self._runner.write(
            f"private entry {code}",
            {"respondents"},
            lambda: self._store.add_respondent(
                self._assessment_id,
                code,
                kind="named" if person else "anonymous",
                person_id=person.id if person else None,
            ),
        )
        if respondent is None:
            QMessageBox.warning(self, "Private entry", f"Could not start: {self._runner.last_refusal}")
            return
        self._respondent_id = respondent
        self._named = person is not None
        self.facilitator_note.hide()  # the stop code is never shown to a participant
        self._code = code
        self._answers = {}
        self._step = 0
        self._show_step()
        self.pages.setCurrentIndex(QUESTION)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def answer(self, score: int | None) -> None:
        """Save the current person's answer to the current step (None = don't know) and move on."""
        if self.pages.currentIndex() != QUESTION or self._respondent_id is None:
            return
        step = self._steps[self._step]
        respondent = self._respondent_id
        # The description names the question, never the score given.
        saved = self._runner.write_change(
            f"{self._code}: {step.capability.code} {step.question.label}",
            {"responses"},
            lambda: self._store.set_response(respondent, step.capability.code, step.question.key, score),
        )
        if not saved:
            QMessageBox.warning(self, "Private entry", f"Your answer could not be saved: {self._runner.last_refusal}")
            self._show_step()
            return
        self._answers[(step.capability.code, step.question.key)] = score
        # The status message names the question, never the score given.
        self.saved.emit(f"Saved {self._code}: {step.capability.code} {step.question.label}")
        if self._step + 1 < len(self._steps):
            self._step += 1
            self._show_step()
        else:
            self._finish_person()

    def go_back(self) -> None:
        """One step back to the person's own previous question.

        Not from the thank-you screen: by then the laptop is on its way to someone else.
        """
        if self.pages.currentIndex() == QUESTION and self._step > 0:
            self._step -= 1
            self._show_step()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def request_leave(self) -> None:
        """Esc: ask for the facilitator's stop code (nobody else can leave to the app's named scores)."""
        self.leave_input.clear()
        self.leave_prompt.setText(LEAVE_PROMPT)
        self.leave_panel.show()
        self.leave_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cancel_leave(self) -> None:
        self.leave_input.clear()
        self.leave_panel.hide()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _try_leave(self) -> bool:
        """Enter in the stop-code field: the right code closes the window (answers kept)."""
        if self.leave_input.text().strip() != self.leave_code:
            self.leave_input.clear()
            self.leave_prompt.setText("That is not the stop code. Esc carries on scoring.")
            return False
        self.leave_panel.hide()
        self.close()
        return True

    # -- screens -------------------------------------------------------------------------------

    def _show_handover(self) -> None:
        self._forget_empty_respondent()
        self._respondent_id = None
        self._answers = {}
        self._step = 0
        self._code = next_anonymous_code(self._store, self._assessment_id)
        self._people = unscored_participants(self._store, self._assessment_id)
        self.who.clear()
        if self._people:
            self.who.addItem(f"Stay anonymous (code {self._code})")
            self.who.addItems([p.name.strip() for p in self._people])
        self.who.setVisible(bool(self._people))
        pick = "↑ ↓ or type to pick your name, or stay anonymous. " if self._people else ""
        self.handover_hint.setText(pick + "Press 1–4 to answer, ? if you don't know, Backspace to go back.")
        self._size_who_list()
        self.who.setCurrentRow(0)
        self._who_changed(0)
        self.pages.setCurrentIndex(HANDOVER)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen_person(self) -> Person | None:
        """The participant picked on the hand-over screen; None to stay anonymous."""
        row = self.who.currentRow()
        return self._people[row - 1] if self.who.isVisibleTo(self) and 1 <= row <= len(self._people) else None

    def choose(self, name: str) -> bool:
        """Pick a participant by name on the hand-over screen (as typing or clicking does)."""
        items = self.who.findItems(name, Qt.MatchFlag.MatchExactly)
        if items:
            self.who.setCurrentItem(items[0])
        return bool(items)

    def _who_changed(self, _row: int) -> None:
        person = self.chosen_person()
        self.handover_code_caption.setText("Scoring as" if person else "Your anonymous code")
        self.handover_code.setText(person.name.strip() if person else self._code)
        self.handover_code.setAccessibleName("Scoring as" if person else "Your anonymous code")

    def _show_step(self) -> None:
        step = self._steps[self._step]
        questions = len(self._framework.questions)
        self.progress_text.setText(
            f"Capability {step.capability_index + 1} of {self._covered} · "
            f"question {step.question_index + 1} of {questions}"
        )
        self.person_text.setText(f"Scoring as {self._code}" if self._named else f"Your code: {self._code}")
        self.progress_bar.setRange(0, len(self._steps))
        self.progress_bar.setValue(self._step)
        self.domain_text.setText(f"Domain {step.domain.number} · {step.domain.title}")
        self.code_text.setText(step.capability.code)
        self.code_text.setAccessibleName(f"Capability {step.capability.code}")
        self.statement_text.setText(step.capability.statement)
        self.question_text.setText(step.question.text)
        key = (step.capability.code, step.question.key)
        given = key in self._answers
        current = self._answers.get(key)
        for level, button in self.answer_buttons.items():
            button.setChecked(given and current == level)
        self.dont_know_button.setChecked(given and current is None)
        if not given:
            self.your_answer.setText("")
        elif current is None:
            self.your_answer.setText("Your answer: don't know")
        else:
            self.your_answer.setText(f"Your answer: {current} {self._framework.scale_label(current)}")
        self.back_button.setEnabled(self._step > 0)

    def _finish_person(self) -> None:
        self.progress_bar.setValue(len(self._steps))
        self.pages.setCurrentIndex(THANKS)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_empty_respondent(self) -> None:
        """A person who pressed Start but answered nothing leaves no empty code behind."""
        if self._respondent_id is None:
            return
        respondent = self._respondent_id
        if answer_count(self._store, respondent) == 0:
            self._runner.write_change(
                f"unused code {self._code}", {"respondents"}, lambda: self._store.delete("respondents", respondent)
            )
        self._respondent_id = None

    # -- sizing --------------------------------------------------------------------------------

    def _apply_scale(self, scale: float) -> None:
        if abs(scale - self._scale) <= 0.005:
            return
        self._scale = scale
        self.setStyleSheet(entry_style(scale))
        self._outer.setContentsMargins(round(80 * scale), round(40 * scale), round(80 * scale), round(40 * scale))
        self._outer.invalidate()

    def _question_height(self, width: int) -> int:
        """The question screen's height at `width` with the framework's longest statement and question."""
        layout = self.question_page.layout()
        assert layout is not None
        saved = self.statement_text.text(), self.question_text.text(), self.domain_text.text()
        longest = max((s.capability.statement for s in self._steps), key=len, default="")
        self.statement_text.setText(longest)
        self.question_text.setText(max((q.text for q in self._framework.questions), key=len, default=""))
        self.domain_text.setText(max((f"Domain {d.number} · {d.title}" for d in self._framework.domains), key=len))
        layout.invalidate()
        layout.activate()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalMinimumSize().height()
        needed = max(needed, layout.totalMinimumSize().height())
        self.statement_text.setText(saved[0])
        self.question_text.setText(saved[1])
        self.domain_text.setText(saved[2])
        return needed

    def _fit(self) -> None:
        """Type as large as the design, shrunk (never cut off) until the longest question fits the screen."""
        size = self.size()
        wide, high = size.width() / REFERENCE.width(), size.height() / REFERENCE.height()
        scale = max(MIN_SCALE, min(1.3, math.sqrt(wide * high), 1.25 * wide, 1.25 * high))
        while True:
            self._apply_scale(scale)
            margins = self._outer.contentsMargins()
            width = size.width() - margins.left() - margins.right()
            height = size.height() - margins.top() - margins.bottom()
            if scale <= MIN_SCALE or self._question_height(width) <= height:
                break
            scale = max(MIN_SCALE, scale * 0.95)
        self.pages.updateGeometry()

    def _size_who_list(self) -> None:
        """As many names as the hand-over screen has room for (two to six; the list scrolls for the rest)."""
        if not self._people:
            return
        page = self.pages.widget(HANDOVER)
        layout = page.layout() if page is not None else None
        if layout is None:
            return
        self.who.setMinimumWidth(round(700 * self._scale))
        margins = self._outer.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        height = self.height() - margins.top() - margins.bottom()
        row, frame = max(1, self.who.sizeHintForRow(0)), 2 * self.who.frameWidth()
        for rows in range(min(self.who.count(), 6), 1, -1):
            self.who.setFixedHeight(rows * row + frame)
            layout.invalidate()
            layout.activate()
            needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
            if max(needed, layout.totalMinimumSize().height()) <= height:
                break

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
        self._size_who_list()

    # -- events --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        page = self.pages.currentIndex()
        if self.leave_panel.isVisible():  # the stop-code field's Enter and Esc, nothing else
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._try_leave()
            elif key == Qt.Key.Key_Escape:
                self._cancel_leave()
            return
        if key == Qt.Key.Key_Escape:
            self.request_leave()
            return
        if page == HANDOVER and self.who.isVisibleTo(self):
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End):
                step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(key))
                last = self.who.count() - 1
                row = (
                    0
                    if key == Qt.Key.Key_Home
                    else last
                    if key == Qt.Key.Key_End
                    else self.who.currentRow() + (step or 0)
                )
                self.who.setCurrentRow(max(0, min(last, row)))
                return
            if event.text().isprintable() and event.text().strip():
                self.who.keyboardSearch(event.text())  # type-ahead, as in any list
                return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if page == HANDOVER:
                self.begin_person()
            elif page == THANKS:
                self._show_handover()
            else:
                focused = self.focusWidget()
                if isinstance(focused, QPushButton) and focused.isEnabled() and self.isAncestorOf(focused):
                    focused.click()
            return
        if page == QUESTION:
            levels = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3, Qt.Key.Key_4: 4}
            level = levels.get(Qt.Key(key))
            if level is not None and level in self.answer_buttons:
                self.answer(level)
                return
            if key in (Qt.Key.Key_Question, Qt.Key.Key_Slash) or event.text() in ("?", "/"):
                self.answer(None)
                return
        if key == Qt.Key.Key_Backspace:
            self.go_back()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._forget_empty_respondent()
        event.accept()
        self.hide()
        if not self._closed_emitted:
            self._closed_emitted = True
            self.closed.emit()
