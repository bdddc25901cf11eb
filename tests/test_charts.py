"""Charts: every chart builds from the sample, shows what the results say, and survives odd text and no data."""

from __future__ import annotations

import logging
import os
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ics_desktop import charts
from ics_desktop.frameworks.framework import Framework, framework_from_dict
from ics_desktop.frameworks.scoring import AssessmentResults, compute_results
from ics_desktop.storage.records import Response
from ics_desktop.storage.store import Store

from .conftest import ROOT

ODD = "Santé 🙂 עברית العربية <b>&amp; R&D $x$ 50% \x07\ud800 ﷽ " + "Long" * 30


@dataclass
class Sample:
    framework: Framework
    results: AssessmentResults
    responses: list[Response]
    agreed: dict[str, int | None]


@pytest.fixture
def sample(sample_store: Store) -> Sample:
    programme = sample_store.programmes()[0]
    fw = sample_store.programme_framework(programme.id)
    [a] = sample_store.assessments(programme.id)
    responses = sample_store.responses(a.id)
    agreed = {code: row["agreed_current"] for code, row in sample_store.capability_results(a.id).items()}
    return Sample(fw, compute_results(fw, responses), responses, agreed)


def earlier_round(sample: Sample, framework: Framework | None = None) -> AssessmentResults:
    """A plausible previous round: everyone one level lower on a few capabilities, 4.3 not scored."""
    lowered = {"1.1", "2.2", "3.2"}
    responses = [
        Response(
            r.respondent,
            r.capability_code,
            r.question,
            max(1, r.score - 1) if r.score is not None and r.capability_code in lowered else r.score,
        )
        for r in sample.responses
        if r.capability_code != "4.3"
    ]
    return compute_results(framework or sample.framework, responses)


def texts(fig: Any) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


def bar_heights(fig: Any) -> dict[str, float]:
    [ax] = fig.axes
    return {p.get_gid()[4:]: p.get_y() + p.get_height() for p in ax.patches if (p.get_gid() or "").startswith("bar:")}


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def all_charts(sample: Sample, results: AssessmentResults | None = None) -> dict[str, Any]:
    results = results if results is not None else sample.results
    return {
        key: charts.build_chart(
            key, results.framework, results, previous=earlier_round(sample, results.framework), agreed=sample.agreed
        )
        for key in charts.CHARTS
    }


# -- the charts ----------------------------------------------------------------------------------


def test_every_chart_builds_from_the_sample_and_renders_png(sample: Sample) -> None:
    assert list(charts.CHARTS) == ["now", "questions", "distribution", "radar", "change"]
    for key, fig in all_charts(sample).items():
        png = charts.figure_png(fig)
        width, height = png_size(png)
        assert width == round(fig.get_figwidth() * 150), key
        assert height == round(fig.get_figheight() * 150), key
        assert 20_000 < len(png) < 3_000_000, key
        assert charts.NO_SCORES not in texts(fig), key
        assert fig.get_suptitle(), key


def test_figure_png_honours_dpi(sample: Sample) -> None:
    fig = charts.readiness_bars(sample.framework, sample.results, width=8, height=4)
    assert png_size(charts.figure_png(fig, dpi=100)) == (800, 400)


def test_bar_chart_shows_the_means_on_the_scale(sample: Sample) -> None:
    fig = charts.readiness_bars(sample.framework, sample.results)
    heights = bar_heights(fig)
    assert list(heights) == sample.framework.covered_codes
    for code, height in heights.items():
        assert height == pytest.approx(sample.results.result(code, "now").mean)
    [ax] = fig.axes
    y_labels = [t.get_text() for t in ax.get_yticklabels()]
    assert y_labels[-1] == "4 Mature"
    assert "1 More progress required" in y_labels
    x_labels = [t.get_text() for t in ax.get_xticklabels()]
    assert x_labels[:2] == ["1.1", "1.2"]
    # The default title is the question as the seed asks it; values printed to one decimal.
    assert fig.get_suptitle() == "Against the NHSE ICS baseline capabilities, where are we now?"
    shown = texts(fig)
    assert f"{sample.results.result('2.2', 'now').mean:.1f}" in shown
    assert any("Overall" in t and f"{sample.results.overall('now'):.1f}" in t for t in shown)


def test_capabilities_not_covered_are_left_out_and_named(sample: Sample) -> None:
    assert "5.1" not in sample.framework.covered_codes
    fig = charts.readiness_bars(sample.framework, sample.results)
    assert "5.1" not in bar_heights(fig)
    assert "5.1" not in [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert any("Not covered on this programme: 5.1" in t for t in texts(fig))
    # The uncovered domain 5 has no spoke on the radar, nor a row elsewhere.
    radar = charts.domain_radar(sample.framework, sample.results)
    assert not any(t.startswith("5 ") for t in texts(radar))
    dist = charts.distribution(sample.framework, sample.results)
    assert not any(t.get_text().startswith("5.1") for t in dist.axes[0].get_yticklabels())


def test_agreed_current_is_marked(sample: Sample) -> None:
    fig = charts.readiness_bars(sample.framework, sample.results, agreed=sample.agreed)
    [ax] = fig.axes
    marks = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_linewidth() == 4)
    expected = sorted(
        v for code, v in sample.agreed.items() if v is not None and code in sample.framework.covered_codes
    )
    assert marks == expected
    assert "Agreed current maturity" in texts(fig)
    # Not on another question's chart built through build_chart.
    aspire = charts.build_chart("now", sample.framework, sample.results, question="aspire", agreed=sample.agreed)
    assert "Agreed current maturity" not in texts(aspire)
    assert aspire.get_suptitle() == "Where do we aspire to be in 18 months?"


def test_questions_side_by_side_has_one_bar_per_capability_and_question(sample: Sample) -> None:
    fig = charts.questions_side_by_side(sample.framework, sample.results)
    [ax] = fig.axes
    bars = {p.get_gid(): p.get_y() + p.get_height() for p in ax.patches if (p.get_gid() or "").startswith("bar:")}
    assert len(bars) == len(sample.framework.covered_codes) * 3
    assert bars["bar:1.1:aspire"] == pytest.approx(sample.results.result("1.1", "aspire").mean)
    assert {"Now", "Aspire (18 months)", "Realistic (18 months)"} <= set(texts(fig))


def test_distribution_counts_and_dont_know(sample: Sample) -> None:
    fig = charts.distribution(sample.framework, sample.results, "realistic")
    [ax] = fig.axes
    widths: dict[str, float] = {}
    for p in ax.patches:
        gid = p.get_gid() or ""
        if gid.startswith("segment:"):
            code = gid.split(":")[1]
            widths[code] = widths.get(code, 0.0) + p.get_width()
    assert set(widths) == set(sample.framework.covered_codes)
    assert all(w == pytest.approx(1.0) for w in widths.values())
    shown = texts(fig)
    assert "Don’t\nknow" in shown
    assert "1" in shown  # the sample has one "don't know" on some realistic scores
    assert fig.get_suptitle() == "Distribution of scores: Realistic (18 months)"


def test_change_between_rounds_matches_by_code(sample: Sample) -> None:
    # The earlier round used a framework version without 4.3 and with a capability since retired.
    data = sample.framework.to_dict()
    data["domains"][3]["capabilities"] = [c for c in data["domains"][3]["capabilities"] if c["code"] != "4.3"]
    data["domains"][3]["capabilities"].append({"code": "4.9", "statement": "A retired capability.", "covered": True})
    old_fw = framework_from_dict(data)
    before = earlier_round(sample, old_fw)
    fig = charts.change_between(sample.framework, before, sample.results, before_label="EOI", after_label="End")
    shown = texts(fig)
    assert fig.get_suptitle() == "Change from EOI to End: Now"
    assert "no earlier score" in shown  # 4.3, only in the later round
    assert "no later score" not in shown  # 4.9 was not scored earlier either (no responses for it)
    assert any(t.startswith("4.9") for t in shown)
    diff = sample.results.result("2.2", "now").mean - before.result("2.2", "now").mean  # type: ignore[operator]
    assert f"+{diff:.1f}" in shown
    assert "no change" in shown  # 1.2 was not lowered


def test_previous_missing_and_no_scores_give_a_message(sample: Sample) -> None:
    fig = charts.build_chart("change", sample.framework, sample.results)
    assert charts.NO_PREVIOUS in texts(fig)
    empty = compute_results(sample.framework, [])
    for key in charts.CHARTS:
        fig = charts.build_chart(key, sample.framework, empty, previous=empty)
        assert charts.NO_SCORES in texts(fig), key
        assert charts.figure_png(fig).startswith(b"\x89PNG")
    for build in (charts.readiness_bars, charts.questions_side_by_side, charts.distribution, charts.domain_radar):
        assert charts.NO_SCORES in texts(build(sample.framework, empty))  # type: ignore[operator]
    assert charts.NO_SCORES in texts(charts.change_between(sample.framework, empty, empty))


def test_a_framework_with_nothing_covered_says_no_scores(sample: Sample) -> None:
    fw = sample.framework
    for code in fw.covered_codes:
        fw = fw.with_coverage(code, False)
    for key in charts.CHARTS:
        assert charts.NO_SCORES in texts(charts.build_chart(key, fw, sample.results, previous=sample.results)), key


def test_unknown_chart_or_question_is_a_clear_error(sample: Sample) -> None:
    with pytest.raises(KeyError, match="Unknown chart"):
        charts.build_chart("pie", sample.framework, sample.results)
    with pytest.raises(ValueError, match="no question 'later'"):
        charts.readiness_bars(sample.framework, sample.results, "later")


def test_odd_text_renders(sample: Sample) -> None:
    data = sample.framework.to_dict()
    data["name"] = ODD
    for d in data["domains"]:
        d["title"] = f"{d['title']} {ODD}"
        for c in d["capabilities"]:
            c["statement"] = f"{ODD} {c['statement']}"
    for q in data["questions"]:
        q["label"] = f"{q['label']} {ODD[:40]}"
        q["text"] = f"{q['text']} {ODD}"
    for s in data["scale"]:
        s["label"] = f"{s['label']} <i>ש</i> $"
    fw = framework_from_dict(data)
    results = compute_results(fw, sample.responses)
    # pytest turns warnings into errors: a missing glyph or a mathtext parse would fail here.
    for key, fig in all_charts(sample, results).items():
        assert charts.figure_png(fig).startswith(b"\x89PNG"), key
    fig = charts.change_between(fw, results, results, before_label=ODD, after_label="🙂", title=ODD)
    assert charts.figure_png(fig).startswith(b"\x89PNG")
    shown = " ".join(texts(fig))
    assert "🙂" not in shown and "\ud800" not in shown and "\x07" not in shown
    assert "עברית" in shown and "<b>&amp;" in shown


def test_building_and_rendering_is_quick_enough(sample: Sample) -> None:
    charts.figure_png(charts.readiness_bars(sample.framework, sample.results))  # matplotlib loaded, fonts cached
    start = time.perf_counter()
    charts.figure_png(charts.readiness_bars(sample.framework, sample.results, agreed=sample.agreed))
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"bar chart took {elapsed:.2f} s"


# -- imports -------------------------------------------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("MPLBACKEND", None)
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_importing_the_chart_modules_does_not_load_matplotlib() -> None:
    done = run_python(
        "import sys, ics_desktop.charts, ui.widgets.chart_canvas\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "assert not loaded, loaded\n"
        "print('ok')"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_pyplot_is_never_imported() -> None:
    done = run_python(
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ics_desktop import charts\n"
        "from ics_desktop.sample import add_sample_programme\n"
        "from ics_desktop.frameworks.scoring import compute_results\n"
        "from ics_desktop.storage.store import Store\n"
        "from ui.widgets.chart_canvas import ChartCanvas\n"
        "store = Store.in_memory(); add_sample_programme(store)\n"
        "programme = store.programmes()[0]; fw = store.programme_framework(programme.id)\n"
        "[a] = store.assessments(programme.id)\n"
        "results = compute_results(fw, store.responses(a.id))\n"
        "app = QApplication([])\n"
        "canvas = ChartCanvas(accessible_name='chart')\n"
        "for key in charts.CHARTS:\n"
        "    fig = charts.build_chart(key, fw, results, previous=results)\n"
        "    assert charts.figure_png(fig).startswith(b'\\x89PNG')\n"
        "    canvas.request(lambda fig=fig: fig)\n"
        "    canvas.flush_pending()\n"
        "assert 'matplotlib.backends.backend_qtagg' in sys.modules\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "print('ok')"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


# -- the Qt canvas -------------------------------------------------------------------------------


def test_chart_canvas_coalesces_requests(qtbot: QtBot, sample: Sample) -> None:
    from ui.widgets.chart_canvas import DELAY_MS, ChartCanvas

    canvas = ChartCanvas(accessible_name="Readiness chart")
    qtbot.addWidget(canvas)
    canvas.resize(900, 500)
    canvas.show()
    qtbot.waitExposed(canvas)
    built: list[int] = []
    figures: dict[int, Any] = {}

    def builder(i: int) -> Any:
        def build() -> Any:
            built.append(i)
            figures[i] = charts.readiness_bars(sample.framework, sample.results)
            return figures[i]

        return build

    for i in range(3):
        canvas.request(builder(i))
    assert built == [] and canvas.draw_count == 0 and canvas.has_pending()
    with qtbot.waitSignal(canvas.drawn, timeout=5000):
        pass
    qtbot.wait(DELAY_MS * 2)
    assert built == [2]
    assert canvas.draw_count == 1
    assert canvas.figure is figures[2]
    assert canvas.canvas is not None and canvas.canvas.accessibleName() == "Readiness chart"

    # flush_pending draws at once, and the timer does not draw again afterwards.
    canvas.request(builder(3))
    assert canvas.flush_pending() is True
    assert built == [2, 3] and canvas.draw_count == 2 and canvas.figure is figures[3]
    assert not canvas.has_pending() and canvas.flush_pending() is False
    qtbot.wait(DELAY_MS * 2)
    assert canvas.draw_count == 2

    canvas.setAccessibleName("Distribution chart")
    assert canvas.canvas.accessibleName() == "Distribution chart"


def test_chart_canvas_survives_a_failing_builder(
    qtbot: QtBot, sample: Sample, caplog: pytest.LogCaptureFixture
) -> None:
    from ui.widgets.chart_canvas import ChartCanvas

    canvas = ChartCanvas()
    qtbot.addWidget(canvas)
    canvas.show()

    def broken() -> Any:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(canvas.drawn, timeout=5000):
        canvas.request(broken)
    assert any("could not be drawn" in t for t in texts(canvas.figure))
    assert "Building a chart failed" in caplog.text
    # The canvas keeps working, and an export of the shown figure leaves the screen's canvas in place.
    fig = charts.readiness_bars(sample.framework, sample.results)
    canvas.show_figure(fig)
    qt_canvas = fig.canvas
    assert charts.figure_png(fig).startswith(b"\x89PNG")
    assert fig.canvas is qt_canvas


def test_chart_canvas_squeezed_small_does_not_warn(qtbot: QtBot, sample: Sample) -> None:
    from ui.widgets.chart_canvas import ChartCanvas

    canvas = ChartCanvas()
    qtbot.addWidget(canvas)
    canvas.setMinimumSize(1, 1)
    canvas.resize(30, 20)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.request(lambda: charts.distribution(sample.framework, sample.results))
    assert canvas.flush_pending()
    qtbot.wait(50)


def test_chart_canvas_scales_the_figure_to_fit(qtbot: QtBot, sample: Sample) -> None:
    from ui.widgets.chart_canvas import ChartCanvas

    canvas = ChartCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(500, 275)
    canvas.show()
    qtbot.waitExposed(canvas)
    fig = charts.readiness_bars(sample.framework, sample.results)  # designed at 10 × 5.5 inches
    canvas.show_figure(fig)
    assert canvas.canvas is not None
    qtbot.waitUntil(lambda: canvas.canvas is not None and canvas.canvas.width() == 500)
    assert tuple(fig.get_size_inches()) == pytest.approx((10, 5.5), rel=0.02)
    canvas.resize(1000, 800)  # taller than the design: the text grows with the width, extra height is used
    qtbot.waitUntil(lambda: canvas.canvas is not None and canvas.canvas.width() == 1000)
    width, height = fig.get_size_inches()
    assert width == pytest.approx(10, rel=0.02) and height > 7.5


def test_chart_canvas_reuses_one_canvas_and_frees_old_pixels(qtbot: QtBot, sample: Sample) -> None:
    # Switching charts (or typing scores) puts each new figure on the same canvas. A canvas per figure
    # kept every old pixel buffer alive until a full garbage collection (several MB a chart).
    import gc
    import weakref

    from ui.widgets.chart_canvas import ChartCanvas

    canvas = ChartCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, 440)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.show_figure(charts.readiness_bars(sample.framework, sample.results))
    qt_canvas = canvas.canvas
    assert qt_canvas is not None
    qtbot.waitUntil(lambda: qt_canvas.width() == 800)
    gc.disable()  # what is freed must be freed by reference counting, not by a collection
    try:
        for build in (charts.distribution, charts.domain_radar, charts.readiness_bars, charts.distribution):
            qt_canvas.draw()  # type: ignore[attr-defined]
            old_renderer = weakref.ref(qt_canvas.renderer)  # type: ignore[attr-defined]
            old_key = qt_canvas._lastKey  # type: ignore[attr-defined]
            fig = build(sample.framework, sample.results)
            canvas.show_figure(fig)
            assert canvas.canvas is qt_canvas and fig.canvas is qt_canvas and qt_canvas.figure is fig  # type: ignore[attr-defined]
            qt_canvas.draw()  # type: ignore[attr-defined]
            if qt_canvas._lastKey == old_key:  # type: ignore[attr-defined]
                assert qt_canvas.renderer is old_renderer()  # type: ignore[attr-defined]
            else:
                assert old_renderer() is None
            # The new figure is fitted to the pane like the first one.
            width, _height = fig.get_size_inches() * fig.dpi
            assert width == pytest.approx(800, abs=2)
    finally:
        gc.enable()


def test_radar_with_fewer_than_three_domains_draws_bars(sample: Sample) -> None:
    fw = sample.framework
    for code in fw.covered_codes:
        if not code.startswith(("1.", "2.")):
            fw = fw.with_coverage(code, False)
    results = compute_results(fw, sample.responses)
    fig = charts.domain_radar(fw, results)
    [ax] = fig.axes
    assert ax.name == "rectilinear"
    assert len(ax.patches) == 2 * 3  # two domains × three questions
    assert charts.figure_png(fig).startswith(b"\x89PNG")
    assert charts.domain_radar(sample.framework, sample.results).axes[0].name == "polar"


def test_bars_rise_from_the_scales_first_level_and_carry_their_own_value(sample_store: Store) -> None:
    """A 1–4 scale has no 0: every bar starts at 1; each value is written on its own bar, not on the agreed
    marker; the overall line is drawn behind the bars."""
    (programme,) = sample_store.programmes()
    (assessment,) = sample_store.assessments(programme.id)
    framework = sample_store.framework(sample_store.get("assessments", assessment.id)["framework_id"])
    results = compute_results(framework, sample_store.responses(assessment.id))
    agreed = {code: row.get("agreed_current") for code, row in sample_store.capability_results(assessment.id).items()}
    fig = charts.readiness_bars(framework, results, "now", agreed=agreed)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("bar:")]
    assert bars and all(p.get_y() == 1 for p in bars)
    assert ax.get_ylim()[0] >= 0.9
    tops = {p.get_gid()[4:]: p.get_y() + p.get_height() for p in bars}
    values = {t.get_text(): t.get_position() for t in ax.texts if t.get_text().replace(".", "").isdigit()}
    # 3.2: mean 1.5 (agreed 1), its label "1.5" sits at its bar, within 0.45 of the bar's top.
    assert abs(values["1.5"][1] - tops["3.2"]) < 0.45
    overall = [line for line in ax.lines if line.get_linestyle() not in ("-", "None", "")]
    assert overall and all(line.get_zorder() < min(p.get_zorder() for p in bars) for line in overall)
