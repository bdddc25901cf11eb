"""ICS Desktop: `python main.py` opens the app; `python main.py --help` lists the headless commands.

This is where the app decides between the window and a headless command, so the core
(ics_desktop/) never imports the GUI (ui/).
"""

import time

STARTED = time.perf_counter()  # before any heavy import, so the smoke test's ready_ms is honest

import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from ics_desktop.allocator import return_large_blocks_to_system  # noqa: E402
from ics_desktop.cli import EXIT_USAGE, build_parser, run_command  # noqa: E402
from ics_desktop.paths import configure_frozen_environment  # noqa: E402


def main(argv: Sequence[str] | None = None, started: float = STARTED) -> int:
    """A headless command when one is named, else the window; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command:
        return run_command(args)
    if args.screenshots and not args.smoke_test:
        sys.stderr.write("error: --screenshots goes with --smoke-test\n")
        return EXIT_USAGE
    if args.size and not args.smoke_test:
        sys.stderr.write("error: --size goes with --smoke-test\n")
        return EXIT_USAGE
    from ui.app import run  # Qt is imported only for the GUI
    from ui.fit import parse_size

    try:
        size = parse_size(args.size) if args.size else None
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    return int(run(args.db, smoke_test=args.smoke_test, screenshots=args.screenshots, size=size, started=started))


if __name__ == "__main__":
    configure_frozen_environment()
    return_large_blocks_to_system()
    sys.exit(main())
