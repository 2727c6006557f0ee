"""Nothing a person answers reaches a URL, a log line or a header; no third-party requests."""

import io
import json
import re
from urllib.parse import urlsplit

import pytest

from rules.content import NAMED_TRIALS, trial_links
from rules.sources import SOURCES

from .conftest import MATCHING

#: Answers unlikely to appear anywhere by chance.
DISTINCT = {
    "about-you": {"age": "47"},
    "diagnosis": {"ms_type": "rrms", "diagnosis_year": "2019"},
    "recent-activity": {"relapses_12m": "3", "new_mri_activity_12m": "yes"},
    "treatments": {"dmt_count": "4"},
    "walking": {"walking": "one_aid", "edss": "5.5"},
    "country": {"country": "Norway"},
}
SECRET_WORDS = ["Norway", "2019", "5.5", "one_aid", "47"]

#: The hosts a page may link to: trial registries and the sources' own pages.
LINKED_HOSTS = {urlsplit(link.url).hostname for link in (*trial_links("x"), *NAMED_TRIALS)} | {
    urlsplit(source.url).hostname for source in SOURCES.values() if source.url}


class Lines(list):
    """A stream that keeps each line written to it."""

    def write(self, text):
        self.extend(text.splitlines())


@pytest.fixture
def log_lines(app):
    lines = Lines()
    app.extensions["request_log"].stream = lines
    return lines


@pytest.fixture
def visit(client, flow, log_lines):
    """A whole visit with distinct answers: every page, downloads, an upload and the API."""
    responses = [flow.answer(slug, {**MATCHING[slug], **DISTINCT.get(slug, {})})
                 for slug in MATCHING]
    for path in ("/check", "/summary", "/answers.json", "/fhir/QuestionnaireResponse",
                 "/questions/walking?from=check"):
        responses.append(client.get(path))
    saved = client.get("/answers.json").data
    responses.append(client.post("/resume", data={
        "answers_file": (io.BytesIO(saved), "answers.json")},
        content_type="multipart/form-data"))
    responses.append(client.post("/api/v1/assessments", json={"country": "Norway",
                                                               "edss": "5.5"}))
    return responses


def test_no_answer_appears_in_a_redirect_or_any_response_header(visit):
    for response in visit:
        for name, value in response.headers.items():
            if name == "Set-Cookie":
                continue  # the signed session cookie is where answers live, by design
            for word in SECRET_WORDS:
                assert word not in value, (name, value)


def test_no_answer_or_cookie_appears_in_a_log_line(client, visit, log_lines):
    assert len(log_lines) >= len(visit)
    cookie = client.get_cookie("hsct_session").value
    for line in log_lines:
        record = json.loads(line)
        assert set(record) == {"time", "method", "path", "status", "ms", "bytes"}
        assert "?" not in record["path"], "query strings are never logged"
        assert isinstance(record["status"], int) and isinstance(record["ms"], float)
        for word in SECRET_WORDS:
            assert word not in record["path"] + record["method"], line
        assert cookie[:20] not in line


def test_a_log_line_says_what_happened(client, log_lines):
    client.post("/questions/about-you", data={"age": "47"})
    record = json.loads(log_lines[-1])
    assert (record["method"], record["path"], record["status"]) == (
        "POST", "/questions/about-you", 302)
    assert record["ms"] >= 0 and record["time"].endswith("+00:00")


def test_no_own_link_carries_an_answer_and_only_registries_and_sources_are_linked(client,
                                                                                   visit):
    for path in ("/", "/check", "/summary", "/privacy", "/accessibility", "/tables"):
        page = client.get(path).get_data(as_text=True)
        for tag, attribute, url in re.findall(
                r'<(\w+)[^>]*?\s(href|src|action)="([^"]*)"', page):
            host = urlsplit(url).hostname
            if host is None:
                assert not any(word in url for word in SECRET_WORDS), (path, url)
                continue
            assert (tag, attribute) == ("a", "href"), f"{path} loads {url} from another host"
            assert host in LINKED_HOSTS, f"{path} links to {host}"


def test_the_country_reaches_a_registry_only_in_the_search_link_the_person_opens(client,
                                                                                  visit):
    summary = client.get("/summary").get_data(as_text=True)
    carrying = [url for url in re.findall(r'href="([^"]+)"', summary) if "Norway" in url]
    assert carrying and all(urlsplit(url).hostname == "clinicaltrials.gov"
                            for url in carrying)
    assert 'rel="noreferrer"' in summary


def test_the_privacy_page_says_exactly_what_is_kept(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "On our server: nothing" in page
    assert "hsct_session" in page and "24 hours" in page
    assert "It never records your answers" in page
    assert "files you choose to download" in page
    assert "keeps nothing made from your answers" in page and "encrypted" in page
    assert "not encrypted" not in page and "copies of pages" not in page
    assert client.get("/").get_data(as_text=True).count('href="/privacy"') == 1


#: Every kind of page, once the questions are answered.
EVERY_PAGE = ["/", "/privacy", "/accessibility", "/criteria", "/tables", "/no-such-page",
              *(f"/questions/{slug}" for slug in MATCHING), "/check", "/summary",
              "/summary/print", "/start-again?from=check"]


def test_the_accessibility_statement_and_the_privacy_page_are_linked_from_every_page(
        client, flow):
    page = client.get("/accessibility").get_data(as_text=True)
    assert "<h1>Accessibility statement</h1>" in page and "(WCAG) 2.2" in page
    assert "keyboard" in page and "axe-core" in page
    flow.complete()
    for path in EVERY_PAGE:
        html = client.get(path).get_data(as_text=True)
        assert html.count('href="/accessibility"') == 1, path
        assert html.count('href="/privacy"') == 1, path
