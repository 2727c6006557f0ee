"""The questionnaire in another language: choice of language, completeness of the
catalogue, right-to-left layout, and results that never depend on the language."""

import json
import re
from datetime import date
from html import unescape
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import create_app
from rules import content
from rules.messages import messages

from .conftest import MATCHING, TODAY, Flow

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "translations" / "messages.pot"
SPANISH = ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
#: The pseudo-locale: Esperanto's code, with every message wrapped in these marks.
PSEUDO, OPEN, CLOSE = "eo", "⟦", "⟧"

#: Answers that reach every kind of summary: matching, not matching, not clear with
#: every caution, and a country (a trial search narrowed to it).
SUMMARIES = {
    "matching": {},
    "not matching": {"about-you": {"age": "60"}, "walking": {"edss": "6.5"},
                     "country": {"country": "France"}},
    "not clear, every caution": {
        "about-you": {"age": "50"},
        "diagnosis": {"ms_type": "spms", "diagnosis_year": ""},
        "recent-activity": {"relapses_12m": "", "new_mri_activity_12m": "unsure"},
        "treatments": {"dmt_count": ""},
        "treatment-history": {"activity_on_dmt": "unsure", "high_efficacy_dmt": "unsure"},
        "walking": {"walking": "one_aid", "edss": ""},
        "other-health": dict.fromkeys(MATCHING["other-health"], "yes"),
        "family-plans": {"pregnant": "yes", "wants_children": "yes"},
    },
    "nothing known": {
        "about-you": {"age": ""},
        "diagnosis": {"ms_type": "unsure", "diagnosis_year": ""},
        "recent-activity": {"relapses_12m": "", "new_mri_activity_12m": "unsure"},
        "treatments": {"dmt_count": "0"},
        "walking": {"walking": "unsure", "edss": ""},
        "other-health": dict.fromkeys(MATCHING["other-health"], "unsure"),
        "family-plans": {"pregnant": "unsure", "wants_children": "unsure"},
    },
}


def _app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": "test secret" * 32,
                       "WTF_CSRF_ENABLED": False, "TODAY": TODAY, **config})


def _spanish_client(app):
    client = app.test_client()
    client.get("/language/es?next=/")
    return client


def _page(response) -> str:
    return response.get_data(as_text=True)


# --- Choosing the language ----------------------------------------------------------------


def test_the_language_comes_from_the_browser_when_none_is_chosen(client):
    html = _page(client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}))
    assert '<html lang="es" dir="ltr">' in html
    assert "¿Podría el TAPH ser una opción para mi EM?" in html


def test_english_is_the_default_for_a_language_not_offered(client):
    html = _page(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}))
    assert '<html lang="en" dir="ltr">' in html


def test_the_language_link_overrides_the_browser_and_is_kept_for_the_visit(client):
    spanish_browser = {"Accept-Language": "es"}
    response = client.get("/language/en?next=/privacy", headers=spanish_browser)
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"
    for path in ("/privacy", "/", "/questions/about-you"):
        assert '<html lang="en"' in _page(client.get(path, headers=spanish_browser))
    client.get("/language/es?next=/")
    assert '<html lang="es"' in _page(client.get("/accessibility"))


#: Every kind of page a person can be on when they switch language.
SWITCHED_ON = ["/", "/privacy", "/accessibility", "/criteria", "/tables", "/no-such-page",
               *(f"/questions/{slug}" for slug in MATCHING), "/questions/walking?from=check",
               "/check", "/summary", "/summary/print", "/start-again?from=check"]


def test_every_page_has_a_link_to_each_other_language_back_to_the_same_page(app):
    client = app.test_client()
    Flow(client).complete()
    languages = app.config["LANGUAGES"]
    assert len(languages) >= 2
    for language in languages:
        others = {code: name for code, name in languages.items() if code != language}
        for path in SWITCHED_ON:
            client.get(f"/language/{language}")
            html = _page(client.get(path))
            assert f'<html lang="{language}"' in html, path
            for code, name in others.items():
                links = re.findall(rf'<a href="([^"]+)" lang="{code}" hreflang="{code}">'
                                   rf"{name}</a>", html)
                assert len(links) == 1, (language, path, code)
                back = client.get(unescape(links[0]))
                assert back.status_code == 302 and back.headers["Location"] == path, (
                    language, path, code)
                assert f'<html lang="{code}"' in _page(client.get(path)), (path, code)


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/", "/\\example.org",
                                    "javascript:alert(1)", "", "privacy"])
def test_the_language_link_only_returns_to_a_page_of_this_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    client.get("/language/xx?next=/")
    assert '<html lang="en"' in _page(client.get("/"))


def test_the_language_survives_start_again_but_the_answers_do_not(app):
    client = _spanish_client(app)
    Flow(client).complete()
    response = client.post("/start-again", follow_redirects=True)
    assert "Se han borrado sus respuestas." in _page(response)
    assert client.get("/check").status_code == 302


def test_the_spanish_pages_say_in_both_languages_that_no_clinician_has_reviewed_them(app, client):
    html = _page(_spanish_client(app).get("/"))
    assert "Esta traducción aún no la ha revisado un profesional clínico." in html
    assert '<span lang="en">This translation has not yet been reviewed by a clinician.' in html
    assert "data-translation-note" not in _page(client.get("/"))


# --- The Spanish pages -------------------------------------------------------------------


def test_the_spanish_summary_uses_spanish_dates_numbers_and_registry_pages(app):
    client = _spanish_client(app)
    Flow(client).complete(**SUMMARIES["not matching"])
    html = _page(client.get("/summary"))
    assert "2 de diciembre de 2026" in html          # sources checked, in Spanish words
    assert "Su puntuación EDSS es 6,5" in html        # the decimal comma
    assert "EDSS de 6,0 o menos" in html
    assert "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=es" in html
    assert "country=France" in html                   # the registry still gets the code
    assert ">ClinicalTrials.gov: ensayos que reclutan o reclutarán en Francia<" in html


def test_a_spanish_error_message_is_in_spanish_everywhere_it_is_shown(app):
    client = _spanish_client(app)
    html = _page(client.post("/questions/about-you", data={"age": "abc"}))
    assert "<title>Error: ¿Cuántos años tiene?" in html
    assert html.count("Escriba su edad en años enteros") == 2   # summary and beside the field


def test_a_damaged_answers_file_is_explained_in_spanish(app):
    client = _spanish_client(app)
    document = {"format": "hsct-ms-screening-answers", "version": 1,
                "answers": {"age": "many", "ms_type": ["rrms"]}}
    saved = json.dumps(document).encode()
    response = client.post("/resume", data={"answers_file": (BytesIO(saved), "a.json")},
                           content_type="multipart/form-data")
    html = _page(response)
    assert "El archivo se ha cambiado o está dañado: la respuesta a «Edad», " in html
    assert "la respuesta a «Tipo de EM» no es texto ni un número" in html


def test_a_decimal_comma_is_not_needed_but_the_answer_reads_with_one(app):
    client = _spanish_client(app)
    Flow(client).complete(walking={"edss": "3.5"})
    assert ">3,5<" in _page(client.get("/check"))


def test_an_answers_file_saved_in_spanish_is_the_same_file_and_loads_in_english(app):
    spanish, english = _spanish_client(app), app.test_client()
    for client in (spanish, english):
        Flow(client).complete(**SUMMARIES["not clear, every caution"])
    saved = spanish.get("/answers.json").get_data()
    assert json.loads(saved)["answers"] == json.loads(english.get("/answers.json").get_data())[
        "answers"]
    fresh = app.test_client()
    response = fresh.post("/resume", data={"answers_file": (BytesIO(saved), "answers.json")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    assert _results(_page(fresh.get("/summary"))) == _results(_page(english.get("/summary")))


def _results(html: str):
    return (re.search(r'data-outcome="(\w+)"', html).group(1),
            re.findall(r'data-criterion="(\w+)" data-status="(\w+)"', html),
            re.findall(r'data-caution="(\w+)"', html))


@pytest.mark.parametrize("answers", list(SUMMARIES.values()), ids=list(SUMMARIES))
def test_web_api_and_fhir_give_the_same_results_whatever_the_language(app, answers):
    english, spanish = app.test_client(), _spanish_client(app)
    for client in (english, spanish):
        Flow(client).complete(**answers)
    assert _results(_page(spanish.get("/summary"))) == _results(_page(english.get("/summary")))
    for path in ("/answers.json", "/fhir/QuestionnaireResponse"):
        assert _without_time(spanish.get(path).get_json()) == \
            _without_time(english.get(path).get_json())
    body = {"age": 50, "ms_type": "spms", "walking": "one_aid", "pregnant": "yes"}
    answers_in = [english.post("/api/v1/assessments", json=body,
                               headers={"Accept-Language": language}).get_json()
                  for language in ("en", "es")]
    assert answers_in[0] == answers_in[1]


def _without_time(document):
    """A download with its moment of making left out."""
    text = json.dumps(document)
    return re.sub(r'"\d{4}-\d\d-\d\dT[^"]*"', '"TIME"', text)


def test_the_rule_table_page_gives_the_same_results_in_spanish(app):
    sample = (ROOT / "static" / "sample-rule-table.csv").read_bytes()
    pages = []
    for client in (app.test_client(), _spanish_client(app)):
        response = client.post("/tables", data={"table_file": (BytesIO(sample), "t.csv")},
                               content_type="multipart/form-data")
        pages.append(re.findall(r'data-line="(\d+)" data-result="(\w+)"', _page(response)))
    assert pages[0] and pages[0] == pages[1]


# --- The catalogue is complete -----------------------------------------------------------


def test_every_message_extracted_from_the_code_is_in_the_template():
    """``make messages`` has been run: every declared rules message is in messages.pot."""
    with POT.open("rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    assert [text for text in messages() if text not in template] == []


def test_every_message_has_a_spanish_translation_with_the_same_placeholders_and_figures():
    with SPANISH.open("rb") as handle:
        catalogue = read_po(handle, locale="es")
    with POT.open("rb") as handle:
        template = [message.id for message in read_po(handle) if message.id]
    problems = []
    for msgid in template:
        message = catalogue.get(msgid)
        if message is None or not message.string or message.fuzzy:
            problems.append(("untranslated", msgid))
            continue
        if _placeholders(msgid) != _placeholders(message.string):
            problems.append(("placeholders differ", msgid))
        if sorted(re.findall(r"\d+", msgid)) != sorted(re.findall(r"\d+", message.string)):
            problems.append(("figures differ", msgid))
    assert problems == []


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^}]*\}|%\(\w+\)s|%%", text))


@pytest.fixture(scope="module")
def pseudo_translations(tmp_path_factory):
    """A catalogue for the pseudo-locale in which every message is wrapped in marks."""
    directory = tmp_path_factory.mktemp("translations")
    with POT.open("rb") as handle:
        catalogue = read_po(handle, locale=PSEUDO)
    for message in catalogue:
        if message.id:
            message.string = OPEN + message.id + CLOSE
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return directory


class _VisibleText(HTMLParser):
    """The text a person meets on a page: text nodes, the title and accessible names.

    Left out: anything inside an element marked ``lang="en"`` (English on purpose:
    citations, the bilingual notice, details for testers) or ``translate="no"`` (a
    tester's own case names), code, and the options of the country list (names from
    CLDR, not from our catalogue).
    """

    SKIP = frozenset({"code", "script", "style", "option"})
    VOID = frozenset({"br", "input", "link", "meta", "img", "col", "hr"})

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipping = bool(self.stack and self.stack[-1])
        skip = skipping or tag in self.SKIP or attributes.get("lang") == "en" \
            or attributes.get("translate") == "no"
        for name in ("aria-label", "alt", "title", "placeholder"):
            if attributes.get(name) and not skip:
                self.texts.append(attributes[name])
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data)


def _unmarked(html: str, allowed: set[str]) -> list[str]:
    """Words on the page that did not come through the catalogue."""
    parser = _VisibleText()
    parser.feed(html)
    text = re.sub(r"https?://\S+", " ", " ".join(parser.texts))  # addresses are not words
    for phrase in sorted(allowed, key=len, reverse=True):
        text = text.replace(phrase, " ")
    previous = None
    while previous != text:  # nested messages: a sentence made of translated parts
        previous, text = text, re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    return re.findall(r"[^\W\d_]{2,}", text)


def _allowed_unmarked() -> set[str]:
    """What may appear untranslated: proper names, and what CLDR writes for the locale."""
    locale = Locale.parse(PSEUDO)
    days = [TODAY, date.fromisoformat(content.SOURCES_CHECKED), date(2026, 11, 21)]
    return {
        *(trial.link.title for trial in content.NAMED_TRIALS_DETAIL),
        *(format_date(day, "long", locale=locale) for day in days),
        *locale.territories.values(),  # a country the person chose, named by CLDR
        "English", "Español",  # each language's own name, in the language switch
    }


def _every_page(client) -> dict[str, str]:
    """Every page a person or tester can meet, in the client's language."""
    pages = {path: _page(client.get(path)) for path in
             ("/", "/privacy", "/accessibility", "/criteria", "/tables", "/start-again",
              "/no-such-page")}
    pages["/questions/about-you (error)"] = _page(
        client.post("/questions/about-you", data={"age": "many"}))
    pages["/ (upload error)"] = _page(client.post(
        "/resume", data={"answers_file": (BytesIO(b"{}"), "a.json")},
        content_type="multipart/form-data"))
    sample = (ROOT / "static" / "sample-rule-table.csv").read_bytes()
    pages["/tables (results)"] = _page(client.post(
        "/tables", data={"table_file": (BytesIO(sample), "t.csv")},
        content_type="multipart/form-data"))
    for name, answers in SUMMARIES.items():
        client.post("/start-again")
        flow = Flow(client)
        slug = "about-you"
        while slug:  # every question page, as first shown, on the way
            pages[f"/questions/{slug} ({name})"] = _page(client.get(f"/questions/{slug}"))
            response = flow.answer(slug, {**MATCHING[slug], **answers.get(slug, {})})
            location = response.headers["Location"]
            slug = location.rsplit("/questions/", 1)[1] if "/questions/" in location else None
        for path in ("/check", "/summary", "/summary/print"):
            pages[f"{path} ({name})"] = _page(client.get(path))
    pages["/ (after start again)"] = _page(client.post("/start-again", follow_redirects=True))
    return pages


def test_every_word_on_every_page_comes_from_the_catalogue(pseudo_translations):
    """Rendered in a pseudo-locale whose catalogue marks every message, no page shows a
    word that is not marked: a string someone forgot to mark for translation fails here."""
    app = _app(LANGUAGES={"en": "English", PSEUDO: "Pseudo"},
               BABEL_TRANSLATION_DIRECTORIES=str(pseudo_translations))
    client = app.test_client()
    client.get(f"/language/{PSEUDO}?next=/")
    allowed = _allowed_unmarked()
    pages = _every_page(client)
    assert len(pages) > 40
    unmarked = {path: words for path, html in pages.items()
                if (words := _unmarked(html, allowed))}
    assert unmarked == {}
    for path, html in pages.items():
        assert f'<html lang="{PSEUDO}" dir="ltr">' in html, path
        assert 'class="language-switch' in html, path


# --- Right to left -----------------------------------------------------------------------


def test_a_right_to_left_language_turns_the_page_and_the_css_follows(pseudo_translations):
    """Arabic (no catalogue: the words stay English) gives dir="rtl"; the CSS uses only
    logical properties, so the layout mirrors with it."""
    app = _app(LANGUAGES={"en": "English", "ar": "العربية"})
    client = app.test_client()
    client.get("/language/ar?next=/")
    Flow(client).complete()
    for path in ("/", "/questions/walking", "/check", "/summary", "/summary/print"):
        html = _page(client.get(path))
        assert '<html lang="ar" dir="rtl">' in html, path
    for stylesheet in ("site.css", "print.css"):
        css = (ROOT / "static" / stylesheet).read_text()
        physical = re.findall(r"[\w-]*(?<![\w-])(?:left|right)\b[\w-]*\s*:|"
                              r"text-align:\s*(?:left|right)|float:\s*(?:left|right)", css)
        assert physical == [], stylesheet
    assert "margin-inline-start" in (ROOT / "static" / "site.css").read_text()
