"""Structured request logs: one JSON line per request, and nothing a person answered.

A line holds the time, method, path (never the query string), status, duration
and response size. No form field, body, header or cookie is ever logged, and
answers are only ever sent in request bodies, never in paths.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, request

LOGGER_NAME = "app.requests"
MAX_PATH = 200


def logger() -> logging.Logger:
    """The request logger, writing to standard error (gunicorn and systemd collect it)."""
    log = logging.getLogger(LOGGER_NAME)
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def init_app(app: Flask) -> None:
    """Time every request and log it when the response is ready."""
    if not app.config.get("REQUEST_LOG", True):
        return
    log = logger()

    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        log.info(json.dumps({
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path[:MAX_PATH],
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "bytes": response.calculate_content_length(),
        }))
        return response
