"""The programme's terms of reference as a Word document, in the order of the 2018 terms of reference.

1 Preparing for the future · 2 Programme content, delivery and timeline · 3 System overview ·
4 Summary of programme readiness exercise · 5 Areas of focus and workshop plans · Appendices A the
maturity matrix, B the readiness exercise, C the team. Every table comes from the roadmap's builders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ics_desktop.exports import docx_style as ds
from ics_desktop.exports.common import ExportResult, Progress, atomic_path, no_progress, xml_safe
from ics_desktop.exports.docx_style import Row, cell, para
from ics_desktop.exports.roadmap_data import ExportData, load_data
from ics_desktop.exports.word_roadmap import (
    APPENDICES,
    milestones_table,
    programme_dates_sentence,
    workshop_blend,
    workshop_schedule_table,
    write_areas,
    write_matrix_appendix,
    write_readiness_appendix,
    write_readiness_summary,
    write_system_overview,
    write_team_appendix,
)
from ics_desktop.exports.word_writer import Writer, cover_details, write_cover
from ics_desktop.frameworks.scoring import MINIMUM_GROUP
from ics_desktop.planning.tor_text import TorSection, blocks, tor_sections
from ics_desktop.storage.store import Store

CHAPTERS = (
    "Preparing for the future: a development programme for aspiring ICSs",
    "Programme content, delivery and timeline",
    "System overview for {system}",
    "Summary of programme readiness exercise",
    "Areas of focus and workshop plans",
)


def tor_title(d: ExportData) -> str:
    return f"{d.programme['name'] or 'Supporting Aspiring ICS Programme'} — Terms of Reference — {d.system_name}"


def write_section(w: Writer, section: TorSection | None, *, level: int = 2) -> bool:
    """A section of the ToR's own words under its heading: paragraphs, bullets and tables as written.
    False (nothing written) when it has no words."""
    if section is None or not xml_safe(section.body).strip():
        return False
    doc = w.doc
    if section.title.strip():
        ds.heading(doc, section.title, level)
    for kind, content in blocks(section.body):
        if kind == "heading":
            ds.heading(doc, str(content[0]), level + 1)
        elif kind == "paragraph":
            ds.add(doc, para(str(content[0])))
        elif kind == "bullets":
            ds.add_bullets(doc, [str(item) for item in content])
        else:
            rows = [[str(c) for c in row] for row in content if isinstance(row, list)]
            columns = max(len(row) for row in rows)
            padded = [row + [""] * (columns - len(row)) for row in rows]
            table = [ds.header_row(*padded[0])] + [Row(tuple(cell(text) for text in row)) for row in padded[1:]]
            # Wider columns for the wordier ones (the seed's delivery-phase table has one long middle column).
            weights = [max(12.0, sum(len(row[i]) for row in padded)) ** 0.5 for i in range(columns)]
            ds.add_table(doc, [ds.text_width_cm() * w / sum(weights) for w in weights], table)
    return True


def _preparing(w: Writer, words: dict[str, TorSection]) -> None:
    d = w.data
    w.chapter(CHAPTERS[0])
    if not write_section(w, words.get("introduction")):
        ds.heading(w.doc, "Introduction and context", 2)
        ds.add_text(w.doc, d.programme["description"] or "The programme’s description has not been written yet.")
    write_section(w, words.get("programme"))


def _delivery(w: Writer, words: dict[str, TorSection]) -> None:
    d, doc = w.data, w.doc
    w.chapter(CHAPTERS[1])
    ds.add(doc, para(programme_dates_sentence(d)))
    if not write_section(w, words.get("delivery")) and xml_safe(d.programme["structure"]).strip():
        ds.heading(doc, "How will it be delivered?", 2)
        ds.add_text(doc, d.programme["structure"])
    blends = [f"{d.area_label(a)}: {blend}" for a in d.areas if (blend := workshop_blend(a))]
    if blends:
        ds.heading(doc, "Programme content", 2)
        ds.add(doc, para("The workshops are tailored to each area of focus (see section 5):", keep_next=True))
        ds.add_bullets(doc, blends)
    timeline = words.get("timeline")
    ds.heading(doc, timeline.title if timeline is not None and timeline.title.strip() else "Workshops", 2)
    if timeline is not None and xml_safe(timeline.body).strip():
        write_section(w, TorSection(timeline.key, "", timeline.body))
    planned = sum(1 for wk in d.workshops if wk["status"] == "planned")
    held = sum(1 for wk in d.workshops if wk["status"] == "held")
    if d.workshops:
        ds.add(doc, para(f"{held} workshop{'s' if held != 1 else ''} held and {planned} planned so far:"))
    workshop_schedule_table(doc, d)


def _system(w: Writer, words: dict[str, TorSection]) -> None:
    d, doc = w.data, w.doc
    write_system_overview(w, title=CHAPTERS[2].format(system=d.short_name), situation="Current situation")
    own_words = write_section(w, words.get("system_areas"))  # the system's words, leading into its ambitions
    if not own_words and d.areas:
        ds.heading(doc, "Areas of focus", 2)
        count = (
            f"{len(d.areas)} area{'s' if len(d.areas) != 1 else ''} of focus exist{'s' if len(d.areas) == 1 else ''}"
        )
        ds.add(
            doc,
            para(
                f"The following areas of focus have been highlighted by {d.short_name}. {count} for the purposes "
                "of the workshops; further detail is in section 5.",
                keep_next=True,
            ),
        )
        ds.add_numbered(doc, [a["title"] or "Untitled area of focus" for a in d.areas])
    if not own_words:
        ds.heading(doc, "Ambitions and milestones", 2)
        if d.milestones:
            ds.add(doc, para(f"{d.short_name} has an agreed plan and ambition on how to get there, as shown below."))
    milestones_table(doc, d, with_status=False)
    if xml_safe(d.programme["anticipated_output"]).strip():
        ds.add_text(doc, d.programme["anticipated_output"])


def write_tor_docx(
    store: Store,
    programme_id: str,
    target: Path,
    *,
    assessment_id: str | None = None,
    progress: Progress = no_progress,
    today: date | None = None,
    minimum_group: int = MINIMUM_GROUP,
    version: str | None = None,
) -> ExportResult:
    """Write the programme's terms of reference to `target` (whole or not at all); the cover carries its date
    (as at) and `version` ("Draft", "Agreed by the Executive Group" …)."""
    progress(0, "Reading the programme…")
    d = load_data(store, programme_id, assessment_id, today, minimum_group)
    words = tor_sections(store, programme_id)
    doc = ds.new_document(f"{d.short_name} · Terms of Reference", title=tor_title(d), subject=d.programme["name"])
    w = Writer(doc, d, progress, APPENDICES)
    write_cover(
        w,
        "Terms of Reference",
        "Our plan for this programme, based on the scoping meetings held with the system’s leadership.",
        cover_details(d, version),
    )
    mark = ds.add_toc_placeholder(doc)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Writing section 1…", lambda: _preparing(w, words)),
        ("Writing the delivery and timeline…", lambda: _delivery(w, words)),
        ("Writing the system overview…", lambda: _system(w, words)),
        ("Writing the readiness summary…", lambda: write_readiness_summary(w, extended=True, title=CHAPTERS[3])),
        ("Writing the areas of focus…", lambda: write_areas(w, title=CHAPTERS[4])),
        ("Writing the maturity matrix…", lambda: write_matrix_appendix(w)),
        (
            "Drawing the readiness exercise…",
            lambda: write_readiness_appendix(
                w, distribution=False, chart=True, before=lambda: write_section(w, words.get("cover_note"))
            ),
        ),
        (
            "Writing the team…",
            lambda: write_team_appendix(
                w,
                profiles=True,
                title=f"{d.short_name} aspirant ICS alliance team",
                before=lambda: write_section(w, words.get("design_group"), level=3),
            ),
        ),
    ]
    for index, (what, build) in enumerate(steps):
        w.step(5 + 85 * index // len(steps), what)
        build()
    ds.fill_toc(doc, mark)
    progress(95, "Saving the document…")
    with atomic_path(target) as temp:
        doc.save(temp)
        progress(100, "Saved")  # inside: a cancel at the very end still leaves no file
    return ExportResult(Path(target))
