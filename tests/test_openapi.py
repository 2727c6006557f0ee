"""The OpenAPI document: valid, described, with true examples, and a working typed client."""

import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

from rules import CRITERIA, FIELDS

OPERATIONS = [("/assessments", "post"), ("/criteria", "get"), ("/openapi.json", "get")]


@pytest.fixture(scope="module")
def document():
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "REQUEST_LOG": False})
    return app.test_client().get("/api/v1/openapi.json").get_json()


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_every_operation_has_a_tag_a_description_and_documented_responses(document):
    tags = {tag["name"] for tag in document["tags"]}
    assert all(tag.get("description") for tag in document["tags"])
    for path, method in OPERATIONS:
        operation = document["paths"][path][method]
        assert operation["tags"] and set(operation["tags"]) <= tags
        assert operation["summary"] and operation["description"]
        for response in operation["responses"].values():
            assert response["description"]
    for name, schema in document["components"]["schemas"].items():
        assert schema.get("description") or name in {"Link", "ChoiceValue", "ResponseItem",
                                                     "ProblemEntry", "OutcomeDeclaration"}


def examples_of(document):
    """Every example in the document, with the schema it is for."""
    for path, method in OPERATIONS:
        operation = document["paths"][path][method]
        bodies = [operation["requestBody"]] if "requestBody" in operation else []
        bodies += operation["responses"].values()
        for body in bodies:
            for media in body["content"].values():
                examples = [example["value"] for example in media.get("examples", {}).values()]
                if "example" in media:
                    examples.append(media["example"])
                yield f"{method.upper()} {path}", media["schema"], examples


def test_every_request_and_response_has_an_example_its_schema_accepts(document):
    registry = Registry().with_resource("urn:api", Resource.opaque(document))
    counted = 0
    for where, schema, examples in examples_of(document):
        assert examples, f"{where}: no example"
        resolved = json.loads(json.dumps(schema).replace('"#/components', '"urn:api#/components'))
        for example in examples:
            errors = list(OAS31Validator(resolved, registry=registry).iter_errors(example))
            assert not errors, (where, [error.message for error in errors][:3])
            counted += 1
    assert counted >= 9


def test_criteria_is_fully_typed_and_matches_what_the_server_says(document, client):
    schemas = document["components"]["schemas"]

    def check(schema):
        """Every object names its properties and requires only those it names."""
        if schema.get("type") == "object" and "properties" in schema:
            assert set(schema.get("required", [])) <= set(schema["properties"])
            for sub in schema["properties"].values():
                check(sub)

    for name in ("Criteria", "CriterionDeclaration", "CautionDeclaration",
                 "FieldDeclaration", "Threshold"):
        check(schemas[name])
        assert schemas[name]["additionalProperties"] is False
    registry = Registry().with_resource("urn:api", Resource.opaque(document))
    body = client.get("/api/v1/criteria").get_json()
    validator = OAS31Validator({"$ref": "urn:api#/components/schemas/Criteria"},
                               registry=registry)
    assert not [e.message for e in validator.iter_errors(body)][:3]
    spoiled = {**body, "criteria": [{**body["criteria"][0], "id": "not-a-criterion"}]}
    assert list(validator.iter_errors(spoiled)), "the schema can fail"
    ids = schemas["CriterionDeclaration"]["properties"]["id"]["enum"]
    assert ids == [criterion.id for criterion in CRITERIA]
    assert schemas["FieldDeclaration"]["properties"]["name"]["enum"] == list(FIELDS)


@pytest.fixture(scope="module")
def generated_client(document, tmp_path_factory):
    """A Python client made by openapi-python-client from the served document."""
    where = tmp_path_factory.mktemp("client")
    (where / "openapi.json").write_text(json.dumps(document))
    tool = Path(sys.executable).with_name("openapi-python-client")
    bin_dir = str(Path(sys.executable).parent)
    run = subprocess.run(
        [str(tool), "generate", "--path", "openapi.json", "--meta", "none",
         "--output-path", "hsct_client"],
        cwd=where, capture_output=True, text=True, timeout=300,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(where)})
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Warning" not in output, output
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("hsct_client")
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.startswith("hsct_client")]:
            del sys.modules[name]
        shutil.rmtree(where, ignore_errors=True)


def test_a_generated_client_calls_every_operation(generated_client, app):
    from hsct_client import api
    from hsct_client.api.assessments import assess
    from hsct_client.api.criteria import criteria
    from hsct_client.api.document import openapi
    from hsct_client.models import (
        Answers,
        Assessment,
        Criteria,
        OpenapiResponse200,
        Problem,
        QuestionnaireResponse,
    )

    generated = {f"{group.name}.{module.name}"
                 for group in pkgutil.iter_modules(api.__path__)
                 for module in pkgutil.iter_modules([f"{api.__path__[0]}/{group.name}"])}
    assert generated == {"assessments.assess", "criteria.criteria", "document.openapi"}
    assert len(generated) == len(OPERATIONS), "the client has one module per operation"

    client = generated_client.Client(
        base_url="http://testserver/api/v1", raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=app)})
    flat = assess.sync(client=client, body=Answers.from_dict(
        {"age": 34, "ms_type": "rrms", "edss": 6.0, "walking": ""}))
    assert isinstance(flat, Assessment)
    assert {finding.id.value for finding in flat.criteria} == {c.id for c in CRITERIA}
    fhir = assess.sync(client=client, body=QuestionnaireResponse.from_dict({
        "resourceType": "QuestionnaireResponse", "status": "completed", "item": [
            {"linkId": "page-about-you", "item": [
                {"linkId": "age", "answer": [{"valueInteger": 60}]}]}]}))
    assert isinstance(fhir, Assessment) and fhir.outcome.value == "does_not_match"
    refused = assess.sync(client=client, body=Answers.from_dict({"age": "many"}))
    assert isinstance(refused, Problem) and refused.problems[0].field == "age"
    declared = criteria.sync(client=client)
    assert isinstance(declared, Criteria) and len(declared.criteria) == len(CRITERIA)
    document = openapi.sync(client=client)
    assert isinstance(document, OpenapiResponse200)
    assert document["openapi"] == "3.1.0" and "/assessments" in document["paths"]
