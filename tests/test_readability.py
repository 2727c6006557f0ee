"""Plain words first: patient-facing texts read at about Flesch-Kincaid grade 8 or below.

Names of treatments, trials, registries and sources are left out, and so are the
precise terms in brackets beside the plain words. One short text is graded with
a little slack (grade 9 at most), because a single sentence with one long word
swings the formula; every page, and all the rules' texts together, must be at
grade 8 or below.
"""

import pytest
import textstat

from .conftest import MATCHING
from .readability import page_text, rules_texts, without_names

RULES_TEXTS = rules_texts()


@pytest.mark.parametrize("key", sorted(RULES_TEXTS))
def test_each_text_of_the_rules_is_plain(key):
    text = without_names(RULES_TEXTS[key])
    assert textstat.flesch_kincaid_grade(text) <= 9.0, text


def test_the_rules_texts_together_read_at_grade_8_or_below():
    text = " ".join(without_names(text) for text in RULES_TEXTS.values())
    assert textstat.flesch_kincaid_grade(text) <= 8.0


def _pages(client):
    yield "start", client.get("/").get_data(as_text=True)
    for slug, data in MATCHING.items():
        yield slug, client.get(f"/questions/{slug}").get_data(as_text=True)
        client.post(f"/questions/{slug}", data=data)
    yield "check", client.get("/check").get_data(as_text=True)
    yield "summary", client.get("/summary").get_data(as_text=True)
    yield "privacy", client.get("/privacy").get_data(as_text=True)
    yield "accessibility", client.get("/accessibility").get_data(as_text=True)


def test_every_page_reads_at_grade_8_or_below(client):
    pages = dict(_pages(client))
    assert len(pages) == 14
    for name, html in pages.items():
        text = without_names(page_text(html))
        assert len(text) > 40, name
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= 8.0, f"{name}: grade {grade}"
