"""CSRF tokens: signed once per session token, and checked as strictly as Flask-WTF does."""

import re

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app import create_app

from .conftest import TODAY

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def make_app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": "csrf secret" * 32, "TODAY": TODAY,
                       **config})


def token_on(client, path="/questions/about-you"):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def post(client, token):
    return client.post("/questions/about-you", data={"age": "52", "csrf_token": token})


def test_every_page_of_a_visit_carries_the_same_token_and_it_is_accepted():
    client = make_app().test_client()
    token = token_on(client, "/")
    assert token_on(client) == token_on(client) == token
    assert post(client, token).status_code == 302


class Earlier(TimestampSigner):
    def get_timestamp(self):
        return super().get_timestamp() - 1000


def test_a_token_signed_at_another_time_is_still_accepted():
    client = make_app().test_client()
    token = token_on(client)
    with client.session_transaction() as stored:
        raw = stored["csrf_token"]
    older = URLSafeTimedSerializer("csrf secret" * 32, salt="wtf-csrf-token",
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
    assert post(client, token_on(other)).status_code == 200


def test_with_a_time_limit_flask_wtf_signs_and_checks_every_token():
    client = make_app(WTF_CSRF_TIME_LIMIT=3600).test_client()
    token = token_on(client)
    assert post(client, token).status_code == 302
    assert post(client, "not a token").status_code == 200
