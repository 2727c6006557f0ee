"""The questionnaire in Debian's Chromium: keyboard only, print, axe-core, privacy."""

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from app.questions import PAGES

from ..conftest import HEALTH, PROFILE_OUTCOMES, PROFILES

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
        elif page.locator(f'select[name="{name}"]').count():
            tab_to(page, f'select[name="{name}"]')
            page.keyboard.type(value)  # a closed list picks the option typed
            assert page.eval_on_selector(f'select[name="{name}"]', "s => s.value") == value
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
        if page.locator(f'select[name="{name}"]').count():
            page.select_option(f'select[name="{name}"]', value)
        elif field.first.get_attribute("type") == "radio":
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
    with page.expect_navigation():  # the title is read from the page the post returns
        page.click('button:has-text("Continue")')
    assert page.title().startswith("Error:")
    page.focus("body")
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "age"


#: Every caution of the contract at once: the longest handout.
WORST = {**HEAVY, "other-health": dict.fromkeys(HEALTH, "yes")}

#: Text a neurologist needs on paper: the references in full and the registry addresses.
ON_PAPER = ["References", "Nat Rev Neurol 2025;21(3):140", "https://doi.org/",
            "clinicaltrials.gov/search?cond=", "euclinicaltrials.eu", "isrctn.com/search?q=",
            "clinicaltrials.gov/study/NCT04047628", "Criteria version 2026.12",
            "Answers given on Nov 21, 2026"]


@pytest.mark.parametrize("path", ["/summary", "/summary/print"])
def test_the_worst_case_summary_prints_on_two_a4_pages_at_11_pt(page, output_dir, path):
    complete(page, WORST)
    page.goto(path)
    assert page.locator("[data-caution]").count() == 12
    page.emulate_media(media="print")
    for hidden in [".site-header", ".site-footer", ".back-link", ".actions", "form",
                   "button", ".button"]:
        for element in page.locator(hidden).all():
            assert not element.is_visible(), hidden
    assert page.locator('[data-glance]').first.is_visible()
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        'main p, main li:not(.references li), main dd')]
        .filter(e => e.offsetParent !== null && e.textContent.trim())
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 11 * 96 / 72 - 0.01, f"body text at {smallest * 72 / 96:.1f} pt"
    pdf = page.pdf(format="A4", print_background=True)
    name = "handout.pdf" if path.endswith("print") else "summary.pdf"
    (output_dir / name).write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2, f"the printed summary has {len(reader.pages)} pages"
    text = " ".join(page_.extract_text() for page_ in reader.pages)
    text = re.sub(r"\s+", "", text)
    for part in ON_PAPER:
        assert re.sub(r"\s+", "", part) in text, part
    first_page = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "Thesixpointsataglance" in first_page




@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_the_six_points_are_in_the_first_screen_of_the_summary(page, output_dir, profile,
                                                                width, height):
    page.set_viewport_size({"width": width, "height": height})
    complete(page, PROFILES[profile])
    page.goto("/summary")
    assert page.get_attribute("[data-outcome]", "data-outcome") == PROFILE_OUTCOMES[profile]
    path = output_dir / f"summary-{profile}-{width}x{height}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(output_dir / f"summary-{profile}-{width}x{height}-full.png"),
                    full_page=True)
    rows = page.locator("[data-glance]")
    assert rows.count() == 6
    last = rows.nth(5).bounding_box()
    assert last["y"] + last["height"] <= height, "the six points fit the first screen"
    text = page.inner_text("main")
    assert "not_met" not in text and "status:" not in text, "no machine codes for people"
    if profile == "all-not-met-heart":
        assert "on all 6 points" in text
        assert page.locator("#what-now").bounding_box()["y"] < \
            page.locator("#cautions").bounding_box()["y"]


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
    with page.expect_navigation():
        page.click('button:has-text("Continue")')
    assert page.title().startswith("Error:")
    assert _axe_violations(page) == [], "error state"
    page.fill("#age", "50")
    with page.expect_navigation():
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
    sample = SAMPLE.read_text()
    row = "one relapse with new MRI activity,40,rrms,6,1,yes,1,yes,yes,,unaided_far,no,no,no,no,,"
    assert row + "matches," in sample
    failing.write_text(sample.replace(row + "matches,", row + "does_not_match,"))
    rows = len(sample.strip().splitlines()) - 1
    page.set_input_files("#table_file", str(failing))
    with page.expect_navigation():
        page.click('button:has-text("Check the table")')
    assert f"{rows - 1} passed, 1 failed" in page.inner_text("main")
    first = page.locator("tbody tr").first
    assert first.get_attribute("data-result") == "fail" and "Fail" in first.inner_text()
    assert "expected does_not_match, got matches" in first.inner_text()
    assert _axe_violations(page) == [], "results page"
    with page.expect_download() as download:
        page.click('button:has-text("Download the evaluated table")')
    saved = tmp_path / "evaluated.csv"
    download.value.save_as(saved)
    assert saved.read_text().splitlines()[2].startswith(row + "matches,")

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
    # No high-efficacy treatment was taken, so the treatment point is not met (2026.12).
    assert page.get_attribute("[data-outcome]", "data-outcome") == "does_not_match"
    assert all(status < 400 for status, _ in statuses), [s for s in statuses if s[0] >= 400]


def test_axe_finds_no_violations_on_the_privacy_accessibility_criteria_and_error_pages(page):
    for path in ("/privacy", "/accessibility", "/criteria", "/no-such-page"):
        page.goto(path)
        assert _axe_violations(page) == [], path


# Question pages for tired hands and eyes (issue 11): touch targets, start page, start
# again, rule tables.

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

#: Every control a person uses to move through the flow, and what it is called.
FLOW_CONTROLS = {
    "radio option (its label)": ".radio label",
    "radio row": ".radio",
    "button": "main button, main .button",
    "back link": ".back-link",
    "Change link": ".summary-action a",
    "save link": 'main a[href="/answers.json"]',
    "start again link": 'main a[href^="/start-again"]',
    "text box or list": 'main input:not([type="hidden"]):not([type="radio"]), main select',
    "footer link": ".footer-links a",
    "summary action": ".actions a",
    "point at a glance": ".glance li",
}


def _too_small(page):
    """Flow controls on this page smaller than 44 by 44 CSS pixels, with their sizes."""
    small = []
    for name, selector in FLOW_CONTROLS.items():
        for box in page.eval_on_selector_all(selector, """els => els.map(e => {
                const r = e.getBoundingClientRect();
                return [e.textContent.trim().slice(0, 40), r.width, r.height];
            })"""):
            if box[1] < 44 or box[2] < 44:
                small.append((name, *box))
    return small


def test_every_flow_control_is_at_least_44_px_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto("/questions/about-you")
    seen = set()
    while "/questions/" in page.url:
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        assert _too_small(page) == [], slug
        seen.update(name for name, selector in FLOW_CONTROLS.items()
                    if page.locator(selector).count())
        answer_by_mouse(page, HEAVY[slug])
    assert page.url.endswith("/check")
    assert _too_small(page) == [], "check your answers"
    seen.update(name for name, selector in FLOW_CONTROLS.items()
                if page.locator(selector).count())
    page.goto("/summary")
    assert _too_small(page) == [], "summary"
    seen.update(name for name, selector in FLOW_CONTROLS.items()
                if page.locator(selector).count())
    assert seen == set(FLOW_CONTROLS), "every kind of control was measured"


def test_the_whole_row_of_a_radio_picks_it(page):
    page.set_viewport_size(PHONE)
    page.goto("/questions/about-you")
    answer_by_mouse(page, {"age": "40"})
    row = page.locator(".radio").nth(1)
    box = row.bounding_box()
    # the far right of the row, beyond the words of the label
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)
    assert page.is_checked("#ms_type-1")
    # the gap between the circle and the words
    first = page.locator(".radio").first.bounding_box()
    page.mouse.click(first["x"] + 1, first["y"] + first["height"] - 2)
    assert page.is_checked("#ms_type-0")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone 390x844", "screen 1280x800"])
def test_start_now_is_in_the_first_viewport(page, size):
    page.set_viewport_size(size)
    page.goto("/")
    box = page.locator("a.button-start").bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box


def test_start_again_is_confirmed_on_its_own_page_by_keyboard_only(page):
    complete(page, HEAVY)
    page.focus("body")
    tab_to(page, 'a[href^="/start-again"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/start-again"
    assert page.inner_text("h1") == "Clear your answers and start again?"
    assert _axe_violations(page) == [], "start again"
    tab_to(page, 'main a[href="/check"]')
    assert page.evaluate("document.activeElement.textContent") == "No, go back"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/check") and "United Kingdom" in page.inner_text("main")
    page.focus("body")
    tab_to(page, 'a[href^="/start-again"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "main button#submit")
    assert page.evaluate("document.activeElement.textContent") == "Yes, clear my answers"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/"
    assert "Your answers have been cleared" in page.inner_text("main")
    page.goto("/check")
    assert page.url.endswith("/questions/about-you")


def _no_sideways_scroll(page):
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= window.innerWidth")


def test_the_reason_of_a_failing_table_row_fits_the_screen(page, tmp_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/tables")
    failing = tmp_path / "failing.csv"
    failing.write_text(
        "case,age,relapses_12m,new_mri_activity_12m,expect_age_range,"
        "expect_inflammatory_activity,expect_outcome,expect_cautions\n"
        "older_person_with_one_relapse_and_a_quiet_mri_expected_to_match_everywhere,"
        "60,1,no,met,met,matches,none\n")
    page.set_input_files("#table_file", str(failing))
    with page.expect_navigation():
        page.click('button:has-text("Check the table")')
    assert "0 passed, 1 failed" in page.inner_text("main")
    why = page.locator('tr[data-result="fail"] .why').first
    assert "Why:" in why.inner_text()
    box = why.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], box
    assert _no_sideways_scroll(page)
    assert page.eval_on_selector(".table-wrap", "e => e.scrollWidth <= e.clientWidth"), \
        "the results box does not scroll sideways either"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone 390x844", "screen 1280x800"])
def test_a_semicolon_table_gets_its_message_without_widening_the_page(page, tmp_path, size):
    page.set_viewport_size(size)
    page.goto("/tables")
    header = SAMPLE.read_text().splitlines()[0]
    table = tmp_path / "semicolons.csv"
    table.write_text(header.replace(",", ";") + "\n" + "x;" * 20 + "\n")
    page.set_input_files("#table_file", str(table))
    with page.expect_navigation():
        page.click('button:has-text("Check the table")')
    assert "columns must be separated by commas" in page.inner_text(".problems")
    assert _no_sideways_scroll(page)
