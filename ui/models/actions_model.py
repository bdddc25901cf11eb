"""Item models of the Actions & milestones page: actions (10,000 rows and still quick), notes, milestones.

Every edit goes through the window's EditRunner; the models reload what `runner.changed` names.
The actions model re-reads only the rows an edit touched, and sorts itself (in Python, with key
functions) so the proxy above it never calls back into Python for comparisons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.errors import UserFacingError
from ics_desktop.planning import actions as core
from ics_desktop.planning import milestones as ms
from ics_desktop.planning.actions import ActionRow
from ics_desktop.storage.edits import Edit
from ics_desktop.storage.records import MilestoneRecord
from ui.models.base import Index as _Index
from ui.models.base import TableModel
from ui.undo import EditRunner

_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1

OVERDUE_BACKGROUND = QBrush(QColor("#fde4e1"))
OVERDUE_TEXT = QBrush(QColor("#a4000f"))
MUTED_TEXT = QBrush(QColor("#768692"))
STATUS_TEXT = {
    "done": QBrush(QColor("#007f3b")),
    "blocked": QBrush(QColor("#b25600")),
    "achieved": QBrush(QColor("#007f3b")),
    "at risk": QBrush(QColor("#b25600")),
    "missed": QBrush(QColor("#a4000f")),
}


def status_label(status: str) -> str:
    return status[:1].upper() + status[1:]


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _report(runner: EditRunner, make: Callable[[], Edit | None]) -> bool:
    """Build an edit and run it; a user's mistake (a bad date, an unknown code) goes to the status bar."""
    try:
        edit = make()
    except UserFacingError as exc:
        runner.saved.emit(f"Not saved: {exc}")
        return False
    return edit is not None and runner.run(edit)


# -- actions ------------------------------------------------------------------------------------

TITLE, OWNER, DUE, STATUS, AREA, WORKSHOP, CAPABILITIES, NOTES = range(8)
ACTION_HEADERS = ("Action", "Owner", "Due", "Status", "Area of focus", "Workshop", "Capabilities", "Notes")
ACTION_FIELDS = {TITLE: "title", OWNER: "owner", DUE: "due_date", STATUS: "status", AREA: "area_id"}
ACTION_WIDTHS = {OWNER: 140, DUE: 100, STATUS: 92, AREA: 210, WORKSHOP: 140, CAPABILITIES: 96, NOTES: 56}


_READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_EDITABLE_COLUMNS = frozenset({TITLE, OWNER, DUE, STATUS, AREA, CAPABILITIES})


def _sort_key(column: int) -> Callable[[ActionRow], Any]:
    """The key a column sorts by; None marks a blank, which always sorts last."""
    order = {s: i for i, s in enumerate(core.ACTION_STATUSES)}
    keys: dict[int, Callable[[ActionRow], Any]] = {
        TITLE: lambda a: a.title.casefold() or None,
        OWNER: lambda a: a.owner.strip().casefold() or None,
        DUE: lambda a: a.due_date or None,
        STATUS: lambda a: order.get(a.status, 99),
        AREA: lambda a: a.area_number,
        WORKSHOP: lambda a: a.workshop.casefold() or None,
        CAPABILITIES: lambda a: (
            tuple(tuple(int(p) for p in c.split(".") if p.isdigit()) for c in a.capabilities) or None
        ),
        NOTES: lambda a: a.notes,
    }
    return keys[column]


class ActionsModel(TableModel):
    """A programme's actions, one per row; editable title, owner, due date, status, area and capabilities."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        runner.changed.connect(self._tables_changed)
        self.programme_id: str | None = None
        self.rows: list[ActionRow] = []  # read by the filter proxy
        self._row_of: dict[str, int] = {}
        self._since = ""  # the latest `modified` seen: rows stamped at or after it are re-read after an edit
        self._notes: dict[str, int] = {}
        self.today = core.today_iso()
        self._sort: tuple[int, Qt.SortOrder] = (DUE, Qt.SortOrder.AscendingOrder)
        self._areas: list[tuple[str, str]] = []  # (id, "1. Title")
        self._codes: list[str] = []
        self._bold = _bold()
        self.owner_names: list[str] = []
        self._stats: tuple[int, int] | None = None  # (open, overdue), counted when first asked after a change
        self._in_order = True  # the rows are in `_sort` order (false after an edit until sorted again)

    # -- loading ------------------------------------------------------------------------------

    def set_programme(self, programme_id: str | None) -> None:
        self.programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        """Read every action again (a programme opened, rows added or removed, areas renamed)."""
        self.today = core.today_iso()
        self.beginResetModel()
        pid = self.programme_id
        rows = core.action_rows(self._store, pid) if pid else []
        if self._sort != (DUE, Qt.SortOrder.AscendingOrder):  # action_rows come soonest due first already
            rows = self._sorted(rows, *self._sort)
        self._set_rows(rows)
        self._stats = None
        self._in_order = True
        self._notes = {a.id: a.notes for a in rows if a.notes}
        self._since = max((a.modified for a in rows), default="")
        self._areas = (
            [(a["id"], f"{a['number']}. {a['title']}") for a in self._store.areas_of_focus(pid)] if pid else []
        )
        self._codes = [c.code for c in self._store.programme_framework(pid).capabilities] if pid else []
        self.owner_names = core.owners(self._store, pid, rows) if pid else []
        self.endResetModel()

    def _set_rows(self, rows: list[ActionRow]) -> None:
        self.rows = rows
        self._row_of = {a.id: i for i, a in enumerate(rows)}

    def _tables_changed(self, tables: set[str]) -> None:
        if self.programme_id is None:
            return
        if tables & {"areas_of_focus", "workshops", "programmes", "frameworks"}:
            self.reload()
            return
        if "people" in tables:
            self.owner_names = core.owners(self._store, self.programme_id, self.rows)
        if not tables & {"actions", "action_notes"}:
            return
        count, fresh = core.actions_changed_since(self._store, self.programme_id, self._since)
        if count != len(self.rows) or any(a.id not in self._row_of for a in fresh):
            self.reload()  # rows were added or removed
            return
        changed = {a.id: a for a in fresh if a != self.rows[self._row_of[a.id]]}
        if "action_notes" in tables:
            notes = core.note_counts(self._store, self.programme_id)
            for action_id in set(notes) | set(self._notes):
                if notes.get(action_id, 0) != self._notes.get(action_id, 0):
                    current = changed.get(action_id) or self.rows[self._row_of[action_id]]
                    changed[action_id] = current._replace(notes=notes.get(action_id, 0))
            self._notes = notes
        self._since = max([self._since, *(a.modified for a in fresh)])
        if changed:
            self._stats = None
            self._in_order = False  # an edited row stays where it is until the next sort
        for action_id, action in changed.items():
            row = self._row_of[action_id]
            self.rows[row] = action
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(ACTION_HEADERS) - 1))
        if changed:
            self.owner_names = core.owners(self._store, self.programme_id, self.rows)

    # -- reading --------------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """(open, overdue) among all the programme's actions (kept until the rows change)."""
        if self._stats is None:
            today = self.today
            open_count = sum(1 for a in self.rows if a.status not in core.CLOSED_STATUSES)
            overdue = sum(1 for a in self.rows if a.is_overdue(today))
            self._stats = (open_count, overdue)
        return self._stats

    def action(self, row: int) -> ActionRow:
        return self.rows[row]

    def row_of(self, action_id: str) -> int:
        return self._row_of.get(action_id, -1)

    def areas(self) -> list[tuple[str, str]]:
        return list(self._areas)

    def capability_codes(self) -> list[str]:
        return list(self._codes)

    def row_count(self) -> int:
        return len(self.rows)

    def column_count(self) -> int:
        return len(ACTION_HEADERS)

    def column_title(self, column: int) -> str | None:
        return ACTION_HEADERS[column]

    def column_tip(self, column: int) -> str | None:
        return "Type a due date as 31/1, 31/01/2026, 2w, 10d, tomorrow or next fri" if column == DUE else None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # Called for every visible cell and role on each paint: cheap tests first, nothing allocated.
        if role in (_DISPLAY, _EDIT):
            a = self.rows[index.row()]
            column = index.column()
            if column == TITLE:
                return a.title
            if column == OWNER:
                return a.owner
            if column == DUE:
                return core.display_date(a.due_date)
            if column == STATUS:
                return status_label(a.status) if role == _DISPLAY else a.status
            if column == AREA:
                return a.area if role == _DISPLAY else (a.area_id or "")
            if column == WORKSHOP:
                return a.workshop
            if column == CAPABILITIES:
                return ", ".join(a.capabilities)
            return (a.notes or "") if role == _DISPLAY else a.notes
        if role == _BACKGROUND:
            return OVERDUE_BACKGROUND if self.rows[index.row()].is_overdue(self.today) else None
        if role == _FOREGROUND:
            a = self.rows[index.row()]
            if index.column() == DUE and a.is_overdue(self.today):
                return OVERDUE_TEXT
            if a.status == "dropped":
                return MUTED_TEXT
            return STATUS_TEXT.get(a.status) if index.column() == STATUS else None
        if role == _FONT:
            if index.column() == DUE and self.rows[index.row()].is_overdue(self.today):
                return self._bold
            return None
        if role == _TOOLTIP:
            a = self.rows[index.row()]
            column = index.column()
            if column == TITLE:
                return a.title or None
            if column == DUE and a.is_overdue(self.today):
                return f"Overdue: due {core.display_date(a.due_date)}"
            if column == AREA:
                return a.area or None
            if column == NOTES:
                return f"{a.notes} progress note{'s' if a.notes != 1 else ''}"
            return None
        if role == _ALIGN and index.column() == NOTES:
            return Qt.AlignmentFlag.AlignCenter
        if role == ID_ROLE:
            return self.rows[index.row()].id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # Asked for every painted cell: answer from constants rather than calling the base class.
        if not index.isValid():
            return _NO_FLAGS
        return _EDITABLE if index.column() in _EDITABLE_COLUMNS else _READ_ONLY

    # -- editing --------------------------------------------------------------------------------

    def setData(self, index: _Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or role != _EDIT:
            return False
        a = self.rows[index.row()]
        column = index.column()
        text = "" if value is None else str(value)

        def make() -> Edit | None:
            if column == DUE:
                new_due = core.due_date_value(text)
                return None if new_due == a.due_date else core.set_action_field(self._store, a.id, "due_date", new_due)
            if column == CAPABILITIES:
                codes = core.parse_capabilities(text, self._codes)
                if tuple(codes) == a.capabilities:
                    return None
                return core.set_action_field(self._store, a.id, "capabilities", codes)
            field = ACTION_FIELDS.get(column)
            if field is None:
                return None
            current = {"title": a.title, "owner": a.owner, "status": a.status, "area_id": a.area_id or ""}[field]
            if text == current:
                return None
            return core.set_action_field(self._store, a.id, field, text or None if field == "area_id" else text)

        return _report(self._runner, make)

    def add_action(self, **values: Any) -> str | None:
        """A new action (saved at once); returns its id."""
        if self.programme_id is None:
            return None
        edit = core.new_action(self.programme_id, **values)
        return edit.record_id if self._runner.run(edit) else None

    def set_status(self, action_ids: Sequence[str], status: str) -> bool:
        """One undoable step for several actions."""
        if not action_ids:
            return False

        def make() -> Edit | None:
            batch = core.set_statuses(self._store, action_ids, status)
            return batch if batch.edits else None

        return _report(self._runner, make)

    def delete(self, action_ids: Sequence[str]) -> bool:
        if not action_ids:
            return False
        return _report(self._runner, lambda: core.delete_actions(self._store, action_ids))

    # -- sorting --------------------------------------------------------------------------------

    @staticmethod
    def _sorted(rows: list[ActionRow], column: int, order: Qt.SortOrder) -> list[ActionRow]:
        key = _sort_key(column)
        keyed = [(key(a), a) for a in rows]
        filled = [pair for pair in keyed if pair[0] is not None]
        blanks = [a for k, a in keyed if k is None]
        filled.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        return [a for _k, a in filled] + blanks

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves (blanks last either way), keeping selections and the current cell."""
        if column < 0 or column >= len(ACTION_HEADERS):
            return
        if (column, order) == self._sort and self._in_order:
            return  # QTableView.sortByColumn asks twice
        self._sort = (column, order)
        self._in_order = True
        self.layoutAboutToBeChanged.emit()
        old_ids = [a.id for a in self.rows]
        self._set_rows(self._sorted(self.rows, column, order))
        persistent = self.persistentIndexList()
        moved = [self.index(self._row_of[old_ids[i.row()]], i.column()) for i in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort


# -- progress notes -------------------------------------------------------------------------------

NOTE_DATE, NOTE_TEXT = range(2)


class NotesModel(TableModel):
    """The dated progress notes of one action, oldest first; date and text editable."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        runner.changed.connect(self._tables_changed)
        self.action_id: str | None = None
        self.notes: list[dict[str, Any]] = []

    def set_action(self, action_id: str | None) -> None:
        self.beginResetModel()
        self.action_id = action_id
        self.notes = core.action_notes(self._store, action_id) if action_id else []
        self.endResetModel()

    def _tables_changed(self, tables: set[str]) -> None:
        if not tables & {"action_notes", "actions"}:
            return
        if self.action_id and not core.action_exists(self._store, self.action_id):
            self.set_action(None)
            return
        fresh = core.action_notes(self._store, self.action_id) if self.action_id else []
        if [n["id"] for n in fresh] == [n["id"] for n in self.notes]:
            self.notes = fresh
            if fresh:
                self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, 1))
        else:
            self.beginResetModel()
            self.notes = fresh
            self.endResetModel()

    def row_count(self) -> int:
        return len(self.notes)

    def column_count(self) -> int:
        return 2

    def column_title(self, column: int) -> str | None:
        return ("Date", "Progress note")[column]

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        note = self.notes[index.row()]
        if index.column() == NOTE_DATE:
            if role == _DISPLAY:
                return core.display_date(note["date"])
            if role == _EDIT:
                return QDate.fromString(note["date"], "yyyy-MM-dd")
            if role == _ALIGN:
                return Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        elif role in (_DISPLAY, _EDIT, _TOOLTIP):
            return note["text"]
        elif role == _ALIGN:
            return Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        if role == ID_ROLE:
            return note["id"]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: _Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or role != _EDIT:
            return False
        note = self.notes[index.row()]
        if index.column() == NOTE_DATE:
            new = value.toString("yyyy-MM-dd") if isinstance(value, QDate) else str(value)
            field = "date"
        else:
            new, field = ("" if value is None else str(value)), "text"
        if new == note[field]:
            return False
        return _report(self._runner, lambda: core.set_note_field(self._store, note["id"], field, new))

    def add(self, text: str, day: date | None = None) -> bool:
        """A new dated note on the current action (today unless a date is given)."""
        if not self.action_id:
            return False
        action_id = self.action_id
        when = (day or date.today()).isoformat()
        return _report(self._runner, lambda: core.add_note(self._store, action_id, text, when))

    def remove(self, row: int) -> bool:
        note_id = self.notes[row]["id"]
        return _report(self._runner, lambda: core.delete_note(self._store, note_id))


# -- milestones ----------------------------------------------------------------------------------

(M_AMBITION_YEAR, M_AMBITION, M_YEAR, M_TITLE, M_DUE, M_STATUS, M_AREAS, M_CAPABILITIES) = range(8)
MILESTONE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ambition_year", "Year"),
    ("ambition", "Ambition"),
    ("milestone_year", "Year"),
    ("title", "Milestone"),
    ("due_date", "Due"),
    ("status", "Status"),
    ("areas", "Areas of focus"),
    ("capabilities", "Capabilities"),
)
MILESTONE_HEADER_TIPS = {
    M_AMBITION_YEAR: "The year of the ambition, e.g. 2020/21",
    M_YEAR: "The year of the milestone on the way to it, e.g. 2019/20",
    M_DUE: "Type a due date as 31/3, 31/03/2020, 2w or next fri",
    M_AREAS: "Type the areas' numbers, e.g. 1, 3",
    M_CAPABILITIES: "Type capability codes, e.g. 1.1, 4.2",
}
MILESTONE_WIDTHS = {M_AMBITION_YEAR: 72, M_YEAR: 72, M_DUE: 104, M_STATUS: 92, M_AREAS: 230, M_CAPABILITIES: 100}


class MilestonesModel(TableModel):
    """A programme's ambitions and milestones in their order; every column editable."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        runner.changed.connect(self._tables_changed)
        self.programme_id: str | None = None
        self.milestones: list[MilestoneRecord] = []
        self._titles: dict[int, str] = {}
        self.today = core.today_iso()
        self._bold = _bold()

    def set_programme(self, programme_id: str | None) -> None:
        self.beginResetModel()
        self.programme_id = programme_id
        self._read()
        self.endResetModel()

    def _read(self) -> None:
        pid = self.programme_id
        self.today = core.today_iso()
        self.milestones = self._store.milestones(pid) if pid else []
        self._titles = ms.area_titles(self._store, pid) if pid else {}

    def _tables_changed(self, tables: set[str]) -> None:
        if self.programme_id is None or not tables & {"milestones", "areas_of_focus"}:
            return
        fresh = self._store.milestones(self.programme_id)
        if [m["id"] for m in fresh] == [m["id"] for m in self.milestones]:
            self._read()
            if self.milestones:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self.milestones) - 1, len(MILESTONE_COLUMNS) - 1)
                )
        else:
            self.beginResetModel()
            self._read()
            self.endResetModel()

    def milestone(self, row: int) -> MilestoneRecord:
        return self.milestones[row]

    def area_numbers(self) -> list[int]:
        return sorted(self._titles)

    def row_count(self) -> int:
        return len(self.milestones)

    def column_count(self) -> int:
        return len(MILESTONE_COLUMNS)

    def column_title(self, column: int) -> str | None:
        return MILESTONE_COLUMNS[column][1]

    def column_tip(self, column: int) -> str | None:
        return MILESTONE_HEADER_TIPS.get(column)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        m: Mapping[str, Any] = self.milestones[index.row()]  # read by column name
        column = index.column()
        field = MILESTONE_COLUMNS[column][0]
        overdue = ms.is_overdue(m, self.today)
        if role == _DISPLAY:
            if column == M_DUE:
                return core.display_date(m["due_date"])
            if column == M_STATUS:
                return status_label(m["status"])
            if column == M_AREAS:
                return ms.areas_label(m["areas"], self._titles)
            if column == M_CAPABILITIES:
                return ", ".join(m["capabilities"])
            return m[field]
        if role == _EDIT:
            if column == M_DUE:
                return core.display_date(m["due_date"])
            if column == M_AREAS:
                return ", ".join(str(n) for n in m["areas"])
            if column == M_CAPABILITIES:
                return ", ".join(m["capabilities"])
            return m[field]
        if role == _BACKGROUND:
            return OVERDUE_BACKGROUND if overdue else None
        if role == _FOREGROUND:
            if column == M_DUE and overdue:
                return OVERDUE_TEXT
            return STATUS_TEXT.get(m["status"]) if column == M_STATUS else None
        if role == _FONT and column == M_DUE and overdue:
            return self._bold
        if role == _TOOLTIP:
            if column == M_DUE and overdue:
                return f"Overdue: due {core.display_date(m['due_date'])} and not achieved"
            if column in (M_AMBITION, M_TITLE):
                return m[field] or None
        if role == _ALIGN:
            return Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        if role == ID_ROLE:
            return m["id"]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: _Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or role != _EDIT:
            return False
        m = self.milestones[index.row()]
        field = MILESTONE_COLUMNS[index.column()][0]
        text = "" if value is None else str(value)
        if text == self.data(index, _EDIT):
            return False
        return _report(self._runner, lambda: ms.set_from_text(self._store, m["id"], field, text))

    def add_milestone(self) -> str | None:
        if self.programme_id is None:
            return None
        edit = ms.new_milestone(self._store, self.programme_id)
        return edit.record_id if self._runner.run(edit) else None

    def delete(self, milestone_ids: Sequence[str]) -> bool:
        if not milestone_ids:
            return False
        return _report(self._runner, lambda: ms.delete_milestones(self._store, milestone_ids))

    def row_of(self, milestone_id: str) -> int:
        return next((i for i, m in enumerate(self.milestones) if m["id"] == milestone_id), -1)
