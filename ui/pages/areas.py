"""Areas of focus: the programme's areas (as many as it needs), each edited in place; two overview tables as in
the ToR."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QKeySequence, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import NotFoundError, UserFacingError
from ics_desktop.planning import areas as core
from ui.areas.catalogue_dialog import CatalogueDialog
from ui.autosave import AutoSaver
from ui.fit import shrink, wrap
from ui.models.areas_model import (
    ID_ROLE,
    ITEM_SIZE,
    OUTCOMES,
    PLANS,
    AreasListModel,
    AreasTableModel,
    PickItem,
    PickListModel,
)
from ui.pages.base import Page
from ui.undo import EditRunner

TABLE = "areas_of_focus"
# Tables whose change can alter what the pick lists offer or show as ticked.
PICK_SOURCES = frozenset({TABLE, "workshop_catalogue", "people", "frameworks", "programmes"})
LINK_SOURCES = frozenset({TABLE, "milestones", "actions"})
LINK_TITLE_CHARS = 110


def _text_box(lines: int, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _pick_view(model: PickListModel, name: str, *, grid: QSize | None = None) -> QListView:
    """A checkable list; with `grid`, choices flow left to right in columns (short labels)."""
    view = QListView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long statements elide; tooltip in full
    if grid is None:
        view.setUniformItemSizes(True)
    else:
        view.setFlow(QListView.Flow.LeftToRight)
        view.setWrapping(True)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setGridSize(grid)
    return view


def _fit_grid(view: QListView, items: list[PickItem], widest: int, *, fixed: bool = False) -> None:
    """Columns as wide as the longest label (with its check box), no wider than `widest`; tall enough for
    every choice in two columns, so the usual catalogue and participant lists need no scrolling."""
    metrics = view.fontMetrics()
    text = max((metrics.horizontalAdvance(i.label) for i in items), default=80)
    grid = QSize(min(max(text + 32, 100), widest), metrics.height() + 8)
    if view.gridSize() != grid:
        view.setGridSize(grid)
    rows = min(max((len(items) + 1) // 2, 2), 8)
    height = rows * grid.height() + 2 * view.frameWidth() + 4
    if fixed:
        view.setFixedHeight(height)
    else:
        view.setMinimumHeight(height)


def _hint(text: str, tooltip: str) -> QLabel:
    label = QLabel(text)
    label.setToolTip(tooltip)
    label.setObjectName("pageNote")
    wrap(label)
    label.setStyleSheet("color: #425563;")
    label.hide()
    return label


def _field_label(text: str, buddy: QWidget, hint: str = "") -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    label.setBuddy(buddy)
    if hint:
        label.setToolTip(hint)
    return label


def _overview_table(model: AreasTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setStyleSheet("QTableView::item { padding: 6px 6px; }")  # breathing room between wrapped rows
    return view


class AreasPage(Page):
    """The areas of focus of one programme: a list on the left, the selected area's editor on the right."""

    title = "Areas of focus"

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        self._area_id: str | None = None
        self._row = 0  # where the shown area sits in the list (for choosing a neighbour when it goes)
        self.catalogue_dialog: CatalogueDialog | None = None
        # Connected before the AutoSaver's own handler: when undo removes the area being shown, the page
        # moves the editor to another area before the saver tries to re-read the vanished one.
        runner.changed.connect(self._tables_changed)
        self.saver = AutoSaver(runner, self)

        self.heading = QLabel("Areas of focus")
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_editor_tab(), "Ed&it")
        self.plans_model = AreasTableModel(runner, PLANS, self)
        self.outcomes_model = AreasTableModel(runner, OUTCOMES, self)
        self.plans_view = _overview_table(self.plans_model, "Areas of focus and preferred workshops")
        self.outcomes_view = _overview_table(self.outcomes_model, "Workshop outputs and outcomes")
        self._size_overview_columns()
        self.tabs.addTab(self.plans_view, "Wor&kshop plans")
        self.tabs.addTab(self.outcomes_view, "Outputs && outcome&s")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.tabs, 1)
        self._update_buttons()

    # -- building ----------------------------------------------------------------------------

    def _build_editor_tab(self) -> QWidget:
        """The list of areas (with its buttons and links) beside the selected area's editor."""
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_area_list())
        split.addWidget(self._build_area_editor())
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 900])
        split.setChildrenCollapsible(False)
        return split

    def _build_area_list(self) -> QWidget:
        """The areas in number order, Add / Remove / Move / Workshop catalogue, the area's milestones and actions."""
        self.list_model = AreasListModel(self._runner, self)
        self.area_list = QListView()
        self.area_list.setModel(self.list_model)
        self.area_list.setAccessibleName("Areas of focus")
        self.area_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.area_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.area_list.setWordWrap(True)
        self.area_list.setSpacing(2)
        self.area_list.selectionModel().currentChanged.connect(self._current_changed)

        self.add_button = QPushButton("&Add")
        self.add_button.setToolTip("Add an area of focus (Insert in the list)")
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.setToolTip("Remove the selected area of focus (Delete in the list)")
        self.up_button = QPushButton("Move &up")
        self.up_button.setToolTip("Move the selected area up (Alt+Up)")
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setToolTip("Move the selected area down (Alt+Down)")
        self.catalogue_button = QPushButton("Workshop &catalogue…")
        self.catalogue_button.setToolTip("The numbered workshops each area's preferred blend is picked from")
        for button, slot in (
            (self.add_button, self.add_area),
            (self.remove_button, self.remove_area),
            (self.up_button, self.move_up),
            (self.down_button, self.move_down),
            (self.catalogue_button, self.open_catalogue),
        ):
            button.clicked.connect(slot)
        # Alt+Up/Down anywhere on the page (even while typing a title); Insert/Delete only in the list.
        for sequence, owner, context, slot in (
            (QKeySequence("Alt+Up"), self, Qt.ShortcutContext.WidgetWithChildrenShortcut, self.move_up),
            (QKeySequence("Alt+Down"), self, Qt.ShortcutContext.WidgetWithChildrenShortcut, self.move_down),
            (QKeySequence("Insert"), self.area_list, Qt.ShortcutContext.WidgetShortcut, self.add_area),
            (
                QKeySequence(QKeySequence.StandardKey.Delete),
                self.area_list,
                Qt.ShortcutContext.WidgetShortcut,
                self.remove_area,
            ),
        ):
            shortcut = QShortcut(sequence, owner)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

        self.count_label = QLabel()
        self.count_label.setObjectName("pageNote")
        shrink(self.count_label)
        buttons = QGridLayout()
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.remove_button, 0, 1)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        buttons.addWidget(self.catalogue_button, 2, 0, 1, 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        self.links = QLabel()
        self.links.setObjectName("areaLinks")
        self.links.setTextFormat(Qt.TextFormat.RichText)
        self.links.setWordWrap(True)
        self.links.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.links.setAccessibleName("Milestones and actions of this area")
        left_layout.addWidget(self.area_list, 2)
        left_layout.addWidget(self.count_label)
        left_layout.addLayout(buttons)
        left_layout.addSpacing(10)
        left_layout.addWidget(self.links, 3)
        return left

    def _build_area_fields(self) -> None:
        """The editor's fields, bound one by one: text saves itself after a pause and on leaving the field."""
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Area title")
        self.narrative = _text_box(5, "Narrative")
        self.blend = QLineEdit()
        self.blend.setAccessibleName("Workshop blend")
        self.outputs = _text_box(4, "Planned workshop outputs, one per line")
        self.outcomes = _text_box(4, "Hoped-for outcomes, one per line")
        bind = self.saver.bind
        bind(self.title_edit, TABLE, "title", "area of focus title")
        bind(self.narrative, TABLE, "narrative", "area of focus narrative")
        bind(self.blend, TABLE, "blend", "workshop blend")
        bind(self.outputs, TABLE, "outputs", "planned workshop outputs", as_list=True)
        bind(self.outcomes, TABLE, "outcomes", "hoped-for outcomes", as_list=True)

        self.workshops_model = PickListModel(self)
        self.capabilities_model = PickListModel(self, elide=True)
        self.leads_model = PickListModel(self)
        self.workshops_model.toggled.connect(self._workshop_toggled)
        self.capabilities_model.toggled.connect(self._capability_toggled)
        self.leads_model.toggled.connect(self._lead_toggled)
        self.workshops_view = _pick_view(self.workshops_model, "Preferred workshops", grid=QSize(136, 26))
        self.capabilities_view = _pick_view(self.capabilities_model, "Capabilities addressed")
        self.leads_view = _pick_view(self.leads_model, "Topic leads", grid=QSize(172, 26))
        self.title_edit.setPlaceholderText("Name this area of focus")
        self.no_workshops = _hint(
            "No workshops in the catalogue yet.", "Add them with Workshop catalogue… (below the list of areas)"
        )
        self.no_leads = _hint("No participants yet.", "Add the programme's participants on the Overview page")

    def _build_area_editor(self) -> QWidget:
        """The selected area's editor in two columns (reading order left then right), scrolling when small."""
        self._build_area_fields()
        editor = QWidget()
        grid = QGridLayout(editor)
        grid.setContentsMargins(6, 0, 6, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        grid.addWidget(_field_label("&Title", self.title_edit), 0, 0, 1, 2)
        grid.addWidget(self.title_edit, 1, 0, 1, 2)
        left_col = QVBoxLayout()
        left_col.setSpacing(4)
        left_col.addWidget(_field_label("&Narrative", self.narrative))
        left_col.addWidget(self.narrative, 3)
        left_col.addSpacing(6)
        left_col.addWidget(
            _field_label("Workshop &blend", self.blend, "How the blend is described, e.g. 'Blend of workshops 4 and 5'")
        )
        left_col.addWidget(self.blend)
        left_col.addWidget(self.no_workshops)
        left_col.addWidget(self.workshops_view, 0)
        left_col.addSpacing(6)
        left_col.addWidget(_field_label("Planned workshop &outputs (one per line)", self.outputs))
        left_col.addWidget(self.outputs, 2)
        left_col.addSpacing(6)
        left_col.addWidget(_field_label("Hoped-for outco&mes (one per line)", self.outcomes))
        left_col.addWidget(self.outcomes, 2)
        right_col = QVBoxLayout()
        right_col.setSpacing(4)
        right_col.addWidget(_field_label("Ca&pabilities addressed", self.capabilities_view))
        right_col.addWidget(self.capabilities_view, 3)
        right_col.addSpacing(6)
        right_col.addWidget(_field_label("Topic &leads", self.leads_view, "Participants leading this topic"))
        right_col.addWidget(self.no_leads)
        right_col.addWidget(self.leads_view, 2)
        grid.addLayout(left_col, 2, 0)
        grid.addLayout(right_col, 2, 1)
        # Keyboard order follows the page's reading order: left column, then right.
        chain = [
            self.title_edit, self.narrative, self.blend, self.workshops_view, self.outputs, self.outcomes,
            self.capabilities_view, self.leads_view,
        ]  # fmt: skip
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        grid.setColumnStretch(0, 11)
        grid.setColumnStretch(1, 10)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(editor)
        editor.setMinimumSize(720, 600)
        return scroll

    def _size_overview_columns(self) -> None:
        for view, stretch in ((self.plans_view, (1,)), (self.outcomes_view, (1, 2))):
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            for column in stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            view.setColumnWidth(0, 230)
        self.plans_view.setColumnWidth(2, 190)

    # -- showing -----------------------------------------------------------------------------

    def set_programme(self, programme_id: str | None) -> None:
        self.saver.flush()
        if self.catalogue_dialog is not None:
            self.catalogue_dialog.close()
        self._programme_id = programme_id
        self.list_model.set_programme(programme_id)
        self.plans_model.set_programme(programme_id)
        self.outcomes_model.set_programme(programme_id)
        first = self.list_model.areas[0]["id"] if self.list_model.areas else None
        self._show_area(first)
        self._refresh_heading()

    def current_area_id(self) -> str | None:
        return self._area_id

    def select_area(self, area_id: str | None) -> None:
        """Show this area in the editor and select it in the list."""
        self._show_area(area_id)

    def _show_area(self, area_id: str | None) -> None:
        # Set first: saving what was typed in the previous area (inside load) reloads the list, which
        # must keep the new choice selected.
        self._area_id = area_id
        record = self._store.get(TABLE, area_id) if area_id else None
        try:
            self.saver.load({TABLE: record})
        except NotFoundError:  # typing pending in an area that undo has just removed: nothing to save it to
            self.saver.load({TABLE: record})
        self._select_in_list()
        self._refresh_picks()
        self._refresh_links()
        self._update_buttons()

    def _select_in_list(self) -> None:
        row = self.list_model.row_of(self._area_id)
        selection = self.area_list.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        self._row = row
        index = self.list_model.index(row)
        if self.area_list.currentIndex() != index:
            selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
        self.area_list.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        area_id = current.data(ID_ROLE) if current.isValid() else None
        if area_id is not None and area_id != self._area_id:
            self._show_area(area_id)

    def _refresh_heading(self) -> None:
        if self._programme_id is None:
            self.subheading.setText("No programme open.")
            self.count_label.setText("")
            return
        n = len(self.list_model.areas)
        system = self._store.programme(self._programme_id).system_name
        self.subheading.setText(
            f"What {system} will focus on in this programme: the workshops each area blends, the capabilities "
            "it moves, and what the workshops should produce."
        )
        self.count_label.setText(f"{n} area{'' if n == 1 else 's'} of focus")

    def _update_buttons(self) -> None:
        has_programme = self._programme_id is not None
        row = self.list_model.row_of(self._area_id)
        count = len(self.list_model.areas)
        full = count >= core.MAX_AREAS
        self.add_button.setEnabled(has_programme and not full)
        self.add_button.setToolTip(
            f"A programme has at most {core.MAX_AREAS} areas of focus"
            if full
            else "Add an area of focus (Insert in the list)"
        )
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.catalogue_button.setEnabled(has_programme)

    def _refresh_picks(self) -> None:
        """Offer the catalogue, the framework's capabilities and the participants; tick the area's choices."""
        area = self._store.get(TABLE, self._area_id) if self._area_id else None
        enabled = area is not None
        if self._programme_id is None:
            for model in (self.workshops_model, self.capabilities_model, self.leads_model):
                model.set_items([], [], enabled=False)
            return
        workshops = [
            PickItem(w["number"], f"{w['number']} — {w['title'] or 'Workshop ' + str(w['number'])}", w["description"])
            for w in core.catalogue(self._store, self._programme_id)
        ]
        framework = self._store.programme_framework(self._programme_id)
        capabilities = [
            PickItem(
                c.code,
                f"{c.code} {'(not covered) ' if not c.covered else ''}{c.statement}",
                f"{c.code} {c.statement}" + ("" if c.covered else "\nNot covered on this programme"),
                muted=not c.covered,
            )
            for c in framework.capabilities
        ]
        people = [
            PickItem(p.id, p.name or "(no name)", ", ".join(x for x in (p.role, p.organisation) if x))
            for p in self._store.people(self._programme_id, "participant")
        ]
        self.workshops_model.set_items(workshops, area["preferred_workshops"] if area else [], enabled)
        self.capabilities_model.set_items(capabilities, area["capabilities"] if area else [], enabled)
        self.leads_model.set_items(people, area["topic_leads"] if area else [], enabled)
        _fit_grid(self.workshops_view, workshops, 260, fixed=True)
        _fit_grid(self.leads_view, people, 240)
        # Every capability in view without scrolling (up to a long framework's worth).
        rows = min(len(capabilities), 16)
        self.capabilities_view.setMinimumHeight(rows * ITEM_SIZE.height() + 2 * self.capabilities_view.frameWidth() + 2)
        self.no_workshops.setVisible(not workshops)
        self.no_leads.setVisible(not people)
        numbers = area["preferred_workshops"] if area else []
        self.blend.setPlaceholderText(core.blend_phrase(numbers) or "e.g. Blend of workshops 4 and 5")

    def _refresh_links(self) -> None:
        """What points at the shown area: milestones (by its number) and actions, so a move's effect is visible."""
        if self._area_id is None or self._programme_id is None:
            self.links.setText(
                "<span style='color:#425563'>No areas of focus yet. <b>Add</b> (or Insert in the list) creates "
                "one; a programme has as many as it needs.</span>"
                if self._programme_id
                else ""
            )
            return
        area = self._store.get(TABLE, self._area_id)
        milestones = [m for m in self._store.milestones(self._programme_id) if area["number"] in m["areas"]]
        total, still_open = core.action_counts(self._store, self._area_id)
        lines = [f"<b>Milestones of area {area['number']}</b>"]
        for m in milestones:
            title = str(m["title"])
            short = title if len(title) <= LINK_TITLE_CHARS else title[: LINK_TITLE_CHARS - 1].rstrip() + "…"
            due = f" <span style='color:#425563'>({escape(m['milestone_year'] or m['due_date'] or '')})</span>"
            lines.append(f"• {escape(short)}{due if (m['milestone_year'] or m['due_date']) else ''}")
        if not milestones:
            lines.append("<span style='color:#425563'>None yet</span>")
        lines.append(f"<br><b>Actions</b>: {total}" + (f" ({still_open} open)" if total else ""))
        self.links.setText("<br>".join(lines))

    def _tables_changed(self, tables: set[str]) -> None:
        if self._programme_id is None:
            return
        if TABLE in tables:
            self.list_model.reload()
            self.plans_model.reload()
            self.outcomes_model.reload()
            if self.list_model.row_of(self._area_id) >= 0:
                self._select_in_list()
            else:  # gone (removed, or its addition undone): show a neighbour
                self._show_area(self._neighbour())
            self._refresh_heading()
        if tables & PICK_SOURCES:
            self._refresh_picks()
        if tables & LINK_SOURCES:
            self._refresh_links()
        self._update_buttons()

    def _neighbour(self) -> str | None:
        """The area now at the row the vanished one had (or the last)."""
        areas = self.list_model.areas
        return areas[min(self._row, len(areas) - 1)]["id"] if areas else None

    def showEvent(self, event: QShowEvent) -> None:
        # The framework page saves outside the undo stack, so look again at its capabilities when shown.
        super().showEvent(event)
        if self._programme_id is not None:
            self._refresh_picks()

    # -- editing the lists -------------------------------------------------------------------

    def _run_area_edit(self, field: str, value: Any) -> None:
        if self._area_id is None:
            return
        self._runner.run(core.set_area_field(self._store, self._area_id, field, value))

    def _toggled(self, model: PickListModel, key: Any, on: bool, stored: list[Any]) -> list[Any]:
        """The new list: the choices in their offered order, then anything stored that is no longer offered."""
        chosen = {k for k in stored if k != key} | ({key} if on else set())
        offered = model.keys()
        return [k for k in offered if k in chosen] + [k for k in stored if k not in offered and k in chosen]

    def _workshop_toggled(self, key: Any, on: bool) -> None:
        if self._area_id:
            stored = self._store.get(TABLE, self._area_id)["preferred_workshops"]
            self._run_area_edit("preferred_workshops", self._toggled(self.workshops_model, key, on, stored))

    def _capability_toggled(self, key: Any, on: bool) -> None:
        if self._area_id:
            stored = self._store.get(TABLE, self._area_id)["capabilities"]
            self._run_area_edit("capabilities", self._toggled(self.capabilities_model, key, on, stored))

    def _lead_toggled(self, key: Any, on: bool) -> None:
        if self._area_id:
            stored = self._store.get(TABLE, self._area_id)["topic_leads"]
            self._run_area_edit("topic_leads", self._toggled(self.leads_model, key, on, stored))

    # -- add, remove, reorder ----------------------------------------------------------------

    def add_area(self) -> str | None:
        """Add the next area (saved at once) and put the cursor in its title; returns its id."""
        if self._programme_id is None:
            return None
        self.saver.flush()
        try:
            edit = core.add_area(self._store, self._programme_id)
        except UserFacingError as exc:
            QMessageBox.information(self, "Add area of focus", str(exc))
            return None
        if not self._runner.run(edit):
            return None
        self._show_area(edit.record_id)
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return edit.record_id

    def remove_area(self) -> bool:
        """Remove the selected area after asking; its actions keep their text but lose the area."""
        if self._area_id is None:
            return False
        self.saver.flush()
        area = self._store.get(TABLE, self._area_id)
        actions, _still_open = core.action_counts(self._store, area["id"])
        detail = (
            f" Its {actions} action{'s' if actions != 1 else ''} will no longer have an area of focus."
            if actions
            else ""
        )
        answer = QMessageBox.question(
            self,
            "Remove area of focus",
            f"Remove {core.area_name(area)}?{detail} Later areas move up a number and milestones follow them.\n\n"
            "Edit ▸ Undo brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._runner.run(core.remove_area(self._store, area["id"]))

    def move_up(self) -> bool:
        return self._move(-1)

    def move_down(self) -> bool:
        return self._move(1)

    def _move(self, step: int) -> bool:
        if self._area_id is None:
            return False
        self.saver.flush()
        edit = core.move_area(self._store, self._area_id, step)
        return edit is not None and self._runner.run(edit)

    # -- the catalogue -----------------------------------------------------------------------

    def open_catalogue(self) -> CatalogueDialog | None:
        """Open (or raise) the catalogue editor beside the page, without blocking it."""
        if self._programme_id is None:
            return None
        if self.catalogue_dialog is None:
            dialog = CatalogueDialog(self._runner, self._programme_id, self)
            # Deleted once closed; connected with a bound method, never a lambda holding the dialog.
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(self._catalogue_closed)
            self.catalogue_dialog = dialog
        self.catalogue_dialog.show()
        self.catalogue_dialog.activateWindow()  # brings an already open one to the front
        return self.catalogue_dialog

    def _catalogue_closed(self, _result: int) -> None:
        self.catalogue_dialog = None

    # -- page protocol -----------------------------------------------------------------------

    def smoke_views(self, grab: Callable[[], QPixmap]) -> Iterator[tuple[str, QPixmap]]:
        """The two overview tables."""
        for index, name in ((1, "plans"), (2, "outcomes")):
            self.tabs.setCurrentIndex(index)
            yield name, grab()
        self.tabs.setCurrentIndex(0)

    def unsaved(self) -> list[str]:
        return self.saver.unsaved()

    def flush(self) -> None:
        self.saver.flush()
