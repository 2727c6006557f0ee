"""Trusted hosts, the forwarded prefix, the secret key and the response headers
(issue 12, holes 4 and 7)."""

import logging

import pytest

from app import _instance_secret_key, create_app
from app.fragments import _link

from .conftest import TODAY

KEY = "a secret key for these tests, long enough"
BAD_HOSTS = ["a" * 64 + ".example.org", ".example.org", "evil.example", "localhost..",
             "[::1"]


def make_app(**config):
    _link.cache_clear()  # no address kept from earlier tests: every link is built here
    return create_app({"TESTING": True, "SECRET_KEY": KEY, "TODAY": TODAY,
                       "WTF_CSRF_ENABLED": False, **config})


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("path", ["/", "/questions/about-you", "/summary", "/no-such-page",
                                  "/api/v1/criteria", "/fhir/Questionnaire"])
def test_a_host_that_is_not_trusted_gets_a_400_page_with_the_security_headers(
        host, path, caplog):
    app = make_app(TESTING=False, TRUSTED_HOSTS=["hsct.example.org", "localhost"])
    with caplog.at_level(logging.DEBUG):
        response = app.test_client().get(path, headers={"Host": host})
    assert response.status_code == 400
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Traceback" not in response.get_data(as_text=True)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("host", ["a" * 64 + ".example.org", ".example.org"])
def test_a_malformed_host_gets_a_400_even_when_every_host_is_trusted(host):
    response = make_app(TESTING=False).test_client().get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


def test_a_trusted_host_is_served():
    app = make_app(TRUSTED_HOSTS=["hsct.example.org"])
    assert app.test_client().get("/", headers={"Host": "hsct.example.org"}).status_code == 200


def test_trusted_hosts_come_from_the_environment_and_default_to_loopback(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.delenv("FLASK_TRUSTED_HOSTS", raising=False)
    assert create_app().config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    monkeypatch.setenv("FLASK_TRUSTED_HOSTS", "hsct.example.org, www.hsct.example.org")
    app = create_app()
    assert app.config["TRUSTED_HOSTS"] == ["hsct.example.org", "www.hsct.example.org"]
    assert app.test_client().get("/", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("prefix", ["//evil.example", "https://evil.example", "/ok, //evil",
                                    "evil.example", "/\\evil.example"])
def test_a_forwarded_prefix_that_is_not_a_path_is_ignored(prefix):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    response = client.post("/questions/about-you", data={"age": "30"},
                           headers={"X-Forwarded-Prefix": prefix})
    assert response.status_code == 302
    assert response.headers["Location"] == "/questions/diagnosis"


def test_a_forwarded_prefix_that_is_a_path_is_used():
    client = make_app(TRUSTED_PROXIES=1).test_client()
    response = client.post("/questions/about-you", data={"age": "30"},
                           headers={"X-Forwarded-Prefix": "/screening"})
    assert response.headers["Location"] == "/screening/questions/diagnosis"


@pytest.mark.parametrize("config", [{"SECRET_KEY": "x"}, {"SECRET_KEY": "y" * 31},
                                    {"SECRET_KEY": KEY, "SECRET_KEY_FALLBACKS": ["short"]}])
def test_a_short_secret_key_is_refused(config):
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app({"TESTING": True, **config})


def test_a_short_secret_key_from_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_key_file_others_can_read_is_refused(tmp_path, mode):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 64)
    key_file.chmod(mode)
    with pytest.raises(RuntimeError, match="chmod 600"):
        _instance_secret_key(tmp_path)
    key_file.chmod(0o600)
    assert _instance_secret_key(tmp_path) == "k" * 64


def test_the_permissions_policy_names_no_obsolete_feature(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert "interest-cohort" not in policy and "camera=()" in policy
