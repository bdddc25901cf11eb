"""The ICS baseline capabilities matrix as data, and validation of framework files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from ics_desktop.errors import FrameworkError
from ics_desktop.frameworks.framework import (
    default_framework,
    framework_from_dict,
    framework_from_json,
    load_framework_file,
)


def test_default_framework_has_the_seed_capabilities_word_for_word() -> None:
    fw = default_framework()
    assert fw.name == "ICS baseline capabilities"
    assert [c.code for c in fw.capabilities] == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3", "5.1",
    ]  # fmt: skip
    assert [d.title for d in fw.domains] == [
        "Effective leadership and relationships, capacity & capability",
        "Track record of delivery",
        "Strong financial management",
        "Focused on care redesign",
        "Coherent and defined population",
    ]
    assert fw.capability("1.1").statement == (
        "The system has strong leadership, with mature relationships including with local government."
    )
    assert fw.capability("3.2").statement == (
        "The system has credible plans for meeting system control total and, where not already achieved, "
        "for moving towards system financial balance."
    )
    assert fw.capability("5.1").statement.startswith("The system has a meaningful geographical footprint")
    assert all(c.covered for c in fw.capabilities)


def test_default_framework_scale_questions_and_stages() -> None:
    fw = default_framework()
    assert [(s.level, s.label) for s in fw.scale] == [
        (1, "More progress required"), (2, "Fair progress"), (3, "Making good progress"), (4, "Mature"),
    ]  # fmt: skip
    assert fw.question_keys() == ["now", "aspire", "realistic"]
    assert fw.questions[0].text == "Against the NHSE ICS baseline capabilities, where are we now?"
    assert fw.questions[1].text == "Where do we aspire to be in 18 months?"
    assert fw.questions[2].text == "Where do we realistically think we will be in 18 months?"
    assert [s.title for s in fw.stages] == [
        "Baseline capabilities required to become part of the aspirant ICS programme",
        "Baseline capabilities to become a shadow ICS",
        "Baseline capabilities to become a full ICS",
    ]
    leadership = fw.domains[0].stages
    assert leadership["aspirant"][0] == "STP lead is in place."
    assert "Strong leadership, with mature relationships including with local government." in leadership["shadow"]
    for domain in fw.domains:
        assert set(domain.stages) == {"aspirant", "shadow", "full"}
        assert all(domain.stages[k] for k in domain.stages)


def test_round_trip_and_coverage() -> None:
    fw = default_framework()
    again = framework_from_json(fw.to_json())
    assert again == fw
    narrowed = fw.with_coverage("5.1", False)
    assert not narrowed.capability("5.1").covered
    assert "5.1" not in narrowed.covered_codes
    assert framework_from_dict(narrowed.to_dict()).capability("5.1").covered is False


def _valid() -> dict[str, Any]:
    return copy.deepcopy(default_framework().to_dict())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("name"), "'name' is missing"),
        (lambda d: d.update(format="something-else"), "'format' must be"),
        (
            lambda d: d["domains"][0]["capabilities"][1].update(code="1.1"),
            "capability code '1.1' is used more than once",
        ),
        (lambda d: d["scale"][2].update(level=7), "levels must run 1, 2, 3"),
        (lambda d: d["domains"][1].update(capabilities=[]), "domains[2]: 'capabilities' must be a non-empty list"),
        (lambda d: d["domains"][0]["capabilities"][0].update(covered="no"), "'covered' must be true or false"),
        (lambda d: d["questions"].append({"key": "now", "label": "x", "text": "y"}), "'now' is used more than once"),
        (lambda d: d["domains"][0]["stages"].update(unknown=["x"]), "stage 'unknown' is not one of"),
        (lambda d: d["domains"][0]["capabilities"][0].update(statement=3), "'statement' must be text"),
    ],
)
def test_invalid_framework_is_reported_clearly(mutate: Any, message: str) -> None:
    data = _valid()
    mutate(data)
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(data)
    assert message in str(info.value)


def test_every_problem_is_listed_at_once() -> None:
    data = _valid()
    data.pop("name")
    data["scale"][0]["label"] = ""
    data["domains"][0]["capabilities"][0]["code"] = ""
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(data)
    text = str(info.value)
    assert "'name' is missing" in text and "scale[1]: 'label' is empty" in text and "'code' is empty" in text


def test_newer_format_bad_json_and_unreadable_file(tmp_path: Path) -> None:
    data = _valid()
    data["format_version"] = 99
    with pytest.raises(FrameworkError, match="newer version of ICS Desktop"):
        framework_from_dict(data)
    with pytest.raises(FrameworkError, match=r"not valid JSON \(line 1"):
        framework_from_json("{nope")
    with pytest.raises(FrameworkError, match="must hold a JSON object"):
        framework_from_json("[1, 2]")
    missing = tmp_path / "missing.json"
    with pytest.raises(FrameworkError, match="Cannot read framework file"):
        load_framework_file(missing)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(FrameworkError):
        load_framework_file(binary)


def test_shipped_framework_files_are_all_valid() -> None:
    folder = Path(__file__).resolve().parent.parent / "resources" / "frameworks"
    files = sorted(folder.glob("*.json"))
    assert files
    for path in files:
        json.loads(path.read_text(encoding="utf-8"))
        load_framework_file(path)


def test_hostile_framework_files_get_one_clear_message(tmp_path: Path) -> None:
    shipped = (
        Path(__file__).resolve().parent.parent / "resources" / "frameworks" / "ics-baseline-capabilities-2018.json"
    )
    text = shipped.read_text(encoding="utf-8")

    def refused(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(FrameworkError) as info:
            load_framework_file(path)
        return str(info.value)

    deep = b'{"domains": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert "nested more than 50 levels deep" in refused("deep.json", deep)
    low = text.replace('"name": "', '"name": "\\udc00', 1).encode()
    assert "not valid Unicode" in refused("surrogate.json", low)
    statement = json.loads(text)
    statement["domains"][0]["capabilities"][0]["statement"] = "x" * 600
    message = refused("long.json", json.dumps(statement).encode())
    assert "'statement' is 600 characters long; at most 500 fit" in message
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(50 * 2**20)
    with pytest.raises(FrameworkError, match=r"huge.json is 50.0 MB; .* up to 5 MB"):
        load_framework_file(huge)
    # A byte order mark, as Windows Notepad saves UTF-8, is not a problem.
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_framework_file(bom) == load_framework_file(shipped)
