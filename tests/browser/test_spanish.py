"""The whole questionnaire in Spanish in Debian's Chromium: keyboard only, axe-core, and
the worst-case handout on at most two A4 pages."""

import io
import re
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from app.questions import PAGES

from .test_browser import HEAVY, WORST, _axe_violations, tab_to
from .test_browser import KEYBOARD_ANSWERS as ENGLISH_KEYBOARD_ANSWERS

pytestmark = pytest.mark.browser

#: The keyboard answers of the English walk, with the EDSS written with a decimal comma
#: and the country typed as Spanish lists it.
KEYBOARD_ANSWERS = {
    **ENGLISH_KEYBOARD_ANSWERS,
    "walking": {"walking": 0, "edss": "3,5"},
    "country": {"country": ("Francia", "France")},
}


def _in_spanish(page):
    """Choose Spanish with the language link, as a person would, by keyboard."""
    page.goto("/")
    tab_to(page, 'a[hreflang="es"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "es"


def _answer_by_keyboard(page, answers):
    for name, value in answers.items():
        if isinstance(value, int):
            tab_to(page, f'input[name="{name}"]')
            if value == 0:
                page.keyboard.press("Space")
            for _ in range(value):
                page.keyboard.press("ArrowDown")
        elif isinstance(value, tuple):
            shown, code = value
            tab_to(page, f'select[name="{name}"]')
            page.keyboard.type(shown)
            assert page.eval_on_selector(f'select[name="{name}"]', "s => s.value") == code
        else:
            tab_to(page, f'input[name="{name}"]')
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
    tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_flow_works_in_spanish_with_the_keyboard_only(page):
    _in_spanish(page)
    tab_to(page, "a.button-start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(len(PAGES) + 1):
        if "/questions/" not in page.url:
            break
        assert page.get_attribute("html", "lang") == "es"
        assert not page.locator(".error-summary").count(), page.inner_text(".error-summary")
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        _answer_by_keyboard(page, KEYBOARD_ANSWERS[slug])
    assert page.url.endswith("/check")
    main = page.inner_text("main")
    assert "Francia" in main and "3,5" in main
    tab_to(page, 'a[href="/summary"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "matches"
    assert "Sus respuestas coinciden con los 6 puntos" in page.inner_text("main")


def test_axe_finds_no_violations_on_any_spanish_page(page):
    _in_spanish(page)
    assert _axe_violations(page) == [], "start page"
    page.goto("/questions/about-you")
    page.fill("#age", "abc")
    with page.expect_navigation():
        page.click("#submit")
    assert page.title().startswith("Error:")
    assert _axe_violations(page) == [], "error state"
    page.fill("#age", "50")
    with page.expect_navigation():
        page.click("#submit")
    checked = []
    for _ in range(len(PAGES)):
        if "/questions/" not in page.url:
            break
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        assert _axe_violations(page) == [], slug
        checked.append(slug)
        answer_by_mouse_in_spanish(page, HEAVY[slug])
    assert set(checked) == {p.slug for p in PAGES[1:]}
    for path in ("/check", "/summary", "/summary/print", "/privacy", "/accessibility",
                 "/criteria", "/tables", "/start-again"):
        page.goto(path)
        assert page.get_attribute("html", "lang") == "es", path
        assert _axe_violations(page) == [], path


def answer_by_mouse_in_spanish(page, answers):
    """``answer_by_mouse``, pressing the Spanish button."""
    for name, value in answers.items():
        if page.locator(f'select[name="{name}"]').count():
            page.select_option(f'select[name="{name}"]', value)
        elif page.locator(f'[name="{name}"]').first.get_attribute("type") == "radio":
            page.check(f'input[name="{name}"][value="{value}"]')
        else:
            page.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        page.click("#submit")


#: What a neurologist needs on the Spanish handout: the references (in their own
#: language), the registry addresses, and the dates in Spanish.
ON_PAPER = ["Referencias", "Nat Rev Neurol 2025;21(3):140", "https://doi.org/",
            "clinicaltrials.gov/search?cond=", "euclinicaltrials.eu", "lang=es",
            "clinicaltrials.gov/study/NCT04047628", "Criterios 2026.12",
            "Respuestas del 21 nov 2026",
            "Esta traducción aún no la ha revisado un profesional clínico."]


@pytest.mark.parametrize("path", ["/summary", "/summary/print"])
def test_the_worst_case_spanish_summary_prints_on_two_a4_pages(page, output_dir, path):
    _in_spanish(page)
    complete_in_spanish(page)
    page.goto(path)
    assert page.locator("[data-caution]").count() == 12
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    name = "handout-es.pdf" if path.endswith("print") else "summary-es.pdf"
    (output_dir / name).write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2, f"the printed summary has {len(reader.pages)} pages"
    text = re.sub(r"\s+", "", " ".join(page_.extract_text() for page_ in reader.pages))
    for part in ON_PAPER:
        assert re.sub(r"\s+", "", part) in text, part
    assert "Losseispuntosdeunvistazo" in re.sub(r"\s+", "", reader.pages[0].extract_text())


def complete_in_spanish(page):
    page.goto("/questions/about-you")
    for _ in range(len(PAGES)):
        if "/questions/" not in page.url:
            break
        slug = urlsplit(page.url).path.rsplit("/", 1)[1]
        answer_by_mouse_in_spanish(page, WORST[slug])
    assert page.url.endswith("/check")

