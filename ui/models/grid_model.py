"""The scoring grid: participants × capabilities (one question or all three), typed straight in."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring_people import add_participants_edit, participant_named, unscored_participants
from ics_desktop.storage import edits
from ui.models.base import Index as _Index
from ui.models.base import TableModel
from ui.undo import EditRunner

DONT_KNOW = "?"
SHORT_QUESTION = {"now": "now", "aspire": "asp.", "realistic": "real."}
LEVEL_COLOURS = {1: "#f8d7d3", 2: "#fdebc8", 3: "#d5ecf7", 4: "#d4ecd9"}


class ResponseGridModel(TableModel):
    """Rows are respondents (tallied hands excluded), columns are (capability, question) pairs."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._assessment_id: str | None = None
        self._framework: Framework | None = None
        self._respondents: list[rounds.Respondent] = []
        self._columns: list[tuple[str, str]] = []
        self._scores: dict[tuple[str, str, str], int | None] = {}
        self._question: str | None = None

    # -- loading -------------------------------------------------------------------------

    def set_assessment(self, assessment_id: str | None, question: str | None = None) -> None:
        """Show an assessment; `question` None shows all questions side by side."""
        self.beginResetModel()
        self._assessment_id = assessment_id
        self._question = question
        if assessment_id:
            record = self._store.get("assessments", assessment_id)
            self._framework = self._store.framework(record["framework_id"])
            self._respondents = rounds.respondents(self._store, assessment_id, include_tally=False)
            self._scores = rounds.response_map(self._store, assessment_id)
            questions = [question] if question else self._framework.question_keys()
            self._columns = [(c.code, q) for c in self._framework.capabilities if c.covered for q in questions]
        else:
            self._framework, self._respondents, self._scores, self._columns = None, [], {}, []
        self.endResetModel()

    def set_question(self, question: str | None) -> None:
        self.set_assessment(self._assessment_id, question)

    @property
    def framework(self) -> Framework | None:
        return self._framework

    def column_key(self, column: int) -> tuple[str, str]:
        return self._columns[column]

    def respondent(self, row: int) -> rounds.Respondent:
        return self._respondents[row]

    # -- Qt model API ----------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._respondents)

    def column_count(self) -> int:
        return len(self._columns)

    def column_title(self, column: int) -> str | None:
        code, question = self._columns[column]
        return code if self._question else f"{code}\n{SHORT_QUESTION.get(question, question[:4])}"

    def column_tip(self, column: int) -> str | None:
        code, question = self._columns[column]
        return f"{code} ({question}): {self._framework.capability(code).statement}" if self._framework else None

    def row_title(self, row: int) -> str | None:
        respondent = self._respondents[row]
        return respondent.label + (" *" if respondent.illustrative else "")

    def row_tip(self, row: int) -> str | None:
        return "Illustrative responses (not a real participant's)" if self._respondents[row].illustrative else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = (self._respondents[index.row()].id, *self._columns[index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key not in self._scores:
                return ""
            score = self._scores[key]
            return DONT_KNOW if score is None else str(score)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and key in self._scores:
            score = self._scores[key]
            return QBrush(QColor(LEVEL_COLOURS.get(score or 0, "#eeeeee")))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Accepts 1–4, '?' (don't know), and '', '0' or None (blank)."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._framework is None:
            return False
        text = "" if value is None else str(value).strip()
        levels = {str(s.level) for s in self._framework.scale}
        if text not in levels and text not in ("", "0", DONT_KNOW):
            self._runner.saved.emit(
                f"'{text}' is not a score: type 1–{len(levels)}, ? for don't know, 0 or Delete to blank"
            )
            return False
        respondent = self._respondents[index.row()]
        code, question = self._columns[index.column()]
        key = (respondent.id, code, question)
        if text in ("", "0"):
            if key not in self._scores:
                return False
            new: Any = edits.NO_RESPONSE
            message = f"cleared {respondent.label}'s {code} {question}"
        else:
            new = None if text == DONT_KNOW else int(text)
            shown = "don't know" if new is None else str(new)
            message = f"{respondent.label}: {code} {question} = {shown}"
        return self._runner.run(edits.set_response(self._store, respondent.id, code, question, new, message))

    def reload_scores(self) -> None:
        """Re-read the scores (after undo/redo or another entry mode), keeping rows and columns."""
        if self._assessment_id is None:
            return
        current = {r.id for r in rounds.respondents(self._store, self._assessment_id, include_tally=False)}
        if current != {r.id for r in self._respondents}:
            self.set_assessment(self._assessment_id, self._question)
            return
        self._scores = rounds.response_map(self._store, self._assessment_id)
        if self._respondents and self._columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._respondents) - 1, len(self._columns) - 1))

    def add_respondent(self, label: str) -> int:
        """Add a named participant (linked to the programme's participant of that name, if any), or the next
        anonymous code when `label` is blank; returns the row."""
        if self._assessment_id is None:
            return -1
        kind = "named" if label.strip() else "anonymous"
        person = participant_named(unscored_participants(self._store, self._assessment_id), label)
        label = (person.name.strip() if person else label.strip()) or rounds.next_anonymous_code(
            self._store, self._assessment_id
        )
        if any(r.label == label for r in rounds.respondents(self._store, self._assessment_id)):
            self._runner.saved.emit(f"Not added: '{label}' is already scoring this assessment.")
            return -1
        self._store.check_not_tallied(self._assessment_id)  # UserFacingError: hidden tallied people
        edit = edits.insert_record(
            "respondents",
            {
                "assessment_id": self._assessment_id,
                "label": label,
                "kind": kind,
                "illustrative": 0,
                "person_id": person.id if person else None,
            },
            f"added participant {label}",
        )
        if not self._runner.run(edit):
            return -1
        return next(i for i, r in enumerate(self._respondents) if r.id == edit.record_id)

    def add_all_participants(self) -> int:
        """Add every programme participant not yet scoring this round (one undoable step); how many were added."""
        if self._assessment_id is None:
            return 0
        people = unscored_participants(self._store, self._assessment_id)
        edit = add_participants_edit(self._store, self._assessment_id, people)  # StoreError for a tally round
        if edit is None:
            self._runner.saved.emit("Every participant of the programme is already scoring this assessment.")
            return 0
        return len(people) if self._runner.run(edit) else 0
