"""The OpenAPI 3.1 description of the JSON API, generated from the field declarations.

The schema of the answers is a little stricter than what the API accepts: it
lists choices in lower case and numbers as the rules write them, while the API
also takes any case and surrounding spaces. Anything the schema allows, the API
accepts.
"""

from __future__ import annotations

from functools import lru_cache

from rules import CAUTIONS, CRITERIA, CRITERIA_VERSION, FIELDS, OUTCOMES, STATUSES
from rules.fields import CHOICE, EDSS, EDSS_STEPS, NUMBER, TEXT, WHOLE, Field
from rules.model import SEVERITIES

NULL = {"type": "null"}
TEXT_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"


def field_schema(field: Field) -> dict:
    """The JSON Schema of one answer: its typed form, its text form, or null (blank)."""
    described = {"title": field.label, "description": f"{field.question} Allowed: "
                                                      f"{field.allowed}."}
    if field.kind == CHOICE:
        return {**described, "enum": [*field.values, "", None]}
    if field.kind == TEXT:
        return {**described, "type": ["string", "null"], "maxLength": field.max_length,
                "pattern": TEXT_PATTERN}
    if field.kind == WHOLE:
        low, high = int(field.minimum), int(field.maximum)
        forms = [{"type": "integer", "minimum": low, "maximum": high},
                 {"type": "string", "enum": [str(n) for n in range(low, high + 1)]}]
    elif field.kind == EDSS:
        forms = [{"type": "number", "enum": list(EDSS_STEPS)},
                 {"type": "string", "enum": [field.format_value(s) for s in EDSS_STEPS]}]
    elif field.kind == NUMBER:
        # As text, the schema lists the field's steps; the API also takes finer ones.
        steps = int((field.maximum - field.minimum) / field.step)
        texts = [field.format_value(field.minimum + n * field.step) for n in range(steps + 1)]
        forms = [{"type": "number", "minimum": field.minimum, "maximum": field.maximum},
                 {"type": "string", "enum": texts}]
    else:
        raise ValueError(f"no schema for {field.kind}")
    return {**described, "anyOf": [*forms, {"type": "string", "const": ""}, NULL]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": required if required is not None else list(properties),
            "additionalProperties": False}


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
OPTIONAL_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _components() -> dict:
    """Every schema the API's bodies use."""
    criterion_ids = [criterion.id for criterion in CRITERIA]
    caution_ids = [caution.id for caution in CAUTIONS]
    number_answer = {"type": ["string", "number", "null"]}
    return {
        "Answers": {
            **_object({name: field_schema(field) for name, field in FIELDS.items()}, []),
            "description": "Answers by field name. Every field may be left out, blank "
                           "or null, which means not answered (treated like 'unsure'). "
                           "Choices may be in any case; surrounding spaces are ignored.",
        },
        "Source": _object({"id": STRING, "citation": STRING, "url": OPTIONAL_STRING}),
        "SourceException": _object({"text": STRING, "sources": STRINGS}),
        "Change": _object({"field": {"enum": list(FIELDS)},
                           "values": {"type": "array", "items": number_answer},
                           "text": STRING}),
        "Finding": _object({
            "id": {"enum": criterion_ids},
            "title": STRING,
            "term": STRING,
            "status": {"enum": list(STATUSES)},
            "answer": STRING,
            "explanation": STRING,
            "would_change": {**OPTIONAL_STRING, "description":
                             "what single answer would make this criterion met; null "
                             "when it is met"},
            "changes": {"type": "array", "items": _ref("Change")},
            "exceptions": {"type": "array", "items": _ref("SourceException")},
            "sources": {"type": "array", "items": _ref("Source")},
        }),
        "Caution": _object({"id": {"enum": caution_ids}, "title": STRING,
                            "severity": {"enum": list(SEVERITIES)}, "explanation": STRING,
                            "sources": {"type": "array", "items": _ref("Source")}}),
        "Link": _object({"title": STRING, "url": {"type": "string", "format": "uri"},
                         "note": STRING}),
        "Assessment": _object({
            "outcome": {"enum": list(OUTCOMES)},
            "outcome_text": STRING,
            "criteria": {"type": "array", "items": _ref("Finding"),
                         "minItems": len(CRITERIA), "maxItems": len(CRITERIA)},
            "cautions": {"type": "array", "items": _ref("Caution"),
                         "description": "most severe first"},
            "questions_for_doctor": STRINGS,
            "trial_links": {"type": "array", "items": _ref("Link")},
            "named_trials": {"type": "array", "items": _ref("Link")},
            "answers": {"type": "object", "description": "the answers as the rules read "
                        "them, typed, blanks left out",
                        "additionalProperties": number_answer},
            "criteria_version": {"const": CRITERIA_VERSION},
            "sources_checked": STRING,
        }),
        "Criteria": {"type": "object", "required": [
            "criteria_version", "sources_checked", "fields", "criteria", "cautions",
            "outcomes"], "properties": {
            "criteria_version": {"const": CRITERIA_VERSION},
            "fields": {"type": "array", "items": {"type": "object", "required": [
                "name", "type", "label", "question", "allowed"]}},
            "criteria": {"type": "array", "items": {"type": "object", "required": [
                "id", "title", "rule", "fields", "thresholds", "explanations",
                "sources"]}},
            "cautions": {"type": "array", "items": {"type": "object", "required": [
                "id", "title", "severity", "rule", "fields", "explanation", "sources"]}},
        }},
        "Problem": _object({
            "type": STRING,
            "status": {"type": "integer"},
            "title": STRING,
            "detail": STRING,
            "problems": {"type": "array", "items": _object({
                "field": OPTIONAL_STRING, "value": OPTIONAL_STRING, "allowed": STRING,
                "message": STRING})},
        }),
    }


def _problem_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The whole OpenAPI 3.1 document."""
    errors = {"default": _problem_response(
        "Any error: every problem is listed with the field, the value given and what "
        "is allowed")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HSCT-for-MS screening criteria API",
            "version": CRITERIA_VERSION,
            "summary": "A non-diagnostic screening aid: answers in, an explained "
                       "assessment out. It never gives a verdict on eligibility.",
            "description": "Nothing sent to this API is stored. Only an MS specialist can "
                           "decide whether HSCT could be right for someone.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/assessments": {"post": {
                "operationId": "assess",
                "summary": "Judge a set of answers against every criterion and caution",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": _ref("Answers")}}},
                "responses": {
                    "200": {"description": "The assessment, with reasons and sources",
                            "content": {"application/json": {"schema": _ref("Assessment")}}},
                    "400": _problem_response("Bad JSON, an unknown field or a value that is "
                                             "not allowed"),
                    "413": _problem_response("The body is larger than 64 KB"),
                    "415": _problem_response("The body is not sent as application/json"),
                    **errors,
                },
            }},
            "/criteria": {"get": {
                "operationId": "criteria",
                "summary": "Every field, criterion and caution with thresholds, "
                           "explanation templates and sources",
                "responses": {"200": {"description": "The declarations the rules use",
                                      "content": {"application/json": {
                                          "schema": _ref("Criteria")}}}, **errors},
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"}}}}, **errors},
            }},
        },
        "components": {"schemas": _components()},
    }
