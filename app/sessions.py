"""The signed session cookie: Secure under HTTPS, and a clean start when it cannot be read.

Flask quietly drops a cookie whose signature is wrong or too old. Here the person
is also told, so that answers never vanish without a word.
"""

from __future__ import annotations

import json

from flask import Flask, Request
from flask import request as current_request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from rules.i18n import N_

EXPIRED = N_("Your answers were more than {hours} hours old, so they have been cleared and "
           "you are starting again. If you saved them to a file, you can upload it on the "
           "start page.")
UNREADABLE = N_("Your answers could not be read (the browser sent a changed or damaged "
              "cookie), so you are starting again. If you saved them to a file, you can "
              "upload it on the start page.")
#: Paths that never read the session, so a bad cookie needs no message there.
QUIET_PATHS = ("/api/", "/static/")


class PlainJSON:
    """The session as compact JSON: it only ever holds strings, lists and dicts.

    Flask's default serializer also tags tuples, bytes and dates, which costs
    time on every request and is never needed here (flashed messages come back
    as lists, which Flask reads the same way).
    """

    @staticmethod
    def dumps(value: object) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def loads(text: str | bytes) -> object:
        return json.loads(text)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, with a message for a tampered or expired one."""

    serializer = PlainJSON()

    def __init__(self) -> None:
        self._signing: tuple[tuple, URLSafeTimedSerializer | None] = ((), None)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made once per set of keys rather than on every request."""
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached_keys, serializer = self._signing
        if keys != cached_keys:
            serializer = super().get_signing_serializer(app)
            self._signing = (keys, serializer)
        return serializer

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure whenever the request came over HTTPS (directly or through the proxy)."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or current_request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = serializer.loads(value, max_age=max_age)
        except SignatureExpired:
            # Kept as the English template and the hours, so the page can translate it.
            message = [EXPIRED, max_age // 3600]
        except BadSignature:
            message = UNREADABLE
        else:
            if isinstance(data, dict):
                return self.session_class(data)
            message = UNREADABLE  # signed by this key, but not a session (an old format)
        session = self.session_class()
        if not request.path.startswith(QUIET_PATHS):
            session["_flashes"] = [("message", message)]
        return session
