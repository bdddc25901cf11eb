"""One set of text limits for every way in: typing, the store, bundles (names 200, other text 100,000)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ics_desktop.bundles.format import BundleError
from ics_desktop.bundles.transfer import export_bundle, load_bundle
from ics_desktop.limits import TextTooLongError
from ics_desktop.storage.store import Store
from ui.pages.overview import OverviewPage
from ui.undo import EditRunner


def test_the_store_refuses_text_longer_than_its_field_and_says_how_long(sample_store: Store) -> None:
    programme = sample_store.programmes()[0]
    with pytest.raises(TextTooLongError, match=r"The name is 201 characters long; at most 200 fit\."):
        sample_store.update_field("programmes", programme.id, "name", "N" * 201)
    with pytest.raises(TextTooLongError, match=r"100,001 characters long; at most 100,000 fit"):
        sample_store.update_field("programmes", programme.id, "description", "d" * 100_001)
    with pytest.raises(TextTooLongError):
        sample_store.insert("people", {"programme_id": programme.id, "kind": "participant", "name": "p" * 201})
    sample_store.update_field("programmes", programme.id, "description", "é" * 100_000)  # exactly the limit fits
    assert sample_store.programme_record(programme.id)["description"] == "é" * 100_000
    assert sample_store.programme(programme.id).name == programme.name  # the refused name changed nothing


def test_typing_stops_at_the_limit_and_a_long_narrative_is_refused_with_its_length(
    qtbot: QtBot, sample_store: Store
) -> None:
    runner = EditRunner(sample_store)
    page = OverviewPage(runner)
    qtbot.addWidget(page)
    page.set_programme(sample_store.programmes()[0].id)
    assert page.programme_name.maxLength() == 200 and page.system_name.maxLength() == 200
    assert page.full_name.maxLength() == 32767  # a full name holds long text (the widget's own ceiling)
    messages: list[str] = []
    runner.saved.connect(messages.append)
    page.description.setPlainText("x" * 100_001)
    page.flush()
    assert any("at most 100,000 fit" in m for m in messages)
    assert sample_store.programme_record(sample_store.programmes()[0].id)["description"] != "x" * 100_001


def test_a_bundle_with_a_field_too_long_for_this_app_is_refused_naming_it(sample_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    shutil.copyfile(sample_file, path)
    store = Store.open(path)
    try:
        pid = store.programmes()[0].id
        # Written behind the store's back, as an older version or another tool might have.
        store.conn.execute("UPDATE programmes SET description = ? WHERE id = ?", ("z" * 100_001, pid))
        export_bundle(store, pid, tmp_path / "long.icsbundle")
        with pytest.raises(BundleError, match=r"programme 1 has 'description' of 100,001 characters; at most 100,000"):
            load_bundle(store, tmp_path / "long.icsbundle")
    finally:
        store.close()
