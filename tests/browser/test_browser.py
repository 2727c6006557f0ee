"""The questionnaire in Debian's Chromium: keyboard only, print, axe-core, privacy."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.questions import PAGES

from ..conftest import HEALTH

pytestmark = pytest.mark.browser

#: Page answers as keys pressed: text to type, or the index of the radio to choose.
KEYBOARD_ANSWERS = {
    "about-you": {"age": "34"},
    "diagnosis": {"ms_type": 0, "diagnosis_year": "2021"},
    "recent-activity": {"relapses_12m": "2", "new_mri_activity_12m": 0},
    "treatments": {"dmt_count": "2"},
    "treatment-history": {"activity_on_dmt": 0, "high_efficacy_dmt": 0},
    "walking": {"walking": 0, "edss": ""},
    "other-health": dict.fromkeys(HEALTH, 1),
    "family-plans": {"pregnant": 1, "wants_children": 1},
    "country": {"country": "France"},
}

#: The longest summary: many cautions, criteria not met and unknown.
HEAVY = {
    "about-you": {"age": "50"},
    "diagnosis": {"ms_type": "spms", "diagnosis_year": "2012"},
    "recent-activity": {"relapses_12m": "1", "new_mri_activity_12m": "unsure"},
    "treatments": {"dmt_count": "1"},
    "treatment-history": {"activity_on_dmt": "unsure", "high_efficacy_dmt": "no"},
    "walking": {"walking": "one_aid", "edss": ""},
    "other-health": dict.fromkeys(HEALTH, "yes"),
    "family-plans": {"pregnant": "yes", "wants_children": "yes"},
    "country": {"country": "United Kingdom"},
}


def tab_to(page, selector, limit=60):
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def answer_by_keyboard(page, answers):
    for name, value in answers.items():
        if isinstance(value, int):
            tab_to(page, f'input[name="{name}"]')
            if value == 0:
                page.keyboard.press("Space")
            for _ in range(value):
                page.keyboard.press("ArrowDown")
        else:
            tab_to(page, f'input[name="{name}"]')
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
    tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer_by_mouse(page, answers):
    for name, value in answers.items():
        field = page.locator(f'[name="{name}"]')
        if field.first.get_attribute("type") == "radio":
            page.check(f'input[name="{name}"][value="{value}"]')
        else:
            field.fill(value)
    with page.expect_navigation():
        page.click('button:has-text("Continue")')


def complete(page, answers):
    page.goto("/questions/about-you")
    while "/questions/" in page.url:
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        answer_by_mouse(page, answers[slug])
    assert page.url.endswith("/check")


def test_the_whole_flow_works_with_the_keyboard_only(page):
    page.goto("/")
    tab_to(page, "a.button-start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    while "/questions/" in page.url:
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        answer_by_keyboard(page, KEYBOARD_ANSWERS[slug])
    assert page.url.endswith("/check")
    assert "France" in page.inner_text("main")
    tab_to(page, 'a[href="/summary"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "matches"


def test_an_error_summary_link_moves_focus_to_the_field_by_keyboard(page):
    page.goto("/questions/about-you")
    page.fill("#age", "old")
    page.click('button:has-text("Continue")')
    assert page.title().startswith("Error:")
    page.focus("body")
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "age"


def test_the_printed_summary_fits_two_a4_pages_without_navigation_or_buttons(page, output_dir):
    complete(page, HEAVY)
    page.goto("/summary")
    assert page.locator("[data-caution]").count() == 11
    page.emulate_media(media="print")
    for hidden in [".site-header", ".site-footer", ".back-link", ".actions", "form",
                   "button", ".button"]:
        for element in page.locator(hidden).all():
            assert not element.is_visible(), hidden
    pdf = page.pdf(format="A4", print_background=True)
    (output_dir / "summary.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, f"the printed summary has {pages} pages"


def test_a_screenshot_of_the_summary_is_saved(page, output_dir):
    complete(page, {slug: {name: ("yes" if value == 0 else "no") if isinstance(value, int)
                           else value for name, value in answers.items()}
                    for slug, answers in KEYBOARD_ANSWERS.items()} | {
        "diagnosis": {"ms_type": "rrms", "diagnosis_year": "2021"},
        "walking": {"walking": "unaided_far", "edss": ""}})
    page.goto("/summary")
    path = output_dir / "summary.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def _axe_violations(page):
    results = Axe().run(page)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
            for v in results.response["violations"]]


def test_axe_finds_no_violations_on_any_page(page):
    checked = []
    page.goto("/")
    assert _axe_violations(page) == [], "start page"
    checked.append("/")
    page.goto("/questions/about-you")
    page.fill("#age", "abc")
    page.click('button:has-text("Continue")')
    assert page.title().startswith("Error:")
    assert _axe_violations(page) == [], "error state"
    page.fill("#age", "50")
    page.click('button:has-text("Continue")')
    while "/questions/" in page.url:
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        assert _axe_violations(page) == [], slug
        checked.append(slug)
        answer_by_mouse(page, HEAVY[slug])
    assert _axe_violations(page) == [], "check your answers"
    page.goto("/summary")
    assert _axe_violations(page) == [], "summary"
    assert set(checked[1:]) == {p.slug for p in PAGES[1:]}


def test_no_page_asks_any_other_host_for_anything(page, live_server):
    page.goto("/")
    complete(page, HEAVY)
    page.goto("/summary")
    assert page.requests, "requests were recorded"
    others = [url for url in page.requests if not url.startswith(live_server)]
    assert others == []


def test_the_error_summary_takes_focus_when_the_page_shows_errors(page):
    page.goto("/questions/about-you")
    page.fill("#age", "1000")
    with page.expect_navigation():
        page.click('button:has-text("Continue")')
    # The browser runs autofocus just after the page is shown, not at once: wait for it
    # (this fails after 5 seconds if focus never arrives).
    page.wait_for_function("document.activeElement.className === 'error-summary'",
                           timeout=5000)


SAMPLE = Path(__file__).resolve().parent.parent.parent / "static" / "sample-rule-table.csv"


def test_a_tester_uploads_rule_tables_and_downloads_the_results(page, tmp_path):
    page.goto("/tables")
    assert _axe_violations(page) == [], "tables page"
    failing = tmp_path / "failing.csv"
    failing.write_text(SAMPLE.read_text().replace(
        "secondary progressive MS,50,spms,8,2,yes,3,yes,yes,4.0,,no,no,no,does_not_match",
        "secondary progressive MS,50,spms,8,2,yes,3,yes,yes,4.0,,no,no,no,matches"))
    page.set_input_files("#table_file", str(failing))
    with page.expect_navigation():
        page.click('button:has-text("Check the table")')
    assert "7 passed, 1 failed" in page.inner_text("main")
    first = page.locator("tbody tr").first
    assert first.get_attribute("data-result") == "fail" and "Fail" in first.inner_text()
    assert "expected matches, got does_not_match" in first.inner_text()
    assert _axe_violations(page) == [], "results page"
    with page.expect_download() as download:
        page.click('button:has-text("Download the evaluated table")')
    saved = tmp_path / "evaluated.csv"
    download.value.save_as(saved)
    assert "does_not_match" in saved.read_text().splitlines()[4]

    bad = tmp_path / "bad.csv"
    bad.write_text("age,agee\n30,1\n")
    page.set_input_files("#table_file", str(bad))
    with page.expect_navigation():
        page.click('button:has-text("Check the table")')
    assert page.title().startswith("Error:")
    assert "line 1, column 'agee': unknown column" in page.inner_text(".problems")
    assert _axe_violations(page) == [], "bad table"


def test_back_forward_and_refresh_never_lose_an_answer_or_show_an_error(page):
    statuses = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    page.goto("/questions/about-you")
    answer_by_mouse(page, {"age": "44"})
    answer_by_mouse(page, {"ms_type": "rrms", "diagnosis_year": "2020"})
    assert page.url.endswith("/questions/recent-activity")
    page.go_back()
    assert page.url.endswith("/questions/diagnosis")
    assert page.is_checked('input[name="ms_type"][value="rrms"]')
    assert page.input_value("#diagnosis_year") == "2020"
    page.go_back()
    assert page.input_value("#age") == "44"
    page.reload()
    assert page.input_value("#age") == "44"
    page.go_forward()
    page.go_forward()
    assert page.url.endswith("/questions/recent-activity")
    page.reload()
    answer_by_mouse(page, {"relapses_12m": "2", "new_mri_activity_12m": "yes"})
    while "/questions/" in page.url:
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        answer_by_mouse(page, HEAVY[slug])
    page.goto("/summary")
    page.reload()
    page.go_back()
    assert page.url.endswith("/check")
    assert "2020" in page.inner_text("main") and "44" in page.inner_text("main")
    page.go_forward()
    # Activity on treatment was "not sure", so the treatment point is unknown.
    assert page.get_attribute("[data-outcome]", "data-outcome") == "unclear"
    assert all(status < 400 for status, _ in statuses), [s for s in statuses if s[0] >= 400]


def test_axe_finds_no_violations_on_the_privacy_accessibility_criteria_and_error_pages(page):
    for path in ("/privacy", "/accessibility", "/criteria", "/no-such-page"):
        page.goto(path)
        assert _axe_violations(page) == [], path
