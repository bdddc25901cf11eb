"""The layering the architecture states, checked over every .py file by parsing its imports and strings.

ui/ (Qt) → ics_desktop/ (the core, no Qt) → db/ and resources/ (data only); SQL lives in the core.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

CORE, UI = ROOT / "ics_desktop", ROOT / "ui"
_QUERY_METHODS = {"execute", "executemany", "executescript", "rows"}
_SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bPRAGMA\s+\w+|\b(CREATE|DROP|ALTER)\s+(TABLE|INDEX|VIEW|TRIGGER)\b",
)  # SQL keywords in capitals, as the project writes them: "Select the area from the list" is prose


# What a query runs on: a Store (`self._store`, `store`), a connection (`conn`, `db`) or a cursor.
_STORE_LIKE = re.compile(r"store|conn|\bdb\b|cursor", re.IGNORECASE)


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) for every import, top-level or inside a function (lazy imports count too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _top(module: str) -> str:
    return module.split(".")[0]


def core_imports_of_the_gui(source: str) -> list[str]:
    """Lines where the source imports ui, PySide6 or shiboken6."""
    return [
        f"{line}: {name}" for line, name in _imported(ast.parse(source)) if _top(name) in {"ui", "PySide6", "shiboken6"}
    ]


def sql_in_gui(source: str) -> list[str]:
    """Lines where the source holds an SQL statement in a string, or runs a query on a connection or store."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.search(node.value):
            found.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _QUERY_METHODS
            and _STORE_LIKE.search(ast.unparse(node.func.value))
        ):
            found.append(f"{node.lineno}: .{node.func.attr}(…) call")
    return sorted(found)


@pytest.mark.parametrize("path", _python_files(CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_the_gui(path: Path) -> None:
    assert core_imports_of_the_gui(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _python_files(UI), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_gui_holds_no_sql(path: Path) -> None:
    assert sql_in_gui(path.read_text(encoding="utf-8")) == []


# The core's layers (docs/architecture.md): each part of ics_desktop/ and what it may import from the core. The
# foundation is the top-level helpers every layer uses; the app-level modules (cli.py, summary.py, sample.py, …)
# sit on top and may import anything in the core.
FOUNDATION = frozenset({"errors", "lazy", "paths", "limits", "safe_json", "dates"})
MAY_IMPORT: dict[str, frozenset[str]] = {
    "foundation": frozenset({"foundation"}),
    # The one reach upwards: the Store reads and writes the framework definition (frameworks/framework.py).
    "storage": frozenset({"foundation", "frameworks.framework"}),
    "frameworks": frozenset({"foundation", "storage"}),
    "planning": frozenset({"foundation", "storage", "frameworks"}),
    "charts": frozenset({"foundation", "frameworks", "planning"}),  # charts draw results; they never read the file
    "exports": frozenset({"foundation", "storage", "frameworks", "planning", "charts"}),
    "bundles": frozenset({"foundation", "storage", "frameworks", "exports.common"}),
    "live": frozenset({"foundation", "storage", "frameworks"}),
}


def core_layer(module: str) -> str:
    """'storage', 'frameworks', … for a module of the core; 'foundation' or 'app' for a top-level one."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in MAY_IMPORT:
        return parts[1]
    name = parts[1] if len(parts) > 1 else "__init__"
    return "foundation" if name in FOUNDATION or name.startswith("__") else "app"


def _core_imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, module or name) for every import from the core; `from ics_desktop.storage import store` gives
    ics_desktop.storage.store (the names imported from a package are its modules)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "ics_desktop" and (len(parts) == 1 or (len(parts) == 2 and parts[1] in MAY_IMPORT)):
                yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
            else:
                yield node.lineno, node.module


def layer_breaches(module: str, source: str) -> list[str]:
    """Lines where `module` (dotted, in ics_desktop) imports a part of the core its layer may not."""
    mine = core_layer(module)
    if mine == "app":
        return []
    allowed = MAY_IMPORT[mine] | {mine}
    found = []
    for line, target in _core_imports(source):
        if _top(target) != "ics_desktop" or target == "ics_desktop":
            continue
        layer = core_layer(target)
        rest = target.split(".", 1)[1]
        if layer in allowed or any(rest == a or rest.startswith(a + ".") for a in allowed):
            continue
        found.append(f"{line}: {target} ({mine} may not import {layer})")
    return found


@pytest.mark.parametrize("path", _python_files(CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_layer_of_the_core_imports_only_those_below_it(path: Path) -> None:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    assert layer_breaches(module, path.read_text(encoding="utf-8")) == []


def test_the_layer_check_sees_a_breach() -> None:
    assert layer_breaches("ics_desktop.storage.store", "from ics_desktop.planning.actions import x\n") == [
        "1: ics_desktop.planning.actions (storage may not import planning)"
    ]
    assert layer_breaches("ics_desktop.limits", "from ics_desktop.storage import store\n") == [
        "1: ics_desktop.storage.store (foundation may not import storage)"
    ]
    assert layer_breaches("ics_desktop.charts.look", "def f():\n    from ics_desktop.storage.store import S\n") == [
        "2: ics_desktop.storage.store (charts may not import storage)"
    ]
    assert layer_breaches("ics_desktop.storage.store", "from ics_desktop.frameworks.framework import F\n") == []
    assert layer_breaches("ics_desktop.storage.store", "from ics_desktop.frameworks.scoring import F\n") != []
    assert layer_breaches("ics_desktop.cli", "from ics_desktop.exports import registry\n") == []
    assert layer_breaches("ics_desktop.bundles.transfer", "from ics_desktop.exports.common import a\n") == []
    assert layer_breaches("ics_desktop.bundles.transfer", "from ics_desktop.exports.word_tor import a\n") != []


def test_data_folders_hold_no_python() -> None:
    assert [p for folder in ("db", "resources") for p in (ROOT / folder).rglob("*.py")] == []


def test_the_checks_see_what_they_look_for() -> None:
    """Each check, on a small source that breaks its rule (and on one that keeps it)."""
    assert core_imports_of_the_gui("from ui.app import run\n") == ["1: ui.app"]
    assert core_imports_of_the_gui("def f():\n    from PySide6.QtCore import Qt\n") == ["2: PySide6.QtCore"]
    assert core_imports_of_the_gui("import shiboken6\n") == ["1: shiboken6"]
    assert core_imports_of_the_gui("import uuid\nfrom . import ui_names\nfrom .store import Store\n") == []
    assert sql_in_gui('store.conn.execute("SELECT 1 FROM actions WHERE id = ?", (x,))\n') == [
        "1: .execute(…) call",
        "1: SQL text 'SELECT 1 FROM actions WHERE id = ?'",
    ]
    assert sql_in_gui("self._store.rows(query)\nconn.executemany(q, [])\n") == [
        "1: .rows(…) call",
        "2: .executemany(…) call",
    ]
    assert sql_in_gui('q = "INSERT OR IGNORE INTO people (id) VALUES (?)"\n') == [
        "1: SQL text 'INSERT OR IGNORE INTO people (id) VALUES'"
    ]
    assert sql_in_gui('s = "UPDATE actions SET status = ?"\nt = "DELETE FROM notes"\n') == [
        "1: SQL text 'UPDATE actions SET status = ?'",
        "2: SQL text 'DELETE FROM notes'",
    ]
    assert sql_in_gui('label = "Select the area from the list, then update its title"\nself.model.rows()\n') == []


def test_the_core_starts_without_the_gui_in_a_process() -> None:
    """main.py is the one place choosing: a headless command never loads ui or Qt."""
    import subprocess
    import sys

    code = (
        "import sys, runpy; sys.argv = ['main.py', '--help']\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ui', 'PySide6', 'shiboken6'))\n"
        "sys.stderr.write(repr(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().endswith("[]"), result.stderr


def test_docs_architecture_names_every_module() -> None:
    """docs/architecture.md is the map of the code: every module (or, for the ui/ folders that group many,
    its folder) is named there, so a new module cannot arrive without its place in the map."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted([*(ROOT / "ics_desktop").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]):
        if path.name == "__init__.py":
            continue
        folder = path.parent.name + "/"
        if (
            path.name not in text
            and path.stem + "/" not in text
            and not (
                path.parent.parent.name == "ui"
                and folder in text
                and path.parent.name in ("pages", "models", "widgets")
            )
        ):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == [], f"docs/architecture.md does not name: {missing}"


_QT_MODELS = {"QAbstractTableModel", "QAbstractListModel", "QAbstractItemModel", "QSortFilterProxyModel"}


def test_item_models_live_in_ui_models_on_one_base() -> None:
    """Every item model is in ui/models/; only ui/models/base.py derives from Qt's abstract models (filter
    proxies aside), so rowCount, columnCount and headerData are written once."""
    outside, direct = [], []
    for path in _python_files(UI):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(b).split(".")[-1] for b in node.bases}
            models = {"TableModel", "ListModel", *_QT_MODELS}
            where = f"{path.relative_to(ROOT)}:{node.name}"
            if bases & models and path.parent != UI / "models":
                outside.append(where)
            if bases & (_QT_MODELS - {"QSortFilterProxyModel"}) and path.name != "base.py":
                direct.append(where)
    assert outside == [], f"item models outside ui/models/: {outside}"
    assert direct == [], f"models not on ui/models/base.py: {direct}"


LONGEST_FUNCTION = 150  # lines: the Export page's 218-line constructor was split into named builders


def test_no_function_runs_past_a_screen_and_a_half() -> None:
    """Long constructors and builders are split into named parts (the first ones checked were 156-218 lines)."""
    long = []
    for path in [*_python_files(CORE), *_python_files(UI)]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []
