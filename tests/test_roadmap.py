"""The roadmap, its timeline chart, the Overview dashboard, and reversible edits in the core."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from ics_desktop.charts import figure_png
from ics_desktop.charts.timeline import NOTHING, timeline_chart
from ics_desktop.planning.dashboard import dashboard
from ics_desktop.planning.roadmap import capability_roadmap, quarter_label, timeline
from ics_desktop.storage import edits
from ics_desktop.storage.store import Store
from ui.main_window import MainWindow
from ui.models import results_model as rm


def _programme(store: Store) -> str:
    return store.programmes()[0].id


def test_capability_roadmap_draws_together_the_sample(sample_store: Store) -> None:
    rows = {r.code: r for r in capability_roadmap(sample_store, _programme(sample_store))}
    assert (rows["3.2"].current, rows["3.2"].desired, rows["3.2"].focus) == (1, 4, True)
    assert rows["3.2"].areas == ["4. System finances and single plan"]
    assert (
        "Operate a single budget for urgent care, establishing a framework to jointly manage performance, "
        "delivery and clinical and financial risk" in rows["3.2"].milestones
    )
    assert not rows["5.1"].covered and rows["5.1"].areas == []
    assert rows["4.3"].areas == [] and not rows["4.3"].focus


def test_timeline_groups_by_area_and_quarter(sample_store: Store) -> None:
    by_area = timeline(sample_store, _programme(sample_store))
    assert next(iter(by_area)) == "1. Sharpening and communicating our vision"
    single_plan = [i for i in by_area["3. Vision through to execution"] if i.kind == "milestone"]
    assert single_plan[0].due == date(2019, 4, 11) and quarter_label(single_plan[0].due) == "Q2 2019"
    png = figure_png(timeline_chart(by_area, today=date(2019, 1, 1)))
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    empty = timeline_chart({})
    assert any(NOTHING in t.get_text() for t in empty.texts)


def test_dashboard_figures(sample_store: Store) -> None:
    programme = _programme(sample_store)
    board = dashboard(sample_store, programme, today="2019-01-01")
    assert board.readiness is not None and board.readiness.respondents == 14
    overall = dict(board.readiness.overall)
    assert round(overall["Now"] or 0, 1) == 1.9
    assert board.next_milestones[0][1] == "2019-04-11"
    before = dashboard(sample_store, programme, today="2019-01-01")
    sample_store.insert("actions", {"programme_id": programme, "title": "Late", "due_date": "2018-12-01"})
    sample_store.insert(
        "actions", {"programme_id": programme, "title": "Done", "due_date": "2018-12-01", "status": "done"}
    )
    board = dashboard(sample_store, programme, today="2019-01-01")
    assert board.actions_total == before.actions_total + 2
    assert board.actions_overdue == before.actions_overdue + 1
    assert board.actions_by_status["done"] == before.actions_by_status.get("done", 0) + 1
    assert board.next_workshop is None and board.last_workshop is not None  # the sample's last held workshop
    assert board.last_workshop[0] == "System finances and single plan"


def test_edits_apply_and_revert_exactly(store: Store) -> None:
    from ics_desktop.frameworks.framework import default_framework

    programme = store.create_programme("P", "S", default_framework())
    insert = edits.insert_record("actions", {"programme_id": programme, "title": "Draft MoU"}, "new action")
    insert.apply(store)
    action_id = insert.record_id
    note = edits.insert_record("action_notes", {"action_id": action_id, "date": "2018-10-01", "text": "Call"}, "note")
    note.apply(store)
    change = edits.set_field(store, "actions", action_id, "status", "done", "status")
    change.apply(store)
    assert store.get("actions", action_id)["status"] == "done"
    change.revert(store)
    assert store.get("actions", action_id)["status"] == "open"
    before = store.get("actions", action_id)
    delete = edits.DeleteRecord("delete", "actions", action_id)
    delete.apply(store)
    assert store.db.table("action_notes").count == 0
    delete.revert(store)
    assert store.get("actions", action_id) == before
    assert store.get("action_notes", note.record_id)["text"] == "Call"
    insert.revert(store)
    assert store.db.table("actions").count == 0
    insert.apply(store)  # redo brings back the same record
    assert store.get("actions", action_id)["title"] == "Draft MoU"


def test_roadmap_page_and_dashboard_in_the_window(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.show()
    page = window.roadmap
    assert page.model.rowCount() == 14
    assert page.model.index(0, 2).data() == "2 → 4"
    page.chart.flush_pending()
    assert "1.9" in window.overview.dashboard.readiness_card.body.text()
    assert "11 Apr 2019" in window.overview.dashboard.milestones_card.body.text()
    # An edit elsewhere shows on the roadmap at once, and undo takes it back.
    readiness = window.readiness
    row = [readiness.results_model.code(r) for r in range(14)].index("1.1")
    readiness.results_model.setData(readiness.results_model.index(row, rm.AGREED_DESIRED), "3")
    assert page.model.index(0, 2).data() == "2 → 3"
    window.undo_action.trigger()
    assert page.model.index(0, 2).data() == "2 → 4"
