"""Cross-origin reads of the FHIR resources and the JSON API, without credentials.

A form filler on another origin (a clinic's FHIR app in a browser) may fetch the
Questionnaire and post answers to ``$assess`` or the API. None of these read a
cookie or store anything, so any origin may call them; no credentials are ever
allowed. The pages, and the person's own answers download, keep their strict
same-origin policy: they get no CORS header at all.
"""

from __future__ import annotations

from flask import Flask, request

PREFIXES = ("/api/", "/fhir/")
#: Read from the person's session cookie: never offered to another origin.
PRIVATE = frozenset({"/fhir/QuestionnaireResponse"})

HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "600",
}


def is_shared(path: str) -> bool:
    """Whether another origin may read this address."""
    return path.startswith(PREFIXES) and path not in PRIVATE


def init_app(app: Flask) -> None:
    """Add the CORS headers to every response under the shared prefixes."""

    @app.after_request
    def add_cors(response):
        if is_shared(request.path):
            response.headers.update(HEADERS)
        return response
