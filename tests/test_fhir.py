"""FHIR R4 export: the Questionnaire and a person's QuestionnaireResponse.

Each resource is checked twice: by ``fhir.resources`` (its R4B models, whose
Questionnaire and QuestionnaireResponse are those of R4), and by the R4 rules
that library does not check (codes from the required value sets, invariants
que-1/que-5/que-9, qrs-1, and every answered linkId present in the Questionnaire).
"""

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from app.questions import PAGES, WEB_FIELDS
from rules import CRITERIA_VERSION, FIELDS

from .conftest import MATCHING

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
    assert response.headers["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    return response.get_json()


def test_the_questionnaire_is_valid_fhir_r4(questionnaire):
    Questionnaire.model_validate(questionnaire)
    check_questionnaire_r4(questionnaire)
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire["version"] == CRITERIA_VERSION
    assert questionnaire["url"] == "http://localhost/fhir/Questionnaire"


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
    items = {item["linkId"]: item for item in walk(questionnaire["item"])}
    for name, field in FIELDS.items():
        if field.values:
            codes = [option["valueCoding"]["code"] for option in items[name]["answerOption"]]
            assert codes == list(field.values)
            assert items[name]["type"] == "choice"
            # Every choice page asks for an answer ("Not sure" is one); the country is
            # optional (contract, section 1): blank means any country.
            assert items[name]["required"] is (name != "country"), name
    assert items["age"]["type"] == "integer" and items["edss"]["type"] == "decimal"
    assert "unsure" not in FIELDS["country"].values
    assert {"United Kingdom", "Spain"} <= set(FIELDS["country"].values)
    assert "maxLength" not in items["country"]
    assert items["years_since_diagnosis"]["readOnly"] is True
    assert items["relapses_12m.hint"]["type"] == "display"


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
    coding = items["walking"]["answerOption"][0]["valueCoding"]
    system = client.get(coding["system"].removeprefix("http://localhost"))
    CodeSystem.model_validate(system.get_json())
    assert [c["code"] for c in system.get_json()["concept"]] == list(FIELDS["walking"].values)
    assert client.get("/fhir/CodeSystem/age").status_code == 404
    countries = client.get("/fhir/CodeSystem/country")
    CodeSystem.model_validate(countries.get_json())
    assert [c["code"] for c in countries.get_json()["concept"]] == list(
        FIELDS["country"].values)


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
    assert answers["edss"] == {"valueDecimal": 6.0}
    assert answers["walking"]["valueCoding"]["code"] == "one_aid"
    assert answers["country"] == {"valueCoding": {
        "system": "http://localhost/fhir/CodeSystem/country", "code": "Spain",
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


def test_every_answer_a_page_accepts_can_be_exported(client, flow, questionnaire):
    """Not sure on every choice, numbers at their ends: still a valid response."""
    unsure = {slug: {name: ("unsure" if "unsure" in WEB_FIELDS[name].values else "")
                     for name in fields} for slug, fields in MATCHING.items()}
    unsure["diagnosis"]["diagnosis_year"] = "1940"
    unsure["about-you"]["age"] = "120"
    unsure["treatments"]["dmt_count"] = "30"
    flow.complete(**unsure)
    response = client.get("/fhir/QuestionnaireResponse").get_json()
    QuestionnaireResponse.model_validate(response)
    check_response_r4(response, check_questionnaire_r4(questionnaire))
