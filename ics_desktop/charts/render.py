"""Charts as PNG bytes (Agg, on any thread), the pixels released after, and `build_chart` choosing a chart by key."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ics_desktop.charts.change import (
    change_between,
)
from ics_desktop.charts.distribution import (
    distribution,
)
from ics_desktop.charts.look import (
    CHARTS,
    NO_PREVIOUS,
    message_figure,
    question_of,
)
from ics_desktop.charts.questions import (
    questions_side_by_side,
)
from ics_desktop.charts.radar import (
    domain_radar,
)
from ics_desktop.charts.readiness_bars import (
    readiness_bars,
)
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import AssessmentResults

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
                title=None if named else f"{CHARTS['change']}: {question_of(framework, question).label}",
            )
        ),
    }
    if key not in builders:
        raise KeyError(f"Unknown chart '{key}' (known: {', '.join(CHARTS)})")
    return builders[key]()
