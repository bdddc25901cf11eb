"""Due dates as typed in a workshop, and capture lines: prefixes, @owner, due/by and #area (no Qt)."""

from __future__ import annotations

from datetime import date

import pytest

from ics_desktop.dates import HELP, DateError, looks_like_date, parse_due_date
from ics_desktop.planning.capture import match_owner, parse_capture_line, resolve_owner

MONDAY = date(2026, 2, 2)  # a fixed Monday
PEOPLE = [
    "Julia Ross",
    "Robert Woolley",
    "Sarah Truelove",
    "Sara Blackmore",
    "Mark Shepperd",
    "Martin Jones",
    "Catherine Evans",
]


# -- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("31/1", date(2026, 1, 15), date(2026, 1, 31)),  # still to come this year
        ("31/1", date(2026, 2, 2), date(2027, 1, 31)),  # already past: next year
        ("31/1", date(2026, 1, 31), date(2026, 1, 31)),  # today counts
        ("31.01", date(2026, 2, 2), date(2027, 1, 31)),
        ("29/2", date(2026, 3, 1), date(2028, 2, 29)),  # waits for a leap year
        ("29/2", date(2028, 1, 10), date(2028, 2, 29)),
        ("31/01/2026", MONDAY, date(2026, 1, 31)),
        ("31/1/27", MONDAY, date(2027, 1, 31)),
        ("2026-01-31", MONDAY, date(2026, 1, 31)),
        ("31 Jan", MONDAY, date(2027, 1, 31)),
        ("3rd March", MONDAY, date(2026, 3, 3)),
        ("5 sept 2026", MONDAY, date(2026, 9, 5)),
        ("2w", MONDAY, date(2026, 2, 16)),
        ("2 weeks", MONDAY, date(2026, 2, 16)),
        ("in 2 weeks", MONDAY, date(2026, 2, 16)),
        ("10d", MONDAY, date(2026, 2, 12)),
        ("1m", date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        ("next month", MONDAY, date(2026, 3, 2)),
        ("today", MONDAY, MONDAY),
        ("tomorrow", MONDAY, date(2026, 2, 3)),
        ("next fri", MONDAY, date(2026, 2, 6)),  # the coming Friday
        ("next friday", MONDAY, date(2026, 2, 6)),
        ("fri", MONDAY, date(2026, 2, 6)),
        ("Thurs", MONDAY, date(2026, 2, 5)),
        ("next mon", MONDAY, date(2026, 2, 9)),  # never today: a week on
        ("next week", MONDAY, date(2026, 2, 9)),  # the next Monday
        ("next week", date(2026, 2, 4), date(2026, 2, 9)),
        ("  NEXT   FRI ", MONDAY, date(2026, 2, 6)),
    ],
)
def test_due_dates_as_typed(typed: str, today: date, expected: date) -> None:
    assert parse_due_date(typed, today) == expected


def test_blank_is_no_date() -> None:
    assert parse_due_date("   ", MONDAY) is None


@pytest.mark.parametrize("typed", ["someday", "next frday", "32/1", "31/2", "2026-02-30", "13/13", "31 Foo"])
def test_junk_is_a_date_error(typed: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_due_date(typed, MONDAY)
    message = str(caught.value)
    assert typed.strip() in message
    assert HELP in message or "is not a real date" in message


def test_date_error_carries_the_help_text() -> None:
    with pytest.raises(DateError, match="31/1, 31/01/2026, 2026-01-31, 31 Jan, 2w, 10d, 1m, tomorrow or next fri"):
        parse_due_date("whenever", MONDAY)


def test_names_are_not_dates() -> None:
    # "tom" and "tod" once meant tomorrow and today: "agreed by Tom" must not become a due date.
    for name in ("tom", "tod", "Mark", "May Smith"):
        with pytest.raises(DateError):
            parse_due_date(name, MONDAY)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("2w", True),
        ("32/1", True),
        ("next fri", True),
        ("next frday", True),  # a typo worth reporting
        ("friday", True),
        ("January", True),
        ("tomorrow", True),
        ("in 2 weeks", True),
        ("the board", False),
        ("Mark", False),
        ("this group", False),
        ("next meeting", False),
        ("diligence", False),
        ("", False),
    ],
)
def test_looks_like_date(fragment: str, expected: bool) -> None:
    assert looks_like_date(fragment) is expected


# -- capture lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("o: Narrative around the vision agreed", "output", "Narrative around the vision agreed"),
        ("O:Narrative", "output", "Narrative"),
        ("out: Narrative", "output", "Narrative"),
        ("d: Single budget for urgent care", "decision", "Single budget for urgent care"),
        ("Decision : Single budget", "decision", "Single budget"),
        ("r: LA partners not engaged", "risk", "LA partners not engaged"),
        ("n: Peer learning in November", "note", "Peer learning in November"),
        ("a: Draft the MoU", "action", "Draft the MoU"),
        ("act: Draft the MoU", "action", "Draft the MoU"),
        ("NB: not a prefix", "decision", "NB: not a prefix"),  # unknown prefixes are text
        ("Plain line in decision mode", "decision", "Plain line in decision mode"),
        ("  spaced  ", "decision", "spaced"),
    ],
)
def test_prefixes_and_the_current_mode(typed: str, kind: str, text: str) -> None:
    line = parse_capture_line(typed, "decision", PEOPLE, MONDAY)
    assert (line.kind, line.text, line.problems) == (kind, text, ())


def test_only_actions_take_owner_due_and_area() -> None:
    line = parse_capture_line("o: Workshop 2 due 2w with @Julia #1", "note", PEOPLE, MONDAY)
    assert line == parse_capture_line("o: Workshop 2 due 2w with @Julia #1", "note", [], MONDAY)
    assert (line.kind, line.text, line.owner, line.due, line.area_number) == (
        "output",
        "Workshop 2 due 2w with @Julia #1",
        "",
        None,
        None,
    )


def test_action_with_owner_due_and_area() -> None:
    line = parse_capture_line("a: Draft the MoU @Julia due 2w #1", "output", PEOPLE, MONDAY)
    assert (line.kind, line.text, line.owner, line.due, line.area_number, line.problems) == (
        "action",
        "Draft the MoU",
        "Julia Ross",
        date(2026, 2, 16),
        1,
        (),
    )


def test_action_in_action_mode_with_by() -> None:
    line = parse_capture_line("Circulate workshop notes @Sarah by next fri", "action", PEOPLE, MONDAY)
    assert (line.text, line.owner, line.due) == ("Circulate workshop notes", "Sarah Truelove", date(2026, 2, 6))


def test_parts_in_any_order() -> None:
    line = parse_capture_line("a: #4 @Mark S by 31/3 Agree the risk-share principles", "note", PEOPLE, MONDAY)
    assert (line.text, line.owner, line.due, line.area_number) == (
        "Agree the risk-share principles",
        "Mark Shepperd",
        date(2026, 3, 31),
        4,
    )


def test_date_words_stop_at_the_first_readable_date() -> None:
    line = parse_capture_line("a: Send the pack by 31 Jan with partners @Julia R", "note", PEOPLE, MONDAY)
    assert (line.text, line.owner, line.due) == ("Send the pack with partners", "Julia Ross", date(2027, 1, 31))


def test_prose_after_by_and_due_stays_text() -> None:
    line = parse_capture_line("a: Terms agreed by the board due to the MoU @Catherine", "note", PEOPLE, MONDAY)
    assert (line.text, line.owner, line.due, line.problems) == (
        "Terms agreed by the board due to the MoU",
        "Catherine Evans",
        None,
        (),
    )
    line = parse_capture_line("a: Finance due diligence led by Mark due 3w", "note", PEOPLE, MONDAY)
    assert (line.text, line.due) == ("Finance due diligence led by Mark", date(2026, 2, 23))


def test_an_unreadable_date_is_a_problem_and_keeps_the_text() -> None:
    line = parse_capture_line("a: Thing due 32/1 @Julia", "note", PEOPLE, MONDAY)
    assert line.due is None
    assert line.problems == ("Due date: '32/1' is not a real date.",)
    line = parse_capture_line("a: Thing by next frday", "note", PEOPLE, MONDAY)
    assert "'next frday' is not a date I understand" in line.problems[0]
    assert line.text == "Thing by next frday"


@pytest.mark.parametrize(
    ("fragment", "owner", "words"),
    [
        ("Julia", "Julia Ross", 1),
        ("julia", "Julia Ross", 1),
        ("Julia Ross", "Julia Ross", 2),
        ("Julia R", "Julia Ross", 2),
        ("Julia, then", "Julia Ross", 1),
        ("Ross", "Julia Ross", 1),  # a surname is enough when only one person has it
        ("Woolley to chase", "Robert Woolley", 1),
        ("Sarah", "Sarah Truelove", 1),
        ("Bob Smith to send", "Bob Smith", 2),  # a guest: the capitalised words are the name
        ("bob to send", "bob", 1),
    ],
)
def test_owner_matching(fragment: str, owner: str, words: int) -> None:
    found = match_owner(fragment, PEOPLE)
    assert (found.owner, found.words, found.ambiguous) == (owner, words, ())


def test_a_name_starting_two_names_is_ambiguous() -> None:
    found = match_owner("Sara", PEOPLE)  # starts both "Sarah Truelove" and "Sara Blackmore"
    assert found.ambiguous == ("Sarah Truelove", "Sara Blackmore")
    assert match_owner("Sara B", PEOPLE).owner == "Sara Blackmore"
    assert match_owner("Sara Blackmore", PEOPLE).owner == "Sara Blackmore"


def test_an_ambiguous_owner_is_a_problem() -> None:
    line = parse_capture_line("a: Chase the figures @Mar", "note", PEOPLE, MONDAY)
    assert line.problems == ("@Mar could be Mark Shepperd or Martin Jones: type more of the name.",)


def test_an_email_address_is_not_an_owner() -> None:
    line = parse_capture_line("a: Write to julia@example.org @Julia", "note", PEOPLE, MONDAY)
    assert (line.text, line.owner) == ("Write to julia@example.org", "Julia Ross")


def test_an_action_needs_a_description() -> None:
    line = parse_capture_line("a: @Julia due 2w", "note", PEOPLE, MONDAY)
    assert line.problems and "needs a description" in line.problems[0]
    assert parse_capture_line("o:   ", "note", PEOPLE, MONDAY).problems == ("Type something to record.",)


def test_area_number() -> None:
    assert parse_capture_line("a: Roadmap #12", "note", [], MONDAY).area_number == 12
    line = parse_capture_line("a: Fix C#1 bug", "note", [], MONDAY)  # only a #number standing alone
    assert (line.text, line.area_number) == ("Fix C#1 bug", None)


def test_resolve_owner_for_table_edits() -> None:
    assert resolve_owner("Julia", PEOPLE) == "Julia Ross"
    assert resolve_owner("@julia ross", PEOPLE) == "Julia Ross"
    assert resolve_owner("Bob Smith", PEOPLE) == "Bob Smith"
    assert resolve_owner("Sar", PEOPLE) == "Sar"
    assert resolve_owner("", PEOPLE) == ""
