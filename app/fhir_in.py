"""Reading a FHIR R4 QuestionnaireResponse of our Questionnaire into the web's answers.

Three places read one: ``POST /fhir/QuestionnaireResponse/$assess``, ``POST
/api/v1/assessments`` and the start page's upload. Each turns it into the answers
a person would have typed on the pages (``diagnosis_year`` included), and from
there goes the same way as the pages, so every channel gives the same result.

What is read is generated from the declarations, like the Questionnaire: an item
is known when its linkId is a page's group, a field a page asks, or the read-only
derived item; a coded answer is known when its code is one the field declares.
Anything else is a problem naming the linkId, and every problem is listed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from rules.fields import Field

from .questions import DERIVED as ASKED_TO_DERIVE
from .questions import PAGES, WEB_FIELDS, Page, applicable_pages, stored_value

RESOURCE_TYPE = "QuestionnaireResponse"
#: Inputs worked out from an answer (years from the year of diagnosis): items the
#: Questionnaire shows read-only, which a response may carry and which are worked out again.
DERIVED = frozenset(derivation.field for derivation in ASKED_TO_DERIVE.values())
#: Groups hold questions, questions hold their hint: nothing nests deeper than this.
MAX_DEPTH = 4
DEFAULT_BASE_URL = "http://localhost:5000/fhir"
QUESTIONNAIRE_ID = "hsct-ms-screening"

def base_url() -> str:
    """The base of every canonical URL, from the ``FHIR_BASE_URL`` setting."""
    return str(current_app.config.get("FHIR_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def questionnaire_url() -> str:
    """The Questionnaire's canonical URL."""
    return f"{base_url()}/Questionnaire/{QUESTIONNAIRE_ID}"


def code_system_url(name: str) -> str:
    """The canonical URL of one coded question's code system."""
    return f"{base_url()}/CodeSystem/{name}"


def group_link_id(page: Page) -> str:
    """The linkId of a page's group."""
    return f"page-{page.slug}"


GROUPS = {group_link_id(page): page for page in PAGES}


def problem(link_id: str | None, value: object, allowed: str, message: str, code: str,
            where: str) -> dict:
    """One problem: the linkId, the value given, what is allowed, and a FHIR issue code."""
    shown = None if value is None else (value if isinstance(value, str) else repr(value))
    if shown is not None and len(shown) > 60:
        shown = shown[:57] + "..."
    return {"field": link_id, "value": shown, "allowed": allowed, "message": message,
            "code": code, "expression": where}


class ResponseError(ValueError):
    """A QuestionnaireResponse that cannot be used, with every problem in it."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(entry["message"] for entry in problems))


@dataclass(frozen=True)
class ReadResponse:
    """The answers a response holds, as the pages store them, and whether it is complete."""

    stored: dict[str, str]
    completed: bool

    def done(self) -> list[str]:
        """The pages to count as answered: every page when complete, else those answered."""
        pages = applicable_pages(self.stored)
        if self.completed:
            return [page.slug for page in pages]
        return [page.slug for page in pages if any(name in self.stored for name in page.fields)]


def allowed(field: Field, on: date) -> str:
    """What a question allows, in words."""
    return field.kind.allowed_on(on).removesuffix(", or blank")


def _is_our_questionnaire(reference: str) -> bool:
    """Our canonical URL, any version (the items are checked one by one anyway)."""
    url = reference.split("|", 1)[0].rstrip("/")
    return url in (questionnaire_url(), f"{base_url()}/Questionnaire")


class _Reader:
    """Walks the items of one response, collecting answers and problems."""

    def __init__(self, on: date):
        self.on = on
        self.stored: dict[str, str] = {}
        self.problems: list[dict] = []
        self.seen: set[str] = set()

    def add(self, *args) -> None:
        self.problems.append(problem(*args))

    def items(self, items: object, where: str, depth: int) -> None:
        if not isinstance(items, list):
            self.add(None, type(items).__name__, "a list of items", f"{where} must be a list "
                     "of items", "structure", where)
            return
        if depth > MAX_DEPTH:
            self.add(None, None, f"items nested at most {MAX_DEPTH} deep",
                     f"{where} is nested too deeply", "structure", where)
            return
        for index, item in enumerate(items):
            self.item(item, f"{where}[{index}]", depth)

    def item(self, item: object, where: str, depth: int) -> None:
        if not isinstance(item, dict):
            self.add(None, type(item).__name__, "an object with a linkId",
                     f"{where} is not an object", "structure", where)
            return
        link_id = item.get("linkId")
        if not isinstance(link_id, str):
            self.add(None, link_id, "a linkId of the Questionnaire",
                     f"{where} has no linkId", "required", where)
            return
        where = f"{where.rsplit('[', 1)[0]}.where(linkId='{link_id}')"
        if link_id in self.seen:
            self.add(link_id, link_id, "each linkId once",
                     f"{link_id!r} appears more than once", "duplicate", where)
            return
        self.seen.add(link_id)
        if link_id in GROUPS:
            if "answer" in item:
                self.add(link_id, None, "items, not answers",
                         f"{link_id!r} is a group and cannot have an answer", "structure",
                         where)
            self.items(item.get("item", []), f"{where}.item", depth + 1)
        elif link_id in WEB_FIELDS or link_id in DERIVED:
            self.question(link_id, item, where, depth)
        elif link_id.endswith(".hint") and link_id.removesuffix(".hint") in WEB_FIELDS:
            if "answer" in item or "item" in item:
                self.add(link_id, None, "no answer", f"{link_id!r} is a hint to read, "
                         "not a question", "structure", where)
        else:
            self.add(link_id, link_id, "a linkId of the Questionnaire",
                     f"{link_id!r} is not an item of this Questionnaire", "not-found", where)

    def question(self, link_id: str, item: dict, where: str, depth: int) -> None:
        answers = item.get("answer", [])
        if "item" in item:
            self.items(item["item"], f"{where}.item", depth + 1)
        if not isinstance(answers, list) or len(answers) > 1:
            self.add(link_id, None, "at most one answer",
                     f"{link_id!r} must have at most one answer", "structure", where)
            return
        if not answers:
            return
        answer = answers[0]
        where = f"{where}.answer"
        if not isinstance(answer, dict):
            self.add(link_id, None, "an answer object", f"the answer to {link_id!r} is not "
                     "an object", "structure", where)
            return
        if "item" in answer:
            self.items(answer["item"], f"{where}.item", depth + 1)
        values = [key for key in answer if key.startswith("value")]
        if link_id in DERIVED:
            # Read-only and worked out again from the year of diagnosis; never trusted.
            if values not in (["valueDecimal"], ["valueInteger"]) or not _is_number(
                    answer[values[0]]):
                self.add(link_id, None, "valueDecimal", f"{link_id!r} is worked out from "
                         "the year of diagnosis; its answer must be a number", "value", where)
            return
        field = WEB_FIELDS[link_id]
        expected = value_keys(field)
        if len(values) != 1 or values[0] not in expected:
            shown = ", ".join(values) or "no value"
            self.add(link_id, shown, " or ".join(expected),
                     f"the answer to {link_id!r} must be {' or '.join(expected)}, not {shown}",
                     "value", where)
            return
        self.value(field, values[0], answer[values[0]], f"{where}.{values[0]}")

    def value(self, field: Field, key: str, value: object, where: str) -> None:
        link_id = field.name
        if key == "valueCoding":
            text = self.code(field, value, where)
            if text is None:
                return
        elif key == "valueString":
            if not isinstance(value, str):
                self.add(link_id, value, "text", f"the answer to {link_id!r} is not text",
                         "value", where)
                return
            text = value
        else:
            if not _is_number(value) or (key == "valueInteger" and not isinstance(value, int)):
                self.add(link_id, value, "a whole number" if key == "valueInteger"
                         else "a number", f"the answer to {link_id!r} is not a "
                         f"{'whole ' if key == 'valueInteger' else ''}number", "value", where)
                return
            text = str(value)
        try:
            stored = stored_value(link_id, text, self.on)
        except ValueError:
            self.add(link_id, value, allowed(field, self.on),
                     f"the answer to {link_id!r}, {text[:40]!r}, is not allowed; allowed: "
                     f"{allowed(field, self.on)}", "value", where)
            return
        if stored:
            self.stored[link_id] = stored

    def code(self, field: Field, coding: object, where: str) -> str | None:
        """The code of a coding, when it is one the question declares."""
        link_id = field.name
        codes = _codes(field)
        if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
            self.add(link_id, None, "a coding with a code", f"the answer to {link_id!r} "
                     "has no code", "value", where)
            return None
        system, code = coding.get("system"), coding["code"]
        if system is not None and system != code_system_url(link_id):
            self.add(link_id, system, code_system_url(link_id), f"the answer to {link_id!r} "
                     f"is from another code system, {str(system)[:60]!r}", "code-invalid",
                     where)
            return None
        if code not in codes:
            self.add(link_id, code, ", ".join(codes), f"the answer to {link_id!r} has an "
                     f"unknown code {code[:40]!r}; allowed: {', '.join(codes)}",
                     "code-invalid", where)
            return None
        return code


def is_coded(field: Field) -> bool:
    """Answered with a code: any field with declared choices, and the EDSS steps."""
    return field.kind.coded


def concepts(field: Field) -> list[tuple[str, str]]:
    """A coded question's (code, display) pairs, as the rules declare them."""
    return field.kind.concepts()


def value_keys(field: Field) -> tuple[str, ...]:
    """The answer value keys a question takes."""
    return field.kind.fhir_value_keys


def _codes(field: Field) -> list[str]:
    return [code for code, _ in concepts(field)]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read_response(document: object, on: date) -> ReadResponse:
    """The answers in a QuestionnaireResponse; ResponseError lists every problem."""
    if not isinstance(document, dict) or document.get("resourceType") != RESOURCE_TYPE:
        given = document.get("resourceType") if isinstance(document, dict) else None
        raise ResponseError([problem("resourceType", given, RESOURCE_TYPE,
                                     f"the resourceType is {given!r}, not {RESOURCE_TYPE!r}",
                                     "invalid", "resourceType")])
    reference = document.get("questionnaire")
    if reference is not None and (not isinstance(reference, str)
                                  or not _is_our_questionnaire(reference)):
        raise ResponseError([problem("questionnaire", reference, questionnaire_url(),
                                     f"the response answers another questionnaire, "
                                     f"{str(reference)[:80]!r}, not this tool's "
                                     f"({questionnaire_url()})", "not-supported",
                                     f"{RESOURCE_TYPE}.questionnaire")])
    reader = _Reader(on)
    reader.items(document.get("item", []), f"{RESOURCE_TYPE}.item", 1)
    if reader.problems:
        raise ResponseError(reader.problems)
    return ReadResponse(reader.stored, document.get("status") == "completed")
