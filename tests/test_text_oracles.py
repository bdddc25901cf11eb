"""Literal checks of the exports' text helpers: expected strings written by hand."""

from __future__ import annotations

from ics_desktop.exports.common import xml_safe
from ics_desktop.exports.pdf_fonts import drawable
from ics_desktop.exports.tables import excel_text

from .text_oracles import xml_storable


def test_xml_safe_removes_only_what_xml_cannot_hold() -> None:
    assert xml_safe("a\x00b\x01c\x08d\x0be\x0cf\x1fg") == "abcdefg"
    assert xml_safe("tab\there\nnew\rline") == "tab\there\nnew\rline"  # the three controls XML allows
    assert xml_safe("x\ud800y\udfffz") == "xyz"  # lone surrogates
    assert xml_safe("end\ufffe\uffff.") == "end."  # the two non-characters of the BMP
    assert xml_safe("\ufffd\ue000\U0010ffff") == "\ufffd\ue000\U0010ffff"  # the edges XML allows
    assert xml_safe("Great 🙂 progress 👩🏽‍⚕️ 🇬🇧") == "Great 🙂 progress 👩🏽‍⚕️ 🇬🇧"
    assert xml_safe("שלום עולם, مرحبا بالعالم") == "שלום עולם, مرحبا بالعالم"
    assert xml_safe("<b>R&D</b> ]]> \x7f\x85") == "<b>R&D</b> ]]> \x7f\x85"  # markup is escaped later, not dropped
    assert xml_safe("Gwenllïan Łódź 中文") == "Gwenllïan Łódź 中文"
    assert xml_safe("") == "" and xml_safe(None) == ""


def test_the_test_filter_agrees_with_the_literals() -> None:
    assert xml_storable("a\x00\x0b\ud800\ufffe🙂שמ\t\n\r") == "a🙂שמ\t\n\r"


def test_drawable_literals() -> None:
    assert drawable("Hello, world") == "Hello, world"
    assert drawable("שלום مرحبا") == "שלום مرحبا"  # DejaVu Sans has Hebrew and Arabic
    assert drawable("Great 🙂 progress") == "Great  progress"  # the font has no emoji: dropped
    assert drawable("中文 ok") == "□□ ok"  # letters of a script the font lacks are marked
    assert drawable("𝔸Ａ") == "AA"  # compatibility forms the font has
    assert drawable("a\tb\r\nc\rd\u2028e") == "a b\nc\nd\ne"
    assert drawable("soft\u00adhyphen zero\u200bwidth \u200fmark") == "softhyphen zerowidth mark"
    assert drawable("nul\x00 bell\x07 esc\x1b lone\ud800") == "nul bell esc lone"
    assert drawable("") == "" and drawable(None) == ""


def test_excel_text_literals() -> None:
    assert excel_text("plain") == "plain"
    assert excel_text("_x0041_") == "_x005F_x0041_"
    assert excel_text("_x00e9_ and _X0041_ and _x41_") == "_x005F_x00e9_ and _X0041_ and _x41_"
    assert excel_text("a_b x0041 _x004G_") == "a_b x0041 _x004G_"
    assert excel_text("emoji 😀🇬🇧 مرحبا שלום") == "emoji 😀🇬🇧 مرحبا שלום"
    assert excel_text("bell\x07 nul\x00 tab\t") == "bell nul tab\t"
    assert excel_text("=1+1") == "=1+1"  # formulas are defused by the writer, not here
    assert excel_text("x" * 32_767) == "x" * 32_767
    assert excel_text("y" * 40_000) == "y" * 32_766 + "…"
