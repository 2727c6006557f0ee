"""CSRF tokens: one session token per visit, signed again for each page (the signature
carries its time), and checked as strictly as Flask-WTF does."""

import re

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app import create_app

from .conftest import MATCHING, TODAY

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


SECRET = "csrf secret" * 32


def make_app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "TODAY": TODAY, **config})


def token_on(client, path="/questions/about-you"):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def post(client, token):
    return client.post("/questions/about-you", data={"age": "52", "csrf_token": token})


def session_token(signed):
    """The visit's session token inside a signed token (whose signature carries the time it
    was signed, so two pages shown in different seconds show different tokens)."""
    return URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token").loads(signed)


def test_every_page_of_a_visit_carries_its_token_and_any_of_them_is_accepted():
    """Every page with a form, through the whole flow: each shows the visit's one session
    token, signed, and the start page's (the oldest) is accepted by every page's post."""
    client = make_app().test_client()
    first = token_on(client, "/")
    with client.session_transaction() as stored:
        raw = stored["csrf_token"]
    shown = {"/": first}
    for slug, data in MATCHING.items():
        path = f"/questions/{slug}"
        shown[path] = token_on(client, path)
        response = client.post(path, data={**data, "csrf_token": first})
        assert response.status_code == 302, path
    for path in ("/tables", "/start-again?from=check"):
        shown[path] = token_on(client, path)
    assert len(shown) == len(MATCHING) + 3
    assert {path: session_token(token) for path, token in shown.items()} == dict.fromkeys(
        shown, raw)
    assert client.get("/summary").status_code == 200, "every answer was accepted"
    own = client.post("/questions/about-you", data={"age": "35",
                                                    "csrf_token": shown["/questions/about-you"]})
    assert own.status_code == 302, "a page's own token is accepted too"


class Earlier(TimestampSigner):
    def get_timestamp(self):
        return super().get_timestamp() - 1000


def test_a_token_signed_at_another_time_is_still_accepted():
    client = make_app().test_client()
    token = token_on(client)
    with client.session_transaction() as stored:
        raw = stored["csrf_token"]
    older = URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token",
                                   signer=Earlier).dumps(raw)
    assert older != token
    assert post(client, older).status_code == 302


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "",
    lambda token: token + "x",
])
def test_a_changed_or_missing_token_is_refused(tamper):
    client = make_app().test_client()
    token = token_on(client)
    response = post(client, tamper(token))
    assert response.status_code == 200 and "timed out" in response.get_data(as_text=True)


def test_another_visits_token_is_refused():
    app = make_app()
    mine, theirs = app.test_client(), app.test_client()
    token_on(mine)
    response = post(mine, token_on(theirs))
    assert response.status_code == 200 and "timed out" in response.get_data(as_text=True)


def test_a_token_from_another_secret_key_is_refused():
    other = make_app(SECRET_KEY="another secret" * 32).test_client()
    client = make_app().test_client()
    token_on(client)
    with client.session_transaction() as stored:
        raw = stored["csrf_token"]
    with other.session_transaction() as stored:
        stored["csrf_token"] = raw  # the same session token, signed with the other key
    response = post(client, token_on(other))
    assert response.status_code == 200 and "timed out" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_with_a_time_limit_flask_wtf_signs_and_checks_every_token():
    client = make_app(WTF_CSRF_TIME_LIMIT=3600).test_client()
    token = token_on(client)
    assert post(client, token).status_code == 302
    refused = post(client, "not a token")
    assert refused.status_code == 200 and "timed out" in refused.get_data(as_text=True)
