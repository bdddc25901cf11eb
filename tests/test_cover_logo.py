"""An organisation's logo on the covers (issue 15, item 7): chosen on the Export page, refused with a clear line
when it is not a usable picture, drawn top right on the Word covers (with its alt text) and above the PDF's band,
carried by bundles, and undone like any edit."""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ics_desktop.bundles.transfer import export_bundle, import_bundle, load_bundle
from ics_desktop.exports.cover_logo import LogoError, read_logo_file
from ics_desktop.exports.pdf_summary import write_summary_pdf
from ics_desktop.exports.word_roadmap import write_roadmap_docx
from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.storage.store import Store
from ui.pages.export import ExportPage
from ui.undo import EditRunner

ORGANISATION = "Healthier Together <BNSSG> & partners"


def _picture(path: Path, size: tuple[int, int] = (600, 200), kind: str = "PNG") -> Path:
    image = Image.new("RGB", size, "white")
    image.paste((0, 132, 61), (10, 10, size[0] // 3, size[1] - 10))  # a green block, the "logo"
    image.save(path, kind)
    return path


def _with_logo(store: Store, logo: Path) -> str:
    (programme,) = store.programmes()
    store.update_field("programmes", programme.id, "cover_logo", read_logo_file(logo))
    store.update_field("programmes", programme.id, "cover_logo_name", ORGANISATION)
    return programme.id


# -- what is refused -----------------------------------------------------------------------------


def _noise_png(path: Path, side: int) -> Path:
    import os

    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, "PNG")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: (p / "notes.png").write_text("not a picture at all") and p / "notes.png", "could not be read as a"),
        (lambda p: _picture(p / "logo.gif", kind="GIF"), "is a GIF picture; covers take PNG or JPEG"),
        (lambda p: _picture(p / "tiny.png", size=(8, 8)), "is 8 × 8 pixels; a logo must be 16 to 6,000"),
        (lambda p: _noise_png(p / "huge.png", 600), "a cover logo can be at most 512 KB"),
        (lambda p: p / "gone.png", "is not there any more"),
        (lambda p: p, "is a folder, not a picture"),
    ],
)
def test_what_is_not_a_usable_logo_is_refused_in_one_line(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(LogoError) as refused:
        read_logo_file(path)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_truncated_png_is_refused(tmp_path: Path) -> None:
    whole = _picture(tmp_path / "whole.png").read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LogoError, match="could not be read as a picture"):
        read_logo_file(cut)


def test_png_and_jpeg_are_kept_byte_for_byte(tmp_path: Path) -> None:
    for path in (_picture(tmp_path / "a.png"), _picture(tmp_path / "b.jpg", kind="JPEG")):
        assert base64.b64decode(read_logo_file(path)) == path.read_bytes()


# -- the documents -------------------------------------------------------------------------------


def _cover_pictures(path: Path) -> list[tuple[bytes, str]]:
    """(picture bytes, alt text) of the pictures before the document's first heading."""
    document = Document(str(path))
    found: list[tuple[bytes, str]] = []
    for paragraph in document.paragraphs:
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            break
        for blip in paragraph._p.xpath(".//a:blip"):
            part = document.part.related_parts[blip.get(qn("r:embed"))]
            (doc_pr,) = paragraph._p.xpath(".//wp:docPr")
            found.append((part.blob, doc_pr.get("descr")))
    return found


def test_the_word_covers_carry_the_logo_with_its_alt_text(sample_store: Store, tmp_path: Path) -> None:
    logo = _picture(tmp_path / "logo.png")
    programme_id = _with_logo(sample_store, logo)
    write_roadmap_docx(sample_store, programme_id, tmp_path / "roadmap.docx")
    write_tor_docx(sample_store, programme_id, tmp_path / "tor.docx")
    for name in ("roadmap.docx", "tor.docx"):
        assert _cover_pictures(tmp_path / name) == [
            (logo.read_bytes(), "Logo of Healthier Together <BNSSG> & partners")
        ]
        # On the right, as a letterhead's logo is.
        first = Document(str(tmp_path / name)).paragraphs[0]
        assert first._p.xpath(".//a:blip") and first.paragraph_format.alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT


def test_without_a_logo_the_covers_have_no_picture(sample_store: Store, tmp_path: Path) -> None:
    (programme,) = sample_store.programmes()
    write_roadmap_docx(sample_store, programme.id, tmp_path / "roadmap.docx")
    assert _cover_pictures(tmp_path / "roadmap.docx") == []


def _page_one_images(path: Path) -> list[tuple[int, int]]:
    resources = PdfReader(str(path)).pages[0]["/Resources"]
    images = [x.get_object() for x in resources["/XObject"].values()]  # type: ignore[index]
    return sorted((int(x["/Width"]), int(x["/Height"])) for x in images if x["/Subtype"] == "/Image")


def test_the_pdf_summary_shows_the_logo_above_the_band(sample_store: Store, tmp_path: Path) -> None:
    (programme,) = sample_store.programmes()
    write_summary_pdf(sample_store, programme.id, tmp_path / "plain.pdf")
    _with_logo(sample_store, _picture(tmp_path / "logo.png", size=(640, 160)))
    write_summary_pdf(sample_store, programme.id, tmp_path / "logo.pdf")
    plain, with_logo = _page_one_images(tmp_path / "plain.pdf"), _page_one_images(tmp_path / "logo.pdf")
    assert (640, 160) not in plain and sorted([*plain, (640, 160)]) == with_logo
    reader = PdfReader(str(tmp_path / "logo.pdf"))
    assert len(reader.pages) <= 2
    text = reader.pages[0].extract_text()
    assert "Healthier Together STP" in text and "Largest gaps" in text  # the band and the figures stay on page 1


def test_a_bundle_carries_the_logo(sample_store: Store, tmp_path: Path) -> None:
    logo = _picture(tmp_path / "logo.jpg", kind="JPEG")
    programme_id = _with_logo(sample_store, logo)
    export_bundle(sample_store, programme_id, tmp_path / "p.icsbundle")
    with zipfile.ZipFile(tmp_path / "p.icsbundle") as zf:
        assert any(base64.b64encode(logo.read_bytes()).decode() in zf.read(n).decode() for n in zf.namelist())
    other = Store.open(tmp_path / "other.sqlite")
    try:
        result = import_bundle(other, load_bundle(other, tmp_path / "p.icsbundle"))
        record = other.get("programmes", result.programme_id)
        assert base64.b64decode(record["cover_logo"]) == logo.read_bytes()
        assert record["cover_logo_name"] == ORGANISATION
    finally:
        other.close()


def test_a_bundle_with_a_picture_that_is_not_one_exports_without_it(sample_store: Store, tmp_path: Path) -> None:
    """A bundle from elsewhere may hold anything in the column: the documents go without a logo, no traceback."""
    (programme,) = sample_store.programmes()
    junk = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    sample_store.update_field("programmes", programme.id, "cover_logo", junk)
    write_roadmap_docx(sample_store, programme.id, tmp_path / "roadmap.docx")
    write_summary_pdf(sample_store, programme.id, tmp_path / "summary.pdf")
    assert _cover_pictures(tmp_path / "roadmap.docx") == []


# -- the Export page -----------------------------------------------------------------------------


@pytest.fixture
def page(qtbot: QtBot, sample_store: Store) -> ExportPage:
    widget = ExportPage(EditRunner(sample_store))
    qtbot.addWidget(widget)
    widget.resize(1170, 800)
    widget.show()
    widget.set_programme(sample_store.programmes()[0].id)
    return widget


def test_choosing_removing_and_undoing_the_logo_on_the_export_page(
    qtbot: QtBot, page: ExportPage, sample_store: Store, tmp_path: Path
) -> None:
    row = page.logo_row
    (programme,) = sample_store.programmes()
    logo = _picture(tmp_path / "logo.png")
    row._choose_file = lambda _parent, _folder: logo
    assert row.thumbnail.text() == "No logo" and not row.remove_button.isEnabled()

    row.choose_button.click()
    assert base64.b64decode(sample_store.get("programmes", programme.id)["cover_logo"]) == logo.read_bytes()
    assert not row.thumbnail.pixmap().isNull() and row.remove_button.isEnabled()

    row.remove_button.click()
    assert sample_store.get("programmes", programme.id)["cover_logo"] == ""
    assert row.thumbnail.text() == "No logo"

    page._runner.stack.undo()  # the removal undone: the logo is back, on screen too
    assert base64.b64decode(sample_store.get("programmes", programme.id)["cover_logo"]) == logo.read_bytes()
    assert not row.thumbnail.pixmap().isNull()
    page._runner.stack.undo()  # the choice undone
    assert sample_store.get("programmes", programme.id)["cover_logo"] == ""
    assert row.thumbnail.text() == "No logo"


def test_a_bad_file_is_refused_with_a_message_and_the_logo_kept(
    qtbot: QtBot, page: ExportPage, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = page.logo_row
    (programme,) = sample_store.programmes()
    good = _picture(tmp_path / "logo.png")
    row._choose_file = lambda _parent, _folder: good
    row.choose_button.click()
    warnings: list[str] = []

    def warning(_parent: QWidget, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        warnings.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    bad = tmp_path / "logo.svg"
    bad.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    row._choose_file = lambda _parent, _folder: bad
    row.choose_button.click()
    assert warnings and "logo.svg could not be read as a picture" in warnings[0]
    assert base64.b64decode(sample_store.get("programmes", programme.id)["cover_logo"]) == good.read_bytes()


def test_the_logo_row_is_offered_for_documents_with_a_cover(page: ExportPage) -> None:
    shown = {}
    for key in ("roadmap", "tor", "summary", "xlsx", "csv"):
        page.select_kind(key)
        shown[key] = page.logo_row.isVisible()
    assert shown == {"roadmap": True, "tor": True, "summary": True, "xlsx": False, "csv": False}
    assert "Never the NHS logo" in page.logo_row.choose_button.toolTip()


def test_the_jpeg_thumbnail_is_drawn(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    logo = _picture(tmp_path / "logo.jpeg", kind="JPEG")
    page.logo_row._choose_file = lambda _parent, _folder: logo
    page.logo_row.choose_button.click()
    image = page.logo_row.thumbnail.pixmap().toImage()
    assert image.width() <= 96 and image.height() <= 32
    colour = image.pixelColor(8, image.height() // 2)  # inside the green block at the left
    assert colour.green() > 100 and colour.red() < 60


def test_a_logo_in_a_merge_conflict_is_named_not_printed() -> None:
    from ics_desktop.bundles.merge import display_value

    assert display_value("cover_logo", "A" * 4096) == "(a picture, 3 KB)"  # 4,096 base64 characters: 3,072 bytes
    assert display_value("cover_logo", "") == "(no logo)"
