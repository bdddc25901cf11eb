"""The change since the previous assessment, capability by capability."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ics_desktop.charts.look import (
    BAND,
    BLUE,
    FONT,
    GREEN,
    GREY,
    LABEL_SIZE,
    NO_SCORES,
    SECONDARY_TEXT,
    SMALL_SIZE,
    WARNING,
    ChartRow,
    add_footnote,
    add_legend,
    add_title,
    capability_label,
    covered_codes,
    domain_spans,
    drawable_text,
    has_scores,
    layout_rows,
    mean_of,
    message_figure,
    new_figure,
    question_of,
    row_height,
    scale_labels,
    style_axes,
)
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import AssessmentResults

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
    q = question_of(framework, question)
    title = (
        f"Change from {drawable_text(before_label)} to {drawable_text(after_label)}: {drawable_text(q.label)}"
        if title is None
        else title
    )
    # Coverage is this programme's (`framework`); capabilities the earlier version had and this one
    # does not (retired or renumbered) follow, so nothing scored earlier silently disappears.
    known = {c.code for c in framework.capabilities}
    codes = covered_codes(framework)
    extra = [c.code for c in before.framework.capabilities if c.covered and c.code not in known]
    height = height if height is not None else row_height(len(codes) + len(extra))
    if not (has_scores(before, codes + extra, [question]) or has_scores(after, codes + extra, [question])):
        return message_figure(NO_SCORES, title, width=width, height=height)

    from matplotlib.lines import Line2D

    fig = new_figure(width, height)
    add_title(fig, title, width)
    ax = fig.add_subplot()
    style_axes(ax, grid_axis="x")
    rows = layout_rows(framework, codes, gap=0.45)
    if extra:
        start = (rows[-1].position + 1.45) if rows else 0.0
        extra_rows = layout_rows(before.framework, extra, gap=0.45)
        rows += [ChartRow(r.code, r.domain, r.position + start) for r in extra_rows]
    for i, (_, first, last) in enumerate(domain_spans(rows)):
        if i % 2 == 0:
            ax.axhspan(first - 0.5 - 0.1, last + 0.5 + 0.1, color=BAND, zorder=0, linewidth=0)

    delta_x = 1.02
    only_after = False
    for row in rows:
        was, now = mean_of(before, row.code, question), mean_of(after, row.code, question)
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
        [capability_label(labels_fw[r.code], r.code, label_limit) for r in rows],
        fontfamily=FONT,
        fontsize=LABEL_SIZE - 0.5,
        linespacing=1.1,
    )
    ax.set_ylim(rows[-1].position + 0.6, rows[0].position - 0.6)
    levels, level_labels = scale_labels(framework, width=16)
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
    add_legend(fig, ax, handles, labels, width)
    not_covered = [c.code for c in framework.capabilities if not c.covered]
    add_footnote(
        fig,
        [
            "Dots are mean scores; arrows show the change. A capability scored in only one round has one dot.",
            f"Not covered on this programme: {', '.join(not_covered)}." if not_covered else "",
        ],
        width,
    )
    return fig
