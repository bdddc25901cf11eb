"""Accessible documents (NHS documents meet WCAG 2.2 AA), read back from the real files: heading levels without
skips, text sizes, contrast computed here with WCAG's formula from the colours in the file, alt text that
states the data, meaning not by colour alone, no update-fields prompt, the PDF's language, title and outline."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.exports.word_roadmap import write_roadmap_docx
from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.storage.store import Store


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two sRGB colours written RRGGBB."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_itself() -> None:
    assert contrast("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast("767676", "FFFFFF") == pytest.approx(4.54, abs=0.01)  # WCAG's own borderline grey


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, sample_file: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("accessible")
    db = folder / "sample.sqlite"
    db.write_bytes(sample_file.read_bytes())
    store = Store.open(db)
    try:
        (programme,) = store.programmes()
        out = {"roadmap": folder / "roadmap.docx", "tor": folder / "tor.docx", "pdf": folder / "summary.pdf"}
        write_roadmap_docx(store, programme.id, out["roadmap"])
        write_tor_docx(store, programme.id, out["tor"])
        write_summary_pdf(store, programme.id, out["pdf"])
    finally:
        store.close()
    return out


@pytest.mark.parametrize("kind", ["roadmap", "tor"])
def test_heading_levels_never_skip(documents: dict[str, Path], kind: str) -> None:
    previous, skips = 0, []
    for paragraph in Document(str(documents[kind])).paragraphs:
        if paragraph.style.name.startswith("Heading "):
            level = int(paragraph.style.name.split()[1])
            if level > previous + 1:
                skips.append(f"{previous} → {level}: {paragraph.text[:50]}")
            previous = level
    assert skips == []


@pytest.mark.parametrize("kind", ["roadmap", "tor"])
def test_text_sizes_and_contrast(documents: dict[str, Path], kind: str) -> None:
    document = Document(str(documents[kind]))
    normal = document.styles["Normal"].font.size
    assert normal is not None and normal.pt == 12
    for style in ("Table Text", "Note", "Table Bullet"):
        size = document.styles[style].font.size
        assert size is not None and size.pt >= 10, style
    body = document.element.body
    small = [int(sz.get(qn("w:val"))) for sz in body.iter(qn("w:sz")) if int(sz.get(qn("w:val"))) < 20]
    assert small == [], "text under 10 pt"
    failures = []
    for cell in body.iter(qn("w:tc")):
        shading = cell.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        background = shading.get(qn("w:fill")) if shading is not None else "FFFFFF"
        for colour in cell.iter(qn("w:color")):
            value = colour.get(qn("w:val"))
            if value and value != "auto" and contrast(value, background or "FFFFFF") < 4.5:
                failures.append((value, background))
    for paragraph in body.iterchildren(qn("w:p")):
        for colour in paragraph.iter(qn("w:color")):
            value = colour.get(qn("w:val"))
            if value and value not in ("auto", "FFFFFF") and contrast(value, "FFFFFF") < 4.5:
                failures.append((value, "FFFFFF"))
    assert sorted(set(failures)) == []


def test_charts_say_their_figures(documents: dict[str, Path]) -> None:
    document = Document(str(documents["roadmap"]))
    descriptions = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert descriptions
    now = next(d for d in descriptions if d.startswith("Where are we now?"))
    assert "1.1 1.9 (agreed 2)" in now and "3.2 1.5 (agreed 1)" in now
    assert all(any(ch.isdigit() for ch in d) for d in descriptions), "every chart states figures"


def test_no_update_fields_question_and_the_language_is_british_english(documents: dict[str, Path]) -> None:
    for kind in ("roadmap", "tor"):
        document = Document(str(documents[kind]))
        assert document.settings.element.find(qn("w:updateFields")) is None
        lang = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        assert lang is not None and lang.get(qn("w:val")) == "en-GB"


def test_focus_is_said_in_words_not_by_colour_alone(documents: dict[str, Path]) -> None:
    document = Document(str(documents["roadmap"]))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(c.startswith("1.1 ") and c.endswith("(focus)") for c in cells)
    assert not any(c.startswith("2.1 ") and c.endswith("(focus)") for c in cells)  # 2.1 is not a focus


def test_the_pdf_has_a_language_a_title_shown_and_an_outline(documents: dict[str, Path]) -> None:
    reader = PdfReader(str(documents["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title.endswith(": summary for boards")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {"Actions", "Next milestones"} <= set(titles)


def _pdf_text_sizes(path: Path) -> list[tuple[str, float]]:
    """(text, size in points) of every run of text on every page, as the PDF's text operators set it."""
    runs: list[tuple[str, float]] = []
    for page in PdfReader(str(path)).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip():
                # The size on the page: the font size scaled by the text and graphics matrices' vertical scale.
                runs.append((text.strip(), round(size * abs(tm[3]) * abs(cm[3]), 1)))

        page.extract_text(visitor_text=visit)
    return runs


def test_pdf_text_is_never_below_10_pt_and_its_prose_is_12(documents: dict[str, Path]) -> None:
    runs = _pdf_text_sizes(documents["pdf"])
    assert runs
    small = [(text, size) for text, size in runs if size < 10]
    assert not small, small[:5]
    sizes = {text: size for text, size in runs}
    # The band's subtitle is body text: 12 pt.
    assert sizes.get("Supporting Aspiring ICS Programme — summary for boards") == 12, sorted(set(sizes.values()))
