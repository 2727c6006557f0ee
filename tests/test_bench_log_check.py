"""The load benchmark's log check can fail.

bench/bench_web.py runs by hand, but its verdict "no answer in the log" comes from
``check_log``, tested here: it finds what a visitor sent in every form a log line
could hold it (as typed, URL-encoded as the post carried it, JSON-escaped), the
health answers included; and it is not met by a log that could not have shown an
answer (no request lines, fewer lines than requests, posts that were refused). The
last test starts the benchmark's own gunicorn command, at its ``--log-level``, and
checks that the request log really reaches the file the benchmark reads.
"""

import dataclasses
import http.client
import io
import json
from urllib.parse import quote, urlencode

import pytest

from app import create_app
from bench import bench_web
from bench.bench_web import (
    COOKIE_PREFIX,
    SECRET,
    Server,
    check_log,
    leaked_lines,
    prepare_visitors,
    request_records,
    sent_forms,
)


@pytest.fixture(scope="module")
def prepared():
    """Three visitors prepared as the benchmark prepares them."""
    return prepare_visitors(3)[0]


def with_country(visitor, country, **health):
    """The visitor with another country, and health answers changed, in what it posts."""
    posts = [(path, {**fields, **({"country": country} if "country" in fields else {}),
                     **{name: value for name, value in health.items() if name in fields}})
             for path, fields in visitor.posts]
    return dataclasses.replace(visitor, country=country, posts=posts)


@pytest.fixture(scope="module")
def visitors(prepared):
    """The prepared visitors, one choosing a country of two words and one a country
    with a letter JSON escapes; the first says yes to heart disease."""
    first, second, third = prepared
    return [with_country(first, "United Kingdom", heart_disease="yes"),
            with_country(second, "Côte d'Ivoire"), third]


def serve_in_process(visitors):
    """The benchmark's requests through the app's own request log: (lines, requests)."""
    app = create_app({"SECRET_KEY": SECRET, "TRUSTED_HOSTS": None})
    stream = io.StringIO()
    app.extensions["request_log"].stream = stream
    client = app.test_client(use_cookies=False)  # each request carries its Cookie, as wrk's
    sent = 0
    for visitor in visitors:
        headers = {"Cookie": visitor.cookie}
        for path in (*visitor.pages, "/check"):
            assert client.get(path, headers=headers).status_code == 200, path
            sent += 1
        for path, fields in visitor.posts:
            response = client.post(path, data=urlencode(fields), headers=headers,
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code == 302, path
            sent += 1
    return stream.getvalue().splitlines(), sent


def test_what_is_looked_for_is_what_the_posts_really_carry(visitors):
    """The countries, the health answers and the tokens are in the bodies wrk sends."""
    scripts = bench_web.lua_script(visitors, "post")
    ivory = visitors[1]
    assert "country=United+Kingdom" in scripts and "heart_disease=yes" in scripts
    assert "country=C%C3%B4te+d%27Ivoire" in scripts
    assert all(f"csrf_token={visitor.token}" in scripts for visitor in visitors)
    forms = sent_forms(visitors)
    for visitor in visitors:
        for _, fields in visitor.posts:
            assert urlencode(fields).split("&")[0] in forms
    assert {"United Kingdom", "United+Kingdom", "heart_disease=yes", "heart_disease",
            "C\\u00f4te d'Ivoire", quote("Côte d'Ivoire", safe="")} <= forms
    assert {field for _, fields in ivory.posts for field in fields} >= {
        "country", "csrf_token", *bench_web.HEALTH}


def test_the_app_logs_every_request_and_nothing_sent(visitors):
    lines, sent = serve_in_process(visitors)
    records = request_records(lines)
    assert len(records) == sent == len(lines)
    assert leaked_lines(lines, sent_forms(visitors)) == []


def _leaky_lines(visitor):
    """Request-log lines as a careless log would write them, each leaking one thing."""
    country_path, country_fields = visitor.posts[0]
    health_path, health_fields = visitor.posts[1]
    health = {name: value for name, value in health_fields.items() if name != "csrf_token"}
    country = visitor.country
    line = {"time": "2026-12-02T10:00:00.000+00:00", "method": "POST", "status": 302,
            "ms": 1.5, "bytes": 199}

    def logged(path=country_path, **extra):
        return json.dumps({**line, "path": path, **extra})

    return {
        "the whole body as a query string": logged(
            f"{country_path}&{urlencode(country_fields)}"),
        "the country URL-encoded as a form encodes it": logged(
            f"{country_path}&{urlencode({'country': country})}"),
        "the country percent-encoded": logged(f"{country_path}/{quote(country, safe='')}"),
        "the country in JSON": logged(country=country),
        "the country in JSON, not ASCII-escaped": json.dumps(
            {**line, "path": country_path, "country": country}, ensure_ascii=False),
        "the country in plain text": f"POST {country_path} {country} 302",
        "the health answers as a body": logged(health_path, body=urlencode(health)),
        "the health answers in JSON": logged(health_path, form=health),
        "the health answers as Python prints a form": logged(
            health_path, form=repr(list(health.items()))),
        "the CSRF token": logged(token=visitor.token),
        "the cookie header": logged(cookie=visitor.cookie),
        "the cookie cut short": logged(
            cookie=visitor.cookie.split("=", 1)[1][:COOKIE_PREFIX + 2]),
    }


@pytest.mark.parametrize("index", [0, 1], ids=["United Kingdom", "Côte d'Ivoire"])
def test_a_line_holding_what_a_visitor_sent_is_found_however_it_is_written(visitors, index):
    forms = sent_forms(visitors)
    missed = {how: line for how, line in _leaky_lines(visitors[index]).items()
              if leaked_lines([line], forms) != [line]}
    assert missed == {}


def test_a_health_answer_alone_is_found_with_its_field(visitors):
    """The yes to heart disease, as a body or JSON would carry it, without anything else."""
    forms = sent_forms(visitors)
    for line in ('{"path": "/questions/other-health", "form": {"heart_disease": "yes"}}',
                 "POST /questions/other-health heart_disease=yes",
                 "('heart_disease', 'yes')"):
        assert leaked_lines([line], forms) == [line], line


def test_the_check_is_met_only_by_a_log_that_could_have_shown_an_answer(visitors):
    lines, sent = serve_in_process(visitors)
    assert check_log(lines, visitors, sent).met
    noise = ["[2026-12-02 10:00:00 +0000] [7] [WARNING] Worker (pid:8) was sent SIGTERM!"]
    assert check_log(lines + noise, visitors, sent).met, "gunicorn's own lines are not requests"
    gets = [line for line in lines if '"POST"' not in line]
    refused = [line.replace('"status": 302', '"status": 200') for line in lines]
    leak = _leaky_lines(visitors[0])["the health answers as a body"]
    # Each log below fails the check for one reason only.
    failing = {
        "an empty log": check_log([], visitors, sent),
        "only gunicorn's own lines": check_log(noise, visitors, sent),
        "fewer request lines than requests served": check_log(lines[1:], visitors, sent),
        "no answer post logged": check_log(gets, visitors, len(gets)),
        "answer posts refused": check_log(refused, visitors, sent),
        "a line holding an answer": check_log([*lines, leak], visitors, sent + 1),
        "no request served": check_log([], visitors, 0),
    }
    assert [name for name, check in failing.items() if check.met] == []
    assert failing["a line holding an answer"].leaked == [leak]
    assert failing["answer posts refused"].refused == sum('"POST"' in line for line in lines)


def test_under_the_benchmarks_gunicorn_every_request_is_logged_and_nothing_sent(
        prepared, tmp_path, monkeypatch):
    """The benchmark's own server command (``--log-level warning``): the request log
    reaches the file it reads, one line per request, answer posts accepted."""
    monkeypatch.setattr(bench_web, "WORKERS", 2)
    server = Server("wsgi:app", tmp_path / "app.log")
    sent = 0
    try:
        for visitor in prepared:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
            requests = [("GET", path, None) for path in (*visitor.pages, "/summary")]
            requests += [("POST", path, urlencode(fields)) for path, fields in visitor.posts]
            for method, path, body in requests:
                headers = {"Cookie": visitor.cookie}
                if body is not None:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                assert response.status == (302 if method == "POST" else 200), path
                sent += 1
            connection.close()
    finally:
        server.stop()
    lines = (tmp_path / "app.log").read_text().splitlines()
    check = check_log(lines, prepared, sent)
    assert (check.requests, check.posts, check.refused, check.leaked) == (
        sent, 2 * len(prepared), 0, [])
    assert check.met
