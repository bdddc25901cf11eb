"""A tagged PDF for the board summary: the structure a screen reader follows (Document, then headings,
paragraphs, tables of rows with header and data cells, figures with alt text), decoration marked as artifacts.

reportlab draws the pages but cannot write a structure tree. So while it draws, a `Tagger` (hung on the
canvas as `canvas.tagger`) wraps each piece of content in a marked-content sequence (BDC … EMC with an MCID)
and records which structure element owns it; tables report their rows and cells through reportlab's table
render callback. `add_structure` then writes the tree into the finished file with pypdf: the StructTreeRoot,
its ParentTree, each page's StructParents and tab order, and MarkInfo. Conformance to PDF/UA is not claimed:
no validator (veraPDF, PAC) runs here (docs/accessibility.md says what is done and what is not).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


@dataclass(eq=False)
class StructElement:
    """One node of the structure tree: its role, what it contains (elements, or (page, MCID) content)."""

    role: str
    parent: StructElement | None
    kids: list[StructElement | tuple[int, int]] = field(default_factory=list)
    alt: str | None = None
    actual: str | None = None  # the text as written (the drawn lines lose the spaces where they wrap)


class Tagger:
    """Records the structure while reportlab draws; elements nest as they are opened."""

    def __init__(self) -> None:
        self.document = StructElement("Document", None)
        self._open: list[StructElement] = [self.document]
        self._next_mcid: dict[int, int] = {}
        self._marking: list[StructElement | None] = []  # the owner of each open sequence (None: an artifact)

    def open(self, role: str, alt: str | None = None, actual: str | None = None) -> StructElement:
        element = StructElement(role, self._open[-1], alt=alt, actual=actual)
        self._open[-1].kids.append(element)
        self._open.append(element)
        return element

    def close(self, element: StructElement) -> None:
        if element in self._open:
            while self._open.pop() is not element:
                pass

    def begin_content(self, canvas: Canvas, owner: StructElement | None = None) -> None:
        """Start content owned by `owner` (by default the innermost open element)."""
        owner = owner or self._open[-1]
        page = canvas.getPageNumber() - 1
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        canvas.addLiteral(f"/{owner.role} <</MCID {mcid}>> BDC")
        owner.kids.append((page, mcid))
        self._marking.append(owner)

    def begin_artifact(self, canvas: Canvas) -> None:
        """Start decoration a reader skips (backgrounds, rules, the page footer)."""
        canvas.addLiteral("/Artifact BMC")
        self._marking.append(None)

    def end(self, canvas: Canvas) -> None:
        if self._marking:
            self._marking.pop()
            canvas.addLiteral("EMC")

    @contextmanager
    def tagged(self, canvas: Canvas, role: str, alt: str | None = None, actual: str | None = None) -> Iterator[None]:
        """Draw an element of `role` whose content is what the block draws."""
        element = self.open(role, alt, actual)
        self.begin_content(canvas, element)
        try:
            yield
        finally:
            self.end(canvas)
            self.close(element)


def only_measuring(canvas: Any) -> bool:
    """True on a canvas that only counts pages (the summary's fitting passes): nothing need be drawn on it."""
    return bool(getattr(canvas, "measuring", False))


def tagger_of(canvas: Any) -> Tagger | None:
    """The canvas's tagger, or None when the layout is only being measured."""
    tagger = getattr(canvas, "tagger", None)
    return tagger if isinstance(tagger, Tagger) else None


def table_callback(table: Any, event: str, *args: Any) -> None:
    """reportlab's table render callback: a data table becomes Table → TR → TH/TD (the header rows TH), a
    layout table a Div; backgrounds and rules are artifacts; text drawn straight into a cell is its content."""
    tagger = tagger_of(table.canv)
    if tagger is None:
        return
    layout = bool(getattr(table, "layout_only", False))
    state: dict[str, Any] = table.__dict__.setdefault("_tags", {})
    if event == "startTable":
        state["table"] = tagger.open("Div" if layout else "Table")
    elif event in ("startBG", "startLines"):
        tagger.begin_artifact(table.canv)
    elif event in ("endBG", "endLines"):
        tagger.end(table.canv)
    elif event == "startRow" and not layout:
        state["row"] = tagger.open("TR")
    elif event == "endRow" and not layout:
        tagger.close(state["row"])
    elif event == "startCell":
        row, value = args[0], args[2]
        header_rows = getattr(table, "header_rows", None)  # a split part of a table knows only its repeatRows
        if header_rows is None:
            header_rows = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
        state["cell"] = None if layout else tagger.open("TH" if row < header_rows else "TD")
        state["text"] = isinstance(value, str) and bool(value.strip())
        if state["text"]:
            tagger.begin_content(table.canv)
    elif event == "endCell":
        if state.get("text"):
            tagger.end(table.canv)
        if state.get("cell") is not None:
            tagger.close(state["cell"])
    elif event == "endTable":
        tagger.close(state["table"])


def add_structure(pdf: bytes, tagger: Tagger) -> bytes:
    """`pdf` with the structure tree `tagger` recorded (the pages' content already carries its MCIDs)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    pages = [page.indirect_reference for page in writer.pages]
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)  # pypdf has no public way to add an object (pinned in requirements)
    owners: dict[int, dict[int, IndirectObject]] = {}

    def write(element: StructElement, parent: IndirectObject) -> IndirectObject | None:
        if not element.kids:
            return None  # nothing drawn (an empty cell): no element
        node = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject(f"/{element.role}"),
                NameObject("/P"): parent,
            }
        )
        if element.alt:
            node[NameObject("/Alt")] = TextStringObject(element.alt)
        if element.actual:
            node[NameObject("/ActualText")] = TextStringObject(element.actual)
        if element.role == "TH":  # a header cell heads its column
            node[NameObject("/A")] = DictionaryObject(
                {NameObject("/O"): NameObject("/Table"), NameObject("/Scope"): NameObject("/Column")}
            )
        ref = writer._add_object(node)
        kids = ArrayObject()
        for kid in element.kids:
            if isinstance(kid, StructElement):
                child = write(kid, ref)
                if child is not None:
                    kids.append(child)
            else:
                page, mcid = kid
                kids.append(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/MCR"),
                            NameObject("/Pg"): pages[page],
                            NameObject("/MCID"): NumberObject(mcid),
                        }
                    )
                )
                owners.setdefault(page, {})[mcid] = ref
        node[NameObject("/K")] = kids
        return ref

    document = write(tagger.document, root_ref)
    root[NameObject("/K")] = ArrayObject([document] if document is not None else [])
    nums = ArrayObject()
    for index, page in enumerate(writer.pages):
        page[NameObject("/StructParents")] = NumberObject(index)
        page[NameObject("/Tabs")] = NameObject("/S")  # tab through links and fields in structure order
        mcids = owners.get(index, {})
        nums += [NumberObject(index), ArrayObject([mcids[m] for m in sorted(mcids)])]
    root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(len(writer.pages))
    catalog = writer._root_object
    catalog[NameObject("/StructTreeRoot")] = root_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tag_file(path: Path, tagger: Tagger) -> None:
    """Write the structure `tagger` recorded into the PDF at `path` (a temporary file, renamed after)."""
    path.write_bytes(add_structure(path.read_bytes(), tagger))


HEADING_ROLES = {"title": "H1", "h2": "H2"}  # paragraph style → structure role (every other paragraph: P)


@functools.cache
def paragraph_class() -> type:
    """reportlab's Paragraph, tagged H1/H2/P by its style when drawn on a tagging canvas."""
    from reportlab.platypus import Paragraph

    class TaggedParagraph(Paragraph):  # type: ignore[misc]
        def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
            if only_measuring(canvas):
                return
            tagger = tagger_of(canvas)
            if tagger is None:
                super().drawOn(canvas, x, y, _sW)
                return
            text = " ".join(self.getPlainText().split())  # the lines joined with spaces, as typed
            with tagger.tagged(canvas, HEADING_ROLES.get(self.style.name, "P"), actual=text or None):
                super().drawOn(canvas, x, y, _sW)

    return TaggedParagraph
