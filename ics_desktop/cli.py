"""The headless commands (`sample`, `summary`, `import-responses`, `check`): parsing, running, and clear
one-line errors (the one exception: a CSV import lists every bad row, one per line)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from .errors import UserFacingError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line (no usage dump) and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"error: {message} (see --help)\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file to use")
    parser = _Parser(
        prog="ics-desktop", description="ICS Desktop: readiness, areas of focus and roadmaps for aspiring ICSs."
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="database file (default: the one in your user data folder)"
    )
    parser.add_argument(
        "--smoke-test", action="store_true", help="open the window, visit every page, print a line and exit"
    )
    parser.add_argument(
        "--screenshots", type=Path, default=None, metavar="DIR", help="with --smoke-test: save a PNG of each page"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.add_parser("sample", parents=[common], help="create a database holding the sample programme")
    summary = sub.add_parser("summary", parents=[common], help="print a JSON summary of the programmes")
    summary.add_argument("--programme", default=None, help="only this programme (name or system name)")
    imp = sub.add_parser(
        "import-responses", parents=[common], help="import participants' scores from a CSV file (all or nothing)"
    )
    imp.add_argument("--programme", required=True, help="the programme (name or system name)")
    imp.add_argument("--assessment", required=True, help="the assessment; created (dated today) when new")
    imp.add_argument("--csv", required=True, type=Path, metavar="FILE", help="the CSV file of responses")
    sub.add_parser("check", parents=[common], help="check a database's integrity and schema")
    return parser


def _require_db(args: argparse.Namespace) -> Path:
    if args.db is None:
        raise UserFacingError("this command needs --db PATH")
    return Path(args.db)


def cmd_sample(args: argparse.Namespace, out: TextIO) -> int:
    from .sample import create_sample_database

    path = _require_db(args)
    create_sample_database(path)
    out.write(f"created the sample programme in {path}\n")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace, out: TextIO) -> int:
    from .store import Store
    from .summary import summary

    path = _require_db(args)
    if not path.exists():
        raise UserFacingError(f"{path} does not exist")
    store = Store.open(path, read_only=True)
    try:
        data = summary(store, args.programme)
    finally:
        store.close()
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_import_responses(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import date

    from .csv_import import import_csv_bytes, read_csv_file
    from .store import Store

    path = _require_db(args)
    if not path.exists():
        raise UserFacingError(f"{path} does not exist")
    data = read_csv_file(Path(args.csv))
    store = Store.open(path)
    try:
        programme = store.programme_by_name(args.programme)
        assert programme is not None
        result = import_csv_bytes(store, programme.id, args.assessment, data, today=date.today().isoformat())
    finally:
        store.close()
    out.write(result.describe() + "\n")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from .database import check_file

    path = _require_db(args)
    problems = check_file(path)
    if problems:
        sys.stderr.write(f"error: {path}: " + "; ".join(problems) + "\n")
        return EXIT_FAILED
    out.write(f"ok: {path} is healthy\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "sample": cmd_sample,
    "summary": cmd_summary,
    "import-responses": cmd_import_responses,
    "check": cmd_check,
}


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run a parsed headless command; a user's mistake becomes one line on stderr and exit code 1."""
    try:
        return COMMANDS[args.command](args, out)
    except UserFacingError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_FAILED
    except OSError as exc:
        sys.stderr.write(f"error: {exc.strerror or exc}: {exc.filename or ''}\n")
        return EXIT_FAILED


def main(argv: Sequence[str] | None = None, started: float | None = None) -> int:
    """Entry point for both the GUI and the headless commands."""
    args = build_parser().parse_args(argv)
    if args.command:
        return run_command(args)
    if args.screenshots and not args.smoke_test:
        sys.stderr.write("error: --screenshots goes with --smoke-test\n")
        return EXIT_USAGE
    from ui.app import run  # Qt is imported only for the GUI

    return int(run(args.db, smoke_test=args.smoke_test, screenshots=args.screenshots, started=started))
