"""Readiness aggregates: means, n, counts, spread, don't know, overall over covered capabilities."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ics_desktop.frameworks.framework import default_framework
from ics_desktop.frameworks.scoring import assessment_results, compute_results
from ics_desktop.storage.records import Response
from ics_desktop.storage.store import Store


def test_means_counts_and_spread() -> None:
    fw = default_framework()
    responses = [
        Response("A", "1.1", "now", 1),
        Response("B", "1.1", "now", 2),
        Response("C", "1.1", "now", 3),
        Response("D", "1.1", "now", None),  # don't know: counted, not averaged
        Response("A", "1.1", "realistic", 3),
        Response("A", "9.9", "now", 4),  # unknown capability: ignored
    ]
    results = compute_results(fw, responses)
    now = results.result("1.1", "now")
    assert now.mean == 2.0 and now.n == 3 and now.dont_know == 1
    assert now.counts == {1: 1, 2: 1, 3: 1, 4: 0}
    assert now.spread is not None and math.isclose(now.spread, math.sqrt(2 / 3))
    assert results.delivery_gap("1.1") == 1.0
    assert results.ambition_gap("1.1") is None
    assert results.overall("now") == 2.0
    assert results.overall("aspire") is None


def test_overall_ignores_capabilities_not_covered() -> None:
    fw = default_framework().with_coverage("5.1", False)
    responses = [Response("A", "1.1", "now", 2), Response("A", "5.1", "now", 4)]
    results = compute_results(fw, responses)
    assert results.overall("now") == 2.0
    assert results.result("5.1", "now").mean == 4.0  # votes are kept, just not in the overall


@given(st.lists(st.tuples(st.sampled_from(["1.1", "2.2", "4.3"]), st.integers(1, 4)), max_size=60))
def test_overall_is_mean_of_capability_means(scores: list[tuple[str, int]]) -> None:
    fw = default_framework()
    responses = [Response(f"R{i}", code, "now", score) for i, (code, score) in enumerate(scores)]
    results = compute_results(fw, responses)
    by_code: dict[str, list[int]] = {}
    for code, score in scores:
        by_code.setdefault(code, []).append(score)
    means = [sum(v) / len(v) for v in by_code.values()]
    expected = sum(means) / len(means) if means else None
    actual = results.overall("now")
    assert (actual is None and expected is None) or (
        actual is not None and expected is not None and math.isclose(actual, expected)
    )


def test_the_room_never_sees_fewer_answers_than_the_minimum_group() -> None:
    from ics_desktop.frameworks.framework import default_framework
    from ics_desktop.frameworks.scoring import compute_results, for_the_room
    from ics_desktop.storage.records import Response

    framework = default_framework()
    responses = [
        Response("Ann", "1.1", "now", 2),
        Response("Bob", "1.1", "now", 3),  # two people: withheld
        Response("Ann", "1.2", "now", 1),
        Response("Bob", "1.2", "now", 4),
        Response("Cy", "1.2", "now", None),  # three answered (one don't know): shown
    ]
    room = for_the_room(compute_results(framework, responses), minimum=3)
    small = room.result("1.1", "now")
    assert small.withheld and small.mean is None and small.n == 0 and small.dont_know == 0
    shown = room.result("1.2", "now")
    assert not shown.withheld and shown.mean == 2.5 and shown.dont_know == 1
    assert shown.counts == {1: 1, 2: 0, 3: 0, 4: 1}
    assert not room.result("1.3", "now").withheld  # nobody answered: nothing to hide
    assert room.overall("now") == 2.5  # the overall leaves the withheld capability out
    everyone = for_the_room(compute_results(framework, responses), minimum=1)
    assert everyone.result("1.1", "now").mean == 2.5


def test_counted_in_the_database_as_by_hand(sample_store: Store) -> None:
    """The results the app shows (counted by SQLite) against a count made here from every stored answer."""
    (programme,) = sample_store.programmes()
    (assessment,) = sample_store.assessments(programme.id)
    framework = sample_store.framework(assessment.framework_id)
    # A second round whose answers must not leak into the first's figures.
    other = sample_store.insert("assessments", {"programme_id": programme.id, "name": "Other round", "date": None,
                                                "framework_id": assessment.framework_id})  # fmt: skip
    someone = sample_store.insert("respondents", {"assessment_id": other, "label": "Z"})
    sample_store.set_response(someone, "1.1", "now", 4)
    answers = sample_store.responses(assessment.id)
    assert len(answers) > 500
    results = assessment_results(sample_store, framework, assessment.id)
    for cap in framework.capabilities:
        for question in framework.question_keys():
            scores = [a.score for a in answers if a.capability_code == cap.code and a.question == question]
            given = [s for s in scores if s is not None]
            cell = results.result(cap.code, question)
            assert cell.n == len(given) and cell.dont_know == scores.count(None)
            if given:
                assert cell.mean == pytest.approx(sum(given) / len(given))
            else:
                assert cell.mean is None
    assert results.overall("now") == pytest.approx(1.9, abs=0.05)  # the seed's overall figure
