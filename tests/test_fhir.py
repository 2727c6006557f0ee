"""FHIR R4 export: the Questionnaire and a person's QuestionnaireResponse.

Each resource is checked twice: by ``fhir.resources`` (its R4B models, whose
Questionnaire and QuestionnaireResponse are those of R4), and by the R4 rules
that library does not check (codes from the required value sets, invariants
que-1/que-5/que-9, qrs-1, and every answered linkId present in the Questionnaire).
"""

from datetime import date

import fhirpathpy
import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationdefinition import OperationDefinition
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhirpathpy.models import models

from app import create_app
from app.questions import DIAGNOSIS_YEAR, PAGES, WEB_FIELDS
from rules import CRITERIA_VERSION, FIELDS
from rules.fields import EDSS_STEPS
from rules.kinds import Choices, EdssStep, Number, WholeNumber

from .conftest import MATCHING, TODAY

BASE = "http://localhost:5000/fhir"
FHIR_JSON = "application/fhir+json; fhirVersion=4.0"
EXTENSION = "http://hl7.org/fhir/StructureDefinition/"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"

#: R4 value sets with required binding.
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime",
              "time", "string", "text", "url", "choice", "open-choice", "attachment",
              "reference", "quantity"}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
VALUE_KEYS = {"valueBoolean", "valueDecimal", "valueInteger", "valueDate", "valueDateTime",
              "valueTime", "valueString", "valueUri", "valueAttachment", "valueCoding",
              "valueQuantity", "valueReference"}
ANSWER_FOR_TYPE = {"choice": "valueCoding", "integer": "valueInteger",
                   "decimal": "valueDecimal", "string": "valueString"}


def walk(items):
    """Every item, nested ones included."""
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def check_questionnaire_r4(resource):
    """The R4 rules that a structural model does not check."""
    assert resource["status"] in PUBLICATION_STATUS
    link_ids = [item["linkId"] for item in walk(resource["item"])]
    assert len(link_ids) == len(set(link_ids)), "linkIds are unique"
    for item in walk(resource["item"]):
        assert item["type"] in ITEM_TYPES
        if item["type"] == "group":
            assert item.get("item"), "que-1: a group has items"
        if item["type"] == "display":
            assert "required" not in item and "item" not in item, "que-6"
        if "answerOption" in item:
            assert item["type"] in ("choice", "open-choice"), "que-5"
            for option in item["answerOption"]:
                assert set(option) == {"valueCoding"}
                assert set(option["valueCoding"]) == {"system", "code", "display"}
        for condition in item.get("enableWhen", []):
            assert condition["operator"] in OPERATORS
            assert condition["question"] in link_ids
            answer_keys = [key for key in condition if key.startswith("answer")]
            assert len(answer_keys) == 1
            if condition["operator"] == "exists":
                assert answer_keys == ["answerBoolean"], "que-7"
        if len(item.get("enableWhen", [])) > 1:
            assert item["enableBehavior"] in ("all", "any"), "que-12"
    return {item["linkId"]: item for item in walk(resource["item"])}


def check_response_r4(response, questions):
    """R4 rules for a response, and that it answers this Questionnaire's items."""
    assert response["status"] in RESPONSE_STATUS
    for item in walk(response.get("item", [])):
        assert item["linkId"] in questions, f"{item['linkId']} is in the Questionnaire"
        assert not ("answer" in item and "item" in item), "qrs-1"
        question = questions[item["linkId"]]
        if question["type"] == "group":
            assert "answer" not in item and item["item"]
        else:
            assert len(item["answer"]) == 1
            (key,) = item["answer"][0]
            assert key in VALUE_KEYS and key == ANSWER_FOR_TYPE[question["type"]]
            if key == "valueCoding":
                assert item["answer"][0][key] in [option["valueCoding"]
                                                  for option in question["answerOption"]]


@pytest.fixture
def questionnaire(client):
    response = client.get("/fhir/Questionnaire")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == FHIR_JSON
    return response.get_json()


def items_of(questionnaire):
    return {item["linkId"]: item for item in walk(questionnaire["item"])}


def outcome_of(response, status):
    """Check that an error under /fhir/ is a valid OperationOutcome; return its issues."""
    assert response.status_code == status
    assert response.headers["Content-Type"] == FHIR_JSON
    body = response.get_json()
    OperationOutcome.model_validate(body)
    assert body["issue"] and all(i["severity"] == "error" and i["diagnostics"]
                                 for i in body["issue"])
    return body["issue"]


def test_the_questionnaire_is_valid_fhir_r4(questionnaire):
    Questionnaire.model_validate(questionnaire)
    check_questionnaire_r4(questionnaire)
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire["version"] == CRITERIA_VERSION
    assert questionnaire["url"] == f"{BASE}/Questionnaire/hsct-ms-screening"


def test_canonical_urls_come_from_configuration_never_from_the_host_header():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "TODAY": TODAY,
                      "FHIR_BASE_URL": "https://fhir.example.org/hsct/"})
    client = app.test_client()
    for host in ("localhost", "evil.example", "attacker.test:8080"):
        body = client.get("/fhir/Questionnaire", headers={"Host": host}).get_json()
        assert body["url"] == "https://fhir.example.org/hsct/Questionnaire/hsct-ms-screening"
        systems = {option["valueCoding"]["system"] for item in walk(body["item"])
                   for option in item.get("answerOption", [])}
        assert systems and all(s.startswith("https://fhir.example.org/hsct/CodeSystem/")
                               for s in systems)
        text = client.get("/fhir/metadata", headers={"Host": host}).get_data(as_text=True)
        assert host.split(":")[0] not in text.replace("localhost:5000", "")


def test_the_questionnaire_asks_what_the_pages_ask_with_field_names_as_link_ids(questionnaire):
    assert [group["linkId"] for group in questionnaire["item"]] == [
        f"page-{p.slug}" for p in PAGES]
    for group, page in zip(questionnaire["item"], PAGES, strict=True):
        asked = [item["linkId"] for item in group["item"] if not item.get("readOnly")]
        assert asked == list(page.fields)
        assert group["text"] == page.heading
    link_ids = {item["linkId"] for item in walk(questionnaire["item"])}
    assert set(FIELDS) <= link_ids, "every contract field is an item"


def test_choice_answers_are_codings_with_the_contract_values(questionnaire):
    items = items_of(questionnaire)
    for name, field in WEB_FIELDS.items():
        if isinstance(field.kind, Choices):
            codes = [option["valueCoding"]["code"] for option in items[name]["answerOption"]]
            assert codes == list(field.values)
            assert items[name]["type"] == "choice"
    assert items["age"]["type"] == "integer"
    assert "unsure" not in FIELDS["country"].values
    assert {"United Kingdom", "Spain"} <= set(FIELDS["country"].values)
    assert "maxLength" not in items["country"]
    assert items["years_since_diagnosis"]["readOnly"] is True
    assert items["relapses_12m.hint"]["type"] == "display"


def test_no_question_is_required_since_any_may_be_left_empty(questionnaire):
    assert "left empty" in questionnaire["description"]
    assert not [item["linkId"] for item in walk(questionnaire["item"]) if item.get("required")]


def test_every_number_carries_the_limits_the_app_enforces(questionnaire):
    items = items_of(questionnaire)
    numbers = {name: field for name, field in WEB_FIELDS.items()
               if isinstance(field.kind, Number) and not isinstance(field.kind, EdssStep)}
    assert numbers, "there are number questions"
    for name, field in numbers.items():
        limits = {e["url"].removeprefix(EXTENSION): e for e in items[name]["extension"]}
        key = "valueInteger" if isinstance(field.kind, WholeNumber) else "valueDecimal"
        high = TODAY.year if name == DIAGNOSIS_YEAR.name else field.maximum
        assert limits["minValue"] == {"url": EXTENSION + "minValue", key: field.minimum}
        assert limits["maxValue"] == {"url": EXTENSION + "maxValue", key: high}
        assert items[name]["type"] == ("integer" if isinstance(field.kind, WholeNumber)
                                       else "decimal")
    assert items["age"]["extension"][1]["valueInteger"] == 120


def test_the_edss_is_offered_only_as_its_steps(questionnaire):
    items = items_of(questionnaire)
    edss = [name for name, field in WEB_FIELDS.items() if isinstance(field.kind, EdssStep)]
    assert edss
    for name in edss:
        codes = [option["valueCoding"]["code"] for option in items[name]["answerOption"]]
        assert items[name]["type"] == "choice"
        assert [float(code) for code in codes] == list(EDSS_STEPS)
        assert "0.5" not in codes and "6.0" in codes and "2.25" not in codes


@pytest.mark.parametrize(("year", "expected"), [(2019, [7]), (2026, [0]), (None, [])])
def test_years_since_diagnosis_is_a_fhirpath_calculation_of_the_year(questionnaire, year,
                                                                     expected):
    derived = items_of(questionnaire)["years_since_diagnosis"]
    (extension,) = derived["extension"]
    assert extension["url"] == CALCULATED
    assert extension["valueExpression"]["language"] == "text/fhirpath"
    answers = [] if year is None else [{"valueInteger": year}]
    response = {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": [
        {"linkId": "page-diagnosis", "item": [{"linkId": "diagnosis_year",
                                               "answer": answers}]}]}
    result = fhirpathpy.evaluate(response, extension["valueExpression"]["expression"],
                                 {"resource": response}, models["r4"])
    this_year = date.today().year
    assert [float(value) for value in result] == [this_year - 2026 + e for e in expected]


def test_the_treatment_history_is_enabled_unless_no_treatment_was_taken(questionnaire):
    history = next(g for g in questionnaire["item"] if g["linkId"] == "page-treatment-history")
    assert history["enableBehavior"] == "any"
    assert history["enableWhen"] == [
        {"question": "dmt_count", "operator": "exists", "answerBoolean": False},
        {"question": "dmt_count", "operator": "!=", "answerInteger": 0},
    ]
    others = [g for g in questionnaire["item"] if g is not history]
    assert not any("enableWhen" in item for item in walk(others))


def test_the_codings_name_a_code_system_the_app_serves(client, questionnaire):
    items = {item["linkId"]: item for item in walk(questionnaire["item"])}
    coded = [item for item in items.values() if "answerOption" in item]
    assert len(coded) == sum(isinstance(f.kind, (Choices, EdssStep)) for f in WEB_FIELDS.values())
    for item in coded:
        system_url = item["answerOption"][0]["valueCoding"]["system"]
        system = client.get(system_url.removeprefix("http://localhost:5000"))
        assert system.headers["Content-Type"] == FHIR_JSON
        CodeSystem.model_validate(system.get_json())
        assert system.get_json()["url"] == system_url
        assert [c["code"] for c in system.get_json()["concept"]] == [
            option["valueCoding"]["code"] for option in item["answerOption"]]
    walking = client.get("/fhir/CodeSystem/walking").get_json()
    assert [c["code"] for c in walking["concept"]] == list(FIELDS["walking"].values)
    countries = client.get("/fhir/CodeSystem/country").get_json()
    assert [c["code"] for c in countries["concept"]] == list(FIELDS["country"].values)
    issues = outcome_of(client.get("/fhir/CodeSystem/age"), 404)
    assert issues[0]["code"] == "not-found" and "walking" in issues[0]["diagnostics"]


def test_the_response_holds_every_answer_and_references_the_questionnaire(
        client, flow, questionnaire):
    flow.complete(walking={"walking": "one_aid", "edss": "6.0"},
                  country={"country": "Spain"})
    download = client.get("/fhir/QuestionnaireResponse")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    response = download.get_json()
    QuestionnaireResponse.model_validate(response)
    check_response_r4(response, check_questionnaire_r4(questionnaire))
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    assert response["status"] == "completed"
    answers = {item["linkId"]: item["answer"][0] for item in walk(response["item"])
               if "answer" in item}
    assert answers["age"] == {"valueInteger": 34}
    assert answers["edss"]["valueCoding"]["code"] == "6.0"
    assert answers["walking"]["valueCoding"]["code"] == "one_aid"
    assert answers["country"] == {"valueCoding": {
        "system": "http://localhost:5000/fhir/CodeSystem/country", "code": "Spain",
        "display": "Spain"}}
    assert answers["prior_chemotherapy"]["valueCoding"]["code"] == "no"
    assert answers["diagnosis_year"] == {"valueInteger": 2021}
    assert answers["years_since_diagnosis"] == {"valueDecimal": 5}
    assert answers["activity_on_dmt"]["valueCoding"]["code"] == "yes"


def test_skipped_and_blank_answers_are_left_out_of_the_response(client, flow, questionnaire):
    flow.complete(treatments={"dmt_count": "0"}, walking={"edss": ""})
    response = client.get("/fhir/QuestionnaireResponse").get_json()
    check_response_r4(response, check_questionnaire_r4(questionnaire))
    link_ids = {item["linkId"] for item in walk(response["item"])}
    assert "page-treatment-history" not in link_ids and "activity_on_dmt" not in link_ids
    assert "edss" not in link_ids and "country" not in link_ids
    assert "dmt_count" in link_ids


def test_a_response_before_any_answer_is_in_progress_and_empty(client):
    response = client.get("/fhir/QuestionnaireResponse").get_json()
    QuestionnaireResponse.model_validate(response)
    assert response["status"] == "in-progress" and "item" not in response


def test_the_summary_links_to_the_fhir_download(client, flow):
    flow.complete()
    page = client.get("/summary").get_data(as_text=True)
    assert 'href="/fhir/QuestionnaireResponse" download' in page


def _choose(position):
    """Every choice answered with its value at ``position`` (-1: "Not sure" where offered)."""
    return {slug: {name: WEB_FIELDS[name].values[position] for name in fields
                   if WEB_FIELDS[name].values}
            for slug, fields in MATCHING.items()}


def _numbers(age, year, relapses, dmts, edss):
    return {"about-you": {"age": age}, "diagnosis": {"diagnosis_year": year},
            "recent-activity": {"relapses_12m": relapses}, "treatments": {"dmt_count": dmts},
            "walking": {"edss": edss}}


#: Every choice at its first and at its last value, every number at both ends.
EXTREMES = {
    "first choices, lowest numbers": (_choose(0), _numbers("0", str(TODAY.year), "0", "1",
                                                           "0")),
    "last choices, highest numbers": (_choose(-1), _numbers("120", "1940", "50", "30", "10")),
    "no treatment, blank numbers": (_choose(1), _numbers("", "", "", "0", "")),
}


@pytest.mark.parametrize("answers", EXTREMES.values(), ids=EXTREMES.keys())
def test_every_answer_a_page_accepts_can_be_exported(client, flow, questionnaire, answers):
    """Choices at both ends of their lists and numbers at both ends of their ranges: each
    is in a valid response, as given; blank and skipped answers are left out."""
    choices, numbers = answers
    pages = {slug: {**choices[slug], **numbers.get(slug, {})} for slug in MATCHING}
    flow.complete(**pages)
    response = client.get("/fhir/QuestionnaireResponse").get_json()
    QuestionnaireResponse.model_validate(response)
    check_response_r4(response, check_questionnaire_r4(questionnaire))
    assert response["status"] == "completed"
    exported = {item["linkId"]: item["answer"][0] for item in walk(response["item"])
                if "answer" in item and item["linkId"] in WEB_FIELDS}
    skipped = pages["treatments"]["dmt_count"] == "0"
    given = {name: value for slug, data in pages.items() for name, value in data.items()
             if value and not (skipped and slug == "treatment-history")}
    assert set(exported) == set(given)
    for name, value in given.items():
        (key, answer), = exported[name].items()
        if key == "valueCoding":
            assert answer["code"] == value or float(answer["code"]) == float(value), name
        else:
            assert (key, answer) == ("valueInteger", int(value)), name


def test_the_capability_statement_says_what_the_server_does(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200 and response.headers["Content-Type"] == FHIR_JSON
    body = response.get_json()
    CapabilityStatement.model_validate(body)
    assert body["fhirVersion"] == "4.0.1" and body["kind"] == "instance"
    resources = {r["type"]: r for r in body["rest"][0]["resource"]}
    assert resources["Questionnaire"]["interaction"] == [{"code": "read"}]
    (operation,) = resources["QuestionnaireResponse"]["operation"]
    assert operation["name"] == "assess"
    definition = client.get(operation["definition"].removeprefix("http://localhost:5000"))
    OperationDefinition.model_validate(definition.get_json())
    assert definition.get_json()["code"] == "assess"


def test_the_questionnaire_is_read_by_its_id(client, questionnaire):
    read = client.get(f"/fhir/Questionnaire/{questionnaire['id']}")
    assert read.status_code == 200 and read.headers["Content-Type"] == FHIR_JSON
    assert read.get_json() == questionnaire
    assert questionnaire["url"].endswith(f"/Questionnaire/{questionnaire['id']}")
    issues = outcome_of(client.get("/fhir/Questionnaire/another"), 404)
    assert "another" in issues[0]["diagnostics"]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("get", "/fhir/Patient/1", {}, 404),
    ("get", "/fhir/", {}, 404),
    ("get", "/fhir", {}, 404),
    ("delete", "/fhir/metadata", {}, 405),
    ("get", "/fhir/QuestionnaireResponse/$assess", {}, 405),
    ("post", "/fhir/QuestionnaireResponse/$assess",
     {"data": "{", "content_type": "application/fhir+json"}, 400),
    ("post", "/fhir/QuestionnaireResponse/$assess",
     {"data": "[]", "content_type": "application/fhir+json"}, 400),
    ("post", "/fhir/QuestionnaireResponse/$assess",
     {"data": "age=3", "content_type": "application/x-www-form-urlencoded"}, 415),
    ("post", "/fhir/QuestionnaireResponse/$assess",
     {"data": "[" * 70_000, "content_type": "application/fhir+json"}, 413),
    ("post", "/fhir/QuestionnaireResponse/$assess",
     {"json": {"resourceType": "Parameters", "parameter": []}}, 400),
], ids=["unknown-type", "base-slash", "base", "wrong-method", "get-operation", "bad-json",
        "not-an-object", "form", "too-large", "parameters-without-response"])
def test_every_error_under_fhir_is_an_operation_outcome(client, method, path, kwargs, status):
    response = getattr(client, method)(path, **kwargs)
    outcome_of(response, status)
    assert "<html" not in response.get_data(as_text=True)


def test_a_server_error_under_fhir_is_an_operation_outcome_without_internals():
    app = create_app({"TESTING": False, "SECRET_KEY": "x" * 32})

    @app.get("/fhir/broken")
    def broken():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/fhir/broken")
    outcome_of(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/fhir/metadata", "/fhir/Questionnaire",
                                  "/fhir/Questionnaire/hsct-ms-screening",
                                  "/fhir/CodeSystem/walking", "/api/v1/criteria",
                                  "/api/v1/openapi.json", "/fhir/nothing", "/api/v1/nothing"])
def test_read_only_fhir_and_the_api_may_be_read_from_another_origin(client, path):
    response = client.get(path, headers={"Origin": "https://forms.clinic.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", ["/fhir/QuestionnaireResponse/$assess",
                                  "/api/v1/assessments"])
def test_a_preflight_for_posting_answers_is_allowed_without_credentials(client, path):
    response = client.options(path, headers={
        "Origin": "https://forms.clinic.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in response.headers
    posted = client.post(path, json={"resourceType": "QuestionnaireResponse",
                                     "status": "completed"},
                         headers={"Origin": "https://forms.clinic.example"})
    assert posted.status_code == 200
    assert posted.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/", "/questions/about-you", "/summary", "/criteria",
                                  "/fhir/QuestionnaireResponse", "/answers.json", "/tables"])
def test_pages_and_the_persons_own_answers_keep_their_same_origin_policy(client, path):
    response = client.get(path, headers={"Origin": "https://forms.clinic.example"})
    assert not [name for name, _ in response.headers if name.startswith("Access-Control")]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
