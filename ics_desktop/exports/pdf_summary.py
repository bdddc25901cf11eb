"""The board summary (PDF): one or two A4 pages a board can read in two minutes.

Readiness (overall scores, the "where are we now?" chart, the largest gaps, the focus capabilities),
then delivery (areas of focus with their actions and next milestone, actions by status, the overdue
ones, the next milestones). Long lists are capped with "+N more" so a huge programme still fits.

Every piece of user text goes through pdf_fonts (made drawable, right-to-left runs reordered) and is
never read as Paragraph markup. reportlab and matplotlib are imported inside the functions.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ics_desktop.exports.common import ExportCancelled, ExportResult, Progress, atomic_path, no_progress, xml_safe
from ics_desktop.exports.cover_logo import Logo, alt_text, stored_logo
from ics_desktop.exports.pdf_fonts import BOLD, REGULAR, drawable, markup, register_fonts, user_paragraph
from ics_desktop.exports.pdf_tags import Tagger, only_measuring, paragraph_class, table_callback, tag_file, tagger_of
from ics_desktop.frameworks.assessments import OPEN_DESIRED, agreed_results
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import (
    MINIMUM_GROUP,
    AssessmentResults,
    assessment_results,
    for_the_room,
)
from ics_desktop.planning.actions import ACTION_STATUSES, CLOSED_STATUSES, display_date
from ics_desktop.planning.roadmap import latest_assessment
from ics_desktop.storage.records import MilestoneRecord, ResultRecord
from ics_desktop.storage.store import Store

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, Table
    from reportlab.platypus.doctemplate import BaseDocTemplate

# -- the look ------------------------------------------------------------------------------------

NHS_BLUE = "#005EB8"
TEXT = "#212B32"
SECONDARY = "#425563"
BAND = "#F0F4F5"
RULE = "#D8DDE0"
WARNING = "#B5211A"  # a darker NHS red: overdue figures, still readable on a greyscale print
CHART_DPI = 200
LOGO_BOX = (150.0, 40.0)  # points: the largest a logo is drawn above the band
CHART_LEAST = 0.6  # the smallest the chart is drawn to end a page (its figures are also in the tiles and tables)
CHART_SIZE = (8.6, 3.2)  # inches; drawn at 200 dpi, scaled to the frame width (fonts end at about 8 pt)

# How much of each list a board sees; the rest is counted ("+N more").
MAX_GAPS = 5
MAX_FOCUS = 10
MAX_AREAS = 8
MAX_OVERDUE = 8
MAX_MILESTONES = 5
TITLE_LIMIT = 120  # characters of a title in a table (fewer when the page is tight)
MAX_MESSAGES = 5  # a board paper's key messages: three to five
PURPOSE_LIMIT, MESSAGE_LIMIT = 400, 200
STATEMENT_CHARS = 80
# Accessible text sizes (issue 15): body text 12 pt, tables and notes never below 10 pt.
BODY_PT = 12.0
SMALL_PT = 10.0


# -- what the summary says -----------------------------------------------------------------------


@dataclass
class Readiness:
    name: str
    date: str | None
    respondents: int
    illustrative: int
    overall: list[tuple[str, float | None]]  # (question label, overall mean)
    framework: Framework
    results: AssessmentResults
    agreed: dict[str, ResultRecord]


@dataclass
class Gap:
    code: str
    statement: str
    low: float
    high: float

    @property
    def size(self) -> float:
        return self.high - self.low


@dataclass
class AreaProgress:
    number: int
    title: str
    done: int
    total: int  # dropped actions are not counted
    overdue: int
    milestone: MilestoneRecord | None


@dataclass
class SummaryData:
    system: str
    programme: str
    start: str | None
    end: str | None
    today: date
    readiness: Readiness | None
    delivery_gaps: list[Gap] = field(default_factory=list)
    agreed_gaps: list[Gap] = field(default_factory=list)
    # code, statement, from, to (a level, "?" when left open, or None)
    focus: list[tuple[str, str, int | None, int | str | None]] = field(default_factory=list)
    areas: list[AreaProgress] = field(default_factory=list)
    actions_total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue_count: int = 0
    overdue: list[tuple[str, str, str, int]] = field(default_factory=list)  # title, owner, due (ISO), days late
    milestones: list[MilestoneRecord] = field(default_factory=list)
    milestones_open: int = 0
    # The board paper's own words (the Export page's "Board summary" fields).
    purpose: str = ""
    messages: list[str] = field(default_factory=list)
    author: str = ""
    contact: str = ""
    version: str = ""
    # How many rows each list shows (fewer when the summary would not fit on two pages).
    shown: dict[str, int] = field(
        default_factory=lambda: {
            "gaps": MAX_GAPS,
            "focus": MAX_FOCUS,
            "areas": MAX_AREAS,
            "overdue": MAX_OVERDUE,
            "milestones": MAX_MILESTONES,
            "titles": TITLE_LIMIT,  # characters of an area's, action's or milestone's title
        }
    )
    chart: bytes | None = None  # the readiness chart, drawn once however often the summary is laid out
    logo: Logo | None = None  # the organisation's, for the top of page 1
    logo_name: str = ""  # whose logo it is (its alt text)


def short_statement(text: str, limit: int = STATEMENT_CHARS) -> str:
    """The start of a capability statement, cut at a word with an ellipsis when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def fitted_statement(text: str, style: ParagraphStyle, width: float, lines: int = 1, lead: str = "") -> str:
    """The longest `short_statement` of `text` that fills at most `lines` lines of `width` points in `style`.

    Measured with the font's widths (a little slack for word wrapping), so a focus capability takes
    one line and never leaves a single word on a second one. `lead` is text set before it (a code).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    clean = " ".join(drawable(text).split())
    room = width * lines * (0.97 if lines == 1 else 0.86) - stringWidth(lead, BOLD, style.fontSize)

    def fits(candidate: str) -> bool:
        return bool(stringWidth(candidate, style.fontName, style.fontSize) <= room)

    if fits(clean):
        return clean
    low, high = 1, len(clean)
    while low < high:  # the longest limit whose shortened text still fits
        middle = (low + high + 1) // 2
        if fits(short_statement(clean, middle)):
            low = middle
        else:
            high = middle - 1
    return short_statement(clean, low)


def _statement(framework: Framework, code: str) -> str:
    try:
        return framework.capability(code).statement
    except KeyError:
        return ""


def _readiness(store: Store, assessment_id: str, minimum_group: int = MINIMUM_GROUP) -> Readiness:
    record = store.get("assessments", assessment_id)
    framework = store.framework(record["framework_id"])
    # A question fewer than `minimum_group` answered shows no figures (the board paper goes beyond the room).
    results = for_the_room(assessment_results(store, framework, assessment_id), minimum_group)
    agreed = agreed_results(store, assessment_id)
    overall = [(q.label, results.overall(q.key)) for q in framework.questions]
    if all(value is None for _label, value in overall):
        # Only the group's agreed figures were recorded (as a terms of reference has them): show their means.
        covered = set(framework.covered_codes)
        currents = [r["agreed_current"] for c, r in agreed.items() if c in covered]
        desireds = [r["agreed_desired"] for c, r in agreed.items() if c in covered]
        agreed_means: list[tuple[str, float | None]] = [
            (label, sum(known) / len(known))
            for label, values in (("Agreed current", currents), ("Agreed desired", desireds))
            if (known := [v for v in values if v is not None])
        ]
        if agreed_means:
            overall = agreed_means
    return Readiness(
        record["name"],
        record["date"],
        store.respondent_count(assessment_id),
        store.illustrative_respondents(assessment_id),
        overall,
        framework,
        results,
        agreed,
    )


def _gaps(readiness: Readiness) -> tuple[list[Gap], list[Gap], list[tuple[str, str, int | None, int | str | None]]]:
    framework, results, agreed = readiness.framework, readiness.results, readiness.agreed
    keys = framework.question_keys()
    order = {code: i for i, code in enumerate(c.code for c in framework.capabilities)}
    delivery: list[Gap] = []
    if "now" in keys and "realistic" in keys:
        for code in framework.covered_codes:
            now, realistic = results.result(code, "now").mean, results.result(code, "realistic").mean
            if now is not None and realistic is not None:
                delivery.append(Gap(code, _statement(framework, code), now, realistic))
    agreed_gaps: list[Gap] = []
    focus: list[tuple[str, str, int | None, int | str | None]] = []
    for code in sorted(agreed, key=lambda c: order.get(c, len(order))):
        row = agreed[code]
        current, desired = row.get("agreed_current"), row.get("agreed_desired")
        if current is not None and desired is not None:
            agreed_gaps.append(Gap(code, _statement(framework, code), current, desired))
        if row.get("focus"):
            shown = OPEN_DESIRED if desired is None and row.get("desired_open") else desired
            focus.append((code, _statement(framework, code), current, shown))
    # Largest first; ties keep the matrix order (sorted is stable).
    delivery.sort(key=lambda g: -round(g.size, 1))
    agreed_gaps.sort(key=lambda g: -g.size)
    return [g for g in delivery if g.size > 0], [g for g in agreed_gaps if g.size > 0], focus


def _milestone_order(today: str) -> Callable[[MilestoneRecord], tuple[bool, str]]:
    """Upcoming milestones first (soonest first), then the overdue ones (as actions.next_milestones orders them)."""
    return lambda m: ((m["due_date"] or "") < today, m["due_date"] or "")


def _days_late(today: date, due: str) -> int:
    try:
        return (today - date.fromisoformat(due)).days
    except ValueError:  # a date stored in some other form: still listed, lateness unknown
        return 0


def summary_data(
    store: Store,
    programme_id: str,
    *,
    assessment_id: str | None = None,
    today: date | None = None,
    minimum_group: int = MINIMUM_GROUP,
) -> SummaryData:
    """Everything the board summary shows, read in a handful of queries (fast at 10,000 actions)."""
    today = today or date.today()
    iso = today.isoformat()
    programme = store.programme(programme_id)
    system = store.system(programme.system_id)
    data = SummaryData(
        system["full_name"].strip() or system["name"], programme.name, programme.start_date, programme.end_date, today,
        None,
    )  # fmt: skip
    paper = store.get("programmes", programme_id)
    data.purpose = str(paper.get("board_purpose") or "").strip()
    # Three to five key messages, one per line (more than five are not a board's key messages: the first five).
    data.messages = [line.strip() for line in str(paper.get("board_messages") or "").splitlines() if line.strip()][
        :MAX_MESSAGES
    ]
    data.author = str(paper.get("board_author") or "").strip()
    data.contact = str(paper.get("board_contact") or "").strip()
    data.version = str(paper.get("board_version") or "").strip()
    data.logo = stored_logo(paper.get("cover_logo"))
    data.logo_name = str(paper.get("cover_logo_name") or "")
    assessment_id = assessment_id or latest_assessment(store, programme_id)
    if assessment_id:
        data.readiness = _readiness(store, assessment_id, minimum_group)
        data.delivery_gaps, data.agreed_gaps, data.focus = _gaps(data.readiness)

    data.actions_total, data.by_status, data.overdue_count = store.action_status_counts(programme_id, iso)
    per_area = {
        area_id: (int(done or 0), int(total or 0), int(overdue or 0))
        for area_id, done, total, overdue in store.conn.execute(
            "SELECT area_id, SUM(status = 'done'), SUM(status != 'dropped'), "
            "SUM(due_date < ? AND status NOT IN ('done', 'dropped')) "
            "FROM actions WHERE programme_id = ? GROUP BY area_id",
            (iso, programme_id),
        )
    }
    open_milestones = sorted(
        (m for m in store.milestones(programme_id) if m["due_date"] and m["status"] not in ("achieved", "missed")),
        key=_milestone_order(iso),
    )
    data.milestones_open = len(open_milestones)
    data.milestones = open_milestones[:MAX_MILESTONES]
    for area in store.areas_of_focus(programme_id):
        done, total, overdue = per_area.get(area["id"], (0, 0, 0))
        upcoming = next((m for m in open_milestones if area["number"] in m["areas"]), None)
        data.areas.append(AreaProgress(area["number"], area["title"], done, total, overdue, upcoming))

    closed = tuple(CLOSED_STATUSES)
    data.overdue = [
        (title, owner, due, _days_late(today, due))
        for title, owner, due in store.conn.execute(
            "SELECT title, owner, due_date FROM actions WHERE programme_id = ? AND due_date < ? "
            f"AND status NOT IN ({','.join('?' * len(closed))}) ORDER BY due_date, created, id LIMIT ?",
            (programme_id, iso, *closed, MAX_OVERDUE),
        )
    ]
    return data


# -- typography ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    band_note: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle
    more: ParagraphStyle


def _styles() -> Styles:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=REGULAR, fontSize=BODY_PT, leading=BODY_PT * 1.3, textColor=TEXT)

    def style(name: str, parent: ParagraphStyle = base, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    cell = style("cell", fontSize=SMALL_PT, leading=SMALL_PT * 1.25)
    head = style("head", fontName=BOLD, fontSize=SMALL_PT, leading=SMALL_PT * 1.25, textColor=SECONDARY)
    return Styles(
        title=style("title", fontName=BOLD, fontSize=18, leading=22, textColor="#FFFFFF"),
        subtitle=style("subtitle", fontSize=BODY_PT, leading=BODY_PT * 1.3, textColor="#FFFFFF"),
        band_note=style("band_note", fontSize=SMALL_PT, leading=SMALL_PT * 1.3, textColor="#D9E8F6", spaceBefore=3),
        h2=style("h2", fontName=BOLD, fontSize=14, leading=17, textColor=NHS_BLUE, spaceBefore=9, spaceAfter=4),
        body=base,
        note=style("note", fontSize=SMALL_PT, leading=SMALL_PT * 1.25, textColor=SECONDARY),
        cell=cell,
        cell_bold=style("cell_bold", parent=cell, fontName=BOLD),
        cell_small=style("cell_small", fontSize=SMALL_PT, leading=SMALL_PT * 1.25, textColor=SECONDARY),
        cell_right=style("cell_right", parent=cell, alignment=TA_RIGHT),
        head=head,
        head_right=style("head_right", parent=head, alignment=TA_RIGHT),
        figure=style("figure", fontName=BOLD, fontSize=26, leading=30, textColor=NHS_BLUE),
        figure_label=style(
            "figure_label", fontSize=SMALL_PT, leading=SMALL_PT * 1.25, textColor=SECONDARY, spaceBefore=7
        ),
        more=style("more", fontSize=SMALL_PT, leading=SMALL_PT * 1.25, textColor=SECONDARY, spaceBefore=3),
    )


def _p(text: str, style: ParagraphStyle) -> Flowable:
    """A Paragraph of our own fixed wording (markup allowed; never user text)."""
    return paragraph_class()(text, style)


def _u(text: str | None, style: ParagraphStyle, limit: int | None = None) -> Flowable:
    """A Paragraph of user text, shown exactly as typed (cut at a word to `limit` characters, with "…", where a
    table cell of the two-page summary must stay short: the Word roadmap has every text in full)."""
    return user_paragraph(_clip(text or "", limit) if limit else text, style)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-—") + "…"


# How much of a name or title a summary cell shows (the seed's longest action title is 94 characters).
OWNER_LIMIT, HEADER_LIMIT = 36, 160
DUE_WIDTH, OWNER_WIDTH = 72.0, 116.0  # "30 Nov 2018" on one line at 10 pt; an owner's name in two


def _table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    rules: bool = True,
    extra: Sequence[Any] = (),
    layout: bool = False,
    header_rows: int | None = None,
) -> Table:
    """A calm data table: a banded header row repeated on each page, light rules, rows allowed to split."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(
        list(rows),
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        splitByRow=1,
        splitInRow=20,
        renderCB=table_callback,  # tagged as a table of rows and cells (a layout table as a Div)
    )
    table.layout_only = layout
    table.header_rows = (1 if header else 0) if header_rows is None else header_rows
    commands: list[Any] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8.2),  # for the empty string cells (else Helvetica is listed)
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.6),
    ]
    if rules:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(RULE)))
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(BAND)),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(SECONDARY)),
        ]
    commands += list(extra)
    table.setStyle(TableStyle(commands))
    return table


def _more(count: int, shown: int, what: str, styles: Styles) -> list[Flowable]:
    hidden = count - shown
    return [_p(f"+{hidden} more {what}", styles.more)] if hidden > 0 else []


def _date(iso: str | None) -> str:
    """A stored date as markup ('31 Jan 2026'); a value that is not a date is shown as stored, escaped."""
    return markup(display_date(iso))


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _level(value: int | str | None) -> str:
    return "–" if value is None else str(value)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


# -- the sections --------------------------------------------------------------------------------


def _header(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    """The blue band: the system's full name, what this document is, the programme's dates and today's (and
    above it the organisation's logo, when the programme has one)."""
    from reportlab.lib import colors
    from reportlab.platypus import Spacer

    facts = []
    if data.start or data.end:
        facts.append(f"Programme {_date(data.start) or '…'} – {_date(data.end) or '…'}")
    facts.append(f"Summary as at {_long_date(data.today)}")
    if data.version:
        facts.append(f"Version {markup(_clip(data.version, 40))}")
    band = _table(
        [
            [_u(data.system, styles.title, HEADER_LIMIT)],
            [_u(f"{_clip(data.programme, HEADER_LIMIT)} — summary for boards", styles.subtitle)],
            [_p(" · ".join(facts), styles.band_note)],
        ],
        [width],
        header=False,
        rules=False,
        layout=True,
        extra=[
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(NHS_BLUE)),
            ("LEFTPADDING", (0, 0), (-1, -1), 14),
            ("RIGHTPADDING", (0, 0), (-1, -1), 14),
            ("TOPPADDING", (0, 0), (-1, 0), 12),
            ("TOPPADDING", (0, 1), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 12),
        ],
    )
    out: list[Flowable] = [band]
    if data.logo is not None:  # the organisation's logo, top right above the band
        logo_width, logo_height = data.logo.fitted_size(*LOGO_BOX)
        image = _fitted_image_class()(io.BytesIO(data.logo.data), width=logo_width, height=logo_height, hAlign="RIGHT")
        image.alt = alt_text(data.logo_name)
        out = [image, Spacer(1, 6), band]
    by = " · ".join(
        part
        for part in (
            f"Author: {markup(_clip(data.author, 60))}" if data.author else "",
            f"Contact: {markup(_clip(data.contact, 80))}" if data.contact else "",
        )
        if part
    )
    if by:
        out.append(_p(by, styles.note))
    if data.purpose:
        out += [_p("Purpose of this paper", styles.h2), _u(data.purpose, styles.body, PURPOSE_LIMIT)]
    if data.messages:
        out.append(_p("Key messages", styles.h2))
        out += [_u(f"{n}. {_clip(m, MESSAGE_LIMIT)}", styles.body) for n, m in enumerate(data.messages, start=1)]
    return out


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def _long_date(day: date) -> str:
    """'1 March 2019' (English whatever the process locale, like the rest of the document)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _scores(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    """The overall scores as big figures in tinted boxes, with what they come from beside them."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Spacer

    readiness = data.readiness
    if readiness is None:
        return [
            KeepTogether(
                [
                    _p("Readiness", styles.h2),
                    _p("No readiness assessment has been recorded for this programme yet.", styles.body),
                ]
            )
        ]
    figures = readiness.overall[:4]
    about: list[Flowable] = [
        _u(readiness.name, styles.cell_bold),
        _p(
            " · ".join(part for part in (_date(readiness.date), _plural(readiness.respondents, "respondent")) if part),
            styles.note,
        ),
        _p(
            f"Each figure is the mean of the group’s agreed maturity over the capabilities (scale "
            f"{_scale_span(readiness.framework)}); no individual scores were entered."
            if readiness.respondents == 0 and readiness.overall and readiness.overall[0][0].startswith("Agreed")
            else f"Each figure is the mean of the capability means (scale {_scale_span(readiness.framework)}).",
            styles.note,
        ),
    ]
    if readiness.illustrative:
        about.append(
            _p(
                f"<b>Illustrative:</b> {readiness.illustrative} of the {readiness.respondents} sets of responses "
                "are illustrative, not participants’ own scores.",
                styles.note,
            )
        )
    # One row: each box holds its figure over its label (so every box is as tall as the tallest, and a screen
    # reader hears "1.9 Now"), narrow gutters between the boxes, and the notes on the right.
    box, gutter = 100.0, 7.0
    top: list[Any] = []
    widths: list[float] = []
    commands: list[Any] = [
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    for i, (label, value) in enumerate(figures):
        col = 2 * i
        top += [[_p(_number(value), styles.figure), _u(label, styles.figure_label)], ""]
        widths += [box, gutter]
        commands += [
            ("BACKGROUND", (col, 0), (col, 0), colors.HexColor(BAND)),
            ("LINEABOVE", (col, 0), (col, 0), 2.5, colors.HexColor(NHS_BLUE)),
            ("LEFTPADDING", (col, 0), (col, 0), 9),
            ("TOPPADDING", (col, 0), (col, 0), 7),
            ("BOTTOMPADDING", (col, 0), (col, 0), 8),
            ("LEFTPADDING", (col + 1, 0), (col + 1, 0), 0),
            ("RIGHTPADDING", (col + 1, 0), (col + 1, 0), 0),
        ]
    last = len(widths)
    top.append(about)
    widths.append(width - sum(widths))
    commands += [
        ("LEFTPADDING", (last, 0), (last, 0), 8),
        ("RIGHTPADDING", (last, 0), (last, 0), 0),
    ]
    grid = _table([top], widths, header=False, rules=False, extra=commands, layout=True)
    return [Spacer(1, 12), grid]


def _scale_span(framework: Framework) -> str:
    levels = sorted(s.level for s in framework.scale) or [1, 4]
    return f"{levels[0]}–{levels[-1]}"


def chart_alt(readiness: Readiness) -> str:
    """The chart in words: each covered capability's mean for the first question, and the overall figure."""
    framework = readiness.framework
    question = framework.questions[0]
    figures = []
    for code in framework.covered_codes:
        mean = readiness.results.result(code, question.key).mean
        figures.append(f"{code} {mean:.1f}" if mean is not None else f"{code} no scores")
    overall = readiness.results.overall(question.key)
    said = f"; overall {overall:.1f}" if overall is not None else ""
    return (
        f"Bar chart, where are we now: the mean score ({question.label}) of each capability on the scale "
        f"{_scale_span(framework)}, the agreed current level marked: {', '.join(figures)}{said}."
    )


def chart_png(readiness: Readiness) -> bytes:
    """The "where are we now?" bar chart with the agreed markers, as PNG bytes at CHART_DPI."""
    from ics_desktop.charts import figure_png, readiness_bars

    framework = readiness.framework
    question = framework.questions[0].key if framework.questions else "now"
    agreed = {code: row.get("agreed_current") for code, row in readiness.agreed.items()}
    fig = readiness_bars(
        framework,
        readiness.results,
        question,
        agreed=agreed,
        title="Where are we now?",
        width=CHART_SIZE[0],
        height=CHART_SIZE[1],
    )
    return figure_png(fig, dpi=CHART_DPI)


def _chart(data: SummaryData, width: float, progress: Progress) -> list[Flowable]:
    """The chart scaled to the frame's width (drawn at 200 dpi, so it stays sharp in print)."""
    if data.readiness is None or not data.readiness.framework.questions:
        return []
    from reportlab.platypus import Spacer

    if data.chart is None:
        progress(25, "Drawing the readiness chart")
        data.chart = chart_png(data.readiness)
        progress(45, "Laying out the summary")
    png = data.chart
    height = width * CHART_SIZE[1] / CHART_SIZE[0]
    image = _fitted_image_class()(io.BytesIO(png), width=width, height=height)
    image.alt = chart_alt(data.readiness)
    return [Spacer(1, 8), image]


@functools.cache
def _fitted_image_class() -> Any:
    """An image that shrinks (to no less than CHART_LEAST of its size) to end a page rather than leave a gap,
    tagged as a Figure with its alt text."""
    from reportlab.platypus import Image

    class FittedImage(Image):  # type: ignore[misc]
        drawWidth: float
        drawHeight: float

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            natural: tuple[float, float] = getattr(self, "_natural", (self.drawWidth, self.drawHeight))
            self._natural = natural
            width, height = natural
            scale = 1.0 if height <= available_height else available_height / height
            if scale < CHART_LEAST:
                scale = 1.0  # too small to read: the next page, whole
            self.drawWidth, self.drawHeight = width * scale, height * scale
            return self.drawWidth, self.drawHeight

        def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
            if only_measuring(canvas):
                return  # encoding the picture was most of a measuring pass's time
            tagger = tagger_of(canvas)
            if tagger is None:
                super().drawOn(canvas, x, y, _sW)
                return
            with tagger.tagged(canvas, "Figure", self.alt):
                super().drawOn(canvas, x, y, _sW)

    FittedImage.alt = ""  # what a screen reader says for the picture
    return FittedImage


def _gap_table(gaps: list[Gap], title: str, heading: str, styles: Styles, width: float, whole: bool) -> list[Flowable]:
    """One of the two gap tables: capability (code and the start of its statement), from → to, the gap."""

    def fmt(v: float) -> str:
        return str(int(v)) if whole else f"{v:.1f}"

    text_width = width - 72 - 42 - 8  # the capability column less its padding

    def statement(gap: Gap) -> str:
        return fitted_statement(gap.statement, styles.cell, text_width, lines=2, lead=f"{gap.code}   ")

    rows: list[list[Any]] = [
        [_p("Capability", styles.head), _p(heading, styles.head_right), _p("Gap", styles.head_right)]
    ]

    for gap in gaps:
        rows.append(
            [
                _p(f"<b>{markup(gap.code)}</b>&nbsp; {markup(statement(gap))}", styles.cell),
                _p(f"{fmt(gap.low)} → {fmt(gap.high)}", styles.cell_right),
                _p(f"<b>+{fmt(gap.size)}</b>", styles.cell_right),
            ]
        )
    body: list[Flowable] = [_p(title, styles.cell_bold)]
    if len(rows) == 1:
        body.append(_p("No gaps to show.", styles.note))
    else:
        body.append(_table(rows, [width - 72 - 42, 72, 42]))
    return body


def _gaps_section(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    from reportlab.platypus import KeepTogether

    if data.readiness is None:
        return []
    labels = {q.key: q.label for q in data.readiness.framework.questions}
    half = (width - 16) / 2
    now, realistic = (_short_label(labels.get(k, k.capitalize())).lower() for k in ("now", "realistic"))
    shown = data.shown["gaps"]
    left = _gap_table(
        data.delivery_gaps[:shown],
        f"Delivery gap: {now} → {realistic} (mean scores)",
        "Means",
        styles,
        half,
        whole=False,
    )
    right = _gap_table(
        data.agreed_gaps[:shown], "Agreed gap: current → desired maturity", "Levels", styles, half, whole=True
    )
    pair = _table(
        [[left, right]],
        [half + 8, half + 8],
        header=False,
        rules=False,
        layout=True,
        extra=[
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 8),
            ("LEFTPADDING", (1, 0), (1, 0), 8),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    return [KeepTogether([_p("Largest gaps", styles.h2), pair])]


def _short_label(label: str) -> str:
    """'Realistic (18 months)' → 'Realistic' for a narrow column heading."""
    from xml.sax.saxutils import escape

    return escape(drawable(label.split("(")[0].strip() or label))


def _focus_section(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    """The focus capabilities in two columns (read down, then across): code, the start of the statement, agreed."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether

    if data.readiness is None:
        return []
    heading = _p(f"Focus capabilities ({len(data.focus)})" if data.focus else "Focus capabilities", styles.h2)
    if not data.focus:
        return [KeepTogether([heading, _p("No capabilities have been marked as a focus yet.", styles.body)])]
    shown = data.focus[: data.shown["focus"]]
    if not shown:  # no room for statements: the codes, the statements being in the roadmap
        codes = ", ".join(markup(code) for code, *_ in data.focus)
        return [KeepTogether([heading, _p(f"Capabilities agreed as a focus: {codes}.", styles.body)])]
    gutter, agreed_width = 16.0, 58.0
    half = (width - gutter) / 2
    text_width = half - agreed_width - 8

    def cells(item: tuple[str, str, int | None, int | str | None] | None) -> list[Any]:
        if item is None:
            return ["", ""]
        code, statement, current, desired = item
        agreed = f"{_level(current)} → {_level(desired)}" if current is not None or desired is not None else ""
        short = fitted_statement(statement, styles.cell, text_width, lines=2, lead=f"{code}   ")
        return [_p(f"<b>{markup(code)}</b>&nbsp; {markup(short)}", styles.cell), _p(agreed, styles.cell_right)]

    down = (len(shown) + 1) // 2
    head = [_p("Capability agreed as a focus", styles.head), _p("Agreed", styles.head_right)]
    rows: list[list[Any]] = [[*head, "", *(head if len(shown) > 1 else ["", ""])]]
    for i in range(down):
        right = shown[down + i] if down + i < len(shown) else None
        rows.append([*cells(shown[i]), "", *cells(right)])
    # Header band and rules on each half only: the gutter between them stays white.
    commands: list[Any] = []
    for first, last in ((0, 1), (3, 4)):
        commands += [
            ("BACKGROUND", (first, 0), (last, 0), colors.HexColor(BAND)),
            ("LINEBELOW", (first, 0), (last, 0), 0.8, colors.HexColor(SECONDARY)),
            ("LINEBELOW", (first, 1), (last, -1), 0.5, colors.HexColor(RULE)),
        ]
    if len(shown) == 1:
        commands = commands[:3]
    widths = [half - agreed_width, agreed_width, gutter, half - agreed_width, agreed_width]
    table = _table(rows, widths, header=False, rules=False, extra=commands, header_rows=1)
    hidden = [markup(code) for code, *_ in data.focus[len(shown) :]]
    more = [_p(f"+{len(hidden)} more focus capabilities: {', '.join(hidden)}", styles.more)] if hidden else []
    return [KeepTogether([heading, table, *more])]


def _areas_section(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    """Per area of focus: its actions done of total, how many are overdue, and its next milestone."""
    from reportlab.platypus import KeepTogether

    heading = _p("Areas of focus: progress", styles.h2)
    if not data.areas:
        return [KeepTogether([heading, _p("No areas of focus have been agreed yet.", styles.body)])]
    rows: list[list[Any]] = [
        [
            _p("Area of focus", styles.head),
            _p("Actions done", styles.head_right),
            _p("Overdue", styles.head_right),
            _p("Next milestone", styles.head),
            _p("Due", styles.head_right),
        ]
    ]
    today = data.today.isoformat()
    for area in data.areas[: data.shown["areas"]]:
        done = f"{area.done} of {area.total}" if area.total else "none yet"
        overdue = f"<font color='{WARNING}'><b>{area.overdue}</b></font>" if area.overdue else "0"
        m = area.milestone
        if m is None:
            milestone: Any = _p("No open milestone", styles.cell_small)
            due: Any = ""
        else:
            milestone = _u(m["title"], styles.cell, data.shown["titles"])
            late = (m["due_date"] or "") < today
            due_text = _date(m["due_date"])
            due = _p(f"<font color='{WARNING}'>{due_text}</font>" if late else due_text, styles.cell_right)
        rows.append(
            [
                _u(f"{area.number}. {area.title}", styles.cell_bold, data.shown["titles"]),
                _p(done, styles.cell_right),
                _p(overdue, styles.cell_right),
                milestone,
                due,
            ]
        )
    done_width, overdue_width, due_width = 52.0, 56.0, DUE_WIDTH
    area_width = width * 0.28
    rest = width - area_width - done_width - overdue_width - due_width
    table = _table(rows, [area_width, done_width, overdue_width, rest, due_width])
    passed = f"Dates in <font color='{WARNING}'>red</font> have passed."
    note = _p(f"Done of all actions not dropped. {passed}" if data.actions_total else passed, styles.more)
    return [
        KeepTogether([heading, table, *_more(len(data.areas), data.shown["areas"], "areas of focus", styles), note])
    ]


def _actions_section(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    from reportlab.platypus import KeepTogether, Spacer

    heading = _p("Actions", styles.h2)
    if not data.actions_total:
        return [KeepTogether([heading, _p("No actions have been recorded yet.", styles.body)])]
    statuses = [s for s in ACTION_STATUSES] + sorted(set(data.by_status) - set(ACTION_STATUSES))
    head = [_p(s.capitalize(), styles.head_right) for s in statuses]
    head += [_p("Total", styles.head_right), _p("Overdue", styles.head_right)]
    counts = [_p(str(data.by_status.get(s, 0)), styles.cell_right) for s in statuses]
    overdue = str(data.overdue_count)
    counts += [
        _p(f"<b>{data.actions_total}</b>", styles.cell_right),
        _p(f"<font color='{WARNING}'><b>{overdue}</b></font>" if data.overdue_count else overdue, styles.cell_right),
    ]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    # Each column as wide as its heading needs, the rest shared out: "In progress" stays on one line.
    needs = [stringWidth(h.getPlainText(), BOLD, SMALL_PT) + 12 for h in head]
    spare = max(0.0, width - sum(needs)) / len(head)
    status_table = _table([head, counts], [n + spare for n in needs])
    status_table.hAlign = "LEFT"
    parts: list[Flowable] = [heading, status_table]
    if data.overdue:
        rows: list[list[Any]] = [
            [
                _p("Overdue action", styles.head),
                _p("Owner", styles.head),
                _p("Due", styles.head_right),
                _p("Days late", styles.head_right),
            ]
        ]
        for title, owner, due, late in data.overdue[: data.shown["overdue"]]:
            rows.append(
                [
                    _u(title, styles.cell, data.shown["titles"]),
                    _u(owner or "—", styles.cell, OWNER_LIMIT),
                    _p(_date(due), styles.cell_right),
                    _p(f"<font color='{WARNING}'>{late}</font>", styles.cell_right),
                ]
            )
        table = _table(rows, [width - OWNER_WIDTH - DUE_WIDTH - 58, OWNER_WIDTH, DUE_WIDTH, 58])
        more = _more(data.overdue_count, min(len(data.overdue), data.shown["overdue"]), "overdue actions", styles)
        return [KeepTogether(parts), Spacer(1, 8), KeepTogether([table, *more])]
    parts.append(_p("No actions are overdue.", styles.note))
    return [KeepTogether(parts)]


def _milestones_section(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    from reportlab.platypus import KeepTogether

    heading = _p("Next milestones", styles.h2)
    if not data.milestones:
        return [KeepTogether([heading, _p("No open milestones with a due date.", styles.body)])]
    rows: list[list[Any]] = [[_p("Due", styles.head), _p("Milestone", styles.head), _p("Status", styles.head)]]
    today = data.today.isoformat()
    shown = data.milestones[: data.shown["milestones"]]
    for m in shown:
        status = m["status"]
        if (m["due_date"] or "") < today:
            status = f"{status} · <font color='{WARNING}'>overdue</font>"
        rows.append(
            [
                _p(_date(m["due_date"]), styles.cell),
                _u(m["title"], styles.cell, data.shown["titles"]),
                _p(status, styles.cell),
            ]
        )
    table = _table(rows, [DUE_WIDTH, width - DUE_WIDTH - 120, 120])
    more = _more(data.milestones_open, len(shown), "open milestones", styles)
    return [KeepTogether([heading, table, *more])]


# -- the page ------------------------------------------------------------------------------------


def _canvas_class(footer_date: str, tagger: Tagger | None = None, measuring: bool = False) -> Any:
    """A canvas that holds every page until the end so each footer can say "Page X of Y"; with a `tagger`,
    what is drawn on it is tagged (pdf_tags.py). A `measuring` canvas only counts pages: paragraphs skip
    drawing on it and it writes nothing."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.tagger = tagger
            self.measuring = measuring

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if self.measuring:
                return
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _footer(self, self.getPageNumber(), total, footer_date)
                super().showPage()
            super().save()

    return NumberedCanvas


def _footer(canvas: Canvas, page: int, total: int, when: str) -> None:
    from reportlab.lib import colors

    width, _ = canvas._pagesize
    left, right, y = _MARGINS[0], width - _MARGINS[1], _MARGINS[3] - 22
    canvas.addLiteral("/Artifact BMC")  # page furniture: a screen reader skips it
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor(RULE))
    canvas.setLineWidth(0.5)
    canvas.line(left, y + 10, right, y + 10)
    canvas.setFont(REGULAR, SMALL_PT)
    canvas.setFillColor(colors.HexColor(SECONDARY))
    canvas.drawString(left, y, f"Generated by ICS Desktop on {when}")
    canvas.drawRightString(right, y, f"Page {page} of {total}")
    canvas.restoreState()
    canvas.addLiteral("EMC")


_MARGINS = (48.0, 48.0, 34.0, 48.0)  # left, right, top, bottom (points)


def _first_part(data: SummaryData, styles: Styles, width: float, progress: Progress) -> list[Flowable]:
    """Where the system stands: the board paper's own words, the figures, the chart, gaps and focus."""
    return [
        *_header(data, styles, width),
        *_scores(data, styles, width),
        *_chart(data, width, progress),
        *_gaps_section(data, styles, width),
        *_focus_section(data, styles, width),
    ]


def _second_part(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    """What is being done: areas of focus, actions and milestones."""
    return [
        *_areas_section(data, styles, width),
        *_actions_section(data, styles, width),
        *_milestones_section(data, styles, width),
    ]


class _Cancelled(Exception):
    """ExportCancelled carried through reportlab, which re-creates an exception with a message argument."""


def _outlined_doc_class() -> Any:
    """A document template that bookmarks every section heading (the PDF's outline, for navigation)."""
    from reportlab.platypus import BaseDocTemplate, Paragraph

    class OutlinedDoc(BaseDocTemplate):  # type: ignore[misc]
        heading_style = ""

        def afterFlowable(self, flowable: Flowable) -> None:
            if isinstance(flowable, Paragraph) and flowable.style.name == self.heading_style:
                key = f"section-{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)

    return OutlinedDoc


MAX_PAGES = 2
# Rows each list shows, from the full summary to the most compact: the first part (where the system stands: gaps,
# focus) and the second (what is being done: areas, overdue actions, milestones) are fitted to a page each. The
# second keeps its areas of focus longest, a board's first question; titles are cut shorter only at the end.
FIRST_FITTING: tuple[dict[str, int], ...] = (
    {"gaps": MAX_GAPS, "focus": MAX_FOCUS},
    {"gaps": 4, "focus": 8},
    {"gaps": 3, "focus": 6},
    {"gaps": 3, "focus": 4},
    {"gaps": 2, "focus": 2},
    {"gaps": 1, "focus": 0},
)
SECOND_FITTING: tuple[dict[str, int], ...] = (
    {"areas": MAX_AREAS, "overdue": MAX_OVERDUE, "milestones": MAX_MILESTONES},
    {"areas": MAX_AREAS, "overdue": 5, "milestones": 4},
    {"areas": MAX_AREAS, "overdue": 4, "milestones": 3},
    {"areas": MAX_AREAS, "overdue": 3, "milestones": 2},
    {"areas": 6, "overdue": 3, "milestones": 2},
    {"areas": 5, "overdue": 2, "milestones": 2},
    {"areas": 4, "overdue": 2, "milestones": 1},
    {"areas": 3, "overdue": 1, "milestones": 1, "titles": 80},
    {"areas": 2, "overdue": 1, "milestones": 1, "titles": 60},
    {"areas": 1, "overdue": 1, "milestones": 1, "titles": 48},
)
# When the two parts share the pages (the board paper's words fill page 1), both shrink together.
FITTING = tuple(
    {**FIRST_FITTING[min(i, len(FIRST_FITTING) - 1)], **SECOND_FITTING[i]} for i in range(len(SECOND_FITTING))
)
FIRST_PART, SECOND_PART = ("gaps", "focus"), ("areas", "overdue", "milestones", "titles")


def write_summary_pdf(
    store: Store,
    programme_id: str,
    target: Path,
    *,
    assessment_id: str | None = None,
    progress: Progress = no_progress,
    today: date | None = None,
    minimum_group: int = MINIMUM_GROUP,
) -> ExportResult:
    """Write the board summary of a programme to `target` (replaced only when the whole file is written).

    `assessment_id` picks the scoring round (by default the latest with agreed figures); `today`
    (default: the real date) is the date the summary is "as at" and decides what is overdue; the
    footer always gives the real date the file was generated.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Frame, PageBreak, PageTemplate

    progress(0, "Reading the programme")
    data = summary_data(store, programme_id, assessment_id=assessment_id, today=today, minimum_group=minimum_group)
    register_fonts()
    styles = _styles()
    left, right, top, bottom = _MARGINS
    width = A4[0] - left - right
    _chart(data, width, progress)  # drawn once, here, with its progress
    progress(60, "Writing the PDF")
    pages: list[int] = []

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        pages.append(doc.page)
        try:
            progress(min(95, 60 + 10 * len(pages)), f"Writing page {doc.page}")
        except ExportCancelled:
            raise _Cancelled("cancelled") from None

    def build(story: list[Flowable], path: str | io.BytesIO, report: bool, tagger: Tagger | None = None) -> int:
        """Lay `story` out into `path` (tagged by `tagger`); the number of pages it took."""
        frame = Frame(
            left, bottom, width, A4[1] - top - bottom, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )
        counted: list[int] = []
        doc = _outlined_doc_class()(
            path,
            pageTemplates=[
                PageTemplate("page", [frame], onPage=on_page if report else lambda c, d: counted.append(d.page))
            ],
            pagesize=A4,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=xml_safe(f"{drawable(data.system)} — {drawable(data.programme)}: summary for boards"),
            author="ICS Desktop",
            subject="Summary for boards",
            creator="ICS Desktop",
            initialFontName=REGULAR,  # else every page lists Helvetica, a font it never uses
            lang="en-GB",  # what a screen reader reads it in
            displayDocTitle=True,  # the window shows the title, not the file name
        )
        doc.heading_style = styles.h2.name
        pages.clear()
        try:
            doc.build(story, canvasmaker=_canvas_class(_long_date(date.today()), tagger, measuring=not report))
        except _Cancelled:
            raise ExportCancelled() from None
        return len(pages) if report else len(counted)

    def fits_one_page(
        keys: tuple[str, ...], part: Callable[[], list[Flowable]], steps: tuple[dict[str, int], ...]
    ) -> bool:
        """Show the most rows of `part`'s lists that fit on one page; False when even the fewest do not."""
        for shown in steps:
            data.shown.update({k: shown.get(k, TITLE_LIMIT) for k in keys})
            if build(part(), io.BytesIO(), report=False) <= 1:
                return True
        return False

    def first() -> list[Flowable]:
        return _first_part(data, styles, width, no_progress)

    def second() -> list[Flowable]:
        return _second_part(data, styles, width)

    def whole() -> list[Flowable]:
        return [*first(), *second()]

    # A board summary is one or two pages whatever the data. When the whole of it runs over two pages,
    # the first part (where the system stands) gets page 1 and the rest page 2, each list showing as many
    # rows as fit there (the others counted, "+3 more"). When the board paper's own words leave too
    # little room for that, the whole flows over two pages with the fewest rows that let it.
    # (Flowables are made afresh for each layout: reportlab keeps state in them.)
    split = False
    if build(whole(), io.BytesIO(), report=False) > MAX_PAGES:
        split = fits_one_page(FIRST_PART, first, FIRST_FITTING) and fits_one_page(SECOND_PART, second, SECOND_FITTING)
        if not split:
            for shown in FITTING:
                data.shown.update({"titles": TITLE_LIMIT, **shown})
                if build(whole(), io.BytesIO(), report=False) <= MAX_PAGES:
                    break
    tagger = Tagger()
    with atomic_path(Path(target)) as temp:
        build([*first(), PageBreak(), *second()] if split else whole(), str(temp), report=True, tagger=tagger)
        tag_file(Path(temp), tagger)  # the structure tree, for screen readers
    progress(100, "Done")
    return ExportResult(Path(target), pages=len(pages))
