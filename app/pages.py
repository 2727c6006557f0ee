"""Pages about the tool itself: privacy and accessibility."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("pages", __name__)


@bp.get("/privacy")
def privacy():
    """Exactly what is kept, and where."""
    hours = int(current_app.permanent_session_lifetime.total_seconds() // 3600)
    return render_template("privacy.html", hours=hours)


@bp.get("/accessibility")
def accessibility():
    """How the tool is made accessible, how it is tested, and what is known not to work."""
    return render_template("accessibility.html")
