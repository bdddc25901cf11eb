"""The board summary is a tagged PDF (issue 15, item 7): a structure tree a screen reader follows (headings,
paragraphs, tables with header cells, figures with alt text that states the data), every piece of text inside
that structure or marked as an artifact (the page footer), and each page's marked content owned in the
ParentTree. Read back with pypdf from the real file; expected values come from the seed and the stored answers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.storage.store import Store


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory, sample_file: Path) -> Path:
    target = tmp_path_factory.mktemp("tagged") / "summary.pdf"
    store = Store.open(sample_file, read_only=True)
    try:
        write_summary_pdf(store, store.programmes()[0].id, target)
    finally:
        store.close()
    return target


def _elements(reader: PdfReader) -> list[tuple[int, dict[str, Any]]]:
    """(depth, element) for every structure element, in reading order."""
    found: list[tuple[int, dict[str, Any]]] = []

    def walk(node: Any, depth: int) -> None:
        node = node.get_object()
        found.append((depth, node))
        for kid in node.get("/K", []):
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                walk(kid, depth + 1)

    for top in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(top, 0)
    return found


def test_the_summary_is_marked_tagged_with_a_tree_that_starts_with_the_document(summary: Path) -> None:
    reader = PdfReader(str(summary))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    elements = _elements(reader)
    assert elements[0][1]["/S"] == "/Document"
    for index, page in enumerate(reader.pages):
        assert page["/StructParents"] == index and page["/Tabs"] == "/S"


def test_headings_read_in_order_and_say_what_is_printed(summary: Path) -> None:
    elements = [e for _, e in _elements(PdfReader(str(summary)))]
    (title,) = [e for e in elements if e["/S"] == "/H1"]
    assert title["/ActualText"] == "Healthier Together STP (Bristol, North Somerset and South Gloucestershire)"
    headings = [str(e["/ActualText"]) for e in elements if e["/S"] == "/H2"]
    assert headings == [
        "Largest gaps",
        "Focus capabilities (10)",
        "Areas of focus: progress",
        "Actions",
        "Next milestones",
    ]


def test_tables_have_rows_of_header_and_data_cells(summary: Path) -> None:
    elements = _elements(PdfReader(str(summary)))
    tables = [i for i, (_, e) in enumerate(elements) if e["/S"] == "/Table"]
    assert len(tables) >= 5
    for start in tables:
        depth = elements[start][0]
        inside = []
        for d, e in elements[start + 1 :]:
            if d <= depth:
                break
            inside.append((d, e))
        rows = [e for d, e in inside if d == depth + 1]
        assert rows and all(e["/S"] == "/TR" for e in rows)
        cells = [e for d, e in inside if d == depth + 2]
        assert {e["/S"] for e in cells} <= {"/TH", "/TD"}
    # The areas table: its header cells in the order printed.
    texts = [(e["/S"], str(e.get("/ActualText", ""))) for _, e in elements]
    start = texts.index(("/P", "Area of focus"))
    assert [t for _, t in texts[start : start + 10] if t][:5] == ["Area of focus", "Actions done", "Overdue",
                                                                   "Next milestone", "Due"]  # fmt: skip
    area_header = next(e for _, e in elements if e["/S"] == "/TH")
    assert area_header["/K"][0].get_object()["/S"] == "/P"
    assert area_header["/A"]["/Scope"] == "/Column"


def test_the_chart_is_a_figure_whose_alt_text_gives_the_figures(summary: Path, sample_file: Path) -> None:
    store = Store.open(sample_file, read_only=True)
    try:
        (programme,) = store.programmes()
        (assessment,) = store.assessments(programme.id)
        answers = [a for a in store.responses(assessment.id) if a.question == "now" and a.score is not None]
    finally:
        store.close()
    figures = [e for _, e in _elements(PdfReader(str(summary))) if e["/S"] == "/Figure"]
    (chart,) = [f for f in figures if str(f["/Alt"]).startswith("Bar chart")]
    alt = str(chart["/Alt"])
    for code in ("1.1", "2.2", "4.3"):
        scores = [a.score for a in answers if a.capability_code == code]
        assert f"{code} {sum(scores) / len(scores):.1f}" in alt  # the mean, counted here from the answers
    assert "overall 1.9" in alt  # the seed's overall figure


def _marked_text(reader: PdfReader) -> list[tuple[int, str, str | None]]:
    """(page, text, the marked-content sequence it is drawn in: '/Role:MCID', '/Artifact' or None)."""
    return [found for number, page in enumerate(reader.pages) for found in _page_marked_text(number, page)]


def _page_marked_text(number: int, page: Any) -> list[tuple[int, str, str | None]]:
    out: list[tuple[int, str, str | None]] = []
    stack: list[str] = []

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BMC":
            stack.append(str(args[0]))
        elif op == b"BDC":
            stack.append(f"{args[0]}:{args[1].get('/MCID')}")
        elif op == b"EMC" and stack:
            stack.pop()

    def text(value: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if value.strip():
            out.append((number, value.strip(), stack[-1] if stack else None))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return out


def test_every_text_is_in_the_structure_or_an_artifact(summary: Path) -> None:
    marked = _marked_text(PdfReader(str(summary)))
    assert marked
    assert [t for t in marked if t[2] is None] == []
    footers = [t for t in marked if t[1].startswith(("Generated by ICS Desktop", "Page "))]
    assert footers and all(t[2] == "/Artifact" for t in footers)
    assert all(t[2] != "/Artifact" for t in marked if "Largest gaps" in t[1])


def test_each_pages_marked_content_is_owned_in_the_parent_tree(summary: Path) -> None:
    reader = PdfReader(str(summary))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    owners = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(reader.pages):
        content = page.get_contents()
        assert content is not None
        mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", content.get_data())]
        assert mcids == list(range(len(mcids)))  # numbered in order, each once
        assert len(owners[index]) == len(mcids)
        for mcid, owner in enumerate(owners[index]):
            kids = owner.get_object()["/K"]
            refs = [k.get_object() for k in kids if not hasattr(k.get_object(), "get") or "/MCID" in k.get_object()]
            assert any(r["/MCID"] == mcid and r["/Pg"].get_object() == page.get_object() for r in refs)
