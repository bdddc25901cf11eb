"""The headless commands (`sample`, `summary`, `import-responses`, `export`, `check`; `backups` and `restore`
come from restore_commands.py): parsing, running, and clear one-line errors (the one exception: a CSV
import lists every bad row, one per line)."""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO, cast

from ics_desktop.bundles import commands as bundle_commands
from ics_desktop.errors import UserFacingError
from ics_desktop.live import command as live_commands
from ics_desktop.storage import restore_commands
from ics_desktop.storage.backups import missing_database

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
    parser.add_argument(
        "--size",
        default=None,
        metavar="WxH",
        help="with --smoke-test: window size, e.g. 1366x768 (default 1360x860); clipped=N counts what falls outside",
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
    exp = sub.add_parser(
        "export", parents=[common], help="write the roadmap, terms of reference, board summary, workbook or CSV files"
    )
    exp.add_argument("--programme", required=True, help="the programme (name or system name)")
    for option, key, metavar in EXPORT_OPTIONS:
        exp.add_argument(option, type=Path, default=None, metavar=metavar, help=_export_help(key))
    exp.add_argument(
        "--assessment",
        default=None,
        help="the assessment to report (default: the latest with agreed figures; every one for --xlsx and --csv)",
    )
    exp.add_argument(
        "--as-at",
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the documents speak for: overdue actions, days late and status colours are judged on it, "
        "and it is printed on them (default: today)",
    )
    sub.add_parser("check", parents=[common], help="check a database's integrity and schema")
    bundle_commands.add_commands(sub, common)
    restore_commands.add_commands(sub, common)
    live_commands.add_commands(sub, common)
    return parser


# (option, document kind in ics_desktop.exports.registry, metavar), in the order files are written.
EXPORT_OPTIONS = (
    ("--docx", "roadmap", "FILE"),
    ("--tor", "tor", "FILE"),
    ("--pdf", "summary", "FILE"),
    ("--xlsx", "xlsx", "FILE"),
    ("--csv", "csv", "DIR"),
)


def _export_help(key: str) -> str:
    return {
        "roadmap": "write the Word roadmap to FILE",
        "tor": "write the Word terms of reference to FILE",
        "summary": "write the PDF summary for boards to FILE",
        "xlsx": "write the Excel workbook (actions, milestones, responses, results) to FILE",
        "csv": "write actions.csv, milestones.csv, responses.csv and results.csv into the existing folder DIR",
    }[key]


def _require_db(args: argparse.Namespace) -> Path:
    if args.db is None:
        raise UserFacingError("this command needs --db PATH")
    return Path(args.db)


def cmd_sample(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.sample import create_sample_database

    path = _require_db(args)
    create_sample_database(path)
    out.write(f"created the sample programme in {path}\n")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.storage.store import Store
    from ics_desktop.summary import summary

    path = _require_db(args)
    if not path.exists():
        raise missing_database(path)
    store = Store.open(path, read_only=True)
    try:
        data = summary(store, args.programme)
    finally:
        store.close()
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_import_responses(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import date

    from ics_desktop.frameworks.csv_import import import_csv_bytes, read_csv_file
    from ics_desktop.storage.store import Store

    path = _require_db(args)
    if not path.exists():
        raise missing_database(path)
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


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Write each requested document, one line per file; the store is opened read-only."""
    from ics_desktop.errors import NotFoundError
    from ics_desktop.exports.registry import ExportOptions, export, kind
    from ics_desktop.frameworks.assessments import assessment_by_name
    from ics_desktop.storage.store import Store

    wanted = [(key, Path(getattr(args, option[2:]))) for option, key, _ in EXPORT_OPTIONS if getattr(args, option[2:])]
    if not wanted:
        sys.stderr.write("error: say what to write: --docx, --tor, --pdf, --xlsx FILE or --csv DIR (see --help)\n")
        return EXIT_USAGE
    as_at = _as_at(args.as_at)
    path = _require_db(args)
    if not path.exists():
        raise missing_database(path)
    store = Store.open(path, read_only=True)
    try:
        programme = store.programme_by_name(args.programme)
        assert programme is not None
        assessment_id = None
        if args.assessment is not None:
            assessment_id = assessment_by_name(store, programme.id, args.assessment)
            if assessment_id is None:
                names = ", ".join(f"'{a.name}'" for a in store.assessments(programme.id)) or "none"
                raise NotFoundError(
                    f"No assessment called '{args.assessment}' in {programme.name} (assessments: {names})."
                )
        options = ExportOptions(assessment_id=assessment_id, as_at=as_at)
        failed = 0
        for key, target in wanted:  # each file is written or fails on its own; every failure is reported
            chosen = kind(key)
            try:
                written = export(key, store, programme.id, target, options)
            except UserFacingError as exc:
                failed += 1
                sys.stderr.write(f"error: the {chosen.label} was not written: {exc}\n")
                continue
            except Exception as exc:  # a bug rather than the user's mistake: still one line, never a traceback
                failed += 1
                detail = " ".join(f"{type(exc).__name__}: {exc}".split())
                sys.stderr.write(f"error: the {chosen.label} could not be written ({detail})\n")
                continue
            for file in written:
                out.write(f"wrote {chosen.noun}: {file}\n")
                out.flush()
    finally:
        store.close()
    return EXIT_FAILED if failed else EXIT_OK


def _as_at(text: str | None) -> date | None:
    """The --as-at day: a real calendar date written YYYY-MM-DD, or None for today."""
    if text is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserFacingError(
            f"--as-at {text!r} is not a date: write a real day as YYYY-MM-DD, e.g. 2018-11-30"
        ) from None


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.storage.database import check_file

    path = _require_db(args)
    problems = check_file(path)
    if problems:
        sys.stderr.write(f"error: {path}: " + "; ".join(problems) + "\n")
        return EXIT_FAILED
    out.write(f"ok: {path} is healthy\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    **bundle_commands.COMMANDS,
    **restore_commands.COMMANDS,
    **live_commands.COMMANDS,
    "sample": cmd_sample,
    "summary": cmd_summary,
    "import-responses": cmd_import_responses,
    "export": cmd_export,
    "check": cmd_check,
}


# Control characters and bidi overrides in a name (from a file, a bundle) must not steer the user's terminal.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Text with every control character shown as an escape (\\x1b), so printing it is harmless."""
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


class _TerminalSafe(io.TextIOBase):
    """Writes to a terminal with control characters escaped (not used for JSON, which escapes its own)."""

    def __init__(self, target: TextIO) -> None:
        self._target = target

    def write(self, text: str) -> int:
        self._target.write(terminal_text(text))
        return len(text)

    def flush(self) -> None:
        self._target.flush()


def _writes(args: argparse.Namespace) -> str | None:
    """For a command that writes to the database, what to run again once it is free; None for a reader."""
    if args.command == "bundle":
        return f"run 'bundle {args.bundle_action}'" if args.bundle_action in ("import", "merge") else None
    return f"run '{args.command}'" if args.command in ("import-responses", "restore", "live-vote") else None


def _database(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None) is not None:
        return Path(args.db)
    from ics_desktop.paths import default_db_path

    return default_db_path()


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run a parsed headless command; a user's mistake becomes one line on stderr and exit code 1."""
    shown = out if args.command == "summary" else cast(TextIO, _TerminalSafe(out))
    try:
        what = _writes(args)
        if what is None:
            return COMMANDS[args.command](args, shown)
        from ics_desktop.storage.instance_lock import exclusive

        with exclusive(_database(args), what):  # never beside the window (or another writer) on one file
            return COMMANDS[args.command](args, shown)
    except UserFacingError as exc:
        sys.stderr.write(f"error: {terminal_text(str(exc))}\n")
        return EXIT_FAILED
    except OSError as exc:
        sys.stderr.write(
            f"error: {terminal_text(str(exc.strerror or exc))}: {terminal_text(str(exc.filename or ''))}\n"
        )
        return EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Headless entry: run the command named in `argv` (opening the window is main.py's decision)."""
    args = build_parser().parse_args(argv)
    if not args.command:
        sys.stderr.write("error: name a command (see --help); main.py without one opens the window\n")
        return EXIT_USAGE
    return run_command(args)
