"""Readiness charts for the screens (a Qt canvas) and the exports (PNG bytes): the look in `look.py`, one
module per chart, and `render.py` turning any of them into PNG bytes.

Every function returns a `matplotlib.figure.Figure` built with the object API (never pyplot state),
so figures can be made on any thread. matplotlib is imported inside the functions: importing this
package costs nothing until the first chart is needed.

Only capabilities covered on the programme are drawn; the rest are named in a note under the chart.
With no scores a function still returns a figure, saying so in the middle.
"""

from __future__ import annotations

from ics_desktop.charts.change import change_between
from ics_desktop.charts.distribution import distribution
from ics_desktop.charts.look import (
    ACCENT,
    BLUE,
    CHARTS,
    DARK_BLUE,
    FLOOR,
    GREEN,
    GREY,
    LABEL_SIZE,
    LEVEL_COLOURS,
    NO_PREVIOUS,
    NO_SCORES,
    SECONDARY_TEXT,
    SMALL_SIZE,
    TEXT,
    WARNING,
    message_figure,
)
from ics_desktop.charts.questions import questions_side_by_side
from ics_desktop.charts.radar import domain_radar
from ics_desktop.charts.readiness_bars import readiness_bars
from ics_desktop.charts.render import build_chart, figure_png, release_pixels

__all__ = [
    "ACCENT",
    "BLUE",
    "CHARTS",
    "DARK_BLUE",
    "FLOOR",
    "GREEN",
    "GREY",
    "LABEL_SIZE",
    "LEVEL_COLOURS",
    "NO_PREVIOUS",
    "NO_SCORES",
    "SECONDARY_TEXT",
    "SMALL_SIZE",
    "TEXT",
    "WARNING",
    "build_chart",
    "change_between",
    "distribution",
    "domain_radar",
    "figure_png",
    "message_figure",
    "questions_side_by_side",
    "readiness_bars",
    "release_pixels",
]
