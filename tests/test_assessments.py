"""Scoring rounds in the core: creation, respondents, tallies, the change from the previous round."""

from __future__ import annotations

import pytest

from ics_desktop import assessments as rounds
from ics_desktop.errors import StoreError
from ics_desktop.framework import default_framework
from ics_desktop.framework_versions import framework_is_frozen, save_programme_framework
from ics_desktop.scoring import compute_results
from ics_desktop.store import Store
from ics_desktop.summary import summary


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


def test_change_from_previous_is_computed_or_set_by_hand(store: Store, programme: str) -> None:
    before = rounds.create_assessment(store, programme, "Scoping", "2018-09-10")
    after = rounds.create_assessment(store, programme, "End of programme", "2018-12-01")
    assert rounds.previous_assessment(store, after) == before
    assert rounds.previous_assessment(store, before) is None
    store.set_capability_result(before, "1.1", agreed_current=2)
    store.set_capability_result(before, "1.2", agreed_current=3)
    store.set_capability_result(after, "1.1", agreed_current=3)
    store.set_capability_result(after, "1.2", agreed_current=3)
    store.set_capability_result(after, "2.1", agreed_current=1, change="down")  # earlier round held elsewhere
    agreed = rounds.agreed_with_change(store, after)
    assert (agreed["1.1"]["change"], agreed["1.1"]["change_source"]) == ("up", "computed")
    assert agreed["1.2"]["change"] == "same"
    assert (agreed["2.1"]["change"], agreed["2.1"]["change_source"]) == ("down", "manual")
    data = summary(store)["programmes"][0]["assessments"][1]["capabilities"]
    assert (data["1.1"]["change"], data["1.2"]["change"], data["2.1"]["change"]) == ("up", "same", "down")


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
