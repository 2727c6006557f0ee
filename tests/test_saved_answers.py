"""Downloading answers to a file and uploading it on the start page to resume."""

import html
import io
import json
import re

import pytest

from .conftest import MATCHING


def upload(client, data, filename="answers.json"):
    payload = {"answers_file": (io.BytesIO(data), filename)} if data is not None else {}
    return client.post("/resume", data=payload, content_type="multipart/form-data")


def saved_file(client, flow, **changes):
    flow.complete(**changes)
    response = client.get("/answers.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.get_data()


def test_the_download_holds_every_answer_and_nothing_else(client, flow):
    document = json.loads(saved_file(client, flow))
    assert document["format"] == "hsct-ms-screening-answers" and document["version"] == 1
    expected = {name: value for answers in MATCHING.values() for name, value in answers.items()}
    assert document["answers"] == expected


def test_a_downloaded_file_resumes_in_a_new_visit(app, client, flow):
    data = saved_file(client, flow, walking={"walking": "one_aid", "edss": "6"})
    fresh = app.test_client()
    response = upload(fresh, data)
    assert response.status_code == 302 and response.headers["Location"] == "/check"
    html = fresh.get("/check").get_data(as_text=True)
    assert "About 100 metres with a stick" in html and "6.0" in html
    summary = fresh.get("/summary").get_data(as_text=True)
    assert 'data-caution="walking_aid"' in summary


def test_a_partly_answered_file_resumes_at_the_first_unanswered_page(app, client, flow):
    flow.answer("about-you", {"age": "40"})
    flow.answer("diagnosis", {"ms_type": "rrms", "diagnosis_year": ""})
    data = client.get("/answers.json").get_data()
    fresh = app.test_client()
    response = upload(fresh, data)
    assert response.headers["Location"] == "/questions/recent-activity"


def _edit(data, change):
    document = json.loads(data)
    change(document)
    return json.dumps(document).encode()


BAD_FILES = [
    ("no file chosen", None, "Choose your saved answers file"),
    ("empty file", b"", "The file is empty"),
    ("not json", b"\x89PNG\r\n\x1a\n", "not readable JSON"),
    ("json of another kind", b'{"hello": "world"}', "not an answers file from this tool"),
    ("a json list", b"[1, 2]", "not an answers file from this tool"),
    ("too big", b" " * 25_000, "too big"),
]


@pytest.mark.parametrize(("data", "message"), [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_gets_a_clear_message_on_the_start_page(client, data, message):
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: " in page and "There is a problem" in page
    assert message in page
    assert 'href="#answers_file"' in page


TAMPERED = [
    ("a changed value", lambda d: d["answers"].update(age="two hundred"),
     "the answer to “Age”, 'two hundred', is not allowed"),
    ("an unknown question", lambda d: d["answers"].update(blood_type="O"),
     "unknown question, 'blood_type'"),
    ("a value that is not text", lambda d: d["answers"].update(walking=["far"]),
     "the answer to “Walking” is not text"),
    ("a bad EDSS", lambda d: d["answers"].update(edss="6.3"), "EDSS step"),
    ("a future year", lambda d: d["answers"].update(diagnosis_year="2099"),
     "a year from 1940 to this year"),
    ("another version", lambda d: d.update(version=7), "version 7"),
    ("answers missing", lambda d: d.pop("answers"), "no answers in it"),
]


@pytest.mark.parametrize(("change", "message"), [case[1:] for case in TAMPERED],
                         ids=[case[0] for case in TAMPERED])
def test_a_tampered_file_is_refused_and_nothing_is_loaded(app, client, flow, change, message):
    data = _edit(saved_file(client, flow), change)
    fresh = app.test_client()
    response = upload(fresh, data)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert fresh.get("/check").headers["Location"] == "/questions/about-you"


def test_a_failed_upload_keeps_the_answers_already_given(client, flow):
    flow.complete()
    assert upload(client, b"nonsense").status_code == 400
    assert client.get("/check").status_code == 200
    assert json.loads(client.get("/answers.json").get_data())["answers"] == {
        name: value for answers in MATCHING.values() for name, value in answers.items()}


def test_answers_never_appear_in_a_url(client, flow):
    """No own address on any page (links, forms, images) carries an answer, nor does any
    redirect on the way through the questions."""
    answers = {**MATCHING, "about-you": {"age": "47"}, "country": {"country": "Norway"}}
    for slug, data in answers.items():
        location = flow.answer(slug, data).headers["Location"]
        assert "47" not in location and "Norway" not in location, location
    urls = []
    for path in ["/", "/check", "/summary", "/summary/print", "/questions/about-you",
                 "/questions/country", "/start-again?from=check"]:
        page = client.get(path).get_data(as_text=True)
        urls += re.findall(r'(?:href|action|src)="(/[^"]*)"', page)
    assert len(urls) > 50
    assert [url for url in urls if "Norway" in url or "47" in url] == []
