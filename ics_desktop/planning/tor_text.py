"""The terms of reference's own words: the sections that are the programme's text rather than its data.

Each programme has the seed's sections (introduction and context, the programme, how it is delivered with
its delivery-phase table, the timeline, the readiness cover note, the design group), stored in
`tor_sections` once edited; until then the template is shown (for the sample programme, the seed's words).
A section's body is plain text: paragraphs separated by a blank line, lines starting "- " are bullets, and
lines starting "|" are the rows of a table (the first row its heading), a line starting "## " is a
sub-heading, so the facilitator writes it as
they would an email and the document typesets it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from ics_desktop.paths import resource_path
from ics_desktop.storage.store import Store

# The sections in the order of the seed's terms of reference.
SECTION_KEYS = ("introduction", "programme", "delivery", "timeline", "system_areas", "cover_note", "design_group")
WHERE = {
    "introduction": "Section 1",
    "programme": "Section 1",
    "delivery": "Section 2",
    "timeline": "Section 2 (after the workshop schedule)",
    "system_areas": "Section 3 (the areas of focus in the system's words)",
    "cover_note": "Appendix B",
    "design_group": "Appendix C (before the participants)",
}


@dataclass(frozen=True)
class TorSection:
    key: str
    title: str
    body: str
    record_id: str | None = None  # None: not stored yet (the template's words)


Block = tuple[Literal["heading", "paragraph", "bullets", "table"], list[str] | list[list[str]]]


def _defaults(sample: bool) -> dict[str, dict[str, str]]:
    text = resource_path("tor", "sections.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, dict[str, str]]] = json.loads(text)
    return data["sample" if sample else "template"]


def tor_sections(store: Store, programme_id: str) -> dict[str, TorSection]:
    """Every section of the programme's terms of reference: as stored, else as the template has it."""
    programme = store.get("programmes", programme_id)
    defaults = _defaults(bool(programme.get("sample")))
    stored = {
        row["key"]: row for row in store.rows("SELECT * FROM tor_sections WHERE programme_id = ?", (programme_id,))
    }
    sections = {}
    for key in SECTION_KEYS:
        row = stored.get(key)
        if row is not None:
            sections[key] = TorSection(key, str(row["title"]), str(row["body"]), str(row["id"]))
        else:
            sections[key] = TorSection(key, defaults[key]["title"], defaults[key]["body"])
    return sections


def ensure_tor_sections(store: Store, programme_id: str) -> int:
    """Store the sections not stored yet with their template words (so they can be edited); how many."""
    missing = [s for s in tor_sections(store, programme_id).values() if s.record_id is None]
    with store.atomic():
        for section in missing:
            store.insert(
                "tor_sections",
                {"programme_id": programme_id, "key": section.key, "title": section.title, "body": section.body},
            )
    return len(missing)


def blocks(body: str) -> list[Block]:
    """The body as the document typesets it: paragraphs, bullet lists and tables, in order."""
    out: list[Block] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("## "):
            out.append(("heading", [lines[0][3:].strip()]))
        elif all(line.lstrip().startswith("|") for line in lines):
            rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
            out.append(("table", rows))
        elif all(line.lstrip().startswith(("- ", "• ")) for line in lines):
            out.append(("bullets", [line.lstrip()[2:].strip() for line in lines]))
        else:
            out.append(("paragraph", [" ".join(line.strip() for line in lines)]))
    return out
