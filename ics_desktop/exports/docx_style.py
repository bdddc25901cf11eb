"""Typesetting for the Word exports: one look (A4, Arial, NHS blue header rows) and text that is always safe.

Paragraphs, runs and tables are written as WordprocessingML built here from small value objects (`Run`,
`Para`, `Cell`, `Row`) and parsed once per block: every string passes through `xml_safe` and XML
escaping on the way, element order follows the schema (Word is strict about it), and a table of
thousands of rows costs milliseconds rather than the seconds python-docx's cell API would take.
python-docx itself is used for the package: styles, sections, headers and footers, pictures.

python-docx and lxml are imported inside functions: importing this module costs nothing at start-up.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from xml.sax.saxutils import escape

from ics_desktop.exports.common import xml_safe

# -- the look -------------------------------------------------------------------------------------

NHS_BLUE = "005EB8"
DARK_BLUE = "003087"
BAND_GREY = "E8EDEE"  # domain rows and other bands
FOCUS_FILL = "FFF1CC"  # capabilities that are areas of focus (a pale NHS warm yellow)
TEXT = "212B32"
SECONDARY = "425563"
MUTED = "4C6272"  # NHS secondary text: 6.3:1 on white (WCAG AA asks 4.5:1)
RULE = "C8CFD3"
WARNING = "C4231A"  # NHS red darkened to keep 4.5:1 on the grey bands and the focus fill
GREEN = "006631"  # NHS green darkened likewise
WHITE = "FFFFFF"

FONT = "Arial"
FALLBACK_FONT = "Liberation Sans"  # metric-compatible with Arial; named in the font table as its alternative
# Accessible sizes (NHS documents meet WCAG 2.2 AA): body text 12 pt, nothing in a table or note under 10 pt.
BODY_PT = 12.0
TABLE_PT = 10.0
NOTE_PT = 10.0

A4_MM = (210, 297)
MARGIN_CM = 2.0
CM_TWIPS = 567  # 1 cm in twentieths of a point

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = f'xmlns:w="{W_NS}"'

Align = Literal["left", "center", "right"]

# Paragraph style ids (the names Word shows are in `_STYLES` below).
BODY = "Normal"
TABLE_TEXT = "TableText"
TABLE_HEADING = "TableHeading"
TABLE_BULLET = "TableBullet"
BULLET = "ListBullet"
NUMBERED = "ListNumber"
NOTE = "Note"
FIGURE = "Figure"


# -- value objects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one format. `text` may hold anything a user typed."""

    text: str
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    size: float | None = None  # points
    fill: str | None = None  # shading behind the text (a key swatch)
    caps: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph: runs in a style, with the few direct formats the documents need."""

    runs: tuple[Run, ...]
    style: str = BODY
    align: Align | None = None
    keep_next: bool = False
    page_break_before: bool | None = None  # None: as the style says
    num_id: int | None = None  # a numbering instance (numbered lists restart per list)
    space_before: float | None = None  # points
    space_after: float | None = None  # points
    rule_below: str | None = None  # colour of a rule under the paragraph


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]
    fill: str | None = None
    span: int = 1
    merge: Literal["restart", "continue"] | None = None  # vertical merge with the cells below
    valign: Literal["top", "center", "bottom"] = "top"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    header: bool = False  # repeated at the top of every page the table runs onto
    cant_split: bool | None = None  # None: kept on one page when short, allowed to break when long
    height_cm: float | None = None


RunLike = str | Run


def runs_of(*parts: RunLike, **fmt: Any) -> tuple[Run, ...]:
    """Runs from strings (formatted with `fmt`) and ready-made runs."""
    return tuple(p if isinstance(p, Run) else Run(p, **fmt) for p in parts)


def para(*parts: RunLike, style: str = BODY, align: Align | None = None, **fmt: Any) -> Para:
    """A paragraph of `parts`; keyword arguments that are Para fields set the paragraph, the rest format strings."""
    para_fields = {k: fmt.pop(k) for k in list(fmt) if k in Para.__dataclass_fields__}
    return Para(runs_of(*parts, **fmt), style=style, align=align, **para_fields)


def cell(
    *parts: RunLike,
    fill: str | None = None,
    span: int = 1,
    merge: Literal["restart", "continue"] | None = None,
    align: Align | None = None,
    valign: Literal["top", "center", "bottom"] = "top",
    style: str = TABLE_TEXT,
    keep_next: bool = False,
    **fmt: Any,
) -> Cell:
    """A table cell holding one paragraph of `parts`."""
    return Cell(
        (Para(runs_of(*parts, **fmt), style=style, align=align, keep_next=keep_next),),
        fill=fill,
        span=span,
        merge=merge,
        valign=valign,
    )


def bullet_cell(items: Sequence[str], *, fill: str | None = None, empty: str = "–") -> Cell:
    """A cell with one bullet per item (or a quiet dash when there are none)."""
    cleaned = [i for i in items if xml_safe(i).strip()]
    if not cleaned:
        return cell(empty, colour=MUTED, fill=fill)
    return Cell(tuple(Para((Run(i),), style=TABLE_BULLET) for i in cleaned), fill=fill)


def header_row(*labels: str, aligns: Sequence[Align | None] = ()) -> Row:
    """White bold labels on NHS blue, repeated on every page."""
    aligned = (list(aligns) + [None] * len(labels))[: len(labels)]
    return Row(
        tuple(
            cell(label, style=TABLE_HEADING, fill=NHS_BLUE, align=a, valign="bottom")
            for label, a in zip(labels, aligned, strict=True)
        ),
        header=True,
    )


def band_row(text: str, columns: int, *, fill: str = BAND_GREY, note: str = "") -> Row:
    """A full-width grey row naming a group (a domain, a team); kept with the row after it."""
    parts: list[RunLike] = [Run(text, bold=True)]
    if note:
        parts.append(Run(f"   {note}", colour=SECONDARY, size=NOTE_PT))
    return Row((cell(*parts, span=columns, fill=fill, keep_next=True),), cant_split=True)


# -- XML ------------------------------------------------------------------------------------------


def _text_xml(text: str) -> str:
    """Text as w:t runs content: XML-invalid characters dropped, line breaks and tabs kept."""
    clean = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for i, line in enumerate(clean.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if chunk:
                out.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(out)


def _rpr_xml(run: Run) -> str:
    # Schema order: b, i, caps, color, sz, shd.
    props = []
    if run.bold:
        props.append("<w:b/><w:bCs/>")
    if run.italic:
        props.append("<w:i/><w:iCs/>")
    if run.caps:
        props.append("<w:caps/>")
    if run.colour:
        props.append(f'<w:color w:val="{run.colour}"/>')
    if run.size:
        half = round(run.size * 2)
        props.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if run.fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{run.fill}"/>')
    return f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""


def _run_xml(run: Run) -> str:
    return f"<w:r>{_rpr_xml(run)}{_text_xml(run.text)}</w:r>"


def _para_xml(p: Para) -> str:
    # Schema order: pStyle, keepNext, pageBreakBefore, numPr, pBdr, spacing, jc.
    ppr = [f'<w:pStyle w:val="{p.style}"/>']
    if p.keep_next:
        ppr.append("<w:keepNext/>")
    if p.page_break_before is not None:
        ppr.append(f'<w:pageBreakBefore w:val="{int(p.page_break_before)}"/>')
    if p.num_id is not None:
        ppr.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{p.num_id}"/></w:numPr>')
    if p.rule_below:
        ppr.append(f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="6" w:color="{p.rule_below}"/></w:pBdr>')
    spacing = []
    if p.space_before is not None:
        spacing.append(f'w:before="{round(p.space_before * 20)}"')
    if p.space_after is not None:
        spacing.append(f'w:after="{round(p.space_after * 20)}"')
    if spacing:
        ppr.append(f"<w:spacing {' '.join(spacing)}/>")
    if p.align:
        ppr.append(f'<w:jc w:val="{p.align}"/>')
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{''.join(_run_xml(r) for r in p.runs)}</w:p>"


def _estimated_height_cm(row: Row, widths: Sequence[int]) -> float:
    """Roughly how tall a row will be: lines of 9-point text wrapped at each cell's width."""
    tallest = 0.0
    column = 0
    for c in row.cells:
        width_cm = sum(widths[column : column + c.span]) / CM_TWIPS - 0.4
        column += c.span
        chars = breaks = 0
        for p in c.paras:
            for r in p.runs:
                chars += len(r.text)
                breaks += r.text.count("\n")
        # About 5.6 characters of 9-point Arial per centimetre; each paragraph starts a line.
        tallest = max(tallest, chars / max(4.0, width_cm * 5.6) + breaks + len(c.paras))
    return tallest * 0.42 + 0.35


def _row_xml(row: Row, widths: Sequence[int]) -> str:
    trpr = []
    # Short rows stay on one page; a row taller than about a third of a page may break (a row that can
    # never fit on one page must be allowed to).
    cant_split = row.cant_split if row.cant_split is not None else _estimated_height_cm(row, widths) < 9.0
    if cant_split:
        trpr.append("<w:cantSplit/>")
    if row.height_cm:
        trpr.append(f'<w:trHeight w:val="{round(row.height_cm * CM_TWIPS)}"/>')
    if row.header:
        trpr.append("<w:tblHeader/>")
    cells = []
    column = 0
    for c in row.cells:
        width = sum(widths[column : column + c.span])
        column += c.span
        # Schema order: tcW, gridSpan, vMerge, shd, vAlign.
        tcpr = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
        if c.span > 1:
            tcpr.append(f'<w:gridSpan w:val="{c.span}"/>')
        if c.merge == "restart":
            tcpr.append('<w:vMerge w:val="restart"/>')
        elif c.merge == "continue":
            tcpr.append("<w:vMerge/>")
        if c.fill:
            tcpr.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{c.fill}"/>')
        tcpr.append(f'<w:vAlign w:val="{c.valign}"/>')
        body = "".join(_para_xml(p) for p in c.paras) or f'<w:p><w:pPr><w:pStyle w:val="{TABLE_TEXT}"/></w:pPr></w:p>'
        cells.append(f"<w:tc><w:tcPr>{''.join(tcpr)}</w:tcPr>{body}</w:tc>")
    if column != len(widths):
        raise ValueError(f"a row spans {column} columns; the table has {len(widths)}")
    return f"<w:tr><w:trPr>{''.join(trpr)}</w:trPr>{''.join(cells)}</w:tr>"


_ROOT_TAG = re.compile(r"^<(w:\w+)")


def _parse(*fragments: str) -> list[Any]:
    """Each fragment (one element's XML) parsed by python-docx's parser, so it is one of its element classes.

    Each is parsed as a root declaring the namespace itself: lxml moves such an element into the
    document in linear time, whereas children of a shared wrapper take quadratic time (minutes for
    a table of thousands of rows).
    """
    from docx.oxml import parse_xml

    return [parse_xml(_ROOT_TAG.sub(rf"<\1 {_NSDECL}", fragment, count=1)) for fragment in fragments]


def _append_to_body(doc: Any, elements: Iterable[Any]) -> None:
    body = doc.element.body
    for element in elements:
        body.insert_element_before(element, "w:sectPr")


# -- writing into a document ----------------------------------------------------------------------


def add(doc: Any, *paras: Para) -> None:
    """Append paragraphs to the document body; text straight after a table gets a little air above it."""
    if paras and paras[0].space_before is None and not paras[0].style.startswith("Heading"):
        sect_pr = doc.element.body.sectPr
        last = sect_pr.getprevious() if sect_pr is not None else doc.element.body[-1]
        if last is not None and last.tag == _w("tbl"):
            paras = (replace(paras[0], space_before=8.0), *paras[1:])
    _append_to_body(doc, _parse(*(_para_xml(p) for p in paras)))


def add_text(doc: Any, text: str, *, style: str = BODY, **fmt: Any) -> None:
    """Append a user's free text: blank lines separate paragraphs; lines that start with a bullet
    (-, *, •) become bullets, as do the lines of a block introduced by a line ending in a colon."""
    blocks = [b for b in xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").split("\n\n") if b.strip()]
    out: list[Para] = []
    introduced = False
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        marked = [ln for ln in lines if ln[:1] in "-*•·" and len(ln) > 1]
        if (marked and len(marked) == len(lines)) or (introduced and len(lines) > 1):
            out.extend(_list_paras([ln.lstrip("-*•· ").strip() for ln in lines], BULLET, **fmt))
        else:
            # A paragraph introducing a list stays on the page with it.
            out.append(para(block.strip(), style=style, keep_next=lines[-1].endswith(":"), **fmt))
        introduced = lines[-1].endswith(":")
    if out:
        add(doc, *out)


def _list_paras(items: Sequence[str], style: str, num_id: int | None = None, **fmt: Any) -> list[Para]:
    """List items in `style`, the last with the space a paragraph has below it; a short list kept on one page."""
    found = [i for i in items if xml_safe(i).strip()]
    together = len(found) <= 10
    return [
        para(
            item,
            style=style,
            num_id=num_id,
            space_after=6.0 if n == len(found) - 1 else None,
            keep_next=together and n < len(found) - 1,
            **fmt,
        )
        for n, item in enumerate(found)
    ]


def add_bullets(doc: Any, items: Sequence[str], **fmt: Any) -> None:
    found = _list_paras(items, BULLET, **fmt)
    if found:
        add(doc, *found)


def add_numbered(doc: Any, items: Sequence[str]) -> None:
    """A numbered list that starts again at 1."""
    if any(xml_safe(i).strip() for i in items):
        add(doc, *_list_paras(items, NUMBERED, _new_numbered_instance(doc)))


def heading(doc: Any, text: str, level: int, *, page_break_before: bool | None = None) -> None:
    add(doc, para(text, style=f"Heading{level}", page_break_before=page_break_before))


def note(doc: Any, *parts: RunLike, **fmt: Any) -> None:
    """A small grey line: a key, a source, a caveat."""
    add(doc, para(*parts, style=NOTE, **fmt))


def add_table(
    doc: Any,
    widths_cm: Sequence[float],
    rows: Sequence[Row],
    *,
    rules: Literal["grid", "horizontal"] | None = "grid",
    rule_colour: str = RULE,
    rule_eighths: int = 4,
    padding_cm: tuple[float, float] = (0.1, 0.17),
    indent_cm: float = 0.0,
) -> None:
    """Append a table: fixed column widths, light rules, padded cells (vertical, horizontal padding);
    header rows repeat across pages and short rows are kept on one page. Cell text lines up with the
    body text (the cell edges sit a padding's width outside it) unless `indent_cm` moves the table."""
    widths = [round(w * CM_TWIPS) for w in widths_cm]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    line = f'w:val="single" w:sz="{rule_eighths}" w:space="0" w:color="{rule_colour}"'
    none = 'w:val="nil"'
    sides = {
        "grid": (line, line, line, line, line, line),
        "horizontal": (line, none, line, none, line, none),
        None: (none,) * 6,
    }[rules]
    borders = "".join(
        f"<w:{name} {value}/>"
        for name, value in zip(("top", "left", "bottom", "right", "insideH", "insideV"), sides, strict=True)
    )
    vertical, horizontal = (round(v * CM_TWIPS) for v in padding_cm)
    # Schema order: tblW, tblInd, tblBorders, tblLayout, tblCellMar, tblLook.
    tblpr = (
        f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblInd w:w="{round(indent_cm * CM_TWIPS)}" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{horizontal}" w:type="dxa"/>'
        f'<w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{horizontal}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
    )
    body = "".join(_row_xml(r, widths) for r in rows)
    _append_to_body(doc, _parse(f"<w:tbl>{tblpr}<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"))


def add_key_figures(doc: Any, figures: Sequence[tuple[str, str]], *, landscape: bool = False) -> None:
    """A strip of headline numbers over short labels, on grey tiles separated by white gutters."""
    if not figures:
        return
    width = text_width_cm(landscape) / len(figures)
    tiles = tuple(
        Cell(
            (
                Para((Run(value, bold=True, colour=NHS_BLUE, size=20),), style=TABLE_TEXT),
                Para((Run(label, colour=SECONDARY, size=NOTE_PT),), style=TABLE_TEXT),
            ),
            fill=BAND_GREY,
        )
        for value, label in figures
    )
    add_table(
        doc, [width] * len(figures), [Row(tiles, cant_split=True)], rule_colour=WHITE, rule_eighths=24,
        padding_cm=(0.18, 0.3),
    )  # fmt: skip


def add_picture(
    doc: Any,
    png: bytes,
    size_inches: tuple[float, float],
    *,
    max_width_cm: float,
    max_height_cm: float,
    alt: str,
    align_right: bool = False,
) -> None:
    """A centred (or right-aligned) picture as large as fits in the box, keeping its proportions; `alt` is read
    by screen readers."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    width, height = size_inches
    scale = min(max_width_cm / (width * 2.54), max_height_cm / (height * 2.54))
    paragraph = doc.add_paragraph(style=FIGURE)
    if align_right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png), width=Cm(width * 2.54 * scale), height=Cm(height * 2.54 * scale))
    for doc_pr in run._r.xpath(".//wp:docPr"):
        doc_pr.set("descr", xml_safe(alt))
        doc_pr.set("title", core_property(alt.split(". ", 1)[0]))  # the chart's name, shown as its title


def _field_xml(instruction: str, shown: str, run: Run) -> str:
    rpr = _rpr_xml(run)
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}{_text_xml(shown)}</w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


# -- contents -------------------------------------------------------------------------------------

TOC_HINT = "Right-click the contents and choose Update Field to add page numbers."


def add_toc_placeholder(doc: Any) -> Any:
    """Mark where the contents go; `fill_toc` replaces the mark once every heading is written."""
    add(doc, para("Contents", style="TOCHeading"), para("", style=BODY))
    return doc.element.body.xpath("./w:p")[-1]


def fill_toc(doc: Any, mark: Any, levels: int = 2) -> None:
    """A real TOC field over Heading 1–`levels`, its cached result listing the headings written so far.

    Its cached result is the list of headings as written, so it reads right without any update; Word adds
    page numbers when the reader updates the field (References → Update table), never asking on opening.
    """
    styles = {f"Heading{n}": n for n in range(1, levels + 1)}
    entries: list[tuple[int, str]] = []
    for p in doc.element.body.xpath("./w:p"):
        style = p.xpath("string(./w:pPr/w:pStyle/@w:val)")
        if style in styles:
            entries.append((styles[style], "".join(p.xpath(".//w:t/text()"))))
    instruction = f'TOC \\o "1-{levels}" \\h \\z \\u'
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    paras = []
    for index, (level, text) in enumerate(entries):
        runs = begin if index == 0 else ""
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{runs}{_run_xml(Run(text))}</w:p>')
    paras.append(
        f'<w:p><w:pPr><w:pStyle w:val="{NOTE}"/><w:spacing w:before="240"/></w:pPr>'
        f"{'' if entries else begin}{_run_xml(Run(TOC_HINT))}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    for element in _parse(*paras):
        mark.addprevious(element)
    mark.getparent().remove(mark)


# -- the document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    name: str
    size: float
    bold: bool = False
    colour: str = TEXT
    before: float = 0.0
    after: float = 6.0
    line: float | None = None
    keep_next: bool = False
    page_break_before: bool = False
    italic: bool = False
    based_on: str = "Normal"
    align: Align | None = None
    indent_cm: tuple[float, float] | None = None  # (left, hanging)
    extra: dict[str, Any] = field(default_factory=dict)


_STYLES = (
    _Style("Normal", BODY_PT, after=6, line=1.15),
    _Style("Heading 1", 18, bold=True, colour=NHS_BLUE, after=10, keep_next=True, page_break_before=True),
    _Style("Heading 2", 14.5, bold=True, colour=DARK_BLUE, before=16, after=6, keep_next=True),
    _Style("Heading 3", 13, bold=True, before=12, after=4, keep_next=True),
    _Style("Title", 30, bold=True, colour=WHITE, after=4, line=1.0),
    _Style("Subtitle", 15, colour=WHITE, after=0, line=1.1),
    _Style("TOC Heading", 18, bold=True, colour=NHS_BLUE, after=14, page_break_before=True),
    _Style("Table Text", TABLE_PT, after=0, line=1.05),
    _Style("Table Heading", TABLE_PT, bold=True, colour=WHITE, after=0, line=1.05, based_on="Table Text"),
    _Style("Table Bullet", TABLE_PT, after=1, line=1.05, based_on="Table Text", indent_cm=(0.38, 0.3)),
    _Style("List Bullet", BODY_PT, after=2, line=1.15, indent_cm=(0.6, 0.4)),
    _Style("List Number", BODY_PT, after=2, line=1.15, indent_cm=(0.6, 0.6)),
    _Style("Note", NOTE_PT, colour=SECONDARY, after=6, line=1.1),
    _Style("Figure", BODY_PT, before=6, after=10, line=1.0, align="center"),
    _Style("Cover Label", 11, bold=True, colour=NHS_BLUE, after=10),
)


def new_document(header_text: str, *, title: str, subject: str = "") -> Any:
    """An A4 document with the house styles, page numbers in the footer and `header_text` in the header.

    The first page (the cover) has no header or footer.
    """
    from docx import Document
    from docx.shared import Cm, Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    for side in ("left_margin", "right_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.top_margin = Cm(2.3)
    section.header_distance = section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True

    _setup_fonts(doc)
    _setup_styles(doc, *_setup_numbering(doc))
    _setup_settings(doc)

    header = section.header
    header._element.remove_all("w:p")
    header._element.append(
        _parse(_para_xml(para(header_text, style="Header", align="right", colour=MUTED, size=NOTE_PT)))[0]
    )
    footer = section.footer
    footer._element.remove_all("w:p")
    grey = Run("", colour=MUTED, size=NOTE_PT)
    footer._element.append(
        _parse(
            f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>'
            f"{_run_xml(Run('Page ', colour=MUTED, size=NOTE_PT))}{_field_xml('PAGE', '1', grey)}"
            f"{_run_xml(Run(' of ', colour=MUTED, size=NOTE_PT))}{_field_xml('NUMPAGES', '1', grey)}</w:p>"
        )[0]
    )
    props = doc.core_properties
    # Word's core properties hold at most 255 characters; the document itself shows the names in full.
    props.title = core_property(title)
    props.subject = core_property(subject)
    props.author = "ICS Desktop"
    props.comments = ""
    return doc


CORE_PROPERTY_MAX = 255


def core_property(text: str) -> str:
    """Text for a Word core property: XML-safe and at most 255 characters, cut at a word with an ellipsis
    (never inside a surrogate pair or before a combining mark)."""
    import unicodedata

    text = xml_safe(text)
    if len(text) <= CORE_PROPERTY_MAX:
        return text
    cut = text[: CORE_PROPERTY_MAX - 1]
    while cut and unicodedata.combining(text[len(cut)]):
        cut = cut[:-1]  # a combining mark belongs with the letter before it
    space = cut.rfind(" ")
    if space > CORE_PROPERTY_MAX // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def start_section(doc: Any, *, landscape: bool) -> None:
    """A new section on a new page, A4 portrait or landscape (headers and footers carry on)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    short, long = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def text_width_cm(landscape: bool = False) -> float:
    return (A4_MM[1] if landscape else A4_MM[0]) / 10 - 2 * MARGIN_CM


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _setup_fonts(doc: Any) -> None:
    """Arial everywhere (theme fonts removed, since they would win), Liberation Sans named as its stand-in."""
    from docx.oxml import OxmlElement

    styles = doc.styles.element
    for rfonts in styles.iter(_w("rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(_w(attr), None)
    defaults = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    rfonts = defaults.find(_w("rFonts"))
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        rfonts.set(_w(attr), FONT)
    lang = defaults.find(_w("lang"))
    if lang is not None:
        lang.set(_w("val"), "en-GB")
    font_table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    from docx.oxml import parse_xml

    fonts = parse_xml(font_table.blob)
    for font in fonts.findall(_w("font")):
        if font.get(_w("name")) == FONT:
            alt = OxmlElement("w:altName")
            alt.set(_w("val"), FALLBACK_FONT)
            font.insert(0, alt)
            family = font.find(_w("family"))
            if family is not None:
                family.set(_w("val"), "swiss")
    from docx.opc.oxml import serialize_part_xml

    # The font table is a plain part in python-docx (bytes, no element tree to edit in place).
    font_table._blob = serialize_part_xml(fonts)


_BULLET_ABSTRACT = 90
_TABLE_BULLET_ABSTRACT = 91
_DECIMAL_ABSTRACT = 92


def _abstract_xml(abstract_id: int, fmt: str, text: str, left: int, hanging: int) -> str:
    font = f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/><w:color w:val="{NHS_BLUE}"/></w:rPr>'
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
        f"{font if fmt == 'bullet' else ''}</w:lvl></w:abstractNum>"
    )


def _setup_numbering(doc: Any) -> tuple[int, int]:
    """Our bullets (•, in the text font) and numbered list; returns the body and table bullet instances."""
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(_w("num"))
    for element in _parse(
        _abstract_xml(_BULLET_ABSTRACT, "bullet", "•", 340, 227),
        _abstract_xml(_TABLE_BULLET_ABSTRACT, "bullet", "•", 215, 170),
        _abstract_xml(_DECIMAL_ABSTRACT, "decimal", "%1.", 340, 340),
    ):
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    return int(numbering.add_num(_BULLET_ABSTRACT).numId), int(numbering.add_num(_TABLE_BULLET_ABSTRACT).numId)


def _new_numbered_instance(doc: Any) -> int:
    """A fresh numbering instance of the decimal list, restarting at 1."""
    numbering = doc.part.numbering_part.element
    num = numbering.add_num(_DECIMAL_ABSTRACT)
    override = _parse(
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'  # restart each list
    )[0]
    num.append(override)
    return int(num.numId)


def _setup_styles(doc: Any, bullet_num: int, table_bullet_num: int) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    styles = doc.styles
    for spec in _STYLES:
        try:
            style = styles[spec.name]
        except KeyError:
            style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[spec.based_on]
            style.quick_style = True
        font = style.font
        font.size = Pt(spec.size)
        font.bold = spec.bold
        font.italic = spec.italic
        font.color.rgb = RGBColor.from_string(spec.colour)
        fmt = style.paragraph_format
        fmt.space_before = Pt(spec.before)
        fmt.space_after = Pt(spec.after)
        if spec.line is not None:
            fmt.line_spacing = spec.line
        fmt.keep_with_next = spec.keep_next or None
        fmt.page_break_before = spec.page_break_before or None
        if spec.align == "center":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.indent_cm:
            fmt.left_indent = Cm(spec.indent_cm[0])
            fmt.first_line_indent = -Cm(spec.indent_cm[1])
    # Word's Title style draws a rule and both it and Subtitle spread their letters; ours are plain.
    for name in ("Title", "Subtitle"):
        element = styles[name].element
        for found in element.xpath("./w:pPr/w:pBdr | ./w:rPr/w:spacing | ./w:rPr/w:kern"):
            found.getparent().remove(found)
    for name, num_id in (("List Bullet", bullet_num), ("Table Bullet", table_bullet_num)):
        _set_style_numbering(styles[name], num_id)
    _set_style_numbering(styles["List Number"], None)
    for level in (1, 2):
        _add_toc_style(doc, level)


def _set_style_numbering(style: Any, num_id: int | None) -> None:
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(_w("numPr")):
        ppr.remove(old)
    if num_id is not None:
        num_pr = _parse(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')[0]
        ppr.insert_element_before(
            num_pr, "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:spacing", "w:ind", "w:contextualSpacing"
        )


def _add_toc_style(doc: Any, level: int) -> None:
    """Word's built-in 'toc N' style (it uses ours when it rebuilds the contents)."""
    right = round(text_width_cm() * CM_TWIPS)
    bold = "<w:b/><w:bCs/>" if level == 1 else ""
    style = _parse(
        f'<w:style w:type="paragraph" w:styleId="TOC{level}"><w:name w:val="toc {level}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{right}"/></w:tabs>'
        f'<w:spacing w:before="{120 if level == 1 else 20}" w:after="40"/>'
        f'<w:ind w:left="{0 if level == 1 else 340}"/></w:pPr>'
        f'<w:rPr>{bold}<w:sz w:val="{22 if level == 1 else 20}"/></w:rPr></w:style>'
    )[0]
    doc.styles.element.append(style)


def _setup_settings(doc: Any) -> None:
    """No "update fields?" question on opening (a reader cannot answer it, and screen readers announce it):
    the contents are written out in full when the document is made, and page numbers are ordinary fields."""
    settings = doc.settings.element
    for update in settings.findall(_w("updateFields")):
        settings.remove(update)
