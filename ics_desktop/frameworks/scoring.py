"""Readiness results: per capability and question, the mean, n, counts per level and spread."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from ics_desktop.frameworks.framework import Framework
from ics_desktop.storage.records import Response
from ics_desktop.storage.store import Store


@dataclass
class QuestionResult:
    """The room's scores for one capability and one question."""

    counts: dict[int, int] = field(default_factory=dict)
    dont_know: int = 0
    withheld: bool = False  # too few answers to show the room (see `for_the_room`)

    @property
    def n(self) -> int:
        """Scores given (a *don't know* is counted separately, not averaged)."""
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        n = self.n
        return sum(level * c for level, c in self.counts.items()) / n if n else None

    @property
    def spread(self) -> float | None:
        """Population standard deviation of the scores: how far the room disagrees."""
        mean, n = self.mean, self.n
        if mean is None:
            return None
        return math.sqrt(sum(c * (level - mean) ** 2 for level, c in self.counts.items()) / n)


@dataclass
class AssessmentResults:
    framework: Framework
    by_capability: dict[str, dict[str, QuestionResult]]

    def result(self, code: str, question: str) -> QuestionResult:
        return self.by_capability[code][question]

    def overall(self, question: str) -> float | None:
        """Mean of the capability means over covered capabilities that have scores."""
        means = [
            m for code in self.framework.covered_codes if (m := self.by_capability[code][question].mean) is not None
        ]
        return sum(means) / len(means) if means else None

    def gap(self, code: str, high: str, low: str) -> float | None:
        a, b = self.result(code, high).mean, self.result(code, low).mean
        return None if a is None or b is None else a - b

    def delivery_gap(self, code: str) -> float | None:
        """realistic − now."""
        return self.gap(code, "realistic", "now")

    def ambition_gap(self, code: str) -> float | None:
        """aspire − realistic."""
        return self.gap(code, "aspire", "realistic")


def compute_results(framework: Framework, responses: Iterable[Response]) -> AssessmentResults:
    """Aggregate responses against a framework; responses for unknown capabilities are ignored."""
    return results_from_counts(framework, ((r.capability_code, r.question, r.score, 1) for r in responses))


def results_from_counts(framework: Framework, counts: Iterable[tuple[str, str, int | None, int]]) -> AssessmentResults:
    """The results from (code, question, score or None for "don't know", how many) rows, as
    `Store.response_counts` gives them."""
    levels = [s.level for s in framework.scale]
    table = {
        cap.code: {q.key: QuestionResult({lvl: 0 for lvl in levels}) for q in framework.questions}
        for cap in framework.capabilities
    }
    for code, question, score, count in counts:
        cell = table.get(code, {}).get(question)
        if cell is None:
            continue
        if score is None:
            cell.dont_know += count
        elif score in cell.counts:
            cell.counts[score] += count
    return AssessmentResults(framework, table)


def assessment_results(store: Store, framework: Framework, assessment_id: str) -> AssessmentResults:
    """An assessment's results against `framework`, counted in the database (fast at any number of people)."""
    return results_from_counts(framework, store.response_counts(assessment_id))


MINIMUM_GROUP = 3  # fewer answers than this to a question are never shown to the room


def for_the_room(results: AssessmentResults, minimum: int = MINIMUM_GROUP) -> AssessmentResults:
    """The results as the room may see them: where fewer than `minimum` people answered a question of a
    capability, its counts, mean and don't-knows are withheld (one person's answer must not be on the wall).
    """
    table = {
        code: {
            question: (
                QuestionResult({level: 0 for level in result.counts}, 0, withheld=True)
                if 0 < result.n + result.dont_know < minimum
                else result
            )
            for question, result in questions.items()
        }
        for code, questions in results.by_capability.items()
    }
    return AssessmentResults(results.framework, table)
