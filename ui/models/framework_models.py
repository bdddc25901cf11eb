"""Table models over a framework: read-only views (capabilities, matrix) and the editor's working copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.errors import FrameworkError
from ics_desktop.frameworks import framework_edit as edit
from ics_desktop.frameworks.framework import Framework
from ui.models.base import Index as _Index
from ui.models.base import TableModel

NOT_COVERED = "Not covered on this programme"


class CapabilitiesModel(TableModel):
    """One row per capability: code, statement, domain and whether this programme covers it."""

    HEADERS = ("Code", "Capability", "Domain", "Covered")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._framework: Framework | None = None
        self._rows: list[tuple[str, str, str, bool]] = []

    def set_framework(self, framework: Framework | None) -> None:
        self.beginResetModel()
        self._framework = framework
        self._rows = (
            [
                (c.code, c.statement, f"{d.number}. {d.title}", c.covered)
                for d in framework.domains
                for c in d.capabilities
            ]
            if framework
            else []
        )
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(self.HEADERS)

    def column_title(self, column: int) -> str | None:
        return self.HEADERS[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        code, statement, domain, covered = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (code, statement, domain, "Yes" if covered else NOT_COVERED)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not covered:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None


class MatrixModel(TableModel):
    """The maturity matrix: one row per domain, one column per stage, bullets in each cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._framework: Framework | None = None

    def set_framework(self, framework: Framework | None) -> None:
        self.beginResetModel()
        self._framework = framework
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._framework.domains) if self._framework else 0

    def column_count(self) -> int:
        return 1 + len(self._framework.stages) if self._framework else 0

    def column_title(self, column: int) -> str | None:
        if not self._framework:
            return None
        return "Domain" if column == 0 else self._framework.stages[column - 1].label

    def column_tip(self, column: int) -> str | None:
        return self._framework.stages[column - 1].title if self._framework and column > 0 else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self._framework:
            return None
        domain = self._framework.domains[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return f"{domain.number}. {domain.title}"
            stage = self._framework.stages[index.column() - 1]
            return "\n".join(f"• {line}" for line in domain.stages.get(stage.key, ()))
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None


# -- the editor's working copy ----------------------------------------------------------------------


class FrameworkDocument(QObject):
    """A working copy of a framework, changed only through `framework_edit` operations, with undo.

    The history is plain Python (immutable frameworks before and after each edit): no Qt object
    holds a Python reference back to the document, so deleting the dialog that owns it is safe.
    """

    changed = Signal()
    failed = Signal(str)

    def __init__(self, framework: Framework, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._framework = framework
        self._undo: list[tuple[Framework, str]] = []
        self._redo: list[tuple[Framework, str]] = []

    @property
    def framework(self) -> Framework:
        return self._framework

    def apply(self, operation: Callable[[Framework], Framework], text: str) -> bool:
        """Run one edit; on a refusal emit `failed` with its message and change nothing."""
        try:
            after = operation(self._framework)
        except FrameworkError as exc:
            self.failed.emit(str(exc))
            return False
        if after != self._framework:
            self._undo.append((self._framework, text))
            self._redo.clear()
            self._set(after)
        return True

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_text(self) -> str:
        return self._undo[-1][1] if self._undo else ""

    def undo(self) -> None:
        if self._undo:
            before, text = self._undo.pop()
            self._redo.append((self._framework, text))
            self._set(before)

    def redo(self) -> None:
        if self._redo:
            after, text = self._redo.pop()
            self._undo.append((self._framework, text))
            self._set(after)

    def _set(self, framework: Framework) -> None:
        self._framework = framework
        self.changed.emit()


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return bool(value == Qt.CheckState.Checked.value)


class _DocumentModel(TableModel):
    """A table over a FrameworkDocument that follows its changes."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, document: FrameworkDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self._count = self._row_count()
        document.changed.connect(self._refresh)

    def _row_count(self) -> int:
        raise NotImplementedError

    def _refresh(self) -> None:
        count = self._row_count()
        if count == self._count:
            if count:
                self.dataChanged.emit(self.index(0, 0), self.index(count - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._count = count
        self.endResetModel()

    def row_count(self) -> int:
        return self._count

    def column_count(self) -> int:
        return len(self.HEADERS)

    def column_title(self, column: int) -> str | None:
        return self.HEADERS[column]


class EditableCapabilitiesModel(_DocumentModel):
    """The editor's capabilities: Domain, Code (editable), Statement (editable), Covered (a checkbox)."""

    HEADERS = ("Domain", "Code", "Statement", "Covered")
    DOMAIN, CODE, STATEMENT, COVERED = range(4)

    def _row_count(self) -> int:
        return len(self.document.framework.capabilities)

    def code_at(self, row: int) -> str:
        return self.document.framework.capabilities[row].code

    def row_of(self, code: str) -> int:
        """The row showing a capability code (-1 when there is none)."""
        for row, cap in enumerate(self.document.framework.capabilities):
            if cap.code == code:
                return row
        return -1

    def domain_index_at(self, row: int) -> int:
        code = self.code_at(row)
        return next(
            i for i, d in enumerate(self.document.framework.domains) if any(c.code == code for c in d.capabilities)
        )

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (self.CODE, self.STATEMENT):
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == self.COVERED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        framework = self.document.framework
        cap = framework.capabilities[index.row()]
        column = index.column()
        if column == self.DOMAIN and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.domain_label(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.DOMAIN:
                # The domain is written once, on its first capability: the rows below it belong to it.
                domain = framework.domain_of(cap.code)
                return self.domain_label(index.row()) if domain.capabilities[0].code == cap.code else ""
            if column == self.CODE:
                return cap.code
            if column == self.STATEMENT:
                return cap.statement
            return "Covered" if cap.covered else NOT_COVERED
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COVERED:
            return Qt.CheckState.Checked if cap.covered else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COVERED:
            return "Untick when this capability is not covered on this programme"
        if role == Qt.ItemDataRole.ForegroundRole and not cap.covered and column != self.DOMAIN:
            return QBrush(QColor("#6b7780"))
        if role == Qt.ItemDataRole.FontRole and column in (self.CODE, self.DOMAIN):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            vertical = Qt.AlignmentFlag.AlignVCenter if column == self.COVERED else Qt.AlignmentFlag.AlignTop
            return int(vertical | Qt.AlignmentFlag.AlignLeft)
        return None

    def domain_label(self, row: int) -> str:
        """'3. Strong financial management' for the capability in `row`."""
        domain = self.document.framework.domain_of(self.code_at(row))
        return f"{domain.number}. {domain.title}"

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= self._count:
            return False
        code = self.code_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COVERED:
            covered = _checked(value)
            label = "covered" if covered else "not covered"
            return self.document.apply(lambda fw: edit.set_covered(fw, code, covered), f"Mark {code} {label}")
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = "" if value is None else str(value)
        if column == self.CODE:
            return self.document.apply(lambda fw: edit.recode_capability(fw, code, text), f"Recode {code}")
        if column == self.STATEMENT:
            return self.document.apply(lambda fw: edit.reword_capability(fw, code, text), f"Reword {code}")
        return False


class DomainsModel(_DocumentModel):
    """The editor's domains: Number and Title (editable), and how many capabilities each holds."""

    HEADERS = ("Number", "Title", "Capabilities")
    NUMBER, TITLE, COUNT = range(3)

    def _row_count(self) -> int:
        return len(self.document.framework.domains)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() != self.COUNT else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        domain = self.document.framework.domains[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (domain.number, domain.title, str(len(domain.capabilities)))[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.row() >= self._count:
            return False
        row, text = index.row(), "" if value is None else str(value)
        if index.column() == self.NUMBER:
            return self.document.apply(lambda fw: edit.set_domain_number(fw, row, text), "Change a domain's number")
        if index.column() == self.TITLE:
            had_stages = bool(self.document.framework.domains[row].stages)
            what = "Rename a domain (its stage descriptions start empty)" if had_stages else "Change a domain's title"
            return self.document.apply(lambda fw: edit.set_domain_title(fw, row, text), what)
        return False
