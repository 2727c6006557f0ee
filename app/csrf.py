"""Flask-WTF's CSRF tokens, signed once per session token rather than once per page.

Flask-WTF keeps a random token in the session and puts a signed copy of it in
every form; a post is accepted when its copy's signature is good and it
matches the session's token. It signs the copy afresh for every page, which
only adds a new timestamp. Here tokens never expire (``WTF_CSRF_TIME_LIMIT`` is
None), so one signed copy per session token serves every page: it is made
once, kept in the worker's memory, and a post carrying exactly that copy is
accepted without checking the signature again. Anything else goes to
Flask-WTF's own check. With a time limit set, Flask-WTF does all the work, as
usual.
"""

from __future__ import annotations

import hmac
from functools import lru_cache

from flask import current_app, g, session
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer

FIELD = "csrf_token"
SALT = "wtf-csrf-token"  # Flask-WTF's salt: its check must accept what is made here


def token() -> str:
    """The signed token for this session's forms (making the session's token if needed)."""
    if FIELD in g or not _kept():
        return generate_csrf()
    raw = session.get(FIELD)
    if not (isinstance(raw, str) and raw):
        return generate_csrf()  # makes the session's token, and signs it
    signed = _signed(_secret(), raw)
    setattr(g, FIELD, signed)  # where Flask-WTF looks first, should it be asked
    return signed


def issued(submitted: object) -> bool:
    """Whether a post carries the very token made here for this session."""
    raw = session.get(FIELD)
    if not (_kept() and isinstance(submitted, str) and isinstance(raw, str) and raw):
        return False
    return hmac.compare_digest(submitted.encode(), _signed(_secret(), raw).encode())


def _kept() -> bool:
    return current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600) is None \
        and current_app.config.get("WTF_CSRF_FIELD_NAME", FIELD) == FIELD


def _secret() -> str | bytes:
    return current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key


@lru_cache(maxsize=4096)
def _signed(secret: str | bytes, raw: str) -> str:
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(raw)


def token_of(form) -> str:
    """The token a form shows: its own, or none when CSRF protection is off."""
    return form.csrf_token.current_token if form.meta.csrf else ""
