"""CSRF tokens, through Flask-WTF's public API only.

Flask-WTF keeps a random token in the session and puts a signed copy of it in
every form; a post is accepted when its copy's signature is good and it
matches the session's token. ``PlainForm`` (forms.py) turns a failed check into
a plain "timed out" message and records a passed one, so that only a post that
passed its check may write the session cookie (sessions.py).
"""

from __future__ import annotations

from flask import current_app, session
from flask_wtf.csrf import generate_csrf


def token() -> str:
    """The signed token for a form on this page, or none when CSRF protection is off."""
    return generate_csrf() if current_app.config.get("WTF_CSRF_ENABLED", True) else ""


def token_of(form) -> str:
    """The token a form shows: its own, or none when CSRF protection is off."""
    return form.csrf_token.current_token if form.meta.csrf else ""


def ready() -> None:
    """What ``token`` does to the session, for a page with no form: nothing is signed.

    A visit keeps the secret that its forms' tokens are made from in the session; a
    page with no form (the summary) makes it, as ``token`` would, only when it is
    missing, and signs no token that it would not show.
    """
    config = current_app.config
    if config.get("WTF_CSRF_ENABLED", True) \
            and config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in session:
        generate_csrf()
