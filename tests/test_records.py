"""The typed records match the schema: every column of the table is a declared field (and nothing else), and the
sample's rows carry the declared types (JSON lists decoded to lists, integers as int), so type checking of
their readers means something."""

from __future__ import annotations

import types
import typing
from typing import Any, get_type_hints

import pytest

from ics_desktop.storage import records
from ics_desktop.storage.store import Store

TABLES: list[tuple[type, str]] = [
    (records.AreaRecord, "areas_of_focus"),
    (records.CatalogueRecord, "workshop_catalogue"),
    (records.WorkshopRecord, "workshops"),
    (records.MilestoneRecord, "milestones"),
    (records.ResultRecord, "capability_results"),
]


def _matches(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    return isinstance(value, hint) and not (hint is int and isinstance(value, bool))


@pytest.mark.parametrize(("record", "table"), TABLES, ids=[t for _, t in TABLES])
def test_a_record_declares_exactly_the_columns_of_its_table(store: Store, record: type, table: str) -> None:
    columns = {row[1] for row in store.conn.execute(f"PRAGMA table_info({table})")}
    assert set(get_type_hints(record)) == columns


def test_the_sample_reads_back_with_the_declared_types(sample_store: Store) -> None:
    (programme,) = sample_store.programmes()
    (assessment,) = sample_store.assessments(programme.id)
    workshop_ids = [
        r["id"] for r in sample_store.rows("SELECT id FROM workshops WHERE programme_id = ?", (programme.id,))
    ]
    from ics_desktop.planning.workshops import workshop

    read: dict[type, list[Any]] = {
        records.AreaRecord: list(sample_store.areas_of_focus(programme.id)),
        records.CatalogueRecord: list(sample_store.workshop_catalogue(programme.id)),
        records.WorkshopRecord: [workshop(sample_store, w) for w in workshop_ids],
        records.MilestoneRecord: list(sample_store.milestones(programme.id)),
        records.ResultRecord: list(sample_store.capability_results(assessment.id).values()),
    }
    for record, rows in read.items():
        assert rows, f"the sample has no {record.__name__}"
        hints = get_type_hints(record)
        for row in rows:
            wrong = {k: v for k, v in row.items() if not _matches(v, hints[k])}
            assert wrong == {}, f"{record.__name__}: {wrong}"


def test_the_type_check_itself() -> None:
    assert _matches([1, 2], list[int]) and not _matches(["1"], list[int])
    assert _matches(None, str | None) and not _matches(None, str)
    assert not _matches(True, int) and _matches(3, int)
