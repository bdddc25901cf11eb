"""Presentation mode: readiness results on the projector, one full-screen slide at a time.

Slides: a title slide, one per chart, one per covered capability. Results are hidden until the
facilitator reveals them (R or Enter), so nobody anchors on early votes; moving on hides them again
unless "reveal all" (A) is on. No participant is ever named: only counts, means and the group's
agreed figures are shown.

Keys: → / PageDown / Space next · ← / PageUp previous · Home / End · R reveal (or hide) ·
Enter reveal, then next · A reveal all · G record the group's agreement · Esc leave.

With a second screen, the slides go to the projector and the agreement panel stays on the facilitator's
console (ui/readiness/facilitator_console.py); on one screen the panel appears beside the slide while G is on.

Type is sized for a 1920×1080 projector and scales with the window; a slide whose framework text
is too long for the screen is shrunk until it fits rather than cut off.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent, QPalette, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ics_desktop import charts
from ics_desktop.dates import month_name
from ics_desktop.frameworks.assessments import previous_assessment
from ics_desktop.frameworks.framework import Capability, Domain, Framework
from ics_desktop.frameworks.scoring import (
    MINIMUM_GROUP,
    AssessmentResults,
    assessment_results,
    for_the_room,
)
from ics_desktop.storage.store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ui.readiness.agreement_panel import AgreementPanel
    from ui.readiness.facilitator_console import FacilitatorConsole
    from ui.undo import EditRunner
    from ui.widgets.chart_canvas import ChartCanvas

log = logging.getLogger(__name__)

REFERENCE = QSize(1920, 1080)  # type sizes below are for this screen; other sizes scale
MIN_SCALE = 0.45
HIDDEN_HINT = "Press R to reveal"

TEXT = charts.TEXT
SECONDARY = charts.SECONDARY_TEXT
DARK_BLUE = charts.DARK_BLUE
BLUE = charts.BLUE
PANEL = "#f0f4f5"
HIDDEN_CELL = "#d8dde0"


def slide_style(scale: float) -> str:
    """The slides' style sheet with every size multiplied by `scale` (1.0 = 1920×1080)."""

    def pt(size: float) -> str:
        return f"{max(7, round(size * scale))}pt"

    def px(size: float) -> str:
        return f"{max(1, round(size * scale))}px"

    return f"""
QLabel {{ color: {TEXT}; font-size: {pt(20)}; }}
QLabel#eyebrow {{ color: {SECONDARY}; font-size: {pt(24)}; }}
QLabel#systemName {{ color: {DARK_BLUE}; font-size: {pt(54)}; font-weight: 700; }}
QLabel#subtitle {{ color: {TEXT}; font-size: {pt(30)}; }}
QLabel#respondents {{ color: {TEXT}; font-size: {pt(26)}; }}
QLabel#note {{ color: {SECONDARY}; font-size: {pt(20)}; font-style: italic; }}
QLabel#overallHeading {{ color: {SECONDARY}; font-size: {pt(24)}; font-weight: 600; }}
QFrame#overallBox {{ background: {PANEL}; border-radius: {px(10)}; max-width: {px(440)}; }}
QLabel#overallLabel {{ color: {TEXT}; font-size: {pt(24)}; font-weight: 600; }}
QLabel#overallValue {{ color: {DARK_BLUE}; font-size: {pt(64)}; font-weight: 700; }}
QLabel#overallValueHidden {{ color: #aeb7bd; font-size: {pt(64)}; font-weight: 700; }}
QLabel#slideTitle {{ color: {DARK_BLUE}; font-size: {pt(36)}; font-weight: 700; }}
QLabel#hiddenPanel {{ color: {SECONDARY}; background: {PANEL}; font-size: {pt(32)}; border-radius: {px(12)}; }}
QLabel#domain {{ color: {SECONDARY}; font-size: {pt(22)}; font-weight: 600; }}
QLabel#code {{ color: #ffffff; background: {DARK_BLUE}; font-size: {pt(40)}; font-weight: 700;
    padding: {px(8)} {px(22)}; border-radius: {px(8)}; }}
QLabel#statement {{ color: {TEXT}; font-size: {pt(32)}; font-weight: 700; }}
QFrame#stageBox {{ background: {PANEL}; border-radius: {px(10)}; }}
QLabel#stageTitle {{ color: {DARK_BLUE}; font-size: {pt(22)}; font-weight: 700; }}
QLabel#stageBody {{ color: {TEXT}; font-size: {pt(20)}; }}
QLabel#columnHead {{ color: {SECONDARY}; font-size: {pt(20)}; font-weight: 600; }}
QLabel#levelHead {{ font-size: {pt(20)}; font-weight: 600; border-radius: {px(6)}; padding: {px(4)} {px(8)}; }}
QLabel#rowHead {{ color: {TEXT}; font-size: {pt(22)}; font-weight: 600; }}
QLabel#mean {{ color: {DARK_BLUE}; font-size: {pt(30)}; font-weight: 700; }}
QLabel#count {{ color: {TEXT}; font-size: {pt(26)}; font-weight: 600; border-radius: {px(6)}; }}
QLabel#countZero {{ color: #768692; font-size: {pt(26)}; }}
QLabel#hiddenCell {{ background: {HIDDEN_CELL}; border-radius: {px(6)}; font-size: {pt(26)}; font-weight: 600; }}
QLabel#hiddenMean {{ background: {HIDDEN_CELL}; border-radius: {px(6)}; font-size: {pt(30)}; font-weight: 700; }}
QLabel#agreed {{ color: {DARK_BLUE}; font-size: {pt(24)}; font-weight: 700; }}
"""


def footer_style(scale: float) -> str:
    size = max(7, round(18 * scale))
    number = max(7, round(22 * scale))
    return f"""
QLabel#hint {{ color: {SECONDARY}; font-size: {size}pt; }}
QLabel#hintRevealed {{ color: {BLUE}; font-size: {size}pt; font-weight: 600; }}
QLabel#slideNumber {{ color: {TEXT}; font-size: {number}pt; font-weight: 600; }}
"""


def _label(text: str = "", name: str = "", *, wrap: bool = True, align: Qt.AlignmentFlag | None = None) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if align is not None:
        label.setAlignment(align)
    return label


def _fluid(label: QLabel) -> QLabel:
    """A table cell whose width comes from its column's stretch, not its text (so revealing moves nothing)."""
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def _restyle(widget: QWidget, name: str) -> None:
    """Switch a widget to another style-sheet rule (by object name)."""
    if widget.objectName() != name:
        widget.setObjectName(name)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _mean_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _date_text(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {month_name(day)} {day.year}"


def _level_colour(index: int) -> str:
    colours = charts.LEVEL_COLOURS
    return colours[index % len(colours)]


def _blend(colour: str, strength: float) -> str:
    """`colour` mixed with white: strength 1 is the colour itself, 0 is white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 + (c - 255) * max(0.0, min(1.0, strength))) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _text_on(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#ffffff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else TEXT


# -- slides --------------------------------------------------------------------------------------


class Slide(QWidget):
    """One slide; `set_revealed` shows or hides its results (hidden results are not in any label)."""

    def __init__(self) -> None:
        super().__init__()
        self.revealed = False
        self.scale = 0.0

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed

    def settle(self) -> None:
        """Finish any pending drawing (charts) before a screenshot."""

    def apply_scale(self, scale: float) -> None:
        if abs(scale - self.scale) > 0.005:
            self.scale = scale
            self.setStyleSheet(slide_style(scale))
            layout = self.layout()
            if layout is not None:
                layout.invalidate()

    def needed_height(self, width: int) -> int:
        layout = self.layout()
        if layout is None:
            return self.sizeHint().height()
        layout.activate()
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(width)
        return layout.totalMinimumSize().height()

    def arrange(self, width: int) -> None:
        """Adjust the layout to the width before measuring (nothing by default)."""

    def fit(self, size: QSize, scale: float) -> None:
        """Apply `scale`, shrinking it step by step while the slide's text would not fit `size`."""
        current = scale
        self.apply_scale(current)
        self.arrange(size.width())
        while current > MIN_SCALE and self.needed_height(size.width()) > size.height():
            current = max(MIN_SCALE, current * 0.95)
            self.apply_scale(current)
            self.arrange(size.width())


class TitleSlide(Slide):
    def __init__(
        self,
        system_name: str,
        programme_name: str,
        assessment_line: str,
        respondents: int,
        illustrative: int,
        overall: Sequence[tuple[str, float | None]],
    ) -> None:
        super().__init__()
        self._overall = list(overall)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addStretch(2)
        centre = Qt.AlignmentFlag.AlignHCenter
        layout.addWidget(_label("Readiness results", "eyebrow", align=centre))
        layout.addWidget(_label(system_name, "systemName", align=centre))
        layout.addWidget(_label(programme_name, "subtitle", align=centre))
        layout.addWidget(_label(assessment_line, "subtitle", align=centre))
        layout.addSpacing(10)
        people = "1 respondent" if respondents == 1 else f"{respondents} respondents"
        layout.addWidget(_label(people, "respondents", align=centre))
        if illustrative:
            layout.addWidget(
                _label("Includes illustrative (generated) responses, for demonstration only.", "note", align=centre)
            )
        layout.addStretch(1)
        layout.addWidget(_label("Overall mean across capabilities", "overallHeading", align=centre))
        boxes = QHBoxLayout()
        boxes.setSpacing(30)
        boxes.addStretch(1)
        self.values: list[QLabel] = []
        for question_label, _value in self._overall:
            box = QFrame()
            box.setObjectName("overallBox")
            inner = QVBoxLayout(box)
            inner.setContentsMargins(36, 18, 36, 18)
            inner.addWidget(_label(question_label, "overallLabel", align=centre))
            value = _label("?", "overallValueHidden", wrap=False, align=centre)
            value.setAccessibleName(f"Overall mean, {question_label}")
            inner.addWidget(value)
            self.values.append(value)
            # Equal widths (up to the style's maximum), however long each question's label is.
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            boxes.addWidget(box, 4)
        boxes.addStretch(1)
        layout.addLayout(boxes)
        layout.addStretch(2)

    def set_revealed(self, revealed: bool) -> None:
        super().set_revealed(revealed)
        for label, (_question, value) in zip(self.values, self._overall, strict=True):
            label.setText(_mean_text(value) if revealed else "?")
            _restyle(label, "overallValue" if revealed else "overallValueHidden")


class ChartSlide(Slide):
    """A chart, drawn only when revealed (the figure is the result)."""

    def __init__(self, key: str, title: str, builder: Callable[[], Figure]) -> None:
        super().__init__()
        self.key = key
        self._builder = builder
        self.canvas: ChartCanvas | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.title = _label(title, "slideTitle")
        layout.addWidget(self.title)
        self.body = QStackedWidget()
        self.hidden_panel = _label(f"Chart hidden\n{HIDDEN_HINT}", "hiddenPanel", align=Qt.AlignmentFlag.AlignCenter)
        self.hidden_panel.setMinimumHeight(200)
        self.body.addWidget(self.hidden_panel)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.body, 1)

    def set_revealed(self, revealed: bool) -> None:
        super().set_revealed(revealed)
        if revealed:
            if self.canvas is None:
                from ui.widgets.chart_canvas import ChartCanvas

                self.canvas = ChartCanvas(accessible_name=self.title.text())
                self.body.addWidget(self.canvas)
                # Built now (the facilitator asked for it) and drawn once, at its full size, when painted.
                self.canvas.show_figure(self._build())
            self.body.setCurrentWidget(self.canvas)
        else:
            self.body.setCurrentWidget(self.hidden_panel)

    def _build(self) -> Figure:
        try:
            return self._builder()
        except Exception:  # a chart must never take the presentation down with it
            log.exception("Building the %s chart failed", self.key)
            return charts.message_figure("This chart could not be drawn.", self.title.text())

    def settle(self) -> None:
        if self.canvas is not None:
            self.canvas.flush_pending()


class CapabilitySlide(Slide):
    """A capability: statement, the domain's stage descriptions, the scale, and (revealed) the room's scores."""

    def __init__(
        self,
        framework: Framework,
        domain: Domain,
        capability: Capability,
        results: AssessmentResults,
        agreed: Mapping[str, object] | None,
        minimum_group: int = MINIMUM_GROUP,
    ) -> None:
        super().__init__()
        self.code = capability.code
        self._framework = framework
        self._results = results
        self._minimum = minimum_group
        self._agreed = agreed or {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)

        head = QHBoxLayout()
        head.setSpacing(26)
        code = _label(capability.code, "code", wrap=False, align=Qt.AlignmentFlag.AlignCenter)
        code.setAccessibleName(f"Capability {capability.code}")
        head.addWidget(code, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(_label(f"Domain {domain.number} · {domain.title}", "domain"))
        self.statement = _label(capability.statement, "statement")
        words.addWidget(self.statement)
        head.addLayout(words, 1)
        layout.addLayout(head)

        self._stages = QHBoxLayout()
        self._stages.setSpacing(20)
        self._stage_boxes: list[QFrame] = []
        self._stage_weights: list[int] = []
        for stage in framework.stages:
            box = QFrame()
            box.setObjectName("stageBox")
            inner = QVBoxLayout(box)
            inner.setContentsMargins(16, 10, 16, 12)
            inner.setSpacing(4)
            inner.addWidget(_label(stage.label or stage.title, "stageTitle"))
            bullets = domain.stages.get(stage.key, ())
            body = _label("\n".join(f"• {b}" for b in bullets) if bullets else "—", "stageBody")
            body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            inner.addWidget(body)
            inner.addStretch(1)
            self._stages.addWidget(box, 1)
            self._stage_boxes.append(box)
            self._stage_weights.append(len(stage.label or stage.title) + sum(len(b) for b in bullets))
        layout.addLayout(self._stages)

        # The results table: levels as columns (always shown, they explain the scale), values on reveal.
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        levels = list(framework.scale)
        grid.addWidget(_label("", "columnHead"), 0, 0)
        grid.addWidget(_fluid(_label("Mean", "columnHead", align=Qt.AlignmentFlag.AlignCenter)), 0, 1)
        self._level_colours = [_level_colour(i) for i in range(len(levels))]
        for i, level in enumerate(levels):
            colour = self._level_colours[i]
            head_label = _label(f"{level.level} {level.label}", "levelHead", align=Qt.AlignmentFlag.AlignCenter)
            head_label.setStyleSheet(f"background: {colour}; color: {_text_on(colour)};")
            grid.addWidget(_fluid(head_label), 0, 2 + i)
        dk_column = 2 + len(levels)
        grid.addWidget(_fluid(_label("Don't know", "columnHead", align=Qt.AlignmentFlag.AlignCenter)), 0, dk_column)
        self.cells: list[tuple[str, str, QLabel]] = []  # (question key, what, label)
        centre = Qt.AlignmentFlag.AlignCenter
        for row, question in enumerate(framework.questions, start=1):
            grid.addWidget(_label(question.label, "rowHead", wrap=False), row, 0)
            for column, what in [(1, "mean")] + [(2 + i, str(lv.level)) for i, lv in enumerate(levels)]:
                cell = _fluid(_label("", "hiddenMean" if what == "mean" else "hiddenCell", wrap=False, align=centre))
                grid.addWidget(cell, row, column)
                self.cells.append((question.key, what, cell))
            dk = _fluid(_label("", "hiddenCell", wrap=False, align=centre))
            grid.addWidget(dk, row, dk_column)
            self.cells.append((question.key, "dont_know", dk))
        grid.setColumnStretch(0, 0)
        grid.setColumnStretch(1, 2)
        for i in range(len(levels)):
            grid.setColumnStretch(2 + i, 4)
        grid.setColumnStretch(dk_column, 2)
        layout.addLayout(grid)
        self.agreed_label = _label(" ", "agreed")
        layout.addWidget(self.agreed_label)
        layout.addStretch(1)

    def arrange(self, width: int) -> None:
        """Share the width between the stage boxes so that the tallest is as short as possible."""
        boxes = self._stage_boxes
        if len(boxes) < 2:
            return
        spare = width - self._stages.spacing() * (len(boxes) - 1)
        best: tuple[int, list[int]] | None = None
        for extra in (0, 40, 80, 140, 220, 350, 600, 1000, 10**6):
            weights = [w + extra for w in self._stage_weights]
            total = sum(weights)
            tallest = max(
                box.heightForWidth(max(40, spare * weight // total)) for box, weight in zip(boxes, weights, strict=True)
            )
            if best is None or tallest < best[0]:
                best = (tallest, [max(1, round(1000 * weight / total)) for weight in weights])
        assert best is not None
        for box, stretch in zip(boxes, best[1], strict=True):
            self._stages.setStretchFactor(box, stretch)
        self._stages.invalidate()

    def set_agreed(self, agreed: Mapping[str, object] | None) -> None:
        """New agreed figures (recorded while the slide is up): shown at once when results are revealed."""
        self._agreed = agreed or {}
        if self.revealed:
            self.set_revealed(True)

    def _agreed_text(self) -> str:
        current, desired = self._agreed.get("agreed_current"), self._agreed.get("agreed_desired")
        if not isinstance(current, int) and not isinstance(desired, int):
            return "The group has not yet agreed a current maturity."
        parts = []
        if isinstance(current, int):
            parts.append(f"current {current} {self._framework.scale_label(current)}")
        if isinstance(desired, int):
            parts.append(f"desired {desired} {self._framework.scale_label(desired)}")
        elif self._agreed.get("desired_open"):
            parts.append("desired left open (?)")
        return "Agreed by the group: " + " → ".join(parts)

    def set_revealed(self, revealed: bool) -> None:
        super().set_revealed(revealed)
        for key, what, label in self.cells:
            label.setStyleSheet("")
            if not revealed:
                label.setText("")
                _restyle(label, "hiddenMean" if what == "mean" else "hiddenCell")
                continue
            result = self._results.result(self.code, key)
            if result.withheld:  # too few answers: nothing that could be one person's score
                label.setText("few" if what == "mean" else "")
                _restyle(label, "countZero")
                continue
            if what == "mean":
                label.setText(_mean_text(result.mean))
                _restyle(label, "mean")
                continue
            count = result.dont_know if what == "dont_know" else result.counts.get(int(what), 0)
            label.setText(str(count))
            _restyle(label, "count" if count else "countZero")
            if what != "dont_know" and count and result.n:
                # A heat map: the more people at a level, the stronger its colour.
                index = [s.level for s in self._framework.scale].index(int(what))
                background = _blend(self._level_colours[index], 0.22 + 0.78 * count / result.n)
                label.setStyleSheet(f"background: {background}; color: {_text_on(background)};")
        withheld = any(self._results.result(self.code, key).withheld for key, _what, _label in self.cells)
        note = f"  ·  “few”: fewer than {self._minimum} answered, not shown" if withheld else ""
        self.agreed_label.setText(self._agreed_text() + note if revealed else " ")  # a space keeps the line


# -- the window ----------------------------------------------------------------------------------


class PresentationWindow(QWidget):
    """Full-screen slides of one assessment's results. Construct, then call `start()`.

    The caller keeps a reference while it is open; it is not deleted on close.
    """

    closed = Signal()

    def __init__(
        self,
        store: Store,
        assessment_id: str,
        parent: QWidget | None = None,
        *,
        minimum_group: int = MINIMUM_GROUP,
        runner: EditRunner | None = None,
        console_screen: QScreen | None = None,
    ) -> None:
        """`runner` enables recording the agreement (G); with `console_screen`, the agreement panel is on a
        facilitator's window on that screen, never on the slides."""
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self._store = store
        self._runner = runner
        self._assessment_id = assessment_id
        assessment = store.get("assessments", assessment_id)
        self._framework = store.framework(assessment["framework_id"])
        programme = store.programme(assessment["programme_id"])
        # What the room sees: a question fewer than the minimum group answered shows no figures at all.
        self.minimum_group = minimum_group
        self._results = for_the_room(assessment_results(store, self._framework, assessment_id), minimum_group)
        agreed_rows = store.capability_results(assessment_id)
        self._agreed = {code: row.get("agreed_current") for code, row in agreed_rows.items()}
        self._previous, self._previous_label = self._previous_results(assessment_id)
        self._assessment_name = str(assessment["name"])
        self._index = 0
        self._reveal_all = False
        self._closed_emitted = False
        self._scale = 1.0

        self.setWindowTitle(f"Presentation — {self._assessment_name}")
        self.setAccessibleName("Presentation")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
        self.setPalette(palette)

        self.stack = QStackedWidget()
        self.slides: list[Slide] = []
        line = " · ".join(part for part in (self._assessment_name, _date_text(assessment["date"])) if part)
        self._add(
            TitleSlide(
                programme.system_name,
                programme.name,
                line,
                store.respondent_count(assessment_id),
                store.illustrative_respondents(assessment_id),
                [(q.label, self._results.overall(q.key)) for q in self._framework.questions],
            )
        )
        for key, title in charts.CHARTS.items():
            self._add(ChartSlide(key, title, self._chart_builder(key)))
        for domain in self._framework.domains:
            for capability in domain.capabilities:
                if capability.covered:
                    row = agreed_rows.get(capability.code)
                    self._add(
                        CapabilitySlide(self._framework, domain, capability, self._results, row, self.minimum_group)
                    )

        self.hint = _label(HIDDEN_HINT, "hint", wrap=False)
        self.hint.setAccessibleName("Keyboard hint")
        self.number = _label("", "slideNumber", wrap=False)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.number.setAccessibleName("Slide number")
        footer = QHBoxLayout()
        footer.addWidget(self.hint, 1)
        footer.addWidget(self.number)
        self._outer = QVBoxLayout(self)
        self._outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the screen decides the size
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addWidget(self.stack, 1)
        self._outer.addLayout(body, 1)
        self._outer.addLayout(footer)

        self.agreement: AgreementPanel | None = None
        self.console: FacilitatorConsole | None = None
        if runner is not None:
            from ui.readiness.agreement_panel import AgreementPanel

            self.agreement = AgreementPanel(runner, assessment_id, self._framework)
            self.agreement.leave_requested.connect(self._leave_agreement)
            self.agreement.create_areas_requested.connect(self.create_areas_from_focus)
            self.agreement.move_requested.connect(lambda step: self.go_to(self._index + step))
            runner.changed.connect(self._tables_changed)
            if console_screen is not None:
                from ui.readiness.facilitator_console import FacilitatorConsole

                self.console = FacilitatorConsole(self, self.agreement)
                self.console.setScreen(console_screen)
            else:
                # One screen: the panel sits beside the slide, shown only while the facilitator records (G).
                self.agreement.setMaximumWidth(520)
                self.agreement.setMinimumWidth(360)
                self.agreement.hide()
                body.addWidget(self.agreement)
        self._apply_window_scale(self._scale_for(self.size()))
        self._show(0)

    # -- data ------------------------------------------------------------------------------------

    def _previous_results(self, assessment_id: str) -> tuple[AssessmentResults | None, str]:
        previous_id = previous_assessment(self._store, assessment_id)
        if previous_id is None:
            return None, "Previous assessment"
        try:
            row = self._store.get("assessments", previous_id)
            framework = self._store.framework(row["framework_id"])
            earlier = assessment_results(self._store, framework, previous_id)
            return for_the_room(earlier, self.minimum_group), str(row["name"])
        except (sqlite3.Error, KeyError, ValueError):
            return None, "Previous assessment"

    def _chart_builder(self, key: str) -> Callable[[], Figure]:
        def build() -> Figure:
            # The first question ("now" in the shipped framework; an adapted one may name it otherwise).
            question = self._framework.questions[0].key if self._framework.questions else "now"
            if key == "distribution":
                # Wider and shorter than the export's shape, so its labels come out bigger on a 16:9 screen.
                rows = len(self._framework.covered_codes)
                return charts.distribution(
                    self._framework, self._results, question, width=11.5, height=max(5.2, 2.2 + 0.28 * rows)
                )
            return charts.build_chart(
                key,
                self._framework,
                self._results,
                question=question,
                previous=self._previous,
                agreed=self._agreed,
                previous_label=self._previous_label,
                current_label=self._assessment_name,
            )

        return build

    def _add(self, slide: Slide) -> None:
        self.slides.append(slide)
        self.stack.addWidget(slide)

    # -- public API --------------------------------------------------------------------------

    def start(self) -> None:
        """Show full screen on the title slide, results hidden (and the facilitator's console, if any)."""
        self._closed_emitted = False
        self.go_to(0)
        self.showFullScreen()
        if self.console is not None:
            self.console.showMaximized()
            self.console.activateWindow()
            return
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # -- agreement -------------------------------------------------------------------------------

    def agreement_visible(self) -> bool:
        """Whether the agreement panel is on the facilitator's screen (on the slides' screen: toggled by G)."""
        return self.agreement is not None and self.agreement.isVisibleTo(self.console or self)

    def open_agreement(self) -> None:
        """G: show the agreement panel for the capability on the slide and give it the keyboard."""
        if self.agreement is None:
            return
        if self.console is None:
            self.agreement.show()
            self._fit_current()
            self.agreement.current.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.console.raise_()
            self.console.activateWindow()
            self.agreement.current.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _leave_agreement(self) -> None:
        """Esc in the panel: back to the slides (on one screen the panel goes away)."""
        if self.console is not None:
            self.console.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        assert self.agreement is not None
        self.agreement.hide()
        self._fit_current()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _editing_agreement(self) -> bool:
        focused = QApplication.focusWidget()
        return self.agreement is not None and focused is not None and self.agreement.isAncestorOf(focused)

    def _tables_changed(self, tables: set[str]) -> None:
        if "capability_results" not in tables:
            return
        rows = self._store.capability_results(self._assessment_id)
        self._agreed = {code: row.get("agreed_current") for code, row in rows.items()}
        for slide in self.slides:
            if isinstance(slide, CapabilitySlide):
                slide.set_agreed(rows.get(slide.code))

    def create_areas_from_focus(self) -> None:
        """The focus capabilities agreed so far become areas of focus (a dialog, pre-ticked)."""
        if self._runner is None:
            return
        from ui.readiness.focus_areas_dialog import FocusAreasDialog

        if self.agreement is not None:
            self.agreement.flush()
        owner: QWidget = self.console if self.console is not None else self
        dialog = FocusAreasDialog(self._runner, self._assessment_id, owner)
        dialog.exec()

    def slide_count(self) -> int:
        return len(self.slides)

    def current_slide(self) -> int:
        return self._index

    def go_to(self, index: int) -> None:
        """Show slide `index` (clamped); its results are hidden unless reveal all is on."""
        self._show(max(0, min(index, len(self.slides) - 1)))

    def next_slide(self) -> None:
        self.go_to(self._index + 1)

    def previous_slide(self) -> None:
        self.go_to(self._index - 1)

    def reveal(self) -> None:
        """Show the current slide's results."""
        self._set_revealed(True)

    def hide_results(self) -> None:
        self._set_revealed(False)

    def is_revealed(self) -> bool:
        return self.slides[self._index].revealed

    def reveal_all(self) -> bool:
        return self._reveal_all

    def set_reveal_all(self, on: bool) -> None:
        self._reveal_all = on
        if on:
            self.reveal()
        else:
            self._update_footer()

    def grab_slides(self, folder: Path, limit: int | None = None) -> list[Path]:
        """Save a PNG of each slide (results revealed) into `folder`; returns the files written."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        was_index, was_revealed = self._index, self.is_revealed()
        count = len(self.slides) if limit is None else max(0, min(limit, len(self.slides)))
        paths: list[Path] = []
        app = QApplication.instance()
        try:
            for i in range(count):
                self.go_to(i)
                self.reveal()
                if app is not None:
                    app.processEvents()
                self.slides[i].settle()
                if app is not None:
                    app.processEvents()  # lay out and size a chart drawn just now
                path = folder / f"slide-{i + 1:02d}.png"
                if not self.grab().save(str(path)):
                    raise OSError(f"Could not save {path}")
                paths.append(path)
        finally:
            self.go_to(was_index)
            self._set_revealed(was_revealed)
        return paths

    # -- showing ---------------------------------------------------------------------------------

    def _show(self, index: int) -> None:
        if index != self._index:
            old = self.slides[self._index]
            if old.revealed:
                old.set_revealed(False)
            self._index = index
            slide = self.slides[index]
            if slide.revealed != self._reveal_all:
                slide.set_revealed(self._reveal_all)
        self.stack.setCurrentIndex(index)
        self._fit_current()
        self._update_footer()
        slide = self.slides[self._index]
        code = slide.code if isinstance(slide, CapabilitySlide) else None
        if self.agreement is not None and self.agreement.capability_code() != code:
            self.agreement.show_capability(code)
        if self.console is not None:
            self.console.follow(self._index, len(self.slides), code)

    def _set_revealed(self, revealed: bool) -> None:
        slide = self.slides[self._index]
        if slide.revealed != revealed:
            slide.set_revealed(revealed)
            self._fit_current()
        self._update_footer()

    def _update_footer(self) -> None:
        self.number.setText(f"{self._index + 1} / {len(self.slides)}")
        revealed = self.is_revealed()
        if revealed:
            text = "Results shown · R hides · A reveal all: " + ("on" if self._reveal_all else "off")
        else:
            agree = " · G agree" if self.agreement is not None and self.console is None else ""
            text = f"{HIDDEN_HINT} · → next · ← back{agree} · Esc leave"
        self.hint.setText(text)
        _restyle(self.hint, "hintRevealed" if revealed else "hint")

    # -- sizing ----------------------------------------------------------------------------------

    @staticmethod
    def _scale_for(size: QSize) -> float:
        # By area, so a 4:3 projector still gets large type; each slide then shrinks itself if needed.
        wide, high = size.width() / REFERENCE.width(), size.height() / REFERENCE.height()
        ratio = min(math.sqrt(wide * high), 1.25 * wide, 1.25 * high)
        return max(MIN_SCALE, min(1.6, ratio))

    def _apply_window_scale(self, scale: float) -> None:
        self._scale = scale
        margin_x, margin_y = round(70 * scale), round(40 * scale)
        self._outer.setContentsMargins(margin_x, margin_y, margin_x, round(24 * scale))
        self._outer.setSpacing(round(12 * scale))
        self.setStyleSheet(footer_style(scale))
        for slide in self.slides:
            slide.scale = 0.0  # refit when next shown

    def _fit_current(self) -> None:
        slide = self.slides[self._index]
        self._outer.activate()
        area = self.stack.size()
        if area.width() < 50 or area.height() < 50:  # not laid out yet: estimate from the window
            area = QSize(
                self.width() - 2 * round(70 * self._scale),
                self.height() - round(140 * self._scale),
            )
        slide.fit(area, self._scale)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scale = self._scale_for(event.size())
        if abs(scale - self._scale) > 0.005 or self.slides[self._index].scale == 0.0:
            self._apply_window_scale(scale)
        self._fit_current()

    # -- keys ------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._editing_agreement():
            # Keys the panel's fields did not use: only the page keys move the slides (and the panel with them).
            if key == Qt.Key.Key_PageDown:
                self.next_slide()
            elif key == Qt.Key.Key_PageUp:
                self.previous_slide()
            else:
                super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_G and self.agreement is not None:
            self.open_agreement()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down):
            self.next_slide()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace):
            self.previous_slide()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(len(self.slides) - 1)
        elif key == Qt.Key.Key_R:
            self._set_revealed(not self.is_revealed())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.is_revealed():
                self.next_slide()
            else:
                self.reveal()
        elif key == Qt.Key.Key_A:
            self.set_reveal_all(not self._reveal_all)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        if self.agreement is not None:
            self.agreement.flush()
        if self.console is not None:
            self.console.hide()
        self.hide()
        if not self._closed_emitted:
            self._closed_emitted = True
            self.closed.emit()
