"""The Flask application: turns HTTP into Answers and an Assessment into pages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from . import api, errors, fhir, flow, saved, security, tables


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app."""
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(root / "templates"), static_folder=str(root / "static"))
    app.config.from_mapping(
        SESSION_COOKIE_NAME="hsct_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        TODAY=None,
    )
    if test_config is None:
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    app.register_blueprint(flow.bp)
    app.register_blueprint(saved.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(fhir.bp)
    app.register_blueprint(tables.bp)
    errors.init_app(app)
    security.init_app(app)
    return app


def _instance_secret_key(instance: Path) -> str:
    """A key kept in the instance folder, created once with private permissions.

    Every worker and every restart reads the same key, so sessions keep working.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()
