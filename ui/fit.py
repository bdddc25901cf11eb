"""Does a window fit its screen? Interactive widgets that cannot be reached within a given size.

Used by the smoke test (`--size WxH`, `clipped=N`) and its tests: a widget is clipped when its
rectangle, mapped to the window, leaves the window's intended bounds, unless it sits in a scroll
area that can scroll to it (then the scroll area itself must be reachable).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE: tuple[type[QWidget], ...] = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,  # spin boxes and date edits
    QAbstractItemView,  # tables, lists, trees
    QTabBar,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
)


def parse_size(text: str) -> QSize:
    """'1366x768' → QSize(1366, 768); ValueError on anything else."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 200 or int(height) < 200:
        raise ValueError(f"size must look like 1366x768, not {text!r}")
    return QSize(int(width), int(height))


def _interactive(widget: QWidget) -> bool:
    if isinstance(widget, QScrollBar) or not isinstance(widget, INTERACTIVE):
        return False
    # The parts of a composite control (a combo's line edit, a tab bar's scroll arrows, a spin box's
    # editor, a table's headers and corner button) are reached through the control itself.
    parent = widget.parentWidget()
    return not isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QAbstractScrollArea))


def _scroller(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area whose viewport holds `widget`, if any."""
    child = widget
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and child is parent.viewport():
            return parent
        child, parent = parent, parent.parentWidget()
    return None


def _reachable(widget: QWidget, window: QWidget, bounds: QRect) -> bool:
    area = _scroller(widget)
    if area is None:
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        return bounds.contains(rect)
    # Inside a scroll area: out of the viewport only along an axis that cannot scroll.
    viewport = area.viewport()
    rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    seen = viewport.rect()
    off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    if area.horizontalScrollBarPolicy() == off and (rect.left() < seen.left() or rect.right() > seen.right()):
        return False
    if area.verticalScrollBarPolicy() == off and (rect.top() < seen.top() or rect.bottom() > seen.bottom()):
        return False
    return _reachable(area, window, bounds)


def clipped_widgets(window: QWidget, size: QSize) -> list[QWidget]:
    """Visible interactive widgets of `window` out of reach within `size` (from its top-left)."""
    bounds = QRect(QPoint(0, 0), size)
    return [
        widget
        for widget in window.findChildren(QWidget)
        if widget.isVisible() and widget.window() is window and _interactive(widget)
        if not _reachable(widget, window, bounds)
    ]


def describe(widget: QWidget) -> str:
    """A short name for a clipped widget, for the smoke test's report."""
    name = widget.accessibleName() or widget.objectName()
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    return f"{type(widget).__name__}({name or text or '?'})"


def wrap(label: QLabel) -> QLabel:
    """Let a label of any length wrap (and, at worst, be cut) rather than widen its page."""
    label.setWordWrap(True)
    label.setMinimumWidth(1)
    return label


def shrink(label: QLabel) -> QLabel:
    """Keep a one-line label on one line at its full width when there is room, cut short when not."""
    label.setMinimumWidth(1)
    label.setToolTip(label.text())
    return label
