"""Every item model the window builds, checked by Qt's own model tester (pytest-qt's qtmodeltester) on the
sample programme after every page and tab has been shown (so each model holds real rows)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QSize
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ics_desktop.storage.store import Store
from ui.app import run_smoke_test
from ui.main_window import MainWindow

# Our models, by class name: each must be found in the window (a renamed or dropped model fails here, so
# this list stays the inventory of what the tester covers).
OUR_MODELS = {
    "ActionsFilterProxy",
    "ActionsModel",
    "NotesModel",
    "MilestonesModel",
    "AreasListModel",
    "PickListModel",
    "AreasTableModel",
    "ResponseGridModel",
    "TallyModel",
    "CapabilitiesModel",
    "MatrixModel",
    "RoadmapModel",
    "PeopleModel",
    "ResultsModel",
    "WorkshopListModel",
    "CheckListModel",
    "CaptureModel",
}


def test_every_model_passes_qts_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, sample_store: Store, tmp_path: Path
) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.show()
    assert run_smoke_test(window, time.perf_counter(), None, QSize(1366, 768)) == 0
    models = [m for m in window.findChildren(QAbstractItemModel) if type(m).__module__.startswith("ui.")]
    found = {type(m).__name__ for m in models}
    assert found >= OUR_MODELS, f"not built by the window: {sorted(OUR_MODELS - found)}"
    checked = 0
    for model in models:
        if model.rowCount() == 0 and type(model).__name__ not in ("NotesModel",):
            continue  # an empty model teaches the tester nothing; those that matter hold the sample
        qtmodeltester.check(model)
        checked += 1
    assert checked >= 12
    window.close()
    QApplication.processEvents()


def test_the_dialogs_models_pass_the_model_tester(qtmodeltester: ModelTester, sample_store: Store) -> None:
    from ics_desktop.planning.areas import catalogue
    from ics_desktop.storage.backups import take_backup
    from ics_desktop.storage.restore import backup_summaries
    from ui.models.areas_model import CatalogueModel
    from ui.models.backups_model import BackupsModel
    from ui.undo import EditRunner

    (programme,) = sample_store.programmes()
    catalogue_model = CatalogueModel(EditRunner(sample_store))
    catalogue_model.set_programme(programme.id)
    assert catalogue_model.rowCount() == len(catalogue(sample_store, programme.id)) > 0
    qtmodeltester.check(catalogue_model)

    take_backup(sample_store.conn, sample_store.path, "test")
    backups = BackupsModel(backup_summaries(sample_store.path))
    assert backups.rowCount() >= 1
    qtmodeltester.check(backups)
