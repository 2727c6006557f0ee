"""The JSON API: assessments agree with the command line, one error shape, OpenAPI."""

import csv
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from rules import CAUTIONS, CRITERIA, CRITERIA_VERSION, FIELDS
from rules.content import ALWAYS_QUESTIONS
from rules.kinds import EdssStep

from .test_cli import TABLES, run_rules

ASSESS = "/api/v1/assessments"


def problem_of(response, status):
    """Check the one error shape and return its body."""
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert set(body) == {"type", "status", "title", "detail", "problems"}
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["problems"], "every error lists at least one problem"
    for entry in body["problems"]:
        assert set(entry) == {"field", "value", "allowed", "message"}
        assert entry["allowed"] and entry["message"]
    return body


def table_rows():
    """Every row of the rule tables in tests/tables, with the answers as the CSV holds them."""
    for path in sorted(TABLES.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                answers = {name: value for name, value in row.items() if name in FIELDS}
                yield pytest.param(path, number, answers, id=f"{path.stem}-{number}")


@pytest.fixture(scope="module")
def evaluated():
    """What ``python -m rules evaluate --format jsonl`` gives for each table, by line."""
    results = {}
    for path in sorted(TABLES.glob("*.csv")):
        run = run_rules("evaluate", path, "--format", "jsonl")
        assert run.returncode == 0, run.stderr
        for record in map(json.loads, run.stdout.splitlines()):
            results[(path, record["line"])] = record
    return results


@pytest.mark.parametrize(("path", "line", "answers"), list(table_rows()))
def test_the_api_agrees_with_the_command_line_on_every_table_row(client, evaluated, path,
                                                                    line, answers):
    expected = evaluated[(path, line)]
    response = client.post(ASSESS, json=answers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["outcome"] == expected["outcome"]
    assert {c["id"]: c["status"] for c in body["criteria"]} == expected["criteria"]
    assert [c["id"] for c in body["cautions"]] == expected["cautions"]
    assert body["answers"] == expected["answers"]


def test_an_assessment_has_every_part_with_reasons_and_sources(client):
    response = client.post(ASSESS, json={
        "age": 50, "ms_type": " RRMS ", "years_since_diagnosis": "12", "relapses_12m": 1,
        "new_mri_activity_12m": "unsure", "edss": 6.0, "heart_disease": "yes",
        "country": "France"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["outcome"] == "does_not_match"
    assert body["criteria_version"] == CRITERIA_VERSION and body["sources_checked"]
    assert [c["id"] for c in body["criteria"]] == [c.id for c in CRITERIA]
    duration = next(c for c in body["criteria"] if c["id"] == "disease_duration")
    assert duration["status"] == "not_met" and "12 years" in duration["explanation"]
    assert duration["would_change"].startswith(
        "This point is met when MS was diagnosed 10 years ago or less.")
    assert "not something you can change" in duration["would_change"]
    assert duration["changes"] == [], "the time since diagnosis is not offered as a change"
    assert any("first symptoms" in e["text"] for e in duration["exceptions"])
    assert all(s["citation"] for c in body["criteria"] for s in c["sources"])
    activity = next(c for c in body["criteria"] if c["id"] == "inflammatory_activity")
    assert activity["status"] == "unknown"
    assert activity["would_change"].startswith("This point is met with 2 or more relapses")
    assert "It is also met when an MRI scan" in activity["would_change"]
    assert [c["field"] for c in activity["changes"]] == ["relapses_12m",
                                                          "new_mri_activity_12m"]
    assert activity["changes"][1]["values"] == ["yes"]
    met = next(c for c in body["criteria"] if c["id"] == "relapsing_ms")
    assert met["status"] == "met" and met["would_change"] is None and met["changes"] == []
    assert met["exceptions"] == []
    assert "1 of the 6 points" in body["outcome_text"]
    assert "3 are met" in body["outcome_text"] and "2 are not clear" in body["outcome_text"]
    assert [c["id"] for c in body["cautions"]] == ["heart_disease", "age_over_45",
                                                  "walking_aid"]
    assert body["cautions"][0]["severity"] == "high"
    assert any("MRI" in question for question in body["questions_for_doctor"])
    assert body["questions_for_doctor"][-3:] == list(ALWAYS_QUESTIONS)
    assert "France" in body["trial_links"][0]["title"]
    assert "NCT04047628" in json.dumps(body["named_trials"])
    assert body["answers"]["ms_type"] == "rrms" and body["answers"]["edss"] == 6.0


def test_an_empty_object_is_all_unknown_and_unclear(client):
    body = client.post(ASSESS, json={}).get_json()
    assert body["outcome"] == "unclear"
    assert {c["status"] for c in body["criteria"]} == {"unknown"}
    assert body["cautions"] == [] and body["answers"] == {}


def test_nothing_posted_is_kept_and_no_cookie_is_set(client):
    response = client.post(ASSESS, json={"age": 30})
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_every_bad_value_and_unknown_field_is_listed_together(client):
    body = problem_of(client.post(ASSESS, json={
        "age": "thirty", "edss": 0.5, "walking": "far", "pregnant": True, "colour": "blue"}),
        400)
    by_field = {entry["field"]: entry for entry in body["problems"]}
    assert set(by_field) == {"age", "edss", "walking", "pregnant", "colour"}
    assert by_field["age"]["value"] == "thirty"
    assert by_field["age"]["allowed"] == "a whole number from 0 to 120, or blank"
    assert "there is no 0.5" in by_field["edss"]["allowed"]
    assert "unaided_far" in by_field["walking"]["allowed"]
    assert by_field["pregnant"]["value"] == "True"
    assert "age, ms_type" in by_field["colour"]["allowed"]
    assert body["detail"] == "5 answers could not be used."


@pytest.mark.parametrize(("given", "country"), [
    ("United Kingdom", "United Kingdom"), ("gb", "United Kingdom"), (" UK ", "United Kingdom"),
    ("USA", "United States"), ("us", "United States")])
def test_a_country_is_accepted_by_name_code_or_short_form(client, given, country):
    body = client.post(ASSESS, json={"country": given}).get_json()
    assert body["answers"] == {"country": country}
    assert f"in {country}" in body["trial_links"][0]["title"]


def test_a_country_not_on_the_list_says_where_the_list_is(client):
    body = problem_of(client.post(ASSESS, json={"country": "Narnia"}), 400)
    [entry] = body["problems"]
    assert entry["field"] == "country" and entry["value"] == "Narnia"
    assert "rules/countries.py" in entry["allowed"] and "/api/v1/criteria" in entry["allowed"]


@pytest.mark.parametrize(("body", "content_type", "status", "in_message"), [
    ("{not json", "application/json", 400, "not valid JSON"),
    ('{"age": NaN}', "application/json", 400, "not valid JSON"),
    ("[1, 2]", "application/json", 400, "not an object"),
    ('"age"', "application/json", 400, "not an object"),
    ("", "application/json", 400, "not valid JSON"),
    (b"\xff\xfe{}", "application/json", 400, "not UTF-8"),
    ('{"age": 30, "age": 31}', "application/json", 400, "more than once"),
    ("[" * 100_000 + "]" * 100_000, "application/json", 413, "too large"),
    ("[" * 30_000 + "]" * 30_000, "application/json", 400, "not valid JSON"),
    ("age=30", "application/x-www-form-urlencoded", 415, "application/json"),
    ('{"age": 30}', "text/plain", 415, "application/json"),
    ('{"age": 30}', None, 415, "application/json"),
], ids=["broken", "nan", "array", "string", "empty", "not-utf8", "repeated", "too-large",
        "deeply-nested", "form", "text", "no-content-type"])
def test_every_kind_of_bad_body_gets_the_one_error_shape(client, body, content_type, status,
                                                         in_message):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(ASSESS, data=body, headers=headers)
    entry = problem_of(response, status)["problems"][0]
    assert in_message in entry["message"] + entry["allowed"]


def test_a_wrong_method_gets_405_in_the_error_shape_with_the_allowed_methods(client):
    response = client.get(ASSESS)
    body = problem_of(response, 405)
    assert "POST" in response.headers["Allow"] and "POST" in body["problems"][0]["allowed"]
    assert problem_of(client.delete("/api/v1/criteria"), 405)["problems"][0]["value"] == \
        "DELETE"


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v2/assessments", "/api/",
                                  "/api/v1/assessments/1"])
def test_an_unknown_path_under_api_gets_404_in_the_error_shape(client, path):
    body = problem_of(client.get(path), 404)
    assert body["problems"][0]["value"] == path
    assert "/api/v1/assessments" in body["problems"][0]["allowed"]


def test_a_server_error_under_api_is_json_without_internals():
    app = create_app({"TESTING": False, "SECRET_KEY": "x" * 32})

    @app.get("/api/v1/broken")
    def broken():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/v1/broken")
    body = problem_of(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "nothing you sent was kept" in body["detail"]


def test_pages_outside_api_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_the_api_needs_no_csrf_token_while_the_forms_keep_it():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32})
    client = app.test_client()
    assert client.post(ASSESS, json={"age": 30}).status_code == 200
    client.get("/")
    form = client.post("/questions/about-you", data={"age": "30"})
    assert form.status_code == 200 and "timed out" in form.get_data(as_text=True)


def test_criteria_lists_every_declaration_with_thresholds_and_sources(client):
    body = client.get("/api/v1/criteria").get_json()
    assert body["criteria_version"] == CRITERIA_VERSION
    assert [c["id"] for c in body["criteria"]] == [c.id for c in CRITERIA]
    assert [c["id"] for c in body["cautions"]] == [c.id for c in CAUTIONS]
    assert [f["name"] for f in body["fields"]] == list(FIELDS)
    age = next(c for c in body["criteria"] if c["id"] == "age_range")
    assert {(t["name"], t["value"]) for t in age["thresholds"]} == {("min_age", 18),
                                                                     ("max_age", 55)}
    assert "{age}" in " ".join(age["explanations"].values())
    assert age["rule"] == "Met for ages 18 to 55."
    relapsing = next(c for c in body["criteria"] if c["id"] == "relapsing_ms")
    thresholds = {t["name"]: t["value"] for t in relapsing["thresholds"]}
    assert thresholds["relapsing_types"] == ["rrms"]
    assert thresholds["types_met_with_activity"] == ["spms"]
    assert thresholds["min_relapses"] == 1
    assert set(thresholds["other_types"]) == {"ppms", "cis"}
    assert relapsing["fields"] == ["ms_type", "relapses_12m", "new_mri_activity_12m"]
    treatment = next(c for c in body["criteria"] if c["id"] == "treatment_failure")
    assert treatment["fields"] == ["dmt_count", "activity_on_dmt", "high_efficacy_dmt"]
    assert "no_high_efficacy_dmt" not in [c["id"] for c in body["cautions"]]
    assert {"progressive_ms", "prior_chemotherapy"} <= {c["id"] for c in body["cautions"]}
    older = next(c for c in body["cautions"] if c["id"] == "age_over_45")
    assert ("from_age", 45) in {(t["name"], t["value"]) for t in older["thresholds"]}
    assert all(s["citation"] for c in body["cautions"] for s in c["sources"])
    walking = next(f for f in body["fields"] if f["name"] == "walking")
    assert [v["value"] for v in walking["values"]][-1] == "unsure"
    country = next(f for f in body["fields"] if f["name"] == "country")
    assert country["type"] == "choice"
    assert {"United Kingdom", "United States", "France"} <= {
        v["value"] for v in country["values"]}
    assert "unsure" not in [v["value"] for v in country["values"]]


def test_the_openapi_document_lists_the_allowed_values_of_every_field(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/assessments", "/criteria", "/openapi.json"}
    answers = document["components"]["schemas"]["Answers"]
    assert set(answers["properties"]) == set(FIELDS)
    assert answers["additionalProperties"] is False
    for name, field in FIELDS.items():
        if field.values:
            forms = answers["properties"][name]["anyOf"]
            assert forms == [{"type": "string", "enum": [*field.values, ""]}, {"type": "null"}]
    edss = [form for name, field in FIELDS.items() if isinstance(field.kind, EdssStep)
            for form in answers["properties"][name]["anyOf"]]
    assert {"type": "number", "minimum": 0.0, "maximum": 0.0} in edss
    assert {"type": "number", "minimum": 1.0, "maximum": 10.0, "multipleOf": 0.5} in edss
    assert not any(form.get("type") == "number" and "enum" in form for form in edss)
    age = answers["properties"]["age"]["anyOf"][0]
    assert (age["minimum"], age["maximum"]) == (0, 120)


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=20), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    ANY_JSON,
    st.dictionaries(st.sampled_from(list(FIELDS)), ANY_JSON, max_size=6),
))
def test_any_json_gets_an_assessment_or_the_error_shape(client, body):
    response = client.post(ASSESS, data=json.dumps(body), content_type="application/json")
    if response.status_code == 200:
        assert set(response.get_json()) >= {"outcome", "criteria", "cautions"}
    else:
        problem_of(response, 400)


SCHEMA_APP = create_app({"TESTING": True, "SECRET_KEY": "schemathesis" * 32})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", SCHEMA_APP)


def flat_answers_accepted(ctx, response, case):
    """Every body the schema allows is accepted, for flat answers.

    A QuestionnaireResponse's items must also be those of the Questionnaire, each
    answered once, which a JSON Schema cannot say; generated responses still get every
    other check here, and tests/test_fhir_in.py checks how they are refused.
    """
    if isinstance(case.body, dict) and "resourceType" in case.body:
        return None
    return positive_data_acceptance(ctx, response, case)


#: Server errors, statuses, content types, headers and bodies against the document, and
#: every body the schema allows is accepted. (The API also accepts a little more than the
#: schema lists, as the document says: any case and spaces around choices. So
#: negative_data_rejection is not run.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, flat_answers_accepted]


@schema.parametrize()
@settings(max_examples=150, deadline=None)
def test_the_api_keeps_to_its_openapi_document(case):
    case.call_and_validate(checks=CHECKS)


def test_schemathesis_covers_every_operation_but_the_document_itself():
    labels = {operation.ok().label for operation in schema.get_all_operations()}
    assert labels == {"POST /assessments", "GET /criteria"}

