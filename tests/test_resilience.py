"""Resilience of the visit: tampered and expired cookies, stale forms, pages out of order."""

import re
import time

import pytest

from app import create_app
from app.sessions import UNREADABLE, dumps

from .conftest import MATCHING, TODAY


def text(response):
    return response.get_data(as_text=True)


def age_value(page):
    """What the age box shows."""
    return re.search(r'name="age"\s+value="([^"]*)"', page).group(1)


def cookie_signed_at(app, data, seconds_ago, monkeypatch):
    """A session cookie as the app would have encrypted ``data`` some time ago."""
    cipher = app.session_interface.cipher(app)
    return cipher.encrypt_at_time(dumps(data), int(time.time() - seconds_ago)).decode()


@pytest.mark.parametrize("cookie", [
    "garbage",
    "eyJhbnN3ZXJzIjp7fX0.ZZZZZZ.bad-signature",
    "",
    "." * 50,
    "\u00e9t\u00e9",
])
def test_a_tampered_cookie_starts_cleanly_with_a_message(client, cookie):
    client.set_cookie("hsct_session", cookie)
    response = client.get("/questions/about-you", follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    if cookie:
        assert "could not be read" in page and "starting again" in page
    else:  # an empty cookie is no cookie: a fresh start, with nothing to explain
        assert "could not be read" not in page
    assert age_value(page) == ""


def test_a_cookie_signed_with_another_key_is_not_trusted(app, client):
    other = create_app({"TESTING": True, "SECRET_KEY": "someone else" * 32, "TODAY": TODAY,
                        "WTF_CSRF_ENABLED": False}).test_client()
    other.post("/questions/about-you", data={"age": "33"})
    client.set_cookie("hsct_session", other.get_cookie("hsct_session").value)
    page = text(client.get("/questions/about-you"))
    assert UNREADABLE.split(" (")[0] in page and 'value="33"' not in page


def test_a_tampered_cookie_on_a_later_page_leads_to_the_first_page_with_the_message(client):
    client.set_cookie("hsct_session", "not a real cookie")
    response = client.get("/summary", follow_redirects=True)
    assert response.request.path == "/questions/about-you"
    page = text(response)
    assert "could not be read" in page
    assert "Your answers so far are kept" not in page


@pytest.mark.parametrize(("hours_ago", "read"), [(25, False), (23, True)],
                         ids=["expired", "within-lifetime"])
def test_a_cookie_is_read_for_24_hours_then_starts_cleanly_with_a_message(
        app, client, monkeypatch, hours_ago, read):
    cookie = cookie_signed_at(app, {"answers": {"age": "44"}, "done": ["about-you"]},
                              hours_ago * 3600, monkeypatch)
    client.set_cookie("hsct_session", cookie)
    page = text(client.get("/questions/about-you"))
    if read:
        assert 'value="44"' in page and "could not be read" not in page
    else:
        assert "more than 24 hours old" in page and 'value="44"' not in page


@pytest.mark.parametrize("data", [
    {"answers": "not a dict", "done": ["about-you"]},
    {"answers": {"age": ["a", "list"]}, "done": "about-you"},
    {"answers": {"age": "999", "ms_type": "martian"}, "done": [s for s in MATCHING]},
    {"answers": {"diagnosis_year": "year"}, "done": [1, None, {"a": 1}]},
    {"unexpected": True},
    [],
])
def test_a_validly_signed_cookie_with_odd_contents_never_breaks_a_page(app, client, data,
                                                                      monkeypatch):
    client.set_cookie("hsct_session", cookie_signed_at(app, data, 0, monkeypatch))
    for path in ("/", "/questions/about-you", "/questions/walking", "/check", "/summary",
                 "/answers.json", "/fhir/QuestionnaireResponse"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path


def test_the_api_ignores_a_bad_cookie_and_sets_none(client):
    client.set_cookie("hsct_session", "garbage")
    response = client.post("/api/v1/assessments", json={"age": 30})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_a_stale_form_keeps_the_answers_and_the_next_post_works():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "TODAY": TODAY})
    client = app.test_client()
    client.get("/")
    response = client.post("/questions/about-you", data={"age": "52", "csrf_token": "old"})
    page = text(response)
    assert response.status_code == 200 and "timed out" in page and 'value="52"' in page
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    again = client.post("/questions/about-you", data={"age": "52", "csrf_token": token})
    assert again.status_code == 302


def test_pages_out_of_order_go_to_the_first_unanswered_and_keep_answers(client, flow):
    flow.answer("about-you", MATCHING["about-you"])
    flow.answer("diagnosis", MATCHING["diagnosis"])
    response = client.get("/questions/walking")
    assert response.headers["Location"] == "/questions/recent-activity"
    page = text(client.get("/questions/about-you"))
    assert 'value="34"' in page


def test_going_back_and_posting_an_earlier_page_again_keeps_later_answers(client, flow):
    flow.complete()
    response = flow.answer("about-you", {"age": "35"})
    assert response.status_code == 302
    assert text(client.get("/check")).count("Change") >= 10
    assert 'value="unaided_far" checked' in text(client.get("/questions/walking"))
