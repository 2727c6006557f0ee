"""Fixtures: the app built through its factory, a client, and a helper that answers pages."""

from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import create_app

TODAY = date(2026, 11, 21)

HEALTH = ("heart_disease", "lung_disease", "kidney_disease", "liver_disease",
          "active_infection", "cancer_history", "prior_chemotherapy")

#: A complete set of page answers that matches the profile on every point.
MATCHING = {
    "about-you": {"age": "34"},
    "diagnosis": {"ms_type": "rrms", "diagnosis_year": "2021"},
    "recent-activity": {"relapses_12m": "2", "new_mri_activity_12m": "yes"},
    "treatments": {"dmt_count": "2"},
    "treatment-history": {"activity_on_dmt": "yes", "high_efficacy_dmt": "yes"},
    "walking": {"walking": "unaided_far", "edss": ""},
    "other-health": dict.fromkeys(HEALTH, "no"),
    "family-plans": {"pregnant": "no", "wants_children": "no"},
    "country": {"country": ""},
}


def pytest_sessionstart(session):
    """Compile any catalogue newer than its .mo (``make test`` does it too; this is for
    a bare ``pytest`` after editing a translation)."""
    for po in (Path(__file__).resolve().parent.parent / "translations").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


#: The three profiles of issue 11: every point met; every point unknown; every point
#: not met, with heart disease.
PROFILES = {
    "all-met": MATCHING,
    "all-unknown": {
        "about-you": {"age": ""},
        "diagnosis": {"ms_type": "unsure", "diagnosis_year": ""},
        "recent-activity": {"relapses_12m": "", "new_mri_activity_12m": "unsure"},
        "treatments": {"dmt_count": ""},
        "treatment-history": {"activity_on_dmt": "unsure", "high_efficacy_dmt": "unsure"},
        "walking": {"walking": "unsure", "edss": ""},
        "other-health": dict.fromkeys(HEALTH, "unsure"),
        "family-plans": {"pregnant": "unsure", "wants_children": "unsure"},
        "country": {"country": ""},
    },
    "all-not-met-heart": {
        "about-you": {"age": "58"},
        "diagnosis": {"ms_type": "ppms", "diagnosis_year": "2000"},
        "recent-activity": {"relapses_12m": "0", "new_mri_activity_12m": "no"},
        "treatments": {"dmt_count": "0"},
        "walking": {"walking": "wheelchair", "edss": ""},
        "other-health": {**dict.fromkeys(HEALTH, "no"), "heart_disease": "yes"},
        "family-plans": {"pregnant": "no", "wants_children": "no"},
        "country": {"country": ""},
    },
}
PROFILE_OUTCOMES = {"all-met": "matches", "all-unknown": "unclear",
                    "all-not-met-heart": "does_not_match"}

@pytest.fixture
def app():
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test secret" * 32,
        "WTF_CSRF_ENABLED": False,
        "TODAY": TODAY,
    })


@pytest.fixture
def client(app):
    return app.test_client()


class Flow:
    """Answer question pages the way a person would, one POST per page."""

    def __init__(self, client):
        self.client = client

    def answer(self, slug, data, **query):
        return self.client.post(f"/questions/{slug}", data=data, query_string=query)

    def complete(self, **changes):
        """Answer every page that applies, with MATCHING changed by ``changes`` (by page)."""
        response = None
        slug = "about-you"
        while slug:
            data = {**MATCHING[slug], **changes.get(slug, {})}
            response = self.answer(slug, data)
            assert response.status_code == 302, (slug, response.get_data(as_text=True)[:3000])
            location = response.headers["Location"]
            slug = location.rsplit("/questions/", 1)[1] if "/questions/" in location else None
        return response


@pytest.fixture
def flow(client):
    return Flow(client)
