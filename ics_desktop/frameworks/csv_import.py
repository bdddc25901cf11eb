"""Importing participants' readiness scores from a CSV file: every problem listed, then all or nothing.

Two layouts are read, told apart by the header row (case and surrounding spaces do not matter; the
delimiter may be a comma, a semicolon or a tab; UTF-8 with or without a byte-order mark):

* **long**: one response per row, with the columns ``participant``, ``capability``, ``question`` and
  ``score`` in any order (other columns are ignored);
* **wide**: one participant per row: first ``participant``, then one column per capability and
  question such as ``1.1 now``, ``1.1_aspire``, ``1.1-realistic`` or ``1.1 (now)``; an empty cell
  means no response.

A score is a whole number on the framework's scale (``3``, `` 3 ``, ``3.0``), or ``?``, ``dk`` or
``don't know`` for *don't know*. Problems are reported with the row number a spreadsheet shows
(the header is row 1), so the user can fix them all at once. Nothing is written unless the whole
file is good, and the writing itself happens in one transaction.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ics_desktop.errors import StoreError, UserFacingError
from ics_desktop.frameworks.assessments import assessment_by_name, create_assessment, respondents
from ics_desktop.frameworks.framework import Framework
from ics_desktop.storage.store import Store

MAX_BYTES = 5 * 1024 * 1024
SHOWN_ERRORS = 200  # more than this in one message helps nobody; `errors` keeps them all
HEADLINE = "The file was not imported; nothing was saved."
LONG_COLUMNS = ("participant", "capability", "question", "score")
DELIMITERS = (",", ";", "\t")
DONT_KNOW = frozenset({"?", "dk", "don't know", "don’t know", "dont know", "do not know"})
_SEPARATORS = " _-"
_EMPTY_CELLS = "".join(DELIMITERS) + '"\r\n \ufeff'  # a file of only these holds nothing
_SHOW_AT_MOST = 40


class CsvImportError(UserFacingError):
    """A file of responses that cannot be imported; `errors` lists every problem found, one line each."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__(self._message())

    def _message(self) -> str:
        shown = self.errors[:SHOWN_ERRORS]
        lines = [HEADLINE, *(f"  {e}" for e in shown)]
        if len(self.errors) > len(shown):
            lines.append(f"  … and {len(self.errors) - len(shown)} more problems")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._message()


class CsvFileError(UserFacingError):
    """The CSV file itself cannot be read (missing, a folder, no permission)."""


@dataclass(frozen=True)
class ParsedResponse:
    """One participant's score for one capability and question, from row `row` of the file."""

    row: int
    participant: str
    capability_code: str
    question: str
    score: int | None  # None means "don't know"


@dataclass(frozen=True)
class ImportReport:
    participants_added: int
    participants_updated: int
    responses: int

    @property
    def participants(self) -> int:
        return self.participants_added + self.participants_updated


@dataclass(frozen=True)
class AssessmentImport:
    """What `import_csv_bytes` did: the assessment written to and whether it was created."""

    assessment_id: str
    assessment_name: str
    created: bool
    report: ImportReport

    def describe(self) -> str:
        """One line for the user, e.g. "imported 42 responses from 3 participants into 'X' (new assessment)"."""
        r = self.report
        if self.created:
            detail = "new assessment"
        else:
            detail = f"existing assessment: {r.participants_added} added, {r.participants_updated} updated"
        return (
            f"imported {_count(r.responses, 'response')} from {_count(r.participants, 'participant')} "
            f"into '{self.assessment_name}' ({detail})"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _show(value: str) -> str:
    """A user's text quoted for a one-line message: control characters escaped, long text shortened."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value[: _SHOW_AT_MOST + 1])
    if len(value) > _SHOW_AT_MOST:
        text = text[:_SHOW_AT_MOST] + "…"
    return f"'{text}'"


def _norm(cell: str) -> str:
    """A header cell as compared: no BOM, no surrounding or repeated spaces, case-folded."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def _blank(cells: Sequence[str]) -> bool:
    return not any(c.strip() for c in cells)


def _size_text(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _too_big(n: int) -> str:
    return (
        f"The file is {_size_text(n)}; files over {MAX_BYTES // (1024 * 1024)} MB are not imported "
        "(split it into smaller files)."
    )


# -- reading ------------------------------------------------------------------------------------


def _reader(text: str, delimiter: str) -> Iterable[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)


def _sniff(text: str) -> str:
    """The delimiter whose first non-blank row looks most like a header (one naming `participant`)."""
    best, best_rank = DELIMITERS[0], (False, 0)
    for delimiter in DELIMITERS:
        try:
            first = next((cells for cells in _reader(text, delimiter) if not _blank(cells)), None)
        except csv.Error:
            continue
        if first is None:
            continue
        rank = ("participant" in {_norm(c) for c in first}, len(first))
        if rank > best_rank:
            best, best_rank = delimiter, rank
    return best


def _records(text: str, delimiter: str, errors: list[str]) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for every row; a row CSV cannot read ends the list with an error."""
    out: list[tuple[int, list[str]]] = []
    row = 0
    try:
        for row, cells in enumerate(_reader(text, delimiter), start=1):
            out.append((row, cells))
    except csv.Error as exc:
        errors.append(f"row {row + 1}: cannot be read as CSV ({exc})")
    return out


# -- values ------------------------------------------------------------------------------------


# Digits 0–9 only, with a decimal point or comma (a spreadsheet's '3.0' or '3,0'), optionally signed.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)


def _parse_score(raw: str, top: int) -> tuple[int | None, str | None]:
    """(score, None) for a good cell, (None, problem) for a bad one; don't know is (None, None)."""
    text = raw.strip()
    hint = f"use 1–{top}, or ? for don't know"
    if not text:
        return None, f"no score ({hint})"
    if " ".join(text.casefold().split()) in DONT_KNOW:
        return None, None
    if not _PLAIN_NUMBER.fullmatch(text):  # '1e0', '٣' and '３' are numbers to Python, not to a spreadsheet
        return None, f"score {_show(text)} is not a number ({hint})"
    try:
        number = float(text)
    except ValueError:
        try:  # a decimal comma, as a semicolon-separated file from a European spreadsheet may hold
            number = float(text.replace(",", ".", 1)) if text.count(",") == 1 else math.nan
        except ValueError:
            number = math.nan
    if math.isnan(number):
        return None, f"score {_show(text)} is not a number ({hint})"
    if math.isfinite(number) and not number.is_integer():
        return None, f"score {_show(text)} is not a whole number ({hint})"
    if not math.isfinite(number) or not 1 <= number <= top:
        return None, f"score {_show(text)} is outside 1–{top}"
    return int(number), None


class _Parser:
    """Parses one file against one framework, collecting every problem."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.top = len(framework.scale)
        self.codes = {c.code.casefold(): c.code for c in framework.capabilities}
        self.questions = {k.casefold(): k for k in framework.question_keys()}
        self.errors: list[str] = []
        self.parsed: list[ParsedResponse] = []
        self.first_row: dict[tuple[str, str, str], int] = {}

    @property
    def question_list(self) -> str:
        return ", ".join(self.framework.question_keys())

    def code(self, raw: str) -> str | None:
        return self.codes.get(" ".join(raw.split()).casefold())

    def question(self, raw: str) -> str | None:
        return self.questions.get(" ".join(raw.split()).casefold())

    def add(self, row: int, where: str, participant: str, code: str, question: str, raw_score: str) -> None:
        score, problem = _parse_score(raw_score, self.top)
        if problem:
            self.errors.append(f"{where}: {problem}")
            return
        key = (participant, code, question)
        first = self.first_row.get(key)
        if first is not None:
            self.errors.append(
                f"{where}: duplicate of row {first} ({_show(participant)}, {code} {question} given twice)"
            )
            return
        self.first_row[key] = row
        self.parsed.append(ParsedResponse(row, participant, code, question, score))

    @staticmethod
    def ragged(row: int, cells: list[str], width: int) -> str | None:
        if len(cells) < width or (len(cells) > width and not _blank(cells[width:])):
            return f"row {row}: has {len(cells)} cells but the header has {width} columns"
        return None

    # long: one response per row

    def long(self, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
        names = [_norm(c) for c in header]
        columns: dict[str, int] = {}
        for name in LONG_COLUMNS:
            where = [i for i, n in enumerate(names) if n == name]
            if len(where) > 1:
                self.errors.append(f"header: column '{name}' appears {len(where)} times")
            elif where:
                columns[name] = where[0]
        missing = [name for name in LONG_COLUMNS if name not in names]
        if missing:
            self.errors.append(
                f"header: missing column{'s' if len(missing) > 1 else ''} "
                + ", ".join(f"'{m}'" for m in missing)
                + " (a file with one response per row needs participant, capability, question and score)"
            )
        if len(columns) < len(LONG_COLUMNS):
            return
        width = len(header)
        for row, cells in rows:
            if _blank(cells):
                continue
            problem = self.ragged(row, cells, width)
            if problem:
                self.errors.append(problem)
                continue
            participant = cells[columns["participant"]].strip()
            raw_code, raw_question = cells[columns["capability"]], cells[columns["question"]]
            code, question = self.code(raw_code), self.question(raw_question)
            ok = True
            if not participant:
                self.errors.append(f"row {row}: no participant")
                ok = False
            if code is None:
                self.errors.append(
                    f"row {row}: no capability {_show(raw_code.strip())} in the framework"
                    if raw_code.strip()
                    else f"row {row}: no capability"
                )
                ok = False
            if question is None:
                self.errors.append(
                    f"row {row}: no question {_show(raw_question.strip())} (questions: {self.question_list})"
                    if raw_question.strip()
                    else f"row {row}: no question (questions: {self.question_list})"
                )
                ok = False
            if not ok or code is None or question is None:
                _, problem = _parse_score(cells[columns["score"]], self.top)
                if problem:
                    self.errors.append(f"row {row}: {problem}")
                continue
            self.add(row, f"row {row}", participant, code, question, cells[columns["score"]])

    # wide: one participant per row

    def wide_column(self, heading: str) -> tuple[str, str] | str:
        """(code, question) for a wide heading such as '1.1 now' or '1.1 (now)', else the problem."""
        text = " ".join(heading.split())
        shown = _show(text)
        example = f"expected a capability and a question such as '{self._example()}'"
        if len(text) > 2 * _SHOW_AT_MOST:
            return f"header: column {shown} is not a capability and question ({example})"
        if text.endswith(")") and "(" in text:
            code_part, _, rest = text[:-1].rpartition("(")
            code_text, question_text = code_part.strip(), rest.strip()
        else:
            cut = max(text.rfind(s) for s in _SEPARATORS)
            if cut <= 0:
                return f"header: column {shown} is not a capability and question ({example})"
            code_text, question_text = text[:cut].rstrip(_SEPARATORS), text[cut + 1 :].strip()
        code, question = self.code(code_text), self.question(question_text)
        if not code_text or not question_text:
            return f"header: column {shown} is not a capability and question ({example})"
        if code is None and question is None:
            return f"header: column {shown} is not a capability and question ({example})"
        if code is None:
            return f"header: column {shown}: no capability {_show(code_text)} in the framework"
        if question is None:
            return f"header: column {shown}: no question {_show(question_text)} (questions: {self.question_list})"
        return code, question

    def _example(self) -> str:
        codes, keys = self.framework.capabilities, self.framework.question_keys()
        return f"{codes[0].code if codes else '1.1'} {keys[0] if keys else 'now'}"

    def wide(self, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
        cells_of: dict[int, tuple[str, str]] = {}
        first_heading: dict[tuple[str, str], str] = {}
        unnamed: list[int] = []
        for index, heading in enumerate(header[1:], start=1):
            if not heading.strip():
                unnamed.append(index)
                continue
            if _norm(heading) == "participant":
                self.errors.append("header: column 'participant' appears more than once")
                continue
            found = self.wide_column(heading)
            if isinstance(found, str):
                self.errors.append(found)
                continue
            if found in first_heading:
                self.errors.append(
                    f"header: columns {_show(first_heading[found])} and {_show(heading.strip())} "
                    f"are both {found[0]} {found[1]}"
                )
                continue
            first_heading[found] = heading.strip()
            cells_of[index] = found
        width = len(header)
        reported_unnamed: set[int] = set()
        for row, cells in rows:
            if _blank(cells):
                continue
            problem = self.ragged(row, cells, width)
            if problem:
                self.errors.append(problem)
                continue
            for index in unnamed:
                if cells[index].strip() and index not in reported_unnamed:
                    reported_unnamed.add(index)
                    self.errors.append(f"header: column {index + 1} has no heading but row {row} has a value in it")
            participant = cells[0].strip()
            if not participant:
                self.errors.append(f"row {row}: no participant")
                continue
            for index, (code, question) in cells_of.items():
                if cells[index].strip():
                    self.add(row, f"row {row} ({code} {question})", participant, code, question, cells[index])


def parse_responses(text: str, framework: Framework) -> list[ParsedResponse]:
    """Every response in a CSV text, checked against `framework`; raises CsvImportError listing every problem."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise CsvImportError(["The text holds characters that are not valid Unicode (lone surrogates)."]) from None
    if size > MAX_BYTES:
        raise CsvImportError([_too_big(size)])
    text = text.removeprefix("\ufeff")
    if not text.strip().strip(_EMPTY_CELLS):
        raise CsvImportError(["The file is empty."])
    parser = _Parser(framework)
    rows = _records(text, _sniff(text), parser.errors)
    header_at = next((i for i, (_, cells) in enumerate(rows) if not _blank(cells)), None)
    if header_at is None:
        raise CsvImportError(parser.errors or ["The file is empty."])
    header = rows[header_at][1]
    body = rows[header_at + 1 :]
    names = [_norm(c) for c in header]
    if any(n in LONG_COLUMNS[1:] for n in names):
        parser.long(header, body)
    elif names[0] == "participant":
        parser.wide(header, body)
    else:
        parser.errors.insert(
            0,
            "header: the first row must name the columns: participant, capability, question and score "
            f"(one response per row), or participant then one column per capability and question "
            f"such as '{parser._example()}'",
        )
    if parser.errors:
        raise CsvImportError(parser.errors)
    if not parser.parsed:
        if all(_blank(cells) for _, cells in body):
            raise CsvImportError(["The file has a header row but no rows of responses."])
        raise CsvImportError(["The file holds no scores (every score cell is empty)."])
    return parser.parsed


def parse_responses_bytes(data: bytes, framework: Framework) -> list[ParsedResponse]:
    """As `parse_responses`, for a file's bytes (UTF-8, with or without a byte-order mark)."""
    if len(data) > MAX_BYTES:
        raise CsvImportError([_too_big(len(data))])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvImportError(
            [
                "The file is not UTF-8 text (it is UTF-16): save it from your spreadsheet as "
                "'CSV UTF-8 (comma delimited)' and import that."
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportError(
            [
                f"The file is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line} is not UTF-8): "
                "save it from your spreadsheet as 'CSV UTF-8 (comma delimited)' and import that."
            ]
        ) from None
    return parse_responses(text, framework)


def read_csv_file(path: Path) -> bytes:
    """A CSV file's bytes; CsvFileError when it cannot be read, CsvImportError when it is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CsvImportError([_too_big(size)])
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CsvFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise CsvImportError([_too_big(len(data))])
    return data


# -- writing -------------------------------------------------------------------------------------


def import_responses(store: Store, assessment_id: str, parsed: Sequence[ParsedResponse]) -> ImportReport:
    """Write checked responses into an assessment in one transaction.

    A participant whose label is already scoring the assessment has the scores for these cells
    replaced; a new label becomes a respondent of kind "import". Raises StoreError (and saves
    nothing) if the database refuses any of it.
    """
    added = updated = 0
    try:
        with store.atomic():
            store.get("assessments", assessment_id)  # NotFoundError for a wrong id
            existing = {r.label: r.id for r in respondents(store, assessment_id)}
            ids: dict[str, str] = {}
            for response in parsed:
                label = response.participant.strip()
                respondent_id = ids.get(label)
                if respondent_id is None:
                    if label in existing:
                        respondent_id = existing[label]
                        updated += 1
                    else:
                        respondent_id = store.add_respondent(assessment_id, label, kind="import")
                        added += 1
                    ids[label] = respondent_id
                store.set_response(respondent_id, response.capability_code, response.question, response.score)
    except sqlite3.Error as exc:
        raise StoreError(f"The responses could not be saved ({exc}); nothing was saved.") from None
    return ImportReport(added, updated, len(parsed))


def import_csv_bytes(
    store: Store, programme_id: str, assessment_name: str, data: bytes, *, today: str
) -> AssessmentImport:
    """Check a CSV file against the assessment's framework, then in one transaction create the
    assessment (dated `today`) when the programme has none of that name and import the responses.

    A new assessment uses the programme's current framework. Nothing is saved on any error.
    """
    name = assessment_name.strip()
    if not name:
        raise StoreError("An assessment needs a name.")
    assessment_id = assessment_by_name(store, programme_id, name)
    if assessment_id is None:
        framework = store.programme_framework(programme_id)
    else:
        record = store.get("assessments", assessment_id)
        name = str(record["name"])
        framework = store.framework(str(record["framework_id"]))
    parsed = parse_responses_bytes(data, framework)
    created = assessment_id is None
    try:
        with store.atomic():
            if assessment_id is None:
                assessment_id = create_assessment(store, programme_id, name, today)
            report = import_responses(store, assessment_id, parsed)
    except sqlite3.Error as exc:
        raise StoreError(f"The responses could not be saved ({exc}); nothing was saved.") from None
    return AssessmentImport(assessment_id, name, created, report)
