"""The JSON API under /api/v1: the same rules, without the page flow.

It reads no cookie and stores nothing, so CSRF does not apply to it. Every
error, from a bad value to an unknown path, has one JSON shape (``problem``).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from rules import Answers, AnswersError, evaluate

from . import fhir_in
from .openapi import openapi_document
from .progress import today
from .questions import to_answers
from .shapes import assessment_json, criteria_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PREFIX = "/api/"
PROBLEM_TYPE = "application/problem+json"
PROBLEM_KEYS = ("field", "value", "allowed", "message")
JSON_TYPES = ("application/json",)
#: The most problems an error lists, so that a small bad request never gets a huge answer.
MAX_PROBLEMS = 50

TITLES = {
    400: "The request could not be used",
    404: "There is nothing at this address",
    405: "This address does not accept that method",
    413: "The request body is too large",
    415: "The request body must be JSON",
    500: "Something went wrong on our side",
}


class ApiError(Exception):
    """An API request that cannot be answered, with every problem found in it."""

    def __init__(self, status: int, detail: str, problems: list[dict] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = problems or []


def problem(field: str | None, value: str | None, allowed: str, message: str) -> dict:
    """One problem in a request: the field, the value given, what is allowed."""
    return {"field": field, "value": value, "allowed": allowed, "message": message}


def error_response(status: int, detail: str, problems: list[dict] | None = None) -> Response:
    """The one error shape of the API (RFC 9457 problem details, plus ``problems``)."""
    body = {
        "type": "about:blank",
        "status": status,
        "title": TITLES.get(status, TITLES[400]),
        "detail": detail,
        "problems": [{key: entry[key] for key in PROBLEM_KEYS} for entry in problems or []],
    }
    return _json(body, status, PROBLEM_TYPE)


def _json(body: object, status: int = 200, mimetype: str = "application/json") -> Response:
    """A JSON response. Non-ASCII is escaped, so even a lone surrogate echoed back is safe."""
    return Response(json.dumps(body) + "\n", status=status, mimetype=mimetype)


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error_response(error.status, error.detail, error.problems)


@bp.post("/assessments")
def assessments():
    """Judge answers, a flat object or a FHIR QuestionnaireResponse; nothing is kept."""
    document = read_json_object()
    is_fhir = "resourceType" in document
    answers = _response_answers(document) if is_fhir else _answers(document)
    return _json(assessment_json(evaluate(answers), answers))


def _response_answers(document: dict) -> Answers:
    """The answers in a QuestionnaireResponse, read as the pages read them."""
    try:
        read = fhir_in.read_response(document, today())
    except fhir_in.ResponseError as error:
        raise response_error(error) from None
    return to_answers(read.stored, today())


def response_error(error: fhir_in.ResponseError) -> ApiError:
    """The problems of a QuestionnaireResponse as an ApiError, each naming its linkId."""
    count = len(error.problems)
    return ApiError(400, f"{count} part{'s' if count > 1 else ''} of the "
                    "QuestionnaireResponse could not be used.", error.problems)


@bp.get("/criteria")
def criteria():
    """Every criterion and caution as the rules declare them."""
    return _json(criteria_json())


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return _json(openapi_document())


def read_json_object() -> dict:
    """The request body as a JSON object, or an ApiError saying what is wrong."""
    if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
        shown = request.mimetype or "none"
        raise ApiError(415, f"The Content-Type was {shown!r}; send the answers as JSON "
                       "with 'Content-Type: application/json'.",
                       [problem(None, shown, "application/json",
                                "the body must be sent as application/json")])
    data = request.get_data(cache=False)
    try:
        document = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_no_repeats,
                              parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ApiError(400, "The body is not UTF-8 text.", [problem(
            None, None, "a JSON object in UTF-8", "the body is not UTF-8 text")]) from None
    except RepeatedField as error:
        raise ApiError(400, f"The field {error.name!r} appears more than once.", [problem(
            error.name, None, "each field at most once",
            f"{error.name!r} appears more than once")]) from None
    except (ValueError, RecursionError) as error:
        raise ApiError(400, "The body is not valid JSON.", [problem(
            None, _excerpt(data), "a JSON object of answers, like {\"age\": 34}",
            f"the body is not valid JSON ({_reason(error)})")]) from None
    if not isinstance(document, dict):
        raise ApiError(400, "The body must be a JSON object of answers.", [problem(
            None, type(document).__name__, "a JSON object of answers, like {\"age\": 34}",
            "the body is JSON but not an object")])
    return document


class RepeatedField(ValueError):
    """A JSON object that names the same field twice."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _no_repeats(pairs: list[tuple[str, object]]) -> dict:
    names = set()
    for name, _ in pairs:
        if name in names:
            raise RepeatedField(name)
        names.add(name)
    return dict(pairs)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def _reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno}, column {error.colno}"
    if isinstance(error, RecursionError):
        return "it is nested too deeply"
    return str(error)


def _excerpt(data: bytes) -> str:
    text = data[:60].decode("utf-8", "replace")
    return text if len(data) <= 60 else text + "..."


def _answers(document: dict) -> Answers:
    """The answers, or an ApiError listing every unknown field and bad value."""
    try:
        return Answers.from_mapping(document)
    except AnswersError as error:
        problems = [problem(p.field, p.value, p.allowed, p.message)
                    for p in error.problems[:MAX_PROBLEMS]]
        count = len(error.problems)
        more = f" The first {MAX_PROBLEMS} are listed." if count > MAX_PROBLEMS else ""
        raise ApiError(400, f"{count} answer{'s' if count > 1 else ''} could not be used."
                       + more, problems) from None
