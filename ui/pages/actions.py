"""Actions & milestones: every action in one filterable, sortable, editable table with progress notes; milestones.

Relationship managers keep these current between workshops, so everything is editable in place and
by keyboard: Ctrl+N adds (an action or a milestone, by tab), Delete removes (asking first; undoable),
Ctrl+F searches, and the table filters as you type, even over 10,000 actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.planning import actions as core
from ics_desktop.planning import milestones as ms
from ics_desktop.planning.actions import ActionFilter
from ui.actions.delegates import ChoiceDelegate, DueDateDelegate, LineDelegate, LongTextDelegate, TrackingDelegate
from ui.actions.dialogs import confirm_delete, describe_actions
from ui.actions.notes_panel import NotesPanel
from ui.fit import shrink, wrap
from ui.models import actions_model as am
from ui.models.actions_model import ActionsModel, MilestonesModel
from ui.models.actions_proxy import ActionsFilterProxy
from ui.pages.base import Page
from ui.undo import EditRunner

_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)
ACTIONS_TAB, MILESTONES_TAB = range(2)


def _combo(name: str, width: int) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setMinimumWidth(width)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def _fill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Replace a filter combo's items, keeping the chosen one when it is still there."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, value in items:
        combo.addItem(label, value)
    found = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)


class ActionsPage(Page):
    """All of a programme's actions and milestones, kept current between workshops."""

    title = "Actions & milestones"

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        runner.changed.connect(self._tables_changed)

        self.heading = QLabel("Actions & milestones")
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.subheading = QLabel()
        self.subheading.setObjectName("pageNote")
        wrap(self.subheading)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_actions_tab(), "Actions")
        self.tabs.addTab(self._build_milestones_tab(), "Milestones")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.tabs, 1)

    # -- actions tab -------------------------------------------------------------------------

    def _build_actions_tab(self) -> QWidget:
        """Filters, commands, the actions table and the selected action's notes below it."""
        self.model = ActionsModel(self._runner, self)
        self.proxy = ActionsFilterProxy(self.model, self)
        filters = self._build_action_filters()
        commands = self._build_action_commands()
        self._build_actions_table()
        self.notes = NotesPanel(self._runner)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._model_reset)
        self.model.dataChanged.connect(self._rows_changed)
        self.proxy.layoutChanged.connect(self._refresh_shown)
        self.proxy.rowsInserted.connect(self._refresh_shown)
        self.proxy.rowsRemoved.connect(self._refresh_shown)

        # Notes below the table: the table keeps the page's full width for its eight columns.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.notes)
        split.setStretchFactor(0, 1)
        split.setCollapsible(0, False)
        split.setSizes([480, 200])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addLayout(commands)
        layout.addWidget(split, 1)
        self._refresh_filters()
        self._update_buttons()
        return tab

    def _build_action_filters(self) -> QHBoxLayout:
        """Search (Ctrl+F), area, owner and status filters, Overdue only."""
        self.search = QLineEdit()
        self.search.setAccessibleName("Search actions")
        self.search.setPlaceholderText("Search actions, owners, areas, workshops… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self._search_done)
        self.area_filter = _combo("Area of focus filter", 200)
        self.owner_filter = _combo("Owner filter", 150)
        self.status_filter = _combo("Status filter", 150)
        statuses = [(am.status_label(s), s) for s in core.ACTION_STATUSES]
        _fill(self.status_filter, [("All statuses", None), ("Still open", core.OPEN), *statuses])
        self.status_filter.setItemData(
            1, "Open, in progress or blocked: not done or dropped", Qt.ItemDataRole.ToolTipRole
        )
        self.overdue_only = QCheckBox("O&verdue only")
        self.overdue_only.setAccessibleName("Overdue only")
        for combo in (self.area_filter, self.owner_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.overdue_only.toggled.connect(self.apply_filter)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for label, combo in (
            ("A&rea", self.area_filter),
            ("O&wner", self.owner_filter),
            ("S&tatus", self.status_filter),
        ):
            caption = QLabel(f"{label}:")
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        filters.addWidget(self.overdue_only)
        return filters

    def _build_action_commands(self) -> QHBoxLayout:
        """New action, Set status (a menu, also the table's context menu), Delete…, the count and the legend."""
        self.new_button = QPushButton("New action")
        self.new_button.setToolTip("Add an action (Ctrl+N)")
        self.new_button.clicked.connect(self.new_action)
        self.status_menu = QMenu(self)
        self.status_actions: dict[str, QAction] = {}
        for status in core.ACTION_STATUSES:
            act = self.status_menu.addAction(am.status_label(status))
            act.setData(status)
            act.triggered.connect(self._status_chosen)  # from this menu or the table's context menu
            self.status_actions[status] = act
        self.status_button = QPushButton("Set status")
        self.status_button.setAccessibleName("Set status of the selected actions")
        self.status_button.setToolTip("Set the status of every selected action (one undo step)")
        self.status_button.setMenu(self.status_menu)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected actions (Delete)")
        self.delete_button.clicked.connect(self.delete_selected_actions)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageNote")
        shrink(self.count_label)

        commands = QHBoxLayout()
        commands.addWidget(self.new_button)
        commands.addWidget(self.status_button)
        commands.addWidget(self.delete_button)
        commands.addSpacing(12)
        commands.addWidget(self.count_label, 1)
        legend = QLabel("Overdue actions are shaded red · type a due date as 31/1, 2w or next fri")
        legend.setObjectName("pageNote")
        shrink(legend)
        commands.addWidget(legend)
        return commands

    def _build_actions_table(self) -> None:
        """The table: sorted by due date, fixed row heights (10,000 rows never measured), a delegate per column."""
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Actions")
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(am.DUE, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(_EDIT_TRIGGERS)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        vertical = self.view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measure 10,000 rows
        vertical.setDefaultSectionSize(self.view.fontMetrics().height() + 12)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(am.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in am.ACTION_WIDTHS.items():
            self.view.setColumnWidth(column, width)
        self.action_delegates: list[TrackingDelegate] = [
            TrackingDelegate(self.view),
            LineDelegate("Owner", "A participant's name, or anyone", self._owner_names, self.view),
            DueDateDelegate(self.view),
            ChoiceDelegate(self._status_choices, "Status", self.view),
            ChoiceDelegate(self._area_choices, "Area of focus", self.view),
            LineDelegate("Capabilities", "Capability codes, e.g. 1.1, 4.2", parent=self.view),
        ]
        for column, delegate in zip(
            (am.TITLE, am.OWNER, am.DUE, am.STATUS, am.AREA, am.CAPABILITIES), self.action_delegates, strict=True
        ):
            self.view.setItemDelegateForColumn(column, delegate)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view, self.delete_selected_actions,
                  context=Qt.ShortcutContext.WidgetShortcut)  # fmt: skip

    def _owner_names(self) -> list[str]:
        return self.model.owner_names

    @staticmethod
    def _status_choices() -> list[tuple[str, Any]]:
        return [(am.status_label(s), s) for s in core.ACTION_STATUSES]

    def _area_choices(self) -> list[tuple[str, Any]]:
        return [("No area of focus", ""), *((label, area_id) for area_id, label in self.model.areas())]

    def current_filter(self) -> ActionFilter:
        return ActionFilter(
            text=self.search.text(),
            area_id=self.area_filter.currentData(),
            owner=self.owner_filter.currentData(),
            status=self.status_filter.currentData(),
            overdue_only=self.overdue_only.isChecked(),
        )

    def apply_filter(self) -> None:
        """Re-filter the table now (called as each letter is typed)."""
        self.proxy.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        for widget in (self.search, self.area_filter, self.owner_filter, self.status_filter, self.overdue_only):
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.area_filter, self.owner_filter, self.status_filter):
            combo.setCurrentIndex(0)
        self.overdue_only.setChecked(False)
        for widget in (self.search, self.area_filter, self.owner_filter, self.status_filter, self.overdue_only):
            widget.blockSignals(False)
        self.apply_filter()

    def _refresh_filters(self) -> None:
        """The area and owner choices follow the programme's areas and the owners actions have."""
        areas = [(label, area_id) for area_id, label in self.model.areas()]
        _fill(self.area_filter, [("All areas", None), *areas, ("No area of focus", core.NO_AREA)])
        owners = sorted({a.owner.strip() for a in self.model.rows} - {""}, key=str.casefold)
        _fill(self.owner_filter, [("All owners", None), *((o, o) for o in owners), ("No owner", core.NO_OWNER)])
        self.apply_filter()

    def _model_reset(self) -> None:
        self._refresh_filters()
        self._refresh_counts()
        self._current_changed()

    def _rows_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        owners = {a.owner.strip() for a in self.model.rows} - {""}
        if owners != {self.owner_filter.itemData(i) for i in range(1, self.owner_filter.count() - 1)}:
            self._refresh_filters()
        self._refresh_counts()
        current = self.view.currentIndex()
        if current.isValid() and top_left.row() <= self.proxy.mapToSource(current).row() <= bottom_right.row():
            self._current_changed()

    def _refresh_counts(self) -> None:
        self._refresh_shown()
        self._refresh_heading()

    def _refresh_shown(self) -> None:
        """'Showing 12 of 10,000 actions · 87 overdue' (cheap: runs at every keystroke in the search box)."""
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        overdue = self.model.counts()[1]
        showing = f"{total:,} actions" if shown == total else f"Showing {shown:,} of {total:,} actions"
        self.count_label.setText(f"{showing} · {overdue:,} overdue" if total else "No actions yet")

    def _refresh_heading(self) -> None:
        if self._programme_id is None:
            self.subheading.setText("No programme open")
            return
        open_count, overdue = self.model.counts()
        milestones = self.milestones_model.milestones
        late = sum(1 for m in milestones if ms.is_overdue(m, self.milestones_model.today))
        self.subheading.setText(
            f"{self.model.rowCount():,} actions · {open_count:,} open · {overdue:,} overdue  —  "
            f"{len(milestones)} milestones · {late} overdue"
        )

    def selected_action_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return self.proxy.action_ids(rows)

    def _current_changed(self, *_args: object) -> None:
        current = self.view.currentIndex()
        if current.isValid():
            self.notes.show_action(self.model.action(self.proxy.mapToSource(current).row()))
        else:
            self.notes.show_action(None)

    def _update_buttons(self) -> None:
        has = self.view.selectionModel().hasSelection()
        self.status_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.new_button.setEnabled(self._programme_id is not None)

    def _search_done(self) -> None:
        if self.proxy.rowCount():
            self.view.setFocus()
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.proxy.index(0, am.TITLE))

    def _status_chosen(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.set_status_of_selection(str(action.data()))

    def set_status_of_selection(self, status: str) -> None:
        """Every selected action to one status, as one undo step."""
        self.commit_editors()
        self.model.set_status(self.selected_action_ids(), status)

    def new_action(self) -> None:
        """Add an action and start typing its title."""
        self.commit_editors()
        action_id = self.model.add_action()
        if action_id is None:
            return
        row = self.model.row_of(action_id)
        index = self.proxy.mapFromSource(self.model.index(row, am.TITLE))
        if not index.isValid():  # hidden by the filters: show everything so the new action is visible
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(row, am.TITLE))
        self.tabs.setCurrentIndex(ACTIONS_TAB)
        self.view.setFocus()
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)
        self.view.edit(index)

    def delete_selected_actions(self) -> None:
        ids = self.selected_action_ids()
        if not ids:
            return
        self.commit_editors()
        titles = [self.model.action(self.model.row_of(i)).title for i in ids]
        if confirm_delete(self, "Delete actions", describe_actions(titles)):
            self.model.delete(ids)

    def _context_menu(self, point: QPoint) -> None:
        if not self.view.indexAt(point).isValid():
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("New action", self.new_action)
        status = menu.addMenu("Set status")
        for act in self.status_actions.values():
            status.addAction(act)
        menu.addSeparator()
        menu.addAction("Delete…", self.delete_selected_actions)
        menu.popup(self.view.viewport().mapToGlobal(point))

    # -- milestones tab ----------------------------------------------------------------------

    def _build_milestones_tab(self) -> QWidget:
        self.milestones_model = MilestonesModel(self._runner, self)
        self.milestones_view = QTableView()
        self.milestones_view.setModel(self.milestones_model)
        self.milestones_view.setAccessibleName("Milestones")
        self.milestones_view.setWordWrap(True)
        self.milestones_view.setAlternatingRowColors(True)
        self.milestones_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.milestones_view.setEditTriggers(_EDIT_TRIGGERS)
        self.milestones_view.verticalHeader().setVisible(False)
        self.milestones_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.milestones_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (am.M_AMBITION, am.M_TITLE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column, width in am.MILESTONE_WIDTHS.items():
            self.milestones_view.setColumnWidth(column, width)
        self.milestone_delegates: list[TrackingDelegate] = [
            LineDelegate("Ambition year", "e.g. 2020/21", parent=self.milestones_view),
            LongTextDelegate("Ambition", self.milestones_view),
            LineDelegate("Milestone year", "e.g. 2019/20", parent=self.milestones_view),
            LongTextDelegate("Milestone", self.milestones_view),
            DueDateDelegate(self.milestones_view),
            ChoiceDelegate(
                lambda: [(am.status_label(s), s) for s in core.MILESTONE_STATUSES], "Status", self.milestones_view
            ),
            LineDelegate("Areas of focus", "Area numbers, e.g. 1, 3", parent=self.milestones_view),
            LineDelegate("Capabilities", "Capability codes, e.g. 1.1, 4.2", parent=self.milestones_view),
        ]
        for column, delegate in enumerate(self.milestone_delegates):
            delegate.row_padding = 8
            self.milestones_view.setItemDelegateForColumn(column, delegate)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.milestones_view, self.delete_selected_milestones,
                  context=Qt.ShortcutContext.WidgetShortcut)  # fmt: skip
        self.milestones_model.modelReset.connect(self._refresh_heading)
        self.milestones_model.dataChanged.connect(self._refresh_heading)

        self.new_milestone_button = QPushButton("New milestone")
        self.new_milestone_button.setToolTip("Add a milestone (Ctrl+N)")
        self.new_milestone_button.clicked.connect(self.new_milestone)
        self.delete_milestone_button = QPushButton("Delete…")
        self.delete_milestone_button.setToolTip("Delete the selected milestones (Delete)")
        self.delete_milestone_button.clicked.connect(self.delete_selected_milestones)
        hint = QLabel(
            "Each ambition is reached through a milestone. Areas by number (1, 3); due dates as 31/3, 2w or next fri; "
            "overdue milestones not yet achieved are shaded red."
        )
        hint.setObjectName("pageNote")
        wrap(hint)
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.new_milestone_button)
        row.addWidget(self.delete_milestone_button)
        row.addSpacing(12)
        row.addWidget(hint, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.milestones_view, 1)
        return tab

    def new_milestone(self) -> None:
        self.commit_editors()
        milestone_id = self.milestones_model.add_milestone()
        if milestone_id is None:
            return
        self.tabs.setCurrentIndex(MILESTONES_TAB)
        index = self.milestones_model.index(self.milestones_model.row_of(milestone_id), am.M_AMBITION)
        self.milestones_view.setFocus()
        self.milestones_view.setCurrentIndex(index)
        self.milestones_view.scrollTo(index)
        self.milestones_view.edit(index)

    def delete_selected_milestones(self) -> None:
        rows = sorted({i.row() for i in self.milestones_view.selectionModel().selectedRows()})
        if not rows:
            return
        self.commit_editors()
        chosen = [self.milestones_model.milestone(r) for r in rows]
        if len(chosen) == 1:
            title = " ".join(chosen[0]["title"].split()) or "untitled"
            what = f"the milestone “{title if len(title) <= 60 else title[:59] + '…'}”"
        else:
            what = f"{len(chosen)} milestones"
        if confirm_delete(self, "Delete milestones", what):
            self.milestones_model.delete([m["id"] for m in chosen])

    # -- page ----------------------------------------------------------------------------------

    def set_programme(self, programme_id: str | None) -> None:
        self.flush()
        self._programme_id = programme_id
        self.milestones_model.set_programme(programme_id)
        self.model.set_programme(programme_id)
        self._update_buttons()
        self.new_milestone_button.setEnabled(programme_id is not None)

    def _tables_changed(self, tables: set[str]) -> None:
        if "milestones" in tables or "actions" in tables:
            self._refresh_heading()

    def commit_editors(self) -> None:
        """Save whatever cell is being typed into before anything else happens."""
        for delegate in (*self.action_delegates, *self.milestone_delegates):
            delegate.commit_open_editor()

    def flush(self) -> None:
        self.commit_editors()
        self.notes.flush()

    def event(self, event: QEvent) -> bool:
        # Ctrl+N and Ctrl+F mean "new action/milestone" and "search" on this page, even when the
        # window has its own Ctrl+N (new programme): claiming the override makes the key come here.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._page_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = self._page_key(event)
        if handler is None:
            super().keyPressEvent(event)
            return
        handler()
        event.accept()

    def _page_key(self, event: QKeyEvent) -> Callable[[], None] | None:
        if event.matches(QKeySequence.StandardKey.New):
            return self.new_milestone if self.tabs.currentIndex() == MILESTONES_TAB else self.new_action
        if event.matches(QKeySequence.StandardKey.Find):
            return self.focus_search
        return None

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(ACTIONS_TAB)
        self.search.setFocus()
        self.search.selectAll()

    def smoke_views(self, grab: Callable[[], QPixmap]) -> Iterator[tuple[str, QPixmap]]:
        """The milestones tab (the actions tab is the page's own screenshot)."""
        current = self.tabs.currentIndex()
        self.tabs.setCurrentIndex(MILESTONES_TAB)
        yield "milestones", grab()
        self.tabs.setCurrentIndex(current)
