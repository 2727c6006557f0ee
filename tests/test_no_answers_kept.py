"""Nothing built from a person's answers is kept in server memory (issue 12)."""

import importlib
import pkgutil
import re

import pytest

import app as app_package
import rules as rules_package
from app import create_app, flow
from app.csrf import token
from app.forms import FORMS
from rules.content import CRITERIA_VERSION, SOURCES_CHECKED

from .conftest import MATCHING, TODAY

CRITERIA_AND_SOURCES = (CRITERIA_VERSION, SOURCES_CHECKED)

#: The only caches allowed, none keyed by an answer: each link's address (endpoint,
#: page name and mount point), each question's markup with a slot for the answer,
#: each question page with no answer in it (keyed by the page and its place in the
#: flow) and the start page, the summary's sections that read no answer, and the OpenAPI
#: document. ``_summary_static`` is the summary made once per language with a slot for
#: each answer's words, every piece made for every declared criterion, status, caution
#: and source (keyed by the language and the criteria version); ``_empty_summary_page``
#: is the page around a summary (header, actions, footer) with a slot for the summary,
#: keyed by the page, where the app is mounted, the language and the page's address.
ALLOWED_CACHES = {"app.fragments._link", "app.fragments._skeleton",
                  "app.flow._empty_question_page", "app.flow._empty_start_page",
                  "app.fragments._summary_static", "app.flow._empty_summary_page",
                  "app.openapi.openapi_document"}


def caches() -> set[str]:
    """Every function in app/ and rules/ that keeps results between calls."""
    found = set()
    for package in (app_package, rules_package):
        for module_info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if module_info.name.endswith(".__main__"):
                continue
            module = importlib.import_module(module_info.name)
            for name, value in vars(module).items():
                # Asked of the type, so that proxies such as ``request`` are not touched.
                if hasattr(type(value), "cache_info") \
                        and getattr(value, "__module__", "") == module.__name__:
                    found.add(f"{module.__name__}.{name}")
    return found


def test_no_function_keeps_results_but_the_listed_caches():
    assert caches() == ALLOWED_CACHES


def test_the_link_cache_holds_no_answer(flow, client):
    from app.fragments import _link

    _link.cache_clear()
    flow.complete(**{"about-you": {"age": "47"}, "country": {"country": "Portugal"}})
    for path in ("/check", "/summary", "/questions/walking", "/questions/about-you"):
        client.get(path)
    first = _link.cache_info().currsize
    flow.complete(**{"about-you": {"age": "48"}, "walking": {"walking": "one_aid"}})
    for path in ("/check", "/summary", "/questions/walking", "/questions/about-you"):
        client.get(path)
    assert _link.cache_info().currsize == first, "a link depends on no answer"


def test_question_skeletons_are_one_per_question_whatever_the_answers(flow, client):
    from app.fragments import _skeleton

    flow.complete(**{"about-you": {"age": "47"}, "country": {"country": "Portugal"}})
    for path in ("/questions/about-you", "/questions/other-health", "/questions/country"):
        client.get(path)
    first = _skeleton.cache_info().currsize
    flow.answer("about-you", {"age": "48"})
    flow.answer("other-health", {**MATCHING["other-health"], "heart_disease": "yes"})
    flow.answer("country", {"country": "Sweden"})
    for path in ("/questions/about-you", "/questions/other-health", "/questions/country"):
        page = client.get(path).get_data(as_text=True)
    assert "Sweden" in page
    assert _skeleton.cache_info().currsize == first


def test_the_summary_caches_hold_no_answer(flow, client):
    from app.flow import _empty_summary_page
    from app.fragments import _summary_static

    def summaries(**changes):
        for slug, data in changes.items():
            flow.answer(slug, {**MATCHING[slug], **data})
        return [client.get(path).get_data(as_text=True)
                for path in ("/summary", "/summary/print")]

    flow.complete()
    first = summaries(**{"about-you": {"age": "47"}, "country": {"country": "Portugal"}})
    sizes = (_summary_static.cache_info().currsize, _empty_summary_page.cache_info().currsize)
    second = summaries(**{"about-you": {"age": "61"}, "diagnosis": {"diagnosis_year": "1999"},
                          "walking": {"walking": "two_aids", "edss": "6.5"},
                          "country": {"country": "Japan"}})
    answers = ("You are 47", "trials in Portugal", "You are 61", "diagnosed in 1999",
               "trials in Japan")
    assert all(answer in "".join(first + second) for answer in answers)
    assert (_summary_static.cache_info().currsize,
            _empty_summary_page.cache_info().currsize) == sizes, "the key holds no answer"
    static = _summary_static(client.application.jinja_env, "en", *CRITERIA_AND_SOURCES)
    kept = repr(static) + "".join(map(repr, (static.glance, static.points, static.raised)))
    for answer in (*answers, "Portugal", "Japan", "1999"):
        assert answer not in kept


TOKEN = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"')
ODD_COUNTRY = "Côte d'Ivoire"  # from the list, with a character HTML escapes


def made_in_full(page, stored, back, step, action):
    """The page as the template makes it from a form, with nothing kept."""
    form = FORMS[page.slug](data=stored, meta={"csrf": False})
    return flow._question_form_page(page, form, back, step, action, token=token())


@pytest.mark.parametrize("csrf", [True, False], ids=["csrf", "no-csrf"])
def test_a_question_page_from_its_empty_page_is_the_page_made_in_full(monkeypatch, csrf):
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "TODAY": TODAY,
                      "WTF_CSRF_ENABLED": csrf})
    client = app.test_client()
    client.get("/")
    changes = {"country": {"country": ODD_COUNTRY}, "walking": {"edss": "6.5"},
               "other-health": {"heart_disease": "yes", "cancer_history": "unsure"}}
    for slug, data in MATCHING.items():
        page = client.get(f"/questions/{slug}").get_data(as_text=True)
        found = TOKEN.search(page)
        shown = found.group(0).split('value="')[1][:-1] if found else ""
        response = client.post(f"/questions/{slug}", data={
            **data, **changes.get(slug, {}), "csrf_token": shown})
        assert response.status_code == 302, slug
    paths = [f"/questions/{slug}" + query for slug in MATCHING for query in ("", "?from=check")]
    quick = {path: client.get(path).get_data(as_text=True) for path in paths}
    monkeypatch.setattr(flow, "_question_page", made_in_full)
    for path in paths:
        full = client.get(path).get_data(as_text=True)
        assert TOKEN.sub("", quick[path]) == TOKEN.sub("", full), path
        assert bool(TOKEN.search(quick[path])) == csrf
    assert '<option value="Côte d&#39;Ivoire" selected>' in quick["/questions/country"]


def test_the_start_page_from_its_empty_page_is_the_page_made_in_full():
    from app.saved import ResumeForm, start_page

    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "TODAY": TODAY})
    quick = app.test_client().get("/").get_data(as_text=True)
    shown = TOKEN.search(quick).group(0).split('value="')[1][:-1]
    with app.test_request_context("/"):
        full = start_page(ResumeForm(meta={"csrf": False}), shown)
    assert quick == full
