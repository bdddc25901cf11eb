"""From agreement to planning: areas of focus made from the capabilities the group marked as focus.

The seed's areas of focus each address a handful of baseline capabilities (area 1: 1.1, 1.2, 1.3, 1.4).
After agreeing the readiness results the facilitator turns the focus capabilities into areas: one area per
domain (titled after the domain, to be reworded), or one area holding every capability ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ics_desktop.frameworks.framework import Framework
from ics_desktop.planning.areas import MAX_AREAS, AreaError, areas
from ics_desktop.storage.edits import Batch, Edit, insert_record
from ics_desktop.storage.store import Store


@dataclass(frozen=True)
class ProposedArea:
    """An area of focus about to be made: its title and the capability codes it addresses."""

    title: str
    capabilities: tuple[str, ...]


def focus_capabilities(store: Store, assessment_id: str, framework: Framework) -> list[str]:
    """The codes the group marked as focus in this round, in the framework's order."""
    marked = {code for code, row in store.capability_results(assessment_id).items() if row.get("focus")}
    return [c.code for d in framework.domains for c in d.capabilities if c.code in marked]


def propose(framework: Framework, codes: Sequence[str], *, per_domain: bool, title: str = "") -> list[ProposedArea]:
    """The areas to make from the ticked codes: one per domain (titled by the domain) or one with them all."""
    wanted = set(codes)
    if not per_domain:
        ordered = tuple(c.code for d in framework.domains for c in d.capabilities if c.code in wanted)
        return [ProposedArea(title.strip(), ordered)] if ordered else []
    proposed: list[ProposedArea] = []
    for domain in framework.domains:
        picked = tuple(c.code for c in domain.capabilities if c.code in wanted)
        if picked:
            proposed.append(ProposedArea(domain.title, picked))
    return proposed


def create_areas_edit(store: Store, programme_id: str, proposed: Sequence[ProposedArea]) -> Edit:
    """One undoable step adding the proposed areas after the programme's existing ones.

    Raises AreaError when nothing is proposed or the programme would pass its limit of areas.
    """
    if not proposed:
        raise AreaError("Tick at least one focus capability to make an area of focus from it.")
    existing = areas(store, programme_id)
    if len(existing) + len(proposed) > MAX_AREAS:
        room = MAX_AREAS - len(existing)
        raise AreaError(
            f"A programme has at most {MAX_AREAS} areas of focus and this one has {len(existing)}: "
            f"there is room for {room} more, not {len(proposed)}. Choose one area for every capability ticked, "
            "or remove an area first."
        )
    first = max((a["number"] for a in existing), default=0) + 1
    steps: list[Edit] = [
        insert_record(
            "areas_of_focus",
            {"programme_id": programme_id, "number": first + i, "title": p.title, "capabilities": list(p.capabilities)},
            f"new area of focus {first + i}",
        )
        for i, p in enumerate(proposed)
    ]
    noun = "area" if len(steps) == 1 else "areas"
    return Batch(f"{len(steps)} {noun} of focus from the focus capabilities", steps)
