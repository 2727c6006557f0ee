"""Plain words in Spanish too, graded with textstat's Spanish formulas.

Fernández Huerta (FH) and Szigriszt-Pazos (SP, the INFLESZ scale) score from 0
(very hard) to 100 (very easy). A score of 60 or more on FH, and 55 or more on SP,
is "normal": text for readers of about 12 to 14, the level of the English tests'
Flesch-Kincaid grade 8. As in English, names of medicines, trials and registries
and the precise terms in brackets are left out first; each text of at least 12
words is graded with a little slack (FH 55), and every page and all the rules'
texts together must reach FH 60 and SP 55. Very short texts (a question of three
words) are left to the page they sit on, since one long word swings the formula.
"""

import re

import pytest
import textstat

from app import create_app
from app.i18n import translate

from .conftest import MATCHING
from .readability import page_text, rules_texts

#: Names left out before grading: medicines, trials, registries, places.
NAMES = [
    "interferón beta", "acetato de glatirámero", "teriflunomida", "dimetilfumarato",
    "fingolimod", "natalizumab", "ocrelizumab", "ofatumumab", "ublituximab", "alemtuzumab",
    "cladribina", "rituximab", "mitoxantrona", "ciclofosfamida", "globulina antitimocítica",
    "BEAT-MS", "RAM-MS", "StarMS", "HALT-MS", "MIST", "ClinicalTrials.gov", "ISRCTN",
    "JACIE", "G-CSF", "NCT04047628", "NCT03477500", "ISRCTN88667898", "Sheffield",
    "síndrome clínico aislado",
]


def without_names(text: str) -> str:
    for name in NAMES:
        text = re.sub(re.escape(name), "eso", text, flags=re.IGNORECASE)
    text = re.sub(r"\([^)]*\)", "", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(autouse=True)
def spanish_formulas():
    """textstat's language is global: Spanish syllables here, English again after."""
    textstat.set_lang("es")
    yield
    textstat.set_lang("en_US")


@pytest.fixture(scope="module")
def spanish_rules_texts():
    app = create_app({"TESTING": True, "SECRET_KEY": "test secret" * 32})
    with app.test_request_context(headers={"Accept-Language": "es"}):
        return {key: without_names(translate(text)) for key, text in rules_texts().items()}


def test_each_longer_spanish_text_of_the_rules_is_plain(spanish_rules_texts):
    hard = {key: round(textstat.fernandez_huerta(text), 1)
            for key, text in spanish_rules_texts.items()
            if textstat.lexicon_count(text) >= 12 and textstat.fernandez_huerta(text) < 55}
    assert hard == {}


def test_the_spanish_rules_texts_together_read_as_normal_or_easier(spanish_rules_texts):
    text = " ".join(spanish_rules_texts.values())
    assert textstat.fernandez_huerta(text) >= 60
    assert textstat.szigriszt_pazos(text) >= 55


def test_every_spanish_page_reads_as_normal_or_easier(client):
    client.get("/language/es")
    pages = {"start": client.get("/").get_data(as_text=True)}
    for slug, data in MATCHING.items():
        pages[slug] = client.get(f"/questions/{slug}").get_data(as_text=True)
        client.post(f"/questions/{slug}", data=data)
    for path in ("/check", "/summary", "/privacy", "/accessibility"):
        pages[path] = client.get(path).get_data(as_text=True)
    assert len(pages) == 14
    for name, html in pages.items():
        assert '<html lang="es"' in html, name
        text = without_names(page_text(html))
        huerta, pazos = textstat.fernandez_huerta(text), textstat.szigriszt_pazos(text)
        assert huerta >= 60 and pazos >= 55, f"{name}: FH {huerta}, SP {pazos}"
