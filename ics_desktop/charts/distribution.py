"""The distribution of scores per capability (stacked shares of each level)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ics_desktop.charts.look import (
    CHARTS,
    FONT,
    GREY,
    LABEL_SIZE,
    NO_SCORES,
    SECONDARY_TEXT,
    SMALL_SIZE,
    TEXT,
    add_footnote,
    add_legend,
    add_title,
    capability_label,
    covered_codes,
    drawable_text,
    has_scores,
    layout_rows,
    level_colour,
    message_figure,
    new_figure,
    not_covered_note,
    question_of,
    result_cell,
    row_height,
    style_axes,
    text_colour_on,
)
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import AssessmentResults

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
    q = question_of(framework, question)
    title = f"{CHARTS['distribution']}: {drawable_text(q.label)}" if title is None else title
    codes = covered_codes(framework)
    height = height if height is not None else row_height(len(codes))
    if not has_scores(results, codes, [question]):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.patches import Patch

    fig = new_figure(width, height)
    add_title(fig, title, width)
    ax = fig.add_subplot()
    style_axes(ax, grid_axis=None)
    ax.spines["bottom"].set_visible(False)
    rows = layout_rows(framework, codes, gap=0.45)
    levels = [s.level for s in framework.scale] or [1, 2, 3, 4]
    label_limit = max(24, int(width * 4.4))
    # Each level's segments are drawn in one call (one call per segment took most of the chart's time).
    segments: list[list[tuple[float, float, float, str]]] = [[] for _ in levels]
    for row in rows:
        cell = result_cell(results, row.code, question)
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
                colour = level_colour(li)
                segments[li].append((row.position, share, left, f"segment:{row.code}:{level}"))
                if share >= 0.045:
                    ax.text(
                        left + share / 2,
                        row.position,
                        str(count),
                        ha="center",
                        va="center",
                        fontsize=LABEL_SIZE - 0.5,
                        color=text_colour_on(colour),
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
    for li, drawn in enumerate(segments):
        if drawn:
            positions, shares, lefts, gids = zip(*drawn, strict=True)
            bars = ax.barh(
                positions, shares, left=lefts, height=0.7, color=level_colour(li), edgecolor="white", linewidth=1,
                zorder=2,
            )  # fmt: skip
            for bar, gid in zip(bars, gids, strict=True):
                bar.set_gid(gid)
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
        [capability_label(framework, r.code, label_limit) for r in rows],
        fontfamily=FONT,
        fontsize=LABEL_SIZE - 0.5,
        linespacing=1.1,
    )
    ax.set_ylim(rows[-1].position + 0.6, rows[0].position - 0.6)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    handles = [Patch(color=level_colour(i)) for i in range(len(levels))]
    add_legend(fig, ax, handles, [f"{s.level} {s.label}" for s in framework.scale], width)
    add_footnote(
        fig, ["Numbers in the bars are how many participants gave each level.", not_covered_note(framework)], width
    )
    return fig
