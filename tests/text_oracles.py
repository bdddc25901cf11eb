"""What a file format can hold, written here independently of the exports' own helpers.

The export tests compare what they read back with the input as typed, passed only through these
filters, so a helper that drops more than the format demands (emoji, Hebrew, Arabic …) fails them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_storable(text: str) -> str:
    """`text` with only the characters XML 1.0 cannot hold removed."""
    return _NOT_XML_CHAR.sub("", text)


def excel_storable(text: str, limit: int = 32_767) -> str:
    """A cell's text: XML-storable, Excel's `_xHHHH_` escapes escaped as `_x005F_`, cut to the cell limit."""
    text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", xml_storable(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def csv_shown(text: str) -> str:
    """A CSV field: XML-storable, with a leading ' before anything a spreadsheet would run as a formula."""
    text = xml_storable(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def font_printable(text: str, font: Set[int], placeholder: str = "□") -> str:
    """What a font with the code points `font` can print of `text`.

    Controls and format marks go (a tab shows as a space, carriage returns as line breaks); a
    character the font lacks is shown by its compatibility form if the font has that, a space by a
    space, a letter or digit by `placeholder`; anything else the font lacks (emoji) goes.
    """
    out: list[str] = []
    for ch in xml_storable(text).replace("\r\n", "\n").replace("\r", "\n"):
        kind = unicodedata.category(ch)
        if ch in "\n\u2028\u2029":
            out.append("\n")
        elif ch == "\t":
            out.append(" ")
        elif kind in ("Cc", "Cf"):
            continue
        elif ord(ch) in font:
            out.append(ch)
        elif (compat := unicodedata.normalize("NFKC", ch)) != ch and all(ord(c) in font for c in compat):
            out.append(compat)
        elif kind[0] == "Z":
            out.append(" ")
        elif kind[0] in "LN":
            out.append(placeholder)
    return "".join(out)
