"""The roadmap timeline is readable from one quarter to five years: year ticks past eight quarters, a milestone
drawn once with its number (named in a key table in the Word roadmap), actions due in one week as one dot with
their count, and tick labels that never overlap. Real matplotlib figures; the Word file read back."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from ics_desktop.charts.timeline import milestone_numbers, timeline_chart
from ics_desktop.planning.roadmap import TimelineItem


def _items(span_quarters: int) -> dict[str, list[TimelineItem]]:
    start = date(2026, 1, 15)
    end = start + timedelta(days=91 * span_quarters - 30)
    shared = TimelineItem("milestone", "Publish a single system plan", date(2026, 6, 30), "1. Vision", "planned")
    return {
        "1. Vision": [shared, TimelineItem("milestone", "Vision agreed", start, "1. Vision", "achieved")],
        "2. Finance": [
            TimelineItem("milestone", "Publish a single system plan", date(2026, 6, 30), "2. Finance", "planned"),
            TimelineItem("milestone", "Single budget", end, "2. Finance", "planned"),
            *(
                TimelineItem("action", f"Action {n}", date(2026, 3, 2) + timedelta(days=n % 3), "2. Finance", "open")
                for n in range(5)
            ),
        ],
    }


def _tick_labels(figure: object) -> list[str]:
    ax = figure.axes[0]  # type: ignore[attr-defined]
    return [t.get_text() for t in ax.get_xticklabels()]


def _no_overlap(figure: Any) -> bool:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in figure.axes[0].get_xticklabels() if t.get_text()]
    return all(a.x1 <= b.x0 for a, b in itertools.pairwise(boxes))


@pytest.mark.parametrize(
    ("quarters", "expected"),
    [
        (1, ["Q1 2026", "Q2 2026", "Q3 2026"]),
        (6, None),  # quarters still (with the spare quarter for labels, eight at most)
        (20, ["2026", "2027", "2028", "2029", "2030", "2031"]),
    ],
)
def test_ticks_are_quarters_then_years_and_never_overlap(quarters: int, expected: list[str] | None) -> None:
    figure = timeline_chart(_items(quarters), today=date(2026, 2, 1))
    labels = _tick_labels(figure)
    if expected is not None:
        assert labels == expected
    else:
        assert all(label.startswith("Q") for label in labels)
    assert _no_overlap(figure)


def test_a_shared_milestone_is_one_numbered_diamond_and_actions_in_a_week_are_counted() -> None:
    by_area = _items(4)
    numbers = milestone_numbers(by_area)
    assert numbers == {
        ("Vision agreed", date(2026, 1, 15)): 1,
        ("Publish a single system plan", date(2026, 6, 30)): 2,
        ("Single budget", date(2026, 1, 15) + timedelta(days=91 * 4 - 30)): 3,
    }
    figure = timeline_chart(by_area, today=date(2026, 2, 1), numbered=True)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert sorted(t for t in texts if t in ("1", "2", "3")) == ["1", "2", "3"]  # each milestone once
    assert "5" in texts  # five actions in one week: one dot, counted
    diamonds = sum(len(line.get_xdata()) for line in figure.axes[0].lines if line.get_marker() == "D")
    assert diamonds == 3


def test_the_word_roadmap_names_the_numbered_milestones(sample_store: object, tmp_path: Path) -> None:
    from ics_desktop.exports.word_roadmap import write_roadmap_docx
    from ics_desktop.storage.store import Store

    assert isinstance(sample_store, Store)
    (programme,) = sample_store.programmes()
    write_roadmap_docx(sample_store, programme.id, tmp_path / "r.docx", today=date(2018, 11, 30))
    tables = Document(str(tmp_path / "r.docx")).tables
    key = next(
        t
        for t in tables
        if [c.text for c in t.rows[0].cells] == ["No.", "Milestone", "Due", "Areas of focus", "Status"]
    )
    first = [c.text for c in key.rows[1].cells]
    assert first == [
        "1",
        "Publish a single system plan for 2019/20 that is jointly owned",
        "11 Apr 2019",
        "3. Vision through to execution; 4. System finances and single plan",
        "Planned",
    ]
    assert len(key.rows) - 1 == len({(r.cells[1].text, r.cells[2].text) for r in key.rows[1:]})
