"""Pages about the tool itself: privacy, accessibility and how it decides."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from rules.docs import specification

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


@bp.get("/criteria")
def criteria():
    """How this tool decides: every criterion, threshold, caution and source, as declared."""
    return render_template("criteria.html", spec=specification())
