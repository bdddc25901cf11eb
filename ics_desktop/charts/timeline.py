"""The roadmap's timeline: milestones and actions per area of focus, by quarter (same look as the charts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ics_desktop.charts.look import (
    ACCENT,
    BLUE,
    DARK_BLUE,
    GREEN,
    GREY,
    LABEL_SIZE,
    SECONDARY_TEXT,
    SMALL_SIZE,
    TEXT,
    WARNING,
    add_title,
    drawable_text,
    message_figure,
    new_figure,
    style_axes,
    wrapped_label,
)
from ics_desktop.planning.roadmap import TimelineItem, quarter_label, quarter_start

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TITLE = "Roadmap: milestones and actions by quarter"
NOTHING = "No milestones or actions with due dates yet"
_DONE = {"done", "achieved"}
MAX_LABELLED_MILESTONES = 24
_LATE = {"missed", "blocked", "at risk"}


def _next_quarter(day: date) -> date:
    month = day.month + 3
    return date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _colour(item: TimelineItem, today: date) -> str:
    if item.status in _DONE:
        return GREEN
    if item.status in _LATE or (item.due < today and item.status not in ("dropped",)):
        return WARNING
    return BLUE if item.kind == "action" else DARK_BLUE


YEAR_TICKS_AFTER = 8  # more quarters than this and the axis is labelled by year (quarter labels run together)


def milestone_numbers(by_area: Mapping[str, Sequence[TimelineItem]]) -> dict[tuple[str, date], int]:
    """Each milestone's number on the chart and in its key: by due date, then title; a milestone shared by
    several areas of focus is one milestone with one number."""
    keys = {(i.title, i.due) for rows in by_area.values() for i in rows if i.kind == "milestone"}
    return {key: n for n, key in enumerate(sorted(keys, key=lambda k: (k[1], k[0])), start=1)}


def _once(by_area: Mapping[str, Sequence[TimelineItem]]) -> dict[str, list[TimelineItem]]:
    """The rows to draw: a milestone shared by several areas is drawn once, in the first of them."""
    seen: set[tuple[str, date]] = set()
    rows: dict[str, list[TimelineItem]] = {}
    for area, items in by_area.items():
        rows[area] = []
        for item in items:
            if item.kind == "milestone":
                if (item.title, item.due) in seen:
                    continue
                seen.add((item.title, item.due))
            rows[area].append(item)
    return rows


def timeline_chart(
    by_area: Mapping[str, Sequence[TimelineItem]],
    *,
    today: date | None = None,
    title: str = TITLE,
    width: float = 11.0,
    height: float | None = None,
    label_milestones: bool = True,
    numbered: bool = False,
) -> Figure:
    """One row per area of focus; milestones as diamonds (labelled, or numbered for a key table beneath),
    actions as dots (several in one week: one dot with their count); a column per quarter, or per year
    past two years."""
    from matplotlib.lines import Line2D

    today = today or date.today()
    numbers = milestone_numbers(by_area)
    by_area = _once(by_area)
    items = [i for rows in by_area.values() for i in rows]
    if not items:
        return message_figure(NOTHING, title, width=width, height=height or 4.0)
    areas = list(by_area)
    height = height or max(3.6, 1.6 + 0.95 * len(areas))
    fig = new_figure(width, height)
    add_title(fig, title, width)
    ax = fig.add_subplot()
    style_axes(ax, grid_axis=None)
    start = quarter_start(min(i.due for i in items))
    # One spare quarter on the right leaves room for the last milestones' labels.
    end = _next_quarter(_next_quarter(quarter_start(max(i.due for i in items))))
    quarters = []
    q = start
    while q < end:
        quarters.append(q)
        q = _next_quarter(q)
    if len(quarters) > YEAR_TICKS_AFTER:
        years = list(range(start.year, end.year + (1 if end > date(end.year, 1, 1) else 0)))
        for year in years:
            if year % 2 == 0:
                low, high = max(date(year, 1, 1), start), min(date(year + 1, 1, 1), end)
                ax.axvspan(low.toordinal(), high.toordinal(), color="#f0f4f5", zorder=0)
        middles = [(max(date(y, 1, 1), start).toordinal() + min(date(y + 1, 1, 1), end).toordinal()) / 2 for y in years]
        ax.set_xticks(middles)
        ax.set_xticklabels([str(y) for y in years], fontsize=LABEL_SIZE)
    else:
        for index, q in enumerate(quarters):
            if index % 2 == 0:
                ax.axvspan(q.toordinal(), _next_quarter(q).toordinal(), color="#f0f4f5", zorder=0)
        ax.set_xticks([(q.toordinal() + _next_quarter(q).toordinal()) / 2 for q in quarters])
        ax.set_xticklabels([quarter_label(q) for q in quarters], fontsize=LABEL_SIZE)
    ax.set_xlim(start.toordinal(), end.toordinal())
    if start <= today < end:
        ax.axvline(today.toordinal(), color=ACCENT, linewidth=2, zorder=1)
        ax.text(today.toordinal(), len(areas) - 0.45, " today", color=TEXT, fontsize=SMALL_SIZE, va="bottom")
    # Points are drawn in one call per marker and colour (10,000 actions must not mean 10,000 artists);
    # milestone labels only while they can be read.
    points: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    milestones = sum(1 for i in items if i.kind == "milestone")
    label = label_milestones and milestones <= MAX_LABELLED_MILESTONES
    for row, area in enumerate(areas):
        y = len(areas) - 1 - row
        same_day: dict[date, list[TimelineItem]] = {}
        week: dict[date, list[TimelineItem]] = {}
        for item in by_area[area]:
            if item.kind == "milestone":
                same_day.setdefault(item.due, []).append(item)
            else:  # actions due in one week are one dot with their count, never a smear of dots
                week.setdefault(item.due - timedelta(days=item.due.weekday()), []).append(item)
        for monday, group in week.items():
            worst = min(group, key=lambda i: (_colour(i, today) != WARNING, _colour(i, today) == GREEN))
            xs, ys = points.setdefault(("o", _colour(worst, today)), ([], []))
            day = monday + timedelta(days=2)
            xs.append(day.toordinal())
            ys.append(y - 0.22)
            if len(group) > 1:
                ax.annotate(f"{len(group)}", (day.toordinal(), y - 0.22), xytext=(0, -9), textcoords="offset points",
                            fontsize=SMALL_SIZE - 1, color=SECONDARY_TEXT, ha="center", va="top")  # fmt: skip
        for due, group in same_day.items():
            spread = min(0.3, 0.8 / len(group))
            for index, item in enumerate(group):
                # Items due the same day are spread vertically so neither markers nor labels overlap.
                jitter = (index - (len(group) - 1) / 2) * spread
                marker = "D" if item.kind == "milestone" else "o"
                xs, ys = points.setdefault((marker, _colour(item, today)), ([], []))
                xs.append(due.toordinal())
                ys.append(y + jitter)
                if numbered and item.kind == "milestone":
                    ax.annotate(
                        str(numbers[(item.title, item.due)]),
                        (due.toordinal(), y + jitter),
                        xytext=(7, 0),
                        textcoords="offset points",
                        fontsize=SMALL_SIZE,
                        fontweight="bold",
                        color=TEXT,
                        va="center",
                    )
                elif label and item.kind == "milestone":
                    ax.annotate(
                        wrapped_label(drawable_text(item.title), 34, 1 if len(group) > 1 else 2),
                        (due.toordinal(), y + jitter),
                        xytext=(7, 0),
                        textcoords="offset points",
                        fontsize=SMALL_SIZE - 0.5,
                        color=SECONDARY_TEXT,
                        va="center",
                    )
    for (marker, colour), (xs, ys) in points.items():
        size = 9 if marker == "D" else (6 if len(items) < 500 else 3)
        ax.plot(xs, ys, marker=marker, markersize=size, color=colour, markeredgecolor="white",
                markeredgewidth=0.8 if size > 3 else 0, linestyle="", zorder=3 if marker == "o" else 4)  # fmt: skip
    ax.set_yticks(range(len(areas)))
    ax.set_yticklabels([wrapped_label(drawable_text(a), 30, 2) for a in reversed(areas)], fontsize=LABEL_SIZE)
    ax.set_ylim(-0.6, len(areas) - 0.4)
    handles = [
        Line2D([], [], marker="D", linestyle="", color=DARK_BLUE, markersize=8, label="Milestone"),
        Line2D([], [], marker="o", linestyle="", color=BLUE, markersize=6, label="Action"),
        Line2D([], [], marker="o", linestyle="", color=GREEN, markersize=6, label="Done / achieved"),
        Line2D([], [], marker="o", linestyle="", color=WARNING, markersize=6, label="Overdue or at risk"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.08), ncols=4, frameon=False,
              fontsize=SMALL_SIZE, labelcolor=TEXT)  # fmt: skip
    ax.tick_params(axis="x", colors=GREY)
    return fig
