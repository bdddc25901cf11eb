"""Live voting in the window: set a round up, show the join slide for the room, watch answers arrive.

`LiveVoteDialog` chooses the assessment (or a new one), the questions, anonymous or named, the network
address and the room's Wi-Fi (remembered). `LiveRoundWindow` is the facilitator's view: how many phones have
joined, complete and partial ballots, and how many phones answered each capability; never a score or a name.
Its join slide (a large QR code, the address and a short code, and a second QR code that joins the Wi-Fi) goes
full screen on the chosen screen for the projector. F8 closes voting; the results are then revealed in
presentation mode, as for any other round. The round's server stops when voting has closed, when this window
closes and when the app quits.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import UserFacingError
from ics_desktop.frameworks.framework import Framework
from ics_desktop.live.live_round import LiveRound, RoundSettings
from ics_desktop.live.network import LOOPBACK, NO_NETWORK_HELP, Address, local_addresses
from ics_desktop.live.qr import qr_png, wifi_payload
from ics_desktop.live.writer import RoundStatus
from ics_desktop.storage.store import Store

NEW_ASSESSMENT = "__new__"
STOP_AFTER_CLOSE_MS = 20_000  # phones still open learn "Voting has closed" before the server stops


@dataclass(frozen=True)
class RoundChoice:
    """What the facilitator chose in the dialog."""

    assessment_id: str | None  # None: create `new_name`
    new_name: str
    questions: tuple[str, ...]
    named: bool
    address: str
    wifi_name: str
    wifi_password: str


class LiveVoteDialog(QDialog):
    """Set up a live round; `choice()` says what was chosen once accepted."""

    def __init__(
        self, store: Store, programme_id: str, framework: Framework, current: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Live voting")
        self.setMinimumWidth(620)
        settings = QSettings()
        self.assessment = QComboBox()
        self.assessment.setAccessibleName("Assessment")
        for a in store.assessments(programme_id):
            self.assessment.addItem(a.name, a.id)
        self.assessment.addItem("New assessment…", NEW_ASSESSMENT)
        index = self.assessment.findData(current) if current else -1
        self.assessment.setCurrentIndex(index if index >= 0 else self.assessment.count() - 1)
        self.new_name = QLineEdit("Live scoring round")
        self.new_name.setAccessibleName("Name of the new assessment")
        self.assessment.currentIndexChanged.connect(self._assessment_changed)

        self.questions: dict[str, QCheckBox] = {}
        question_box = QVBoxLayout()
        for q in framework.questions:
            box = QCheckBox(q.label)
            box.setToolTip(q.text)
            box.setChecked(True)
            self.questions[q.key] = box
            question_box.addWidget(box)

        self.anonymous = QRadioButton("Anonymous (recommended): no name is kept with the scores")
        self.named = QRadioButton("Named: each person picks their name from the participants")
        self.anonymous.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.anonymous)
        group.addButton(self.named)

        self.addresses: list[Address] = local_addresses()
        self.address = QComboBox()
        self.address.setAccessibleName("Network address phones use")
        for address in self.addresses:
            self.address.addItem(address.label, address.ip)
        self.address.addItem("This laptop only (127.0.0.1): for trying it out", LOOPBACK)
        self.network_help = QLabel(NO_NETWORK_HELP if not self.addresses else "")
        self.network_help.setWordWrap(True)
        self.network_help.setObjectName("pageNote")
        self.network_help.setVisible(not self.addresses)

        self.wifi_name = QLineEdit(str(settings.value("live/wifi_name", "")))
        self.wifi_name.setPlaceholderText("The hotspot or Wi-Fi phones should join (optional)")
        self.wifi_name.setAccessibleName("Wi-Fi name")
        self.wifi_password = QLineEdit(str(settings.value("live/wifi_password", "")))
        self.wifi_password.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.wifi_password.setAccessibleName("Wi-Fi password")

        form = QFormLayout()
        form.addRow("Assessment:", self.assessment)
        form.addRow("New assessment's name:", self.new_name)
        form.addRow("Questions:", question_box)
        people = QVBoxLayout()
        people.addWidget(self.anonymous)
        people.addWidget(self.named)
        form.addRow("Participants:", people)
        form.addRow("Phones reach this laptop at:", self.address)
        form.addRow("", self.network_help)
        form.addRow("Wi-Fi name:", self.wifi_name)
        form.addRow("Wi-Fi password:", self.wifi_password)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d5281b;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = buttons.addButton("Start voting", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Participants score from their own phones through this laptop: no internet, no account, and nothing "
            "leaves the laptop. Scores stay hidden until you reveal them in presentation mode."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._assessment_changed()

    def _assessment_changed(self, _index: int = 0) -> None:
        self.new_name.setEnabled(self.assessment.currentData() == NEW_ASSESSMENT)

    def _accept(self) -> None:
        problem = ""
        if not any(box.isChecked() for box in self.questions.values()):
            problem = "Choose at least one question."
        elif self.assessment.currentData() == NEW_ASSESSMENT and not self.new_name.text().strip():
            problem = "Give the new assessment a name."
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        settings = QSettings()
        settings.setValue("live/wifi_name", self.wifi_name.text().strip())
        settings.setValue("live/wifi_password", self.wifi_password.text())
        self.accept()

    def choice(self) -> RoundChoice:
        chosen = self.assessment.currentData()
        return RoundChoice(
            None if chosen == NEW_ASSESSMENT else str(chosen),
            self.new_name.text().strip(),
            tuple(key for key, box in self.questions.items() if box.isChecked()),
            self.named.isChecked(),
            str(self.address.currentData()),
            self.wifi_name.text().strip(),
            self.wifi_password.text(),
        )


class _Bridge(QObject):
    """Carries the round's news from its writer thread to the window (a queued signal)."""

    changed = Signal(object)


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("joinHint")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class QrCode(QWidget):
    """A QR code drawn as large as its space allows, square and crisp (whole pixels per module)."""

    def __init__(self, text: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.setAccessibleName(accessible)
        self.pixmap = QPixmap()
        self.pixmap.loadFromData(qr_png(text, scale=1))  # one pixel per module: scaled when drawn
        self.setMinimumSize(140, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, _event: object) -> None:
        side = min(self.width(), self.height())
        modules = max(1, self.pixmap.width())
        side -= side % modules  # each module the same whole number of pixels
        if side <= 0:
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        target = QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)
        painter.drawPixmap(target, self.pixmap)
        painter.end()


class JoinSlide(QWidget):
    """The slide for the projector: join the Wi-Fi (when given), scan to open the ballot, or type the address."""

    def __init__(self, live: LiveRound, wifi_name: str, wifi_password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinSlide")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "QWidget#joinSlide { background: #ffffff; }"
            "QLabel { color: #212b32; background: transparent; }"
            "QLabel#joinTitle { color: #003087; font-size: 30pt; font-weight: 700; }"
            "QLabel#joinStep { color: #003087; font-size: 20pt; font-weight: 700; }"
            "QLabel#joinHint { font-size: 16pt; }"
            "QLabel#joinAddress { color: #003087; font-size: 20pt; font-weight: 700; }"
            "QLabel#joinCode { color: #ffffff; background: #003087; font-size: 26pt; font-weight: 700; "
            "padding: 2px 16px; border-radius: 8px; }"
        )
        title = QLabel("Score from your phone")
        title.setObjectName("joinTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address_text = live.join_url
        self.round_qr = QrCode(live.url, "QR code: the ballot's address")
        self.wifi_qr: QrCode | None = None
        codes = QGridLayout()
        codes.setHorizontalSpacing(60)
        column = 0
        if wifi_name:
            self.wifi_qr = QrCode(wifi_payload(wifi_name, wifi_password), "QR code: join the Wi-Fi")
            codes.addWidget(_step("1  Join the Wi-Fi"), 0, column)
            codes.addWidget(self.wifi_qr, 1, column)
            details = f"“{wifi_name}”" + (f"\npassword: {wifi_password}" if wifi_password else "")
            codes.addWidget(_hint(details), 2, column)
            column += 1
        codes.addWidget(
            _step("2  Scan to open the ballot" if wifi_name else "Scan with your phone's camera"), 0, column
        )
        codes.addWidget(self.round_qr, 1, column)
        codes.addWidget(_hint("Nothing to install; nothing goes to the internet"), 2, column)
        address = QLabel(f"No camera? Open  {live.join_url}")
        address.setObjectName("joinAddress")
        address.setTextFormat(Qt.TextFormat.PlainText)
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        address.setWordWrap(True)
        code = QLabel(live.join_code)
        code.setObjectName("joinCode")
        code.setAccessibleName("Join code")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(_hint("Join code"))
        row.addWidget(code)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 20, 30, 20)
        layout.addWidget(title)
        codes.setRowStretch(1, 1)
        layout.addLayout(codes, 1)
        layout.addWidget(address)
        layout.addLayout(row)


def _step(text: str) -> QLabel:
    label = _hint(text)
    label.setObjectName("joinStep")
    return label


class LiveRoundWindow(QWidget):
    """The facilitator's view of a running round (not for the projector): counts only, and the controls."""

    closed_voting = Signal(object)  # RoundStatus, when F8 (or the button) closes voting
    answers_arrived = Signal()
    present_requested = Signal()
    finished = Signal()

    def __init__(self, live: LiveRound, choice: RoundChoice, capabilities: list[tuple[str, str]]) -> None:
        super().__init__()
        self.setWindowTitle("Live voting — ICS Desktop")
        self.live = live
        self._bridge = _Bridge(self)
        self._bridge.changed.connect(self._show_status)
        self.status = RoundStatus()

        self.slide = JoinSlide(live, choice.wifi_name, choice.wifi_password)
        self.slide_window: QWidget | None = None
        heading = QLabel("Voting is open")
        heading.setObjectName("pageHeading")
        self.heading = heading
        self.summary = QLabel()
        self.summary.setAccessibleName("Phones and ballots")
        self.summary.setStyleSheet("font-size: 14pt;")
        self.note = QLabel(
            "Scores stay hidden here. Close voting, then reveal the results in presentation mode. "
            "Partial ballots count for the capabilities they answered."
        )
        self.note.setWordWrap(True)
        self.note.setObjectName("pageNote")
        self.address = QLabel(f"Phones join at {live.url}  ·  short address {live.join_url}")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setWordWrap(True)
        self.counts = QTableWidget(len(capabilities), 3)
        self.counts.setAccessibleName("Phones that answered each capability")
        self.counts.setHorizontalHeaderLabels(["Capability", "Statement", "Phones answered"])
        self.counts.verticalHeader().setVisible(False)
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.counts.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._codes = [code for code, _statement in capabilities]
        for row, (code, statement) in enumerate(capabilities):
            self.counts.setItem(row, 0, QTableWidgetItem(code))
            self.counts.setItem(row, 1, QTableWidgetItem(statement))
            self.counts.setItem(row, 2, QTableWidgetItem("0"))

        self.screen_choice = QComboBox()
        self.screen_choice.setAccessibleName("Screen for the join slide")
        for screen in QGuiApplication.screens():
            size = screen.size()
            self.screen_choice.addItem(f"{screen.name()} ({size.width()}×{size.height()})", screen.name())
        if self.screen_choice.count() > 1:
            self.screen_choice.setCurrentIndex(1)  # a second screen is usually the projector
        self.show_slide_button = QPushButton("Show join slide (F7)")
        self.show_slide_button.clicked.connect(self.show_join_slide)
        self.close_button = QPushButton("Close voting (F8)")
        self.close_button.setObjectName("primaryButton")
        self.close_button.clicked.connect(self.close_voting)
        self.present_button = QPushButton("Present results (F5)")
        self.present_button.setEnabled(False)
        self.present_button.clicked.connect(self.present_requested)
        QShortcut(QKeySequence("F7"), self, self.show_join_slide)
        QShortcut(QKeySequence("F8"), self, self.close_voting)
        QShortcut(QKeySequence("F5"), self, self._present_if_closed)

        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Join slide on:"))
        buttons.addWidget(self.screen_choice)
        buttons.addWidget(self.show_slide_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.present_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.address)
        layout.addWidget(self.counts, 1)
        layout.addLayout(buttons)
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.timeout.connect(self.stop_round)
        self._show_status(live.status())

    def on_change(self, status: RoundStatus) -> None:
        """Called by the round from its writer thread: hand over to the GUI thread."""
        self._bridge.changed.emit(status)

    def _show_status(self, status: RoundStatus) -> None:
        answers_came = status.responses != self.status.responses
        self.status = status
        phones = "phone" if status.devices == 1 else "phones"
        self.summary.setText(
            f"<b>{status.devices}</b> {phones} joined · <b>{status.complete}</b> complete ballots · "
            f"<b>{status.partial}</b> partial"
        )
        for row, code in enumerate(self._codes):
            item = self.counts.item(row, 2)
            if item is not None:
                item.setText(str(status.answers_by_capability.get(code, 0)))
        if status.problem:
            self.note.setText(status.problem)
        if answers_came:
            self.answers_arrived.emit()

    # -- the join slide -----------------------------------------------------------------------------

    def show_join_slide(self) -> QWidget:
        """The join slide full screen on the chosen screen; Esc returns to this view."""
        if self.slide_window is None:
            window = _SlideWindow(self.slide, self)
            self.slide_window = window
        name = self.screen_choice.currentData()
        screen = next((s for s in QGuiApplication.screens() if s.name() == name), None)
        if screen is not None:
            self.slide_window.setScreen(screen)
            self.slide_window.setGeometry(screen.geometry())
        self.slide_window.showFullScreen()
        return self.slide_window

    # -- closing --------------------------------------------------------------------------------------

    def close_voting(self) -> None:
        if not self.live.is_open:
            return
        self.live.close_voting()
        self.heading.setText("Voting has closed")
        status = self.live.status()
        self._show_status(status)
        self.note.setText(
            f"{status.devices} phones gave {status.responses} answers; partial ballots count for the capabilities "
            "they answered. Reveal the results in presentation mode (F5)."
        )
        self.close_button.setEnabled(False)
        self.present_button.setEnabled(True)
        if self.slide_window is not None:
            self.slide_window.close()
        self._stop_timer.start(STOP_AFTER_CLOSE_MS)
        self.closed_voting.emit(status)

    def _present_if_closed(self) -> None:
        if not self.live.is_open:
            self.present_requested.emit()

    def stop_round(self) -> None:
        """Stop listening (phones can no longer reach the laptop)."""
        self._stop_timer.stop()
        self.live.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.live.is_open:
            self.close_voting()
        self.stop_round()
        if self.slide_window is not None:
            self.slide_window.close()
            self.slide_window.deleteLater()
            self.slide_window = None
        self.finished.emit()
        super().closeEvent(event)


class _SlideWindow(QWidget):
    """The join slide as its own full-screen window; Esc goes back to the facilitator's view."""

    def __init__(self, slide: JoinSlide, back_to: QWidget) -> None:
        super().__init__()
        self.setWindowTitle("Join the vote — ICS Desktop")
        self.setStyleSheet("background: #ffffff;")
        self._back_to = back_to
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(slide)
        QShortcut(QKeySequence("Esc"), self, self.close)
        QShortcut(QKeySequence("F8"), self, self._close_voting)

    def _close_voting(self) -> None:
        close = getattr(self._back_to, "close_voting", None)
        if callable(close):
            close()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self._back_to.activateWindow()


def start_round(store: Store, choice: RoundChoice, assessment_id: str) -> tuple[LiveRound, list[tuple[str, str]]]:
    """Start the round's server; raises UserFacingError (address in use, no capability …)."""
    if store.path is None:
        raise UserFacingError("Live voting needs a database file.")
    live = LiveRound(
        store.path, RoundSettings(assessment_id, choice.questions, named=choice.named), bind=choice.address, port=0
    )
    live.start()
    capabilities = [(c.code, c.statement) for c in live.framework.capabilities if c.covered]
    return live, capabilities
