"""Structured request logs: one JSON line per request, and nothing a person answered.

A line holds the time, method, path (never the query string), status, duration
and response size. No form field, body, header or cookie is ever logged, and
answers are only ever sent in request bodies, never in paths.

The log is WSGI middleware that writes each line straight to its stream
(standard error by default, where gunicorn and systemd collect it). Going
through ``logging`` and Flask's request hooks cost more than a small page
takes to render.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TextIO

MAX_PATH = 200


class RequestLog:
    """Wraps a WSGI app and writes a line for each request it answers."""

    def __init__(self, app: Callable, stream: TextIO | None = None):
        self.app = app
        #: Where lines go; None means standard error as it is when the line is written.
        self.stream = stream

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        response: list = ["500 INTERNAL SERVER ERROR", []]

        def start(status: str, headers: list, exc_info=None):
            response[:] = [status, headers]
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            self.write(environ, response[0], response[1], started)

    def write(self, environ: dict, status: str, headers: list, started: float) -> None:
        size = next((value for name, value in headers if name.lower() == "content-length"),
                    None)
        line = json.dumps({
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": _path(environ)[:MAX_PATH],
            "status": int(status.split(" ", 1)[0]),
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "bytes": int(size) if size is not None and size.isdigit() else None,
        })
        (sys.stderr if self.stream is None else self.stream).write(line + "\n")


def _path(environ: dict) -> str:
    """The path as the person's browser sent it, without the query string.

    WSGI gives it decoded as Latin-1; it is read back as UTF-8, as Flask does.
    """
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return raw.encode("latin-1", "replace").decode("utf-8", "replace")


def init_app(app) -> None:
    """Log every request, unless ``REQUEST_LOG`` is false."""
    if app.config.get("REQUEST_LOG", True):
        log = RequestLog(app.wsgi_app)
        app.wsgi_app = log
        app.extensions["request_log"] = log
