"""A programme's tables as data: CSV files (one per table) and an Excel workbook (one sheet per table).

Four tables: **actions**, **milestones**, **responses** (every participant's score, as stored: anonymous
codes stay codes) and **results** (per assessment and capability: the room's figures per question and
the agreed ones). The responses file uses the long layout `import-responses` reads (participant,
capability, question, score; other columns are ignored), so it can be imported again.

Text is written as typed, with two exceptions a file format forces:

* characters XML cannot hold (most C0 control characters, lone surrogates) are dropped, in CSV too,
  so both files say the same thing (Excel and other readers choke on them anyway);
* **formula injection**: a spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and
  some readers also a tab or carriage return) as a formula, so text typed in a workshop could
  compute, fetch or launch things on a board member's laptop. In CSV such text is prefixed with an
  apostrophe (``'=SUM(A1)``), the standard mitigation (OWASP): spreadsheets show it as text and a
  reader of the raw file sees the prefix. In the workbook such a cell is stored as a string (never a
  formula) and marked quote-prefixed, so Excel shows it exactly as typed and keeps it text when edited.

Cells in the workbook are typed: dates are dates, counts and means numbers, yes/no columns "Yes"/"No"
text (easy to filter). Excel holds at most 32,767 characters in a cell; longer text is cut there with
an ellipsis (in the workbook only; CSV keeps everything). Text that looks like Excel's own character
escape (`_x0041_`) is escaped in turn so Excel shows it as typed.

openpyxl is imported only when a workbook is written (start-up time matters).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ics_desktop.dates import month_name
from ics_desktop.exports.common import ExportError, ExportResult, Progress, atomic_path, no_progress, xml_safe
from ics_desktop.frameworks.assessments import agreed_results, change_words, desired_text, result_of
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import assessment_results
from ics_desktop.planning.actions import CLOSED_STATUSES, action_rows
from ics_desktop.planning.milestones import area_titles, is_overdue
from ics_desktop.storage.store import Store

_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767
DONT_KNOW = "don't know"
PROGRESS_EVERY = 500  # rows between progress calls while writing: often enough to cancel at once
DATE_FORMAT = "d mmm yyyy"
DECIMAL_FORMAT = "0.00"
CSV_DECIMALS = 2
HEADING_WIDTH = 18
CSV_NAMES = ("actions", "milestones", "responses", "results")

TEXT, DATE, INT, DECIMAL, YES_NO, SCORE = "text", "date", "int", "decimal", "yes/no", "score"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT  # one of TEXT, DATE, INT, DECIMAL, YES_NO, SCORE (an int or "don't know")
    wrap: bool = False  # long prose (a statement, an ambition): wrapped in the workbook


@dataclass
class Table:
    """One table: its file stem (`actions`), sheet title (`Actions`), columns and typed rows."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)


# -- the tables ------------------------------------------------------------------------------------


def _as_date(value: str | None) -> date | str | None:
    """An ISO date as a date; anything else as stored (never lose what is there)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def actions_table(store: Store, programme_id: str, today: str) -> Table:
    """Every action, soonest due first, with its area, workshop, note count and latest progress note."""
    latest: dict[str, tuple[str, str]] = {}
    for action_id, day, text in store.conn.execute(
        "SELECT n.action_id, n.date, n.text FROM action_notes n JOIN actions a ON a.id = n.action_id "
        "WHERE a.programme_id = ? ORDER BY n.date, n.created, n.id",
        (programme_id,),
    ):
        latest[action_id] = (day, text)  # ordered oldest first, so the last one read is the latest
    columns = [
        Column("Action"), Column("Owner"), Column("Due date", DATE), Column("Status"), Column("Overdue", YES_NO),
        Column("Area of focus"), Column("Workshop"), Column("Capabilities"), Column("Notes", INT),
        Column("Latest note date", DATE), Column("Latest note"),
    ]  # fmt: skip
    table = Table("actions", "Actions", columns)
    for a in action_rows(store, programme_id):
        day, text = latest.get(a.id, (None, ""))
        overdue = bool(a.due_date) and str(a.due_date) < today and a.status not in CLOSED_STATUSES
        table.rows.append(
            [a.title, a.owner, _as_date(a.due_date), a.status, overdue, a.area, a.workshop, ", ".join(a.capabilities),
             a.notes, _as_date(day), text]
        )  # fmt: skip
    return table


def milestones_table(store: Store, programme_id: str, today: str) -> Table:
    """Ambitions and their milestones in the order the programme keeps them."""
    titles = area_titles(store, programme_id)
    columns = [
        Column("Ambition year"), Column("Ambition", wrap=True), Column("Milestone year"),
        Column("Milestone", wrap=True), Column("Due date", DATE), Column("Status"), Column("Overdue", YES_NO),
        Column("Areas of focus"), Column("Capabilities"),
    ]  # fmt: skip
    table = Table("milestones", "Milestones", columns)
    for m in store.milestones(programme_id):
        areas = "; ".join(titles.get(n, str(n)) for n in m["areas"])
        table.rows.append(
            [m["ambition_year"], m["ambition"], m["milestone_year"], m["title"], _as_date(m["due_date"]), m["status"],
             is_overdue(m, today), areas, ", ".join(m["capabilities"])]
        )  # fmt: skip
    return table


def _assessments(store: Store, programme_id: str, assessment_id: str | None) -> list[dict[str, Any]]:
    rows = store.rows(
        "SELECT * FROM assessments WHERE programme_id = ? ORDER BY date IS NULL, date, created, id", (programme_id,)
    )
    if assessment_id is not None:
        rows = [r for r in rows if r["id"] == assessment_id]
        if not rows:
            raise ExportError("That assessment is not part of this programme.")
    return rows


def responses_table(store: Store, programme_id: str, assessment_id: str | None = None) -> Table:
    """Every score given, one per row, in the long layout `import-responses` reads back."""
    columns = [
        Column("Assessment"), Column("Date", DATE), Column("Participant"), Column("Kind"),
        Column("Illustrative", YES_NO), Column("Capability"), Column("Question"), Column("Score", SCORE),
    ]  # fmt: skip
    table = Table("responses", "Responses", columns)
    frameworks: dict[str, Framework] = {}
    for a in _assessments(store, programme_id, assessment_id):
        framework = frameworks.get(a["framework_id"]) or frameworks.setdefault(
            a["framework_id"], store.framework(a["framework_id"])
        )
        cap_order = {c.code: i for i, c in enumerate(framework.capabilities)}
        question_order = {q.key: i for i, q in enumerate(framework.questions)}
        found = store.conn.execute(
            "SELECT r.label, r.kind, r.illustrative, x.capability_code, x.question, x.score "
            "FROM responses x JOIN respondents r ON r.id = x.respondent_id WHERE r.assessment_id = ? "
            "ORDER BY r.created, r.label, r.id",
            (a["id"],),
        ).fetchall()
        respondent_order: dict[str, int] = {}
        for row in found:
            respondent_order.setdefault(row[0], len(respondent_order))
        far = len(cap_order) + len(question_order)  # codes or questions no longer in the framework go last
        found.sort(
            key=lambda r: (respondent_order[r[0]], cap_order.get(r[3], far), r[3], question_order.get(r[4], far), r[4])
        )
        day = _as_date(a["date"])
        for label, kind, illustrative, code, question, score in found:
            shown = DONT_KNOW if score is None else score
            table.rows.append([a["name"], day, label, kind, bool(illustrative), code, question, shown])
    return table


def results_table(store: Store, programme_id: str, assessment_id: str | None = None) -> Table:
    """Per assessment and capability: mean, n, counts, don't know and spread per question, then the agreed figures."""
    chosen = _assessments(store, programme_id, assessment_id)
    frameworks = {fid: store.framework(fid) for fid in dict.fromkeys(a["framework_id"] for a in chosen)}
    if not frameworks:
        frameworks = {"": store.programme_framework(programme_id)}  # headings even when nothing was scored
    # Frameworks differ between rounds: one column set covering every question and level used.
    questions: dict[str, str] = {}
    levels: set[int] = set()
    for framework in frameworks.values():
        for q in framework.questions:
            questions.setdefault(q.key, q.label)
        levels.update(s.level for s in framework.scale)
    ordered_levels = sorted(levels)
    columns = [
        Column("Assessment"), Column("Date", DATE), Column("Capability"), Column("Domain"),
        Column("Statement", wrap=True), Column("Covered", YES_NO),
    ]  # fmt: skip
    for label in questions.values():
        columns += [Column(f"{label}: mean", DECIMAL), Column(f"{label}: n", INT)]
        columns += [Column(f"{label}: {level}", INT) for level in ordered_levels]
        columns += [Column(f"{label}: {DONT_KNOW}", INT), Column(f"{label}: spread", DECIMAL)]
    columns += [
        Column("Agreed current", INT), Column("Agreed desired", INT), Column("Change"), Column("Focus", YES_NO),
        Column("Justification", wrap=True),
    ]  # fmt: skip
    table = Table("results", "Results", columns)
    for a in chosen:
        framework = frameworks[a["framework_id"]]
        results = assessment_results(store, framework, a["id"])
        agreed = agreed_results(store, a["id"])
        day = _as_date(a["date"])
        for domain in framework.domains:
            for cap in domain.capabilities:
                row: list[Any] = [a["name"], day, cap.code, f"{domain.number}. {domain.title}", cap.statement,
                                  cap.covered]  # fmt: skip
                for key in questions:
                    cell = results.by_capability[cap.code].get(key)
                    if cell is None:
                        row += [None] * (len(ordered_levels) + 4)
                        continue
                    row += [cell.mean, cell.n, *(cell.counts.get(level) for level in ordered_levels)]
                    row += [cell.dont_know, cell.spread]
                figures = result_of(agreed, cap.code)
                desired = figures.get("agreed_desired")
                desired = desired if desired is not None else desired_text(figures) or None  # "?" when left open
                row += [figures.get("agreed_current"), desired, change_words(figures.get("change")),
                        bool(figures.get("focus")), figures.get("justification") or ""]  # fmt: skip
                table.rows.append(row)
    return table


def build_tables(
    store: Store, programme_id: str, *, assessment_id: str | None = None, today: str | None = None
) -> Iterator[Table]:
    """The four tables in file order, each built when asked for (so progress can be shown between them)."""
    today = today or date.today().isoformat()
    store.programme(programme_id)  # a clear NotFoundError before any work
    yield actions_table(store, programme_id, today)
    yield milestones_table(store, programme_id, today)
    yield responses_table(store, programme_id, assessment_id)
    yield results_table(store, programme_id, assessment_id)


# -- cell values -----------------------------------------------------------------------------------


def is_risky(text: str) -> bool:
    """Would a spreadsheet treat this text as a formula?"""
    return text.startswith(RISKY_STARTS)


def csv_text(value: Any, kind: str = TEXT) -> str:
    """A typed value as written to CSV: ISO dates, Yes/No, 2-decimal means, defused formulas."""
    if value is None:
        return ""
    if kind == YES_NO or isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{CSV_DECIMALS}f}"
    if isinstance(value, int):
        return str(value)
    text = xml_safe(str(value))
    return "'" + text if is_risky(text) else text


def _display_width(value: Any, kind: str) -> int:
    """Roughly how many characters the value takes in a cell (the longest line)."""
    if value is None:
        return 0
    if kind == DATE and isinstance(value, date):
        return 11  # "31 Jan 2026"
    if kind == YES_NO:
        return 3
    if isinstance(value, float):
        return 5
    text = str(value)
    if "\n" in text:
        return max(len(line) for line in text.splitlines()) if text.strip() else 0
    return len(text)


def column_widths(table: Table, *, minimum: int = 8, maximum: int = 60, sample: int = 2000) -> list[float]:
    """Widths (in Excel character units) that fit the heading and the data, within sensible bounds.

    Only the first `sample` rows are measured: enough to size a column, and 10,000 rows stay fast.
    """
    widths = []
    for index, column in enumerate(table.columns):
        # A heading fits on one line up to HEADING_WIDTH characters; longer ones wrap (never mid-word).
        longest_word = max((len(word) for word in column.title.split()), default=0)
        heading = max(longest_word, min(len(column.title), HEADING_WIDTH))
        data = max((_display_width(row[index], column.kind) for row in table.rows[:sample]), default=0)
        limit = 50 if column.wrap else maximum
        widths.append(float(min(max(minimum, heading + 3, data + 2), limit)))
    return widths


def heading_lines(table: Table, widths: list[float]) -> int:
    """How many lines the tallest heading wraps to at these widths."""
    lines = 1
    for column, width in zip(table.columns, widths, strict=True):
        count, used = 1, 0
        for word in column.title.split():
            if used and used + 1 + len(word) > width - 2:
                count, used = count + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
        lines = max(lines, count)
    return lines


# -- CSV -------------------------------------------------------------------------------------------


def _write_csv_file(path: Path, table: Table, report: Callable[[int], None]) -> None:
    # UTF-8 with a byte-order mark: Excel then reads accents, emoji and right-to-left text correctly.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([column.title for column in table.columns])
        kinds = [column.kind for column in table.columns]
        for number, row in enumerate(table.rows, start=1):
            writer.writerow([csv_text(value, kind) for value, kind in zip(row, kinds, strict=True)])
            if number % PROGRESS_EVERY == 0:
                report(number)


def _steps(progress: Progress, count: int) -> Iterator[Callable[[int, str], None]]:
    """One progress reporter per table, each covering its share of 0–95 %."""
    share = 95 / count
    for index in range(count):

        def report(fraction_percent: int, what: str, start: float = index * share) -> None:
            progress(min(99, int(start + share * fraction_percent / 100)), what)  # rounded down: never goes back

        yield report


def _rows_done(step: Callable[[int, str], None], what: str, total: int) -> Callable[[int], None]:
    """A reporter taking the number of rows written so far."""

    def report(rows: int) -> None:
        step(100 * rows // total, what)

    return report


def write_csv(
    store: Store,
    programme_id: str,
    folder: Path,
    *,
    assessment_id: str | None = None,
    today: str | None = None,
    progress: Progress = no_progress,
) -> list[Path]:
    """actions.csv, milestones.csv, responses.csv and results.csv in `folder` (replacing older ones).

    All four are written to temporary files first and put in place together at the end, so a
    cancelled or failed export leaves no new file and the previous ones untouched.
    `assessment_id` limits responses and results to one assessment (default: every assessment).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(
            f"The folder {folder} does not exist." if not folder.exists() else f"{folder} is not a folder."
        )
    progress(0, "Reading the programme")
    targets = [folder / f"{name}.csv" for name in CSV_NAMES]
    with ExitStack() as stack:
        steps = _steps(progress, len(CSV_NAMES))
        for target, table, step in zip(
            targets, build_tables(store, programme_id, assessment_id=assessment_id, today=today), steps, strict=True
        ):
            what = f"Writing {target.name}"
            step(0, what)
            total = max(1, len(table.rows))
            temp = stack.enter_context(atomic_path(target))
            _write_csv_file(temp, table, _rows_done(step, what, total))
            step(100, what)
        progress(99, "Saving the files")
    progress(100, "Done")
    return targets


# -- Excel -----------------------------------------------------------------------------------------


def excel_text(text: str) -> str:
    """Text as a cell can hold it: XML-safe, at most 32,767 characters, and Excel's own escapes escaped.

    Excel reads `_xHHHH_` in cell text as an escaped character (`_x0041_` shows as "A"); its own
    escape for the underscore (`_x005F_`) keeps such text as typed.
    """
    text = _EXCEL_ESCAPE.sub(r"_x005F_\1", xml_safe(text))
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return text


def _sheet(workbook: Any, table: Table, report: Callable[[int], None]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter

    ws = workbook.create_sheet(table.title)
    last_column = get_column_letter(len(table.columns))
    widths = column_widths(table)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter = AutoFilter(ref=f"A1:{last_column}{len(table.rows) + 1}")
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    if len(table.columns) <= 12:  # wider tables would print unreadably small on one page's width
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    heading_font = Font(name="Calibri", size=11, bold=True, color="FFFFFF")  # the body's font
    heading_fill = PatternFill("solid", fgColor="005EB8")
    heading_align = Alignment(vertical="center", wrap_text=True)
    heading_border = Border(bottom=Side(style="thin", color="003087"))
    headings = []
    for column in table.columns:
        cell = WriteOnlyCell(ws, value=excel_text(column.title))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment, cell.border = heading_font, heading_fill, heading_align, heading_border
        headings.append(cell)
    ws.row_dimensions[1].height = 15 * heading_lines(table, widths) + 6
    ws.append(headings)

    wrap = Alignment(wrap_text=True, vertical="top")
    date_align = Alignment(horizontal="left", vertical="top")
    # Rows holding wrapped prose read best top-aligned; plain tables keep Excel's defaults (and stay fast).
    align = Alignment(vertical="top") if any(c.wrap for c in table.columns) else None
    # Not every spreadsheet sizes rows to wrapped text on opening: give such rows their height.
    wrapped = [(i, widths[i]) for i, c in enumerate(table.columns) if c.wrap]
    for number, row in enumerate(table.rows, start=1):
        cells: list[Any] = []
        for value, column in zip(row, table.columns, strict=True):
            if value is None or value == "":
                cells.append(None)
                continue
            if column.kind == YES_NO or isinstance(value, bool):
                value = "Yes" if value else "No"
            if isinstance(value, str):
                text = excel_text(value)
                if align is None and not column.wrap and not _needs_cell(text):
                    cells.append(text)  # openpyxl stores plain text as a string
                    continue
                cell = WriteOnlyCell(ws, value=None)
                cell.value = text
                cell.data_type = "s"  # never a formula or an error code, whatever the text is
                if is_risky(text):
                    cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
            elif isinstance(value, date | float):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT if isinstance(value, date) else DECIMAL_FORMAT
            elif align is None:
                cells.append(value)
                continue
            else:
                cell = WriteOnlyCell(ws, value=value)
            if column.wrap:
                cell.alignment = wrap
            elif column.kind == DATE:
                cell.alignment = date_align  # a date reads as a word beside its neighbours, not a number
            elif align is not None:
                cell.alignment = align
            cells.append(cell)
        if wrapped:
            height = _wrapped_height(row, wrapped)
            if height:
                ws.row_dimensions[number + 1].height = height
        ws.append(cells)
        if number % PROGRESS_EVERY == 0:
            report(number)


def _wrapped_height(row: list[Any], wrapped: list[tuple[int, float]]) -> float | None:
    """The height (points) a row needs for its wrapped cells, or None when one line is enough."""
    lines = 1
    for index, width in wrapped:
        text = row[index]
        if isinstance(text, str) and text:
            per_line = max(1.0, width - 1)  # characters that fit, roughly, at Calibri 11
            count = sum(max(1, math.ceil(len(part) / per_line)) for part in text[:5000].split("\n"))
            lines = max(lines, count)
    return min(409.0, 15.0 * lines + 2) if lines > 1 else None  # 409 points is Excel's tallest row


def _needs_cell(text: str) -> bool:
    """Would openpyxl store this text as something other than a string (a formula, an error code)?"""
    return is_risky(text) or text.startswith("#")


def _discard(workbook: Any) -> None:
    """Close a write-only workbook that will not be saved: its sheets' streams and temporary files."""
    for ws in workbook.worksheets:
        with suppress(Exception):  # already failing: tidy what can be tidied, report the first error
            if not ws.closed:
                ws.close()
            if ws._writer is not None:
                ws._writer.cleanup()


def write_xlsx(
    store: Store,
    programme_id: str,
    target: Path,
    *,
    assessment_id: str | None = None,
    today: str | None = None,
    progress: Progress = no_progress,
) -> ExportResult:
    """One workbook with a sheet per table: typed cells, bold frozen header row, filters, sized columns.

    Written to a temporary file and put in place only when complete.
    """
    from openpyxl import Workbook

    target = Path(target)
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist.")
    if target.is_dir():
        raise ExportError(f"{target} is a folder; choose a file name.")
    programme = store.programme(programme_id)
    progress(0, "Reading the programme")
    # The temporary file comes first: an unwritable folder is reported before any work is done.
    with atomic_path(target) as temp:
        workbook = Workbook(write_only=True)
        workbook.properties.title = f"{programme.system_name} – {programme.name}"
        workbook.properties.creator = "ICS Desktop"
        as_at = date.fromisoformat(today) if today else date.today()
        # What "Overdue" was judged against, shown in the workbook's properties (File > Info).
        workbook.properties.subject = f"As at {as_at.day} {month_name(as_at)} {as_at.year}"
        try:
            steps = _steps(progress, len(CSV_NAMES))
            tables = build_tables(store, programme_id, assessment_id=assessment_id, today=today)
            for table, step in zip(tables, steps, strict=True):
                what = f"Writing the {table.title.lower()} sheet"
                step(0, what)
                _sheet(workbook, table, _rows_done(step, what, max(1, len(table.rows))))
                step(100, what)
            progress(96, "Saving the workbook")
            workbook.save(temp)
        except BaseException:
            _discard(workbook)
            raise
    progress(100, "Done")
    return ExportResult(target)
