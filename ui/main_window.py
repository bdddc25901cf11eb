"""The main window: programme picker, navigation list on the left, one page at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.bundles.format import TABLES as PROGRAMME_TABLES
from ics_desktop.storage.records import Programme
from ics_desktop.storage.store import Store
from ui import settings as place
from ui.dialogs import DeleteProgrammeDialog, NewProgrammeDialog
from ui.pages.base import Page
from ui.periodic_backup import PeriodicBackup
from ui.undo import EditRunner

if TYPE_CHECKING:
    from ui.pages.actions import ActionsPage
    from ui.pages.areas import AreasPage
    from ui.pages.export import ExportPage
    from ui.pages.framework import FrameworkPage
    from ui.pages.overview import OverviewPage
    from ui.pages.readiness import ReadinessPage
    from ui.pages.roadmap import RoadmapPage
    from ui.pages.workshops import WorkshopsPage


def _overview(window: MainWindow) -> Page:
    from ui.pages.overview import OverviewPage

    page = OverviewPage(window.runner)
    page.programme_renamed.connect(window.refresh_programmes)
    return page


def _framework(window: MainWindow) -> Page:
    from ui.pages.framework import FrameworkPage

    return FrameworkPage(window.runner)


def _readiness(window: MainWindow) -> Page:
    from ui.pages.readiness import ReadinessPage

    return ReadinessPage(window.runner)


def _areas(window: MainWindow) -> Page:
    from ui.pages.areas import AreasPage

    return AreasPage(window.runner)


def _workshops(window: MainWindow) -> Page:
    from ui.pages.workshops import WorkshopsPage

    return WorkshopsPage(window.runner)


def _actions(window: MainWindow) -> Page:
    from ui.pages.actions import ActionsPage

    return ActionsPage(window.runner)


def _roadmap(window: MainWindow) -> Page:
    from ui.pages.roadmap import RoadmapPage

    return RoadmapPage(window.runner)


def _export(window: MainWindow) -> Page:
    from ui.pages.export import ExportPage

    return ExportPage(window.runner, settings=window.settings)


# (navigation title, builder): the titles match each page's own `title`.
PAGES: list[tuple[str, Callable[[MainWindow], Page]]] = [
    ("Overview", _overview),
    ("Framework", _framework),
    ("Readiness", _readiness),
    ("Areas of focus", _areas),
    ("Workshops", _workshops),
    ("Actions & milestones", _actions),
    ("Roadmap", _roadmap),
    ("Export", _export),
]


def _headings_never_widen(page: QWidget) -> None:
    """A page heading (or note) wraps, and a name too long to wrap is cut at the window's edge: a heading holding a
    4,000-character programme name made the window 60,000 pixels wide (and every chart with it)."""
    for label in page.findChildren(QLabel):
        if label.objectName() in ("pageHeading", "pageNote"):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
            label.setMinimumWidth(0)


# The window's size where the screen has room; on a smaller screen it takes the free area less the
# window manager's frame (title bar and borders, which resize() does not include).
PREFERRED_SIZE = QSize(1360, 860)
FRAME_ALLOWANCE = QSize(16, 40)


class MainWindow(QMainWindow):
    """One window; the store is passed in, never global.

    It reopens where the facilitator was (`settings`, by default the application's QSettings): the last
    programme and page of this database, the window's geometry and the splitters.
    """

    def __init__(self, store: Store, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.programme_id: str | None = None
        self.new_dialog: NewProgrammeDialog | None = None
        self.delete_dialog: DeleteProgrammeDialog | None = None
        self.setWindowTitle("ICS Desktop")
        self.fit_to_screen()

        self.runner = EditRunner(store, self)
        self.runner.saved.connect(self.show_saved)
        self.periodic_backup = PeriodicBackup(self.runner, parent=self)
        self.periodic_backup.failed.connect(self.show_saved)
        # Pages are built when first shown, so the window appears before their modules load.
        self._built: dict[int, Page] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Pages")
        self.stack = QStackedWidget()
        for number, (title, _factory) in enumerate(PAGES, start=1):
            self.nav.addItem(title)
            self.stack.addWidget(QWidget())  # a placeholder until the page is built
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{number}"))
            shortcut.triggered.connect(lambda _checked=False, row=number - 1: self.nav.setCurrentRow(row))
            self.addAction(shortcut)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setFixedWidth(200)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # Stays in view while changes can't be written: a status-bar message is gone in seconds.
        self.storage_banner = QLabel()
        self.storage_banner.setObjectName("storageBanner")
        self.storage_banner.setWordWrap(True)
        self.storage_banner.setAccessibleName("Changes not being saved")
        self.storage_banner.hide()
        self.runner.storage_problem.connect(self._show_storage_problem)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.storage_banner)
        # The file opened, but its automatic backup could not be written (a full disk, a blocked folder).
        self.backup_banner = QLabel(
            f"Automatic backups are not being taken. {store.backup_problem} Your changes are still saved."
        )
        self.backup_banner.setObjectName("storageBanner")
        self.backup_banner.setWordWrap(True)
        self.backup_banner.setAccessibleName("Backups not being taken")
        self.backup_banner.setVisible(bool(store.backup_problem))
        right.addWidget(self.backup_banner)
        right.addWidget(self.stack, 1)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addLayout(right, 1)
        self.setCentralWidget(central)

        self.picker = QComboBox()
        self.picker.setAccessibleName("Programme")
        self.picker.setMinimumWidth(420)
        # Its width never follows a name (a 4,000-character one made the window 60,000 pixels wide).
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(40)
        self.picker.setMaximumWidth(640)
        self.picker.currentIndexChanged.connect(self._picker_changed)
        self._build_actions()
        self.statusBar().showMessage(f"Database: {store.path}")
        self.refresh_programmes(select=place.last_programme(self.settings, store.path))
        page = place.last_page(self.settings, store.path)
        self.nav.setCurrentRow(page if 0 <= page < len(PAGES) else 0)
        self.restore_geometry()

    # -- where the facilitator was -----------------------------------------------------------

    def restore_geometry(self) -> None:
        """The size, position and screen the window had when it was last closed (if any)."""
        geometry = place.saved_bytes(self.settings, place.GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _splitters(self, index: int) -> list[QSplitter]:
        return self._built[index].findChildren(QSplitter)

    def _restore_splitters(self, index: int) -> None:
        for number, splitter in enumerate(self._splitters(index)):
            state = place.saved_bytes(self.settings, place.splitter_key(PAGES[index][0], number))
            if state is not None:
                splitter.restoreState(state)

    def save_place(self) -> None:
        """Remember the window's geometry and every built page's splitters (the programme and page are
        remembered as they change)."""
        self.settings.setValue(place.GEOMETRY, self.saveGeometry())
        for index in sorted(self._built):
            for number, splitter in enumerate(self._splitters(index)):
                self.settings.setValue(place.splitter_key(PAGES[index][0], number), splitter.saveState())
        self.settings.sync()

    def fit_to_screen(self) -> None:
        """Open at the preferred size, or smaller to fit the screen's free area (frame included), centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect(QPoint(0, 0), PREFERRED_SIZE)
        width = min(PREFERRED_SIZE.width(), available.width() - FRAME_ALLOWANCE.width())
        height = min(PREFERRED_SIZE.height(), available.height() - FRAME_ALLOWANCE.height())
        self.resize(width, height)
        self.move(
            available.left() + (available.width() - width - FRAME_ALLOWANCE.width()) // 2,
            available.top() + (available.height() - height - FRAME_ALLOWANCE.height()) // 2,
        )

    # -- pages ----------------------------------------------------------------------------------

    def page_at(self, index: int) -> Page:
        """The page at `index`, built (and shown the open programme) on first use."""
        page = self._built.get(index)
        if page is None:
            page = PAGES[index][1](self)
            _headings_never_widen(page)
            page.saved.connect(self.show_saved)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._built[index] = page
            self._restore_splitters(index)
            page.set_programme(self.programme_id)
        return page

    @property
    def pages(self) -> list[Page]:
        """Every page (building any not built yet)."""
        return [self.page_at(i) for i in range(len(PAGES))]

    def built_pages(self) -> list[Page]:
        return [self._built[i] for i in sorted(self._built)]

    def _show_page(self, row: int) -> None:
        if row >= 0:
            self.page_at(row)
            self.stack.setCurrentIndex(row)
            place.set_last_page(self.settings, self.store.path, row)

    @property
    def overview(self) -> OverviewPage:
        return cast("OverviewPage", self.page_at(0))

    @property
    def framework(self) -> FrameworkPage:
        return cast("FrameworkPage", self.page_at(1))

    @property
    def readiness(self) -> ReadinessPage:
        return cast("ReadinessPage", self.page_at(2))

    @property
    def areas(self) -> AreasPage:
        return cast("AreasPage", self.page_at(3))

    @property
    def workshops(self) -> WorkshopsPage:
        return cast("WorkshopsPage", self.page_at(4))

    @property
    def actions_page(self) -> ActionsPage:
        return cast("ActionsPage", self.page_at(5))

    @property
    def roadmap(self) -> RoadmapPage:
        return cast("RoadmapPage", self.page_at(6))

    @property
    def export(self) -> ExportPage:
        return cast("ExportPage", self.page_at(7))

    def _build_actions(self) -> None:
        new = QAction("&New programme…", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(self.new_programme)
        duplicate = QAction("&Duplicate programme…", self)
        duplicate.setShortcut(QKeySequence("Ctrl+Shift+D"))
        duplicate.triggered.connect(self.duplicate_programme)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        about = QAction("&About ICS Desktop", self)
        about.triggered.connect(self.about)
        export_bundle = QAction("&Export programme bundle…", self)
        export_bundle.triggered.connect(self.export_bundle)
        import_bundle = QAction("&Import programme bundle…", self)
        import_bundle.triggered.connect(self.import_bundle)
        merge_bundle = QAction("&Merge bundle into this programme…", self)
        merge_bundle.triggered.connect(self.merge_bundle)
        delete = QAction("De&lete programme…", self)
        delete.triggered.connect(self.delete_programme)
        show_sample = QAction("Show the &sample programme", self)
        show_sample.setCheckable(True)
        show_sample.setChecked(not place.hide_sample(self.settings))
        show_sample.toggled.connect(self.set_sample_shown)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([new, duplicate, delete])
        file_menu.addSeparator()
        file_menu.addActions([export_bundle, import_bundle, merge_bundle])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        undo = self.runner.undo_action(self)
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.runner.redo_action(self)
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        programmes_menu = self.menuBar().addMenu("&Programmes")
        programmes_menu.addActions([new, duplicate, delete])
        programmes_menu.addSeparator()
        programmes_menu.addAction(show_sample)
        self.delete_action, self.show_sample_action = delete, show_sample
        self.menuBar().addMenu("&Help").addAction(about)

        toolbar = QToolBar("Programme")
        toolbar.setObjectName("programmeToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Programme: "))
        toolbar.addWidget(self.picker)
        toolbar.addAction(new)
        toolbar.addAction(duplicate)
        self.addToolBar(toolbar)
        self.new_action, self.duplicate_action = new, duplicate

    # -- programmes --------------------------------------------------------------------------

    def refresh_programmes(self, select: str | None = None) -> None:
        """Reload the picker, keeping (or moving to) the selected programme."""
        wanted = select or self.programme_id
        self.picker.blockSignals(True)
        self.picker.clear()
        for programme in self.listed_programmes():
            self.picker.addItem(programme.label, programme.id)
            if programme.sample:
                self.picker.setItemData(
                    self.picker.count() - 1,
                    "The sample programme (illustrative scores); Programmes ▸ Show the sample programme hides it",
                    Qt.ItemDataRole.ToolTipRole,
                )
        index = self.picker.findData(wanted) if wanted else -1
        self.picker.setCurrentIndex(index if index >= 0 else (0 if self.picker.count() else -1))
        self.picker.blockSignals(False)
        self.duplicate_action.setEnabled(self.picker.count() > 0)
        self.delete_action.setEnabled(self.picker.count() > 0)
        new_id = self.picker.currentData()
        if new_id != self.programme_id:
            self.open_programme(new_id)

    def listed_programmes(self) -> list[Programme]:
        """The programmes the picker offers: all of them, less the sample when it is hidden."""
        hidden = place.hide_sample(self.settings)
        return [p for p in self.store.programmes() if not (hidden and p.sample)]

    def set_sample_shown(self, shown: bool) -> None:
        """List or hide the sample programme (remembered); hiding it while open moves to another."""
        place.set_hide_sample(self.settings, not shown)
        self.refresh_programmes()
        if self.show_sample_action.isChecked() != shown:
            self.show_sample_action.setChecked(shown)

    def _picker_changed(self, _index: int) -> None:
        self.open_programme(self.picker.currentData())

    def unsaved(self) -> list[str]:
        """Fields whose typed text could not be saved at the last flush (a full disk)."""
        return [label for page in self.built_pages() for label in page.unsaved()]

    def open_programme(self, programme_id: str | None) -> None:
        for page in self.built_pages():
            page.flush()
        if programme_id != self.programme_id and self.programme_id is not None and (unsaved := self.unsaved()):
            # Typed text that could not be saved lives only in this programme's fields: stay with it.
            self.picker.blockSignals(True)
            self.picker.setCurrentIndex(self.picker.findData(self.programme_id))
            self.picker.blockSignals(False)
            QMessageBox.warning(
                self,
                "Not saved yet",
                "Some text could not be saved (the disk may be full), so this programme stays open with it "
                f"in its fields: {_listed(unsaved)}.\n\nFree some space, then switch programme again.",
            )
            return
        self.runner.clear()  # undo history belongs to the programme it was made in
        self.programme_id = programme_id
        place.set_last_programme(self.settings, self.store.path, programme_id)
        for page in self.built_pages():
            page.set_programme(programme_id)
        if programme_id:
            programme = self.store.programme(programme_id)
            self.setWindowTitle(f"{programme.name} — {programme.system_name} — ICS Desktop")
        else:
            self.setWindowTitle("ICS Desktop")

    def new_programme(self) -> None:
        """Open the New programme dialog (window-modal; it creates the programme itself on OK)."""
        if self.new_dialog is not None:
            self.new_dialog.deleteLater()
        dialog = NewProgrammeDialog(self.runner, self)
        dialog.accepted.connect(self._programme_created)
        self.new_dialog = dialog
        dialog.open()

    def _programme_created(self) -> None:
        dialog = self.new_dialog
        if dialog is None or dialog.programme_id is None:
            return
        self.refresh_programmes(select=dialog.programme_id)
        self.show_saved(f"Created programme {dialog.programme_name()}")

    def duplicate_programme(self) -> None:
        if not self.programme_id:
            return
        current = self.store.programme(self.programme_id)
        name, ok = QInputDialog.getText(self, "Duplicate programme", "Name of the copy:", text=f"{current.name} (copy)")
        if not ok:
            return
        source = self.programme_id
        programme_id = self.runner.write(
            f"copy {name.strip()}", PROGRAMME_TABLES, lambda: self.store.duplicate_programme(source, name)
        )
        if programme_id is None:
            QMessageBox.warning(self, "Duplicate programme", str(self.runner.last_refusal))
            return
        self.refresh_programmes(select=programme_id)
        self.show_saved(f"Duplicated as {name.strip()}")

    def delete_programme(self) -> None:
        """Ask for the open programme's name to be typed, then delete it (a backup is taken first)."""
        if not self.programme_id:
            return
        if self.delete_dialog is not None:
            self.delete_dialog.deleteLater()
        dialog = DeleteProgrammeDialog(self.store.programme(self.programme_id), self)
        dialog.accepted.connect(self._delete_confirmed)
        self.delete_dialog = dialog
        dialog.open()

    def _delete_confirmed(self) -> None:
        dialog = self.delete_dialog
        if dialog is None or dialog.programme.id != self.programme_id:
            return
        programme = dialog.programme
        self.open_programme(None)  # pages save what was typed and let go of the programme first
        if self.programme_id is not None:  # text that could not be saved keeps it open (a full disk)
            return
        done = self.runner.write(
            f"deletion of programme {programme.name}",
            PROGRAMME_TABLES,
            lambda: (self.store.delete_programme(programme.id),),  # a tuple: "done" even without a backup
        )
        if done is None:
            QMessageBox.warning(
                self, "Delete programme", f"'{programme.name}' was not deleted: {self.runner.last_refusal}"
            )
            self.refresh_programmes(select=programme.id)
            return
        (backup,) = done
        self.refresh_programmes()
        kept = f" (backup: {backup.name})" if backup is not None else ""
        self.show_saved(f"Deleted programme {programme.name}{kept}")

    # -- bundles between laptops -------------------------------------------------------------

    def export_bundle(self) -> None:
        from ui.bundle_dialogs import export_bundle

        if self.programme_id:
            for page in self.built_pages():
                page.flush()
            path = export_bundle(self, self.runner, self.programme_id)
            if path:
                self.show_saved(f"Wrote bundle {path}")

    def import_bundle(self) -> None:
        from ui.bundle_dialogs import import_bundle

        programme_id = import_bundle(self, self.runner)
        if programme_id:
            self.refresh_programmes(select=programme_id)
            self.show_saved("Imported the bundle as a new programme")

    def merge_bundle(self) -> None:
        from ui.bundle_dialogs import merge_bundle

        if not self.programme_id:
            return
        for page in self.built_pages():
            page.flush()
        dialog = merge_bundle(self, self.runner, self.programme_id)
        if dialog is not None:
            dialog.merged.connect(self._after_merge)
            self._merge_dialog = dialog  # keep a reference while it is open

    def _after_merge(self, result: object) -> None:
        # The merge wrote outside the undo stack: reload everything and forget the history.
        current = self.programme_id
        self.programme_id = None
        self.refresh_programmes(select=current)
        notes = getattr(result, "notes", [])
        self.show_saved(" ".join(["Merged the bundle.", *notes]))

    def about(self) -> None:
        from ui.about import AboutDialog

        dialog = AboutDialog(str(self.store.path), self)
        dialog.open()
        self._about = dialog  # keep a reference while it is open

    # -- status and lifecycle -----------------------------------------------------------------

    def _show_storage_problem(self, message: str) -> None:
        self.storage_banner.setText(f"Changes are not being saved. {message}" if message else "")
        self.storage_banner.setVisible(bool(message))

    def show_saved(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.built_pages():
            page.flush()
        unsaved = self.unsaved()
        if unsaved:
            answer = QMessageBox.warning(
                self,
                "Not saved yet",
                f"Some text could not be saved (the disk may be full): {_listed(unsaved)}.\n\n"
                "Free some space and keep working to save it, or close and lose it.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.save_place()
        self.periodic_backup.finish()  # after the pages' last saves, so they are in it
        if 7 in self._built:
            self.export.shutdown()
        super().closeEvent(event)


def _listed(labels: list[str]) -> str:
    """ "a, b and c", each once, in order."""
    unique = list(dict.fromkeys(labels))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]
