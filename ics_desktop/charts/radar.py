"""The domains on a radar (or as bars when there are too few domains for a radar)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from ics_desktop.charts.look import (
    FLOOR,
    FONT,
    GRID,
    LABEL_SIZE,
    NO_SCORES,
    SECONDARY_TEXT,
    SMALL_SIZE,
    TEXT,
    add_footnote,
    add_legend,
    add_title,
    covered_codes,
    has_scores,
    mean_of,
    message_figure,
    new_figure,
    not_covered_note,
    question_colour,
    scale_labels,
    style_axes,
    top_level,
    wrapped_label,
)
from ics_desktop.frameworks.framework import Domain, Framework
from ics_desktop.frameworks.scoring import AssessmentResults

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes


# -- (d) domain radar ----------------------------------------------------------------------------


def _domain_means(framework: Framework, results: AssessmentResults, question: str) -> list[tuple[Domain, float | None]]:
    out: list[tuple[Domain, float | None]] = []
    for domain in framework.domains:
        covered = [c.code for c in domain.capabilities if c.covered]
        if not covered:
            continue
        means = [m for code in covered if (m := mean_of(results, code, question)) is not None]
        out.append((domain, sum(means) / len(means) if means else None))
    return out


def _domain_bars(framework: Framework, results: AssessmentResults, title: str, width: float, height: float) -> Figure:
    """Domain means per question as grouped bars (the radar's stand-in for one or two domains)."""
    from matplotlib.patches import Patch

    fig = new_figure(width, height)
    add_title(fig, title, width)
    ax = fig.add_subplot()
    style_axes(ax)
    questions = framework.questions
    each = 0.8 / max(1, len(questions))
    domains: list[Domain] = []
    for qi, q in enumerate(questions):
        means = _domain_means(framework, results, q.key)
        domains = [d for d, _ in means]
        for di, (_, mean) in enumerate(means):
            if mean is not None:
                x = di - 0.4 + each * (qi + 0.5)
                ax.bar(x, mean - FLOOR, bottom=FLOOR, width=each * 0.92, color=question_colour(q.key, qi), zorder=2)
                ax.text(x, mean + 0.05, f"{mean:.1f}", ha="center", va="bottom", fontsize=LABEL_SIZE, color=TEXT)
    levels, level_labels = scale_labels(framework)
    ax.set_yticks(levels, level_labels, fontfamily=FONT)
    ax.set_ylim(FLOOR - 0.05, top_level(framework) + 0.4)
    ax.set_xticks(
        range(len(domains)), [wrapped_label(f"{d.number} {d.title}", 40, 3) for d in domains], fontfamily=FONT
    )
    ax.set_xlim(-0.6, len(domains) - 0.4)
    handles = [Patch(color=question_colour(q.key, i)) for i, q in enumerate(questions)]
    add_legend(fig, ax, handles, [q.label for q in questions], width)
    add_footnote(fig, ["Each bar is the mean of the domain’s capability means.", not_covered_note(framework)], width)
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
    codes = covered_codes(framework)
    keys = framework.question_keys()
    if not has_scores(results, codes, keys):
        return message_figure(NO_SCORES, title, width=width, height=height)
    if len(_domain_means(framework, results, keys[0])) < 3:
        return _domain_bars(framework, results, title, width, height)

    from matplotlib.lines import Line2D

    fig = new_figure(width, height)
    add_title(fig, title, width)
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
    top = top_level(framework)
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
            wrapped_label(f"{domain.number} {domain.title}", 24, 3),
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
        colour = question_colour(q.key, qi)
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
        labels.append(wrapped_label(q.label, 28, 2) + (f"\noverall {overall:.1f}" if overall is not None else ""))
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
    add_footnote(
        fig,
        ["Each spoke is the mean of the domain’s capability means.", f"Scale: {scale}.", not_covered_note(framework)],
        width,
    )
    return fig
