"""The Word roadmap and terms of reference, read back with python-docx."""

from __future__ import annotations

import base64
import io
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ics_desktop.exports import docx_style as ds
from ics_desktop.exports import word_roadmap as wr
from ics_desktop.exports.common import ExportCancelled, ExportError
from ics_desktop.exports.word_roadmap import SECTIONS, write_roadmap_docx
from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.frameworks.scoring import compute_results
from ics_desktop.planning.actions import action_rows
from ics_desktop.scale_data import generate_actions
from ics_desktop.storage.store import Store

from .text_oracles import xml_storable

# The seed's section 4 table: agreed current and desired maturity (5.1 is not covered on the programme).
SEED = {
    "1.1": (2, 4), "1.2": (2, 4), "1.3": (2, 4), "1.4": (2, 3), "1.5": (2, 4), "2.1": (2, 3), "2.2": (1, 3),
    "2.3": (2, 4), "3.1": (2, 4), "3.2": (1, 4), "4.1": (2, 4), "4.2": (2, 3), "4.3": (2, 4),
}  # fmt: skip
TODAY = date(2019, 6, 1)
# A 1×1 PNG: what the charts are replaced by where a test is about text, not pictures (keeps it fast).
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _programme(store: Store) -> str:
    return store.programmes()[0].id


def _fake_chart(_build: Any, title: str, alt: str = "") -> Any:
    return wr._Figure(TINY_PNG, (10.0, 5.0), title, alt)


@pytest.fixture
def no_charts() -> Iterator[None]:
    with mock.patch.object(wr, "_chart", _fake_chart):
        yield


@pytest.fixture(scope="module")
def exported(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample's roadmap and terms of reference, written once (with the real charts)."""
    folder = tmp_path_factory.mktemp("word")
    store = Store.open(sample_file, read_only=True)
    try:
        programme = _programme(store)
        roadmap = write_roadmap_docx(store, programme, folder / "roadmap.docx", today=TODAY).path
        tor = write_tor_docx(store, programme, folder / "tor.docx", today=TODAY).path
        assessment = store.assessments(programme)[0]
        overall = compute_results(store.framework(assessment.framework_id), store.responses(assessment.id)).overall(
            "now"
        )
        areas = store.areas_of_focus(programme)
    finally:
        store.close()
    return {"roadmap": docx.Document(str(roadmap)), "tor": docx.Document(str(tor)), "overall": overall, "areas": areas}


# -- reading back ---------------------------------------------------------------------------------


def _text(document: Any) -> str:
    """Every piece of text in the body, in order (paragraphs and table cells alike)."""
    return "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))


def _squash(text: str) -> str:
    """Text without whitespace and list markers: what survives however it was laid out in paragraphs."""
    return "".join(ch for ch in xml_storable(text) if not ch.isspace() and ch not in "-*•·")


def _headings(document: Any, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _table_with(document: Any, header: str) -> Any:
    for table in document.tables:
        if header in [c.text for c in table.rows[0].cells]:
            return table
    raise AssertionError(f"no table with the column {header!r}")


def _rows_by_code(table: Any) -> dict[str, list[str]]:
    found = {}
    for row in table.rows:
        texts = [c.text for c in row.cells]
        match = re.match(r"^(\d+\.\d+) ", texts[0])
        if match:
            found[match.group(1)] = texts
    return found


def _fill(row: Any) -> str | None:
    shd = row._tr.find(f".//{qn('w:shd')}")
    return None if shd is None else shd.get(qn("w:fill"))


# -- the sample roadmap ---------------------------------------------------------------------------


def test_roadmap_holds_every_capability_with_its_agreed_maturity(exported: dict[str, Any]) -> None:
    document = exported["roadmap"]
    table = _table_with(document, "Current maturity")
    rows = _rows_by_code(table)
    assert set(rows) == {*SEED, "5.1"}
    for code, (current, desired) in SEED.items():
        assert rows[code][1:3] == [str(current), str(desired)], code
    assert rows["5.1"][1] == wr.NOT_COVERED
    assert rows["3.2"][0].startswith("3.2 The system has credible plans for meeting system control total")
    # Domains head their capabilities, as in the seed's table.
    assert [r.cells[0].text for r in table.rows[:3]][
        1
    ] == "1. Effective leadership and relationships, capacity & capability"
    # Focus capabilities are shaded and the key says so; 2.2 is not an area of focus in the sample.
    by_code = {r.cells[0].text.split(" ")[0]: r for r in table.rows}
    assert _fill(by_code["1.1"]) == ds.FOCUS_FILL and _fill(by_code["2.2"]) is None
    text = _text(document)
    assert wr.FOCUS_KEY in text
    assert f"We rated the system as {exported['overall']:.1f} overall" in text


def test_roadmap_holds_every_area_of_focus_with_outputs_and_outcomes(exported: dict[str, Any]) -> None:
    document = exported["roadmap"]
    outputs = _table_with(document, "Workshop outputs")
    plans = _table_with(document, "Preferred workshop(s)")
    assert len(exported["areas"]) == 6
    for area in exported["areas"]:
        [row] = [r for r in outputs.rows if r.cells[1].text == area["title"]]
        assert [p.text for p in row.cells[2].paragraphs] == area["outputs"]
        assert [p.text for p in row.cells[3].paragraphs] == area["outcomes"]
        assert all(p.style.name == "Table Bullet" for p in row.cells[2].paragraphs)
        [plan] = [r for r in plans.rows if r.cells[1].text.startswith(area["title"])]
        assert area["narrative"] in plan.cells[2].text
        assert f"Baseline capabilities areas of focus: {', '.join(area['capabilities'])}" in plan.cells[2].text


def test_roadmap_embeds_the_charts_and_is_laid_out_for_print(exported: dict[str, Any]) -> None:
    document = exported["roadmap"]
    images = [r for r in document.part.rels.values() if r.reltype.endswith("/image")]
    assert len(document.inline_shapes) >= 4 and len(images) >= 4  # now, questions, distribution, timeline
    first = document.sections[0]
    assert abs(first.page_width - Mm(210)) < Mm(1) and abs(first.page_height - Mm(297)) < Mm(1)
    assert any(s.orientation == WD_ORIENT.LANDSCAPE and s.page_width > s.page_height for s in document.sections)
    # Header rows repeat on every page a table runs onto.
    repeated = [t for t in document.tables if t.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(repeated) >= 10
    assert _table_with(document, "Current maturity")._tbl in [t._tbl for t in repeated]
    # A real contents field over the heading styles, its entries written out; no "update fields?" on opening.
    instructions = [i.text for i in document.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith('TOC \\o "1-2"') for i in instructions)
    assert document.settings.element.find(qn("w:updateFields")) is None
    assert "Appendix A: ICS maturity matrix" in [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    footer = "".join(i.text for i in first.footer._element.iter(qn("w:instrText")))
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "Healthier Together" in first.header.paragraphs[0].text
    assert first.different_first_page_header_footer  # no header or footer on the cover
    # Headings use the heading styles (so the contents work), and empty paragraphs never pile up.
    assert _headings(document)[:3] == ["1. Programme summary", "2. System overview", "3. Readiness summary"]
    body = [p for p in document.element.body if p.tag == qn("w:p")]
    empty = [not "".join(p.itertext()).strip() and not p.findall(f".//{qn('w:drawing')}") for p in body]
    section_breaks = [p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None for p in body]
    assert not any(a and b and not s for a, b, s in zip(empty, empty[1:], section_breaks, strict=False))


def test_terms_of_reference_follow_the_seed(exported: dict[str, Any]) -> None:
    document = exported["tor"]
    headings = _headings(document)
    expected = [
        "1. Preparing for the future: a development programme for aspiring ICSs",
        "2. Programme content, delivery and timeline",
        "3. System overview for Healthier Together (BNSSG)",
        "4. Summary of programme readiness exercise",
        "5. Areas of focus and workshop plans",
        "Appendix A: ICS maturity matrix",
        "Appendix B: Programme readiness exercise",
        "Appendix C: Healthier Together (BNSSG) aspirant ICS alliance team",
    ]
    assert headings == expected
    assert document.core_properties.title == (
        "Supporting Aspiring ICS Programme — Terms of Reference — "
        "Healthier Together STP (Bristol, North Somerset and South Gloucestershire)"
    )
    readiness = _table_with(document, "Current maturity")
    assert [c.text for c in readiness.rows[0].cells] == ["Capability", "Current maturity", "Desired maturity"]
    assert _rows_by_code(readiness)["3.2"][1:] == ["1", "4"]
    ambitions = _table_with(document, "2020/21 Ambition")
    assert [c.text for c in ambitions.rows[0].cells] == ["2020/21 Ambition", "2019/20 milestone"]
    assert "Publish a single system plan for 2019/20 that is jointly owned" in [r.cells[1].text for r in ambitions.rows]
    participants = _table_with(document, "Participant")
    assert [c.text for c in participants.rows[0].cells] == ["Participant", "Role", "Topic lead"]
    assert "Julia Ross" in [r.cells[0].text for r in participants.rows]
    text = _text(document)
    assert "Kalee will be the key, regular point of contact for the STP Lead." in text  # delivery team profiles
    assert "Where do we realistically think we will be in 18 months?" in text
    assert len(document.inline_shapes) == 1  # the averages chart in appendix B
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)


# -- options --------------------------------------------------------------------------------------


def test_sections_leave_parts_out(sample_file: Path, tmp_path: Path) -> None:
    store = Store.open(sample_file, read_only=True)
    try:
        programme = _programme(store)
        target = tmp_path / "part.docx"
        write_roadmap_docx(store, programme, target, sections={"readiness", "appendix_team"}, today=TODAY)
        document = docx.Document(str(target))
        assert _headings(document) == ["1. Readiness summary", "Appendix A: The programme team"]
        assert "see Appendix" not in _text(document)  # the readiness exercise appendix is left out
        assert len(document.inline_shapes) == 0
        assert all(s.orientation == WD_ORIENT.PORTRAIT for s in document.sections)

        write_roadmap_docx(store, programme, target, sections=(), today=TODAY)
        assert _headings(docx.Document(str(target))) == []
        with pytest.raises(ValueError, match="unknown roadmap sections: everything"):
            write_roadmap_docx(store, programme, target, sections={"everything"})
    finally:
        store.close()
    assert set(SECTIONS) >= {"summary", "charts", "appendix_matrix"}


# -- any text survives ----------------------------------------------------------------------------

_STORED_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), max_size=40
)  # SQLite refuses lone surrogates
_NASTY = "<b>R&D</b> x<y \x00\x01\x0b\x1f ]]> \r\n\t مرحبا 👩🏽‍⚕️ \ufffe\uffff"


@pytest.fixture
def text_store(sample_file: Path, tmp_path: Path) -> Iterator[Store]:
    """A writable copy of the sample with one action more."""
    path = tmp_path / "text.sqlite"
    shutil.copy(sample_file, path)
    store = Store.open(path)
    programme = _programme(store)
    store.insert("actions", {"programme_id": programme, "title": "placeholder", "due_date": "2019-01-01"})
    yield store
    store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(overview=_STORED_TEXT, title=_STORED_TEXT, narrative=_STORED_TEXT, name=_STORED_TEXT, why=_STORED_TEXT,
       action=_STORED_TEXT, milestone=_STORED_TEXT)  # fmt: skip
@example(overview=_NASTY, title=_NASTY, narrative=_NASTY, name=_NASTY, why=_NASTY, action=_NASTY, milestone=_NASTY)
@example(overview="- a\n- b\n\nIntro:\n\nx\ny", title="", narrative="", name="", why="", action="", milestone="")
def test_any_text_is_exported(
    text_store: Store, tmp_path: Path, overview: str, title: str, narrative: str, name: str, why: str, action: str,
    milestone: str,
) -> None:  # fmt: skip
    store = text_store
    programme = _programme(store)
    record = store.programme(programme)
    area = store.areas_of_focus(programme)[0]
    person = store.people(programme, "participant")[0]
    action_id = store.rows("SELECT id FROM actions WHERE programme_id = ?", (programme,))[0]["id"]
    store.update_field("systems", record.system_id, "overview", overview)
    store.update_field("areas_of_focus", area["id"], "title", title)
    store.update_field("areas_of_focus", area["id"], "narrative", narrative)
    store.update_field("people", person.id, "name", name)
    store.set_capability_result(store.assessments(programme)[0].id, "2.2", justification=why)
    store.update_field("actions", action_id, "title", action)
    store.update_field("milestones", store.milestones(programme)[0]["id"], "title", milestone)

    with mock.patch.object(wr, "_chart", _fake_chart):
        # The sections that hold these texts (the others are covered by the terms of reference's builders).
        wanted = {"system", "readiness", "areas", "roadmap", "actions", "appendix_team"}
        write_roadmap_docx(store, programme, tmp_path / "r.docx", sections=wanted, today=TODAY)
        write_tor_docx(store, programme, tmp_path / "t.docx", today=TODAY)
    roadmap = _squash(_text(docx.Document(str(tmp_path / "r.docx"))))
    for value in (overview, title, narrative, name, why, action, milestone):
        assert _squash(value) in roadmap
    tor = _squash(_text(docx.Document(str(tmp_path / "t.docx"))))
    for value in (overview, title, narrative, name, milestone):
        assert _squash(value) in tor


@settings(max_examples=25, deadline=None)
@given(text=st.text(alphabet=st.characters(exclude_categories=()), max_size=60))
@example(text="\ud800 lone \udfff surrogates \x00 and controls \x1b[31m")
@example(text="Great 🙂 progress 👩🏽‍⚕️, שלום, مرحبا")
def test_typesetting_takes_any_string(text: str) -> None:
    """Lone surrogates and control characters included: the helpers drop only what XML cannot hold."""
    document = ds.new_document(text, title=text, subject=text)
    ds.heading(document, text, 1)
    ds.add_text(document, text)
    ds.add_bullets(document, [text])
    ds.add_numbered(document, [text])
    row = ds.Row((ds.cell(text), ds.bullet_cell([text]), ds.cell(text)))
    ds.add_table(document, [4.0, 6.0, 7.0], [ds.header_row(text, "b", "c"), ds.band_row(text, 3), row])
    buffer = io.BytesIO()
    document.save(buffer)
    read = docx.Document(io.BytesIO(buffer.getvalue()))
    assert _squash(text) in _squash(_text(read))
    assert read.core_properties.title == xml_storable(text)


def test_a_ten_thousand_character_justification(sample_file: Path, tmp_path: Path, no_charts: None) -> None:
    path = tmp_path / "long.sqlite"
    shutil.copy(sample_file, path)
    store = Store.open(path)
    try:
        programme = _programme(store)
        long = ("A justification that goes on, with <markup> & detail. " * 200)[:9_990] + "\nThe end."
        assert len(long) == 9_999
        store.set_capability_result(store.assessments(programme)[0].id, "2.2", justification=long)
        target = tmp_path / "long.docx"
        write_roadmap_docx(store, programme, target, sections={"readiness"}, today=TODAY)
    finally:
        store.close()
    table = _table_with(docx.Document(str(target)), "Justification")
    row = next(r for r in table.rows if r.cells[0].text.startswith("2.2 "))
    assert row.cells[-1].text == long
    assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None  # a long row may break across pages


# -- all or nothing -------------------------------------------------------------------------------


def _cancel_at(percent: int) -> Any:
    def progress(at: int, _what: str) -> None:
        if at >= percent:
            raise ExportCancelled()

    return progress


def test_a_cancelled_export_leaves_no_file(sample_file: Path, tmp_path: Path, no_charts: None) -> None:
    store = Store.open(sample_file, read_only=True)
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[tuple[int, str]] = []
    try:
        programme = _programme(store)
        with pytest.raises(ExportCancelled):
            write_roadmap_docx(store, programme, folder / "r.docx", progress=_cancel_at(40))
        with pytest.raises(ExportCancelled):
            write_tor_docx(store, programme, folder / "t.docx", progress=_cancel_at(100))  # while saving
        write_roadmap_docx(store, programme, tmp_path / "ok.docx", progress=lambda p, w: seen.append((p, w)))
    finally:
        store.close()
    assert list(folder.iterdir()) == []
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    assert "Writing the readiness summary…" in [w for _, w in seen]


def test_a_failed_export_keeps_the_previous_file(
    sample_file: Path, tmp_path: Path, no_charts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(sample_file, read_only=True)
    target = tmp_path / "roadmap.docx"
    target.write_bytes(b"the previous roadmap")

    def boom(_at: int, what: str) -> None:
        if "areas" in what:
            raise RuntimeError("something went wrong")

    try:
        programme = _programme(store)
        with pytest.raises(RuntimeError):
            write_roadmap_docx(store, programme, target, progress=boom)

        def full_disk(self: Any, path: Any) -> None:
            Path(path).write_bytes(b"half a docx")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(docx.document.Document, "save", full_disk)
        with pytest.raises(ExportError, match="No space left on device"):
            write_roadmap_docx(store, programme, target)
        with pytest.raises(ExportError, match="does not exist"):
            write_tor_docx(store, programme, tmp_path / "missing" / "tor.docx")
    finally:
        store.close()
    assert target.read_bytes() == b"the previous roadmap"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roadmap.docx"]


# -- what a programme in use holds ----------------------------------------------------------------


def test_an_empty_programme_exports(store: Store, tmp_path: Path, no_charts: None) -> None:
    programme = store.create_programme("New programme", "New system", default_framework())
    write_roadmap_docx(store, programme, tmp_path / "r.docx", today=TODAY)
    write_tor_docx(store, programme, tmp_path / "t.docx", today=TODAY)
    text = _text(docx.Document(str(tmp_path / "r.docx")))
    assert "No readiness exercise has been recorded for this programme yet." in text
    assert "No actions have been recorded yet." in text
    assert "No areas of focus have been agreed yet." in _text(docx.Document(str(tmp_path / "t.docx")))


def test_workshops_overdue_items_and_many_actions(sample_store: Store, tmp_path: Path, no_charts: None) -> None:
    store = sample_store
    programme = _programme(store)
    area = store.areas_of_focus(programme)[1]
    workshop = store.insert(
        "workshops",
        {"programme_id": programme, "title": "Governance workshop", "starts_at": "2019-03-05T09:30",
         "venue": "Engine Shed", "status": "held", "areas": [area["id"]]},
    )  # fmt: skip
    store.insert("workshop_items", {"workshop_id": workshop, "kind": "decision", "text": "Adopt the shared MoU"})
    store.insert("workshop_items", {"workshop_id": workshop, "kind": "output", "text": "Draft governance map"})
    store.insert(
        "actions",
        {"programme_id": programme, "title": "Circulate the MoU", "owner": "Sarah Truelove", "due_date": "2019-04-01",
         "area_id": area["id"], "workshop_id": workshop},
    )  # fmt: skip
    target = tmp_path / "r.docx"
    write_roadmap_docx(store, programme, target, sections={"workshops", "roadmap", "actions"}, today=TODAY)
    document = docx.Document(str(target))
    text = _text(document)
    assert "Adopt the shared MoU" in text and "Draft governance map" in text
    assert "Governance workshop · 5 Mar 2019, 09:30" in _headings(document, 3)
    listed = [r for t in document.tables if t.rows[0].cells[0].text == "Action" for r in t.rows]
    [row] = [r for r in listed if r.cells[0].text.startswith("Circulate the MoU")]
    assert row.cells[3].text == "Open\nOverdue" and row.cells[1].text == "Sarah Truelove"
    milestones = _table_with(document, "Due")
    [late] = [r for r in milestones.rows if r.cells[1].text.startswith("Publish a single system plan")]
    assert [c.text for c in late.cells[2:]] == ["11 Apr 2019", "Planned\nOverdue"]
    assert "Milestones past their due date and not achieved say “Overdue” and are marked in red." in text

    generate_actions(store, programme, 400, start=TODAY)
    write_roadmap_docx(store, programme, target, sections={"actions"}, today=TODAY)
    document = docx.Document(str(target))
    total, by_status, _overdue = store.action_status_counts(programme, TODAY.isoformat())
    closed = by_status.get("done", 0) + by_status.get("dropped", 0)
    assert total > wr.FULL_ACTION_LIST_LIMIT and closed > 0
    actions = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    rows = [r for t in actions for r in t.rows[1:] if len(r._tr.findall(qn("w:tc"))) == 4]  # not area bands
    open_count = total - closed
    per_area = Counter(a.area_id for a in action_rows(store, programme) if a.status not in ("done", "dropped"))
    assert len(rows) == sum(min(n, wr.LISTED_PER_AREA) for n in per_area.values()) <= open_count
    assert all("Done" not in r.cells[3].text and "Dropped" not in r.cells[3].text for r in rows)
    assert f"lists up to {wr.LISTED_PER_AREA} of its open actions" in _text(document)
