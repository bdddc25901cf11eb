"""Bundles from the main window's File menu: export, import back as a copy, and the picker follows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ics_desktop.storage.store import Store
from ui.main_window import MainWindow


def test_export_then_import_a_bundle_from_the_menu(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    target = tmp_path / "healthier-together.icsbundle"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(str(a[2])))
    window.export_bundle()
    assert target.exists() and target.stat().st_size > 1000
    window.import_bundle()
    assert warnings == []
    names = [p.name for p in sample_store.programmes()]
    assert len(names) == 2 and any("(imported)" in n for n in names)
    assert "(imported)" in window.picker.currentText()
    assert window.overview.participants_model.rowCount() == 14
