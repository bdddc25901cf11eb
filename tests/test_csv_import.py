"""Importing readiness responses from CSV: every problem listed by row, all or nothing, real files and processes."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ics_desktop.errors import StoreError, UserFacingError
from ics_desktop.frameworks.assessments import create_assessment, respondents, response_map
from ics_desktop.frameworks.csv_import import (
    HEADLINE,
    MAX_BYTES,
    CsvFileError,
    CsvImportError,
    ImportReport,
    ParsedResponse,
    import_csv_bytes,
    import_responses,
    parse_responses,
    parse_responses_bytes,
    read_csv_file,
)
from ics_desktop.frameworks.framework import Framework, default_framework
from ics_desktop.frameworks.scoring import compute_results
from ics_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "Supporting Aspiring ICS Programme"
FRAMEWORK = default_framework().with_coverage("5.1", False)  # as in the sample programme
QUESTIONS = ("now", "aspire", "realistic")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=120
    )


def _assert_one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert needle in lines[0], result.stderr


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _errors(text: str | bytes, framework: Framework = FRAMEWORK) -> list[str]:
    with pytest.raises(CsvImportError) as info:
        if isinstance(text, bytes):
            parse_responses_bytes(text, framework)
        else:
            parse_responses(text, framework)
    return info.value.errors


def _cells(parsed: list[ParsedResponse]) -> set[tuple[str, str, str, int | None]]:
    return {(p.participant, p.capability_code, p.question, p.score) for p in parsed}


# Three participants × four capabilities (5.1 is not covered in the sample) × three questions.
PARTICIPANTS = ("Ann Smith", "Bob Jones", "P-3")
CAPABILITIES = ("1.1", "2.2", "4.3", "5.1")
SCORES: dict[tuple[str, str, str], str] = {}
for _p, _participant in enumerate(PARTICIPANTS):
    for _c, _code in enumerate(CAPABILITIES):
        for _q, _question in enumerate(QUESTIONS):
            SCORES[(_participant, _code, _question)] = str(1 + (_p * 2 + _c + _q * 3) % 4)
SCORES[("Bob Jones", "2.2", "realistic")] = "?"  # one don't know
LONG_ROWS = [["participant", "capability", "question", "score", "notes"]] + [
    [p, c, q, s, "" if i % 5 else "said so in the room"] for i, ((p, c, q), s) in enumerate(SCORES.items())
]


def _wide_rows() -> list[list[str]]:
    styles = ["{c} {q}", "{c}_{q}", "{c}-{q}", "{c} ({q})"]
    columns = [(c, q) for c in CAPABILITIES for q in QUESTIONS]
    header = ["Participant"] + [
        styles[i % 4].format(c=c, q=q.upper() if i % 3 else q) for i, (c, q) in enumerate(columns)
    ]
    return [header] + [[p] + [SCORES[(p, c, q)] for c, q in columns] for p in PARTICIPANTS]


def _expected(rows: list[list[str]]) -> dict[str, dict[str, dict[str, object]]]:
    """Means, n, counts and don't-knows per capability and question, worked out from the CSV rows alone."""
    header = [h.strip().casefold() for h in rows[0]]
    at = {name: header.index(name) for name in ("participant", "capability", "question", "score")}
    scores: dict[tuple[str, str], list[int | None]] = {}
    for row in rows[1:]:
        raw = row[at["score"]].strip()
        scores.setdefault((row[at["capability"]], row[at["question"]]), []).append(None if raw == "?" else int(raw))
    out: dict[str, dict[str, dict[str, object]]] = {}
    for (code, question), values in scores.items():
        given_scores = [v for v in values if v is not None]
        out.setdefault(code, {})[question] = {
            "n": len(given_scores),
            "mean": sum(given_scores) / len(given_scores) if given_scores else None,
            "counts": {str(level): given_scores.count(level) for level in (1, 2, 3, 4)},
            "dont_know": len(values) - len(given_scores),
        }
    return out


@pytest.fixture
def sample_copy(sample_file: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_file, db)
    return db


@pytest.fixture
def programme_id(sample_store: Store) -> str:
    found = sample_store.programme_by_name(PROGRAMME)
    assert found is not None
    return found.id


@pytest.fixture
def new_assessment(sample_store: Store, programme_id: str) -> Iterator[str]:
    yield create_assessment(sample_store, programme_id, "End of programme", "2018-12-01")


def _summary(db: Path) -> str:
    result = run("summary", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout


def _totals(store: Store) -> list[int]:
    """How many assessments, respondents and responses the whole database holds."""
    return [
        int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("assessments", "respondents", "responses")
    ]


# -- acceptance: through the command, checked against `summary` ------------------------------


def test_acceptance_import_into_a_new_assessment_matches_summary(sample_copy: Path, tmp_path: Path) -> None:
    before = json.loads(_summary(sample_copy))["programmes"][0]["assessments"]
    path = tmp_path / "responses.csv"
    path.write_text(_csv(LONG_ROWS), encoding="utf-8")

    result = run(
        "import-responses", "--db", str(sample_copy), "--programme", PROGRAMME,
        "--assessment", "End of programme", "--csv", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "imported 36 responses from 3 participants into 'End of programme' (new assessment)\n"

    assessments = json.loads(_summary(sample_copy))["programmes"][0]["assessments"]
    assert assessments[: len(before)] == before  # the earlier round is untouched
    [imported] = [a for a in assessments if a["name"] == "End of programme"]
    assert imported["date"] == date.today().isoformat()
    assert imported["respondents"] == 3 and imported["illustrative_respondents"] == 0

    expected = _expected(LONG_ROWS)
    caps = imported["capabilities"]
    for code, by_question in caps.items():
        for question in QUESTIONS:
            got = by_question[question]
            want = expected.get(code, {}).get(question)
            if want is None:  # not in the file
                assert (got["n"], got["mean"], got["dont_know"]) == (0, None, 0)
                continue
            assert got["n"] == want["n"]
            assert got["counts"] == want["counts"]
            assert got["dont_know"] == want["dont_know"]
            assert got["mean"] == pytest.approx(want["mean"])
    assert caps["2.2"]["realistic"]["dont_know"] == 1 and caps["2.2"]["realistic"]["n"] == 2
    assert caps["5.1"]["now"]["n"] == 3  # not covered on this programme, but the votes are kept

    for question in QUESTIONS:
        means = [
            m for code in ("1.1", "2.2", "4.3") if (m := expected[code][question]["mean"]) is not None
        ]  # covered capabilities with scores; 5.1 is not covered
        assert imported["overall"][question] == pytest.approx(sum(means) / len(means))  # type: ignore[arg-type]


def test_acceptance_one_bad_row_saves_nothing(sample_copy: Path, tmp_path: Path) -> None:
    rows = [list(r) for r in LONG_ROWS]
    rows[3][3] = "5"  # spreadsheet row 4 (the header is row 1)
    path = tmp_path / "responses.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    summary_before = _summary(sample_copy)

    result = run(
        "import-responses", "--db", str(sample_copy), "--programme", PROGRAMME,
        "--assessment", "End of programme", "--csv", str(path),
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"error: {HEADLINE}", "  row 4: score '5' is outside 1–4"]
    assert _summary(sample_copy) == summary_before

    # …and into the existing assessment too
    existing = run(
        "import-responses", "--db", str(sample_copy), "--programme", PROGRAMME,
        "--assessment", "Scoping readiness exercise", "--csv", str(path),
    )  # fmt: skip
    assert existing.returncode != 0 and "row 4" in existing.stderr
    assert _summary(sample_copy) == summary_before


def test_acceptance_several_bad_rows_are_each_listed(sample_copy: Path, tmp_path: Path) -> None:
    rows = [list(r) for r in LONG_ROWS]
    rows[2][3] = "high"  # row 3
    rows[4][1] = "9.9"  # row 5
    rows[6][2] = "later"  # row 7
    rows[9][0] = " "  # row 10
    rows.append(list(rows[1]))  # row 38 repeats row 2
    path = tmp_path / "responses.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    summary_before = _summary(sample_copy)

    result = run(
        "import-responses", "--db", str(sample_copy), "--programme", PROGRAMME,
        "--assessment", "End of programme", "--csv", str(path),
    )  # fmt: skip
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {HEADLINE}"
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["row 3", "row 5", "row 7", "row 10", "row 38"]
    assert "score 'high' is not a number" in lines[1]
    assert "no capability '9.9'" in lines[2]
    assert "no question 'later'" in lines[3]
    assert "no participant" in lines[4]
    assert "duplicate of row 2" in lines[5]
    assert _summary(sample_copy) == summary_before


# -- the command ---------------------------------------------------------------------------


def test_command_reimport_replaces_and_reports(sample_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(_csv(_wide_rows()), encoding="utf-8")
    args = ("import-responses", "--db", str(sample_copy), "--programme", "healthier together (bnssg)")
    first = run(*args, "--assessment", "End of programme", "--csv", str(path))
    assert first.returncode == 0, first.stderr
    rows = _wide_rows()
    rows[1][1] = "4"
    path.write_text(_csv(rows[:2]), encoding="utf-8")
    again = run(*args, "--assessment", "  end of PROGRAMME ", "--csv", str(path))
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "imported 12 responses from 1 participant into 'End of programme' (existing assessment: 0 added, 1 updated)\n"
    )
    [imported] = [
        a for a in json.loads(_summary(sample_copy))["programmes"][0]["assessments"] if a["name"] == "End of programme"
    ]
    assert imported["respondents"] == 3


def test_command_user_mistakes_get_one_line(sample_copy: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(_csv(LONG_ROWS), encoding="utf-8")
    base = ("import-responses", "--db", str(sample_copy), "--programme", PROGRAMME, "--assessment", "E")
    missing = tmp_path / "missing.csv"
    _assert_one_line_error(
        run(*base, "--csv", str(missing)), f"error: cannot read {missing}: No such file or directory"
    )
    _assert_one_line_error(run(*base, "--csv", str(tmp_path)), "cannot read")
    _assert_one_line_error(
        run(
            "import-responses", "--db", str(sample_copy), "--programme", "Nope", "--assessment", "E", "--csv", str(good)
        ),
        "No programme called 'Nope'",
    )
    _assert_one_line_error(
        run("import-responses", "--db", str(tmp_path / "no.sqlite"), "--programme", PROGRAMME, "--assessment", "E",
            "--csv", str(good)),
        "does not exist",
    )  # fmt: skip
    assert not (tmp_path / "no.sqlite").exists()
    _assert_one_line_error(run(*base), "required: --csv")
    _assert_one_line_error(run(*base[:-2], "--assessment", " ", "--csv", str(good)), "needs a name")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("participant,capability,question,score\nZoë,1.1,now,3\n".encode("latin-1"))
    result = run(*base, "--csv", str(latin1))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[1].startswith("  The file is not UTF-8 text")


# -- parsing -------------------------------------------------------------------------------


def test_long_format_values_and_layout() -> None:
    text = (
        " Score ;QUESTION; capability ;Participant;comment\r\n"
        " 3 ;now;1.1;Ann;\r\n"
        "3.0;Aspire;1.1;Ann;x\r\n"
        "?;realistic;1.1;Ann;\r\n"
        "DK;now;5.1;Ann;\r\n"
        "Don't know;now;1.2;Ann;\r\n"
        "4,0;now;1.3;Ann;\r\n"
        ";;;;\r\n"
        "\r\n"
        "1;now;1.1;Smith, J;\r\n"
    )
    parsed = parse_responses(text, FRAMEWORK)
    assert [(p.row, p.participant, p.capability_code, p.question, p.score) for p in parsed] == [
        (2, "Ann", "1.1", "now", 3),
        (3, "Ann", "1.1", "aspire", 3),
        (4, "Ann", "1.1", "realistic", None),
        (5, "Ann", "5.1", "now", None),
        (6, "Ann", "1.2", "now", None),
        (7, "Ann", "1.3", "now", 4),
        (10, "Smith, J", "1.1", "now", 1),
    ]


def test_wide_format_equals_long_format(sample_store: Store, programme_id: str) -> None:
    long_parsed = parse_responses(_csv(LONG_ROWS), FRAMEWORK)
    wide_parsed = parse_responses(_csv(_wide_rows()), FRAMEWORK)
    assert _cells(wide_parsed) == _cells(long_parsed) and len(wide_parsed) == len(long_parsed) == 36
    ids = [create_assessment(sample_store, programme_id, name, "2018-12-01") for name in ("Long", "Wide")]
    for assessment_id, parsed in zip(ids, (long_parsed, wide_parsed), strict=True):
        assert import_responses(sample_store, assessment_id, parsed) == ImportReport(3, 0, 36)
    framework = sample_store.programme_framework(programme_id)
    long_results, wide_results = (compute_results(framework, sample_store.responses(i)) for i in ids)
    assert long_results.by_capability == wide_results.by_capability
    assert set(sample_store.responses(ids[0])) == set(sample_store.responses(ids[1]))


def test_wide_format_blank_cells_and_header_spellings() -> None:
    text = _csv(
        [
            ["participant", "1.1 now", "1.1_Aspire", "1.1-realistic", "2.1 ( now )", ""],
            ["Ann", "2", "", "?", "4", ""],
            ["Bob", "", "", "", "", ""],
            ["", "", "", "", "", ""],
        ],
        delimiter="\t",
    )
    parsed = parse_responses(text, FRAMEWORK)
    assert _cells(parsed) == {("Ann", "1.1", "now", 2), ("Ann", "1.1", "realistic", None), ("Ann", "2.1", "now", 4)}


def test_semicolon_and_bom() -> None:
    text = _csv(LONG_ROWS, delimiter=";")
    expected = _cells(parse_responses(_csv(LONG_ROWS), FRAMEWORK))
    assert _cells(parse_responses(text, FRAMEWORK)) == expected
    assert _cells(parse_responses_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), FRAMEWORK)) == expected
    assert _cells(parse_responses("\ufeff" + _csv(_wide_rows(), delimiter=";"), FRAMEWORK)) == expected
    assert _cells(parse_responses_bytes(_csv(LONG_ROWS, delimiter="\t").encode("utf-8-sig"), FRAMEWORK)) == expected


def test_duplicates_name_the_first_row() -> None:
    errors = _errors("participant,capability,question,score\nAnn,1.1,now,2\nBob,1.1,now,2\nAnn, 1.1 ,NOW,3\n")
    assert errors == ["row 4: duplicate of row 2 ('Ann', 1.1 now given twice)"]
    wide = _errors("participant,1.1 now,1.1 aspire\nAnn,1,2\nAnn,,3\n")
    assert wide == ["row 3 (1.1 aspire): duplicate of row 2 ('Ann', 1.1 aspire given twice)"]
    assert len(parse_responses("participant,1.1 now,1.1 aspire\nAnn,1,\nAnn,,3\n", FRAMEWORK)) == 2  # no overlap
    both = _errors("participant,1.1 now,1.1_NOW\nAnn,1,2\n")
    assert both == ["header: columns '1.1 now' and '1.1_NOW' are both 1.1 now"]


def test_unknown_capability_question_and_bad_scores() -> None:
    text = (
        "participant,capability,question,score\n"
        "Ann,9.9,now,2\n"
        "Ann,1.1,later,2\n"
        "Ann,1.1,now,5\n"
        "Ann,1.2,now,0\n"
        "Ann,1.3,now,2.5\n"
        "Ann,1.4,now,lots\n"
        "Ann,1.5,now,\n"
        ",2.1,now,1\n"
        "Ann,,,nan\n"
        "Ann,2.1,now,1e0\n"
        "Ann,2.2,now,\u0663\n"
        "Ann,3.1,now,\uff13\n"
        "Ann,3.2,now,3.0\n"
    )
    assert _errors(text) == [
        "row 2: no capability '9.9' in the framework",
        "row 3: no question 'later' (questions: now, aspire, realistic)",
        "row 4: score '5' is outside 1–4",
        "row 5: score '0' is outside 1–4",
        "row 6: score '2.5' is not a whole number (use 1–4, or ? for don't know)",
        "row 7: score 'lots' is not a number (use 1–4, or ? for don't know)",
        "row 8: no score (use 1–4, or ? for don't know)",
        "row 9: no participant",
        "row 10: no capability",
        "row 10: no question (questions: now, aspire, realistic)",
        "row 10: score 'nan' is not a number (use 1–4, or ? for don't know)",
        "row 11: score '1e0' is not a number (use 1–4, or ? for don't know)",
        "row 12: score '\u0663' is not a number (use 1–4, or ? for don't know)",
        "row 13: score '\uff13' is not a number (use 1–4, or ? for don't know)",
    ]
    wide = _errors("participant,1.1 now,9.9 now,1.1 later,organisation,1.1\nAnn,5,1,1,NHS,1\n")
    assert wide == [
        "header: column '9.9 now': no capability '9.9' in the framework",
        "header: column '1.1 later': no question 'later' (questions: now, aspire, realistic)",
        "header: column 'organisation' is not a capability and question "
        "(expected a capability and a question such as '1.1 now')",
        "header: column '1.1' is not a capability and question "
        "(expected a capability and a question such as '1.1 now')",
        "row 2 (1.1 now): score '5' is outside 1–4",
    ]


def test_header_and_ragged_rows() -> None:
    assert _errors("participant,capability,score,notes\nAnn,1.1,3,x\n") == [
        "header: missing column 'question' (a file with one response per row needs participant, capability, "
        "question and score)"
    ]
    assert _errors("who,capability,what,score\nAnn,1.1,now,3\nAnn,1.1,now\n")[0].startswith(
        "header: missing columns 'participant', 'question'"
    )
    assert _errors("name,1.1 now\nAnn,3\n")[0].startswith("header: the first row must name the columns")
    assert _errors("participant,capability,question,score\nAnn,1.1,now\nAnn,1.2,now,3,4\nAnn,1.3,now,3,,\n") == [
        "row 2: has 3 cells but the header has 4 columns",
        "row 3: has 5 cells but the header has 4 columns",
    ]
    assert _errors("participant,1.1 now,,1.2 now\nAnn,1,,2\nBob,1,x,2\nCy,1,y,2\n") == [
        "header: column 3 has no heading but row 3 has a value in it"
    ]
    # one line per problem, whatever the file holds
    [line] = _errors('participant,capability,question,score\n"A\nB",1.1,now,"5\n6"\n')
    assert line.startswith("row 2: score '5\\n6' is not a number") and "\n" not in line


def test_error_message_format() -> None:
    with pytest.raises(CsvImportError) as info:
        parse_responses("participant,capability,question,score\nAnn,1.1,now,5\nAnn,1.2,now,x\n", FRAMEWORK)
    error = info.value
    assert isinstance(error, UserFacingError)
    assert str(error) == (
        "The file was not imported; nothing was saved.\n"
        "  row 2: score '5' is outside 1–4\n"
        "  row 3: score 'x' is not a number (use 1–4, or ? for don't know)"
    )
    many = _errors("participant,capability,question,score\n" + "Ann,1.1,now,9\n" * 250)
    assert len(many) == 250
    with pytest.raises(CsvImportError) as info:
        parse_responses("participant,capability,question,score\n" + "Ann,1.1,now,9\n" * 250, FRAMEWORK)
    assert str(info.value).splitlines()[-1] == "  … and 50 more problems"


def test_bad_files() -> None:
    assert _errors("") == ["The file is empty."]
    assert _errors(b"") == ["The file is empty."]
    assert _errors(b"\xef\xbb\xbf \r\n\r\n") == ["The file is empty."]
    assert _errors(",,\n , \n\t\n") == ["The file is empty."]
    assert _errors("participant,capability,question,score\n\n,,,\n") == [
        "The file has a header row but no rows of responses."
    ]
    assert _errors("participant,1.1 now\nAnn,\n") == ["The file holds no scores (every score cell is empty)."]
    [not_utf8] = _errors("participant,1.1 now\nZoë,3\n".encode("cp1252"))
    assert not_utf8.startswith("The file is not UTF-8 text (byte 0xEB on line 2")
    [utf16] = _errors("participant,1.1 now\nAnn,3\n".encode("utf-16"))
    assert utf16.startswith("The file is not UTF-8 text (it is UTF-16)")
    [big] = _errors(b"participant,1.1 now\n" + b"Ann,3\n" * (MAX_BYTES // 6 + 1))
    assert "over 5 MB" in big
    [big_text] = _errors("x" * (MAX_BYTES + 1))
    assert "over 5 MB" in big_text
    assert _errors("participant,1.1 now\nA\ud800,3\n")[0].startswith("The text holds characters")


def test_read_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"participant,1.1 now\nAnn,3\n")
    assert read_csv_file(path) == b"participant,1.1 now\nAnn,3\n"
    with pytest.raises(CsvFileError, match="No such file or directory"):
        read_csv_file(tmp_path / "missing.csv")
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(CsvImportError, match="over 5 MB"):
        read_csv_file(path)


# -- importing -----------------------------------------------------------------------------


def test_reimport_replaces_scores_instead_of_duplicating(sample_store: Store, new_assessment: str) -> None:
    parsed = parse_responses(_csv(LONG_ROWS), FRAMEWORK)
    assert import_responses(sample_store, new_assessment, parsed) == ImportReport(3, 0, 36)
    people = respondents(sample_store, new_assessment)
    assert sorted(r.label for r in people) == sorted(PARTICIPANTS) and {r.kind for r in people} == {"import"}
    rows = [list(r) for r in LONG_ROWS]
    rows[1][3] = "4" if rows[1][3] != "4" else "1"
    changed = parse_responses(_csv(rows), FRAMEWORK)
    report = import_responses(sample_store, new_assessment, changed)
    assert report == ImportReport(0, 3, 36) and report.participants == 3
    assert respondents(sample_store, new_assessment) == people
    assert len(sample_store.responses(new_assessment)) == 36
    by_label = {r.id: r.label for r in people}
    scores = {(by_label[k[0]], k[1], k[2]): v for k, v in response_map(sample_store, new_assessment).items()}
    assert scores[(rows[1][0], rows[1][1], rows[1][2])] == int(rows[1][3])


def test_existing_respondent_keeps_other_scores(sample_store: Store, programme_id: str) -> None:
    [scoping] = sample_store.assessments(programme_id)
    before = {(r.respondent, r.capability_code, r.question): r.score for r in sample_store.responses(scoping.id)}
    text = "participant,capability,question,score\nP01,1.1,now,4\nNew person,1.1,now,1\n"
    report = import_responses(sample_store, scoping.id, parse_responses(text, FRAMEWORK))
    assert report == ImportReport(participants_added=1, participants_updated=1, responses=2)
    after = {(r.respondent, r.capability_code, r.question): r.score for r in sample_store.responses(scoping.id)}
    assert after.pop(("P01", "1.1", "now")) == 4 and after.pop(("New person", "1.1", "now")) == 1
    before.pop(("P01", "1.1", "now"))
    assert after == before
    assert len(respondents(sample_store, scoping.id)) == 15


def test_import_is_atomic(sample_store: Store, new_assessment: str) -> None:
    totals = _totals(sample_store)
    parsed = parse_responses(_csv(LONG_ROWS), FRAMEWORK)
    broken = [*parsed, ParsedResponse(99, "Zed", "1.1", "now", 9)]  # the database's CHECK refuses 9
    with pytest.raises(StoreError, match="nothing was saved"):
        import_responses(sample_store, new_assessment, broken)
    assert _totals(sample_store) == totals
    assert respondents(sample_store, new_assessment) == []
    assert not sample_store.conn.in_transaction


def test_new_assessment_and_import_are_one_transaction(
    sample_store: Store, programme_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    totals = _totals(sample_store)
    calls = 0
    real = Store.set_response

    def failing(self: Store, *args: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 20:
            raise sqlite3.OperationalError("disk I/O error")
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "set_response", failing)
    data = _csv(LONG_ROWS).encode("utf-8")
    with pytest.raises(StoreError, match="disk I/O error"):
        import_csv_bytes(sample_store, programme_id, "End of programme", data, today="2018-12-01")
    assert _totals(sample_store) == totals
    monkeypatch.undo()
    result = import_csv_bytes(sample_store, programme_id, "End of programme", data, today="2018-12-01")
    assert (result.created, result.assessment_name, result.report) == (True, "End of programme", ImportReport(3, 0, 36))
    again = import_csv_bytes(sample_store, programme_id, "END OF PROGRAMME", data, today="2019-01-01")
    assert (again.created, again.assessment_id, again.report) == (False, result.assessment_id, ImportReport(0, 3, 36))
    assert sample_store.get("assessments", result.assessment_id)["date"] == "2018-12-01"


def test_bad_file_creates_no_assessment(sample_store: Store, programme_id: str) -> None:
    totals = _totals(sample_store)
    with pytest.raises(CsvImportError):
        import_csv_bytes(sample_store, programme_id, "End", b"participant,1.1 now\nAnn,7\n", today="2018-12-01")
    assert _totals(sample_store) == totals


# -- never anything but CsvImportError ------------------------------------------------------

TOKENS = st.sampled_from(
    ["participant", "Participant ", "capability", "question", "score", "1.1", "5.1", "9.9", "now", "aspire",
     "REALISTIC", "1.1 now", "1.1_aspire", "2.1 (now)", "1.1-", "(now)", "()", "-", "_", "3", " 4 ", "3.0", "5",
     "0", "-1", "?", "dk", "nan", "inf", "1e400", "2,5", "", " ", "x", "Ann", "\ufeff", "\u2028", "\x00"]
)  # fmt: skip


def _check_parsed(parsed: list[ParsedResponse]) -> None:
    codes = {c.code for c in FRAMEWORK.capabilities}
    seen = set()
    for p in parsed:
        assert p.participant and p.participant == p.participant.strip()
        assert p.capability_code in codes and p.question in QUESTIONS
        assert p.score is None or 1 <= p.score <= 4
        assert (p.participant, p.capability_code, p.question) not in seen
        seen.add((p.participant, p.capability_code, p.question))


def _outcome(call: object) -> None:
    try:
        parsed = call()  # type: ignore[operator]
    except CsvImportError as exc:
        assert exc.errors and all("\n" not in e for e in exc.errors)
        assert str(exc).startswith(HEADLINE)
        return
    assert parsed
    _check_parsed(parsed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_only_raises_csv_import_error(text: str) -> None:
    _outcome(lambda: parse_responses(text, FRAMEWORK))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary())
def test_arbitrary_bytes_only_raise_csv_import_error(data: bytes) -> None:
    _outcome(lambda: parse_responses_bytes(data, FRAMEWORK))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(TOKENS | st.text(max_size=5), min_size=0, max_size=6), min_size=0, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_csv_like_text_only_raises_csv_import_error(
    rows: list[list[str]], delimiter: str, newline: str, quote_all: bool
) -> None:
    buffer = io.StringIO()
    writer = (
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_ALL)
        if quote_all
        else csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    )
    writer.writerows(rows)
    _outcome(lambda: parse_responses(buffer.getvalue(), FRAMEWORK))
    _outcome(lambda: parse_responses(delimiter.join(",".join(r) for r in rows), FRAMEWORK))


def test_huge_cells_are_refused_quickly() -> None:
    header = "participant," + " " * 100_000 + "1.1" + "-" * 50_000 + "now"
    assert _errors(header + "\nAnn,3\n")[0].startswith("header: column '")
    assert _errors("participant,capability,question,score\n" + "a," * 200_000 + "\n") == [
        "row 2: has 200001 cells but the header has 4 columns"
    ]
    huge = _errors("participant,capability,question,score\nAnn,1.1,now,3\n" + "x" * 200_000 + ",1.1,now,3\n")
    assert huge == ["row 3: cannot be read as CSV (field larger than field limit (131072))"]
