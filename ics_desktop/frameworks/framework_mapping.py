"""Moving an assessment's results to a new framework version by an explicit mapping, never by coincidence.

Results (responses and agreed figures) are keyed by capability code. When a programme's framework changes
after results were recorded, the assessment keeps its old version; the facilitator then maps each old
capability to a capability of the new version, or drops it, after a preview of what moves where. The move
is one undoable step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ics_desktop.errors import UserFacingError
from ics_desktop.frameworks.framework import Framework
from ics_desktop.storage.edits import Edit
from ics_desktop.storage.store import Store, now_iso

RESULT_COLUMNS = ("agreed_current", "agreed_desired", "desired_open", "change", "change_blank", "focus")


class MappingError(UserFacingError):
    """A mapping that cannot be applied (two old capabilities onto one new one, an unknown code)."""


@dataclass(frozen=True)
class MappingLine:
    """One old capability in the preview: where it goes, and what it carries."""

    old_code: str
    old_statement: str
    new_code: str | None  # None: dropped
    new_statement: str
    responses: int
    agreed: bool  # any agreed figure, focus, change or justification
    reworded: bool  # same code, different words: the user must see it before it moves

    def carries(self) -> str:
        """'14 responses and agreed figures', 'nothing recorded' …"""
        parts = []
        if self.responses:
            parts.append(f"{self.responses} response{'' if self.responses == 1 else 's'}")
        if self.agreed:
            parts.append("agreed figures")
        return " and ".join(parts) or "nothing recorded"

    def describe(self) -> str:
        what = self.carries()
        if self.new_code is None:
            return f"{self.old_code} is dropped ({what} kept only in the undo history)"
        note = " (reworded)" if self.reworded else ""
        return f"{self.old_code} → {self.new_code}{note}: {what}"


def proposed_mapping(old: Framework, new: Framework) -> dict[str, str | None]:
    """A starting point for the user to confirm: each old code to the same code when the new version has it."""
    codes = {c.code for c in new.capabilities}
    return {c.code: (c.code if c.code in codes else None) for c in old.capabilities}


def _counts(store: Store, assessment_id: str) -> tuple[Counter[str], set[str]]:
    responses = Counter(
        row[0]
        for row in store.conn.execute(
            "SELECT x.capability_code FROM responses x JOIN respondents r ON r.id = x.respondent_id "
            "WHERE r.assessment_id = ?",
            (assessment_id,),
        )
    )
    agreed = {
        code
        for code, row in store.capability_results(assessment_id).items()
        if any(row.get(c) not in (None, 0) for c in RESULT_COLUMNS) or str(row.get("justification") or "").strip()
    }
    return responses, agreed


def preview(store: Store, assessment_id: str, new: Framework, mapping: Mapping[str, str | None]) -> list[MappingLine]:
    """What the mapping would do, one line per old capability with something recorded (or in the old version)."""
    old = store.framework(store.get("assessments", assessment_id)["framework_id"])
    responses, agreed = _counts(store, assessment_id)
    new_words = {c.code: c.statement for c in new.capabilities}
    lines = []
    for capability in old.capabilities:
        target = mapping.get(capability.code)
        lines.append(
            MappingLine(
                capability.code,
                capability.statement,
                target,
                new_words.get(target or "", ""),
                responses.get(capability.code, 0),
                capability.code in agreed,
                target == capability.code and new_words.get(target, "") != capability.statement,
            )
        )
    return lines


def _checked(new: Framework, mapping: Mapping[str, str | None]) -> None:
    codes = {c.code for c in new.capabilities}
    unknown = sorted({t for t in mapping.values() if t is not None and t not in codes})
    if unknown:
        raise MappingError(f"The new version has no capability {', '.join(unknown)}.")
    targets = Counter(t for t in mapping.values() if t is not None)
    doubled = sorted(code for code, n in targets.items() if n > 1)
    if doubled:
        raise MappingError(
            f"Two old capabilities cannot both move to {', '.join(doubled)}: their results would collide. "
            "Map one of them elsewhere, or drop it."
        )


@dataclass
class MoveToFramework(Edit):
    """Put an assessment on another framework version, its results re-keyed by the mapping (undoable)."""

    assessment_id: str = ""
    framework_id: str = ""
    mapping: dict[str, str | None] = field(default_factory=dict)
    _before: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _old_framework_id: str = ""

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({"assessments", "capability_results", "responses", "respondents"})

    def _snapshot(self, store: Store) -> list[tuple[str, dict[str, Any]]]:
        results = store.rows("SELECT * FROM capability_results WHERE assessment_id = ?", (self.assessment_id,))
        responses = store.rows(
            "SELECT x.* FROM responses x JOIN respondents r ON r.id = x.respondent_id WHERE r.assessment_id = ?",
            (self.assessment_id,),
        )
        return [("capability_results", r) for r in results] + [("responses", r) for r in responses]

    def _clear(self, store: Store) -> None:
        store.conn.execute("DELETE FROM capability_results WHERE assessment_id = ?", (self.assessment_id,))
        store.conn.execute(
            "DELETE FROM responses WHERE respondent_id IN (SELECT id FROM respondents WHERE assessment_id = ?)",
            (self.assessment_id,),
        )

    def apply(self, store: Store) -> None:
        with store.atomic():
            self._old_framework_id = str(store.get("assessments", self.assessment_id)["framework_id"])
            self._before = self._snapshot(store)
            self._clear(store)
            moved = []
            for table, row in self._before:
                target = self.mapping.get(str(row["capability_code"]))
                if target is not None:
                    moved.append((table, {**row, "capability_code": target}))
            store.restore_rows(moved)
            store.conn.execute(
                "UPDATE assessments SET framework_id = ?, modified = ? WHERE id = ?",
                (self.framework_id, now_iso(), self.assessment_id),
            )

    def revert(self, store: Store) -> None:
        with store.atomic():
            self._clear(store)
            store.restore_rows(self._before)
            store.conn.execute(
                "UPDATE assessments SET framework_id = ?, modified = ? WHERE id = ?",
                (self._old_framework_id, now_iso(), self.assessment_id),
            )


def move_to_framework(
    store: Store, assessment_id: str, framework_id: str, mapping: Mapping[str, str | None]
) -> MoveToFramework:
    """The undoable move of an assessment's results onto `framework_id` by `mapping` (old code → new or None)."""
    new = store.framework(framework_id)
    _checked(new, mapping)
    name = store.get("assessments", assessment_id)["name"]
    return MoveToFramework(
        f"results of '{name}' moved to framework version {new.version}", assessment_id, framework_id, dict(mapping)
    )
