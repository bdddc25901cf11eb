"""Item models of the Workshops page: the workshop list, checkable lists, and the running capture list."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.dates import DateError, month_abbr, weekday_abbr
from ics_desktop.errors import UserFacingError
from ics_desktop.planning import workshops as ws
from ics_desktop.storage.edits import Edit
from ics_desktop.storage.records import AreaRecord
from ui.models.base import Index as _Index
from ui.models.base import ListModel, TableModel
from ui.undo import EditRunner

CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1  # [(label, value)] offered by a combo box editor
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # the entry's kind key, for the badge delegate

KIND_LABELS = {"output": "Output", "decision": "Decision", "risk": "Risk", "action": "Action", "note": "Note"}
KIND_COLOURS = {  # NHS identity colours: calm, distinct, readable as white-on-colour badges
    "output": "#005eb8",
    "decision": "#007f3b",
    "risk": "#d5281b",
    "action": "#330072",
    "note": "#425563",
}
STATUS_LABELS = {"planned": "Planned", "held": "Held", "cancelled": "Cancelled"}
SECONDARY = QColor("#425563")
OVERDUE = QColor("#d5281b")


def _changed_rows(old: list[str], new: list[str]) -> tuple[str, int, int]:
    """How a list of ids changed: ("same"|"append"|"truncate"|"reset", first row, last row)."""
    if new == old:
        return "same", 0, len(new) - 1
    if len(new) > len(old) and new[: len(old)] == old:
        return "append", len(old), len(new) - 1
    if len(new) < len(old) and old[: len(new)] == new:
        return "truncate", len(new), len(old) - 1
    return "reset", 0, 0


# -- the list of workshops --------------------------------------------------------------------------


class WorkshopListModel(TableModel):
    """A programme's workshops: date, title, status and what was captured."""

    HEADERS = ("Date", "Workshop", "Status", "Captured")

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = runner.store
        self._programme_id: str | None = None
        self._rows: list[ws.WorkshopRow] = []
        runner.changed.connect(self._tables_changed)

    def set_programme(self, programme_id: str | None) -> None:
        self.beginResetModel()
        self._programme_id = programme_id
        self._rows = ws.list_workshops(self._store, programme_id) if programme_id else []
        self.endResetModel()

    def reload(self) -> None:
        fresh = ws.list_workshops(self._store, self._programme_id) if self._programme_id else []
        if [r.id for r in fresh] == [r.id for r in self._rows]:
            self._rows = fresh
            if fresh:
                self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, len(self.HEADERS) - 1))
        else:
            self.beginResetModel()
            self._rows = fresh
            self.endResetModel()

    def _tables_changed(self, tables: set[str]) -> None:
        if self._programme_id and tables & {"workshops", "workshop_items", "actions"}:
            self.reload()

    def workshop_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, workshop_id: str | None) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == workshop_id), -1)

    def rows(self) -> list[ws.WorkshopRow]:
        return list(self._rows)

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(self.HEADERS)

    def column_title(self, column: int) -> str | None:
        return self.HEADERS[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return ws.starts_at_text(row.starts_at, weekday=False)
            if column == 1:
                return row.title or "Untitled workshop"
            if column == 2:
                return STATUS_LABELS.get(row.status, row.status)
            return str(row.items + row.actions) if row.items + row.actions else "—"
        if role == Qt.ItemDataRole.ForegroundRole and (row.status == "cancelled" or column == 3):
            return QBrush(SECONDARY)
        if role == Qt.ItemDataRole.FontRole and row.status == "cancelled":
            font = QFont()
            font.setStrikeOut(column == 1)
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 3:
                return f"{row.items} outputs, decisions, risks and notes; {row.actions} actions"
            return "  ·  ".join(x for x in (row.title, ws.starts_at_text(row.starts_at), row.venue) if x)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


# -- checkable lists (areas of focus, attendees) ---------------------------------------------------


class CheckListModel(ListModel):
    """Labelled keys with check boxes; a click or Space emits `toggled`, the owner saves and reloads."""

    toggled = Signal(str, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, str, str]] = []  # key, label, tooltip
        self._checked: set[str] = set()

    def set_items(self, items: list[tuple[str, str, str]], checked: set[str]) -> None:
        if [i[0] for i in items] == [i[0] for i in self._items] and items == self._items:
            self._checked = set(checked)
            if items:
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1), [Qt.ItemDataRole.CheckStateRole])
            return
        self.beginResetModel()
        self._items, self._checked = list(items), set(checked)
        self.endResetModel()

    def checked_keys(self) -> list[str]:
        """Checked keys in list order."""
        return [key for key, _label, _tip in self._items if key in self._checked]

    def keys(self) -> list[str]:
        return [key for key, _label, _tip in self._items]

    def row_count(self) -> int:
        return len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key, label, tip = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if key in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.toggled.emit(self._items[index.row()][0], checked)
        return True


# -- the running list of a live capture -------------------------------------------------------------

COLUMNS = ("Time", "Kind", "Text", "Owner", "Due", "Area")
TIME, KIND, TEXT, OWNER, DUE, AREA = range(len(COLUMNS))
_WATCHED = frozenset({"workshop_items", "actions", "areas_of_focus", "people", "workshops"})


def local_time(stamp: str) -> str:
    """A stored UTC timestamp as the room's clock time, e.g. 14:32."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M")


def due_text(iso: str | None, today: date | None = None) -> str:
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    today = today or date.today()
    shown = f"{weekday_abbr(day)} {day.day} {month_abbr(day)}"
    return shown if day.year == today.year else f"{shown} {day.year}"


class CaptureModel(TableModel):
    """Everything captured in one workshop, oldest first; edits in place go through the undo stack."""

    problem = Signal(str)  # an edit that could not be saved, and why

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._workshop_id: str | None = None
        self._programme_id: str | None = None
        self._items: list[ws.CapturedItem] = []
        self.areas: list[AreaRecord] = []
        self.people: list[str] = []
        runner.changed.connect(self._tables_changed)

    # -- loading ------------------------------------------------------------------------------

    def set_workshop(self, workshop_id: str | None) -> None:
        self.beginResetModel()
        self._workshop_id = workshop_id
        self._programme_id = ws.workshop(self._store, workshop_id)["programme_id"] if workshop_id else None
        self._load_lookups()
        self._items = ws.captured_items(self._store, workshop_id) if workshop_id else []
        self.endResetModel()

    @property
    def workshop_id(self) -> str | None:
        return self._workshop_id

    def _load_lookups(self) -> None:
        programme_id = self._programme_id
        self.areas = self._store.areas_of_focus(programme_id) if programme_id else []
        self.people = ws.people_names(self._store, programme_id) if programme_id else []

    def reload(self) -> None:
        """Show what the store holds now, disturbing the view as little as possible."""
        if self._workshop_id is None:
            return
        self._load_lookups()
        fresh = ws.captured_items(self._store, self._workshop_id)
        how, first, last = _changed_rows([i.id for i in self._items], [i.id for i in fresh])
        if how == "append":
            self.beginInsertRows(QModelIndex(), first, last)
            self._items = fresh
            self.endInsertRows()
        elif how == "truncate":
            self.beginRemoveRows(QModelIndex(), first, last)
            self._items = fresh
            self.endRemoveRows()
        elif how == "same":
            self._items = fresh
            if fresh:
                self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self._items = fresh
            self.endResetModel()

    def _tables_changed(self, tables: set[str]) -> None:
        if self._workshop_id is None or not tables & _WATCHED:
            return
        if "workshops" in tables and not ws.workshop_exists(self._store, self._workshop_id):
            self.set_workshop(None)  # the workshop itself was deleted (or its creation undone)
            return
        self.reload()

    # -- access -------------------------------------------------------------------------------

    def item(self, row: int) -> ws.CapturedItem:
        return self._items[row]

    def items(self) -> list[ws.CapturedItem]:
        return list(self._items)

    def row_of(self, item_id: str) -> int:
        return next((i for i, item in enumerate(self._items) if item.id == item_id), -1)

    def row_count(self) -> int:
        return len(self._items)

    def column_count(self) -> int:
        return len(COLUMNS)

    def column_title(self, column: int) -> str | None:
        return COLUMNS[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(item, column)
        if role == KIND_ROLE:
            return item.kind
        if role == CHOICES_ROLE:
            if column == KIND:
                return [(label, key) for key, label in KIND_LABELS.items()]
            if column == AREA:
                return [("No area of focus", None)] + [(ws.area_label(a), a["id"]) for a in self.areas]
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == TIME:
                return QBrush(SECONDARY)
            if column == DUE and item.due_date and item.due_date < date.today().isoformat():
                return QBrush(OVERDUE)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column in (TEXT, AREA):
            return self._display(item, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == TIME:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None

    @staticmethod
    def _display(item: ws.CapturedItem, column: int) -> str:
        if column == TIME:
            return local_time(item.created)
        if column == KIND:
            return KIND_LABELS.get(item.kind, item.kind)
        if column == TEXT:
            return item.text
        if not item.is_action:
            return ""
        if column == OWNER:
            return item.owner
        if column == DUE:
            return due_text(item.due_date)
        return item.area

    @staticmethod
    def _edit_value(item: ws.CapturedItem, column: int) -> Any:
        if column == KIND:
            return item.kind
        if column == TEXT:
            return item.text
        if column == OWNER:
            return item.owner
        if column == DUE:
            if not item.due_date:
                return ""
            day = date.fromisoformat(item.due_date)
            return f"{day.day}/{day.month}/{day.year}"  # typed back the way capture reads it
        if column == AREA:
            return item.area_id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        column = index.column()
        if column in (KIND, TEXT) or (column in (OWNER, DUE, AREA) and self._items[index.row()].is_action):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # -- editing ------------------------------------------------------------------------------

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        item, column = self._items[index.row()], index.column()
        if value == self._edit_value(item, column):
            return False
        try:
            edit = self._edit_for(item, column, value)
        except (DateError, UserFacingError) as exc:
            self.problem.emit(str(exc))
            return False
        if edit is None:
            return False
        return self._runner.run(edit)

    def _edit_for(self, item: ws.CapturedItem, column: int, value: Any) -> Edit | None:
        if column == KIND:
            return ws.change_kind(self._store, item, str(value))
        if column == TEXT:
            text = "" if value is None else str(value)
            if not text.strip():
                raise ws.CaptureError("An entry needs some text; to remove it, select it and press Delete.")
            return ws.edit_text(self._store, item, text)
        if column == OWNER:
            return ws.edit_owner(self._store, item, "" if value is None else str(value), self.people)
        if column == DUE:
            day = ws.workshop_day(self._store, self._workshop_id) if self._workshop_id else None
            return ws.edit_due(self._store, item, "" if value is None else str(value), day)
        if column == AREA:
            return ws.edit_area(self._store, item, value or None)
        return None

    def remove(self, row: int) -> bool:
        """Delete one entry (undoable)."""
        if not 0 <= row < len(self._items):
            return False
        return self._runner.run(ws.delete_captured(self._items[row]))
