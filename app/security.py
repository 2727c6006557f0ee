"""Response headers that keep the pages private and self-contained."""

from __future__ import annotations

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
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "interest-cohort=()",
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
