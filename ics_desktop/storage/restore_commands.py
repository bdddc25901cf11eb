"""The `backups` and `restore` commands: list a database's automatic backups; restore one of them.

Added to the command line by `ics_desktop.cli` through `add_commands` and `COMMANDS`. Without
`--db` they act on the database the app opens by default.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ics_desktop.errors import UserFacingError
from ics_desktop.paths import backups_dir_for

if TYPE_CHECKING:  # the restore machinery is imported when a command runs, keeping start-up light
    from ics_desktop.storage.restore import BackupSummary

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2  # as in cli.py (which imports this module)


def add_commands(subparsers: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """Add `restore` and `backups` to the command line; `common` is the parent parser holding --db."""
    rest = subparsers.add_parser(
        "restore",
        parents=[common],
        help="restore the database from one of its automatic backups (the current file is kept, renamed)",
    )
    choice = rest.add_mutually_exclusive_group()
    choice.add_argument(
        "--backup", metavar="FILE", default=None, help="the backup to restore: a file, or its number in --list"
    )
    choice.add_argument("--latest", action="store_true", help="restore the newest backup that passes its check")
    choice.add_argument("--list", action="store_true", help="list the backups (as the 'backups' command does)")
    subparsers.add_parser(
        "backups", parents=[common], help="list a database's automatic backups with their dates and contents"
    )


def _db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None) is not None:
        return Path(args.db)
    from ics_desktop.paths import default_db_path

    return default_db_path()


def _write_listing(path: Path, summaries: list[BackupSummary], out: TextIO) -> None:
    from ics_desktop.storage.restore import format_size, format_taken

    folder = backups_dir_for(path)
    if not summaries:
        out.write(f"no backups of {path} yet (they are kept in {folder})\n")
        return
    out.write(f"backups of {path}, newest first (in {folder}):\n")
    width = len(str(len(summaries)))
    for number, summary in enumerate(summaries, start=1):
        backup = summary.backup
        indent = " " * (width + 2)
        out.write(
            f"{number:>{width}}. {format_taken(backup.taken)} — {backup.reason_text()} — {format_size(summary.size)}\n"
        )
        out.write(f"{indent}{summary.contents_text()}\n{indent}file: {backup.path.name}\n")


def cmd_backups(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.storage.restore import backup_summaries

    path = _db_path(args)
    _write_listing(path, backup_summaries(path), out)
    return EXIT_OK


def _chosen(path: Path, wanted: str, summaries: list[BackupSummary]) -> Path:
    """The backup named by --backup: a file (as given, or by name in the backups folder) or a list number."""
    given = Path(wanted)
    if given.is_file():
        return given
    in_folder = backups_dir_for(path) / wanted
    if in_folder.is_file():
        return in_folder
    if wanted.isdigit() and 1 <= int(wanted) <= len(summaries):
        return summaries[int(wanted) - 1].backup.path
    if wanted.isdigit():
        raise UserFacingError(f"there is no backup number {wanted} (there are {len(summaries)}; see --list)")
    raise UserFacingError(f"{wanted} does not exist (see --list for the backups)")


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.storage.restore import backup_summaries, format_taken, latest_usable, restore

    path = _db_path(args)
    summaries = backup_summaries(path)
    if args.list or (args.backup is None and not args.latest):
        _write_listing(path, summaries, out)
        if args.list:
            return EXIT_OK
        sys.stderr.write("error: say which backup to restore: --latest or --backup FILE|NUMBER (see --help)\n")
        return EXIT_USAGE
    if args.latest:
        newest = latest_usable(path)
        if newest is None:
            where = backups_dir_for(path)
            raise UserFacingError(f"no backup of {path} can be restored (none in {where} passes its check)")
        source = newest.backup.path
    else:
        source = _chosen(path, str(args.backup), summaries)
    result = restore(path, source)
    known = {s.backup.path.resolve(): s for s in summaries}
    summary = known.get(source.resolve())
    taken = f" (taken {format_taken(summary.backup.taken)}, {summary.backup.reason_text()})" if summary else ""
    out.write(f"restored {path} from {source.name}{taken}\n")
    if result.set_aside is not None:
        state = "damaged" if result.was_damaged else "previous"
        out.write(f"the {state} file was kept as {result.set_aside}\n")
    out.write(f"ok: {path} is healthy\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "restore": cmd_restore,
    "backups": cmd_backups,
}
