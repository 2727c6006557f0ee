"""Friendly error pages that never show internals."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: ("Something in that request was not right",
          "The page could not read what was sent. Go back and try again."),
    404: ("Page not found", "Check the address, or go back to the start page."),
    405: ("That is not something this page can do",
          "Go back to the page you were on and use its buttons."),
    413: ("That was too big", "What you sent was larger than this tool accepts. "
          "An answers file is smaller than 20 KB."),
    500: ("Sorry, something went wrong", "The problem is ours. Your answers have not been "
          "kept anywhere. Please try again in a moment."),
}


def render_error(code: int):
    """The error page for an HTTP status."""
    title, text = MESSAGES.get(code, MESSAGES[400])
    return render_template("error.html", code=code, title=title, text=text), code


def init_app(app: Flask) -> None:
    """One handler renders every error page."""

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_error(error.code or 500)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        return render_error(500)
