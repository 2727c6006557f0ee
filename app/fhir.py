"""FHIR R4: the questionnaire out, a person's answers in and out, and the assessment.

Everything here is generated from the page definitions in ``questions.py`` and the
field declarations in ``rules/fields.py``, so the Questionnaire asks exactly what
the web pages ask. Item linkIds are the contract's field names (plus the web's
``diagnosis_year``); each page is a group whose linkId is ``page-`` and the page's
address. Canonical and code-system URLs come from the ``FHIR_BASE_URL`` setting,
never from the request's ``Host`` header.

Reading a QuestionnaireResponse is in ``fhir_in.py``; here are the routes:

- ``GET /fhir/metadata``: the CapabilityStatement;
- ``GET /fhir/Questionnaire`` and ``/fhir/Questionnaire/<id>``: the Questionnaire;
- ``GET /fhir/CodeSystem/<id>``: the codes of one choice question;
- ``GET /fhir/OperationDefinition/<id>``: the ``$assess`` operation;
- ``POST /fhir/QuestionnaireResponse/$assess``: a response in, the assessment out
  as a ``Parameters`` resource;
- ``GET /fhir/QuestionnaireResponse``: the person's own answers (from the session
  cookie) as a download.

Every error under ``/fhir/`` is an ``OperationOutcome``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from flask import Blueprint, Response

from rules import CRITERIA_VERSION, SOURCES, SOURCES_CHECKED, Assessment, evaluate
from rules.fields import FIELDS, Field

from . import fhir_in
from .api import ApiError, read_json_object, response_error
from .fhir_in import (
    QUESTIONNAIRE_ID,
    base_url,
    code_system_url,
    concepts,
    group_link_id,
    is_coded,
    questionnaire_url,
)
from .progress import Progress, today
from .questions import PAGES, WEB_FIELDS, Page, to_answers

bp = Blueprint("fhir", __name__, url_prefix="/fhir")

PREFIX = "/fhir/"
#: FHIR R4 JSON, with the version parameter the FHIR specification defines.
FHIR_JSON = "application/fhir+json; fhirVersion=4.0"
FHIR_VERSION = "4.0.1"
ASSESS_ID = "QuestionnaireResponse-assess"
EXTENSION = "http://hl7.org/fhir/StructureDefinition/"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"


def coded_fields() -> dict[str, Field]:
    """The questions answered with a code: choices, and the EDSS steps."""
    return {name: field for name, field in WEB_FIELDS.items() if is_coded(field)}


def item_type(field: Field) -> str:
    """The FHIR item type of a question."""
    return field.kind.fhir_type


def _coding(field: Field, code: str) -> dict:
    display = dict(concepts(field))[code]
    return {"system": code_system_url(field.name), "code": code, "display": display}


def _limits(field: Field, on: date) -> list[dict]:
    """The smallest and largest answers a number question allows, as R4 extensions."""
    low, high = field.kind.limits(on)
    key = "valueInteger" if isinstance(low, int) else "valueDecimal"
    return [{"url": EXTENSION + "minValue", key: low},
            {"url": EXTENSION + "maxValue", key: high}]


def _question(field: Field, on: date) -> dict:
    """One question item, with its hint as a display item.

    No item is ``required``: any question may be left empty.
    """
    item = {"linkId": field.name, "text": field.question, "type": item_type(field)}
    if field.kind.limits(on) is not None:
        item["extension"] = _limits(field, on)
    if is_coded(field):
        item["answerOption"] = [{"valueCoding": _coding(field, code)}
                                for code, _ in concepts(field)]
    if field.hint:
        item["item"] = [{"linkId": f"{field.name}.hint", "type": "display",
                         "text": field.hint}]
    return item


def derived_expression(field: Field) -> str:
    """FHIRPath for the input a question derives: worked out from the answer, if any."""
    answer = f"%resource.repeat(item).where(linkId = '{field.name}').answer.value"
    return (f"iif({answer}.exists(), "
            f"{field.derives.fhirpath.format(answer=answer)}, {{}})")


def _derived(field: Field) -> dict:
    """The read-only item for the input ``field`` derives, worked out as it is answered."""
    derived = FIELDS[field.derives.field]
    return {
        "extension": [{"url": SDC + "sdc-questionnaire-calculatedExpression",
                       "valueExpression": {"language": "text/fhirpath",
                                           "expression": derived_expression(field),
                                           "description": field.derives.description}}],
        "linkId": derived.name, "type": derived.kind.fhir_type, "readOnly": True,
        "text": f"{derived.label}: {field.derives.description.lower()} "
                f"(the answer to “{field.label}”).",
    }


def _group(page: Page, on: date) -> dict:
    items = []
    for name in page.fields:
        items.append(_question(WEB_FIELDS[name], on))
        if WEB_FIELDS[name].derives:
            items.append(_derived(WEB_FIELDS[name]))
    group = {"linkId": group_link_id(page), "text": page.heading, "type": "group", "item": items}
    if page.skip_when is not None:
        # Asked when the earlier answer is missing or anything but the skipping value.
        skip = page.skip_when
        group["enableWhen"] = [
            {"question": skip.field, "operator": "exists", "answerBoolean": False},
            {"question": skip.field, "operator": "!=",
             **_answer_value(WEB_FIELDS[skip.field], skip.value, "answer")},
        ]
        group["enableBehavior"] = "any"
    return group


def _answer_value(field: Field, text: str, prefix: str = "value") -> dict:
    """A stored answer as a FHIR value: ``valueCoding``, ``valueInteger`` … (or ``answer…``)."""
    key = prefix + field.kind.fhir_value_keys[0].removeprefix("value")
    if field.kind.coded:
        return {key: _coding(field, text)}
    return {key: field.kind.read(text, text, None)}  # a stored answer, already checked


def questionnaire(on: date) -> dict:
    """The questionnaire as a FHIR R4 Questionnaire resource."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "meta": {"profile": [
            "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"]},
        "url": questionnaire_url(),
        "version": CRITERIA_VERSION,
        "name": "HsctMsScreening",
        "title": "HSCT screening questions for MS",
        "status": "active",
        "experimental": False,
        "subjectType": ["Patient"],
        "date": SOURCES_CHECKED,
        "description": "A non-diagnostic screening questionnaire for autologous "
                       "haematopoietic stem cell transplantation (HSCT) in multiple "
                       "sclerosis. Every question may be answered 'Not sure' or left "
                       "empty. Only an MS specialist can decide whether HSCT could be "
                       "right for someone.",
        "item": [_group(page, on) for page in PAGES],
    }


def questionnaire_response(progress: Progress, on: date) -> dict:
    """A person's answers as a QuestionnaireResponse; skipped and blank answers left out."""
    groups = []
    for page in progress.pages():
        if page.slug not in progress.done:
            continue
        items = []
        for name in page.fields:
            text = progress.answers.get(name, "").strip()
            if text:
                field = WEB_FIELDS[name]
                items.append({"linkId": name, "text": field.question,
                              "answer": [_answer_value(field, text)]})
            if text and field.derives:
                derived = FIELDS[field.derives.field]
                items.append({"linkId": derived.name, "answer": [_answer_value(
                    derived, str(field.derives.compute(int(text), on)))]})
        if items:
            groups.append({"linkId": group_link_id(page), "text": page.heading, "item": items})
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire_url()}|{CRITERIA_VERSION}",
        "status": "completed" if progress.complete else "in-progress",
        "authored": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if groups:
        response["item"] = groups
    return response


def code_system(field: Field) -> dict:
    """The codes of one coded question, as the Questionnaire's codings name them."""
    return {
        "resourceType": "CodeSystem",
        "id": field.name.replace("_", "-"),
        "url": code_system_url(field.name),
        "version": CRITERIA_VERSION,
        "name": "".join(part.title() for part in field.name.split("_")),
        "title": f"Answers to “{field.question}”",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "concept": [{"code": code, "display": display} for code, display in concepts(field)],
    }


def operation_definition() -> dict:
    """What ``$assess`` takes and gives."""
    return {
        "resourceType": "OperationDefinition",
        "id": ASSESS_ID,
        "url": f"{base_url()}/OperationDefinition/{ASSESS_ID}",
        "version": CRITERIA_VERSION,
        "name": "Assess",
        "title": "Judge a QuestionnaireResponse against the HSCT-for-MS screening criteria",
        "status": "active",
        "kind": "operation",
        "description": "Takes a QuestionnaireResponse to the Questionnaire "
                       f"{questionnaire_url()} (the resource itself as the body, or a "
                       "Parameters resource with it as 'response') and returns the "
                       "assessment as Parameters. Nothing is stored. Non-diagnostic: only "
                       "an MS specialist can decide whether HSCT could be right for someone.",
        "affectsState": False,
        "code": "assess",
        "resource": ["QuestionnaireResponse"],
        "system": False,
        "type": True,
        "instance": False,
        "parameter": [
            {"name": "response", "use": "in", "min": 1, "max": "1",
             "type": "QuestionnaireResponse",
             "documentation": "The answers; items outside the Questionnaire, wrong answer "
                              "types and unknown codes are refused, naming the linkId"},
            {"name": "outcome", "use": "out", "min": 1, "max": "1", "type": "code",
             "documentation": "matches, unclear or does_not_match"},
            {"name": "outcomeText", "use": "out", "min": 1, "max": "1", "type": "string"},
            {"name": "criterion", "use": "out", "min": 1, "max": "*",
             "documentation": "Each criterion: id, title, status (met, not_met, unknown), "
                              "answer, explanation, wouldChange, source",
             "part": [
                 {"name": "id", "use": "out", "min": 1, "max": "1", "type": "code"},
                 {"name": "title", "use": "out", "min": 1, "max": "1", "type": "string"},
                 {"name": "status", "use": "out", "min": 1, "max": "1", "type": "code"},
                 {"name": "answer", "use": "out", "min": 1, "max": "1", "type": "string"},
                 {"name": "explanation", "use": "out", "min": 1, "max": "1",
                  "type": "string"},
                 {"name": "wouldChange", "use": "out", "min": 0, "max": "1",
                  "type": "string"},
                 {"name": "source", "use": "out", "min": 0, "max": "*", "type": "string"},
             ]},
            {"name": "caution", "use": "out", "min": 0, "max": "*",
             "documentation": "Each caution raised, most severe first",
             "part": [
                 {"name": "id", "use": "out", "min": 1, "max": "1", "type": "code"},
                 {"name": "title", "use": "out", "min": 1, "max": "1", "type": "string"},
                 {"name": "severity", "use": "out", "min": 1, "max": "1", "type": "code"},
                 {"name": "explanation", "use": "out", "min": 1, "max": "1",
                  "type": "string"},
             ]},
            {"name": "questionForDoctor", "use": "out", "min": 0, "max": "*",
             "type": "string"},
            {"name": "trialSearch", "use": "out", "min": 0, "max": "*", "type": "uri"},
            {"name": "criteriaVersion", "use": "out", "min": 1, "max": "1",
             "type": "string"},
            {"name": "sourcesChecked", "use": "out", "min": 1, "max": "1", "type": "date"},
        ],
    }


def capability_statement() -> dict:
    """What this FHIR server does: read three kinds of resource, and ``$assess``."""
    read = [{"code": "read"}]
    return {
        "resourceType": "CapabilityStatement",
        "id": "hsct-ms-screening-server",
        "url": f"{base_url()}/CapabilityStatement/hsct-ms-screening-server",
        "version": CRITERIA_VERSION,
        "name": "HsctMsScreeningServer",
        "title": "HSCT-for-MS screening questionnaire: FHIR interface",
        "status": "active",
        "experimental": False,
        "date": SOURCES_CHECKED,
        "description": "Serves the screening Questionnaire and its code systems, and "
                       "judges a QuestionnaireResponse with $assess. Nothing sent is "
                       "stored. Read-only resources and $assess allow cross-origin "
                       "requests without credentials.",
        "kind": "instance",
        "software": {"name": "hsct-ms-screening", "version": CRITERIA_VERSION},
        "implementation": {"description": "HSCT-for-MS screening questionnaire",
                           "url": base_url()},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Errors are OperationOutcome resources.",
            "resource": [
                {"type": "Questionnaire", "interaction": read,
                 "documentation": f"One Questionnaire, id {QUESTIONNAIRE_ID}"},
                {"type": "CodeSystem", "interaction": read,
                 "documentation": "One code system for each coded question, its id the "
                                  "question's linkId"},
                {"type": "OperationDefinition", "interaction": read},
                {"type": "QuestionnaireResponse",
                 "operation": [{"name": "assess",
                                "definition": operation_definition()["url"]}]},
            ],
        }],
    }


def assessment_parameters(assessment: Assessment) -> dict:
    """The assessment as the ``Parameters`` that ``$assess`` returns."""

    def string(name: str, value: str) -> list[dict]:
        return [{"name": name, "valueString": value}] if value else []

    parameters = [{"name": "outcome", "valueCode": assessment.outcome},
                  *string("outcomeText", assessment.outcome_text)]
    for finding in assessment.findings:
        parameters.append({"name": "criterion", "part": [
            {"name": "id", "valueCode": finding.id},
            *string("title", finding.title),
            {"name": "status", "valueCode": finding.status},
            *string("answer", finding.answer),
            *string("explanation", finding.explanation),
            *string("wouldChange", finding.would_change),
            *(part for source in finding.sources
              for part in string("source", SOURCES[source].citation)),
        ]})
    for caution in assessment.cautions:
        parameters.append({"name": "caution", "part": [
            {"name": "id", "valueCode": caution.id},
            *string("title", caution.title),
            {"name": "severity", "valueCode": caution.severity},
            *string("explanation", caution.explanation),
        ]})
    parameters += [part for question in assessment.questions
                   for part in string("questionForDoctor", question)]
    parameters += [{"name": "trialSearch", "valueUri": link.url}
                   for link in assessment.trial_links]
    parameters += [{"name": "criteriaVersion", "valueString": assessment.criteria_version},
                   {"name": "sourcesChecked", "valueDate": assessment.sources_checked}]
    return {"resourceType": "Parameters", "parameter": parameters}


def operation_outcome(issues: list[dict]) -> dict:
    """An OperationOutcome with these issues (each: severity, code, diagnostics …)."""
    return {"resourceType": "OperationOutcome", "issue": issues}


def issue(code: str, diagnostics: str, expression: str | None = None) -> dict:
    """One error issue."""
    entry = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        entry["expression"] = [expression]
    return entry


def fhir_response(resource: dict, status: int = 200, filename: str | None = None) -> Response:
    """A FHIR JSON response."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    body = json.dumps(resource, indent=2, ensure_ascii=False)
    try:
        body.encode()
    except UnicodeEncodeError:
        # Text echoed back from a request may hold a lone surrogate, which no FHIR
        # string may hold (escaped or not): it is sent as "?".
        body = body.encode(errors="replace").decode()
    return Response(body + "\n", status=status, content_type=FHIR_JSON, headers=headers)


def error_outcome(status: int, detail: str, problems: list[dict]) -> Response:
    """An error as an OperationOutcome, one issue for each problem."""
    issues = [issue(entry.get("code") or _ISSUE_CODES.get(status, "invalid"),
                    entry["message"], entry.get("expression"))
              for entry in problems] or [issue(_ISSUE_CODES.get(status, "invalid"), detail)]
    return fhir_response(operation_outcome(issues), status)


_ISSUE_CODES = {400: "invalid", 404: "not-found", 405: "not-supported", 406: "not-supported",
                413: "too-costly", 415: "not-supported", 500: "exception"}


@bp.errorhandler(ApiError)
def fhir_error(error: ApiError):
    return error_outcome(error.status, error.detail, error.problems)


@bp.get("/metadata")
def metadata():
    """The CapabilityStatement."""
    return fhir_response(capability_statement())


@bp.get("/Questionnaire")
def questionnaire_resource():
    """The questionnaire as FHIR R4 (the one Questionnaire this server has)."""
    return fhir_response(questionnaire(today()))


@bp.get("/Questionnaire/<resource_id>")
def questionnaire_read(resource_id: str):
    """Read the Questionnaire by its id."""
    if resource_id != QUESTIONNAIRE_ID:
        raise _not_found("Questionnaire", resource_id, QUESTIONNAIRE_ID)
    return fhir_response(questionnaire(today()))


@bp.get("/CodeSystem/<name>")
def code_system_read(name: str):
    """The codes of one coded question, by the question's linkId."""
    fields = coded_fields()
    if name not in fields:
        raise _not_found("CodeSystem", name, ", ".join(fields))
    return fhir_response(code_system(fields[name]))


@bp.get(f"/OperationDefinition/{ASSESS_ID}")
def operation_definition_read():
    """The definition of ``$assess``."""
    return fhir_response(operation_definition())


@bp.post("/QuestionnaireResponse/$assess")
def assess():
    """Judge a QuestionnaireResponse; nothing is kept."""
    document = read_json_object()
    if document.get("resourceType") == "Parameters":
        document = _response_parameter(document)
    try:
        read = fhir_in.read_response(document, today())
    except fhir_in.ResponseError as error:
        raise response_error(error) from None
    return fhir_response(assessment_parameters(evaluate(to_answers(read.stored, today()))))


@bp.get("/QuestionnaireResponse")
def response_download():
    """The person's own answers as a FHIR R4 QuestionnaireResponse file."""
    return fhir_response(questionnaire_response(Progress.load(), today()),
                         filename="hsct-screening-questionnaire-response.json")


def _response_parameter(parameters: dict) -> dict:
    """The QuestionnaireResponse inside a Parameters resource, named ``response``."""
    entries = parameters.get("parameter")
    found = [entry.get("resource") for entry in entries
             if isinstance(entry, dict) and entry.get("name") == "response"] \
        if isinstance(entries, list) else []
    if len(found) != 1 or not isinstance(found[0], dict):
        raise ApiError(400, "The Parameters must hold one parameter 'response'.", [{
            "field": None, "value": None, "allowed": "a parameter named response holding a "
            "QuestionnaireResponse", "message": "Parameters.parameter must have one "
            "'response' with a QuestionnaireResponse resource",
            "expression": "Parameters.parameter", "code": "required"}])
    return found[0]


def _not_found(kind: str, given: str, allowed: str) -> ApiError:
    return ApiError(404, f"There is no {kind} {given!r}.", [{
        "field": None, "value": given, "allowed": allowed,
        "message": f"{kind}/{given} is not known here; known: {allowed}", "code": "not-found"}])
