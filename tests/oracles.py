"""Expected text written independently of the code under test (never with xml_safe, drawable or excel_text)."""

from __future__ import annotations


def xml_1_0(text: str) -> str:
    """`text` with exactly the characters XML 1.0 cannot hold removed (its Char production):
    #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Everything else stays as typed."""

    def allowed(ch: str) -> bool:
        c = ord(ch)
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF

    return "".join(ch for ch in text if allowed(ch))
