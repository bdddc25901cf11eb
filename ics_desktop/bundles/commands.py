"""The `bundle` command: `bundle export|import|merge`, moving a programme between laptops as one file.

Wired into `cli.py` by `add_commands(sub, common)` and `COMMANDS`; heavy modules load only when run.
Exit codes: 0 done, 1 a clear one-line error (nothing changed), 2 usage, 3 a merge left conflicts.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ics_desktop.errors import UserFacingError

if TYPE_CHECKING:
    from ics_desktop.storage.store import Store

EXIT_OK, EXIT_CONFLICTS = 0, 3


def add_commands(subparsers: Any, common_parent_parser: argparse.ArgumentParser) -> None:
    """Add `bundle` with its three actions to the main parser's sub-commands."""
    bundle = subparsers.add_parser(
        "bundle", help="move a programme between laptops as one file: export, import or merge a bundle"
    )
    actions = bundle.add_subparsers(
        dest="bundle_action", parser_class=type(bundle), required=True, metavar="{export,import,merge}"
    )
    exp = actions.add_parser(
        "export", parents=[common_parent_parser], help="write a programme (or one workshop) to a .icsbundle file"
    )
    exp.add_argument("--programme", required=True, help="the programme (name or system name)")
    exp.add_argument("--out", required=True, type=Path, metavar="FILE", help="the bundle file to write")
    exp.add_argument("--workshop", default=None, metavar="TITLE", help="only this workshop's capture and actions")
    imp = actions.add_parser(
        "import", parents=[common_parent_parser], help="add the programme in a bundle as a new programme"
    )
    imp.add_argument("--in", dest="bundle_file", required=True, type=Path, metavar="FILE", help="the bundle")
    imp.add_argument("--name", default=None, help="name the new programme (default: the bundle's)")
    merge = actions.add_parser(
        "merge", parents=[common_parent_parser], help="merge a bundle into the same programme here"
    )
    merge.add_argument("--programme", required=True, help="the programme (name or system name)")
    merge.add_argument("--in", dest="bundle_file", required=True, type=Path, metavar="FILE", help="the bundle")
    merge.add_argument(
        "--prefer",
        choices=("mine", "theirs"),
        default=None,
        help="settle every conflict with this database's value (mine) or the bundle's (theirs); "
        "without it conflicts are listed and left as they are (exit code 3)",
    )


def _open_store(args: argparse.Namespace) -> Store:
    from ics_desktop.storage.backups import missing_database
    from ics_desktop.storage.store import Store

    if getattr(args, "db", None) is None:
        raise UserFacingError("this command needs --db PATH")
    path = Path(args.db)
    if not path.exists():
        raise missing_database(path)
    return Store.open(path)


def _programme_id(store: Store, name: str) -> str:
    programme = store.programme_by_name(name)
    assert programme is not None
    return programme.id


def _workshop_id(store: Store, programme_id: str, title: str) -> str:
    rows = store.rows(
        "SELECT id, title FROM workshops WHERE programme_id = ? ORDER BY starts_at, created, id", (programme_id,)
    )
    hits = [r["id"] for r in rows if r["title"].strip().casefold() == title.strip().casefold()]
    if len(hits) != 1:
        from ics_desktop.errors import NotFoundError

        titles = ", ".join(f"'{r['title']}'" for r in rows) or "none"
        problem = "Several workshops are" if hits else "No workshop is"
        raise NotFoundError(f"{problem} called '{title}' (workshops: {titles}).")
    return str(hits[0])


def cmd_bundle_export(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.bundles.transfer import export_bundle

    store = _open_store(args)
    try:
        programme_id = _programme_id(store, args.programme)
        workshop_id = None if args.workshop is None else _workshop_id(store, programme_id, args.workshop)
        result = export_bundle(store, programme_id, Path(args.out), workshop_id=workshop_id)
    finally:
        store.close()
    what = "workshop" if result.scope == "workshop" else "programme"
    out.write(f"wrote {what} bundle ({result.records} records): {result.path}\n")
    return EXIT_OK


def cmd_bundle_import(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.bundles.transfer import import_bundle, load_bundle

    store = _open_store(args)
    try:
        bundle = load_bundle(store, Path(args.bundle_file))
        result = import_bundle(store, bundle, args.name)
    finally:
        store.close()
    copy = " as a copy (it was already here, so every record has a new id)" if result.copied else ""
    out.write(f"imported '{result.name}' ({result.records} records){copy}\n")
    return EXIT_OK


def cmd_bundle_merge(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.bundles.merge import apply_merge, display_value, plan_merge
    from ics_desktop.bundles.transfer import load_bundle

    store = _open_store(args)
    try:
        programme_id = _programme_id(store, args.programme)
        bundle = load_bundle(store, Path(args.bundle_file))
        plan = plan_merge(store, programme_id, bundle)
        result = apply_merge(store, plan, prefer=args.prefer)
        kinds = _people_kinds(store, programme_id)
    finally:
        store.close()
    parts = [f"{result.added} added", f"{result.updated} updated"]
    if result.kept_deleted:
        parts.append(f"{result.kept_deleted} deleted here kept deleted")
    if result.resolved:
        parts.append(f"{result.resolved} conflicts settled ({args.prefer})")
    out.write(f"merged {Path(args.bundle_file).name} into '{plan.bundle.programme_name}': {', '.join(parts)}\n")
    for note in result.notes:
        out.write(f"{note}\n")
    if not result.unresolved:
        return EXIT_OK
    out.write(
        f"{len(result.unresolved)} conflicts left as they are here (rerun with --prefer mine or --prefer theirs, "
        "or merge in the app to choose one by one):\n"
    )
    for c in result.unresolved:
        kind = (
            ("delivery team member" if kinds.get(c.record_id) == "delivery" else "participant")
            if c.table == "people"
            else c.kind
        )
        out.write(
            f"  {kind} '{c.record}' · {c.field}: mine '{display_value(c.field, c.mine, 60)}' | "
            f"theirs '{display_value(c.field, c.theirs, 60)}'\n"
        )
    return EXIT_CONFLICTS


def _people_kinds(store: Store, programme_id: str) -> dict[str, str]:
    return {p.id: p.kind for p in store.people(programme_id)}


def cmd_bundle(args: argparse.Namespace, out: TextIO) -> int:
    action: Callable[[argparse.Namespace, TextIO], int] = _ACTIONS[args.bundle_action]
    return action(args, out)


_ACTIONS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "export": cmd_bundle_export,
    "import": cmd_bundle_import,
    "merge": cmd_bundle_merge,
}

COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {"bundle": cmd_bundle}
