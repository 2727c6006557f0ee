"""The OpenAPI 3.1 description of the JSON API, generated from the declarations.

Every field, criterion, caution and choice comes from ``rules/``; every example is
made by the same code that answers requests (the example assessment is what
``evaluate()`` gives for the example answers), so the document cannot drift from
the server.

**How strict the schema is.** The answers' schema lists each choice as the rules
write it (lower case) and numbers as numbers or as the text the web writes. The
contract (``docs/criteria.md``, section "Inputs") makes every channel accept text
in any case with spaces around it, and numbers written as text in any decimal
form (``"34.0"``, ``" 34 "``). The server therefore accepts a little more than
the schema lists, and the schema's description says exactly what: anything the
schema allows, the server accepts (schemathesis checks this), and the extra forms
are documented rather than enumerated, because case-insensitive enums written as
regular expressions would turn every typed client's enums into bare strings.
"""

from __future__ import annotations

from functools import lru_cache

from rules import (
    CAUTIONS,
    CRITERIA,
    CRITERIA_VERSION,
    FIELDS,
    OUTCOMES,
    STATUSES,
    Answers,
    AnswersError,
    evaluate,
)
from rules.fields import Field
from rules.model import SEVERITIES

from . import fhir_in
from .questions import PAGE_OF_FIELD, WEB_FIELDS
from .shapes import assessment_json, criteria_json

NULL = {"type": "null"}
KINDS = tuple(dict.fromkeys(field.kind.name for field in FIELDS.values()))

ASSESSMENTS, CRITERIA_TAG, DOCUMENT_TAG = "assessments", "criteria", "document"
TAGS = [
    {"name": ASSESSMENTS, "description": "Judge answers against every criterion and caution. "
     "Nothing sent is stored; no cookie is read or set."},
    {"name": CRITERIA_TAG, "description": "The declarations the rules use: fields, criteria "
     "with their thresholds and sources, cautions and outcomes."},
    {"name": DOCUMENT_TAG, "description": "This OpenAPI document."},
]


def field_schema(field: Field) -> dict:
    """The JSON Schema of one answer: its typed form, its text form, or null (blank)."""
    described = {"title": field.label, "description": f"{field.question} Allowed: "
                                                      f"{field.allowed}."}
    forms = field.kind.schema_forms()
    # Blank ("") is in each text form's list: a separate constant breaks client generators.
    return {**described, "anyOf": [*forms, NULL]}


def _object(properties: dict, required: list[str] | None = None,
            description: str = "") -> dict:
    schema = {"type": "object", "properties": properties,
              "required": required if required is not None else list(properties),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
OPTIONAL_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str, description: str = "") -> dict:
    schema = {"type": "array", "items": _ref(name)}
    if description:
        schema["description"] = description
    return schema


def _answer_schemas() -> dict:
    """The request bodies: flat answers, or a FHIR QuestionnaireResponse."""
    answer_value = {"type": "object", "description": "One answer: exactly one value[x]",
                    "minProperties": 1, "maxProperties": 1, "properties": {
                        "valueCoding": {"type": "object", "required": ["code"],
                                        "properties": {"system": STRING, "code": STRING,
                                                       "display": STRING}},
                        "valueInteger": {"type": "integer"},
                        "valueDecimal": {"type": "number"},
                        "valueString": STRING}}
    return {
        "Answers": {
            **_object({name: field_schema(field) for name, field in FIELDS.items()}, []),
            "description": "Answers by field name. Every field may be left out, blank or "
                           "null, which means not answered (treated like 'unsure'). Beyond "
                           "the forms listed, the server also accepts, as the criteria "
                           "require: choices in any case, spaces around any text, and "
                           "numbers written as text in any decimal form ('34.0', ' 34 ').",
        },
        "QuestionnaireResponse": {
            "type": "object", "required": ["resourceType"],
            "description": "A FHIR R4 QuestionnaireResponse to the Questionnaire at "
                           "/fhir/Questionnaire/hsct-ms-screening, told from flat answers "
                           "by its resourceType (it may also be sent as "
                           "application/fhir+json). Its items are read as the pages read "
                           "them: linkIds must be items of that Questionnaire, each answered "
                           "at most once with the value type it asks for and, for choices, "
                           "a code of its code system; otherwise the answer is 400, each "
                           "problem naming the linkId in 'field'. The read-only "
                           "years_since_diagnosis is worked out again from diagnosis_year.",
            "properties": {
                "resourceType": {"type": "string", "const": fhir_in.RESOURCE_TYPE},
                "questionnaire": {"type": "string", "description": "The Questionnaire's "
                                  "canonical URL, optionally with |version"},
                "status": {"type": "string", "enum": ["in-progress", "completed", "amended",
                                                       "entered-in-error", "stopped"]},
                "item": _array("ResponseItem"),
            },
        },
        "ResponseItem": {
            "type": "object", "required": ["linkId"],
            "properties": {"linkId": STRING, "text": STRING,
                           "answer": {"type": "array", "maxItems": 1, "items": answer_value},
                           "item": _array("ResponseItem")},
        },
    }


def _declaration_schemas() -> dict:
    """What GET /criteria gives, fully typed."""
    threshold_value = {"anyOf": [{"type": "number"}, STRING, STRINGS],
                       "description": "a number, a value, or a set of values (sorted)"}
    return {
        "Threshold": _object({"name": STRING, "field": {"type": "string",
                                                       "enum": list(FIELDS)},
                              "value": threshold_value, "unit": STRING,
                              "description": STRING},
                             description="A number or set of values a rule compares an "
                                         "answer with"),
        "ChoiceValue": _object({"value": STRING, "label": STRING}),
        "FieldDeclaration": _object({
            "name": {"type": "string", "enum": list(FIELDS)},
            "type": {"type": "string", "enum": list(KINDS)},
            "label": STRING, "question": STRING,
            "allowed": {"type": "string", "description": "what the field accepts, in words"},
            "values": _array("ChoiceValue", "choices only, 'unsure' last"),
            "minimum": {"type": "number", "description": "numbers only"},
            "maximum": {"type": "number", "description": "numbers only"},
        }, ["name", "type", "label", "question", "allowed"], "One input of the rules"),
        "CriterionDeclaration": _object({
            "id": {"type": "string", "enum": [c.id for c in CRITERIA]},
            "title": STRING, "term": STRING,
            "rule": {"type": "string", "description": "the rule in one sentence"},
            "fields": {"type": "array", "items": {"type": "string", "enum": list(FIELDS)}},
            "thresholds": _array("Threshold"),
            "explanations": {"type": "object", "additionalProperties": STRING,
                             "description": "an explanation template for every reason the "
                                            "rule can give, filled with the answers"},
            "question": {"type": "string", "description": "for the doctor, when unknown"},
            "exceptions": _array("SourceException"),
            "sources": _array("Source"),
        }, description="One criterion as declared"),
        "CautionDeclaration": _object({
            "id": {"type": "string", "enum": [c.id for c in CAUTIONS]},
            "title": STRING, "severity": {"type": "string", "enum": list(SEVERITIES)},
            "rule": STRING,
            "fields": {"type": "array", "items": {"type": "string", "enum": list(FIELDS)}},
            "thresholds": _array("Threshold"), "explanation": STRING, "question": STRING,
            "unsure_question": OPTIONAL_STRING, "sources": _array("Source"),
        }, description="One caution as declared; it never changes a status"),
        "OutcomeDeclaration": _object({"outcome": {"type": "string", "enum": list(OUTCOMES)},
                                       "text": STRING}),
        "Criteria": _object({
            "criteria_version": {"type": "string", "const": CRITERIA_VERSION},
            "sources_checked": {"type": "string", "format": "date"},
            "fields": _array("FieldDeclaration"),
            "criteria": _array("CriterionDeclaration"),
            "cautions": _array("CautionDeclaration"),
            "outcomes": _array("OutcomeDeclaration"),
        }, description="Every declaration the rules use"),
    }


def _components() -> dict:
    """Every schema the API's bodies use."""
    criterion_ids = [criterion.id for criterion in CRITERIA]
    caution_ids = [caution.id for caution in CAUTIONS]
    number_answer = {"type": ["string", "number", "null"]}
    schemas = {
        **_answer_schemas(),
        "Source": _object({"id": STRING, "citation": STRING, "url": OPTIONAL_STRING},
                          description="A document a criterion or caution rests on"),
        "SourceException": _object({"text": STRING, "sources": STRINGS},
                                   description="A case the sources mention that a plain "
                                               "reading of the rule would miss"),
        "Change": _object({"field": {"type": "string", "enum": list(FIELDS)},
                           "values": {"type": "array", "items": number_answer},
                           "text": STRING},
                          description="One answer that, changed on its own, would make "
                                      "the criterion met"),
        "Finding": _object({
            "id": {"type": "string", "enum": criterion_ids},
            "title": STRING,
            "term": {"type": "string", "description": "the precise clinical term"},
            "status": {"type": "string", "enum": list(STATUSES)},
            "answer": {"type": "string", "description": "the person's answers, in words"},
            "explanation": STRING,
            "would_change": {**OPTIONAL_STRING, "description":
                             "what single answer would make this criterion met; null "
                             "when it is met"},
            "changes": _array("Change"),
            "exceptions": _array("SourceException"),
            "sources": _array("Source"),
        }, description="How one criterion came out, and why"),
        "Caution": _object({"id": {"type": "string", "enum": caution_ids}, "title": STRING,
                            "severity": {"type": "string", "enum": list(SEVERITIES)},
                            "explanation": STRING, "sources": _array("Source")},
                           description="A reason for extra care; it never changes a status"),
        "Link": _object({"title": STRING, "url": {"type": "string", "format": "uri"},
                         "note": STRING}),
        "Assessment": _object({
            "outcome": {"type": "string", "enum": list(OUTCOMES)},
            "outcome_text": STRING,
            "criteria": {"type": "array", "items": _ref("Finding"),
                         "minItems": len(CRITERIA), "maxItems": len(CRITERIA)},
            "cautions": _array("Caution", "most severe first"),
            "questions_for_doctor": STRINGS,
            "trial_links": _array("Link"),
            "named_trials": _array("Link"),
            "answers": {"type": "object", "description": "the answers as the rules read "
                        "them, typed, blanks left out",
                        "additionalProperties": number_answer},
            "criteria_version": {"type": "string", "const": CRITERIA_VERSION},
            "sources_checked": STRING,
        }, description="Everything the rules say about one set of answers. Non-diagnostic: "
                       "it never says whether someone is eligible."),
        **_declaration_schemas(),
        "Problem": _object({
            "type": STRING,
            "status": {"type": "integer"},
            "title": STRING,
            "detail": STRING,
            "problems": _array("ProblemEntry"),
        }, description="RFC 9457 problem details, with every problem listed"),
        "ProblemEntry": _object({
            "field": {**OPTIONAL_STRING, "description": "the field, or the linkId of a "
                      "QuestionnaireResponse item"},
            "value": OPTIONAL_STRING, "allowed": STRING, "message": STRING}),
    }
    return schemas


def example_answers() -> dict:
    """Example answers, from the declarations: each number at its first threshold."""
    thresholds = {}
    for declaration in (*CRITERIA, *CAUTIONS):
        for threshold in declaration.thresholds:
            if isinstance(threshold.value, (int, float)) and not isinstance(threshold.value,
                                                                               bool):
                thresholds.setdefault(threshold.field, threshold.value)
    answers = {}
    for name, field in FIELDS.items():
        answers[name] = field.kind.example(thresholds.get(name))
    return Answers.from_mapping(answers).to_dict(skip_blank=True)


def example_response() -> dict:
    """A QuestionnaireResponse example with the example answers the pages ask."""
    answers = {name: value for name, value in example_answers().items() if name in WEB_FIELDS}
    groups: dict[str, list] = {}
    for name, value in answers.items():
        field = WEB_FIELDS[name]
        if fhir_in.is_coded(field):
            code = field.format_value(value)
            system = f"{fhir_in.DEFAULT_BASE_URL}/CodeSystem/{name}"
            answer = {"valueCoding": {"system": system, "code": code}}
        else:
            answer = {field.kind.fhir_value_keys[0]: value}
        page = PAGE_OF_FIELD[name]
        groups.setdefault(fhir_in.group_link_id(page), []).append(
            {"linkId": name, "answer": [answer]})
    return {"resourceType": fhir_in.RESOURCE_TYPE,
            "questionnaire": f"{fhir_in.DEFAULT_BASE_URL}/Questionnaire/"
                             f"{fhir_in.QUESTIONNAIRE_ID}|{CRITERIA_VERSION}",
            "status": "in-progress",
            "item": [{"linkId": link_id, "item": items} for link_id, items in groups.items()]}


def example_assessment() -> dict:
    """What the server answers for the example answers."""
    answers = Answers.from_mapping(example_answers())
    return assessment_json(evaluate(answers), answers)


def example_problem() -> dict:
    """What the server answers for a bad value."""
    name = next(n for n, f in FIELDS.items() if not f.choices)
    try:
        Answers.from_mapping({name: "many"})
    except AnswersError as error:
        entries = [{"field": p.field, "value": p.value, "allowed": p.allowed,
                    "message": p.message} for p in error.problems]
    else:  # pragma: no cover - a whole number never accepts words
        raise ValueError(f"{name} accepted 'many'")
    return {"type": "about:blank", "status": 400, "title": "The request could not be used",
            "detail": "1 answer could not be used.", "problems": entries}


def _problem_response(description: str, status: int, message: str, allowed: str) -> dict:
    example = {"type": "about:blank", "status": status, "title": description,
               "detail": description + ".",
               "problems": [{"field": None, "value": None, "allowed": allowed,
                             "message": message}]}
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem"),
                                                     "example": example}}}


def _errors() -> dict:
    return {"default": _problem_response(
        "Any other error, in the same shape", 404, "unknown address",
        "/api/v1/assessments (POST), /api/v1/criteria (GET), /api/v1/openapi.json (GET)")}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The whole OpenAPI 3.1 document."""
    bad_request = {"description": "Bad JSON, an unknown field, a value that is not allowed, "
                                  "or a QuestionnaireResponse item that cannot be used",
                   "content": {"application/problem+json": {"schema": _ref("Problem"),
                                                            "example": example_problem()}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HSCT-for-MS screening criteria API",
            "version": CRITERIA_VERSION,
            "summary": "A non-diagnostic screening aid: answers in, an explained "
                       "assessment out. It never gives a verdict on eligibility.",
            "description": "Nothing sent to this API is stored, and it reads no cookie. Any "
                           "origin may call it (CORS, without credentials). Only an MS "
                           "specialist can decide whether HSCT could be right for someone. "
                           "The same rules are described for people at /criteria.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/api/v1", "description": "This server"}],
        "tags": TAGS,
        "paths": {
            "/assessments": {"post": {
                "operationId": "assess",
                "tags": [ASSESSMENTS],
                "summary": "Judge a set of answers against every criterion and caution",
                "description": "Send the answers as a flat JSON object, or a FHIR R4 "
                               "QuestionnaireResponse of this tool's Questionnaire. The "
                               "answer is the whole assessment: outcome, each criterion with "
                               "its status, explanation, what would change it and sources, "
                               "the cautions, questions for the doctor and trial searches.",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"oneOf": [_ref("Answers"), _ref("QuestionnaireResponse")]},
                    "examples": {
                        "answers": {"summary": "Flat answers by field name",
                                    "value": example_answers()},
                        "questionnaire_response": {
                            "summary": "A FHIR R4 QuestionnaireResponse (also accepted as "
                                       "application/fhir+json)",
                            "value": example_response()},
                    }}}},
                "responses": {
                    "200": {"description": "The assessment, with reasons and sources",
                            "content": {"application/json": {
                                "schema": _ref("Assessment"),
                                "example": example_assessment()}}},
                    "400": bad_request,
                    "413": _problem_response("The request body is too large", 413,
                                             "the body is too large",
                                             "a body of at most 65536 bytes"),
                    "415": _problem_response("The request body must be JSON", 415,
                                             "the body must be sent as application/json",
                                             "application/json"),
                    **_errors(),
                },
            }},
            "/criteria": {"get": {
                "operationId": "criteria",
                "tags": [CRITERIA_TAG],
                "summary": "Every field, criterion and caution with thresholds, "
                           "explanation templates and sources",
                "description": "The declarations the rules are made of, as data. The same "
                               "content, for people, is at /criteria and in "
                               "docs/criteria.md.",
                "responses": {"200": {"description": "The declarations the rules use",
                                      "content": {"application/json": {
                                          "schema": _ref("Criteria"),
                                          "example": criteria_json()}}}, **_errors()},
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi",
                "tags": [DOCUMENT_TAG],
                "summary": "This document",
                "description": "The OpenAPI 3.1 description of this API.",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"},
                                          "example": {"openapi": "3.1.0"}}}},
                              **_errors()},
            }},
        },
        "components": {"schemas": _components()},
    }
