"""Topic leads: one fact, the people ticked as topic leads on each area of focus.

The participants table, the terms of reference's Appendix C and the roadmap all show a person's topic
lead from here ("System governance and leadership & System finances and single plan", as the seed joins
two areas), so ticking a lead on the Areas page is seen everywhere. `people.topic_lead` is kept in the
file only so older versions still read it; nothing shows or edits it any more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ics_desktop.storage.store import Store


def lead_titles(areas: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Person id → the titles of the areas they lead, in area order (an untitled area by its number)."""
    led: dict[str, list[str]] = {}
    for area in sorted(areas, key=lambda a: a["number"]):
        title = str(area.get("title") or "").strip() or f"Area of focus {area['number']}"
        for person_id in area.get("topic_leads") or ():
            titles = led.setdefault(str(person_id), [])
            if title not in titles:
                titles.append(title)
    return led


def topic_lead_text(titles: Iterable[str]) -> str:
    """How a person's topic lead reads in a table: the areas' titles joined with ' & ' (the seed's way)."""
    return " & ".join(titles)


def topic_leads(store: Store, programme_id: str) -> dict[str, str]:
    """Person id → the text of their topic lead, for every person who leads at least one area."""
    return {pid: topic_lead_text(t) for pid, t in lead_titles(store.areas_of_focus(programme_id)).items()}
