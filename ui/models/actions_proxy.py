"""The filter over the actions table: text, area, owner, status and overdue, quick enough to run per keystroke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ics_desktop.planning.actions import ActionFilter, ActionRow, action_matcher
from ui.models.actions_model import ActionsModel

_Index = QModelIndex | QPersistentModelIndex


class ActionsFilterProxy(QSortFilterProxyModel):
    """Filters an ActionsModel with one precompiled predicate; sorting is delegated to the model.

    Per keystroke Qt calls `filterAcceptsRow` once per action: it indexes the model's row list and
    calls a closure over precomputed values (the rows carry a lower-cased haystack), so nothing is
    allocated or read from the database. Sorting in the source model (Python's sort with key
    functions) avoids the n log n calls back into Python a proxy `lessThan` would make.
    """

    def __init__(self, source: ActionsModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._source = source
        self.setSourceModel(source)
        self.filter = ActionFilter()
        self._match: Callable[[ActionRow], bool] | None = None
        source.modelAboutToBeReset.connect(self._recompile)  # `today` may have moved on

    def set_filter(self, new: ActionFilter) -> None:
        """Show only the actions `new` keeps (one re-filter, however many fields changed)."""
        if new == self.filter:
            return
        self.filter = new
        self._recompile()
        # invalidate() is one layout change: cheaper than the row removals and insertions a row-wise
        # filter change emits when matches are scattered through 10,000 rows; selections survive.
        self.invalidate()

    def _recompile(self) -> None:
        self._match = action_matcher(self.filter, self._source.today)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        match = self._match
        return True if match is None else match(self._source.rows[source_row])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def action_ids(self, rows: list[int]) -> list[str]:
        """The ids of the actions shown in these rows of the proxy."""
        return [self._source.rows[self.mapToSource(self.index(r, 0)).row()].id for r in rows]
