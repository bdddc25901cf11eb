""" "Where are we now?": a bar per capability with the agreed marker and the overall line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ics_desktop.charts.look import (
    ACCENT,
    BAND,
    BLUE,
    DARK_BLUE,
    FLOOR,
    FONT,
    GREY,
    LABEL_SIZE,
    NO_SCORES,
    SMALL_SIZE,
    TEXT,
    add_footnote,
    add_legend,
    add_title,
    code_ticks,
    covered_codes,
    domain_bands,
    domain_spans,
    fitted_size,
    has_scores,
    layout_rows,
    mean_of,
    message_figure,
    new_figure,
    not_covered_note,
    outline_effect,
    question_of,
    respondents_note,
    scale_labels,
    style_axes,
    top_level,
    unit_points,
)
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import AssessmentResults

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure


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
    q = question_of(framework, question)
    title = q.text if title is None else title
    codes = covered_codes(framework)
    if not has_scores(results, codes, [question]):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.lines import Line2D

    fig = new_figure(width, height)
    add_title(fig, title, width)
    ax = fig.add_subplot()
    style_axes(ax)
    rows = layout_rows(framework, codes)
    top = top_level(framework)
    bar_width = 0.62
    value_size, value_upright = fitted_size(unit_points(rows, width) * 0.95, 3, LABEL_SIZE)
    band_of = {domain.number: i for i, (domain, _, _) in enumerate(domain_spans(rows))}
    backgrounds = {r.code: BAND if band_of[r.domain.number] % 2 == 0 else "white" for r in rows}

    domain_bands(ax, rows, width)

    handles: list[Artist] = []
    labels: list[str] = []
    for row in rows:
        mean = mean_of(results, row.code, question)
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
                path_effects=outline_effect(),
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
        handles.append(Line2D([], [], color=ACCENT, linewidth=4, path_effects=outline_effect()))
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

    levels, level_labels = scale_labels(framework)
    ax.set_yticks(levels, level_labels, fontfamily=FONT)
    ax.set_ylim(FLOOR - 0.05, top + (0.65 if value_upright else 0.45))
    code_ticks(ax, rows, width)
    if handles:
        add_legend(fig, ax, handles, labels, width)
    add_footnote(fig, [respondents_note(results, codes, question), not_covered_note(framework)], width)
    return fig
