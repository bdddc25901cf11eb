"""Now, aspire and realistic side by side per capability."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ics_desktop.charts.look import (
    FLOOR,
    FONT,
    NO_SCORES,
    TEXT,
    add_footnote,
    add_legend,
    add_title,
    code_ticks,
    covered_codes,
    domain_bands,
    has_scores,
    layout_rows,
    mean_of,
    message_figure,
    new_figure,
    not_covered_note,
    question_colour,
    respondents_note,
    scale_labels,
    style_axes,
    top_level,
    unit_points,
)
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import AssessmentResults

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
    codes = covered_codes(framework)
    keys = framework.question_keys()
    if not has_scores(results, codes, keys):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.patches import Patch

    fig = new_figure(width, height)
    add_title(fig, title, width)
    ax = fig.add_subplot()
    style_axes(ax)
    rows = layout_rows(framework, codes, gap=0.5)
    group = 0.8
    each = group / max(1, len(keys))
    bar_points = each * unit_points(rows, width)
    show_values = bar_points >= 15  # values only where they can be read
    domain_bands(ax, rows, width)
    for qi, key in enumerate(keys):
        colour = question_colour(key, qi)
        offset = -group / 2 + each * (qi + 0.5)
        for row in rows:
            mean = mean_of(results, row.code, key)
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
    levels, level_labels = scale_labels(framework)
    ax.set_yticks(levels, level_labels, fontfamily=FONT)
    ax.set_ylim(FLOOR - 0.05, top_level(framework) + (0.5 if show_values else 0.15))
    code_ticks(ax, rows, width)
    handles = [Patch(color=question_colour(k, i)) for i, k in enumerate(keys)]
    add_legend(fig, ax, handles, [q.label for q in framework.questions], width)
    add_footnote(fig, [respondents_note(results, codes, keys[0]), not_covered_note(framework)], width)
    return fig
