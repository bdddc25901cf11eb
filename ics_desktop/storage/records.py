"""Domain records read from the store (plain, immutable, Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    system_id: str
    system_name: str
    framework_id: str
    start_date: str | None
    end_date: str | None
    sample: bool = False  # the embedded sample programme (labelled "Sample" in lists; can be hidden)

    @property
    def label(self) -> str:
        """How programme lists show it: "System — Name", marked when it is the sample."""
        return f"{self.system_name} — {self.name}" + ("  (Sample)" if self.sample else "")


@dataclass(frozen=True)
class Person:
    id: str
    programme_id: str
    kind: str  # "participant" or "delivery"
    name: str
    role: str
    organisation: str
    team: str
    topic_lead: str
    email: str
    profile: str
    position: int


@dataclass(frozen=True)
class Assessment:
    id: str
    programme_id: str
    framework_id: str
    name: str
    date: str | None
    notes: str


@dataclass(frozen=True)
class Response:
    respondent: str
    capability_code: str
    question: str
    score: int | None  # None means "don't know"


# Records read as rows (one column a key, JSON lists decoded): typed, so a misspelt field or a wrong type is a
# type-checking error rather than a KeyError at a user's desk.


class AreaRecord(TypedDict):
    """An area of focus (areas_of_focus)."""

    id: str
    programme_id: str
    number: int
    title: str
    narrative: str
    blend: str
    preferred_workshops: list[int]  # numbers in the workshop catalogue
    capabilities: list[str]  # capability codes
    outputs: list[str]
    outcomes: list[str]
    topic_leads: list[str]  # people ids
    created: str
    modified: str


class CatalogueRecord(TypedDict):
    """A workshop of the programme's catalogue (workshop_catalogue)."""

    id: str
    programme_id: str
    number: int
    title: str
    description: str
    created: str
    modified: str


class WorkshopRecord(TypedDict):
    """A workshop as run (workshops)."""

    id: str
    programme_id: str
    title: str
    starts_at: str | None
    venue: str
    status: str
    areas: list[str]  # area ids
    attendees: list[str]  # people ids
    agenda: list[str]  # the plan, one item a line
    created: str
    modified: str


class MilestoneRecord(TypedDict):
    """An ambition's milestone (milestones)."""

    id: str
    programme_id: str
    ambition: str
    ambition_year: str
    title: str
    milestone_year: str
    due_date: str | None
    status: str
    areas: list[int]  # area numbers
    capabilities: list[str]
    position: int
    created: str
    modified: str


class ResultRecord(TypedDict):
    """The group's agreed figures for one capability of an assessment (capability_results)."""

    id: str
    assessment_id: str
    capability_code: str
    agreed_current: int | None
    agreed_desired: int | None
    desired_open: int  # 1: the desired level was left open ("?")
    justification: str
    focus: int  # 1: a focus capability
    change: str | None
    change_blank: int
    created: str
    modified: str
