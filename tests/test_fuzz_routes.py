"""Hostile traffic on every route: any form data, JSON, file, cookie or method.

The app runs with TESTING on, so an unhandled exception fails the test rather
than hiding behind the 500 page; a 500 response or a stack trace also fails.
"""

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.questions import PAGES, WEB_FIELDS
from app.sessions import dumps

from .conftest import TODAY

APP = create_app({"TESTING": True, "SECRET_KEY": "fuzz" * 32, "TODAY": TODAY,
                  "WTF_CSRF_ENABLED": False, "REQUEST_LOG": False})
SLUGS = [page.slug for page in PAGES]


def paths():
    """Every route, with its variable parts filled by real and odd values."""
    fixed = [rule.rule for rule in APP.url_map.iter_rules() if "<" not in rule.rule]
    return st.one_of(
        st.sampled_from(fixed),
        st.builds(lambda slug: f"/questions/{slug}",
                  st.sampled_from(SLUGS) | st.text(max_size=20)),
        st.builds(lambda name: f"/fhir/CodeSystem/{name}",
                  st.sampled_from(list(WEB_FIELDS)) | st.text(max_size=20)),
        st.builds(lambda rest: f"/api/{rest}", st.text(max_size=30)),
        st.builds(lambda slug: f"/questions/{slug}?from=check", st.sampled_from(SLUGS)),
    )


FIELD_NAMES = st.sampled_from([*WEB_FIELDS, "csrf_token", "answers_file", "table_file",
                               "table"]) | st.text(max_size=15)
VALUES = st.text(max_size=60) | st.sampled_from(
    ["unsure", "yes", "6.0", "0", "-1", "1e400", "nan", "２", "\x00", "2016", "rrms"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(FIELD_NAMES, children, max_size=4),
    max_leaves=10,
)
FILES = st.binary(max_size=400) | st.sampled_from([
    b'{"format": "hsct-ms-screening-answers", "version": 1, "answers": {"age": "x"}}',
    b"age,expect_outcome\n30,unclear\n", b"\xef\xbb\xbf", b"[" * 500])


def bodies():
    """Keyword arguments for the test client: a form, JSON, a file upload, or raw bytes."""
    return st.one_of(
        st.builds(lambda data: {"data": data}, st.dictionaries(FIELD_NAMES, VALUES,
                                                               max_size=8)),
        st.builds(lambda body: {"data": json.dumps(body), "content_type": "application/json"},
                  JSON),
        st.builds(lambda name, content, field: {
            "data": {field: (io.BytesIO(content), name)},
            "content_type": "multipart/form-data"},
            st.text(max_size=12), FILES, st.sampled_from(["answers_file", "table_file"])),
        st.builds(lambda raw, kind: {"data": raw, "content_type": kind}, st.binary(max_size=300),
                  st.sampled_from(["text/plain", "application/json", "multipart/form-data",
                                   "application/x-www-form-urlencoded", ""])),
        st.just({}),
    )


def signed(data):
    """A cookie the app itself encrypted: contents that passed authentication."""
    return APP.session_interface.cipher(APP).encrypt(dumps(data)).decode()


COOKIES = st.one_of(
    st.none(),
    st.text(max_size=80),
    st.builds(signed, st.fixed_dictionaries({
        "answers": st.dictionaries(FIELD_NAMES, VALUES | st.integers(), max_size=6)
        | JSON, "done": st.lists(st.sampled_from(SLUGS) | st.text(max_size=8), max_size=9)
        | JSON})),
    st.builds(signed, JSON),
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]),
       path=paths(), body=bodies(), cookie=COOKIES)
def test_no_request_on_any_route_gets_a_server_error(method, path, body, cookie):
    client = APP.test_client()
    if cookie is not None:
        client.set_cookie("hsct_session", cookie)
    if method in ("GET", "HEAD", "OPTIONS"):
        body = {}
    response = client.open(path, method=method, **body)
    text = response.get_data(as_text=True)
    response.close()
    assert response.status_code < 500, (method, path, response.status_code)
    assert "Traceback" not in text and 'File "' not in text
    if path.startswith("/api/") and response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
