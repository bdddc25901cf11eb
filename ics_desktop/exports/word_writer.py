"""Writing a Word document: the charts as pictures with alternative text that states their figures, the
document being written (its numbered chapters and lettered appendices, progress), and the cover."""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ics_desktop.exports import docx_style as ds
from ics_desktop.exports.common import Progress, xml_safe
from ics_desktop.exports.cover_logo import alt_text, stored_logo
from ics_desktop.exports.docx_style import Cell, Para, Row, Run, cell, para
from ics_desktop.exports.roadmap_data import ExportData, _mean, _weeks
from ics_desktop.frameworks.assessments import result_of
from ics_desktop.planning.actions import display_date

CHART_DPI = 200


@dataclass
class _Figure:
    png: bytes
    size: tuple[float, float]
    title: str
    alt: str = ""  # what the chart shows, in words and figures, for a screen reader


def _chart(build: Callable[[], Any], title: str, alt: str = "") -> _Figure:
    from ics_desktop.charts import figure_png

    fig = build()
    width, height = fig.get_size_inches()
    return _Figure(figure_png(fig, CHART_DPI), (float(width), float(height)), title, alt)


def chart_alt(key: str, title: str, d: ExportData) -> str:
    """A chart's alternative text that states its data (WCAG: the figures, not just the title)."""
    results = d.results
    if results is None:
        return title
    scale = f"scale 1 to {max((s.level for s in d.framework.scale), default=4)}"
    codes = d.framework.covered_codes
    questions = d.framework.questions
    if key == "distribution":
        key_asked = questions[0].key if questions else "now"
        levels = [s.level for s in d.framework.scale]
        parts = [
            f"{code}: " + ", ".join(f"{results.result(code, key_asked).counts.get(lv, 0)} at {lv}" for lv in levels)
            for code in codes
        ]
        return f"{title}. How many people gave each level ({scale}), by capability: " + "; ".join(parts) + "."
    if key == "questions":
        parts = [
            f"{code} " + ", ".join(f"{q.label.lower()} {_mean(results.result(code, q.key).mean)}" for q in questions)
            for code in codes
        ]
        return f"{title}. Mean score per question ({scale}): " + "; ".join(parts) + "."
    if not questions:
        return title
    asked = questions[0]
    parts = []
    for code in codes:
        agreed = result_of(d.agreed, code).get("agreed_current")
        mean = _mean(results.result(code, asked.key).mean)
        parts.append(f"{code} {mean}" + (f" (agreed {agreed})" if agreed else ""))
    return f"{title}. Mean score “{asked.label.lower()}” by capability ({scale}): " + "; ".join(parts) + "."


# -- the writer -----------------------------------------------------------------------------------


class Writer:
    """A document being written: numbering of sections and appendices, progress between them."""

    def __init__(self, doc: Any, data: ExportData, progress: Progress, appendices: Sequence[str] = ()) -> None:
        self.doc = doc
        self.data = data
        self.progress = progress
        self.chapters = 0
        self.percent = 0
        self.appendix_letters = {key: string.ascii_uppercase[i] for i, key in enumerate(appendices)}

    def chapter(self, title: str) -> int:
        self.chapters += 1
        ds.heading(self.doc, f"{self.chapters}. {title}", 1)
        return self.chapters

    def appendix(self, key: str, title: str, *, new_section: bool = False) -> None:
        # A section break already starts a new page: a page break as well would leave a blank one.
        ds.heading(
            self.doc,
            f"Appendix {self.appendix_letters[key]}: {title}",
            1,
            page_break_before=False if new_section else None,
        )

    def see_appendix(self, key: str) -> str:
        letter = self.appendix_letters.get(key)
        return f" (see Appendix {letter} for further detail)" if letter else ""

    def step(self, percent: int, what: str) -> None:
        """Report progress (and give the user a chance to cancel); never goes backwards."""
        self.percent = max(self.percent, percent)
        self.progress(self.percent, what)


# -- cover ----------------------------------------------------------------------------------------

LOGO_BOX_CM = (6.0, 2.2)  # the largest a cover logo is drawn: wide logos by width, tall ones by height


def write_cover(w: Writer, title: str, strapline: str, details: Sequence[tuple[str, str]]) -> None:
    """The cover: programme name, a blue band with the title and the system, a strapline and the particulars."""
    d, doc = w.data, w.doc
    logo = stored_logo(d.programme.get("cover_logo"))
    if logo is not None:  # the organisation's, top right; the cover moves up by its height
        ds.add_picture(
            doc,
            logo.data,
            (logo.width_px / 96, logo.height_px / 96),
            max_width_cm=LOGO_BOX_CM[0],
            max_height_cm=LOGO_BOX_CM[1],
            alt=alt_text(str(d.programme.get("cover_logo_name") or "")),
            align_right=True,
        )
    space = 90 - 62 if logo is not None else 90
    ds.add(
        doc, para(d.programme["name"] or "Supporting Aspiring ICS Programme", style="CoverLabel", space_before=space)
    )
    band = Cell(
        (
            Para((Run(title),), style="Title"),
            Para((Run(d.system_name),), style="Subtitle"),
        ),
        fill=ds.NHS_BLUE,
    )
    # Indented by its padding so the blue band lines up with the margins.
    ds.add_table(doc, [ds.text_width_cm()], [Row((band,), height_cm=4.6)], rules=None, padding_cm=(0.7, 0.6),
                 indent_cm=0.6)  # fmt: skip
    ds.add(doc, para(strapline, colour=ds.SECONDARY, size=12, space_before=14, space_after=28))
    rows = [
        Row((cell(label, bold=True, colour=ds.NHS_BLUE), cell(value)), cant_split=True)
        for label, value in details
        if xml_safe(value).strip()
    ]
    ds.add_table(doc, [4.0, ds.text_width_cm() - 4.0], rows, rules="horizontal", padding_cm=(0.12, 0.0))


def cover_details(d: ExportData, version: str | None) -> list[tuple[str, str]]:
    p = d.programme
    dates = ""
    if p["start_date"] or p["end_date"]:
        dates = f"{display_date(p['start_date']) or '?'} to {display_date(p['end_date']) or '?'}"
        dates += _weeks(p["start_date"], p["end_date"])
    details = [("As at", display_date(d.today_iso))]
    if version is not None:
        details.append(("Version", version))
    details.append(("Programme", f"{p['name']}" + (f", {dates}" if dates else "")))
    if d.assessment:
        when = display_date(d.assessment["date"])
        details.append(("Readiness exercise", d.assessment["name"] + (f", {when}" if when else "")))
    details.append(("Framework", f"{d.framework.name} ({d.framework.version})"))
    return details


def add_figure(doc: Any, figure: _Figure, *, landscape: bool = False, max_height_cm: float = 11.5) -> None:
    ds.add_picture(
        doc,
        figure.png,
        figure.size,
        max_width_cm=ds.text_width_cm(landscape),
        max_height_cm=max_height_cm,
        alt=figure.alt or figure.title,
    )
