"""The charts' look (NHS colours, DejaVu Sans, sizes), text any font can show, reading results for a chart,
the figure scaffolding (title, footnote, legend) and the capability rows every per-capability chart lays out."""

from __future__ import annotations

import functools
import math
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from ics_desktop.frameworks.framework import Domain, Framework, Question
from ics_desktop.frameworks.scoring import AssessmentResults, QuestionResult

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patheffects import AbstractPathEffect


# -- the look ------------------------------------------------------------------------------------

BLUE = "#005eb8"
DARK_BLUE = "#003087"
LIGHT_BLUE = "#41b6e6"
GREY = "#768692"
ACCENT = "#ffb81c"
WARNING = "#da291c"
GREEN = "#009639"
TEXT = "#212b32"
SECONDARY_TEXT = "#425563"
GRID = "#d8dde0"
BAND = "#f0f4f5"
FONT = "DejaVu Sans"

# Question colours by key (now in the primary blue, as on the bar chart); other keys take the fallback colours in turn.
QUESTION_COLOURS = {"now": BLUE, "aspire": GREY, "realistic": LIGHT_BLUE}
_FALLBACK_COLOURS = (DARK_BLUE, ACCENT, "#00a499", "#330072", "#ed8b00")
# Levels 1–4 on a diverging orange → blue scheme (safe for the common colour-vision deficiencies).
LEVEL_COLOURS = ("#ed8b00", ACCENT, LIGHT_BLUE, BLUE)
_EXTRA_LEVEL_COLOURS = (DARK_BLUE, "#330072", GREY)

TITLE_SIZE = 14.0
LABEL_SIZE = 10.0
SMALL_SIZE = 8.5
NO_SCORES = "No scores yet"
NO_PREVIOUS = "No previous assessment to compare with"

CHARTS: dict[str, str] = {
    "now": "Where are we now?",
    "questions": "Now, aspire and realistic",
    "distribution": "Distribution of scores",
    "radar": "Domains",
    "change": "Change since the previous assessment",
}


# -- text that any font can show -----------------------------------------------------------------


FLOOR = 1  # the scale's first level: bars rise from it (a 1–4 scale has no 0)


@functools.lru_cache(maxsize=1)
def font_codepoints() -> frozenset[int]:
    """Code points DejaVu Sans can draw (matplotlib ships the font)."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(ft2font.FT2Font(path).get_charmap())


def drawable_text(text: str) -> str:
    """`text` with what the font cannot draw removed (emoji, controls) or shown as □, spaces collapsed.

    Without this matplotlib warns for each missing glyph (an error under strict tests).
    """
    known = font_codepoints()
    out: list[str] = []
    for ch in text:
        if ord(ch) in known and ch.isprintable():
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category.startswith("Z") or ch in "\t\n\r\f\v":
            out.append(" ")
        elif category[0] in "CMS":  # controls, format marks, combining marks, symbols (emoji)
            continue
        else:  # a letter or digit of a script the font lacks
            out.append("□")
    return " ".join("".join(out).split())


def escape_mathtext(text: str) -> str:
    """Stop matplotlib reading `$…$` as mathematics."""
    return text.replace("$", r"\$")


def wrapped_label(text: str, width: int | None = None, max_lines: int | None = None) -> str:
    """Drawable text, wrapped to `width` characters and cut to `max_lines` with an ellipsis."""
    clean = drawable_text(text)
    if width is None or len(clean) <= width:
        return escape_mathtext(clean)
    lines = textwrap.wrap(clean, max(4, width), break_long_words=True, break_on_hyphens=True)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: max(1, width - 1)].rstrip() if len(last) >= width else last.rstrip()) + "…"
    return escape_mathtext("\n".join(lines))


# -- reading results -----------------------------------------------------------------------------


def question_of(framework: Framework, key: str) -> Question:
    for q in framework.questions:
        if q.key == key:
            return q
    known = ", ".join(framework.question_keys())
    raise ValueError(f"The framework has no question '{key}' (its questions are: {known}).")


def result_cell(results: AssessmentResults, code: str, question: str) -> QuestionResult | None:
    return results.by_capability.get(code, {}).get(question)


def mean_of(results: AssessmentResults, code: str, question: str) -> float | None:
    cell = result_cell(results, code, question)
    return cell.mean if cell is not None else None


def covered_codes(framework: Framework) -> list[str]:
    return framework.covered_codes


def has_scores(results: AssessmentResults, codes: Iterable[str], questions: Iterable[str]) -> bool:
    qs = list(questions)
    return any((c := result_cell(results, code, q)) is not None and c.n > 0 for code in codes for q in qs)


def not_covered_note(framework: Framework) -> str:
    missing = [c.code for c in framework.capabilities if not c.covered]
    return f"Not covered on this programme: {', '.join(missing)}." if missing else ""


def respondents_note(results: AssessmentResults, codes: Sequence[str], question: str) -> str:
    ns = [c.n for code in codes if (c := result_cell(results, code, question)) is not None and c.n > 0]
    if not ns:
        return ""
    low, high = min(ns), max(ns)
    span = f"{high}" if low == high else f"{low}–{high}"
    return f"Mean of participants’ scores (n = {span} per capability; “don’t know” is not counted)."


def scale_labels(framework: Framework, width: int = 24) -> tuple[list[int], list[str]]:
    levels = [s.level for s in framework.scale] or [1, 2, 3, 4]
    return levels, [wrapped_label(f"{s.level} {s.label}", width, 3) for s in framework.scale] or [
        str(v) for v in levels
    ]


def top_level(framework: Framework) -> int:
    return max((s.level for s in framework.scale), default=4)


class ChartRow(NamedTuple):
    code: str
    domain: Domain
    position: float


def layout_rows(framework: Framework, codes: Sequence[str], gap: float = 0.6) -> list[ChartRow]:
    """Positions 0, 1, 2 … for `codes`, with an extra gap between domains."""
    rows: list[ChartRow] = []
    pos = 0.0
    previous: str | None = None
    for code in codes:
        domain = framework.domain_of(code)
        if previous is not None and domain.number != previous:
            pos += gap
        rows.append(ChartRow(code, domain, pos))
        previous = domain.number
        pos += 1.0
    return rows


def domain_spans(rows: Sequence[ChartRow]) -> list[tuple[Domain, float, float]]:
    """(domain, first position, last position) for each run of rows in one domain."""
    spans: list[tuple[Domain, float, float]] = []
    for row in rows:
        if spans and spans[-1][0].number == row.domain.number:
            spans[-1] = (spans[-1][0], spans[-1][1], row.position)
        else:
            spans.append((row.domain, row.position, row.position))
    return spans


# -- figure scaffolding --------------------------------------------------------------------------


def new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # Constrained layout runs at every draw, so nothing is cut off when a screen resizes the figure.
    engine = ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.1)
    return Figure(figsize=(width, height), dpi=100, facecolor="white", layout=engine)


def add_title(fig: Figure, title: str, width: float) -> None:
    fig.suptitle(
        wrapped_label(title, max(20, int(width * 6.8)), 3),
        x=0.01,
        ha="left",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        color=TEXT,
        fontfamily=FONT,
    )


def add_footnote(fig: Figure, lines: Iterable[str], width: float) -> None:
    wrap = max(30, int(width * 14))
    text = "\n".join(wrapped_label(line, wrap) for line in lines if line)
    if text:
        fig.supxlabel(text, x=0.01, ha="left", fontsize=SMALL_SIZE, color=SECONDARY_TEXT, fontfamily=FONT)


def style_axes(ax: Axes, *, grid_axis: Literal["x", "y", "both"] | None = "y") -> None:
    ax.set_facecolor("white")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    ax.tick_params(colors=SECONDARY_TEXT, labelcolor=TEXT, labelsize=LABEL_SIZE, length=0, pad=6)
    if grid_axis:
        ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def message_figure(message: str, title: str | None = None, *, width: float = 10.0, height: float = 5.5) -> Figure:
    """A figure saying `message` in the middle (no scores yet, nothing to compare with)."""
    fig = new_figure(width, height)
    if title:
        add_title(fig, title, width)
    fig.text(
        0.5,
        0.5,
        wrapped_label(message, int(width * 5), 3),
        ha="center",
        va="center",
        fontsize=16,
        color=SECONDARY_TEXT,
        fontfamily=FONT,
    )
    return fig


def add_legend(fig: Figure, ax: Axes, handles: Sequence[Artist], labels: Sequence[str], width: float) -> None:
    """A legend under the title, starting at the figure's left edge like the title (labels as typed)."""
    from matplotlib.transforms import blended_transform_factory

    labels = [wrapped_label(label, 34, 2) for label in labels]
    # Wrap to two rows when one would not fit across the figure (about 5.5 points a character).
    needed = sum(max(map(len, label.split("\n"))) * 5.8 + 45 for label in labels)
    ncols = len(labels) if needed < width * 72 * 0.95 else max(1, math.ceil(len(labels) / 2))
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.01, 1.02),
        bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes),
        borderaxespad=0.0,
        borderpad=0.0,
        ncols=ncols,
        frameon=False,
        fontsize=LABEL_SIZE,
        labelcolor=TEXT,
        handlelength=1.6,
        columnspacing=1.6,
    )


def question_colour(key: str, index: int) -> str:
    return QUESTION_COLOURS.get(key, _FALLBACK_COLOURS[index % len(_FALLBACK_COLOURS)])


def level_colour(index: int) -> str:
    colours = LEVEL_COLOURS + _EXTRA_LEVEL_COLOURS
    return colours[index % len(colours)]


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.45 else TEXT


def capability_label(framework: Framework, code: str, limit: int) -> str:
    """The code and the start of the statement, on up to two lines of `limit` characters."""
    try:
        statement = framework.capability(code).statement
    except KeyError:
        statement = ""
    return wrapped_label(f"{code}  {statement}", limit, 2) if drawable_text(statement) else wrapped_label(code)


def row_height(count: int) -> float:
    """Figure height for a chart with one two-line label per row."""
    return max(4.5, 2.3 + 0.46 * count)


def unit_points(rows: Sequence[ChartRow], width: float) -> float:
    """Roughly how many points wide one capability's slot is on a chart with capabilities along x."""
    return width * 0.74 * 72 / (rows[-1].position - rows[0].position + 1.4)


def fitted_size(points: float, chars: int, largest: float, smallest: float = 7.0) -> tuple[float, bool]:
    """A font size at which `chars` characters fit in `points`, and whether to turn the text upright."""
    size = min(largest, points * 0.9 / (max(1, chars) * 0.64))
    return (size, False) if size >= smallest else (min(largest, max(smallest, points * 0.8)), True)


def code_ticks(ax: Axes, rows: Sequence[ChartRow], width: float) -> None:
    """Capability codes along x, as large as the slots allow (upright when they cannot fit across)."""
    size, upright = fitted_size(unit_points(rows, width), max(len(r.code) for r in rows), LABEL_SIZE + 1)
    ax.set_xticks(
        [r.position for r in rows],
        [wrapped_label(r.code) for r in rows],
        fontfamily=FONT,
        fontsize=size,
        rotation=90 if upright else 0,
    )
    ax.set_xlim(rows[0].position - 0.7, rows[-1].position + 0.7)
    ax.set_xlabel(" \n \n ", fontsize=SMALL_SIZE)  # room for the domain names drawn under the codes


def domain_bands(ax: Axes, rows: Sequence[ChartRow], width: float) -> None:
    """Alternate background bands per domain on a chart with capabilities along x, names under the codes."""
    axes_inches = width * 0.74
    total = rows[-1].position - rows[0].position + 1.4
    for i, (domain, first, last) in enumerate(domain_spans(rows)):
        lo, hi = first - 0.5 - 0.2, last + 0.5 + 0.2
        if i % 2 == 0:
            ax.axvspan(lo, hi, color=BAND, zorder=0, linewidth=0)
        chars = int((hi - lo + 0.2) / total * axes_inches * 72 / (SMALL_SIZE * 0.58))
        ax.annotate(
            wrapped_label(f"{domain.number} {domain.title}", max(6, chars), 3),
            xy=((first + last) / 2, 0),
            xycoords=ax.get_xaxis_transform(),
            xytext=(0, -24),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=SMALL_SIZE,
            color=SECONDARY_TEXT,
            fontfamily=FONT,
        )


def outline_effect() -> list[AbstractPathEffect]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=6, foreground=DARK_BLUE)]
