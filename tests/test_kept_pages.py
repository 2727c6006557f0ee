"""Pages kept once made (app/fragments.py): each visitor still gets their own token,
messages and links, and nothing typed as free text is kept."""

import re

import pytest

from app import create_app
from app.fragments import _kept_page, _render_field
from app.progress import _checked

from .conftest import MATCHING, TODAY, Flow

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def csrf_app():
    _kept_page.cache_clear()
    return create_app({"TESTING": True, "SECRET_KEY": "kept pages", "TODAY": TODAY})


def answer(client, slug, data):
    token = TOKEN.search(client.get(f"/questions/{slug}").get_data(as_text=True)).group(1)
    return client.post(f"/questions/{slug}", data={**data, "csrf_token": token})


def test_two_visitors_with_the_same_answers_get_the_same_page_but_their_own_token(csrf_app):
    pages, tokens = [], []
    for client in (csrf_app.test_client(), csrf_app.test_client()):
        assert answer(client, "about-you", {"age": "40"}).status_code == 302
        page = client.get("/questions/about-you").get_data(as_text=True)
        pages.append(TOKEN.sub("", page))
        tokens.append(TOKEN.search(page).group(1))
        assert 'value="40"' in page
    assert pages[0] == pages[1] and tokens[0] != tokens[1]
    assert _kept_page.cache_info().hits >= 1
    # each token works only for its own visitor
    mine = csrf_app.test_client()
    mine.get("/")
    response = mine.post("/questions/about-you", data={"age": "41", "csrf_token": tokens[0]})
    assert response.status_code == 200 and "timed out" in response.get_data(as_text=True)


def test_a_kept_page_never_swallows_or_repeats_a_message(csrf_app):
    client = csrf_app.test_client()
    token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)  # kept, no message
    assert client.post("/start-again", data={"csrf_token": token}).status_code == 302
    shown = client.get("/").get_data(as_text=True)
    assert "Your answers have been cleared." in shown
    again = client.get("/").get_data(as_text=True)
    assert "Your answers have been cleared." not in again


def test_no_cache_keeps_a_typed_country(app, client):
    caches = (_kept_page, _render_field, _checked)
    Flow(client).complete(country={"country": "Atlantis"})
    for path in ("/questions/country", "/check", "/summary"):
        client.get(path)
    before = [cache.cache_info().currsize for cache in caches]
    # The same answers but another country: anything kept now would be the country.
    client.post("/questions/country?from=check", data={"country": "Zanzibarland"})
    for path in ("/questions/country", "/check", "/summary"):
        assert "Zanzibarland" in client.get(path).get_data(as_text=True)
    assert [cache.cache_info().currsize for cache in caches] == before


def test_pages_without_a_country_are_kept_and_identical_to_fresh_ones(app, client):
    Flow(client).complete()
    first = {path: client.get(path).get_data(as_text=True)
             for path in ("/", "/questions/walking", "/check", "/summary")}
    _kept_page.cache_clear()
    for path, page in first.items():
        assert client.get(path).get_data(as_text=True) == page
    assert _kept_page.cache_info().currsize == len(first)


def test_links_follow_where_the_app_is_mounted(client):
    client.post("/questions/about-you", data=MATCHING["about-you"])
    plain = client.get("/questions/about-you").get_data(as_text=True)
    mounted = client.get("/questions/about-you",
                         environ_overrides={"SCRIPT_NAME": "/screening"}).get_data(as_text=True)
    assert 'href="/static/site.css"' in plain and 'href="/screening/static/site.css"' in mounted
    assert 'action="/screening/questions/about-you"' in mounted
