"""Due dates as people type them in a workshop: 31/1, 2026-01-31, 2w, next fri, tomorrow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_DAY_STARTS = {day[:2] for day in _WEEKDAYS}
_PERIODS = ("week", "wk", "month")
_RELATIVE = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks|m|mo|month|months)$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?(?:\s+(\d{4}))?$")


# Shown names, fixed in English: strftime's %a/%b/%B follow the process locale (which Qt sets in the GUI), so
# a window and a command-line export could otherwise disagree. Every view and export names days through these.
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = tuple(name.capitalize() for name in _MONTH_NAMES)
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = tuple(name.capitalize() for name in _WEEKDAYS)


def month_abbr(day: date) -> str:
    """'Oct', whatever the locale."""
    return MONTH_ABBREVIATIONS[day.month - 1]


def month_name(day: date) -> str:
    """'October', whatever the locale."""
    return MONTH_NAMES[day.month - 1]


def weekday_abbr(day: date) -> str:
    """'Mon', whatever the locale."""
    return WEEKDAY_ABBREVIATIONS[day.weekday()]


def weekday_name(day: date) -> str:
    """'Monday', whatever the locale."""
    return WEEKDAY_NAMES[day.weekday()]


class DateError(ValueError):
    """A date the parser does not understand; the message says what it accepts."""


HELP = "a date such as 31/1, 31/01/2026, 2026-01-31, 31 Jan, 2w, 10d, 1m, tomorrow or next fri"


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise DateError("impossible date")  # pragma: no cover


def _weekday(name: str) -> int | None:
    """Monday=0 … for 'fri', 'friday', 'thurs' and the like."""
    name = name.strip(".")
    if len(name) < 3:
        return None
    return next((i for i, full in enumerate(_WEEKDAYS) if full.startswith(name)), None)


def _month(name: str) -> int | None:
    """January=1 … for 'jan', 'sept', 'september' (a prefix of the name, at least three letters)."""
    if len(name) < 3:
        return None
    return next((i + 1 for i, full in enumerate(_MONTH_NAMES) if full.startswith(name)), None)


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"'{text}' is not a real date") from None


def _next_occurrence(day: int, month: int, today: date) -> date:
    """The first such day on or after today (29/2 waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateError("impossible date")  # pragma: no cover


def looks_like_date(fragment: str) -> bool:
    """Whether the words after "due" or "by" are meant as a date (so failing to read them is a mistake).

    "by 32/1" or "due next frday" are typos to report; "led by Mark", "by this group" or
    "due diligence" are just text.
    """
    words = [w.strip(".,;:") for w in fragment.lower().split()]
    if not words or not words[0]:
        return False
    first = words[0]
    if first[0].isdigit() or first in ("today", "tomorrow", "tmr"):
        return True
    if first in ("next", "this", "in"):
        second = words[1] if len(words) > 1 else ""
        # "next frday" is a typo worth reporting; "by this group" is prose.
        return bool(second) and (second[0].isdigit() or second[:2] in _DAY_STARTS or second in _PERIODS)
    return _weekday(first) is not None or _month(first) is not None


def parse_due_date(text: str, today: date | None = None) -> date | None:
    """The date meant by `text` (None for blank); a date without a year is the next one to come."""
    today = today or date.today()
    raw = " ".join(text.strip().lower().split())
    if raw.startswith("in "):  # "in 2 weeks" reads as "2 weeks"
        raw = raw[3:]
    if not raw:
        return None
    if raw == "today":
        return today
    if raw in ("tomorrow", "tmr"):
        return today + timedelta(days=1)
    if m := _RELATIVE.match(raw):
        amount, unit = int(m.group(1)), m.group(2)[0]
        if unit == "d":
            return today + timedelta(days=amount)
        if unit == "w":
            return today + timedelta(weeks=amount)
        return _add_months(today, amount)
    if m := _ISO.match(raw):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _DAY_MONTH.match(raw):
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
            return _make(year + 2000 if year < 100 else year, month, day, text)
        _make(2000, month, day, text)  # validates day/month (2000 is a leap year)
        return _next_occurrence(day, month, today)
    if m := _WORDY.match(raw):
        month_number = _month(m.group(2))
        if month_number is not None:
            day = int(m.group(1))
            if m.group(3):
                return _make(int(m.group(3)), month_number, day, text)
            _make(2000, month_number, day, text)
            return _next_occurrence(day, month_number, today)
    words = raw.split()
    if words and words[0] in ("next", "this") and len(words) == 2:
        if words[1] in ("week", "wk"):
            return today + timedelta(days=7 - today.weekday())  # next Monday
        if words[1] == "month":
            return _add_months(today, 1)
        target = _weekday(words[1])
        if target is not None:
            ahead = (target - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    if len(words) == 1 and (target := _weekday(words[0])) is not None:
        ahead = (target - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    raise DateError(f"'{text.strip()}' is not a date I understand: type {HELP}")


def is_relative(text: str) -> bool:
    """Whether `text` counts from a day (2w, 10d, 1m, tomorrow, next week) rather than naming one."""
    raw = " ".join(text.strip().lower().split()).removeprefix("in ")
    return bool(
        _RELATIVE.match(raw) or raw in ("today", "tomorrow", "tmr", "next week", "next wk", "next month", "this month")
    )


def off_weekend(day: date) -> date:
    """The day itself on a weekday; the Monday after a Saturday or Sunday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


@dataclass(frozen=True)
class Due:
    """A due date as typed, counted from `start`: relative dates that fall at a weekend move to Monday."""

    day: date
    note: str = ""  # what was done with it, for the person typing ("" for a date typed as such)


def resolve_due(text: str, start: date) -> Due | None:
    """`text` as a due date counted from `start` (a workshop's date), moved off a weekend when relative."""
    day = parse_due_date(text, start)
    if day is None:
        return None
    if not is_relative(text):
        return Due(day)
    moved = off_weekend(day)
    note = f"{text.strip()} from {day_text(start)}"
    if moved != day:
        note += f" is a {weekday_name(day)}: moved to Monday {day_text(moved)}"
    return Due(moved, note)


def day_text(day: date | str) -> str:
    """'5 Feb 2026' from a date or an ISO date (strftime's %-d is not portable to Windows)."""
    if isinstance(day, str):
        try:
            parsed = date.fromisoformat(day[:10])
        except ValueError:
            return day
    else:
        parsed = day
    return f"{parsed.day} {month_abbr(parsed)} {parsed.year}"
