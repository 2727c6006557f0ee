"""The JSON API under /api/v1: the same rules, without the page flow.

It reads no cookie and stores nothing, so CSRF does not apply to it. Every
error, from a bad value to an unknown path, has one JSON shape (``problem``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import Blueprint, Response, request

from rules import (
    CAUTIONS,
    CRITERIA,
    CRITERIA_VERSION,
    FIELDS,
    OUTCOMES,
    SOURCES,
    SOURCES_CHECKED,
    Answers,
    AnswersError,
    Assessment,
    evaluate,
)
from rules.content import OUTCOME_TEXT
from rules.fields import CHOICE, Field
from rules.model import Threshold

from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PREFIX = "/api/"
PROBLEM_TYPE = "application/problem+json"
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
        "problems": problems or [],
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
    """Judge a JSON object of answers; nothing is kept."""
    answers = _answers(_json_object())
    return _json(assessment_json(evaluate(answers), answers))


@bp.get("/criteria")
def criteria():
    """Every criterion and caution as the rules declare them."""
    return _json(criteria_json())


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return _json(openapi_document())


def _json_object() -> dict:
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


def _sources(ids: Iterable[str]) -> list[dict]:
    return [{"id": id_, "citation": SOURCES[id_].citation, "url": SOURCES[id_].url or None}
            for id_ in ids]


def _link(link) -> dict:
    return {"title": link.title, "url": link.url, "note": link.note}


def assessment_json(assessment: Assessment, answers: Answers) -> dict:
    """The whole assessment as JSON: outcome, criteria, cautions, questions, links."""
    return {
        "outcome": assessment.outcome,
        "outcome_text": assessment.outcome_text,
        "criteria": [
            {
                "id": finding.id,
                "title": finding.title,
                "term": finding.term,
                "status": finding.status,
                "answer": finding.answer,
                "explanation": finding.explanation,
                "would_change": finding.would_change or None,
                "changes": [{"field": change.field, "values": list(change.values),
                             "text": change.text} for change in finding.changes],
                "exceptions": [{"text": exception.text, "sources": list(exception.sources)}
                               for exception in finding.exceptions],
                "sources": _sources(finding.sources),
            }
            for finding in assessment.findings
        ],
        "cautions": [
            {"id": caution.id, "title": caution.title, "severity": caution.severity,
             "explanation": caution.explanation, "sources": _sources(caution.sources)}
            for caution in assessment.cautions
        ],
        "questions_for_doctor": list(assessment.questions),
        "trial_links": [_link(link) for link in assessment.trial_links],
        "named_trials": [_link(link) for link in assessment.named_trials],
        "answers": answers.to_dict(skip_blank=True),
        "criteria_version": assessment.criteria_version,
        "sources_checked": assessment.sources_checked,
    }


def _threshold(threshold: Threshold) -> dict:
    value = threshold.value
    if isinstance(value, (set, frozenset, tuple)):
        value = sorted(value)
    return {"name": threshold.name, "field": threshold.field, "value": value,
            "unit": threshold.unit, "description": threshold.description}


def field_json(field: Field) -> dict:
    """One input of the rules: its type and what it allows."""
    described = {"name": field.name, "type": field.kind, "label": field.label,
                 "question": field.question, "allowed": field.allowed}
    if field.kind == CHOICE:
        described["values"] = [{"value": choice.value, "label": choice.words}
                               for choice in field.choices]
    elif field.max_length:
        described["max_length"] = field.max_length
    else:
        described["minimum"] = field.minimum
        described["maximum"] = field.maximum
    return described


def criteria_json() -> dict:
    """Every field, criterion and caution as declared, with the outcome rule."""
    return {
        "criteria_version": CRITERIA_VERSION,
        "sources_checked": SOURCES_CHECKED,
        "fields": [field_json(field) for field in FIELDS.values()],
        "criteria": [
            {"id": c.id, "title": c.title, "term": c.term, "rule": c.rule,
             "fields": list(c.fields), "thresholds": [_threshold(t) for t in c.thresholds],
             "explanations": dict(c.explanations), "question": c.question,
             "exceptions": [{"text": e.text, "sources": list(e.sources)}
                            for e in c.exceptions],
             "sources": _sources(c.sources)}
            for c in CRITERIA
        ],
        "cautions": [
            {"id": c.id, "title": c.title, "severity": c.severity, "rule": c.rule,
             "fields": list(c.fields), "thresholds": [_threshold(t) for t in c.thresholds],
             "explanation": c.explanation, "question": c.question,
             "unsure_question": c.unsure_question or None, "sources": _sources(c.sources)}
            for c in CAUTIONS
        ],
        "outcomes": [{"outcome": outcome, "text": OUTCOME_TEXT[outcome]}
                     for outcome in OUTCOMES],
    }
