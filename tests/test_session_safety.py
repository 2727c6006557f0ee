"""The session cookie: encrypted, and changed only by a post that passed its CSRF check
(issue 12, holes 1, 2 and 6)."""

import base64
import binascii
import contextlib
import io
import json
import re
import zlib

import pytest

from app import create_app

from .conftest import MATCHING, TODAY

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = "the current secret key, long enough"
OLD_KEY = "the previous secret key, long enough"


def make_app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": KEY, "TODAY": TODAY, **config})


def answer(client, slug, data):
    """Answer a page as a browser would: read its token, then post."""
    token = TOKEN.search(client.get(f"/questions/{slug}").get_data(as_text=True)).group(1)
    return client.post(f"/questions/{slug}", data={**data, "csrf_token": token})


def answers_file(**answers):
    return json.dumps({"format": "hsct-ms-screening-answers", "version": 1,
                       "answers": answers}).encode()


def age_shown(client):
    page = client.get("/questions/about-you").get_data(as_text=True)
    return re.search(r'name="age"\s+value="([^"]*)"', page).group(1)


def test_a_resume_post_with_a_bad_token_does_not_replace_the_answers():
    client = make_app().test_client()
    assert answer(client, "about-you", {"age": "40"}).status_code == 302
    response = client.post("/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(answers_file(age="70")), "answers.json"),
        "csrf_token": "not the token"})
    assert response.status_code == 400 and "timed out" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert age_shown(client) == "40"


def test_a_resume_post_with_a_good_token_loads_the_file():
    client = make_app().test_client()
    token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post("/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(answers_file(age="70")), "answers.json"),
        "csrf_token": token})
    assert response.status_code == 302 and age_shown(client) == "70"


CROSS_SITE_POSTS = [
    ("/start-again", {}),
    ("/questions/about-you", {"age": "99"}),
    ("/resume", {"answers_file": (io.BytesIO(answers_file(age="70")), "a.json")}),
    ("/tables", {}),
    ("/tables/results.csv", {"table": "age\n30\n"}),
]


@pytest.mark.parametrize(("path", "data"), CROSS_SITE_POSTS, ids=[p for p, _ in CROSS_SITE_POSTS])
def test_a_post_that_arrives_without_the_cookie_sets_no_cookie(path, data):
    """A cross-site form post carries no SameSite=Lax cookie: answering it with a fresh
    cookie would replace the person's."""
    response = make_app().test_client().post(path, data=data)
    assert "Set-Cookie" not in response.headers
    assert response.status_code == 303  # back to the page, asked for with the person's cookie


@pytest.mark.parametrize("path", ["/start-again", "/questions/about-you", "/resume"])
def test_a_post_that_fails_its_csrf_check_sets_no_cookie(path):
    client = make_app().test_client()
    assert answer(client, "about-you", {"age": "40"}).status_code == 302
    response = client.post(path, data={"age": "41", "csrf_token": "forged"})
    assert response.status_code in (200, 400)
    assert "Set-Cookie" not in response.headers
    assert age_shown(client) == "40"


def test_start_again_with_the_cookie_and_a_good_token_clears_the_answers():
    client = make_app().test_client()
    answer(client, "about-you", {"age": "40"})
    token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post("/start-again", data={"csrf_token": token})
    assert response.status_code == 302 and "Set-Cookie" in response.headers
    assert age_shown(client) == ""


def decodings(value: str):
    """Every way someone could try to read a cookie: each dot-separated part,
    base64-decoded and, when it is, decompressed."""
    for part in value.lstrip(".").split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        yield raw
        with contextlib.suppress(zlib.error):
            yield zlib.decompress(raw)


def test_the_cookie_shows_nothing_of_the_answers(flow, client):
    flow.complete(**{"about-you": {"age": "47"}, "country": {"country": "Norway"}})
    value = client.get_cookie("hsct_session").value
    seen = b" ".join(decodings(value))
    # Words of five letters or more: a two-digit age could turn up in random bytes by
    # chance, so the answers' own JSON keys stand for it.
    for word in (b"answers", b'"age"', b"rrms", b"Norway", b"pregnant", b'"done"'):
        assert word not in seen and word.decode() not in value


def test_a_cookie_made_with_a_fallback_key_is_read_and_rewritten_with_the_new_key():
    old = make_app(SECRET_KEY=OLD_KEY).test_client()
    assert answer(old, "about-you", {"age": "40"}).status_code == 302
    rotated = make_app(SECRET_KEY_FALLBACKS=[OLD_KEY]).test_client()
    rotated.set_cookie("hsct_session", old.get_cookie("hsct_session").value)
    assert answer(rotated, "about-you", {"age": "41"}).status_code == 302
    assert age_shown(rotated) == "41"
    new_only = make_app().test_client()
    new_only.set_cookie("hsct_session", rotated.get_cookie("hsct_session").value)
    assert age_shown(new_only) == "41"


def test_a_cookie_from_a_key_that_is_no_longer_listed_is_not_read():
    old = make_app(SECRET_KEY=OLD_KEY).test_client()
    answer(old, "about-you", {"age": "40"})
    new = make_app().test_client()
    new.set_cookie("hsct_session", old.get_cookie("hsct_session").value)
    page = new.get("/").get_data(as_text=True)
    assert "could not be read" in page and age_shown(new) == ""


def test_matching_answers_still_reach_the_summary_with_csrf_on():
    client = make_app().test_client()
    for slug, data in MATCHING.items():
        assert answer(client, slug, data).status_code == 302, slug
    assert client.get("/summary").status_code == 200
