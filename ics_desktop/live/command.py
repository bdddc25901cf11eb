"""`live-vote`: run a live round from a terminal (for automation, tests and load tools).

    python main.py live-vote --db DB --programme NAME --assessment NAME [--questions now,aspire,realistic]
                             [--bind ADDRESS] [--port N] [--named]

Prints `live-vote url=URL` first (flushed), serves until SIGINT or SIGTERM, then prints
`live-vote closed devices=N responses=M`. The assessment is created (dated today) when it is new.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from ics_desktop.errors import UserFacingError

EXIT_OK, EXIT_USAGE = 0, 2
DEFAULT_PORT = 8765  # the same port every time, so a firewall's "allow" holds for the next round


def add_commands(subparsers: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    live = subparsers.add_parser(
        "live-vote", parents=[common], help="run a live voting round: participants score from their phones"
    )
    live.add_argument("--programme", required=True, help="the programme (name or system name)")
    live.add_argument("--assessment", required=True, help="the assessment; created (dated today) when new")
    live.add_argument("--questions", default=None, help="comma-separated question keys (default: all)")
    live.add_argument("--bind", default=None, help="the address to listen on (default: this laptop's network address)")
    live.add_argument("--port", type=int, default=None, help=f"the port (default {DEFAULT_PORT}; 0 for any free one)")
    live.add_argument("--named", action="store_true", help="participants pick their name (default: anonymous)")


def cmd_live_vote(args: argparse.Namespace, out: TextIO) -> int:
    from ics_desktop.frameworks.assessments import assessment_by_name, create_assessment
    from ics_desktop.live.live_round import LiveRound, RoundSettings
    from ics_desktop.live.network import LOOPBACK, local_addresses
    from ics_desktop.storage.store import Store

    if args.db is None:
        raise UserFacingError("say which database: --db FILE")
    path = Path(args.db)
    if not path.exists():
        raise UserFacingError(f"{path} does not exist")
    store = Store.open(path)
    try:
        programme = store.programme_by_name(args.programme)
        assert programme is not None
        framework = store.programme_framework(programme.id)
        keys = [q.key for q in framework.questions]
        wanted = tuple(k.strip() for k in args.questions.split(",")) if args.questions else tuple(keys)
        unknown = [k for k in wanted if k not in keys]
        if unknown or not wanted:
            raise UserFacingError(f"no question '{unknown[0] if unknown else ''}' (questions: {', '.join(keys)})")
        assessment = assessment_by_name(store, programme.id, args.assessment) or create_assessment(
            store, programme.id, args.assessment, date.today().isoformat()
        )
    finally:
        store.close()
    bind = args.bind
    if bind is None:
        addresses = local_addresses()
        bind = addresses[0].ip if addresses else LOOPBACK
        if not addresses:
            sys.stderr.write("note: this laptop is on no network; only this laptop can reach the round\n")
    ports = [args.port] if args.port is not None else [DEFAULT_PORT, 0]
    live: LiveRound | None = None
    for port in ports:
        candidate = LiveRound(path, RoundSettings(assessment, wanted, named=args.named), bind=bind, port=port)
        try:
            candidate.start()
        except UserFacingError:
            if port == ports[-1]:
                raise
            continue
        live = candidate
        break
    assert live is not None
    stop = threading.Event()
    previous = {sig: signal.signal(sig, _setter(stop)) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        out.write(f"live-vote url={live.url}\n")
        out.flush()
        while not stop.wait(0.5):
            pass
    finally:
        live.close_voting()
        live.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    status = live.status()
    out.write(f"live-vote closed devices={status.devices} responses={status.responses}\n")
    out.flush()
    return EXIT_OK


def _setter(event: threading.Event) -> Callable[[int, FrameType | None], None]:
    def handler(_signum: int, _frame: FrameType | None) -> None:
        event.set()

    return handler


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {"live-vote": cmd_live_vote}
