"""The HTTP server participants' phones talk to during a live round (the standard library's, threaded).

Why this server: QtHttpServer cannot answer 400/409/413 from Python, and uvicorn + starlette would add an
event loop and three packages for what a room of phones needs. `ThreadingHTTPServer` parses HTTP for us, is
part of Python (nothing more to freeze), and with a thread per request, a connection cap, socket time-outs, a
body limit and per-address and per-device rate limits it carries 200 phones on a 2-core laptop (bench/).

Everything lives under `/<token>/` (128 random bits): any other path gets the same bare 404, so a
neighbour on the network learns nothing, not even that a round is running. `/<join code>` (six letters,
for typing by hand) redirects to it. Nothing is logged, and no address is stored.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ics_desktop.live.ballot import Ballot, BallotError
from ics_desktop.paths import resource_path

MAX_BODY = 64 * 1024
MAX_CONNECTIONS = 400  # at once; 200 phones answering together stay well under it
CLIENT_TIMEOUT = 10.0  # seconds a client may take to send its request
ASSETS = {
    "": ("ballot.html", "text/html; charset=utf-8"),
    "ballot.js": ("ballot.js", "text/javascript; charset=utf-8"),
    "ballot.css": ("ballot.css", "text/css; charset=utf-8"),
}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
}


class RateLimiter:
    """At most `rate` requests a second per key, with bursts up to `burst` (a token bucket)."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) > 10_000:  # bounded memory whatever is thrown at it
                self._buckets.clear()
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True


class RoundEndpoints:
    """What the server needs from a round (kept apart so the HTTP code holds no round logic)."""

    def __init__(
        self,
        token: str,
        join_code: str,
        ballot_json: Callable[[], bytes],
        is_open: Callable[[], bool],
        check: Callable[[Any], Ballot],
        submit: Callable[[Ballot], int],
        joined: Callable[[str], None],
        participants_json: Callable[[], bytes] | None,
    ) -> None:
        self.token, self.join_code = token, join_code
        self.ballot_json, self.is_open, self.check, self.submit = ballot_json, is_open, check, submit
        self.joined, self.participants_json = joined, participants_json
        self.assets = {
            path: (resource_path("live_vote", name).read_bytes(), kind) for path, (name, kind) in ASSETS.items()
        }
        self.by_address = RateLimiter(rate=20, burst=120)
        self.by_device = RateLimiter(rate=4, burst=40)
        self.wrong_paths = RateLimiter(rate=0.5, burst=20)  # guessing join codes


class LiveServer(ThreadingHTTPServer):
    """A threaded server with a cap on connections; its handler serves one round."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], endpoints: RoundEndpoints) -> None:
        self.endpoints = endpoints
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(timeout=2):
            self.shutdown_request(request)  # over the cap: refused rather than queued without end
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A broken connection is the phone's business: nothing printed, nothing logged."""


class _Handler(BaseHTTPRequestHandler):
    server: LiveServer
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive threads
    server_version = "ICS-Desktop"
    sys_version = ""
    timeout = CLIENT_TIMEOUT  # a slow or silent client is dropped, never holds the round

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing is logged: an address or a path could identify a participant."""

    # -- answering ----------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, kind: str = "application/json; charset=utf-8", **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **extra}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _not_found(self) -> None:
        self._send(404, b"Not found\n", "text/plain; charset=utf-8")

    def _route(self) -> str | None:
        """The path within the round (`""`, `"api/ballot"` …), or None when it is not this round's."""
        path = self.path.split("?", 1)[0]
        prefix = f"/{self.server.endpoints.token}/"
        return path[len(prefix) :] if path.startswith(prefix) else None

    def _address_allowed(self) -> bool:
        if self.server.endpoints.by_address.allow(self.client_address[0]):
            return True
        self._error(429, "Too many requests from this phone; wait a few seconds.")
        return False

    # -- methods ----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        endpoints = self.server.endpoints
        route = self._route()
        if route is None:
            code = self.path.strip("/").upper()
            if code and code == endpoints.join_code and endpoints.wrong_paths.allow(self.client_address[0]):
                self._send(303, b"", "text/plain; charset=utf-8", Location=f"/{endpoints.token}/")
                return
            endpoints.wrong_paths.allow(self.client_address[0])
            self._not_found()
            return
        if not self._address_allowed():
            return
        if route in endpoints.assets:
            body, kind = endpoints.assets[route]
            self._send(200, body, kind)
        elif route == "api/ballot":
            self._send(200, endpoints.ballot_json())
        elif route == "api/participants" and endpoints.participants_json is not None:
            self._send(200, endpoints.participants_json())
        else:
            self._not_found()

    def do_HEAD(self) -> None:
        self._not_found()

    def do_POST(self) -> None:
        endpoints = self.server.endpoints
        if self._route() != "api/ballot":
            self._not_found()
            return
        if not self._address_allowed():
            return
        if not endpoints.is_open():
            self._error(409, "Voting has closed.")
            return
        length_text = self.headers.get("Content-Length")
        try:
            length = int(length_text) if length_text is not None else -1
        except ValueError:
            length = -1
        if length < 0:
            self._error(400, "The request has no length.")
            return
        if length > MAX_BODY:
            self._error(413, f"The ballot is larger than {MAX_BODY // 1024} KB.")
            return
        try:
            body = self.rfile.read(length)
        except (TimeoutError, OSError):
            return  # too slow: dropped
        if len(body) < length:
            return
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            self._error(400, "The ballot is not valid JSON.")
            return
        try:
            ballot = endpoints.check(payload)
        except BallotError as exc:
            self._error(400, str(exc))
            return
        if not endpoints.by_device.allow(ballot.device):
            self._error(429, "Too many ballots from this phone; wait a few seconds.")
            return
        if not endpoints.is_open():
            self._error(409, "Voting has closed.")
            return
        endpoints.joined(ballot.device)
        try:
            saved = endpoints.submit(ballot)
        except BallotError as exc:
            self._error(400, str(exc))
            return
        except Exception as exc:  # the database refused (a full disk …): the phone keeps its answers
            self._error(503, str(exc))
            return
        self._json(200, {"saved": saved})

    def _refuse_method(self) -> None:
        self._not_found()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method
