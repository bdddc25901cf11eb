"""Binds text widgets to store fields: every keystroke is saved shortly after it is typed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from ics_desktop.errors import NotFoundError
from ics_desktop.limits import NAME, limit_for
from ics_desktop.storage import edits
from ui.undo import EditRunner

SAVE_DELAY_MS = 300
SaveOutcome = Literal["saved", "unchanged", "gone", "refused"]


def lines_to_list(text: str) -> list[str]:
    """One entry per non-blank line, kept as typed."""
    return [line for line in text.split("\n") if line.strip()]


class _Binding:
    def __init__(
        self, saver: AutoSaver, widget: QLineEdit | QPlainTextEdit, table: str, field: str, label: str, as_list: bool
    ) -> None:
        self.saver, self.widget, self.table, self.field, self.label, self.as_list = (
            saver,
            widget,
            table,
            field,
            label,
            as_list,
        )
        self.record_id: str | None = None
        self.timer = QTimer(saver)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.flush)
        self.loading = False
        self.dirty = False  # typed but not yet saved; the timer alone cannot say so once it has fired
        self.limit = limit_for(table, field)
        self.over = False  # the text is at (a line) or over (a text box) its limit: said once, when it happens
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._changed)
            widget.editingFinished.connect(self._finished)
            if self.limit is not None and not as_list:
                widget.setMaxLength(min(self.limit, 32767))  # typing stops at the limit the store and bundles keep
        else:
            widget.textChanged.connect(self._changed)

    def text(self) -> str:
        return self.widget.text() if isinstance(self.widget, QLineEdit) else self.widget.toPlainText()

    def load(self, record_id: str | None, value: Any) -> None:
        self.timer.stop()
        if self.dirty and self.record_id is not None:
            # Text whose save was refused (a full disk) outlives the switch to another record: kept
            # aside, tried again with every flush, and shown again if this record comes back.
            self.saver.keep_unsaved(self, self.record_id, self.text())
        self.dirty = False
        self.record_id = record_id
        self.loading = True
        kept = self.saver.take_unsaved(self, record_id) if record_id is not None else None
        if kept is not None:
            value = kept
        text = "\n".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        if isinstance(self.widget, QLineEdit):
            self.widget.setText(text)
            self.widget.setCursorPosition(0)
        else:
            self.widget.setPlainText(text)
        self.widget.setEnabled(record_id is not None)
        self.loading = False
        if kept is not None:
            self.dirty = True
            self.timer.start()

    def _changed(self, *_args: Any) -> None:
        if not self.loading and self.record_id is not None:
            self.dirty = True
            self.timer.start()
            self._say_limit()

    def _finished(self) -> None:
        """Leaving a name: the spaces around it go (while typing they stay, or "John " could not become
        "John Smith"), then it is saved."""
        if isinstance(self.widget, QLineEdit) and self.limit == NAME and self.record_id is not None:
            text = self.widget.text()
            if text != text.strip():
                self.widget.setText(text.strip())
                self.dirty = True
        self.flush()

    def _say_limit(self) -> None:
        """Say so the moment the text reaches its limit (a line stops there; a text box is not saved past it)."""
        if self.limit is None:
            return
        text = self.text()
        length = sum(len(line) for line in lines_to_list(text)) if self.as_list else len(text)
        line = isinstance(self.widget, QLineEdit) and not self.as_list
        over = length >= min(self.limit, 32767) if line else length > self.limit
        if over and not self.over:
            self.saver.runner.saved.emit(
                f"{self.label[:1].upper()}{self.label[1:]} holds at most {self.limit:,} characters: "
                + ("typing stops there." if line else f"this is {length:,}, so it is not saved until shortened.")
            )
        self.over = over

    def flush(self) -> None:
        self.timer.stop()
        if not self.dirty or self.record_id is None:
            return
        self.dirty = False
        outcome = self.saver.save(self.table, self.record_id, self.field, self.label, self.as_list, self.text())
        if outcome == "gone":  # (e.g. its creation was undone): nothing to save into
            self.load(None, None)
        elif outcome == "refused":  # (a full disk …): the text stays in the field; leaving or closing tries again
            self.dirty = True

    def reload(self) -> None:
        """Show the stored value again (after undo/redo), unless the user is typing here."""
        if self.record_id is None or self.dirty:
            return
        try:
            value = self.saver.runner.store.get(self.table, self.record_id)[self.field]
        except NotFoundError:
            self.load(None, None)
            return
        shown = "\n".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        if shown != self.text():
            self.load(self.record_id, value)


class AutoSaver(QObject):
    """Saves bound widgets' text to the store after a short pause, on leaving the field, and on flush()."""

    def __init__(
        self, runner: EditRunner, parent: QObject | None = None, after_save: Callable[[str, str], None] | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        runner.changed.connect(self._tables_changed)
        self.after_save: Callable[[str, str], None] = after_save or (lambda _t, _f: None)
        self._bindings: list[_Binding] = []
        # Refused saves of records no longer shown: (table, record id, field) → (text, label, as a list).
        self._unsaved: dict[tuple[str, str, str], tuple[str, str, bool]] = {}

    def bind(
        self, widget: QLineEdit | QPlainTextEdit, table: str, field: str, label: str, *, as_list: bool = False
    ) -> None:
        self._bindings.append(_Binding(self, widget, table, field, label, as_list))

    def load(self, records: Mapping[str, Mapping[str, Any] | None]) -> None:
        """Show records (by table) in their bound widgets; None disables the widgets."""
        self.flush()
        for binding in self._bindings:
            record = records.get(binding.table)
            binding.load(record["id"] if record else None, record.get(binding.field) if record else None)

    def _tables_changed(self, tables: set[str]) -> None:
        for binding in self._bindings:
            if binding.table in tables:
                binding.reload()

    def flush(self) -> None:
        """Save anything typed but not yet saved (called before switching programme and on close)."""
        for binding in self._bindings:
            binding.flush()
        for (table, record_id, field), (text, label, as_list) in list(self._unsaved.items()):
            if self.save(table, record_id, field, label, as_list, text) != "refused":
                del self._unsaved[(table, record_id, field)]

    def save(self, table: str, record_id: str, field: str, label: str, as_list: bool, text: str) -> SaveOutcome:
        """Save typed text into a field through the undo stack, unless it is already there."""
        value: Any = lines_to_list(text) if as_list else text
        store = self.runner.store
        try:
            if store.get(table, record_id)[field] == value:
                return "unchanged"
        except NotFoundError:
            return "gone"
        if not self.runner.run(edits.set_field(store, table, record_id, field, value, label)):
            return "refused"
        self.after_save(table, field)
        return "saved"

    def unsaved(self) -> list[str]:
        """What was typed but could not be saved at the last flush (labels of the fields)."""
        shown = [b.label for b in self._bindings if b.dirty and b.record_id is not None]
        return shown + [label for _text, label, _as_list in self._unsaved.values()]

    def keep_unsaved(self, binding: _Binding, record_id: str, text: str) -> None:
        self._unsaved[(binding.table, record_id, binding.field)] = (text, binding.label, binding.as_list)

    def take_unsaved(self, binding: _Binding, record_id: str) -> str | None:
        kept = self._unsaved.pop((binding.table, record_id, binding.field), None)
        return kept[0] if kept is not None else None
