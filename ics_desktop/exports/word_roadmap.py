"""The system's roadmap as a Word document: where it is, where it wants to be, and what will move it.

"Roadmap setting out system plan and next steps to move towards shadow ICS status, aligned with the
ICS baseline capabilities matrix" (terms of reference, section 2). The section builders here are
shared with the terms of reference (word_tor.py), so each table is written in one place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ics_desktop.exports import docx_style as ds
from ics_desktop.exports.common import ExportResult, Progress, atomic_path, no_progress, xml_safe
from ics_desktop.exports.docx_style import Cell, Para, Row, Run, cell, para
from ics_desktop.exports.roadmap_data import ExportData, _join, _level, _mean, _weeks, _when, load_data

# _chart is looked up here at call time (tests stand in a fast one); the rest are used by the chapters.
from ics_desktop.exports.word_writer import Writer, _chart, _Figure, add_figure, chart_alt, cover_details, write_cover
from ics_desktop.frameworks.assessments import CHANGE_WORDS, OPEN_DESIRED, desired_text, result_of
from ics_desktop.frameworks.scoring import MINIMUM_GROUP
from ics_desktop.planning.actions import CLOSED_STATUSES, ActionRow, display_date
from ics_desktop.planning.roadmap import CapabilityRoadmap, TimelineItem, capability_roadmap, timeline
from ics_desktop.planning.topic_leads import lead_titles, topic_lead_text
from ics_desktop.storage.records import AreaRecord, MilestoneRecord, Person
from ics_desktop.storage.store import Store

SECTIONS = (
    "summary",
    "system",
    "readiness",
    "charts",
    "areas",
    "workshops",
    "roadmap",
    "actions",
    "appendix_matrix",
    "appendix_readiness",
    "appendix_team",
)
APPENDICES = ("appendix_matrix", "appendix_readiness", "appendix_team")
ROADMAP_STRAPLINE = (
    "System plan and next steps to move towards shadow ICS status, aligned with the ICS baseline capabilities matrix."
)
FULL_ACTION_LIST_LIMIT = 300  # beyond this, closed actions are counted rather than listed
LISTED_PER_AREA = 60  # with that many, each area lists its overdue and next-due open actions, up to this
WORKSHOP_ACTIONS_SHOWN = 10
NOT_COVERED = "Not covered on this programme"
FOCUS_KEY = "Those highlighted and marked “(focus)” have been identified as areas of focus"
NO_AREA = "No area of focus"
_CHANGE = {
    "up": (f"▲ {CHANGE_WORDS['up']}", ds.GREEN),
    "same": (f"= {CHANGE_WORDS['same']}", ds.SECONDARY),
    "down": (f"▼ {CHANGE_WORDS['down']}", ds.WARNING),
}
_MILESTONE_COLOURS = {"achieved": ds.GREEN, "on track": ds.GREEN, "at risk": ds.WARNING, "missed": ds.WARNING}
_ACTION_COLOURS = {"done": ds.GREEN, "blocked": ds.WARNING, "dropped": ds.MUTED}


# -- 1 programme summary --------------------------------------------------------------------------


def programme_dates_sentence(d: ExportData) -> str:
    p = d.programme
    if not (p["start_date"] or p["end_date"]):
        return f"{p['name']} for {d.system_name}: the dates are still to be agreed."
    start, end = display_date(p["start_date"]) or "a date to be agreed", display_date(p["end_date"]) or "to be agreed"
    return f"{p['name']} for {d.system_name}: {start} to {end}{_weeks(p['start_date'], p['end_date'])}."


def key_figures(d: ExportData) -> list[tuple[str, str]]:
    figures: list[tuple[str, str]] = []
    if d.results is not None and d.framework.questions:
        overall = d.results.overall(d.framework.questions[0].key)
        figures.append((_mean(overall), "overall readiness now (1–4)"))
    held = sum(1 for wk in d.workshops if wk["status"] == "held")
    planned = sum(1 for wk in d.workshops if wk["status"] == "planned")
    figures.append((str(len(d.areas)), "areas of focus"))
    figures.append((f"{held} / {held + planned}", "workshops held / planned"))
    open_actions = sum(1 for a in d.actions if a.status not in CLOSED_STATUSES)
    overdue = sum(1 for a in d.actions if a.is_overdue(d.today_iso))
    figures.append((f"{open_actions:,}", f"open actions ({overdue:,} overdue)"))
    achieved = sum(1 for m in d.milestones if m["status"] == "achieved")
    figures.append((f"{achieved} / {len(d.milestones)}", "milestones achieved"))
    return figures


def write_programme_summary(w: Writer) -> None:
    d, doc = w.data, w.doc
    w.chapter("Programme summary")
    ds.add(doc, para(programme_dates_sentence(d)))
    ds.add_key_figures(doc, key_figures(d))
    for text in (d.programme["description"], d.programme["structure"], d.programme["anticipated_output"]):
        ds.add_text(doc, text)


# -- 2 system overview ----------------------------------------------------------------------------


def _contains(haystack: str, needle: str) -> bool:
    return " ".join(needle.split()) in " ".join(haystack.split())


def write_system_overview(w: Writer, *, title: str | None = None, situation: str | None = None) -> None:
    d, doc = w.data, w.doc
    s = d.system
    w.chapter(title or "System overview")
    if situation:
        ds.heading(doc, situation, 2)
    sub = 3 if situation else 2  # headings never skip a level (1 → 3) for a screen reader's outline
    if s["population"]:
        ds.add(doc, para(Run("Population: ", bold=True), Run(s["population"])))
    ds.add_text(doc, s["overview"] or f"No overview of {d.system_name} has been written yet.")
    if s["governance_notes"] and not _contains(s["overview"], s["governance_notes"]):
        ds.heading(doc, "Governance", sub)
        ds.add_text(doc, s["governance_notes"])
    if s["partner_organisations"]:
        ds.heading(doc, "Partner organisations", sub)
        ds.add_bullets(doc, s["partner_organisations"])
    if s["change_priorities"]:
        ds.heading(doc, "Priority areas of change", sub)
        ds.add_numbered(doc, s["change_priorities"])
    if s["enablers"]:
        ds.add(doc, para("These will be enabled by effective infrastructure:", space_before=6, keep_next=True))
        ds.add_numbered(doc, s["enablers"])
    if s["priority_areas"]:
        ds.heading(doc, f"The {len(s['priority_areas'])} priority areas", sub)
        ds.add_bullets(doc, s["priority_areas"])


# -- 3 readiness ----------------------------------------------------------------------------------


def capability_table(doc: Any, d: ExportData, *, extended: bool = True) -> None:
    """The seed's section 4 table: capabilities grouped under their domains, current and desired maturity,
    focus capabilities shaded. `extended` adds the change since the previous assessment and the
    justification (each only when some capability has one)."""
    caps = d.framework.capabilities
    show_change = extended and any(result_of(d.agreed, c.code).get("change") for c in caps)
    show_why = extended and any(xml_safe(result_of(d.agreed, c.code).get("justification")).strip() for c in caps)
    labels = ["Capability", "Current maturity", "Desired maturity"]
    widths = [2.05, 2.05]
    if show_change:
        labels.append("Change")
        widths.append(1.75)
    if show_why:
        labels.append("Justification")
        widths.append(5.3)
    widths.insert(0, ds.text_width_cm() - sum(widths))
    columns = len(widths)
    rows = [ds.header_row(*labels, aligns=[None, "center", "center", "center", None])]
    for domain in d.framework.domains:
        rows.append(ds.band_row(f"{domain.number}. {domain.title}", columns))
        for cap in domain.capabilities:
            agreed = result_of(d.agreed, cap.code)
            fill = ds.FOCUS_FILL if agreed.get("focus") and cap.covered else None
            # Meaning never by colour alone: a focus capability is shaded and says so in words.
            marker = [Run("  (focus)", bold=True, colour=ds.DARK_BLUE)] if fill else []
            first = cell(Run(f"{cap.code} ", bold=True), Run(cap.statement), *marker, fill=fill)
            if not cap.covered:
                rows.append(Row((first, cell(NOT_COVERED, italic=True, colour=ds.SECONDARY, span=columns - 1))))
                continue
            cells = [
                first,
                cell(_level(agreed.get("agreed_current"), "–"), bold=True, align="center", fill=fill),
                cell(desired_text(agreed, "–"), bold=True, align="center", fill=fill),
            ]
            if show_change:
                text, colour = _CHANGE.get(agreed.get("change") or "", ("–", ds.MUTED))
                cells.append(cell(text, colour=colour, align="center", fill=fill))
            if show_why:
                cells.append(cell(agreed.get("justification") or "", fill=fill))
            rows.append(Row(tuple(cells)))
    ds.add_table(doc, widths, rows)
    scale = " · ".join(f"{s.level} {s.label}" for s in d.framework.scale)
    key: list[ds.RunLike] = []
    if d.focus_codes():
        key += [Run("   ", fill=ds.FOCUS_FILL), Run(f"  {FOCUS_KEY}.   ")]
    key.append(Run(f"Scale: {scale}. “?”: desired maturity left open."))
    aspire = next((q for q in d.framework.questions if q.key == "aspire"), None)
    if aspire is not None:
        key.append(Run(f" Desired maturity answers “{aspire.text}”"))
    ds.note(doc, *key, space_before=6)


def overall_sentence(d: ExportData) -> str:
    """'We rated the system as 1.9 overall …' from the capability means of the first question."""
    if d.results is None or not d.framework.questions:
        return ""
    first, *others = d.framework.questions
    overall = d.results.overall(first.key)
    if overall is None:
        if any(row.get("agreed_current") is not None for row in d.agreed.values()):
            return "The figures are the group’s agreed maturity; no individual scores were entered."
        return "No scores have been entered for this readiness exercise yet."
    who = f" ({d.respondents} participant{'s' if d.respondents != 1 else ''})" if d.respondents else ""
    text = f"We rated the system as {overall:.1f} overall{who}"
    rest = [
        f"{q.label.lower()} {_mean(d.results.overall(q.key))}" for q in others if d.results.overall(q.key) is not None
    ]
    return text + (f"; {_join(rest)}." if rest else ".")


def withheld_note(d: ExportData) -> str:
    """Said where figures are left out because too few people answered (one person's score is not shown)."""
    if d.results is None:
        return ""
    withheld = any(r.withheld for questions in d.results.by_capability.values() for r in questions.values())
    return "Where fewer than three people answered a question, its figures are not shown." if withheld else ""


def illustrative_note(d: ExportData) -> str:
    if not d.illustrative:
        return ""
    return (
        f"{d.illustrative} of the {d.respondents} sets of responses are illustrative (generated to demonstrate the "
        "scoring), not participants’ own scores."
    )


def write_readiness_summary(w: Writer, *, extended: bool = True, title: str = "Readiness summary") -> None:
    d, doc = w.data, w.doc
    w.chapter(title)
    if d.assessment is None:
        ds.add(doc, para("No readiness exercise has been recorded for this programme yet."))
        return
    when = display_date(d.assessment["date"])
    ds.add(
        doc,
        para(
            f"As part of the programme readiness exercise ({d.assessment['name']}{', ' + when if when else ''}), "
            f"the system has scored itself against the {d.framework.name}{w.see_appendix('appendix_readiness')}. "
            + (f"{FOCUS_KEY} for the system." if d.focus_codes() else "")
        ),
    )
    capability_table(doc, d, extended=extended)
    sentence = overall_sentence(d)
    if sentence:
        ds.add(doc, para(Run(sentence, bold=True), space_before=4))
    if d.results is not None:
        figures = [(_mean(d.results.overall(q.key)), f"{q.label}: overall mean") for q in d.framework.questions]
        if any(v != "–" for v, _ in figures):
            ds.add_key_figures(doc, figures)
    if illustrative_note(d):
        ds.note(doc, illustrative_note(d))


CHART_KEYS = ("now", "questions", "distribution")


def readiness_figures(d: ExportData, keys: Sequence[str] = CHART_KEYS) -> list[_Figure]:
    from ics_desktop.charts import CHARTS, build_chart

    if d.results is None:
        return []
    results = d.results
    agreed = {code: row.get("agreed_current") for code, row in d.agreed.items()}
    figures = []
    for key in keys:
        figures.append(
            _chart(lambda k=key: build_chart(k, d.framework, results, agreed=agreed), CHARTS[key],  # type: ignore[misc]
                   chart_alt(key, CHARTS[key], d))
        )  # fmt: skip
    return figures


def write_charts(w: Writer, *, own_chapter: bool = False) -> None:
    d, doc = w.data, w.doc
    if own_chapter:
        w.chapter("Readiness in charts")
    else:
        ds.heading(doc, "Readiness in charts", 2)
    if d.results is None or d.respondents == 0:
        agreed = any(row.get("agreed_current") is not None for row in d.agreed.values())
        ds.add(doc, para(
            "The charts are drawn from individual scores; this readiness exercise recorded only the group’s agreed "
            "maturity (see the readiness table)." if agreed else "There are no scores to chart yet."
        ))  # fmt: skip
        return
    w.step(w.percent, "Drawing the readiness charts…")
    if withheld_note(d):
        ds.note(doc, withheld_note(d))
    figures = readiness_figures(d)
    for figure in figures:
        # The distribution runs the height of the page when there are many capabilities.
        add_figure(doc, figure, max_height_cm=20.0 if figure.title.startswith("Distribution") else 11.5)


# -- 4 areas of focus and workshop plans ----------------------------------------------------------


def workshop_blend(area: AreaRecord) -> str:
    """The area's preferred workshops as agreed ('Blend of workshops 4 and 5'), or built from their numbers."""
    if xml_safe(area["blend"]).strip():
        return str(area["blend"])
    numbers = [str(n) for n in area["preferred_workshops"]]
    if not numbers:
        return ""
    return f"Workshop {numbers[0]}" if len(numbers) == 1 else f"Blend of workshops {_join(numbers)}"


def _topic_leads(d: ExportData, area: AreaRecord) -> list[str]:
    return [d.people[pid].name for pid in area["topic_leads"] if pid in d.people and d.people[pid].name.strip()]


def workshop_plans_table(doc: Any, d: ExportData) -> None:
    """'Area of focus / Preferred workshop(s)': the blend, the narrative and the capabilities addressed."""
    width = ds.text_width_cm()
    rows = [ds.header_row("", "Area of focus", "Preferred workshop(s)")]
    for area in d.areas:
        leads = _topic_leads(d, area)
        title_paras = [para(Run(area["title"] or "Untitled area of focus", bold=True), style=ds.TABLE_TEXT)]
        if leads:
            title_paras.append(para(f"Topic lead{'s' if len(leads) > 1 else ''}: {_join(leads)}", style=ds.TABLE_TEXT,
                                    colour=ds.SECONDARY, size=ds.NOTE_PT, space_before=4))  # fmt: skip
        blend = workshop_blend(area)
        narrative: list[ds.RunLike] = [Run(f"{blend}: ", bold=True)] if blend else []
        narrative.append(Run(area["narrative"] or ""))
        has_words = bool(blend or xml_safe(area["narrative"] or "").strip())
        plan_paras = [para(*narrative, style=ds.TABLE_TEXT)] if has_words else []
        described = [
            f"Workshop {n}: {d.catalogue[n]['title']}"
            for n in area["preferred_workshops"]
            if n in d.catalogue and xml_safe(d.catalogue[n]["title"]).strip() not in ("", f"Workshop {n}")
        ]
        plan_paras += [para(text, style=ds.TABLE_BULLET) for text in described]
        # The workshops the programme has planned for this area (an area may run as several, and a workshop
        # may serve several areas), as the programme has them.
        held = [w for w in d.workshops if area["id"] in (w.get("areas") or [])]
        if held:
            plan_paras.append(
                para(Run("Workshops planned: ", bold=True), style=ds.TABLE_TEXT, space_before=4, keep_next=True)
            )
            plan_paras += [
                para(f"{w['title'] or 'Untitled workshop'}" + (f" ({_when(w['starts_at'])})" if w["starts_at"] else ""),
                     style=ds.TABLE_BULLET)
                for w in held
            ]  # fmt: skip
        codes = ", ".join(area["capabilities"]) or "none recorded"
        plan_paras.append(
            para(
                Run("Baseline capabilities areas of focus: ", bold=True),
                Run(codes),
                style=ds.TABLE_TEXT,
                space_before=4,
            )
        )
        rows.append(
            Row(
                (
                    cell(str(area["number"]), bold=True, colour=ds.NHS_BLUE),
                    Cell(tuple(title_paras)),
                    Cell(tuple(plan_paras)),
                )
            )
        )
    if not d.areas:
        rows.append(Row((cell("No areas of focus have been agreed yet.", italic=True, colour=ds.SECONDARY, span=3),)))
    ds.add_table(doc, [0.8, 4.6, width - 5.4], rows)


def workshop_outputs_table(doc: Any, d: ExportData) -> None:
    """'Area of focus / Workshop outputs / Outcomes' with a bullet per output and outcome."""
    width = ds.text_width_cm()
    rows = [ds.header_row("", "Area of focus", "Workshop outputs", "Outcomes")]
    for area in d.areas:
        rows.append(
            Row(
                (
                    cell(str(area["number"]), bold=True, colour=ds.NHS_BLUE),
                    cell(area["title"] or "Untitled area of focus", bold=True),
                    ds.bullet_cell(area["outputs"]),
                    ds.bullet_cell(area["outcomes"]),
                )
            )
        )
    if not d.areas:
        rows.append(Row((cell("No areas of focus have been agreed yet.", italic=True, colour=ds.SECONDARY, span=4),)))
    rest = width - 0.8 - 4.0
    ds.add_table(doc, [0.8, 4.0, rest / 2, rest / 2], rows)


def write_areas(w: Writer, *, title: str = "Areas of focus and workshop plans") -> None:
    d, doc = w.data, w.doc
    w.chapter(title)
    ds.add(
        doc,
        para(
            "From the discussions with the system’s leadership and the completed readiness exercise, some key "
            "development areas have emerged. It has been agreed that the focus of this programme will be based "
            "around the following topics:"
        ),
    )
    ds.heading(doc, "Key areas of focus", 2)
    workshop_plans_table(doc, d)
    ds.heading(doc, "Workshop outputs", 2)
    workshop_outputs_table(doc, d)


# -- 5 workshops ----------------------------------------------------------------------------------


def _area_names(d: ExportData, area_ids: Sequence[str], *, numbers_only: bool = False) -> str:
    by_id = {a["id"]: a for a in d.areas}
    found = [by_id[a] for a in area_ids if a in by_id]
    return ", ".join(str(a["number"]) if numbers_only else d.area_label(a) for a in found)


def workshop_schedule_table(doc: Any, d: ExportData) -> None:
    """Every workshop, held and planned, by date."""
    if not d.workshops:
        ds.add(doc, para("No workshops have been planned yet.", italic=True, colour=ds.SECONDARY))
        return
    venues = any(xml_safe(wk["venue"]).strip() for wk in d.workshops)  # a column of blanks says nothing
    labels = ["Date", "Workshop", *(["Venue"] if venues else []), "Areas of focus", "Status"]
    rows = [ds.header_row(*labels)]
    for wk in d.workshops:
        status = str(wk["status"]).capitalize()
        colour = ds.GREEN if wk["status"] == "held" else ds.MUTED if wk["status"] == "cancelled" else None
        cells = [cell(_when(wk["starts_at"])), cell(wk["title"] or "Untitled workshop", bold=True)]
        if venues:
            cells.append(cell(wk["venue"] or ""))
        cells += [cell(_area_names(d, wk["areas"], numbers_only=True) or "–"), cell(status, colour=colour)]
        rows.append(Row(tuple(cells)))
    widths = [3.4, 5.2, 3.5, 2.4, 2.5] if venues else [3.4, 8.7, 2.4, 2.5]
    ds.add_table(doc, widths, rows)
    ds.note(doc, "Areas of focus are shown by number (see the areas of focus and workshop plans).", space_before=6)


def _action_line(a: ActionRow) -> str:
    """'Circulate the MoU (Sarah Truelove, due 1 Apr 2019)'."""
    details = [a.owner.strip(), f"due {display_date(a.due_date)}" if a.due_date else ""]
    shown = ", ".join(d for d in details if d)
    return f"{a.title} ({shown})" if shown else a.title


_ITEM_HEADINGS = (("output", "Outputs"), ("decision", "Decisions"), ("risk", "Risks"), ("note", "Notes"))


def write_workshops(w: Writer) -> None:
    d, doc = w.data, w.doc
    w.chapter("Workshops")
    if not d.workshops:
        ds.add(doc, para("No workshops have been planned yet.", italic=True, colour=ds.SECONDARY))
        return
    ds.add(doc, para("The workshops held and planned, and what each has produced so far."))
    workshop_schedule_table(doc, d)
    raised: dict[str, list[ActionRow]] = defaultdict(list)
    for action in d.actions:
        if action.workshop_id:
            raised[action.workshop_id].append(action)
    captured = [wk for wk in d.workshops if d.items.get(wk["id"]) or raised.get(wk["id"])]
    ds.heading(doc, "What the workshops produced", 2)
    if not captured:
        ds.add(doc, para("Nothing has been captured in the workshops yet.", italic=True, colour=ds.SECONDARY))
        return
    for wk in captured:
        ds.heading(doc, f"{wk['title'] or 'Untitled workshop'} · {_when(wk['starts_at'])}", 3)
        facts = [str(wk["status"]).capitalize()]
        if wk["venue"]:
            facts.append(wk["venue"])
        if wk["attendees"]:
            facts.append(f"{len(wk['attendees'])} attendee{'s' if len(wk['attendees']) != 1 else ''}")
        areas = _area_names(d, wk["areas"])
        if areas:
            facts.append(f"areas of focus: {areas}")
        ds.note(doc, " · ".join(facts), keep_next=True)
        items = d.items.get(wk["id"], [])
        for kind, label in _ITEM_HEADINGS:
            texts = [i["text"] for i in items if i["kind"] == kind]
            if texts:
                ds.add(doc, para(label, bold=True, keep_next=True, space_after=2))
                ds.add_bullets(doc, texts)
        actions = raised.get(wk["id"], [])
        if actions:
            ds.add(doc, para(f"Actions raised ({len(actions)})", bold=True, keep_next=True, space_after=2))
            shown = [_action_line(a) for a in actions[:WORKSHOP_ACTIONS_SHOWN]]
            ds.add_bullets(doc, shown)
            if len(actions) > WORKSHOP_ACTIONS_SHOWN:
                ds.note(doc, f"… and {len(actions) - WORKSHOP_ACTIONS_SHOWN} more, listed under the actions.")


# -- 6 roadmap ------------------------------------------------------------------------------------


def _year_heading(values: Sequence[str], noun: str, in_year: str) -> str:
    """'2020/21 Ambition' when every row has the same year (as the seed's table), else just 'Ambition'."""
    years = {xml_safe(v).strip() for v in values}
    return f"{years.pop()} {in_year}" if len(years) == 1 and "" not in years else noun


def _milestone_overdue(m: MilestoneRecord, today: str) -> bool:
    return bool(m["due_date"]) and str(m["due_date"]) < today and m["status"] not in ("achieved",)


def milestones_table(doc: Any, d: ExportData, *, with_status: bool = True) -> None:
    """'2020/21 Ambition | 2019/20 milestone | Due | Status'; an ambition with several milestones is one merged cell."""
    if not d.milestones:
        ds.add(doc, para("No ambitions or milestones have been recorded yet.", italic=True, colour=ds.SECONDARY))
        return
    labels = [
        _year_heading([m["ambition_year"] for m in d.milestones], "Ambition", "Ambition"),
        _year_heading([m["milestone_year"] for m in d.milestones], "Milestone", "milestone"),
    ]
    width = ds.text_width_cm()
    widths = [width / 2, width / 2]
    if with_status:
        labels += ["Due", "Status"]
        widths = [6.35, 6.35, 2.2, 2.1]
    rows = [ds.header_row(*labels)]
    previous = None
    for m in d.milestones:
        same = previous is not None and " ".join(str(m["ambition"]).split()) == previous and m["ambition"]
        previous = " ".join(str(m["ambition"]).split())
        ambition = cell(m["ambition"] or "–", merge="continue" if same else "restart")
        cells: list[Cell] = [ambition, cell(m["title"] or "Untitled milestone")]
        if with_status:
            overdue = _milestone_overdue(m, d.today_iso)
            cells.append(cell(display_date(m["due_date"]) or "–", colour=ds.WARNING if overdue else None, bold=overdue))
            status: list[ds.RunLike] = [Run(str(m["status"]).capitalize(), colour=_MILESTONE_COLOURS.get(m["status"]))]
            if overdue and m["status"] != "missed":
                status.append(Run("\nOverdue", bold=True, colour=ds.WARNING))
            cells.append(cell(*status))
        rows.append(Row(tuple(cells)))
    ds.add_table(doc, widths, rows)


def capability_moves_table(doc: Any, entries: Sequence[CapabilityRoadmap], d: ExportData) -> None:
    """Per capability: current → desired, and the areas, milestones and actions that move it."""
    open_titles = {a.title for a in d.actions if a.status not in CLOSED_STATUSES}
    rows = [ds.header_row("Capability", "Current → desired", "Areas of focus", "Milestones", "Actions (open)",
                          aligns=[None, "center", None, "center", "center"])]  # fmt: skip
    domain_of = {c.code: dom for dom in d.framework.domains for c in dom.capabilities}
    last_domain = None
    for entry in entries:
        domain = domain_of.get(entry.code)
        if domain is not None and domain is not last_domain:
            rows.append(ds.band_row(f"{domain.number}. {domain.title}", 5))
            last_domain = domain
        first = cell(Run(f"{entry.code} ", bold=True), Run(entry.statement))
        if not entry.covered:
            rows.append(Row((first, cell(NOT_COVERED, italic=True, colour=ds.SECONDARY, span=4))))
            continue
        moves = f"{_level(entry.current, '–')} → {_level(entry.desired, OPEN_DESIRED if entry.desired_open else '–')}"
        areas = ", ".join(a.split(".", 1)[0] for a in entry.areas) or "–"
        open_count = sum(1 for t in entry.actions if t in open_titles)
        rows.append(
            Row(
                (
                    first,
                    cell(moves, bold=True, align="center"),
                    cell(areas),
                    cell(str(len(entry.milestones)), align="center"),
                    cell(f"{len(entry.actions):,} ({open_count:,})", align="center"),
                )
            )
        )
    ds.add_table(doc, [ds.text_width_cm() - 9.9, 2.6, 2.3, 2.5, 2.5], rows)


def write_roadmap(w: Writer, store: Store, programme_id: str) -> None:
    d, doc = w.data, w.doc
    w.chapter("Roadmap")
    if d.milestones:
        ds.add(
            doc,
            para(
                f"{d.short_name} has an agreed plan and ambition for how to get there: the ambitions and milestones "
                "below, the timeline, and the actions that follow are the next part of this plan."
            ),
        )
    ds.heading(doc, "Ambitions and milestones", 2)
    milestones_table(doc, d)
    if any(_milestone_overdue(m, d.today_iso) for m in d.milestones):
        ds.note(doc, "Milestones past their due date and not achieved say “Overdue” and are marked in red.",
                space_before=6)  # fmt: skip
    w.step(w.percent, "Drawing the roadmap timeline…")
    figure, note, key = timeline_figure(store, programme_id, d)
    # The timeline reads across the quarters: a landscape page prints it near full size.
    ds.start_section(doc, landscape=True)
    ds.heading(doc, "Timeline", 2)
    add_figure(doc, figure, landscape=True, max_height_cm=12.5)
    if note:
        ds.note(doc, note)
    if key:
        # The chart numbers its milestones; this key names them (a label per diamond overprints at scale).
        rows = [ds.header_row("No.", "Milestone", "Due", "Areas of focus", "Status", aligns=["center"])]
        rows += [Row(tuple(cell(text, align="center" if i == 0 else None) for i, text in enumerate(r))) for r in key]
        width = ds.text_width_cm(landscape=True)
        ds.add_table(doc, [1.3, width - 13.3, 2.8, 6.2, 3.0], rows)
    ds.start_section(doc, landscape=False)
    ds.heading(doc, "Capabilities: from current to desired maturity", 2)
    ds.add(
        doc,
        para("For each capability, the maturity the group agreed and the maturity it wants to reach, with what is "
             "planned to move it: areas of focus (by number), milestones and actions (open in brackets)."),
    )  # fmt: skip
    capability_moves_table(
        doc, capability_roadmap(store, programme_id, d.assessment["id"] if d.assessment else None, d.actions), d
    )


TIMELINE_ITEMS_LIMIT = 120  # more markers than this is a smear, and each costs matplotlib time


def timeline_figure(store: Store, programme_id: str, d: ExportData) -> tuple[_Figure, str, list[tuple[str, ...]]]:
    """The quarter timeline and a note saying what it leaves out when there is too much to draw.

    With many items it keeps what needs attention: open milestones, overdue or blocked actions, then
    the rest of the milestones and the actions due soonest.
    """
    from ics_desktop.charts.timeline import TITLE, milestone_numbers, timeline_chart

    by_area = timeline(store, programme_id, include_done=False, actions=d.actions)
    items = [i for rows in by_area.values() for i in rows]
    note = ""
    if len(items) > TIMELINE_ITEMS_LIMIT:

        def rank(i: TimelineItem) -> tuple[int, date]:
            if i.kind == "milestone":
                return (0 if i.status not in ("achieved", "missed") else 2, i.due)
            return (1 if i.status == "blocked" or i.due < d.today else 3, i.due)

        keep = {id(i) for i in sorted(items, key=rank)[:TIMELINE_ITEMS_LIMIT]}
        by_area = {area: [i for i in rows if id(i) in keep] for area, rows in by_area.items()}
        by_area = {area: rows for area, rows in by_area.items() if rows}
        note = (
            f"The timeline shows {TIMELINE_ITEMS_LIMIT} of the {len(items):,} dated milestones and open actions: "
            "open milestones and overdue or blocked actions first, then those due soonest. All of them are "
            "listed in the tables."
        )
    labelled = sum(1 for rows in by_area.values() for i in rows if i.kind == "milestone") <= 40
    shown = [i for rows in by_area.values() for i in rows]
    milestones = [f"{i.title} ({display_date(i.due.isoformat())}, {i.area})" for i in shown if i.kind == "milestone"]
    alt = (
        f"{TITLE}: milestones and open actions by quarter and area of focus, "
        f"{sum(1 for i in shown if i.kind == 'action')} actions and {len(milestones)} milestones"
        + (": " + "; ".join(milestones) if milestones else "")
        + ". Every item is listed in the tables of this section."
    )
    numbers = milestone_numbers(by_area)
    areas_of: dict[tuple[str, date], list[str]] = {}
    status_of: dict[tuple[str, date], str] = {}
    for area, rows in by_area.items():
        for i in rows:
            if i.kind == "milestone":
                areas_of.setdefault((i.title, i.due), []).append(area)
                status_of[(i.title, i.due)] = i.status
    key: list[tuple[str, ...]] = [
        (
            str(n),
            title,
            display_date(due.isoformat()),
            "; ".join(areas_of[(title, due)]),
            status_of[(title, due)].capitalize(),
        )
        for (title, due), n in sorted(numbers.items(), key=lambda kv: kv[1])
    ]
    figure = _chart(
        lambda: timeline_chart(by_area, today=d.today, label_milestones=labelled, numbered=True), TITLE, alt
    )
    return figure, note, key


# -- 7 actions ------------------------------------------------------------------------------------


def _action_cells(a: ActionRow, today: str) -> tuple[Cell, ...]:
    overdue = a.is_overdue(today)
    closed = a.status in CLOSED_STATUSES
    detail = [p for p in (", ".join(a.capabilities), f"from {a.workshop}" if a.workshop else "") if p]
    title: list[ds.RunLike] = [Run(a.title or "Untitled action", colour=ds.MUTED if closed else None)]
    if detail:
        title.append(Run("\n" + " · ".join(detail), colour=ds.SECONDARY, size=ds.NOTE_PT))
    status: list[ds.RunLike] = [Run(a.status.capitalize(), colour=_ACTION_COLOURS.get(a.status))]
    if overdue:
        status.append(Run("\nOverdue", bold=True, colour=ds.WARNING))
    return (
        cell(*title),
        cell(a.owner or "Unassigned", colour=None if a.owner else ds.MUTED, italic=not a.owner),
        cell(display_date(a.due_date) or "–", colour=ds.WARNING if overdue else None, bold=overdue),
        cell(*status),
    )


def write_actions(w: Writer, *, own_chapter: bool) -> None:
    d, doc = w.data, w.doc
    if own_chapter:
        w.chapter("Actions")
    else:
        ds.heading(doc, "Actions by area of focus", 2)
    if not d.actions:
        ds.add(doc, para("No actions have been recorded yet.", italic=True, colour=ds.SECONDARY))
        return
    today = d.today_iso
    by_area: dict[str, list[ActionRow]] = defaultdict(list)
    for a in d.actions:
        by_area[a.area_id or ""].append(a)
    groups = [(d.area_label(area), by_area.get(area["id"], [])) for area in d.areas]
    if by_area.get(""):
        groups.append((NO_AREA, by_area[""]))
    summarise = len(d.actions) > FULL_ACTION_LIST_LIMIT

    statuses = ("open", "in progress", "blocked", "done", "dropped")
    rows = [ds.header_row("Area of focus", "Open", "In progress", "Blocked", "Overdue", "Done", "Dropped",
                          aligns=[None] + ["center"] * 6)]  # fmt: skip
    totals: Counter[str] = Counter()
    for label, actions in groups:
        counts = Counter(a.status for a in actions)
        counts["overdue"] = sum(1 for a in actions if a.is_overdue(today))
        totals.update(counts)
        rows.append(Row((cell(label), *_count_cells(counts, statuses))))
    all_label = cell("All actions", bold=True, fill=ds.BAND_GREY)
    rows.append(Row((all_label, *_count_cells(totals, statuses, ds.BAND_GREY))))
    ds.add_table(doc, [ds.text_width_cm() - 13.8] + [2.3] * 6, rows)
    intro = "Overdue actions (past their due date and not done) say “Overdue” and are marked in red."
    if summarise:
        intro += (
            f" With {len(d.actions):,} actions, each area lists up to {LISTED_PER_AREA} of its open actions, "
            "the overdue first and then those due soonest; every action is counted above (the Excel export "
            "lists them all)."
        )
    ds.note(doc, intro, space_before=6)
    # One table, the areas as bands (like the domains of the readiness table), its header on every page.
    table = [ds.header_row("Action", "Owner", "Due", "Status")]
    for label, actions in groups:
        listed = [a for a in actions if not summarise or a.status not in CLOSED_STATUSES]
        if not actions:
            continue
        if summarise:
            listed = sorted(listed, key=lambda a: (not a.is_overdue(today), a.due_date or "9999"))[:LISTED_PER_AREA]
        unlisted = len(actions) - len(listed)
        table.append(ds.band_row(label, 4, note=f"{unlisted:,} more not listed" if unlisted else ""))
        table += [Row(_action_cells(a, today)) for a in listed]
        if not listed:
            table.append(Row((cell("No open actions.", italic=True, colour=ds.SECONDARY, span=4),)))
    ds.add_table(doc, [ds.text_width_cm() - 7.8, 3.4, 2.3, 2.1], table)


def _count_cells(counts: Counter[str], statuses: Sequence[str], fill: str | None = None) -> tuple[Cell, ...]:
    out = []
    for key in (*statuses[:3], "overdue", *statuses[3:]):
        value = counts.get(key, 0)
        warn = key == "overdue" and value > 0
        out.append(
            cell(f"{value:,}", align="center", colour=ds.WARNING if warn else None, bold=warn or bool(fill), fill=fill)
        )
    return tuple(out)


# -- appendices -----------------------------------------------------------------------------------


def write_matrix_appendix(w: Writer, *, title: str = "ICS maturity matrix") -> None:
    """The maturity matrix, domains × stages, on landscape pages (then back to portrait)."""
    d, doc = w.data, w.doc
    ds.start_section(doc, landscape=True)
    w.appendix("appendix_matrix", title, new_section=True)
    fw = d.framework
    ds.add(doc, para(f"{fw.name} ({fw.version})" + (f". Source: {fw.source}" if fw.source else "."), style=ds.NOTE))
    width = ds.text_width_cm(landscape=True)
    stages = fw.stages
    first = 4.6
    widths = [first] + [(width - first) / max(1, len(stages))] * len(stages)
    rows = [ds.header_row("", *[s.title or s.label for s in stages])]
    for domain in fw.domains:
        codes = [c.code for c in domain.capabilities]
        label = [Run(f"{domain.number}. {domain.title}", bold=True)]
        if codes:
            label.append(Run(f"\nCapabilities {codes[0]}–{codes[-1]}" if len(codes) > 1 else f"\nCapability {codes[0]}",
                             colour=ds.SECONDARY, size=ds.NOTE_PT))  # fmt: skip
        cells = [cell(*label, fill=ds.BAND_GREY)]
        cells += [ds.bullet_cell(domain.stages.get(s.key, ())) for s in stages]
        rows.append(Row(tuple(cells)))
    ds.add_table(doc, widths, rows)
    ds.start_section(doc, landscape=False)


def scale_table(doc: Any, d: ExportData) -> None:
    levels = d.framework.scale
    if not levels:
        return
    width = ds.text_width_cm() / len(levels)
    header = Row(tuple(cell(str(s.level), style=ds.TABLE_HEADING, fill=ds.NHS_BLUE, align="center") for s in levels),
                 header=True)  # fmt: skip
    labels = Row(tuple(cell(s.label, align="center") for s in levels))
    ds.add_table(doc, [width] * len(levels), [header, labels])


def distribution_table(doc: Any, d: ExportData) -> None:
    """Per capability and question: how many gave each level, don't know, the mean and n.

    One row per capability with a line per question, so a capability never breaks across pages;
    question labels too long for one line get a row each instead (their numbers must line up).
    """
    assert d.results is not None
    results, fw = d.results, d.framework
    levels = [s.level for s in fw.scale]
    longest = max((len(xml_safe(q.label)) for q in fw.questions), default=3)
    one_row = longest <= 24
    question_cm = min(4.4, max(1.6, 0.17 * longest + 0.5)) if one_row else 3.0
    fixed = [question_cm] + [0.95] * len(levels) + [1.3, 1.25, 0.85]
    widths = [ds.text_width_cm() - sum(fixed), *fixed]
    rows = [ds.header_row("Capability", "Question", *[str(v) for v in levels], "Don’t know", "Mean", "n",
                          aligns=[None, None] + ["center"] * (len(levels) + 3))]  # fmt: skip

    def numbers(code: str, key: str) -> list[Para]:
        r = results.result(code, key)
        top = max(r.counts.values(), default=0)
        out = [
            para(str(r.counts.get(v, 0)) if r.counts.get(v, 0) else "·", style=ds.TABLE_TEXT, align="center",
                 bold=bool(top) and r.counts.get(v, 0) == top, colour=None if r.counts.get(v, 0) else ds.MUTED)
            for v in levels
        ]  # fmt: skip
        out.append(para(str(r.dont_know) if r.dont_know else "·", style=ds.TABLE_TEXT, align="center",
                        colour=None if r.dont_know else ds.MUTED))  # fmt: skip
        out.append(para(_mean(r.mean), style=ds.TABLE_TEXT, align="center", bold=True))
        out.append(para(str(r.n), style=ds.TABLE_TEXT, align="center"))
        return out

    for domain in fw.domains:
        rows.append(ds.band_row(f"{domain.number}. {domain.title}", len(widths)))
        for cap in domain.capabilities:
            name = (Run(f"{cap.code} ", bold=True), Run(cap.statement))
            if not cap.covered:
                rows.append(
                    Row((cell(*name), cell(NOT_COVERED, italic=True, colour=ds.SECONDARY, span=len(widths) - 1)))
                )
                continue
            per_question = [numbers(cap.code, q.key) for q in fw.questions]
            if one_row:
                columns = [tuple(column) for column in zip(*per_question, strict=True)]
                labels = tuple(para(q.label, style=ds.TABLE_TEXT) for q in fw.questions)
                rows.append(Row((cell(*name), Cell(labels), *(Cell(c) for c in columns)), cant_split=True))
                continue
            for index, q in enumerate(fw.questions):
                first = cell(*name, merge="restart") if index == 0 else Cell((), merge="continue")
                rows.append(Row((first, cell(q.label), *(Cell((p,)) for p in per_question[index]))))
    ds.add_table(doc, widths, rows)
    ds.note(doc, "The most common level for each question is in bold; “·” means nobody gave that level.")


def write_readiness_appendix(w: Writer, *, distribution: bool = True, chart: bool = False,
                             title: str = "Programme readiness exercise",
                             before: Callable[[], object] | None = None) -> None:  # fmt: skip
    """Appendix B; `before` writes what comes first under its heading (the ToR's cover note)."""
    d, doc = w.data, w.doc
    w.appendix("appendix_readiness", title)
    if before is not None:
        before()
    if d.assessment is None or d.results is None:
        ds.add(doc, para("No readiness exercise has been recorded for this programme yet."))
        return
    when = display_date(d.assessment["date"])
    ds.add(
        doc,
        para(
            f"As part of {d.assessment['name']}{' (' + when + ')' if when else ''}, participants rated the system "
            f"against the {d.framework.name}. Each capability was scored on a scale of 1 to "
            f"{max((s.level for s in d.framework.scale), default=4)} for each of the questions below."
        ),
    )
    sentence = overall_sentence(d)
    if sentence:
        ds.add(doc, para(Run(sentence, bold=True)))
    if illustrative_note(d):
        ds.note(doc, Run("Illustrative responses. ", bold=True), Run(illustrative_note(d)))
    if withheld_note(d):
        ds.note(doc, withheld_note(d))
    if xml_safe(d.assessment["notes"]).strip():
        ds.note(doc, d.assessment["notes"])
    ds.heading(doc, "Questions", 2)
    ds.add_numbered(doc, [q.text for q in d.framework.questions])
    ds.heading(doc, "Scale", 2)
    scale_table(doc, d)
    if chart:
        ds.heading(doc, "Average scores", 2)
        figures = readiness_figures(d, ("questions",))
        for figure in figures:
            add_figure(doc, figure)
        ds.note(doc, "Key: average score from the programme readiness exercise.")
    if distribution:
        ds.heading(doc, "Distribution of scores", 2)
        ds.add(doc, para("How many participants gave each level, per capability and question."))
        distribution_table(doc, d)


def _teams(people: Sequence[Person]) -> list[tuple[str, list[Person]]]:
    groups: dict[str, list[Person]] = {}
    for p in people:
        groups.setdefault(xml_safe(p.team).strip(), []).append(p)
    return list(groups.items())


def participants_table(doc: Any, d: ExportData) -> None:
    if not d.participants:
        ds.add(doc, para("No participants have been recorded yet.", italic=True, colour=ds.SECONDARY))
        return
    rows = [ds.header_row("Participant", "Role", "Topic lead")]
    leads = {pid: topic_lead_text(titles) for pid, titles in lead_titles(d.areas).items()}
    for team, people in _teams(d.participants):
        if team:
            rows.append(ds.band_row(team, 3))
        for p in people:
            role = p.role or p.organisation
            rows.append(Row((cell(p.name or "Unnamed", bold=True), cell(role), cell(leads.get(p.id, "")))))
    ds.add_table(doc, [4.2, 7.3, ds.text_width_cm() - 11.5], rows)


def delivery_table(doc: Any, d: ExportData) -> None:
    if not d.delivery:
        ds.add(doc, para("No delivery team has been recorded yet.", italic=True, colour=ds.SECONDARY))
        return
    rows = [ds.header_row("Name", "Role", "Organisation")]
    for team, people in _teams(d.delivery):
        if team:
            rows.append(ds.band_row(team, 3))
        rows += [Row((cell(p.name or "Unnamed", bold=True), cell(p.role), cell(p.organisation))) for p in people]
    ds.add_table(doc, [4.6, 7.4, ds.text_width_cm() - 12.0], rows)


def delivery_profiles(doc: Any, d: ExportData) -> None:
    """The delivery team as the seed presents it: name and role, then a short profile."""
    for team, people in _teams(d.delivery):
        if team:
            ds.heading(doc, team, 3)
        for p in people:
            who: list[ds.RunLike] = [Run(p.name or "Unnamed", bold=True, colour=ds.NHS_BLUE)]
            if p.role:
                who.append(Run(f", {p.role}", bold=True))
            if p.organisation and not _contains(p.role, p.organisation):
                who.append(Run(f" ({p.organisation})", colour=ds.SECONDARY))
            ds.add(doc, para(*who, keep_next=bool(xml_safe(p.profile).strip()), space_before=6, space_after=2))
            ds.add_text(doc, p.profile)


def write_team_appendix(
    w: Writer, *, profiles: bool = False, title: str | None = None, before: Callable[[], object] | None = None
) -> None:
    """Appendix C; `before` writes what introduces the participants (the ToR's design group)."""
    d, doc = w.data, w.doc
    w.appendix("appendix_team", title or "The programme team")
    ds.heading(doc, "Programme participants", 2)
    if before is not None:
        before()
    participants_table(doc, d)
    ds.heading(doc, "Delivery team", 2)
    if profiles and any(xml_safe(p.profile).strip() for p in d.delivery):
        delivery_profiles(doc, d)
    else:
        delivery_table(doc, d)


# -- the document ---------------------------------------------------------------------------------


def write_roadmap_docx(
    store: Store,
    programme_id: str,
    target: Path,
    *,
    assessment_id: str | None = None,
    sections: Collection[str] | None = None,
    version: str = "Draft",
    progress: Progress = no_progress,
    today: date | None = None,
    minimum_group: int = MINIMUM_GROUP,
) -> ExportResult:
    """Write the programme's roadmap to `target` (whole or not at all); `sections` picks from SECTIONS."""
    chosen = set(SECTIONS if sections is None else sections)
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown roadmap sections: {', '.join(sorted(unknown))} (known: {', '.join(SECTIONS)})")
    progress(0, "Reading the programme…")
    data = load_data(store, programme_id, assessment_id, today, minimum_group)
    title = f"Roadmap — {data.system_name}"
    doc = ds.new_document(f"{data.short_name} · Roadmap · {version}", title=title, subject=data.programme["name"])
    w = Writer(doc, data, progress, [k for k in APPENDICES if k in chosen])
    write_cover(w, "Roadmap", ROADMAP_STRAPLINE, cover_details(data, version))
    mark = ds.add_toc_placeholder(doc)
    steps: list[tuple[str, str, Callable[[], None]]] = [
        ("summary", "Writing the programme summary…", lambda: write_programme_summary(w)),
        ("system", "Writing the system overview…", lambda: write_system_overview(w)),
    ]
    if "readiness" in chosen:
        steps.append(("readiness", "Writing the readiness summary…", lambda: write_readiness_summary(w)))
    if "charts" in chosen:
        own = "readiness" not in chosen
        steps.append(("charts", "Drawing the readiness charts…", lambda: write_charts(w, own_chapter=own)))
    steps += [
        ("areas", "Writing the areas of focus…", lambda: write_areas(w)),
        ("workshops", "Writing the workshops…", lambda: write_workshops(w)),
        ("roadmap", "Writing the roadmap…", lambda: write_roadmap(w, store, programme_id)),
        ("actions", "Writing the actions…", lambda: write_actions(w, own_chapter="roadmap" not in chosen)),
        ("appendix_matrix", "Writing the maturity matrix…", lambda: write_matrix_appendix(w)),
        ("appendix_readiness", "Writing the readiness exercise…", lambda: write_readiness_appendix(w)),
        ("appendix_team", "Writing the team…", lambda: write_team_appendix(w)),
    ]
    selected = [s for s in steps if s[0] in chosen]
    for index, (_key, what, build) in enumerate(selected):
        w.step(5 + 85 * index // max(1, len(selected)), what)
        build()
    ds.fill_toc(doc, mark)
    progress(95, "Saving the document…")
    with atomic_path(target) as temp:
        doc.save(temp)
        progress(100, "Saved")  # inside: a cancel at the very end still leaves no file
    return ExportResult(Path(target))
