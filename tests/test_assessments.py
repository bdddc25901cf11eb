"""Scoring rounds in the core: creation, respondents, tallies, the change from the previous round."""

from __future__ import annotations

from pathlib import Path

import pytest

from ics_desktop.errors import StoreError
from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.frameworks.framework_versions import framework_is_frozen, save_programme_framework
from ics_desktop.frameworks.scoring import compute_results
from ics_desktop.storage.store import Store
from ics_desktop.summary import summary
from tests.conftest import schema_before


@pytest.fixture
def programme(store: Store) -> str:
    return store.create_programme("P", "S", default_framework())


def test_create_rename_delete(store: Store, programme: str) -> None:
    first = rounds.create_assessment(store, programme, "Expression of interest", "2018-06-01")
    with pytest.raises(StoreError, match="already has an assessment called"):
        rounds.create_assessment(store, programme, "expression of interest", None)
    with pytest.raises(StoreError, match="needs a name"):
        rounds.create_assessment(store, programme, " ", None)
    respondent = store.add_respondent(first, "Ann")
    store.set_response(respondent, "1.1", "now", 2)
    rounds.delete_assessment(store, first)
    assert store.assessments(programme) == []
    assert store.conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0


def test_anonymous_codes_and_duplicate_labels(store: Store, programme: str) -> None:
    assessment = rounds.create_assessment(store, programme, "Scoping", None)
    assert rounds.next_anonymous_code(store, assessment) == "P01"
    store.add_respondent(assessment, "P01", kind="anonymous")
    store.add_respondent(assessment, "P03", kind="anonymous")
    assert rounds.next_anonymous_code(store, assessment) == "P02"
    with pytest.raises(StoreError, match="already scoring"):
        store.add_respondent(assessment, "P01")


def test_tally_sets_counts_and_never_hides_people_behind_individual_scores(store: Store, programme: str) -> None:
    assessment = rounds.create_assessment(store, programme, "Scoping", None)
    rounds.set_tally(store, assessment, "1.1", "now", {1: 3, 2: 5, 3: 1, 4: 0})
    assert rounds.tally_counts(store, assessment, "1.1", "now") == {1: 3, 2: 5, 3: 1}
    results = compute_results(store.framework(store.programme(programme).framework_id), store.responses(assessment))
    assert results.result("1.1", "now").n == 9
    rounds.set_tally(store, assessment, "1.1", "now", {1: 0, 2: 1, 3: 1, 4: 0})  # lowering re-uses slots
    assert rounds.tally_counts(store, assessment, "1.1", "now") == {2: 1, 3: 1}
    with pytest.raises(StoreError, match="negative"):
        rounds.set_tally(store, assessment, "1.1", "now", {2: -1})
    # A counted round takes no one scored individually (they would sit among people no grid shows).
    with pytest.raises(StoreError, match="scored as a tally"):
        store.add_respondent(assessment, "Ann")

    scored = rounds.create_assessment(store, programme, "End", None)
    ann = store.add_respondent(scored, "Ann")
    store.set_response(ann, "1.1", "now", 2)
    with pytest.raises(StoreError, match="scored one by one"):
        rounds.set_tally(store, scored, "1.1", "now", {2: 2})  # would add a hidden second person
    with pytest.raises(StoreError, match="already scored"):
        rounds.set_tally(store, scored, "1.1", "now", {2: 0})
    rounds.set_tally(store, scored, "1.1", "now", {2: 1})  # what the grid shows: nothing changes
    assert [r.label for r in rounds.respondents(store, scored)] == ["Ann"]
    assert rounds.tally_counts(store, scored, "1.1", "now") == {2: 1}


def test_change_is_filled_from_the_previous_round_only_when_asked(store: Store, programme: str) -> None:
    """Nothing is computed on the way out; the fill sets only changes not entered, in one undoable step."""
    before = rounds.create_assessment(store, programme, "Scoping", "2018-09-10")
    after = rounds.create_assessment(store, programme, "End of programme", "2018-12-01")
    assert rounds.previous_assessment(store, after) == before
    assert rounds.previous_assessment(store, before) is None
    assert rounds.fill_change_edit(store, before) is None  # no earlier round
    for code, level in (("1.1", 2), ("1.2", 3), ("1.3", 3), ("1.4", 1)):
        store.set_capability_result(before, code, agreed_current=level)
    store.set_capability_result(after, "1.1", agreed_current=3)
    store.set_capability_result(after, "1.2", agreed_current=3)
    store.set_capability_result(after, "1.3", agreed_current=2, change_blank=1)  # left blank on purpose
    store.set_capability_result(after, "1.4", agreed_current=1, change="down")  # set by hand (held elsewhere)
    agreed = rounds.agreed_results(store, after)
    assert [agreed[c]["change"] for c in ("1.1", "1.2", "1.3", "1.4")] == [None, None, None, "down"]

    fill = rounds.fill_change_edit(store, after)
    assert fill is not None
    fill.apply(store)
    agreed = rounds.agreed_results(store, after)
    assert [agreed[c]["change"] for c in ("1.1", "1.2", "1.3", "1.4")] == ["up", "same", None, "down"]
    data = summary(store)["programmes"][0]["assessments"][1]["capabilities"]
    assert [data[c]["change"] for c in ("1.1", "1.2", "1.3", "1.4")] == ["up", "same", None, "down"]
    assert rounds.fill_change_edit(store, after) is None  # nothing left to fill
    fill.revert(store)
    assert [rounds.agreed_results(store, after)[c]["change"] for c in ("1.1", "1.2")] == [None, None]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Has gone up", "up"), ("has GONE up", "up"), ("UP", "up"), ("▲ up", "up"),
        ("Remained the same", "same"), ("remained  the same ", "same"), ("same", "same"),
        ("Has gone down", "down"), ("down", "down"), ("", None), ("  ", None),
    ],
)  # fmt: skip
def test_change_accepts_the_seed_words_and_the_short_forms(typed: str, key: str | None) -> None:
    assert rounds.parse_change(typed) == key


def test_change_refuses_other_words() -> None:
    for typed in ("sideways", "upp", "gone"):
        with pytest.raises(ValueError):
            rounds.parse_change(typed)
    assert rounds.change_words("same") == "Remained the same" and rounds.change_words(None) == ""


def test_framework_is_frozen_once_scored_and_edits_make_a_new_version(store: Store, programme: str) -> None:
    framework_id = store.programme(programme).framework_id
    rounds.create_assessment(store, programme, "Not yet scored", None)
    assert not framework_is_frozen(store, framework_id)
    edited = store.framework(framework_id).with_coverage("5.1", False)
    assert save_programme_framework(store, programme, edited) == framework_id  # edited in place
    scored = rounds.create_assessment(store, programme, "Scored", None)
    store.set_response(store.add_respondent(scored, "Ann"), "1.1", "now", 2)
    assert framework_is_frozen(store, framework_id)
    new_id = save_programme_framework(store, programme, edited.with_coverage("4.3", False))
    assert new_id != framework_id
    assert store.programme(programme).framework_id == new_id
    by_name = {a.name: a.framework_id for a in store.assessments(programme)}
    assert by_name == {"Not yet scored": new_id, "Scored": framework_id}
    assert store.framework(new_id).version == "2018 rev 2"
    assert store.framework(framework_id).capability("4.3").covered


def test_migration_keeps_what_existing_results_showed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change that was shown computed is stored as shown; a desired shown "?" beside an agreed current is open."""

    schema_before(tmp_path, monkeypatch, "agreed_vocabulary")
    path = tmp_path / "old.sqlite"
    old = Store.open(path)
    try:
        programme = old.create_programme("Older", "System", default_framework())
        # Created out of date order: the undated round comes last, then the rounds by date.
        late = old.add_assessment(programme, "End", "2019-03-01", "")
        undated = old.add_assessment(programme, "Follow-up", None, "")
        early = old.add_assessment(programme, "Scoping", "2018-09-10", "")
        for code, level in (("1.1", 2), ("1.2", 3), ("1.3", 3)):
            old.set_capability_result(early, code, agreed_current=level, agreed_desired=4)
        old.set_capability_result(late, "1.1", agreed_current=3)  # shown: up, desired "?"
        old.set_capability_result(late, "1.2", agreed_current=2, agreed_desired=3)  # shown: down
        old.set_capability_result(late, "1.3", agreed_current=3, agreed_desired=4, change="up")  # by hand
        old.set_capability_result(late, "1.4", agreed_current=2, agreed_desired=2)  # nothing before: blank
        old.set_capability_result(late, "1.5", justification="talked about it")  # no current: not open
        old.set_capability_result(undated, "1.1", agreed_current=3, agreed_desired=4)  # after 'End': same
    finally:
        old.close()
    monkeypatch.undo()
    upgraded = Store.open(path)
    try:
        end = upgraded.capability_results(late)
        assert {c: end[c]["change"] for c in end} == {"1.1": "up", "1.2": "down", "1.3": "up", "1.4": None, "1.5": None}
        assert {c: end[c]["desired_open"] for c in end} == {"1.1": 1, "1.2": 0, "1.3": 0, "1.4": 0, "1.5": 0}
        assert upgraded.capability_results(undated)["1.1"]["change"] == "same"
        assert all(r["change"] is None for r in upgraded.capability_results(early).values())
    finally:
        upgraded.close()


def test_desired_left_open_is_told_apart_from_not_entered(store: Store, programme: str) -> None:
    assessment = rounds.create_assessment(store, programme, "Scoping", "2018-09-10")
    left_open = rounds.result_fields_edit(store, assessment, "1.1", rounds.desired_fields(None, left_open=True), "?")
    assert left_open is not None
    left_open.apply(store)
    store.set_capability_result(assessment, "1.2", agreed_current=2)
    store.set_capability_result(assessment, "1.3", agreed_current=2, agreed_desired=4)
    agreed = rounds.agreed_results(store, assessment)
    assert [rounds.desired_text(agreed[c], "–") for c in ("1.1", "1.2", "1.3")] == ["?", "–", "4"]
    data = summary(store)["programmes"][0]["assessments"][0]["capabilities"]
    assert [(data[c]["agreed_desired"], data[c]["desired_open"]) for c in ("1.1", "1.2", "1.3", "2.1")] == [
        (None, True), (None, False), (4, False), (None, False),
    ]  # fmt: skip
