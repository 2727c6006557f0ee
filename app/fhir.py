"""FHIR R4: the questionnaire as a Questionnaire, a person's answers as a QuestionnaireResponse.

Both are generated from the page definitions in ``questions.py``, so the export
asks exactly what the web pages ask. Item linkIds are the contract's field names
(plus the web's ``diagnosis_year``); each page is a group whose linkId is
``page-`` and the page's address (some pages share a name with their one
field). The treatment-history group, skipped after no treatment, has ``enableWhen``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from flask import Blueprint, Response, abort, url_for

from rules import CRITERIA_VERSION, SOURCES_CHECKED
from rules.fields import CHOICE, EDSS, NUMBER, TEXT, UNSURE, WHOLE, Field

from .progress import Progress, today
from .questions import PAGES, WEB_FIELDS, Page, years_since

bp = Blueprint("fhir", __name__, url_prefix="/fhir")

#: FHIR R4 JSON, with the version parameter the FHIR specification defines.
FHIR_JSON = "application/fhir+json; fhirVersion=4.0"
#: Worked out from the year of diagnosis; shown in the export as a read-only item.
YEARS_SINCE_DIAGNOSIS = "years_since_diagnosis"

ITEM_TYPES = {CHOICE: "choice", WHOLE: "integer", NUMBER: "decimal", EDSS: "decimal",
              TEXT: "string"}


def _code_system(name: str) -> str:
    return url_for("fhir.code_system", name=name, _external=True)


def _coding(field: Field, value: str) -> dict:
    choice = field.choice(value)
    return {"system": _code_system(field.name), "code": choice.value, "display": choice.words}


def _question(field: Field) -> dict:
    """One question item, with its hint as a display item."""
    item = {"linkId": field.name, "text": field.question, "type": ITEM_TYPES[field.kind],
            "required": field.kind == CHOICE and UNSURE in field.values}
    if field.kind == CHOICE:
        item["answerOption"] = [{"valueCoding": _coding(field, choice.value)}
                                for choice in field.choices]
    if field.kind == TEXT:
        item["maxLength"] = field.max_length
    if field.hint:
        item["item"] = [{"linkId": f"{field.name}.hint", "type": "display",
                         "text": field.hint}]
    return item


def _derived_years() -> dict:
    field = WEB_FIELDS["diagnosis_year"]
    return {"linkId": YEARS_SINCE_DIAGNOSIS, "type": "decimal", "readOnly": True,
            "required": False,
            "text": f"Years since diagnosis: this year minus the answer to “{field.label}”, "
                    "in whole years."}


def group_link_id(page: Page) -> str:
    """The linkId of a page's group."""
    return f"page-{page.slug}"


def _group(page: Page) -> dict:
    items = [_question(WEB_FIELDS[name]) for name in page.fields]
    if "diagnosis_year" in page.fields:
        items.append(_derived_years())
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
    if field.kind == CHOICE:
        return {f"{prefix}Coding": _coding(field, text)}
    if field.kind == TEXT:
        return {f"{prefix}String": text}
    if field.kind == WHOLE:
        return {f"{prefix}Integer": int(text)}
    return {f"{prefix}Decimal": float(text)}


def questionnaire() -> dict:
    """The questionnaire as a FHIR R4 Questionnaire resource."""
    return {
        "resourceType": "Questionnaire",
        "id": "hsct-ms-screening",
        "url": url_for("fhir.questionnaire_resource", _external=True),
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
        "item": [_group(page) for page in PAGES],
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
        year = progress.answers.get("diagnosis_year", "").strip()
        if "diagnosis_year" in page.fields and year:
            items.append({"linkId": YEARS_SINCE_DIAGNOSIS,
                          "answer": [{"valueDecimal": years_since(int(year), on)}]})
        if items:
            groups.append({"linkId": group_link_id(page), "text": page.heading, "item": items})
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url_for("fhir.questionnaire_resource", _external=True)
                         + "|" + CRITERIA_VERSION,
        "status": "completed" if progress.complete else "in-progress",
        "authored": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if groups:
        response["item"] = groups
    return response


def _fhir(resource: dict, filename: str | None = None) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    return Response(json.dumps(resource, indent=2, ensure_ascii=False) + "\n",
                    content_type=FHIR_JSON, headers=headers)


@bp.get("/Questionnaire")
def questionnaire_resource():
    """The questionnaire as FHIR R4."""
    return _fhir(questionnaire())


@bp.get("/QuestionnaireResponse")
def response_download():
    """The person's own answers as a FHIR R4 QuestionnaireResponse file."""
    return _fhir(questionnaire_response(Progress.load(), today()),
                 "hsct-screening-questionnaire-response.json")


@bp.get("/CodeSystem/<name>")
def code_system(name: str):
    """The codes of one choice question, as the Questionnaire's codings name them."""
    field = WEB_FIELDS.get(name)
    if field is None or field.kind != CHOICE:
        abort(404)
    return _fhir({
        "resourceType": "CodeSystem",
        "id": name.replace("_", "-"),
        "url": _code_system(name),
        "version": CRITERIA_VERSION,
        "name": "".join(part.title() for part in name.split("_")),
        "title": f"Answers to “{field.question}”",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "concept": [{"code": choice.value, "display": choice.words}
                    for choice in field.choices],
    })
