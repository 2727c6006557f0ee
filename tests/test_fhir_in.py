"""FHIR in: a QuestionnaireResponse to $assess, to the JSON API and to the start page's upload.

Every channel must give what the summary gives for the same answers: the same
outcome, statuses and cautions.
"""

import copy
import io
import json
import re
from pathlib import Path

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.questions import PAGE_OF_FIELD, PAGES, WEB_FIELDS
from rules import CRITERIA

from .conftest import MATCHING, Flow
from .test_fhir import FHIR_JSON, walk

ASSESS = "/fhir/QuestionnaireResponse/$assess"
API = "/api/v1/assessments"
LHC_FORMS = Path(__file__).parent / "fhir" / "lhc_forms_response.json"
OURS = "http://localhost:5000/fhir/Questionnaire/hsct-ms-screening"


def summary_result(client):
    """Outcome, statuses and cautions as the summary page marks them."""
    page = client.get("/summary").get_data(as_text=True)
    return {
        "outcome": re.search(r'data-outcome="([^"]+)"', page).group(1),
        "statuses": dict(re.findall(r'data-criterion="([^"]+)" data-status="([^"]+)"', page)),
        "cautions": re.findall(r'data-caution="([^"]+)"', page),
    }


def assess_result(client, response):
    """The same three, from $assess (a Parameters resource)."""
    answer = client.post(ASSESS, json=response)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Content-Type"] == FHIR_JSON
    body = answer.get_json()
    Parameters.model_validate(body)

    def parts(parameter):
        return {part["name"]: part.get("valueCode") for part in parameter["part"]}

    parameters = body["parameter"]
    return {
        "outcome": next(p["valueCode"] for p in parameters if p["name"] == "outcome"),
        "statuses": {parts(p)["id"]: parts(p)["status"] for p in parameters
                     if p["name"] == "criterion"},
        "cautions": [parts(p)["id"] for p in parameters if p["name"] == "caution"],
    }


def api_result(client, response):
    """The same three, from the JSON API."""
    answer = client.post(API, json=response)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    return {"outcome": body["outcome"],
            "statuses": {c["id"]: c["status"] for c in body["criteria"]},
            "cautions": [c["id"] for c in body["cautions"]]}


def upload(client, document, name="response.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post("/resume", data={"answers_file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def upload_result(app, response):
    """The same three, from the summary after uploading the file on the start page."""
    client = app.test_client()
    loaded = upload(client, response)
    assert loaded.status_code == 302, loaded.get_data(as_text=True)[:2000]
    assert loaded.headers["Location"] == "/check"
    return summary_result(client)


SCENARIOS = {
    "matching": {},
    "no-treatment": {"treatments": {"dmt_count": "0"}},
    "edss-and-cautions": {"about-you": {"age": "50"},
                          "walking": {"walking": "two_aids", "edss": "6.0"},
                          "other-health": {"heart_disease": "yes", "kidney_disease": "unsure"},
                          "family-plans": {"wants_children": "yes"},
                          "country": {"country": "Spain"}},
    "unsure-everywhere": {slug: {name: ("unsure" if "unsure" in WEB_FIELDS[name].values else "")
                                 for name in fields} for slug, fields in MATCHING.items()},
    "long-ago": {"diagnosis": {"diagnosis_year": "1990", "ms_type": "spms"},
                 "recent-activity": {"relapses_12m": "1", "new_mri_activity_12m": "no"}},
}


@pytest.mark.parametrize("changes", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_the_download_gives_the_summarys_result_through_every_channel(app, client, flow,
                                                                      changes):
    flow.complete(**changes)
    expected = summary_result(client)
    assert set(expected["statuses"]) == {criterion.id for criterion in CRITERIA}
    download = client.get("/fhir/QuestionnaireResponse").get_json()
    assert download["status"] == "completed"
    assert assess_result(client, download) == expected
    assert api_result(client, download) == expected
    assert upload_result(app, download) == expected


def test_a_response_wrapped_in_parameters_is_assessed_the_same(client, flow):
    flow.complete()
    download = client.get("/fhir/QuestionnaireResponse").get_json()
    wrapped = {"resourceType": "Parameters",
               "parameter": [{"name": "response", "resource": download}]}
    assert assess_result(client, wrapped) == assess_result(client, download)


def lhc_forms_pages():
    """The LHC-Forms file's answers as the pages would take them."""
    document = json.loads(LHC_FORMS.read_text())
    pages = {}
    for item in walk(document["item"]):
        if item["linkId"] in WEB_FIELDS and item.get("answer"):
            (value,) = item["answer"][0].values()
            text = value["code"] if isinstance(value, dict) else str(value)
            pages.setdefault(PAGE_OF_FIELD[item["linkId"]].slug, {})[item["linkId"]] = text
    return document, pages


def test_the_lhc_forms_file_was_made_by_lhc_forms_from_our_questionnaire():
    document, pages = lhc_forms_pages()
    QuestionnaireResponse.model_validate(document)
    assert document["questionnaire"].split("|")[0] == OURS
    assert document["meta"]["tag"][0]["code"].startswith("lforms-")
    # LHC-Forms worked out the derived item from our FHIRPath expression.
    derived = next(item for item in walk(document["item"])
                   if item["linkId"] == "years_since_diagnosis")
    assert derived["answer"][0]["valueDecimal"] > 0
    assert len(pages) >= len(PAGES) - 1


def test_an_lhc_forms_response_gives_the_summarys_result_through_every_channel(app, client):
    document, pages = lhc_forms_pages()
    # Every question the file leaves out is left blank on the pages too ("Not sure" for a
    # choice, which the contract reads exactly as blank).
    blank = {name: ("unsure" if "unsure" in WEB_FIELDS[name].values else "")
             for data in MATCHING.values() for name in data}
    Flow(client).complete(**{slug: {name: blank[name] for name in data} | pages.get(slug, {})
                             for slug, data in MATCHING.items()})
    expected = summary_result(client)
    assert expected["outcome"] and expected["cautions"]
    assert assess_result(client, document) == expected
    assert api_result(client, document) == expected
    assert upload_result(app, document) == expected


def test_an_unfinished_response_resumes_at_the_first_page_not_answered(app):
    client = app.test_client()
    response = {"resourceType": "QuestionnaireResponse", "questionnaire": OURS,
                "status": "in-progress", "item": [
                    {"linkId": "page-about-you", "item": [
                        {"linkId": "age", "answer": [{"valueInteger": 30}]}]}]}
    loaded = upload(client, response)
    assert loaded.status_code == 302
    assert loaded.headers["Location"] == f"/questions/{PAGES[1].slug}"


def good_response():
    """A response that every channel accepts, to be spoiled one way at a time."""
    return {
        "resourceType": "QuestionnaireResponse", "questionnaire": f"{OURS}|2026.11",
        "status": "completed",
        "item": [
            {"linkId": "page-about-you", "item": [
                {"linkId": "age", "answer": [{"valueInteger": 34}]}]},
            {"linkId": "page-diagnosis", "item": [
                {"linkId": "ms_type", "answer": [{"valueCoding": {
                    "system": "http://localhost:5000/fhir/CodeSystem/ms_type",
                    "code": "rrms"}}]},
                {"linkId": "diagnosis_year", "answer": [{"valueInteger": 2020}]}]},
        ],
    }


def spoil(change):
    document = good_response()
    change(document)
    return document


def _set(document, index, value):
    document["item"][1]["item"][index]["answer"] = [value]


BAD = {
    "wrong-resource-type": (lambda d: d.update(resourceType="Questionnaire"), "resourceType"),
    "another-questionnaire": (lambda d: d.update(
        questionnaire="http://loinc.org/q/44249-1"), "questionnaire"),
    "unknown-link-id": (lambda d: d["item"][0]["item"].append(
        {"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]}),
        "favourite_colour"),
    "unknown-group": (lambda d: d["item"].append({"linkId": "page-extra", "item": []}),
                      "page-extra"),
    "wrong-answer-type": (lambda d: _set(d, 1, {"valueString": "2020"}), "diagnosis_year"),
    "decimal-for-a-whole-number": (lambda d: d["item"][0]["item"][0].update(
        answer=[{"valueInteger": 34.5}]), "age"),
    "string-for-a-choice": (lambda d: _set(d, 0, {"valueString": "rrms"}), "ms_type"),
    "unknown-code": (lambda d: _set(d, 0, {"valueCoding": {"code": "rrms2"}}), "ms_type"),
    "code-from-another-system": (lambda d: _set(d, 0, {"valueCoding": {
        "system": "http://snomed.info/sct", "code": "rrms"}}), "ms_type"),
    "out-of-range": (lambda d: d["item"][0]["item"][0].update(
        answer=[{"valueInteger": 500}]), "age"),
    "future-year": (lambda d: _set(d, 1, {"valueInteger": 2999}), "diagnosis_year"),
    "two-answers": (lambda d: d["item"][0]["item"][0]["answer"].append(
        {"valueInteger": 35}), "age"),
    "answered-twice": (lambda d: d["item"][1]["item"].append(
        {"linkId": "age", "answer": [{"valueInteger": 35}]}), "age"),
    "group-with-an-answer": (lambda d: d["item"][0].update(
        answer=[{"valueInteger": 1}]), "page-about-you"),
    "boolean-for-a-number": (lambda d: d["item"][0]["item"][0].update(
        answer=[{"valueInteger": True}]), "age"),
    "derived-item-not-a-number": (lambda d: d["item"][1]["item"].append(
        {"linkId": "years_since_diagnosis", "answer": [{"valueString": "6"}]}),
        "years_since_diagnosis"),
}


def test_the_good_response_is_accepted_everywhere(app, client):
    assert client.post(ASSESS, json=good_response()).status_code == 200
    assert client.post(API, json=good_response()).status_code == 200
    assert upload(app.test_client(), good_response()).status_code == 302


@pytest.mark.parametrize(("change", "named"), BAD.values(), ids=BAD.keys())
def test_a_bad_response_is_refused_by_every_channel_naming_the_link_id(app, client, change,
                                                                       named):
    document = spoil(change)
    fhir = client.post(ASSESS, json=document)
    assert fhir.status_code == 400 and fhir.headers["Content-Type"] == FHIR_JSON
    outcome = fhir.get_json()
    OperationOutcome.model_validate(outcome)
    assert any(named in issue["diagnostics"] + " ".join(issue.get("expression", []))
               for issue in outcome["issue"])
    api = client.post(API, json=document)
    assert api.status_code == 400 and api.mimetype == "application/problem+json"
    problems = api.get_json()["problems"]
    assert all(set(p) == {"field", "value", "allowed", "message"} for p in problems)
    assert any(named in (p["field"] or "") + p["message"] for p in problems)
    page = upload(app.test_client(), document)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert named in text and "Nothing was loaded" in text


@pytest.mark.parametrize("link_id", ["age", "ms_type", "walking"])
def test_a_bad_response_names_every_problem_at_once(client, link_id):
    document = good_response()
    del document["item"][1]
    document["item"][0]["item"] = [{"linkId": name, "answer": [{"valueString": "x"}]}
                                   for name in ("age", "ms_type", "walking")]
    issues = client.post(ASSESS, json=document).get_json()["issue"]
    assert len(issues) == 3
    assert any(f"'{link_id}'" in issue["diagnostics"] for issue in issues)


def test_text_that_no_file_can_hold_is_refused_without_a_server_error(app, client):
    document = good_response()
    document["item"][0]["item"].append({"linkId": "\ud800", "answer": [
        {"valueCoding": {"system": "\udfff", "code": "\ud800"}}]})
    document["item"][1]["item"][0]["answer"] = [{"valueCoding": {"code": "\ud800x"}}]
    body = json.dumps(document)
    for path in (ASSESS, API):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, response.get_data(as_text=True)
        assert "\\ud800" in response.get_data(as_text=True)
    page = upload(app.test_client(), body.encode())
    assert page.status_code == 400


LINK_IDS = [*WEB_FIELDS, *(f"page-{page.slug}" for page in PAGES), "years_since_diagnosis",
            "age.hint", "colour", "", "\udfff"]
VALUE_KEYS = ["valueCoding", "valueInteger", "valueDecimal", "valueString", "valueBoolean",
              "valueDate", "item", "extension"]
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.sampled_from(["rrms", "yes", "6.0", "2019", "0.5", "\ud800"]))
ANY_JSON = st.recursive(
    SCALARS, lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["code", "system", "linkId", "answer", *VALUE_KEYS]) | st.text(
            max_size=6), children, max_size=3), max_leaves=8)
CODINGS = st.fixed_dictionaries({"code": SCALARS}, optional={
    "system": st.sampled_from(["http://localhost:5000/fhir/CodeSystem/ms_type",
                               "http://localhost:5000/fhir/CodeSystem/edss", "urn:x"])
    | SCALARS})
ANSWERS = st.dictionaries(st.sampled_from(VALUE_KEYS), CODINGS | ANY_JSON, max_size=2)
ITEMS = st.recursive(
    st.fixed_dictionaries({"linkId": st.sampled_from(LINK_IDS) | SCALARS},
                          optional={"answer": st.lists(ANSWERS, max_size=2) | ANY_JSON}),
    lambda children: st.fixed_dictionaries(
        {"linkId": st.sampled_from(LINK_IDS)},
        optional={"item": st.lists(children, max_size=4) | ANY_JSON,
                  "answer": st.lists(ANSWERS, max_size=1)}),
    max_leaves=10)
RESPONSES = st.fixed_dictionaries(
    {"resourceType": st.sampled_from(["QuestionnaireResponse", "Parameters", "Patient"])
     | SCALARS},
    optional={"questionnaire": st.sampled_from([OURS, f"{OURS}|2026.12", "urn:other"])
              | SCALARS,
              "status": st.sampled_from(["completed", "in-progress"]) | SCALARS,
              "item": st.lists(ITEMS, max_size=5) | ANY_JSON,
              "parameter": st.lists(st.fixed_dictionaries(
                  {"name": st.just("response")}, optional={"resource": ANY_JSON}),
                  max_size=2)})


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=RESPONSES)
def test_any_response_shaped_json_gets_an_answer_or_a_4xx_never_a_5xx(app, client, document):
    fhir = client.post(ASSESS, json=document)
    assert fhir.status_code in (200, 400), fhir.get_data(as_text=True)
    assert fhir.headers["Content-Type"] == FHIR_JSON
    (Parameters if fhir.status_code == 200 else OperationOutcome).model_validate(
        fhir.get_json())
    api = client.post(API, json=document)
    assert api.status_code in (200, 400), api.get_data(as_text=True)
    page = upload(app.test_client(), copy.deepcopy(document))
    assert page.status_code in (302, 400), page.get_data(as_text=True)[:2000]



def test_a_download_made_before_the_edss_was_coded_is_still_read(client, flow):
    """Earlier downloads named <base>/Questionnaire and gave the EDSS as a decimal."""
    flow.complete(walking={"walking": "one_aid", "edss": "6.5"})
    expected = summary_result(client)
    download = client.get("/fhir/QuestionnaireResponse").get_json()
    download["questionnaire"] = "http://localhost:5000/fhir/Questionnaire|2026.11"
    edss = next(item for item in walk(download["item"]) if item["linkId"] == "edss")
    edss["answer"] = [{"valueDecimal": 6.5}]
    assert assess_result(client, download) == expected
    assert expected["statuses"]["ambulatory"] == "not_met"


def test_a_lone_surrogate_echoed_back_still_makes_a_valid_operation_outcome(client):
    """Found by the property test above: a linkId of one lone surrogate ('\\udfff')."""
    fhir = client.post(ASSESS, json={"resourceType": "QuestionnaireResponse",
                                     "item": [{"linkId": "\udfff"}]})
    assert fhir.status_code == 400
    outcome = OperationOutcome.model_validate(fhir.get_json())
    assert "not an item of this Questionnaire" in outcome.issue[0].diagnostics
