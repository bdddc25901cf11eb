"""ICS Desktop: `python main.py` opens the app; `python main.py --help` lists the headless commands."""

import time

STARTED = time.perf_counter()  # before any heavy import, so the smoke test's ready_ms is honest

import sys  # noqa: E402

from ics_desktop.allocator import return_large_blocks_to_system  # noqa: E402
from ics_desktop.cli import main  # noqa: E402
from ics_desktop.paths import configure_frozen_environment  # noqa: E402

if __name__ == "__main__":
    configure_frozen_environment()
    return_large_blocks_to_system()
    sys.exit(main(started=STARTED))
