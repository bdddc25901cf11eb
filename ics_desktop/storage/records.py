"""Domain records read from the store (plain, immutable, Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass


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
