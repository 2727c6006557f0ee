"""The session cookie: encrypted, Secure under HTTPS, written only when it should be.

The cookie holds a person's answers, so it is encrypted as well as signed
(Fernet from ``cryptography``: AES-128-CBC with HMAC-SHA256, authenticated):
whoever sees the cookie learns nothing from it. The keys are derived from
``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS`` with HKDF; a cookie made with a
fallback key is still read, and made again with the current key when it next changes.

A cookie that cannot be read, or is too old, is dropped and the person is told,
so that answers never vanish without a word.

A request that could change answers (any method but GET, HEAD and OPTIONS)
gets a cookie only when a form's CSRF check passed in it. A cross-site post
arrives without the SameSite=Lax cookie; answering it with a fresh cookie
would replace the person's, and a post whose CSRF check failed must change
nothing (see ``csrf.py``).
"""

from __future__ import annotations

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, Request, Response, g, redirect, session, url_for
from flask import request as current_request
from flask.sessions import SecureCookieSession
from flask.sessions import SessionInterface as FlaskSessionInterface

from rules.i18n import N_

EXPIRED = N_("Your answers were more than {hours} hours old, so they have been cleared and "
           "you are starting again. If you saved them to a file, you can upload it on the "
           "start page.")
UNREADABLE = N_("Your answers could not be read (the browser sent a changed or damaged "
              "cookie), so you are starting again. If you saved them to a file, you can "
              "upload it on the start page.")
#: Paths that never read the session, so a bad cookie needs no message there.
QUIET_PATHS = ("/api/", "/static/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Set on ``g`` when a form's CSRF check passed in this request.
CSRF_PASSED = "csrf_passed"
#: What the session key is derived for: a key made from SECRET_KEY for nothing else.
HKDF_INFO = b"hsct-ms-screening session cookie encryption"


def cookie_key(secret: str | bytes) -> bytes:
    """The Fernet key for one secret key: 32 bytes from HKDF-SHA256, base64-encoded."""
    material = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=HKDF_INFO).derive(material)
    return base64.urlsafe_b64encode(derived)


def dumps(value: object) -> bytes:
    """The session as compact JSON: it only ever holds strings, lists and dicts."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class SessionInterface(FlaskSessionInterface):
    """An encrypted cookie session, with a message for a tampered or expired one."""

    def __init__(self) -> None:
        self._cipher: tuple[tuple, MultiFernet | None] = ((), None)

    def cipher(self, app: Flask) -> MultiFernet | None:
        """One Fernet per key, current first; made once per set of keys."""
        keys = tuple(key for key in (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"]
                                                        or ())) if key)
        cached_keys, cipher = self._cipher
        if keys != cached_keys:
            cipher = MultiFernet([Fernet(cookie_key(key)) for key in keys]) if keys else None
            self._cipher = (keys, cipher)
        return cipher

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure whenever the request came over HTTPS (directly or through the proxy)."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or current_request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cipher = self.cipher(app)
        if cipher is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or request.path.startswith(QUIET_PATHS):
            return SecureCookieSession()  # these paths never read the session
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            token = value.encode("ascii")
            data = json.loads(cipher.decrypt(token, ttl=max_age))
        except (UnicodeError, ValueError):
            message = UNREADABLE
        except InvalidToken:
            # Kept as the English template and the hours, so the page can translate it.
            message = [EXPIRED, max_age // 3600] if _authentic(cipher, token) else UNREADABLE
        else:
            if isinstance(data, dict):
                return SecureCookieSession(data)
            message = UNREADABLE  # made with this key, but not a session
        session = SecureCookieSession()
        session["_flashes"] = [("message", message)]
        return session

    def save_session(self, app: Flask, session: SecureCookieSession,
                     response: Response) -> None:
        if current_request.method not in SAFE_METHODS and not csrf_passed(app):
            return  # a post that failed CSRF, or came without the cookie, changes nothing
        name, domain, path = (self.get_cookie_name(app), self.get_cookie_domain(app),
                              self.get_cookie_path(app))
        secure, samesite = self.get_cookie_secure(app), self.get_cookie_samesite(app)
        httponly, partitioned = (self.get_cookie_httponly(app),
                                 self.get_cookie_partitioned(app))
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(name, domain=domain, path=path, secure=secure,
                                       samesite=samesite, httponly=httponly,
                                       partitioned=partitioned)
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        value = self.cipher(app).encrypt(dumps(dict(session))).decode("ascii")
        response.set_cookie(name, value, expires=self.get_expiration_time(app, session),
                            httponly=httponly, domain=domain, path=path, secure=secure,
                            samesite=samesite, partitioned=partitioned)
        response.vary.add("Cookie")


def _authentic(cipher: MultiFernet, token: bytes) -> bool:
    """Whether a token that could not be used was made with one of the keys (so is too old)."""
    try:
        cipher.extract_timestamp(token)
    except InvalidToken:
        return False
    return True


def csrf_passed(app: Flask) -> bool:
    """Whether this request passed a form's CSRF check (always, with CSRF switched off)."""
    return g.get(CSRF_PASSED, False) or not app.config.get("WTF_CSRF_ENABLED", True)


def init_app(app: Flask) -> None:
    """Use the encrypted session, and send a post without one back to its page."""
    app.session_interface = SessionInterface()

    @app.before_request
    def a_post_needs_a_visit():
        """A form post without a readable session cannot pass CSRF: show the page instead.

        It comes from another site (the SameSite=Lax cookie is not sent) or from a
        visit whose cookie expired. It is answered with a redirect to the page,
        which writes no cookie; the browser then asks for the page with the
        person's own cookie, if they have one.
        """
        request = current_request
        if request.method in SAFE_METHODS or request.url_rule is None \
                or request.path.startswith(QUIET_PATHS) \
                or not app.config.get("WTF_CSRF_ENABLED", True) or "csrf_token" in session:
            return None
        if "GET" in request.url_rule.methods:
            target = request.script_root + request.full_path.rstrip("?")
        elif request.blueprint == "tables":
            target = url_for("tables.upload")
        else:
            target = url_for("questionnaire.start")
        return redirect(target, 303)
