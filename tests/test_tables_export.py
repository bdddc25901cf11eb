"""CSV and Excel exports read back with csv and openpyxl; the document registry; the `export` command."""

from __future__ import annotations

import csv
import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ics_desktop.exports import registry, tables
from ics_desktop.exports.common import ExportCancelled, ExportError
from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.csv_import import import_csv_bytes
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store

from .text_oracles import csv_shown, excel_storable

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2019-06-01"
SYSTEM = "Healthier Together (BNSSG)"


@dataclasses.dataclass
class Programme:
    store: Store
    id: str
    assessment: str
    action: str


@pytest.fixture
def programme(store: Store) -> Programme:
    """A small programme touching every column: actions with notes, milestones, two scored assessments."""
    framework = default_framework().with_coverage("5.1", False)  # not covered on this programme
    pid = store.create_programme("Supporting Aspiring ICS Programme", SYSTEM, framework)
    area = store.insert("areas_of_focus", {"programme_id": pid, "number": 1, "title": "Sharpening our vision"})
    store.insert("areas_of_focus", {"programme_id": pid, "number": 2, "title": "System governance"})
    workshop = store.insert(
        "workshops", {"programme_id": pid, "title": "Workshop 4: vision", "starts_at": "2018-10-01"}
    )
    action = store.insert(
        "actions",
        {"programme_id": pid, "title": "Draft the MoU", "owner": "Julia Ross", "due_date": "2019-05-01",
         "status": "open", "area_id": area, "workshop_id": workshop, "capabilities": ["1.1", "1.3"]},
    )  # fmt: skip
    store.insert(
        "actions", {"programme_id": pid, "title": "Publish the plan", "status": "done", "due_date": "2019-01-01"}
    )
    store.insert("actions", {"programme_id": pid, "title": "Undated", "status": "in progress"})
    store.insert("action_notes", {"action_id": action, "date": "2019-02-01", "text": "First draft shared."})
    store.insert("action_notes", {"action_id": action, "date": "2019-03-01", "text": "Waiting for partners."})
    store.insert(
        "milestones",
        {"programme_id": pid, "ambition_year": "2020/21", "ambition": "Operate a single budget",
         "milestone_year": "2019/20", "title": "Single budget for urgent care", "due_date": "2019-04-01",
         "status": "on track", "areas": [1, 2], "capabilities": ["3.1"], "position": 0},
    )  # fmt: skip
    first = rounds.create_assessment(store, pid, "Expression of interest", "2018-06-01")
    store.set_capability_result(first, "1.1", agreed_current=1, agreed_desired=3)
    second = rounds.create_assessment(store, pid, "Scoping readiness exercise", "2018-09-10")
    julia = store.add_respondent(second, "Julia Ross")
    code = store.add_respondent(second, "P01", kind="anonymous")
    store.set_response(julia, "1.1", "now", 2)
    store.set_response(julia, "1.1", "aspire", 4)
    store.set_response(code, "1.1", "now", 3)
    store.set_response(code, "1.2", "now", None)  # don't know
    store.set_capability_result(second, "1.1", agreed_current=2, agreed_desired=4, focus=1, justification="Strong")
    fill = rounds.fill_change_edit(store, second)  # as the facilitator's "Fill change from previous round"
    assert fill is not None
    fill.apply(store)
    return Programme(store, pid, second, action)


def _sheet_rows(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _by_heading(rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, so Excel reads it right"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- Excel -----------------------------------------------------------------------------------------


def test_workbook_has_typed_cells_frozen_bold_headings_and_filters(programme: Programme, tmp_path: Path) -> None:
    target = tmp_path / "data.xlsx"
    result = tables.write_xlsx(programme.store, programme.id, target, today=TODAY)
    assert result.path == target
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Actions", "Milestones", "Responses", "Results"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.b for cell in ws[1]), ws.title
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, ws.max_column + 1)]
        assert all(8 <= w <= 60 for w in widths), (ws.title, widths)

    actions = _by_heading(_sheet_rows(book["Actions"]))
    assert [a["Action"] for a in actions] == ["Publish the plan", "Draft the MoU", "Undated"]
    mou = actions[1]
    assert mou["Due date"] == datetime(2019, 5, 1)  # a real date, not text
    assert book["Actions"]["C3"].number_format == tables.DATE_FORMAT
    assert mou["Overdue"] == "Yes" and actions[0]["Overdue"] == "No"  # done is never overdue
    assert mou["Area of focus"] == "1. Sharpening our vision" and mou["Workshop"] == "Workshop 4: vision"
    assert mou["Capabilities"] == "1.1, 1.3"
    assert mou["Notes"] == 2 and isinstance(mou["Notes"], int)
    assert mou["Latest note date"] == datetime(2019, 3, 1) and mou["Latest note"] == "Waiting for partners."
    assert actions[2]["Due date"] is None and actions[2]["Notes"] == 0

    [milestone] = _by_heading(_sheet_rows(book["Milestones"]))
    assert milestone["Ambition year"] == "2020/21" and milestone["Due date"] == datetime(2019, 4, 1)
    assert milestone["Areas of focus"] == "1. Sharpening our vision; 2. System governance"
    assert milestone["Capabilities"] == "3.1" and milestone["Overdue"] == "Yes"

    responses = _by_heading(_sheet_rows(book["Responses"]))
    assert [(r["Participant"], r["Kind"], r["Capability"], r["Question"], r["Score"]) for r in responses] == [
        ("Julia Ross", "named", "1.1", "now", 2),
        ("Julia Ross", "named", "1.1", "aspire", 4),
        ("P01", "anonymous", "1.1", "now", 3),
        ("P01", "anonymous", "1.2", "now", "don't know"),
    ]
    assert responses[0]["Date"] == datetime(2018, 9, 10) and responses[0]["Illustrative"] == "No"

    results = _by_heading(_sheet_rows(book["Results"]))
    assert len(results) == 2 * 14  # every capability of both assessments
    scoping = {r["Capability"]: r for r in results if r["Assessment"] == "Scoping readiness exercise"}
    first = scoping["1.1"]
    assert first["Now: mean"] == pytest.approx(2.5) and first["Now: n"] == 2
    assert (first["Now: 1"], first["Now: 2"], first["Now: 3"], first["Now: 4"]) == (0, 1, 1, 0)
    assert first["Now: spread"] == pytest.approx(0.5) and first["Now: don't know"] == 0
    assert first["Aspire (18 months): mean"] == 4
    assert first["Agreed current"] == 2 and first["Agreed desired"] == 4
    assert first["Change"] == "Has gone up"  # 1 at the expression of interest, 2 now
    assert first["Focus"] == "Yes" and first["Justification"] == "Strong"
    assert first["Domain"].startswith("1. Effective leadership")
    assert scoping["1.2"]["Now: don't know"] == 1 and scoping["1.2"]["Now: mean"] is None
    assert scoping["5.1"]["Covered"] == "No"


def test_one_assessment_only(programme: Programme, tmp_path: Path) -> None:
    tables.write_xlsx(programme.store, programme.id, tmp_path / "d.xlsx", assessment_id=programme.assessment)
    book = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert {r["Assessment"] for r in _by_heading(_sheet_rows(book["Results"]))} == {"Scoping readiness exercise"}
    other = programme.store.create_programme("Other", "Elsewhere", default_framework())
    foreign = rounds.create_assessment(programme.store, other, "Theirs", None)
    with pytest.raises(ExportError, match="not part of this programme"):
        tables.write_xlsx(programme.store, programme.id, tmp_path / "e.xlsx", assessment_id=foreign)
    assert not (tmp_path / "e.xlsx").exists()


def test_empty_programme_still_has_headings(store: Store, tmp_path: Path) -> None:
    pid = store.create_programme("Empty", "Nowhere", default_framework())
    tables.write_xlsx(store, pid, tmp_path / "empty.xlsx")
    book = openpyxl.load_workbook(tmp_path / "empty.xlsx")
    for ws in book.worksheets:
        assert ws.max_row == 1 and ws["A1"].value
    assert book["Results"]["G1"].value == "Now: mean"


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_files_one_per_table(programme: Programme, tmp_path: Path) -> None:
    written = tables.write_csv(programme.store, programme.id, tmp_path, today=TODAY)
    assert written == [tmp_path / f"{n}.csv" for n in ("actions", "milestones", "responses", "results")]
    assert _leftovers(tmp_path) == ["actions.csv", "milestones.csv", "programme.sqlite", "programme.sqlite-shm",
                                    "programme.sqlite-wal", "responses.csv", "results.csv"]  # fmt: skip
    actions = _read_csv(tmp_path / "actions.csv")
    assert actions[1]["Due date"] == "2019-05-01" and actions[1]["Overdue"] == "Yes"
    assert actions[1]["Notes"] == "2" and actions[1]["Latest note"] == "Waiting for partners."
    assert actions[2]["Due date"] == ""
    responses = _read_csv(tmp_path / "responses.csv")
    assert responses[-1]["Score"] == "don't know" and responses[-1]["Participant"] == "P01"
    results = _read_csv(tmp_path / "results.csv")
    first = next(r for r in results if r["Assessment"] == "Scoping readiness exercise" and r["Capability"] == "1.1")
    assert first["Now: mean"] == "2.50" and first["Now: spread"] == "0.50" and first["Focus"] == "Yes"


def test_responses_csv_imports_again(programme: Programme, tmp_path: Path) -> None:
    """The responses file is in the long layout import-responses reads: a round trip keeps every score."""
    tables.write_csv(programme.store, programme.id, tmp_path, assessment_id=programme.assessment)
    copy = programme.store.create_programme("Copy", "Copy system", default_framework())
    imported = import_csv_bytes(
        programme.store, copy, "Again", (tmp_path / "responses.csv").read_bytes(), today="2019-01-01"
    )

    def scores(assessment_id: str) -> dict[tuple[str, str, str], int | None]:
        return {
            (r.respondent, r.capability_code, r.question): r.score for r in programme.store.responses(assessment_id)
        }

    again = rounds.assessment_by_name(programme.store, copy, "Again")
    assert again is not None and imported is not None
    assert scores(again) == scores(programme.assessment)


def test_csv_folder_must_exist(programme: Programme, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        tables.write_csv(programme.store, programme.id, tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        tables.write_csv(programme.store, programme.id, tmp_path / "file")


# -- text survives, formulas do not run ---------------------------------------------------------------

RISKY = ['=HYPERLINK("http://x","click")', "+1+1", "-2", "@SUM(A1)", "#N/A", "=1+1"]


def test_formula_injection_is_defused(store: Store, tmp_path: Path) -> None:
    pid = store.create_programme("P", "S", default_framework())
    for position, text in enumerate(RISKY):
        store.insert(
            "actions", {"programme_id": pid, "title": text, "owner": text, "due_date": f"2019-01-{position + 1:02d}"}
        )
    tables.write_csv(store, pid, tmp_path)
    rows = _read_csv(tmp_path / "actions.csv")
    expected = [("'" + t if t[0] in "=+-@" else t) for t in RISKY]
    assert [r["Action"] for r in rows] == expected
    assert [r["Owner"] for r in rows] == expected

    tables.write_xlsx(store, pid, tmp_path / "d.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "d.xlsx")["Actions"]
    for row, text in enumerate(RISKY, start=2):
        cell = ws.cell(row, 1)
        assert cell.value == text and cell.data_type == "s", text  # stored as text, never a formula
        if text[0] in "=+-@":
            assert cell.quotePrefix
    # Nothing in the sheet's XML is a formula.
    import zipfile

    with zipfile.ZipFile(tmp_path / "d.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_excel_escapes_and_cell_limit() -> None:
    assert tables.excel_text("_x0041_") == "_x005F_x0041_"  # Excel would otherwise show "A"
    assert tables.excel_text("a_b x0041") == "a_b x0041"
    long = "é" * 40_000
    assert len(tables.excel_text(long)) == tables.EXCEL_CELL_LIMIT and tables.excel_text(long).endswith("…")
    assert tables.excel_text("a\x00b\x0bc\ud800d") == "abcd"


ODD = ["<b>&amp; R&D", "x<y", "emoji 😀🇬🇧", "right-to-left: مرحبا بالعالم", "line one\nline two\r\nthree",
       "tab\tinside", "", " padded ", "quote \" and , comma", "é" * 10_000, "bell\x07 and nul\x00"]  # fmt: skip

odd_text = st.one_of(st.sampled_from(ODD), st.text(max_size=300))


def _odd_programme(store: Store, texts: list[str]) -> str:
    pid = store.create_programme(f"P{len(store.programmes())}", "S", default_framework())
    for number, text in enumerate(texts, start=1):
        area = store.insert("areas_of_focus", {"programme_id": pid, "number": number, "title": text})
        action = store.insert("actions", {"programme_id": pid, "title": text, "owner": text, "area_id": area,
                                          "due_date": "2019-01-01"})  # fmt: skip
        store.insert("action_notes", {"action_id": action, "date": "2019-01-02", "text": text})
        store.insert("milestones", {"programme_id": pid, "ambition": text, "title": text, "position": number})
    return pid


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(odd_text, min_size=1, max_size=4))
@example(texts=["emoji 😀🇬🇧", "right-to-left: مرحبا بالعالم", "עברית", "=1+1 _x0041_"])
def test_any_text_survives(store: Store, tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    pid = _odd_programme(store, texts)
    folder = tmp_path_factory.mktemp("odd")
    tables.write_csv(store, pid, folder)
    tables.write_xlsx(store, pid, folder / "d.xlsx")

    actions = _read_csv(folder / "actions.csv")
    assert [a["Action"] for a in actions] == [csv_shown(t) for t in texts]
    assert [a["Latest note"] for a in actions] == [csv_shown(t) for t in texts]
    milestones = _read_csv(folder / "milestones.csv")
    assert [m["Ambition"] for m in milestones] == [csv_shown(t) for t in texts]

    book = openpyxl.load_workbook(folder / "d.xlsx")

    def shown_in_excel(text: str) -> str | None:
        return excel_storable(text) or None  # an empty cell reads back as None

    got = _by_heading(_sheet_rows(book["Actions"]))
    assert [a["Action"] for a in got] == [shown_in_excel(t) for t in texts]
    assert [a["Latest note"] for a in got] == [shown_in_excel(t) for t in texts]
    assert [m["Ambition"] for m in _by_heading(_sheet_rows(book["Milestones"]))] == [shown_in_excel(t) for t in texts]


# -- whole or not at all ---------------------------------------------------------------------------


def _cancel_after(calls: int) -> Any:
    seen: list[str] = []

    def progress(percent: int, what: str) -> None:
        assert 0 <= percent <= 100 and what
        seen.append(what)
        if len(seen) > calls:
            raise ExportCancelled()

    return progress


@pytest.mark.parametrize("calls", [0, 3, 6, 9])
def test_cancelled_csv_leaves_no_file_and_keeps_old_ones(programme: Programme, tmp_path: Path, calls: int) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "actions.csv").write_text("old", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        tables.write_csv(programme.store, programme.id, folder, progress=_cancel_after(calls))
    assert _leftovers(folder) == ["actions.csv"]  # no temporary files, no new files
    assert (folder / "actions.csv").read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("calls", [0, 3, 6, 9])
def test_cancelled_workbook_leaves_no_file(programme: Programme, tmp_path: Path, calls: int) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        tables.write_xlsx(programme.store, programme.id, folder / "d.xlsx", progress=_cancel_after(calls))
    assert _leftovers(folder) == []


def test_failure_midway_leaves_no_file(programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables, "results_table", broken)
    with pytest.raises(ExportError, match="No space left"):
        tables.write_csv(programme.store, programme.id, tmp_path)
    with pytest.raises(ExportError, match="No space left"):
        tables.write_xlsx(programme.store, programme.id, tmp_path / "d.xlsx")
    assert not [p for p in _leftovers(tmp_path) if not p.startswith("programme.sqlite")]


def test_progress_goes_up_to_100(programme: Programme, tmp_path: Path) -> None:
    seen: list[int] = []
    tables.write_xlsx(programme.store, programme.id, tmp_path / "d.xlsx", progress=lambda p, _w: seen.append(p))
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 100


# -- the registry ------------------------------------------------------------------------------------


def test_default_names_are_safe_everywhere() -> None:
    assert registry.kind("roadmap").default_name(SYSTEM) == "Healthier Together (BNSSG) - roadmap.docx"
    assert registry.kind("summary").default_name(SYSTEM).endswith(".pdf")
    assert registry.kind("csv").default_name(SYSTEM) == "Healthier Together (BNSSG) - CSV"
    assert registry.safe_file_name('A/B: "C" <D>?*|\\', ".pdf") == "A-B- -C- -D-.pdf"
    assert registry.safe_file_name("CON", ".docx") == "_CON.docx"
    assert registry.safe_file_name(" .. ", ".xlsx") == "export.xlsx"
    assert registry.safe_file_name("tab\there\x00", "") == "tab-here-"
    assert registry.safe_file_name("x\ud800y 😀 مرحبا") == "xy 😀 مرحبا"
    assert len(registry.safe_file_name("a" * 500, ".docx")) == registry.MAX_NAME + len(".docx")
    assert registry.safe_file_name("ends with dots...", ".pdf") == "ends with dots.pdf"


def test_registry_writes_and_reports_unavailable_kinds(
    programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = registry.export("xlsx", programme.store, programme.id, tmp_path / "w.xlsx")
    assert written == [tmp_path / "w.xlsx"] and (tmp_path / "w.xlsx").exists()
    missing = dataclasses.replace(registry.kind("roadmap"), module="ics_desktop.exports.not_there")
    monkeypatch.setattr(registry, "KINDS", (missing, *registry.KINDS[1:]))
    assert not missing.available()
    with pytest.raises(ExportError, match="not available"):
        registry.export("roadmap", programme.store, programme.id, tmp_path / "r.docx")


def test_registry_creates_the_csv_folder_and_removes_it_when_cancelled(programme: Programme, tmp_path: Path) -> None:
    folder = tmp_path / "Healthier Together - CSV"
    with pytest.raises(ExportCancelled):
        registry.export("csv", programme.store, programme.id, folder, progress=_cancel_after(2), create_folder=True)
    assert not folder.exists()
    written = registry.export("csv", programme.store, programme.id, folder, create_folder=True)
    assert len(written) == 4 and all(p.parent == folder for p in written)
    with pytest.raises(ExportError, match="does not exist"):
        registry.export("csv", programme.store, programme.id, tmp_path / "a" / "b", create_folder=True)


# -- the command -------------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=180
    )


def _one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert needle in lines[0], lines[0]


@pytest.fixture
def sample_db(sample_file: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "sample.sqlite"
    copy.write_bytes(sample_file.read_bytes())
    yield copy


def test_command_writes_workbook_and_csv(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = sample_db.read_bytes()
    result = run("export", "--db", str(sample_db), "--programme", SYSTEM, "--xlsx", str(out / "data.xlsx"),
                 "--csv", str(out), "--assessment", "scoping readiness exercise")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote workbook: {out / 'data.xlsx'}",
        *(f"wrote csv: {out / name}.csv" for name in ("actions", "milestones", "responses", "results")),
    ]
    assert result.stderr == ""
    book = openpyxl.load_workbook(out / "data.xlsx")
    assert book["Results"].max_row == 15  # 14 capabilities of the one assessment
    assert len(_read_csv(out / "responses.csv")) > 0
    assert sample_db.read_bytes() == before  # opened read-only


def test_command_errors_are_one_line(sample_db: Path, tmp_path: Path) -> None:
    db = str(sample_db)
    nothing = run("export", "--db", db, "--programme", SYSTEM)
    _one_line_error(nothing, "--xlsx")
    assert nothing.returncode == 2
    _one_line_error(run("export", "--db", db, "--programme", "Nope", "--xlsx", str(tmp_path / "x.xlsx")), "Nope")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--assessment", "Nope", "--xlsx", "{tmp}/x.xlsx"], "No assessment called 'Nope'"),
        (["--csv", "{tmp}/missing"], "does not exist"),
        (["--xlsx", "{tmp}/missing/x.xlsx"], "does not exist"),
        (["--xlsx", "{tmp}"], "is a folder"),
        (["--db", "{tmp}/none.sqlite", "--xlsx", "{tmp}/x.xlsx"], "does not exist"),
    ],
)
def test_command_mistakes_in_process(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    from ics_desktop.cli import main

    argv = ["export", "--db", str(sample_db), "--programme", SYSTEM, *(a.format(tmp=tmp_path) for a in args)]
    assert main(argv) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], lines
    assert not (tmp_path / "x.xlsx").exists()


def test_command_file_not_writable(sample_db: Path, tmp_path: Path) -> None:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("permissions are not enforced for root or on this platform")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = run("export", "--db", str(sample_db), "--programme", SYSTEM, "--xlsx", str(locked / "x.xlsx"))
        _one_line_error(result, "Cannot write")
    finally:
        locked.chmod(0o755)


def test_command_writes_the_pdf_summary(sample_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("ics_desktop.exports.pdf_summary")
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "summary.pdf"
    result = run("export", "--db", str(sample_db), "--programme", SYSTEM, "--pdf", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote summary: {target}"
    assert len(pypdf.PdfReader(target).pages) >= 1


@pytest.mark.parametrize(
    ("option", "module", "noun"),
    [("--docx", "ics_desktop.exports.word_roadmap", "roadmap"), ("--tor", "ics_desktop.exports.word_tor",
                                                                   "terms of reference")],
)  # fmt: skip
def test_command_writes_word_documents(sample_db: Path, tmp_path: Path, option: str, module: str, noun: str) -> None:
    pytest.importorskip(module)
    docx = pytest.importorskip("docx")
    target = tmp_path / "doc.docx"
    result = run("export", "--db", str(sample_db), "--programme", SYSTEM, option, str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {noun}: {target}"
    assert docx.Document(str(target)).paragraphs  # a Word document python-docx can open


def test_date_helper_keeps_unparseable_text() -> None:
    assert tables._as_date("2019-01-31") == date(2019, 1, 31)
    assert tables._as_date("next week") == "next week"
    assert tables._as_date(None) is None


def test_roadmap_sections_match_the_writer() -> None:
    roadmap = pytest.importorskip("ics_desktop.exports.word_roadmap")
    assert tuple(key for key, _label in registry.ROADMAP_SECTIONS) == tuple(roadmap.SECTIONS)
