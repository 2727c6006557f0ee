"""The Flask application: turns HTTP into Answers and an Assessment into pages."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    api,
    cors,
    errors,
    fhir,
    fhir_in,
    flow,
    fragments,
    i18n,
    pages,
    requestlog,
    saved,
    security,
    sessions,
    tables,
)


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app.

    Settings come from ``FLASK_*`` environment variables (``FLASK_TRUSTED_PROXIES=1``
    sets ``TRUSTED_PROXIES``), and the secret key from ``SECRET_KEY``.
    """
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(root / "templates"), static_folder=str(root / "static"))
    app.config.from_mapping(
        SESSION_COOKIE_NAME="hsct_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure is added per request under HTTPS (see sessions.py); True forces it.
        SESSION_COOKIE_SECURE=False,
        # A cookie signed more than this long ago is not read (the person is told).
        PERMANENT_SESSION_LIFETIME=timedelta(hours=24),
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        # How many reverse proxies in front set X-Forwarded-* headers (0: trust none).
        TRUSTED_PROXIES=0,
        # The base of every FHIR canonical URL (never taken from the Host header).
        FHIR_BASE_URL=os.environ.get("FHIR_BASE_URL") or fhir_in.DEFAULT_BASE_URL,
        TODAY=None,
    )
    if test_config is None:
        app.config.from_prefixed_env()
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies, x_prefix=proxies)
    app.session_interface = sessions.SessionInterface()
    i18n.init_app(app)
    # Shared by every template: made once here rather than imported on every render.
    app.jinja_env.globals.update(question_field=fragments.question_field, link=fragments.link)
    app.jinja_env.globals["fields"] = app.jinja_env.get_template("macros/fields.html").module

    requestlog.init_app(app)
    for module in (flow, saved, pages, api, fhir, tables):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    cors.init_app(app)
    security.init_app(app)
    return app


def _instance_secret_key(instance: Path) -> str:
    """A key kept in the instance folder, created once with private permissions.

    Every worker and every restart reads the same key, so sessions keep working.
    The key is written whole to a private temporary file and then linked into
    place, so a worker starting at the same moment never reads half a key.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        temporary = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"the secret key in {path} is missing or too short; delete the "
                           "file to have a new one made, or set SECRET_KEY")
    return key
