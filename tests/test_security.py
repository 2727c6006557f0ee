"""Headers, cookies, HTTPS, the reverse proxy and the secret key, on every kind of page."""

import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import request

from app import _instance_secret_key, create_app

from .conftest import TODAY

#: One address of every kind the app serves, with how to ask for it.
PAGE_KINDS = [
    ("start page", "GET", "/", None),
    ("question page", "GET", "/questions/about-you", None),
    ("question page with errors", "POST", "/questions/about-you", {"age": "old"}),
    ("check your answers", "GET", "/check", None),
    ("summary", "GET", "/summary", None),
    ("saved answers file", "GET", "/answers.json", None),
    ("privacy", "GET", "/privacy", None),
    ("accessibility", "GET", "/accessibility", None),
    ("rule tables", "GET", "/tables", None),
    ("sample table", "GET", "/tables/sample.csv", None),
    ("FHIR Questionnaire", "GET", "/fhir/Questionnaire", None),
    ("FHIR QuestionnaireResponse", "GET", "/fhir/QuestionnaireResponse", None),
    ("API criteria", "GET", "/api/v1/criteria", None),
    ("API assessment", "POST", "/api/v1/assessments", {"json": {"age": 30}}),
    ("API error", "POST", "/api/v1/assessments", {"json": {"age": "x"}}),
    ("not found", "GET", "/nowhere", None),
    ("wrong method", "DELETE", "/", None),
    ("stylesheet", "GET", "/static/site.css", None),
]


def fetch(client, method, path, data):
    """The response, read and closed (a static file would otherwise stay open)."""
    if data and "json" in data:
        response = client.open(path, method=method, json=data["json"])
    else:
        response = client.open(path, method=method, data=data)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def answered(client, flow):
    """A client whose visit is complete, so the summary and check pages show."""
    flow.complete()
    return client


@pytest.mark.parametrize(("kind", "method", "path", "data"), PAGE_KINDS,
                         ids=[kind for kind, *_ in PAGE_KINDS])
def test_every_kind_of_response_carries_the_security_headers(answered, kind, method, path,
                                                             data):
    response = fetch(answered, method, path, data)
    assert response.status_code < 500
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert not re.search(r"https?://", csp), "no third-party source"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers, "no HSTS over plain HTTP"
    if path.startswith("/static/"):
        assert "no-store" not in headers.get("Cache-Control", "")
    else:
        assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("kind", "method", "path", "data"), PAGE_KINDS,
                         ids=[kind for kind, *_ in PAGE_KINDS])
def test_over_https_every_response_has_hsts_and_cookies_are_secure(app, kind, method, path,
                                                                   data):
    client = app.test_client()
    answered = client.post("https://localhost/questions/about-you", data={"age": "30"})
    cookies = answered.headers.getlist("Set-Cookie")
    assert len(cookies) == 1, "answering a page sets the session cookie"
    response = fetch(client, method, f"https://localhost{path}", data)
    assert response.headers["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains"
    for cookie in cookies + response.headers.getlist("Set-Cookie"):
        assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_session_cookie_is_httponly_lax_and_not_secure_over_http(client):
    response = client.post("/questions/about-you", data={"age": "30"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("hsct_session=")
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires" not in cookie, "the cookie ends with the browser visit"


def test_behind_a_trusted_proxy_https_is_recognised_from_forwarded_headers():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "WTF_CSRF_ENABLED": False,
                      "TRUSTED_PROXIES": 1})
    client = app.test_client()
    response = client.post("/questions/about-you", data={"age": "30"},
                           headers={"X-Forwarded-Proto": "https",
                                    "X-Forwarded-Host": "hsct.example.org"})
    assert "; Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers
    # FHIR canonical URLs come from FHIR_BASE_URL, never from a (forwarded) Host header.
    questionnaire = client.get("/fhir/Questionnaire", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}).get_json()
    assert questionnaire["url"] == app.config["FHIR_BASE_URL"] + "/Questionnaire/" \
        + questionnaire["id"]


def test_without_trusted_proxies_forwarded_headers_are_ignored(app):
    response = app.test_client().post(
        "/questions/about-you", data={"age": "30"}, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_trusted_proxies_can_be_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("SECRET_KEY", "from the environment " * 3)
    app = create_app()
    assert app.config["TRUSTED_PROXIES"] == 1
    assert app.config["SECRET_KEY"] == "from the environment " * 3


ERRORS = [
    (404, "/no-such-page", "GET", {}),
    (405, "/summary", "POST", {}),
    (413, "/resume", "POST", {"data": {"answers_file": (io.BytesIO(b"x" * 70_000), "a.json")},
                              "content_type": "multipart/form-data"}),
]


@pytest.mark.parametrize(("status", "path", "method", "kwargs"), ERRORS,
                         ids=[str(status) for status, *_ in ERRORS])
def test_error_pages_are_friendly_html_without_internals(client, status, path, method, kwargs):
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and "<h1>" in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()


def test_a_server_error_is_a_friendly_page_without_internals():
    app = create_app({"SECRET_KEY": "x" * 32})

    @app.get("/broken")
    def broken():
        raise RuntimeError("internal detail")

    response = app.test_client().get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in page and "internal detail" not in page
    assert "Traceback" not in page


def test_a_bad_request_gets_the_friendly_400_page(app):
    @app.get("/needs-a-field")
    def needs_a_field():
        return request.args["missing"]

    response = app.test_client().get("/needs-a-field")
    assert response.status_code == 400
    assert "Something in that request was not right" in response.get_data(as_text=True)


def test_the_key_file_is_made_once_private_and_shared_by_every_worker(tmp_path):
    instance = tmp_path / "instance"
    code = ("import sys; from pathlib import Path; from app import _instance_secret_key; "
            "print(_instance_secret_key(Path(sys.argv[1])))")
    workers = [subprocess.Popen([sys.executable, "-c", code, str(instance)],
                                stdout=subprocess.PIPE, text=True,
                                cwd=Path(__file__).parent.parent) for _ in range(6)]
    keys = {worker.communicate()[0].strip() for worker in workers}
    assert len(keys) == 1 and len(keys.pop()) == 64, "every worker reads the same whole key"
    key_file = instance / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]


def test_a_session_survives_a_restart_with_the_same_key_file(tmp_path):
    def start():
        return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "TODAY": TODAY,
                           "SECRET_KEY": _instance_secret_key(tmp_path)}).test_client()

    first = start()
    first.post("/questions/about-you", data={"age": "41"})
    second = start()
    second.set_cookie("hsct_session", first.get_cookie("hsct_session").value)
    assert 'value="41"' in second.get("/questions/about-you").get_data(as_text=True)


def test_a_short_key_file_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "secret_key").write_text("short")
    (tmp_path / "secret_key").chmod(0o600)
    with pytest.raises(RuntimeError, match="delete the file"):
        _instance_secret_key(tmp_path)
