"""The Flask application: turns HTTP into Answers and an Assessment into pages."""

from __future__ import annotations

import os
import secrets
import stat
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
    sets ``TRUSTED_PROXIES``; ``FLASK_TRUSTED_HOSTS=hsct.example.org`` the host names
    answered, loopback only when unset), and the secret key from ``SECRET_KEY``.
    """
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(data_folder("templates")),
                static_folder=str(data_folder("static")))
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
        BABEL_TRANSLATION_DIRECTORIES=str(data_folder("translations")),
    )
    if test_config is None:
        # Served for real: only the host names configured, loopback until then.
        app.config["TRUSTED_HOSTS"] = LOOPBACK_HOSTS
        app.config.from_prefixed_env()
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    else:
        app.config.from_mapping(test_config)
    if isinstance(app.config["TRUSTED_HOSTS"], str):
        app.config["TRUSTED_HOSTS"] = [host.strip() for host in
                                       app.config["TRUSTED_HOSTS"].split(",") if host.strip()]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    for key in (app.config["SECRET_KEY"], *(app.config.get("SECRET_KEY_FALLBACKS") or ())):
        if len(key) < MIN_KEY_LENGTH:
            raise RuntimeError(f"SECRET_KEY (and every SECRET_KEY_FALLBACKS key) must be at "
                               f"least {MIN_KEY_LENGTH} characters; make one with: python3 -c "
                               "'import secrets; print(secrets.token_hex(32))'")
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = security.ForwardedPrefixIsAPath(
            ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,
                     x_prefix=proxies))
    sessions.init_app(app)
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


def data_folder(name: str) -> Path:
    """``templates``, ``static`` or ``translations``: the folder of that name in this package
    when installed from a wheel (pyproject.toml puts them there), else the one at the top of
    the checkout, beside this package (a checkout, or an editable install of one).
    """
    package = Path(__file__).resolve().parent
    return package / name if (package / name).is_dir() else package.parent / name


#: The shortest secret key accepted, from the environment, the config or the key file.
MIN_KEY_LENGTH = 32
#: The host names answered when FLASK_TRUSTED_HOSTS is not set: loopback only.
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


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
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise RuntimeError(f"the secret key in {path} can be read by other users (mode "
                           f"{mode:o}); make it private with: chmod 600 {path}")
    key = path.read_text().strip()
    if len(key) < MIN_KEY_LENGTH:
        raise RuntimeError(f"the secret key in {path} is missing or too short; delete the "
                           "file to have a new one made, or set SECRET_KEY")
    return key
