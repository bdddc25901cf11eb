"""Hostile and damaged bundles: each is refused with one clear line and the database stays byte-for-byte the same."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ics_desktop.bundles import format as bundle_format
from ics_desktop.bundles.format import MANIFEST, PROGRAMME, SYNC, BundleError
from ics_desktop.bundles.merge import apply_merge, plan_merge
from ics_desktop.bundles.transfer import export_bundle, import_bundle, load_bundle
from ics_desktop.storage.store import Store

Data = dict[str, Any]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, sample_file: Path) -> tuple[Data, Data, bytes]:
    """A genuine bundle of the sample: (manifest, programme.json data, sync.json bytes)."""
    folder = tmp_path_factory.mktemp("good")
    store = Store.open(shutil.copyfile(sample_file, folder / "s.sqlite"))
    try:
        export_bundle(store, store.programmes()[0].id, folder / "good.icsbundle")
    finally:
        store.close()
    with zipfile.ZipFile(folder / "good.icsbundle") as zf:
        return json.loads(zf.read(MANIFEST)), json.loads(zf.read(PROGRAMME)), zf.read(SYNC)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def _bundle(
    good: tuple[Data, Data, bytes],
    *,
    data: Callable[[Data], Any] | None = None,
    raw_programme: bytes | None = None,
    manifest: Callable[[Data], None] | None = None,
    sync: bytes | None = None,
    extra: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    checksums: bool = True,
) -> bytes:
    """The good bundle with one thing changed; checksums recomputed unless told not to."""
    good_manifest, good_data, good_sync = good
    body = copy.deepcopy(good_data)
    if data is not None:
        replaced = data(body)
        body = body if replaced is None else replaced
    programme = raw_programme if raw_programme is not None else json.dumps(body, ensure_ascii=False).encode()
    sync_bytes = good_sync if sync is None else sync
    files = {PROGRAMME: programme, SYNC: sync_bytes}
    man = copy.deepcopy(good_manifest)
    if checksums:
        man["files"] = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    if manifest is not None:
        manifest(man)
    return _zip([(MANIFEST, json.dumps(man).encode()), *files.items(), *extra])


def _table(name: str) -> Callable[[Data], list[Data]]:
    return lambda body: body["tables"][name]


def _set(table: str, index: int, **values: Any) -> Callable[[Data], None]:
    def change(body: Data) -> None:
        body["tables"][table][index].update(values)

    return change


def _drop(table: str, index: int, column: str) -> Callable[[Data], None]:
    def change(body: Data) -> None:
        del body["tables"][table][index][column]

    return change


def _nest(depth: int) -> bytes:
    return b'{"tables": {"people": ' + b"[" * depth + b"]" * depth + b"}}"


def _many_members(good: tuple[Data, Data, bytes]) -> bytes:
    return _zip([(f"m{i}.json", b"{}") for i in range(1001)])


NOT_GENUINE = "not an ICS Desktop bundle"
# (case id, how to build it from the good bundle, what the one-line message says)
CASES: list[tuple[str, Callable[[tuple[Data, Data, bytes]], bytes], str]] = [
    ("text file", lambda g: b"programme, people\n1, 2\n", "it is not a zip file"),
    ("empty file", lambda g: b"", "it is not a zip file"),
    ("truncated zip", lambda g: _bundle(g)[:-200], "not"),
    ("parent path", lambda g: _bundle(g, extra=[("../evil.json", b"{}")]), "unsafe name ('../evil.json')"),
    ("nested parent path", lambda g: _bundle(g, extra=[("a/../../evil", b"")]), "unsafe name"),
    ("absolute path", lambda g: _bundle(g, extra=[("/etc/cron.d/x", b"")]), "unsafe name"),
    ("backslash path", lambda g: _bundle(g, extra=[("..\\evil.json", b"")]), "unsafe name"),
    ("drive letter", lambda g: _bundle(g, extra=[("C:/Windows/evil.dll", b"")]), "unsafe name"),
    ("unexpected member", lambda g: _bundle(g, extra=[("notes.txt", b"hi")]), "never has (notes.txt)"),
    ("too many members", _many_members, "more than 1000 files"),
    ("no manifest", lambda g: _zip([(PROGRAMME, b"{}")]), "it has no manifest.json"),
    (
        "manifest not json",
        lambda g: _zip([(MANIFEST, b"{nope"), (PROGRAMME, b"{}")]),
        "manifest.json is not valid JSON",
    ),
    ("foreign manifest", lambda g: _bundle(g, manifest=lambda m: m.update(format="zip")), "manifest does not say so"),
    (
        "newer format",
        lambda g: _bundle(g, manifest=lambda m: m.update(format_version=2)),
        "newer version of ICS Desktop",
    ),
    ("newer schema", lambda g: _bundle(g, manifest=lambda m: m.update(schema_version=999)), "newer version of ICS"),
    (
        "version as text",
        lambda g: _bundle(g, manifest=lambda m: m.update(schema_version="3")),
        "no valid format or schema",
    ),
    ("bad scope", lambda g: _bundle(g, manifest=lambda m: m.update(scope="everything")), "no valid scope"),
    ("no programme named", lambda g: _bundle(g, manifest=lambda m: m.pop("programme")), "does not name its programme"),
    ("checksum mismatch", lambda g: _bundle(g, data=_set("people", 0, role="Edited"), checksums=False), "checksum"),
    (
        "member missing",
        lambda g: _zip([(MANIFEST, json.dumps(g[0]).encode()), (SYNC, g[2])]),
        "do not match its manifest",
    ),
    ("deeply nested", lambda g: _bundle(g, raw_programme=_nest(60)), "nested more than 50 levels deep"),
    ("very deeply nested", lambda g: _bundle(g, raw_programme=_nest(200_000)), "nested more than 50 levels deep"),
    ("huge string", lambda g: _bundle(g, data=_set("people", 0, profile="x" * 1_000_001)), "longer than 1,000,000"),
    ("not utf-8", lambda g: _bundle(g, raw_programme=b'{"tables": {"\xff": []}}'), "is not UTF-8 text"),
    ("lone surrogate", lambda g: _bundle(g, raw_programme=b'{"tables": {"people": ["\\ud800"]}}'), "not valid Unicode"),
    (
        "lone low surrogate",
        lambda g: _bundle(g, raw_programme=b'{"tables": {"people": ["\\udc00"]}}'),
        "not valid Unicode",
    ),
    (
        "lone low surrogate in a name",
        lambda g: _bundle(g, raw_programme=_escaped(g, "people", 0, name="Ann \udc00")),
        "not valid Unicode",
    ),
    ("duplicate key", lambda g: _bundle(g, raw_programme=b'{"tables": {}, "tables": {}}'), "a key appears twice"),
    ("NaN", lambda g: _bundle(g, raw_programme=b'{"tables": {"people": [NaN]}}'), "NaN is not allowed"),
    ("huge number", lambda g: _bundle(g, data=_set("people", 0, position=10**30)), "number too large"),
    ("tables missing", lambda g: _bundle(g, data=lambda b: {"records": []}), "holds no tables of records"),
    ("table not a list", lambda g: _bundle(g, data=lambda b: b["tables"].update(people={})), "not a list of records"),
    ("unknown table", lambda g: _bundle(g, data=lambda b: b["tables"].update(secrets=[])), "('secrets')"),
    ("row not an object", lambda g: _bundle(g, data=lambda b: b["tables"]["people"].append("x")), "is not a record"),
    ("unknown column", lambda g: _bundle(g, data=_set("people", 0, password="x")), "does not know ('password')"),
    ("text as number", lambda g: _bundle(g, data=_set("people", 0, role=5)), "person 1 has 'role' that is not text"),
    ("bool as number", lambda g: _bundle(g, data=_set("people", 0, position=True)), "'position' that is not a whole"),
    ("missing field", lambda g: _bundle(g, data=_drop("people", 0, "programme_id")), "lacks its 'programme_id'"),
    ("null required", lambda g: _bundle(g, data=_set("people", 0, name=None)), "no value for 'name'"),
    ("id not a uuid", lambda g: _bundle(g, data=_set("people", 0, id="../../x")), "'id' that is not a valid id"),
    (
        "duplicate id",
        lambda g: _bundle(g, data=lambda b: b["tables"]["people"].append(b["tables"]["people"][0])),
        "twice",
    ),
    (
        "reference outside",
        lambda g: _bundle(g, data=_set("responses", 0, respondent_id=str(uuid.uuid4()))),
        "response 1 refers to a respondent that is not in the bundle",
    ),
    ("list not a list", lambda g: _bundle(g, data=_set("areas_of_focus", 0, topic_leads='{"a": 1}')), "list of plain"),
    (
        "surrogate in a list",
        lambda g: _bundle(g, data=_set("areas_of_focus", 0, outputs='["\\ud800"]')),
        "not valid Unicode",
    ),
    ("list nested", lambda g: _bundle(g, data=_set("areas_of_focus", 0, outputs="[[1]]")), "list of plain values"),
    (
        "workshop numbers not numbers",
        lambda g: _bundle(g, data=_set("areas_of_focus", 0, preferred_workshops='[999, "x"]')),
        "area of focus 1 preferred_workshops is not a list of numbers",
    ),
    (
        "area numbers below one",
        lambda g: _bundle(g, data=_set("milestones", 0, areas="[0]")),
        "milestone 1 areas is not a list of numbers",
    ),
    (
        "a number among names",
        lambda g: _bundle(g, data=_set("areas_of_focus", 0, outputs='["Narrative", 7]')),
        "outputs is not a list of texts",
    ),
    (
        "31 February",
        lambda g: _bundle(g, data=_set("actions", 0, due_date="2025-02-31")),
        "action 1 due_date is not a real date ('2025-02-31')",
    ),
    (
        "a date in words",
        lambda g: _bundle(g, data=_set("assessments", 0, date="next Tuesday")),
        "assessment 1 date is not a real date",
    ),
    (
        "a start at 25 o'clock",
        lambda g: _bundle(g, data=_set("workshops", 0, starts_at="2018-10-03T25:30")),
        "workshop 1 starts_at is not a real date",
    ),
    ("bad framework", lambda g: _bundle(g, data=_set("frameworks", 0, definition='{"x": 1}')), "not a valid framework"),
    ("two programmes", lambda g: _bundle(g, data=lambda b: _two_programmes(b)), "exactly the one programme"),
    ("bad sync", lambda g: _bundle(g, sync=b'{"exchanges": -1}'), "sync.json is not valid"),
    ("sync wrong type", lambda g: _bundle(g, sync=_sync_with_bad_row(g)), "earlier version of person 1 has 'name'"),
]


def _escaped(good: tuple[Data, Data, bytes], table: str, index: int, **values: Any) -> bytes:
    """programme.json with one record changed, written with \\u escapes as some JSON writers do."""
    body = copy.deepcopy(good[1])
    body["tables"][table][index].update(values)
    return json.dumps(body, ensure_ascii=True).encode()


def _two_programmes(body: Data) -> None:
    extra = dict(body["tables"]["programmes"][0], id=str(uuid.uuid4()), name="Second")
    body["tables"]["programmes"].append(extra)


def _sync_with_bad_row(good: tuple[Data, Data, bytes]) -> bytes:
    person = dict(good[1]["tables"]["people"][0], name=7)
    return json.dumps({"exchanges": 1, "sent": {"people": [person]}, "received": {}}).encode()


@pytest.fixture
def sample_copy(sample_file: Path, tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    path = tmp_path / "target.sqlite"
    shutil.copyfile(sample_file, path)
    store = Store.open(path)
    yield store, path
    store.close()


def _digest(store: Store, path: Path) -> str:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("builder", "message"), [pytest.param(b, m, id=i) for i, b, m in CASES])
def test_hostile_bundle_is_refused_and_nothing_changes(
    builder: Callable[[tuple[Data, Data, bytes]], bytes],
    message: str,
    good: tuple[Data, Data, bytes],
    sample_copy: tuple[Store, Path],
    tmp_path: Path,
) -> None:
    store, path = sample_copy
    bundle = tmp_path / "hostile.icsbundle"
    bundle.write_bytes(builder(good))
    before = _digest(store, path)
    with pytest.raises(BundleError) as refused:
        load_bundle(store, bundle)
    text = str(refused.value)
    assert message in text and "\n" not in text and "Nothing was changed" in text
    assert _digest(store, path) == before
    assert not list(tmp_path.glob("*.json")) and not (tmp_path / "evil.json").exists()


def test_limits_on_size_are_enforced_on_what_is_read(
    good: tuple[Data, Data, bytes], sample_copy: tuple[Store, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member, or all of them, larger than the limits (patched small here; 100 MB and 200 MB really)."""
    store, path = sample_copy
    (tmp_path / "b.icsbundle").write_bytes(_bundle(good))
    before = _digest(store, path)
    monkeypatch.setattr(bundle_format, "MAX_MEMBER_BYTES", 10_000)
    with pytest.raises(BundleError, match="unpacks to more than"):
        load_bundle(store, tmp_path / "b.icsbundle")
    monkeypatch.setattr(bundle_format, "MAX_MEMBER_BYTES", 10**8)
    monkeypatch.setattr(bundle_format, "MAX_TOTAL_BYTES", 20_000)
    with pytest.raises(BundleError, match="unpacks to more than"):
        load_bundle(store, tmp_path / "b.icsbundle")
    assert _digest(store, path) == before


def _understated(good: tuple[Data, Data, bytes]) -> bytes:
    """The good bundle, but its directory says the programme member unpacks to 10 bytes (a zip bomb's lie)."""
    members = zipfile.ZipFile(io.BytesIO(_bundle(good)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in members.infolist():
            zf.writestr(info.filename, members.read(info))
        zf.getinfo(PROGRAMME).file_size = 10  # written into the central directory on close
    return buffer.getvalue()


def test_a_member_is_never_read_past_its_declared_size(
    good: tuple[Data, Data, bytes], sample_copy: tuple[Store, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's reader refuses a member larger than its header says, and asks no member for more than the cap."""
    store, path = sample_copy
    requested: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def spy(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        requested.append(-1 if n is None else n)
        return real_read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    (tmp_path / "bomb.icsbundle").write_bytes(_understated(good))
    before = _digest(store, path)
    with pytest.raises(BundleError, match=r"bomb\.icsbundle is damaged: its contents cannot be read"):
        load_bundle(store, tmp_path / "bomb.icsbundle")
    assert _digest(store, path) == before
    (tmp_path / "good.icsbundle").write_bytes(_bundle(good))
    requested.clear()
    load_bundle(store, tmp_path / "good.icsbundle")
    assert len(requested) >= 3  # manifest, programme, sync: each read once
    assert all(0 < n <= 100 * 1024 * 1024 + 1 for n in requested), requested  # never "read to the end"


def test_the_app_reads_a_member_only_up_to_its_limit(
    good: tuple[Data, Data, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's own reader stops at the limit, whatever the member holds (not zipfile's size check)."""
    monkeypatch.setattr(bundle_format, "MAX_MEMBER_BYTES", 1000)
    with zipfile.ZipFile(io.BytesIO(_bundle(good))) as zf:
        info = zf.getinfo(PROGRAMME)
        assert info.file_size > 1000  # the real size, declared honestly: only the reader's cap can stop it
        read: list[int] = []
        real_open = zf.open

        def counting_open(member: Any, *args: Any, **kwargs: Any) -> Any:
            handle = real_open(member, *args, **kwargs)
            real_read = handle.read

            def read_counted(n: int = -1) -> bytes:
                data = real_read(n)
                read.append(len(data))
                return data

            handle.read = read_counted
            return handle

        monkeypatch.setattr(zf, "open", counting_open)
        with pytest.raises(BundleError, match="larger than"):
            bundle_format._read_member(zf, info)
        assert sum(read) <= 1001


def _checked_rule_breaker(body: Data) -> None:
    """Passes every check of the bundle's shape but breaks a rule only the database knows (a person's kind)."""
    body["tables"]["people"].append(dict(body["tables"]["people"][0], id=str(uuid.uuid4()), kind="visitor"))


def test_a_rule_broken_inside_the_database_rolls_everything_back(
    good: tuple[Data, Data, bytes], sample_copy: tuple[Store, Path], tmp_path: Path
) -> None:
    store, path = sample_copy
    (tmp_path / "b.icsbundle").write_bytes(_bundle(good, data=_checked_rule_breaker))
    before = _digest(store, path)
    bundle = load_bundle(store, tmp_path / "b.icsbundle")
    with pytest.raises(BundleError, match=r"could not be imported .*CHECK constraint failed.*Nothing was changed"):
        import_bundle(store, bundle)
    assert _digest(store, path) == before
    plan = plan_merge(store, bundle.programme_id, bundle)
    assert plan.added_count() == 1
    with pytest.raises(BundleError, match=r"could not be merged .*CHECK constraint failed.*Nothing was changed"):
        apply_merge(store, plan)
    assert _digest(store, path) == before
    assert len(store.programmes()) == 1


def test_a_bundle_of_another_programme_is_not_merged(
    good: tuple[Data, Data, bytes], sample_copy: tuple[Store, Path], tmp_path: Path
) -> None:
    store, path = sample_copy
    from ics_desktop.frameworks.framework import default_framework

    other = store.create_programme("Another programme", "Another system", default_framework())
    (tmp_path / "b.icsbundle").write_bytes(_bundle(good))
    before = _digest(store, path)
    with pytest.raises(BundleError, match="a different programme from 'Another programme'"):
        plan_merge(store, other, load_bundle(store, tmp_path / "b.icsbundle"))
    assert _digest(store, path) == before


def test_a_bundle_whose_ids_belong_to_another_programme_is_not_merged(
    good: tuple[Data, Data, bytes], sample_copy: tuple[Store, Path], tmp_path: Path
) -> None:
    """A forged bundle naming this programme but carrying another programme's person id."""
    store, path = sample_copy
    pid = store.programmes()[0].id
    copy_id = store.duplicate_programme(pid, "Copy")
    foreign = store.people(copy_id)[0].id
    (tmp_path / "b.icsbundle").write_bytes(_bundle(good, data=_set("people", 0, id=foreign)))
    before = _digest(store, path)
    with pytest.raises(BundleError, match="clash with another programme's person"):
        plan_merge(store, pid, load_bundle(store, tmp_path / "b.icsbundle"))
    assert _digest(store, path) == before


def test_a_huge_file_is_refused_before_it_is_read(sample_copy: tuple[Store, Path], tmp_path: Path) -> None:
    """A 2 GB file chosen by mistake (a video, a disk image) is refused by its size, not read into memory."""
    import time
    import tracemalloc

    store, _path = sample_copy
    huge = tmp_path / "holiday.icsbundle"
    with huge.open("wb") as fh:
        fh.truncate(2 * 2**30)  # sparse: takes no disk space
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(BundleError, match=r"holiday.icsbundle is 2,048.0 MB; .* up to 200 MB"):
            load_bundle(store, huge)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20 and time.perf_counter() - started < 2


def test_a_large_file_that_is_not_a_zip_is_not_read_whole(sample_copy: tuple[Store, Path], tmp_path: Path) -> None:
    import tracemalloc

    store, _path = sample_copy
    big = tmp_path / "notes.icsbundle"
    big.write_bytes(b"not a zip file, just a long text. " * 3_000_000)  # about 100 MB
    tracemalloc.start()
    try:
        with pytest.raises(BundleError, match="it is not a zip file"):
            load_bundle(store, big)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20
