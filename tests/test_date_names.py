"""Month and day names come from one module, in English, whatever the locale (GUI and command line agree)."""

from __future__ import annotations

import ast
import locale
import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from ics_desktop.dates import day_text, month_abbr, month_name, weekday_abbr, weekday_name
from ics_desktop.planning import actions, workshops
from ics_desktop.storage import restore

from .conftest import ROOT

_LOCALE_NAMES = re.compile(r"%[aAbBch]")  # strftime directives whose text follows the locale


def _locale_dependent_formats(source: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "strftime"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and _LOCALE_NAMES.search(str(node.args[0].value))
        ):
            yield f"{node.lineno}: strftime({node.args[0].value!r})"
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = ast.unparse(node.format_spec)
            if _LOCALE_NAMES.search(spec):
                yield f"{node.lineno}: format spec {spec}"


def test_no_view_or_export_takes_names_from_the_locale() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for folder in ("ics_desktop", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for hit in _locale_dependent_formats(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_scan_sees_locale_names() -> None:
    source = 'a = d.strftime("%b %Y")\nb = f"{d:%A}"\nc = d.strftime("%Y-%m-%d %H:%M")\ne = f"{d:%H:%M}"\n'
    assert list(_locale_dependent_formats(source)) == ["1: strftime('%b %Y')", "2: format spec f'%A'"]


def test_names_literally() -> None:
    monday = date(2018, 10, 15)
    assert (month_abbr(monday), month_name(monday), weekday_abbr(monday), weekday_name(monday)) == (
        "Oct",
        "October",
        "Mon",
        "Monday",
    )
    assert [month_abbr(date(2026, m, 1)) for m in (1, 5, 6, 9, 12)] == ["Jan", "May", "Jun", "Sep", "Dec"]
    assert weekday_name(date(2026, 12, 6)) == "Sunday"
    assert day_text(monday) == "15 Oct 2018"
    assert day_text("2026-02-05") == "5 Feb 2026"
    assert actions.display_date("2026-01-31") == "31 Jan 2026"
    assert workshops.starts_at_text("2018-10-15T09:30") == "Mon 15 Oct 2018, 09:30"
    assert restore.format_taken(datetime(2025, 3, 3, 14, 5, 9).astimezone()) == "Mon 3 Mar 2025, 14:05:09"


_OTHER_LOCALES = ("de_DE.UTF-8", "fr_FR.UTF-8", "es_ES.UTF-8", "nl_NL.UTF-8")


def _settable(name: str) -> bool:
    saved = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, name)
    except locale.Error:
        return False
    finally:
        locale.setlocale(locale.LC_TIME, saved)
    return True


@pytest.mark.parametrize("name", [n for n in _OTHER_LOCALES if _settable(n)] or [None])
def test_a_non_english_locale_changes_nothing(name: str | None) -> None:
    if name is None:
        pytest.skip("no non-English locale on this machine (the source scan above covers it)")
    saved = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, name)
        assert day_text(date(2018, 10, 15)) == "15 Oct 2018"
        assert workshops.starts_at_text("2018-10-15T09:30") == "Mon 15 Oct 2018, 09:30"
    finally:
        locale.setlocale(locale.LC_TIME, saved)
