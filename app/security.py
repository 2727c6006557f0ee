"""Response headers that keep the pages private and self-contained."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Add the headers to every response; answers pages are never cached."""
    https_only = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
    never_cached = {"Cache-Control": "no-store"}

    @app.after_request
    def add_headers(response):
        # A view may set its own value; only the missing headers are added.
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        wanted = [HEADERS]
        if request.endpoint != "static":
            wanted.append(never_cached)
        if request.is_secure:
            wanted.append(https_only)
        for group in wanted:
            for name, value in group.items():
                if name.lower() not in present:
                    headers.add(name, value)
        return response


#: A path prefix: slash-separated segments of URL path characters, not starting with ``//``.
PATH_PREFIX = re.compile(r"(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+/?")


class ForwardedPrefixIsAPath:
    """Drop an ``X-Forwarded-Prefix`` that is not a plain path, before ProxyFix reads it.

    A prefix such as ``//evil.example`` or ``https://evil.example`` would make
    every redirect and link point at another host.
    """

    def __init__(self, app: Callable):
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        prefix = environ.get("HTTP_X_FORWARDED_PREFIX")
        if prefix is not None and not all(PATH_PREFIX.fullmatch(part.strip())
                                           for part in prefix.split(",")):
            del environ["HTTP_X_FORWARDED_PREFIX"]
        return self.app(environ, start_response)
