"""A widget showing one matplotlib figure from `ics_desktop.charts`, redrawn at most once per pause.

matplotlib's Qt backend is imported the first time a figure is shown, not when this module is
imported, so the main window appears before matplotlib loads.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

DELAY_MS = 150
MIN_DPI = 40.0  # below this a squeezed pane shows the chart as it is, however small


class _FigureCanvas(Protocol):
    """What ChartCanvas uses of FigureCanvasQTAgg beyond QWidget."""

    def draw(self) -> None: ...

    def draw_idle(self) -> None: ...

    def replace_figure(self, figure: Figure) -> None: ...


@functools.cache
def _canvas_class() -> Callable[[Figure], QWidget]:
    """FigureCanvasQTAgg, imported on first use, scaling the chart to fit instead of reflowing it."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from PySide6.QtGui import QResizeEvent

    from ics_desktop.charts import release_pixels

    class _Canvas(FigureCanvasQTAgg):
        def __init__(self, figure: Figure) -> None:
            self._design_inches = tuple(float(v) for v in figure.get_size_inches())
            super().__init__(figure)  # type: ignore[no-untyped-call]

        def replace_figure(self, figure: Figure) -> None:
            # One canvas per chart pane, whatever it shows. A canvas per figure kept each old pixel
            # buffer alive until Python's rare full garbage collection (every text drawn refers to
            # its renderer, and figure and canvas refer to each other): some MB a chart. The old
            # figure's texts let go of the renderer, so a buffer the new figure can't reuse (another
            # size) is freed as soon as it is replaced.
            if self.figure is not None:
                release_pixels(self.figure)
            self._design_inches = tuple(float(v) for v in figure.get_size_inches())
            figure.set_canvas(self)
            self.figure = figure
            figure._original_dpi = figure.dpi  # type: ignore[attr-defined]
            self.resizeEvent(QResizeEvent(self.size(), self.size()))  # fits the new figure and draws

        def resizeEvent(self, event: QResizeEvent) -> None:
            # The figure keeps the proportions it was designed at (the exports' size): a bigger pane
            # (a projector) makes the text bigger rather than spreading it out, and a smaller one
            # makes it smaller rather than cutting titles off. matplotlib keeps `_original_dpi` as
            # the logical dpi it re-applies when the screen's pixel ratio changes.
            figure = self.figure
            w, h = event.size().width(), event.size().height()
            if figure is not None and w > 0 and h > 0 and hasattr(figure, "_original_dpi"):
                design_w, design_h = self._design_inches
                logical_dpi = max(MIN_DPI, min(w / design_w, h / design_h))
                figure._original_dpi = logical_dpi
                figure._set_dpi(logical_dpi * self.device_pixel_ratio, forward=False)  # type: ignore[attr-defined]
            super().resizeEvent(event)  # type: ignore[no-untyped-call]

        def draw(self) -> None:
            # A pane squeezed to a few pixels makes constrained layout give up with a warning;
            # the next resize lays the chart out again, so there is nothing to report.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="constrained_layout not applied", category=UserWarning)
                super().draw()  # type: ignore[no-untyped-call]

    return cast("Callable[[Figure], QWidget]", _Canvas)


class ChartCanvas(QWidget):
    """Shows a figure; `request()` coalesces rapid rebuilds (typing scores) into one redraw."""

    drawn = Signal()  # a new figure has been put on screen

    def __init__(self, parent: QWidget | None = None, *, accessible_name: str = "") -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._canvas: QWidget | None = None
        self._figure: Figure | None = None
        self._pending: Callable[[], Figure] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._on_timeout)
        self.draw_count = 0  # figures shown so far (for tests and diagnostics)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        if accessible_name:
            self.setAccessibleName(accessible_name)

    # -- what is shown -------------------------------------------------------------------------

    @property
    def figure(self) -> Figure | None:
        return self._figure

    @property
    def canvas(self) -> QWidget | None:
        """The FigureCanvasQTAgg currently shown (None before the first figure)."""
        return self._canvas

    def show_figure(self, fig: Figure) -> None:
        """Replace the figure on screen with `fig` and redraw."""
        canvas = self._canvas
        if canvas is None:
            canvas = _canvas_class()(fig)
            canvas.setAccessibleName(self.accessibleName())
            canvas.setAccessibleDescription(self.accessibleDescription())
            canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            canvas.setMinimumSize(1, 1)
            self._layout.addWidget(canvas)
            self._canvas = canvas
        else:
            cast("_FigureCanvas", canvas).replace_figure(fig)
        self._figure = fig
        self.draw_count += 1
        cast("_FigureCanvas", canvas).draw_idle()
        self.drawn.emit()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        if self._canvas is not None:
            self._canvas.setAccessibleName(name)

    # -- coalesced requests --------------------------------------------------------------------

    def request(self, builder: Callable[[], Figure]) -> None:
        """Build and show a figure after a 150 ms pause; a newer request replaces an unbuilt one."""
        self._pending = builder
        self._timer.start()  # (re)starts: only the last request of a burst is built

    def has_pending(self) -> bool:
        return self._pending is not None

    def flush_pending(self) -> bool:
        """Build and draw any pending figure now (errors propagate); False when nothing was pending."""
        self._timer.stop()
        builder, self._pending = self._pending, None
        if builder is None:
            return False
        self.show_figure(builder())
        assert self._canvas is not None
        cast("_FigureCanvas", self._canvas).draw()
        return True

    def _on_timeout(self) -> None:
        builder, self._pending = self._pending, None
        if builder is None:
            return
        try:
            fig = builder()
        except Exception:  # a chart must never take the window down with it
            log.exception("Building a chart failed")
            from ics_desktop.charts import message_figure

            fig = message_figure("This chart could not be drawn.")
        self.show_figure(fig)
