"""Nothing built from a person's answers is kept in server memory (issue 12)."""

import importlib
import pkgutil

import app as app_package
import rules as rules_package

from .conftest import MATCHING

#: The only caches allowed, none keyed by an answer: each link's address (endpoint,
#: page name and mount point), each question's markup with a slot for the answer,
#: the summary's sections that are the same for everyone, and the OpenAPI document.
ALLOWED_CACHES = {"app.fragments._link", "app.fragments._skeleton",
                  "app.fragments._summary_static", "app.openapi.openapi_document"}


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


def test_no_function_keeps_results_but_links_question_skeletons_and_openapi():
    assert caches() == ALLOWED_CACHES


def test_the_link_cache_holds_no_answer(flow, client):
    from app.fragments import _link

    _link.cache_clear()
    flow.complete(**{"about-you": {"age": "47"}, "country": {"country": "Zanzibarland"}})
    for path in ("/check", "/summary", "/questions/walking", "/questions/about-you"):
        client.get(path)
    first = _link.cache_info().currsize
    flow.complete(**{"about-you": {"age": "48"}, "walking": {"walking": "one_aid"}})
    for path in ("/check", "/summary", "/questions/walking", "/questions/about-you"):
        client.get(path)
    assert _link.cache_info().currsize == first, "a link depends on no answer"


def test_question_skeletons_are_one_per_question_whatever_the_answers(flow, client):
    from app.fragments import _skeleton

    flow.complete(**{"about-you": {"age": "47"}, "country": {"country": "Zanzibarland"}})
    for path in ("/questions/about-you", "/questions/other-health", "/questions/country"):
        client.get(path)
    first = _skeleton.cache_info().currsize
    flow.answer("about-you", {"age": "48"})
    flow.answer("other-health", {**MATCHING["other-health"], "heart_disease": "yes"})
    flow.answer("country", {"country": "Atlantis"})
    for path in ("/questions/about-you", "/questions/other-health", "/questions/country"):
        page = client.get(path).get_data(as_text=True)
    assert "Atlantis" in page
    assert _skeleton.cache_info().currsize == first
