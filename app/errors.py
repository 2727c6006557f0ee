"""Friendly error pages that never show internals; JSON errors under /api/, FHIR under /fhir/."""

from __future__ import annotations

from flask import Flask, current_app, make_response, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, InternalServerError

from rules.i18n import N_

from . import api, fhir

MESSAGES = {
    400: (N_("Something in that request was not right"),
          N_("The page could not read what was sent. Go back and try again.")),
    404: (N_("Page not found"), N_("Check the address, or go back to the start page.")),
    405: (N_("That is not something this page can do"),
          N_("Go back to the page you were on and use its buttons.")),
    413: (N_("That was too big"), N_("What you sent was larger than this tool accepts. "
                                  "An answers file is smaller than 20 KB.")),
    415: (N_("That kind of data cannot be used here"),
          N_("Go back to the page you were on and use its form.")),
    500: (N_("Sorry, something went wrong"), N_("The problem is ours. Your answers have "
          "not been kept anywhere. Please try again in a moment.")),
}

API_ADDRESSES = "/api/v1/assessments (POST), /api/v1/criteria (GET), /api/v1/openapi.json (GET)"


#: A page for a request whose Host is not one of TRUSTED_HOSTS: no address can be built.
BAD_HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title} – HSCT screening questions for MS</title></head>
<body><main><h1>{title}</h1><p>{text}</p></main></body>
</html>
"""
BAD_HOST = ("This address is not one this tool answers",
            "Check the address you typed, or follow a link to the tool again.")


def render_error(code: int, methods: list[str] | None = None, text: str | None = None):
    """The error page for an HTTP status: HTML for pages, JSON under /api/.

    ``text`` replaces the usual words for the status, when a view gave its own.
    """
    if request_ctx.url_adapter is None:
        # The Host header was refused (TRUSTED_HOSTS), so no link can be built.
        title, words = BAD_HOST
        response = make_response(BAD_HOST_PAGE.format(title=title, text=words), 400)
    elif request.path.startswith(api.PREFIX):
        response = _api_error(code, methods or [])
    elif request.path.startswith(fhir.PREFIX) or request.path == fhir.PREFIX.rstrip("/"):
        response = _fhir_error(code, methods or [])
    else:
        title, words = MESSAGES.get(code, MESSAGES[400])
        response = make_response(
            render_template("error.html", code=code, title=title, text=text or words), code)
    if methods:
        response.headers["Allow"] = ", ".join(methods)
    return response


def _api_error(code: int, methods: list[str]):
    """An error in the API's one JSON shape, naming what was wrong and what is allowed."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if code == 404:
        detail = "There is no API address like this."
        entry = api.problem(None, request.path, API_ADDRESSES, "unknown address")
    elif code == 405:
        detail = f"This address does not accept the {request.method} method."
        entry = api.problem(None, request.method, ", ".join(methods),
                            f"{request.method} is not allowed here")
    elif code == 413:
        detail = f"The body is larger than the API accepts ({limit} bytes)."
        entry = api.problem(None, None, f"a body of at most {limit} bytes",
                            "the body is too large")
    elif code >= 500:
        detail = "The problem is ours, and nothing you sent was kept. Please try again."
        entry = api.problem(None, None, "a request as /api/v1/openapi.json describes",
                            "the server could not answer")
    else:
        detail = "The request could not be used."
        entry = api.problem(None, None, "a request as /api/v1/openapi.json describes",
                            "the request could not be read")
    return api.error_response(code, detail, [entry])


def _fhir_error(code: int, methods: list[str]):
    """An error under /fhir/ as an OperationOutcome."""
    body = _api_error(code, methods).get_json()
    if code == 404:
        body["problems"][0].update(
            message=f"nothing at {request.path}; this server has /fhir/metadata, "
                    "/fhir/Questionnaire/hsct-ms-screening, /fhir/CodeSystem/<linkId>, "
                    "/fhir/OperationDefinition/QuestionnaireResponse-assess and "
                    "POST /fhir/QuestionnaireResponse/$assess")
    return fhir.error_outcome(code, body["detail"], body["problems"])


def init_app(app: Flask) -> None:
    """One handler renders every error page."""

    @app.errorhandler(HTTPException)
    def http_error(error):
        # A view's own words (``BadRequest("…")``) replace the usual ones.
        own = error.description if error.description != type(error).description else None
        return render_error(error.code or 500, getattr(error, "valid_methods", None),
                            own)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        return render_error(500)
