"""The PDF board summary: read back with pypdf — pages, scores, areas, chart, fonts, any text, cancel, scale."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from ics_desktop.exports import pdf_summary
from ics_desktop.exports.common import ExportCancelled
from ics_desktop.exports.pdf_fonts import PLACEHOLDER, drawable, font_codepoints, register_fonts, visual_order
from ics_desktop.exports.pdf_summary import summary_data, write_summary_pdf
from ics_desktop.storage.store import Store

from .text_oracles import font_printable, xml_storable

TODAY = date(2019, 3, 1)  # inside the sample's timeline: some milestones ahead, actions can be overdue
WELSH = "Ysbyty Gwynedd ŵ"
POLISH = "Łódź ł"
HEBREW = "שרה כהן"


def tiny_png() -> bytes:
    """A small white PNG: the hypothesis test swaps it in for the chart (matplotlib costs half a second a draw)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


# -- helpers -------------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text with all whitespace removed (line wrapping and spacing do not matter)."""
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def appears(expected: str, text: str, max_pieces: int) -> bool:
    """Whether `expected` (whitespace removed) is in `text` in order, in at most `max_pieces` contiguous pieces.

    A table row split across pages interleaves the page footer, the repeated header row and the
    other cells of the row, so very long text comes back in a few pieces; short text in one.
    """
    want, have = squash(expected), squash(text)
    position, pieces, i = 0, 0, 0
    while i < len(want):
        low, high = 0, len(want) - i  # the longest next piece found at or after `position`
        while low < high:
            middle = (low + high + 1) // 2
            if have.find(want[i : i + middle], position) >= 0:
                low = middle
            else:
                high = middle - 1
        if low == 0:
            return False
        position = have.find(want[i : i + low], position) + low
        i += low
        pieces += 1
    return pieces <= max_pieces


def programme_id(store: Store) -> str:
    return store.programmes()[0].id


def add_action(store: Store, pid: str, title: str, owner: str, due: date, status: str = "open", **more: Any) -> str:
    return store.insert(
        "actions",
        {"programme_id": pid, "title": title, "owner": owner, "due_date": due.isoformat(), "status": status, **more},
    )


@pytest.fixture
def sample_copy(sample_store: Store) -> Iterator[tuple[Store, str]]:
    yield sample_store, programme_id(sample_store)


@pytest.fixture
def fast_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tiny image for the chart, for tests about something else (keeps the file under 40 s)."""
    png = tiny_png()
    monkeypatch.setattr(pdf_summary, "chart_png", lambda readiness: png)


# -- the sample ----------------------------------------------------------------------------------


def test_sample_summary_is_one_or_two_pages_with_scores_areas_focus_and_chart(
    sample_file: Path, tmp_path: Path
) -> None:
    store = Store.open(sample_file, read_only=True)
    try:
        pid = programme_id(store)
        target = tmp_path / "summary.pdf"
        result = write_summary_pdf(store, pid, target)
        data = summary_data(store, pid)
        areas = store.areas_of_focus(pid)
    finally:
        store.close()

    assert result.path == target and target.exists()
    reader = PdfReader(target)
    assert 1 <= len(reader.pages) <= 2
    assert result.pages == len(reader.pages)
    text = pdf_text(target)
    flat = squash(text)
    assert data.readiness is not None
    overall = {label: value for label, value in data.readiness.overall}
    assert f"{overall['Now']:.1f}" == "1.9"  # the seed's figure
    for value in overall.values():
        assert value is not None and f"{value:.1f}" in text
    assert areas and all(squash(f"{a['number']}. {a['title']}") in flat for a in areas)
    assert data.focus
    # At 12/10 pt the page holds six focus capabilities with their statements; the others are named by code.
    for n, (code, statement, _, _) in enumerate(data.focus):
        if n < 6:
            assert squash(f"{code} {' '.join(statement.split()[:3])}") in flat  # code and the start of its statement
    hidden = ", ".join(code for code, *_ in data.focus[6:])
    assert squash(f"+4 more focus capabilities: {hidden}") in flat
    assert "Illustrative" in text  # the sample's individual responses are generated
    assert re.search(r"Page 1 of [12]", text) and "Generated by ICS Desktop" in text
    assert squash("Supporting Aspiring ICS Programme — summary for boards") in flat

    resources: Any = reader.pages[0]["/Resources"]
    images = [x for x in resources["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert images, "the readiness chart is embedded on page 1"
    width = images[0].get_object()["/Width"]
    assert width >= 1500  # drawn at about 200 dpi for a 17 cm wide frame


@pytest.mark.usefixtures("fast_chart")
def test_dejavu_sans_is_embedded(sample_file: Path, tmp_path: Path) -> None:
    store = Store.open(sample_file, read_only=True)
    try:
        write_summary_pdf(store, programme_id(store), tmp_path / "s.pdf")
    finally:
        store.close()
    fonts: dict[str, Any] = {}
    for page in PdfReader(tmp_path / "s.pdf").pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            fonts[str(font["/BaseFont"])] = inner["/FontDescriptor"].get_object()
    assert any(name.endswith("+DejaVuSans") for name in fonts) and any(
        name.endswith("+DejaVuSans-Bold") for name in fonts
    )
    assert all("DejaVuSans" in name for name in fonts), fonts  # nothing falls back to a built-in font
    assert all("/FontFile2" in d for d in fonts.values())  # TrueType subsets, embedded


def test_a_programme_without_assessment_or_actions_still_exports(store: Store, tmp_path: Path) -> None:
    from ics_desktop.frameworks.framework import default_framework

    pid = store.create_programme("Empty", "", default_framework())
    result = write_summary_pdf(store, pid, tmp_path / "empty.pdf", today=TODAY)
    text = pdf_text(tmp_path / "empty.pdf")
    assert result.pages == 1
    assert "No readiness assessment" in text and "No actions have been recorded yet" in text


# -- text in any language, and as typed ----------------------------------------------------------


@pytest.mark.usefixtures("fast_chart")
def clear_actions(store: Store, pid: str) -> None:
    """Start from no actions (the sample may hold illustrative ones), so a test's own are the ones shown."""
    with store.atomic():
        store.conn.execute("DELETE FROM actions WHERE programme_id = ?", (pid,))


def test_welsh_polish_and_hebrew_names_print(sample_copy: tuple[Store, str], tmp_path: Path) -> None:
    store, pid = sample_copy
    clear_actions(store, pid)
    areas = store.areas_of_focus(pid)
    store.update_field("areas_of_focus", areas[0]["id"], "title", f"Gwasanaethau {WELSH}")
    store.update_field("areas_of_focus", areas[1]["id"], "title", f"Zdrowie {POLISH}")
    add_action(store, pid, "Agree the Welsh version", WELSH, TODAY - timedelta(days=9))
    add_action(store, pid, "Agree the Polish version", POLISH, TODAY - timedelta(days=8))
    add_action(store, pid, "Agree the Hebrew version", f"Dr {HEBREW} (NHS)", TODAY - timedelta(days=7))
    write_summary_pdf(store, pid, tmp_path / "names.pdf", today=TODAY)
    flat = squash(pdf_text(tmp_path / "names.pdf"))
    for name in (WELSH, POLISH, f"Gwasanaethau {WELSH}", f"Zdrowie {POLISH}"):
        assert squash(name) in flat
    # Right to left: drawn in display order (the Hebrew run reversed in place, the Latin around it as
    # it reads). pypdf reverses right-to-left runs when it extracts, so it reads the name back in
    # reading order; the stored order printed as is would come back backwards.
    assert visual_order(f"Dr {HEBREW} (NHS)") == "Dr ןהכ הרש (NHS)"
    assert visual_order("שלום (עולם)") == "(םלוע) םולש"  # brackets mirrored, so they still open and close
    assert squash(HEBREW) in flat and "Dr" in flat and "NHS" in flat
    assert squash(HEBREW[::-1]) not in flat


@pytest.mark.usefixtures("fast_chart")
def test_a_long_right_to_left_title_wraps_from_its_first_words(sample_copy: tuple[Store, str], tmp_path: Path) -> None:
    """Reordered line by line after wrapping, so the first words are on the first line (at its right).

    pypdf turns each extracted right-to-left run back into reading order, so a line reads as typed.
    """
    store, pid = sample_copy
    words = [f"מילה{chr(0x05D0 + i)}" for i in range(12)]  # distinct Hebrew words, within the 120 a cell shows
    area = store.areas_of_focus(pid)[0]
    store.update_field("areas_of_focus", area["id"], "title", " ".join(words))
    write_summary_pdf(store, pid, tmp_path / "rtl.pdf", today=TODAY)
    lines = pdf_text(tmp_path / "rtl.pdf").splitlines()
    first = next(i for i, line in enumerate(lines) if words[0] in line)
    last = next(i for i, line in enumerate(lines) if words[-1] in line)
    assert first < last  # the title starts on its first line, not its last
    assert lines[first].index(words[0]) < lines[first].index(words[1])


def test_drawable_keeps_what_the_font_has_and_marks_or_drops_the_rest() -> None:
    assert drawable(f"{WELSH} {POLISH} {HEBREW} مرحبا") == f"{WELSH} {POLISH} {HEBREW} مرحبا"
    assert drawable("Great 🙂 progress") == "Great  progress"  # emoji dropped
    assert drawable("中文") == PLACEHOLDER * 2  # letters of a script the font lacks are marked
    assert drawable("a\x00b\x07c\tz\r\nd\u200be\ud800") == "abc z\nde"
    assert drawable(None) == ""


def test_font_registration_is_idempotent_and_thread_safe() -> None:
    from reportlab.pdfbase import pdfmetrics

    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(register_fonts())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert names == ["DejaVuSans"] * 8
    registered = pdfmetrics.getRegisteredFontNames()
    for face in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        assert registered.count(face) == 1
    assert ord("ŵ") in font_codepoints() and ord("ł") in font_codepoints()


SPECIALS = [
    "<b>",
    "&",
    "x<y",
    '<img src="/etc/passwd">',
    "R&D <i> unbalanced",
    "</para>",
    "&amp; &#x41; &nbsp;",
    "🙂",
    HEBREW,
    "مرحبا بالعالم",
    WELSH,
    POLISH,
    "中文",
    "\x00\x07\x1b\x7f",
    "line\nbreak\r\n\ttab",
    "  ",
    "",
]
_piece = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(max_size=30),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=15),
)
_field = st.lists(_piece, max_size=5).map("".join)
FIELDS = ("system", "area", "action", "owner", "milestone")
LONG = ("x<y & <b>R&D</b> " * 700)[:10_000]


def _check_shown(value: str, text: str, pages: int, limit: int | None = None) -> None:
    """`value` is in the PDF text as far as the font can show it (modulo whitespace and wrapping). A text longer
    than `limit` characters (a summary cell keeps two pages) is shown from its start, cut with "…"."""
    if limit is not None and len(value) > limit:
        assert "…" in text
        start = value[: limit // 2]
        value = start.rsplit(" ", 1)[0] if " " in start.strip() else start  # whole words only
    shown = font_printable(value, font_codepoints(), PLACEHOLDER)
    # Hebrew letters as typed, whatever the font check did (the font has them; no shaping), in either order.
    for word in re.findall(r"[\u05d0-\u05ea]+", xml_storable(value)):
        assert word in squash(text) or word[::-1] in squash(text), word
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in shown):
        # Reordered for display: each run of Latin letters, and each number, still reads as typed (a
        # number written against Hebrew or Arabic belongs to that text, so "כהן0B" shows "0" apart from "B").
        for word in re.findall(r"[A-Za-z]+|[0-9]+", shown):
            assert word in squash(text)
        return
    # Short text is never split (a row splits only when taller than 40 points): it must be whole.
    pieces = 1 if len(squash(shown)) < 60 else 2 * pages
    assert appears(shown, text, max_pieces=pieces), f"{shown[:80]!r} not found"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: _field for name in FIELDS}))
@example(values={"system": LONG, "area": LONG, "action": LONG, "owner": "Dr " + LONG[:3000], "milestone": LONG})
@example(values=dict.fromkeys(FIELDS, '<img src="/etc/passwd"> x<y & R&D <i>'))
@example(values={**dict.fromkeys(FIELDS, ""), "milestone": "<b>שרה כהן0B"})  # found by hypothesis
def test_any_text_exports_and_shows_as_typed(
    sample_copy: tuple[Store, str], tmp_path: Path, values: dict[str, str]
) -> None:
    store, pid = sample_copy
    programme = store.programme(pid)
    area = store.areas_of_focus(pid)[0]
    store.update_field("systems", programme.system_id, "full_name", values["system"] or "-")
    store.update_field("areas_of_focus", area["id"], "title", values["area"])
    clear_actions(store, pid)
    add_action(store, pid, values["action"], values["owner"], TODAY - timedelta(days=3), area_id=area["id"])
    # The area's next milestone and the first of "next milestones".
    milestone = store.milestones(pid)[0]
    store.update_field("milestones", milestone["id"], "title", values["milestone"])
    store.update_field("milestones", milestone["id"], "due_date", (TODAY + timedelta(days=2)).isoformat())
    store.update_field("milestones", milestone["id"], "areas", [area["number"]])

    target = tmp_path / "any.pdf"
    png = tiny_png()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_summary, "chart_png", lambda readiness: png)
        result = write_summary_pdf(store, pid, target, today=TODAY)
    text = pdf_text(target)
    assert result.pages == len(PdfReader(target).pages)

    system = values["system"] if font_printable(values["system"], font_codepoints()).strip() else ""
    # How much of each a summary cell shows (the Word roadmap has them in full): 160, 120 and 36 characters.
    _check_shown(system, text, result.pages, 160)
    _check_shown(f"1. {values['area']}", text, result.pages, 120)
    for name, limit in (("action", 120), ("owner", 36), ("milestone", 120)):
        if font_printable(values[name], font_codepoints()).strip():
            _check_shown(values[name], text, result.pages, limit)
    if '<img src="/etc/passwd">' in values["area"]:
        assert squash('<img src="/etc/passwd">') in squash(text)  # shown literally, no file opened


# -- writing whole or not at all, and at scale ---------------------------------------------------


@pytest.mark.usefixtures("fast_chart")
@pytest.mark.parametrize("stop_at", [0, 25, 60, 70])
def test_a_cancelled_export_leaves_no_file(sample_file: Path, tmp_path: Path, stop_at: int) -> None:
    def progress(percent: int, _what: str) -> None:
        if percent >= stop_at:
            raise ExportCancelled()

    store = Store.open(sample_file, read_only=True)
    try:
        with pytest.raises(ExportCancelled):
            write_summary_pdf(store, programme_id(store), tmp_path / "cancelled.pdf", progress=progress)
    finally:
        store.close()
    assert list(tmp_path.iterdir()) == []  # neither the PDF nor a temporary file


@pytest.mark.usefixtures("fast_chart")
def test_progress_reaches_100(sample_file: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, str]] = []
    store = Store.open(sample_file, read_only=True)
    try:
        write_summary_pdf(store, programme_id(store), tmp_path / "p.pdf", progress=lambda p, w: seen.append((p, w)))
    finally:
        store.close()
    percents = [p for p, _ in seen]
    assert percents[0] == 0 and percents[-1] == 100 and percents == sorted(percents)


@pytest.mark.usefixtures("fast_chart")
def test_a_huge_programme_stays_on_two_pages_with_lists_capped(sample_copy: tuple[Store, str], tmp_path: Path) -> None:
    store, pid = sample_copy
    clear_actions(store, pid)
    areas = store.areas_of_focus(pid)
    statuses = ["open", "in progress", "done", "blocked", "dropped"]
    with store.atomic():
        for i in range(2000):
            late = i < 200
            due = TODAY - timedelta(days=1 + i % 90) if late else TODAY + timedelta(days=1 + i % 300)
            status = ["open", "in progress", "blocked"][i % 3] if late else statuses[i % 5]
            add_action(store, pid, f"Action {i}", f"Owner {i % 40}", due, status, area_id=areas[i % len(areas)]["id"])
        for i in range(300):
            store.insert(
                "milestones",
                {"programme_id": pid, "title": f"Milestone {i}", "due_date": (TODAY + timedelta(days=i)).isoformat()},
            )
    result = write_summary_pdf(store, pid, tmp_path / "huge.pdf", today=TODAY)
    text = pdf_text(tmp_path / "huge.pdf")
    assert result.pages == 2
    assert "+192 more overdue actions" in text
    assert re.search(r"\+\d+ more open milestones", text)
    assert "2000" in text  # the total
