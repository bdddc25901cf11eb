"""Readiness charts: one module, one look, for the screens (a Qt canvas) and the exports (PNG bytes).

Every function returns a `matplotlib.figure.Figure` built with the object API (never pyplot state),
so figures can be made on any thread. matplotlib is imported inside the functions: importing this
module costs nothing until the first chart is needed.

Only capabilities covered on the programme are drawn; the rest are named in a note under the chart.
With no scores a function still returns a figure, saying so in the middle.
"""

from __future__ import annotations

import functools
import io
import math
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from .framework import Domain, Framework, Question
from .scoring import AssessmentResults, QuestionResult

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patheffects import AbstractPathEffect
    from matplotlib.projections.polar import PolarAxes

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
def _font_codepoints() -> frozenset[int]:
    """Code points DejaVu Sans can draw (matplotlib ships the font)."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(ft2font.FT2Font(path).get_charmap())


def _drawable(text: str) -> str:
    """`text` with what the font cannot draw removed (emoji, controls) or shown as □, spaces collapsed.

    Without this matplotlib warns for each missing glyph (an error under strict tests).
    """
    known = _font_codepoints()
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


def _escape(text: str) -> str:
    """Stop matplotlib reading `$…$` as mathematics."""
    return text.replace("$", r"\$")


def _label(text: str, width: int | None = None, max_lines: int | None = None) -> str:
    """Drawable text, wrapped to `width` characters and cut to `max_lines` with an ellipsis."""
    clean = _drawable(text)
    if width is None or len(clean) <= width:
        return _escape(clean)
    lines = textwrap.wrap(clean, max(4, width), break_long_words=True, break_on_hyphens=True)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: max(1, width - 1)].rstrip() if len(last) >= width else last.rstrip()) + "…"
    return _escape("\n".join(lines))


# -- reading results -----------------------------------------------------------------------------


def _question(framework: Framework, key: str) -> Question:
    for q in framework.questions:
        if q.key == key:
            return q
    known = ", ".join(framework.question_keys())
    raise ValueError(f"The framework has no question '{key}' (its questions are: {known}).")


def _cell(results: AssessmentResults, code: str, question: str) -> QuestionResult | None:
    return results.by_capability.get(code, {}).get(question)


def _mean(results: AssessmentResults, code: str, question: str) -> float | None:
    cell = _cell(results, code, question)
    return cell.mean if cell is not None else None


def _covered(framework: Framework) -> list[str]:
    return framework.covered_codes


def _has_scores(results: AssessmentResults, codes: Iterable[str], questions: Iterable[str]) -> bool:
    qs = list(questions)
    return any((c := _cell(results, code, q)) is not None and c.n > 0 for code in codes for q in qs)


def _not_covered_note(framework: Framework) -> str:
    missing = [c.code for c in framework.capabilities if not c.covered]
    return f"Not covered on this programme: {', '.join(missing)}." if missing else ""


def _n_note(results: AssessmentResults, codes: Sequence[str], question: str) -> str:
    ns = [c.n for code in codes if (c := _cell(results, code, question)) is not None and c.n > 0]
    if not ns:
        return ""
    low, high = min(ns), max(ns)
    span = f"{high}" if low == high else f"{low}–{high}"
    return f"Mean of participants’ scores (n = {span} per capability; “don’t know” is not counted)."


def _scale_labels(framework: Framework, width: int = 24) -> tuple[list[int], list[str]]:
    levels = [s.level for s in framework.scale] or [1, 2, 3, 4]
    return levels, [_label(f"{s.level} {s.label}", width, 3) for s in framework.scale] or [str(v) for v in levels]


def _top_level(framework: Framework) -> int:
    return max((s.level for s in framework.scale), default=4)


class _Row(NamedTuple):
    code: str
    domain: Domain
    position: float


def _layout_rows(framework: Framework, codes: Sequence[str], gap: float = 0.6) -> list[_Row]:
    """Positions 0, 1, 2 … for `codes`, with an extra gap between domains."""
    rows: list[_Row] = []
    pos = 0.0
    previous: str | None = None
    for code in codes:
        domain = framework.domain_of(code)
        if previous is not None and domain.number != previous:
            pos += gap
        rows.append(_Row(code, domain, pos))
        previous = domain.number
        pos += 1.0
    return rows


def _domain_spans(rows: Sequence[_Row]) -> list[tuple[Domain, float, float]]:
    """(domain, first position, last position) for each run of rows in one domain."""
    spans: list[tuple[Domain, float, float]] = []
    for row in rows:
        if spans and spans[-1][0].number == row.domain.number:
            spans[-1] = (spans[-1][0], spans[-1][1], row.position)
        else:
            spans.append((row.domain, row.position, row.position))
    return spans


# -- figure scaffolding --------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # Constrained layout runs at every draw, so nothing is cut off when a screen resizes the figure.
    engine = ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.1)
    return Figure(figsize=(width, height), dpi=100, facecolor="white", layout=engine)


def _title(fig: Figure, title: str, width: float) -> None:
    fig.suptitle(
        _label(title, max(20, int(width * 6.8)), 3),
        x=0.01,
        ha="left",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        color=TEXT,
        fontfamily=FONT,
    )


def _footnote(fig: Figure, lines: Iterable[str], width: float) -> None:
    wrap = max(30, int(width * 14))
    text = "\n".join(_label(line, wrap) for line in lines if line)
    if text:
        fig.supxlabel(text, x=0.01, ha="left", fontsize=SMALL_SIZE, color=SECONDARY_TEXT, fontfamily=FONT)


def _style(ax: Axes, *, grid_axis: Literal["x", "y", "both"] | None = "y") -> None:
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
    fig = _figure(width, height)
    if title:
        _title(fig, title, width)
    fig.text(
        0.5,
        0.5,
        _label(message, int(width * 5), 3),
        ha="center",
        va="center",
        fontsize=16,
        color=SECONDARY_TEXT,
        fontfamily=FONT,
    )
    return fig


def _legend(fig: Figure, ax: Axes, handles: Sequence[Artist], labels: Sequence[str], width: float) -> None:
    """A legend under the title, starting at the figure's left edge like the title (labels as typed)."""
    from matplotlib.transforms import blended_transform_factory

    labels = [_label(label, 34, 2) for label in labels]
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


def _question_colour(key: str, index: int) -> str:
    return QUESTION_COLOURS.get(key, _FALLBACK_COLOURS[index % len(_FALLBACK_COLOURS)])


def _level_colour(index: int) -> str:
    colours = LEVEL_COLOURS + _EXTRA_LEVEL_COLOURS
    return colours[index % len(colours)]


def _text_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.45 else TEXT


def _capability_label(framework: Framework, code: str, limit: int) -> str:
    """The code and the start of the statement, on up to two lines of `limit` characters."""
    try:
        statement = framework.capability(code).statement
    except KeyError:
        statement = ""
    return _label(f"{code}  {statement}", limit, 2) if _drawable(statement) else _label(code)


def _row_height(count: int) -> float:
    """Figure height for a chart with one two-line label per row."""
    return max(4.5, 2.3 + 0.46 * count)


def _unit_points(rows: Sequence[_Row], width: float) -> float:
    """Roughly how many points wide one capability's slot is on a chart with capabilities along x."""
    return width * 0.74 * 72 / (rows[-1].position - rows[0].position + 1.4)


def _fit(points: float, chars: int, largest: float, smallest: float = 7.0) -> tuple[float, bool]:
    """A font size at which `chars` characters fit in `points`, and whether to turn the text upright."""
    size = min(largest, points * 0.9 / (max(1, chars) * 0.64))
    return (size, False) if size >= smallest else (min(largest, max(smallest, points * 0.8)), True)


def _code_ticks(ax: Axes, rows: Sequence[_Row], width: float) -> None:
    """Capability codes along x, as large as the slots allow (upright when they cannot fit across)."""
    size, upright = _fit(_unit_points(rows, width), max(len(r.code) for r in rows), LABEL_SIZE + 1)
    ax.set_xticks(
        [r.position for r in rows],
        [_label(r.code) for r in rows],
        fontfamily=FONT,
        fontsize=size,
        rotation=90 if upright else 0,
    )
    ax.set_xlim(rows[0].position - 0.7, rows[-1].position + 0.7)
    ax.set_xlabel(" \n \n ", fontsize=SMALL_SIZE)  # room for the domain names drawn under the codes


def _domain_bands(ax: Axes, rows: Sequence[_Row], width: float) -> None:
    """Alternate background bands per domain on a chart with capabilities along x, names under the codes."""
    axes_inches = width * 0.74
    total = rows[-1].position - rows[0].position + 1.4
    for i, (domain, first, last) in enumerate(_domain_spans(rows)):
        lo, hi = first - 0.5 - 0.2, last + 0.5 + 0.2
        if i % 2 == 0:
            ax.axvspan(lo, hi, color=BAND, zorder=0, linewidth=0)
        chars = int((hi - lo + 0.2) / total * axes_inches * 72 / (SMALL_SIZE * 0.58))
        ax.annotate(
            _label(f"{domain.number} {domain.title}", max(6, chars), 3),
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


# -- (a) readiness bars --------------------------------------------------------------------------


def readiness_bars(
    framework: Framework,
    results: AssessmentResults,
    question: str = "now",
    *,
    agreed: Mapping[str, int | None] | None = None,
    title: str | None = None,
    width: float = 10.0,
    height: float = 5.5,
) -> Figure:
    """One bar per covered capability: the room's mean for `question`, domains banded, scale labels on the axis.

    `agreed` (capability code → agreed current level) adds a marker for the group's agreed figure.
    """
    q = _question(framework, question)
    title = q.text if title is None else title
    codes = _covered(framework)
    if not _has_scores(results, codes, [question]):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.lines import Line2D

    fig = _figure(width, height)
    _title(fig, title, width)
    ax = fig.add_subplot()
    _style(ax)
    rows = _layout_rows(framework, codes)
    top = _top_level(framework)
    bar_width = 0.62
    value_size, value_upright = _fit(_unit_points(rows, width) * 0.95, 3, LABEL_SIZE)
    band_of = {domain.number: i for i, (domain, _, _) in enumerate(_domain_spans(rows))}
    backgrounds = {r.code: BAND if band_of[r.domain.number] % 2 == 0 else "white" for r in rows}

    _domain_bands(ax, rows, width)

    handles: list[Artist] = []
    labels: list[str] = []
    for row in rows:
        mean = _mean(results, row.code, question)
        if mean is None:
            ax.text(
                row.position,
                FLOOR + 0.08,
                "no scores",
                rotation=90,
                ha="center",
                va="bottom",
                fontsize=SMALL_SIZE,
                color=GREY,
                fontfamily=FONT,
            )
            continue
        # On the scale's own range: a bar rises from its first level (1), not from 0.
        [bar] = ax.bar(row.position, mean - FLOOR, bottom=FLOOR, width=bar_width, color=BLUE, zorder=2)
        bar.set_gid(f"bar:{row.code}")
        level = agreed.get(row.code) if agreed else None
        if level is not None:
            ax.plot(
                [row.position - bar_width * 0.62, row.position + bar_width * 0.62],
                [level, level],
                color=ACCENT,
                linewidth=4,
                solid_capstyle="butt",
                zorder=3,
                path_effects=_outline(),
            )
        # The value sits on its own bar: inside its top when the bar is tall enough (white on blue, where the
        # overall line, drawn behind the bars, cannot strike it), else just above it; and clear of the agreed
        # marker, which it moves below when the marker is at the top of the bar.
        inside = mean - FLOOR >= 0.55
        near_marker = level is not None and abs(level - mean) < 0.3
        if inside:
            y, va, colour = (mean - 0.32 if near_marker else mean - 0.06), "top", "white"
        else:
            y, va, colour = (max(mean, level or 0) + 0.1 if near_marker else mean + 0.07), "bottom", TEXT
        ax.text(
            row.position,
            y,
            f"{mean:.1f}",
            ha="center",
            va=va,
            fontsize=value_size,
            rotation=90 if value_upright else 0,
            fontweight="bold",
            color=colour,
            fontfamily=FONT,
            zorder=4,
            bbox=None
            if inside
            else {"boxstyle": "square,pad=0.12", "facecolor": backgrounds[row.code], "edgecolor": "none"},
        )
    if agreed and any(agreed.get(code) is not None for code in codes):
        handles.append(Line2D([], [], color=ACCENT, linewidth=4, path_effects=_outline()))
        labels.append("Agreed current maturity")

    overall = results.overall(question)
    if overall is not None:
        ax.axhline(overall, color=DARK_BLUE, linewidth=1.2, linestyle=(0, (5, 3)), zorder=1)
        ax.annotate(
            f"Overall\n{overall:.1f}",
            xy=(1.0, overall),
            xycoords=ax.get_yaxis_transform(),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=LABEL_SIZE,
            fontweight="bold",
            color=DARK_BLUE,
            fontfamily=FONT,
        )

    levels, level_labels = _scale_labels(framework)
    ax.set_yticks(levels, level_labels, fontfamily=FONT)
    ax.set_ylim(FLOOR - 0.05, top + (0.65 if value_upright else 0.45))
    _code_ticks(ax, rows, width)
    if handles:
        _legend(fig, ax, handles, labels, width)
    _footnote(fig, [_n_note(results, codes, question), _not_covered_note(framework)], width)
    return fig


def _outline() -> list[AbstractPathEffect]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=6, foreground=DARK_BLUE)]


# -- (b) questions side by side ------------------------------------------------------------------


def questions_side_by_side(
    framework: Framework,
    results: AssessmentResults,
    *,
    title: str | None = None,
    width: float = 10.0,
    height: float = 5.5,
) -> Figure:
    """Grouped bars per covered capability: one bar per question (now, aspire, realistic)."""
    title = "Mean score by capability and question" if title is None else title
    codes = _covered(framework)
    keys = framework.question_keys()
    if not _has_scores(results, codes, keys):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.patches import Patch

    fig = _figure(width, height)
    _title(fig, title, width)
    ax = fig.add_subplot()
    _style(ax)
    rows = _layout_rows(framework, codes, gap=0.5)
    group = 0.8
    each = group / max(1, len(keys))
    bar_points = each * _unit_points(rows, width)
    show_values = bar_points >= 15  # values only where they can be read
    _domain_bands(ax, rows, width)
    for qi, key in enumerate(keys):
        colour = _question_colour(key, qi)
        offset = -group / 2 + each * (qi + 0.5)
        for row in rows:
            mean = _mean(results, row.code, key)
            if mean is None:
                continue
            [bar] = ax.bar(row.position + offset, mean - FLOOR, bottom=FLOOR, width=each * 0.92, color=colour, zorder=2)
            bar.set_gid(f"bar:{row.code}:{key}")
            if show_values:
                ax.text(
                    row.position + offset,
                    mean + 0.05,
                    f"{mean:.1f}",
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color=TEXT,
                    fontfamily=FONT,
                    rotation=90 if bar_points < 22 else 0,
                )
    levels, level_labels = _scale_labels(framework)
    ax.set_yticks(levels, level_labels, fontfamily=FONT)
    ax.set_ylim(FLOOR - 0.05, _top_level(framework) + (0.5 if show_values else 0.15))
    _code_ticks(ax, rows, width)
    handles = [Patch(color=_question_colour(k, i)) for i, k in enumerate(keys)]
    _legend(fig, ax, handles, [q.label for q in framework.questions], width)
    _footnote(fig, [_n_note(results, codes, keys[0]), _not_covered_note(framework)], width)
    return fig


# -- (c) distribution ----------------------------------------------------------------------------


def distribution(
    framework: Framework,
    results: AssessmentResults,
    question: str = "now",
    *,
    title: str | None = None,
    width: float = 10.0,
    height: float | None = None,
) -> Figure:
    """Per covered capability a 100% bar of how many scored each level; n and don't know at the right."""
    q = _question(framework, question)
    title = f"{CHARTS['distribution']}: {_drawable(q.label)}" if title is None else title
    codes = _covered(framework)
    height = height if height is not None else _row_height(len(codes))
    if not _has_scores(results, codes, [question]):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.patches import Patch

    fig = _figure(width, height)
    _title(fig, title, width)
    ax = fig.add_subplot()
    _style(ax, grid_axis=None)
    ax.spines["bottom"].set_visible(False)
    rows = _layout_rows(framework, codes, gap=0.45)
    levels = [s.level for s in framework.scale] or [1, 2, 3, 4]
    label_limit = max(24, int(width * 4.4))
    for row in rows:
        cell = _cell(results, row.code, question)
        n = cell.n if cell is not None else 0
        dont_know = cell.dont_know if cell is not None else 0
        left = 0.0
        if n:
            assert cell is not None
            for li, level in enumerate(levels):
                count = cell.counts.get(level, 0)
                if not count:
                    continue
                share = count / n
                colour = _level_colour(li)
                [seg] = ax.barh(
                    row.position, share, left=left, height=0.7, color=colour, edgecolor="white", linewidth=1, zorder=2
                )
                seg.set_gid(f"segment:{row.code}:{level}")
                if share >= 0.045:
                    ax.text(
                        left + share / 2,
                        row.position,
                        str(count),
                        ha="center",
                        va="center",
                        fontsize=LABEL_SIZE - 0.5,
                        color=_text_on(colour),
                        fontfamily=FONT,
                        zorder=3,
                    )
                left += share
        else:
            ax.text(
                0.01,
                row.position,
                "no scores",
                ha="left",
                va="center",
                fontsize=SMALL_SIZE,
                color=GREY,
                fontfamily=FONT,
            )
        ax.text(
            1.03,
            row.position,
            str(n),
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color=TEXT,
            fontfamily=FONT,
            transform=ax.get_yaxis_transform(),
        )
        ax.text(
            1.11,
            row.position,
            str(dont_know) if dont_know else "–",
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color=TEXT if dont_know else GREY,
            fontfamily=FONT,
            transform=ax.get_yaxis_transform(),
        )
    header_y = rows[0].position - 0.75
    for x, text in ((1.03, "n"), (1.11, "Don’t\nknow")):
        ax.text(
            x,
            header_y,
            text,
            ha="center",
            va="bottom",
            fontsize=SMALL_SIZE,
            color=SECONDARY_TEXT,
            fontfamily=FONT,
            transform=ax.get_yaxis_transform(),
        )
    ax.set_yticks(
        [r.position for r in rows],
        [_capability_label(framework, r.code, label_limit) for r in rows],
        fontfamily=FONT,
        fontsize=LABEL_SIZE - 0.5,
        linespacing=1.1,
    )
    ax.set_ylim(rows[-1].position + 0.6, rows[0].position - 0.6)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    handles = [Patch(color=_level_colour(i)) for i in range(len(levels))]
    _legend(fig, ax, handles, [f"{s.level} {s.label}" for s in framework.scale], width)
    _footnote(
        fig, ["Numbers in the bars are how many participants gave each level.", _not_covered_note(framework)], width
    )
    return fig


# -- (d) domain radar ----------------------------------------------------------------------------


def _domain_means(framework: Framework, results: AssessmentResults, question: str) -> list[tuple[Domain, float | None]]:
    out: list[tuple[Domain, float | None]] = []
    for domain in framework.domains:
        covered = [c.code for c in domain.capabilities if c.covered]
        if not covered:
            continue
        means = [m for code in covered if (m := _mean(results, code, question)) is not None]
        out.append((domain, sum(means) / len(means) if means else None))
    return out


def _domain_bars(framework: Framework, results: AssessmentResults, title: str, width: float, height: float) -> Figure:
    """Domain means per question as grouped bars (the radar's stand-in for one or two domains)."""
    from matplotlib.patches import Patch

    fig = _figure(width, height)
    _title(fig, title, width)
    ax = fig.add_subplot()
    _style(ax)
    questions = framework.questions
    each = 0.8 / max(1, len(questions))
    domains: list[Domain] = []
    for qi, q in enumerate(questions):
        means = _domain_means(framework, results, q.key)
        domains = [d for d, _ in means]
        for di, (_, mean) in enumerate(means):
            if mean is not None:
                x = di - 0.4 + each * (qi + 0.5)
                ax.bar(x, mean - FLOOR, bottom=FLOOR, width=each * 0.92, color=_question_colour(q.key, qi), zorder=2)
                ax.text(x, mean + 0.05, f"{mean:.1f}", ha="center", va="bottom", fontsize=LABEL_SIZE, color=TEXT)
    levels, level_labels = _scale_labels(framework)
    ax.set_yticks(levels, level_labels, fontfamily=FONT)
    ax.set_ylim(FLOOR - 0.05, _top_level(framework) + 0.4)
    ax.set_xticks(range(len(domains)), [_label(f"{d.number} {d.title}", 40, 3) for d in domains], fontfamily=FONT)
    ax.set_xlim(-0.6, len(domains) - 0.4)
    handles = [Patch(color=_question_colour(q.key, i)) for i, q in enumerate(questions)]
    _legend(fig, ax, handles, [q.label for q in questions], width)
    _footnote(fig, ["Each bar is the mean of the domain’s capability means.", _not_covered_note(framework)], width)
    return fig


def domain_radar(
    framework: Framework,
    results: AssessmentResults,
    *,
    title: str | None = None,
    width: float = 10.0,
    height: float = 6.0,
) -> Figure:
    """One spoke per domain (mean of its covered capabilities' means), one polygon per question.

    With fewer than three domains covered a radar says nothing a bar chart does not: bars are drawn.
    """
    title = "Maturity by domain" if title is None else title
    codes = _covered(framework)
    keys = framework.question_keys()
    if not _has_scores(results, codes, keys):
        return message_figure(NO_SCORES, title, width=width, height=height)
    if len(_domain_means(framework, results, keys[0])) < 3:
        return _domain_bars(framework, results, title, width, height)

    from matplotlib.lines import Line2D

    fig = _figure(width, height)
    _title(fig, title, width)
    # The radar and its spoke names on the left, the legend in a column of its own on the right.
    grid = fig.add_gridspec(1, 2, width_ratios=[2.4, 1])
    ax = cast("PolarAxes", fig.add_subplot(grid[0], projection="polar"))
    key_ax = fig.add_subplot(grid[1])
    key_ax.set_axis_off()
    domains = [d for d, _ in _domain_means(framework, results, keys[0])]
    count = len(domains)
    angles = [2 * math.pi * i / count for i in range(count)]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    top = _top_level(framework)
    ax.set_ylim(0, top)
    levels = [s.level for s in framework.scale] or [1, 2, 3, 4]
    ax.set_yticks(levels, [str(v) for v in levels], fontsize=SMALL_SIZE, color=SECONDARY_TEXT, fontfamily=FONT)
    ax.set_rlabel_position(180 / count if count > 1 else 22.5)
    # Spoke names drawn as text so each can lean away from the circle (tick labels are centred on it).
    ax.set_xticks(angles, [""] * count)
    for angle, domain in zip(angles, domains, strict=True):
        x, y = math.sin(angle), math.cos(angle)
        ax.text(
            angle,
            top * 1.1,
            _label(f"{domain.number} {domain.title}", 24, 3),
            ha="center" if abs(x) < 0.3 else "left" if x > 0 else "right",
            va="center" if abs(y) < 0.3 else "bottom" if y > 0 else "top",
            fontsize=LABEL_SIZE,
            color=TEXT,
            fontfamily=FONT,
        )
    ax.grid(color=GRID, linewidth=0.8)
    ax.spines["polar"].set_color(GRID)
    ax.set_facecolor("white")

    handles: list[Artist] = []
    labels: list[str] = []
    for qi, q in enumerate(framework.questions):
        values = [m for _, m in _domain_means(framework, results, q.key)]
        if all(v is None for v in values):
            continue
        colour = _question_colour(q.key, qi)
        points = [(a, v) for a, v in zip(angles, values, strict=True) if v is not None]
        if len(points) == count and count > 2:  # close the polygon
            xs = [a for a, _ in points] + [points[0][0]]
            ys = [v for _, v in points] + [points[0][1]]
            ax.fill(xs, ys, color=colour, alpha=0.10, zorder=2)
        else:
            xs = [a for a, _ in points]
            ys = [v for _, v in points]
        ax.plot(xs, ys, color=colour, linewidth=2.2, marker="o", markersize=5, zorder=3)
        handles.append(Line2D([], [], color=colour, linewidth=2.2, marker="o", markersize=5))
        overall = results.overall(q.key)
        labels.append(_label(q.label, 28, 2) + (f"\noverall {overall:.1f}" if overall is not None else ""))
    key_ax.legend(
        handles,
        labels,
        loc="center left",
        frameon=False,
        fontsize=LABEL_SIZE,
        labelcolor=TEXT,
        labelspacing=1.0,
        borderaxespad=0.0,
    )
    scale = " · ".join(f"{s.level} {s.label}" for s in framework.scale)
    _footnote(
        fig,
        ["Each spoke is the mean of the domain’s capability means.", f"Scale: {scale}.", _not_covered_note(framework)],
        width,
    )
    return fig


# -- (e) change between two rounds ---------------------------------------------------------------


# The earlier assessment's score: a hollow grey ring, on the chart and in its legend.
_BEFORE_MARKER: dict[str, Any] = {
    "markersize": 9, "markerfacecolor": "white", "markeredgecolor": GREY, "markeredgewidth": 2,
}  # fmt: skip


def change_between(
    framework: Framework,
    before: AssessmentResults,
    after: AssessmentResults,
    question: str = "now",
    *,
    before_label: str = "Before",
    after_label: str = "After",
    title: str | None = None,
    width: float = 10.0,
    height: float | None = None,
) -> Figure:
    """Per capability an arrow from the earlier mean to the later one: up green, down red, same grey.

    Capabilities are matched by code (the two rounds may use different framework versions); one
    scored in only one round is shown as a single dot.
    """
    q = _question(framework, question)
    title = (
        f"Change from {_drawable(before_label)} to {_drawable(after_label)}: {_drawable(q.label)}"
        if title is None
        else title
    )
    # Coverage is this programme's (`framework`); capabilities the earlier version had and this one
    # does not (retired or renumbered) follow, so nothing scored earlier silently disappears.
    known = {c.code for c in framework.capabilities}
    codes = _covered(framework)
    extra = [c.code for c in before.framework.capabilities if c.covered and c.code not in known]
    height = height if height is not None else _row_height(len(codes) + len(extra))
    if not (_has_scores(before, codes + extra, [question]) or _has_scores(after, codes + extra, [question])):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.lines import Line2D

    fig = _figure(width, height)
    _title(fig, title, width)
    ax = fig.add_subplot()
    _style(ax, grid_axis="x")
    rows = _layout_rows(framework, codes, gap=0.45)
    if extra:
        start = (rows[-1].position + 1.45) if rows else 0.0
        extra_rows = _layout_rows(before.framework, extra, gap=0.45)
        rows += [_Row(r.code, r.domain, r.position + start) for r in extra_rows]
    for i, (_, first, last) in enumerate(_domain_spans(rows)):
        if i % 2 == 0:
            ax.axhspan(first - 0.5 - 0.1, last + 0.5 + 0.1, color=BAND, zorder=0, linewidth=0)

    delta_x = 1.02
    only_after = False
    for row in rows:
        was, now = _mean(before, row.code, question), _mean(after, row.code, question)
        if was is not None and now is not None:
            diff = float(f"{now - was:.1f}")  # judged as shown, to one decimal
            colour = GREEN if diff > 0 else WARNING if diff < 0 else GREY
            if diff:
                ax.annotate(
                    "",
                    xy=(now, row.position),
                    xytext=(was, row.position),
                    arrowprops={
                        "arrowstyle": "-|>,head_length=0.5,head_width=0.3",
                        "color": colour,
                        "linewidth": 2.2,
                        "shrinkA": 5,
                        "shrinkB": 4,
                    },
                    zorder=2,
                )
            ax.plot([was], [row.position], "o", zorder=3, **_BEFORE_MARKER)
            ax.plot([now], [row.position], "o", markersize=9, color=colour, zorder=4)
            sign = "+" if diff > 0 else "−" if diff < 0 else ""
            text, text_colour = (f"{sign}{abs(diff):.1f}" if diff else "no change"), colour
        elif was is not None:
            ax.plot([was], [row.position], "o", zorder=3, **_BEFORE_MARKER)
            text, text_colour = "no later score", GREY
        elif now is not None:
            ax.plot([now], [row.position], "o", markersize=9, color=BLUE, zorder=4)
            only_after = True
            text, text_colour = "no earlier score", GREY
        else:
            text, text_colour = "no scores", GREY
        ax.text(
            delta_x,
            row.position,
            text,
            ha="left",
            va="center",
            fontsize=LABEL_SIZE,
            color=text_colour,
            fontweight="bold" if text_colour in (GREEN, WARNING) else "normal",
            fontfamily=FONT,
            transform=ax.get_yaxis_transform(),
        )
    ax.text(
        delta_x,
        rows[0].position - 0.75,
        "Change",
        ha="left",
        va="bottom",
        fontsize=SMALL_SIZE,
        color=SECONDARY_TEXT,
        fontfamily=FONT,
        transform=ax.get_yaxis_transform(),
    )

    label_limit = max(24, int(width * 4.4))
    labels_fw = {r.code: (framework if r.code in known else before.framework) for r in rows}
    ax.set_yticks(
        [r.position for r in rows],
        [_capability_label(labels_fw[r.code], r.code, label_limit) for r in rows],
        fontfamily=FONT,
        fontsize=LABEL_SIZE - 0.5,
        linespacing=1.1,
    )
    ax.set_ylim(rows[-1].position + 0.6, rows[0].position - 0.6)
    levels, level_labels = _scale_labels(framework, width=16)
    ax.set_xticks(levels, level_labels, fontfamily=FONT)
    ax.set_xlim(min(levels) - 0.25, max(levels) + 0.25)
    ax.tick_params(axis="x", labelsize=SMALL_SIZE + 0.5)
    ax.spines["bottom"].set_visible(False)

    handles = [
        Line2D([], [], linestyle="", marker="o", **_BEFORE_MARKER),
        Line2D([], [], linestyle="", marker="o", markersize=9, color=GREEN),
        Line2D([], [], linestyle="", marker="o", markersize=9, color=WARNING),
        Line2D([], [], linestyle="", marker="o", markersize=9, color=GREY),
    ]
    labels = [before_label, f"{after_label}: higher", "lower", "no change"]
    if only_after:
        handles.append(Line2D([], [], linestyle="", marker="o", markersize=9, color=BLUE))
        labels.append("no earlier score")
    _legend(fig, ax, handles, labels, width)
    not_covered = [c.code for c in framework.capabilities if not c.covered]
    _footnote(
        fig,
        [
            "Dots are mean scores; arrows show the change. A capability scored in only one round has one dot.",
            f"Not covered on this programme: {', '.join(not_covered)}." if not_covered else "",
        ],
        width,
    )
    return fig


# -- rendering and dispatch ----------------------------------------------------------------------


def figure_png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, drawn with Agg (safe on any thread; the figure's own canvas is kept)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    previous, previous_dpi, previous_face = fig.canvas, fig.dpi, fig.get_facecolor()
    buffer = io.BytesIO()
    try:
        # One draw, laying out and rasterising together: `print_figure` draws a figure with a layout
        # engine twice (once to lay it out), about a tenth more time per chart.
        canvas = FigureCanvasAgg(fig)
        fig.dpi = dpi
        fig.set_facecolor("white")
        canvas.draw()  # type: ignore[no-untyped-call]
        pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        image = Image.frombuffer("RGBA", canvas.get_width_height(), pixels, "raw", "RGBA", 0, 1)
        # Fast PNG compression: the documents compress again anyway, and level 6 took most of the time.
        image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=1)
    finally:
        fig.dpi = previous_dpi
        fig.set_facecolor(previous_face)
        fig.set_canvas(previous)
        release_pixels(fig)
    return buffer.getvalue()


def release_pixels(fig: Figure) -> None:
    """Let the figure's texts forget the renderer they were last drawn with.

    Every text drawn keeps its renderer, pixel buffer and all (tens of MB for a page-high chart at
    print resolution), and a figure is a web of cycles, so without this the buffer would outlive the
    drawing until Python's rare full garbage collection.
    """
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text._renderer = None  # type: ignore[attr-defined]


def build_chart(
    key: str,
    framework: Framework,
    results: AssessmentResults,
    *,
    question: str = "now",
    previous: AssessmentResults | None = None,
    agreed: Mapping[str, int | None] | None = None,
    previous_label: str = "Previous assessment",
    current_label: str = "This assessment",
) -> Figure:
    """The chart called `key` in CHARTS, built from `results` (and `previous` for "change")."""
    # The agreed figures are the group's *current* maturity: marked only on the first question's chart.
    first_question = bool(framework.questions) and framework.questions[0].key == question
    named = (previous_label, current_label) != ("Previous assessment", "This assessment")
    builders: dict[str, Callable[[], Figure]] = {
        "now": lambda: readiness_bars(framework, results, question, agreed=agreed if first_question else None),
        "questions": lambda: questions_side_by_side(framework, results),
        "distribution": lambda: distribution(framework, results, question),
        "radar": lambda: domain_radar(framework, results),
        "change": lambda: (
            message_figure(NO_PREVIOUS, CHARTS["change"])
            if previous is None
            else change_between(
                framework,
                previous,
                results,
                question,
                before_label=previous_label,
                after_label=current_label,
                title=None if named else f"{CHARTS['change']}: {_question(framework, question).label}",
            )
        ),
    }
    if key not in builders:
        raise KeyError(f"Unknown chart '{key}' (known: {', '.join(CHARTS)})")
    return builders[key]()
