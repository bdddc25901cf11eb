"""Fonts and safe text for PDF exports: DejaVu Sans registered once, user text made printable and inert.

reportlab's built-in fonts stop at Latin-1 (Welsh ŵ, Polish ł and every non-Latin script print as
black boxes), so the exports use the DejaVu Sans family shipped in resources/fonts. User text reaches
a Paragraph only through `user_paragraph` (never parsed as markup) or `markup` (escaped): XML-invalid
characters dropped, characters the font cannot draw dropped or shown as □, right-to-left runs
reordered for display.

reportlab and python-bidi are imported inside the functions (start-up time matters).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ics_desktop.exports.common import ExportError, xml_safe
from ics_desktop.paths import resource_path

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
PLACEHOLDER = "□"  # shown for a letter or digit of a script the font lacks (CJK, for example)

# reportlab's font registry is process-wide; exports run on worker threads, so registration is serialised.
_REGISTER_LOCK = threading.Lock()
# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko, …) and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique, bold oblique) as one family; returns the regular name.

    Idempotent and thread-safe: the first call loads the files, later calls find them registered.
    With the family registered, <b> and <i> in Paragraph markup pick the right face.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    with _REGISTER_LOCK:
        known = set(pdfmetrics.getRegisteredFontNames())
        if all(name in known for name in _FILES):
            return REGULAR
        for name, file in _FILES.items():
            if name in known:
                continue
            path = resource_path("fonts", file)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError) as exc:
                raise ExportError(
                    f"The font file {path} is missing or damaged ({exc}); reinstall ICS Desktop."
                ) from None
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return REGULAR


@functools.lru_cache(maxsize=1)
def font_codepoints() -> frozenset[int]:
    """Code points both the regular and the bold face can draw (user text is set in one or the other).

    Only the Basic Multilingual Plane: for characters beyond it (DejaVu has the mathematical letters
    such as 𝔸) reportlab 5.1 writes an invalid ToUnicode entry, so the PDF's text could not be
    searched or copied; `drawable` shows such a letter by its compatibility form (𝔸 → A) instead.
    """
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    return frozenset(c for c in regular if c <= 0xFFFF and c in bold)


def drawable(text: str | None) -> str:
    """`text` as the font can print it: everything drawable kept as typed, the rest dropped or shown as □.

    XML-invalid characters, controls and invisible format marks are dropped (tabs become spaces,
    carriage returns and line separators newlines); a character the font lacks is shown by its
    compatibility form where the font has that (𝔸 → A), else a symbol (emoji) is dropped and a
    letter or digit of a script the font lacks becomes □, so the reader sees something was there.
    """
    text = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return ""
    known = font_codepoints()
    out: list[str] = []
    for ch in text:
        if ch == "\n" or ch in "\u2028\u2029":
            out.append("\n")
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf"):  # controls, soft hyphens, joiners, direction marks: nothing to print
            if ch == "\t":
                out.append(" ")
            continue
        if ord(ch) in known:
            out.append(ch)
            continue
        compatible = unicodedata.normalize("NFKC", ch)  # 𝔸 → A, ﬃ → ffi, fullwidth Ａ → A
        if compatible != ch and all(ord(c) in known for c in compatible):
            out.append(compatible)
        elif category.startswith("Z"):
            out.append(" ")
        elif category[0] in "LN":
            out.append(PLACEHOLDER)
        # else: a symbol (emoji), combining mark or unassigned code point the font lacks: dropped
    return "".join(out)


def has_rtl(text: str) -> bool:
    """Whether `text` holds right-to-left letters (Hebrew, Arabic, …)."""
    return _RTL.search(text) is not None


def base_direction(text: str) -> str:
    """'R' when the first strong character is right-to-left, else 'L' (the Unicode bidi rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return "L"


def visual_order(line: str, base: str | None = None) -> str:
    """One line of text in display order (right-to-left runs reversed, brackets mirrored).

    reportlab draws characters left to right as stored and its own bidi support needs `rlbidi`, which
    is not on PyPI, so the Unicode bidi algorithm is applied here with python-bidi. Its pure-Python
    `bidi.algorithm` is used: the faster `bidi.get_display` (Rust) does not mirror brackets, so
    "(NHS)" inside Hebrew would print as ")NHS(". `base` ('L' or 'R') is the paragraph's
    direction; by default the line's own.
    """
    if not has_rtl(line):
        return line
    from bidi.algorithm import get_display  # type: ignore[import-untyped]

    return str(get_display(line, base_dir=base or base_direction(line)))


def markup(text: str | None, *, reorder: bool = True) -> str:
    """User text as Paragraph markup that shows exactly the text: drawable, reordered, escaped, \\n → <br/>."""
    lines = drawable(text).split("\n")
    if reorder:
        lines = [visual_order(line) for line in lines]
    return "<br/>".join(escape(line) for line in lines)


def user_paragraph(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A Paragraph showing user text as typed in `style`: the text is never parsed as markup at all.

    The text goes straight into the paragraph's fragments (cloned from a fragment reportlab parsed
    for a fixed placeholder), so `<img src=…>`, `x<y` or `R&D <i>` cannot act as markup; and
    escaping is not needed, which matters for speed: reportlab makes a separate fragment for every
    entity, so escaped text full of `&` and `<` lays out twenty times slower.

    A single line holding right-to-left text is reordered line by line after wrapping, so a long
    Hebrew or Arabic title that wraps reads from its first line down; text of several lines is
    reordered per typed line (a wrapped right-to-left line may then show its parts bottom-up).
    """
    from reportlab.platypus import Paragraph

    from ics_desktop.exports.pdf_tags import paragraph_class

    clean = drawable(text)
    word, line_break = Paragraph("x<br/>x", style).frags[:2]
    lines = clean.split("\n")
    tagged = paragraph_class()
    if len(lines) == 1:
        kind = _bidi_paragraph_class() if has_rtl(clean) else tagged
        return kind(None, style, frags=[word.clone(text=clean)])
    frags = []
    for i, line in enumerate(lines):
        if i:
            frags.append(line_break.clone())
        frags.append(word.clone(text=visual_order(line)))
    return tagged(None, style, frags=frags)


@functools.lru_cache(maxsize=1)
def _bidi_paragraph_class() -> type[Paragraph]:
    """A Paragraph that wraps text in logical order and draws each line in display order."""
    from ics_desktop.exports.pdf_tags import paragraph_class

    class BidiParagraph(paragraph_class()):  # type: ignore[misc]  # reportlab has no type hints
        def drawPara(self, debug: int = 0) -> Any:
            logical: Any = getattr(self, "blPara")  # noqa: B009 - set by reportlab's wrap (untyped)
            if getattr(logical, "kind", None) != 0:
                return super().drawPara(debug)
            # Lines of a simple paragraph are (spare width, words); splits reuse the logical words.
            base = base_direction(" ".join(" ".join(words) for _, words in logical.lines))
            visual = [(spare, visual_order(" ".join(words), base).split(" ")) for spare, words in logical.lines]
            setattr(self, "blPara", logical.clone(lines=visual))  # noqa: B010
            try:
                return super().drawPara(debug)
            finally:
                setattr(self, "blPara", logical)  # noqa: B010

    return BidiParagraph
