"""The questionnaire through the Flask test client: pages, branches, errors, summary."""

import re
from html import unescape

import pytest

from app.questions import PAGES, WEB_FIELDS
from rules import FIELDS

from .conftest import HEALTH, MATCHING


def text(response):
    return response.get_data(as_text=True)


def test_the_start_page_says_what_the_tool_is_and_is_not(client):
    page = text(client.get("/"))
    assert "<h1>Could HSCT be an option for my MS?</h1>" in page
    assert "It is not a diagnosis" in page and "It is not a referral" in page
    assert "about 5 minutes" in page and "not stored on our server" in page
    assert 'href="/questions/about-you"' in page and "Start now" in page


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.slug)
def test_every_question_page_shows_its_questions_with_hints_and_not_sure(client, flow, page):
    for earlier in PAGES[:PAGES.index(page)]:
        flow.answer(earlier.slug, MATCHING[earlier.slug])
    html = text(client.get(f"/questions/{page.slug}"))
    assert f"<title>{page.heading}" in html
    assert 'class="back-link"' in html and "novalidate" in html
    for name in page.fields:
        field = WEB_FIELDS[name]
        assert f'name="{name}"' in html
        hint = re.search(rf'<p class="hint" id="{name}-hint">(.*?)</p>', html, re.S)
        assert hint and unescape(hint.group(1)).startswith(field.hint), name
        assert re.search(rf'aria-describedby="{name}-hint"', html), "the hint is read out"
        if "unsure" in field.values:
            assert f'name="{name}" value="unsure"' in html
            assert re.search(rf'for="{name}-{len(field.values) - 1}">Not sure</label>', html)
    assert " required" not in html and 'type="number"' not in html


def test_the_first_page_goes_back_to_the_start_and_later_pages_to_the_previous_one(client, flow):
    assert 'class="back-link" href="/"' in text(client.get("/questions/about-you"))
    flow.answer("about-you", {"age": "30"})
    assert 'class="back-link" href="/questions/about-you"' in text(
        client.get("/questions/diagnosis"))


VALIDATION = [
    ("about-you", {"age": "thirty"}, "age", "Enter your age in whole years, from 0 to 120"),
    ("about-you", {"age": "130"}, "age", "Enter your age in whole years, from 0 to 120"),
    ("about-you", {"age": "30.5"}, "age", "Enter your age in whole years, from 0 to 120"),
    ("diagnosis", {"diagnosis_year": "2020"}, "ms_type", "Select the type of MS you have"),
    ("diagnosis", {"ms_type": "rrms", "diagnosis_year": "20"}, "diagnosis_year",
     "Enter the year you were diagnosed as 4 digits"),
    ("diagnosis", {"ms_type": "rrms", "diagnosis_year": "2030"}, "diagnosis_year",
     "It cannot be later than this year"),
    ("diagnosis", {"ms_type": "relapsing"}, "ms_type", "Select the type of MS you have"),
    ("recent-activity", {"relapses_12m": "-1", "new_mri_activity_12m": "no"},
     "relapses_12m", "Enter the number of relapses as a whole number from 0 to 50"),
    ("recent-activity", {"relapses_12m": "1"}, "new_mri_activity_12m",
     "Select yes, no or ‘Not sure’ for new activity on an MRI scan"),
    ("treatments", {"dmt_count": "many"}, "dmt_count",
     "Enter the number of treatments as a whole number from 0 to 30"),
    ("treatment-history", {"high_efficacy_dmt": "yes"}, "activity_on_dmt",
     "Select yes, no or ‘Not sure’ for MS activity while taking a treatment"),
    ("treatment-history", {"activity_on_dmt": "yes"}, "high_efficacy_dmt",
     "Select yes, no or ‘Not sure’ for a high-efficacy treatment"),
    ("walking", {"edss": "", "walking": ""}, "walking", "Select how far you can walk"),
    ("walking", {"edss": "6.2", "walking": "one_aid"}, "edss",
     "Enter an EDSS score from 0 to 10 in half steps"),
    ("walking", {"edss": "0.5", "walking": "one_aid"}, "edss", "(there is no 0.5)"),
    *[("other-health", {**dict.fromkeys(HEALTH, "no"), name: ""}, name, "Select yes, no")
      for name in HEALTH],
    ("family-plans", {"wants_children": "no"}, "pregnant",
     "Select yes, no or ‘Not sure’ for being pregnant now"),
    ("family-plans", {"pregnant": "no"}, "wants_children",
     "Select yes, no or ‘Not sure’ for wanting children"),
    ("country", {"country": "Narnia"}, "country", "Choose a country from the list"),
]


@pytest.mark.parametrize(("slug", "data", "field", "message"), VALIDATION,
                         ids=[f"{v[0]}-{v[2]}-{i}" for i, v in enumerate(VALIDATION)])
def test_a_bad_answer_gets_a_message_in_the_summary_and_beside_the_field(
        client, flow, slug, data, field, message):
    for earlier in PAGES[:[p.slug for p in PAGES].index(slug)]:
        flow.answer(earlier.slug, MATCHING[earlier.slug])
    response = flow.answer(slug, data)
    html = text(response)
    assert response.status_code == 200
    assert html.count(message) == 2, "the message is in the summary and beside the field"
    assert "<title>Error: " in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    radios = FIELDS.get(field) is not None and "unsure" in FIELDS[field].values
    anchor = f"#{field}-0" if radios else f"#{field}"  # a radio group, or a box or list
    assert f'href="{anchor}"' in summary
    assert f'id="{field}-error"' in html


def test_other_answers_are_kept_when_one_is_wrong(client, flow):
    for earlier in PAGES[:5]:
        flow.answer(earlier.slug, MATCHING[earlier.slug])
    html = text(flow.answer("walking", {"walking": "one_aid", "edss": "7.2"}))
    assert re.search(r'value="one_aid"\s+checked', html)
    assert 'value="7.2"' in html


NOT_MATCHING = [
    ("about-you", {"age": "80"}), ("about-you", {"age": "12"}), ("about-you", {"age": ""}),
    ("diagnosis", {"ms_type": "ppms", "diagnosis_year": "1990"}),
    ("recent-activity", {"relapses_12m": "0", "new_mri_activity_12m": "no"}),
    ("treatments", {"dmt_count": "0"}),
    ("treatment-history", {"activity_on_dmt": "no", "high_efficacy_dmt": "no"}),
    ("walking", {"walking": "wheelchair", "edss": "9.5"}),
    ("other-health", dict.fromkeys(HEALTH, "yes")),
    ("family-plans", {"pregnant": "yes", "wants_children": "yes"}),
]


@pytest.mark.parametrize(("slug", "data"), NOT_MATCHING,
                         ids=[f"{slug}-{'-'.join(data.values())[:30]}"
                              for slug, data in NOT_MATCHING])
def test_an_answer_that_does_not_match_is_never_an_error(client, flow, slug, data):
    """Answered in its turn, the page moves on and keeps the answer as given."""
    index = [page.slug for page in PAGES].index(slug)
    for earlier in PAGES[:index]:
        flow.answer(earlier.slug, MATCHING[earlier.slug])
    response = flow.answer(slug, data)
    assert response.status_code == 302
    assert response.headers["Location"] != f"/questions/{PAGES[0].slug}" or index == 0
    with client.session_transaction() as session:
        assert {name: session["answers"].get(name, "") for name in data} == data
        assert slug in session["done"]


def test_an_empty_number_means_not_sure(client, flow):
    flow.complete(**{"about-you": {"age": ""}, "treatments": {"dmt_count": ""}})
    html = text(client.get("/check"))
    assert re.search(r"<dt>Age</dt>\s*<dd>Not sure</dd>", html)
    summary = text(client.get("/summary"))
    assert 'data-criterion="age_range" data-status="unknown"' in summary


def test_no_treatments_skips_the_treatment_history_page(client, flow):
    for slug in ("about-you", "diagnosis", "recent-activity"):
        flow.answer(slug, MATCHING[slug])
    response = flow.answer("treatments", {"dmt_count": "0"})
    assert response.headers["Location"] == "/questions/walking"
    assert client.get("/questions/treatment-history").headers["Location"] == \
        "/questions/walking"


def test_a_later_change_drops_answers_that_no_longer_apply(client, flow):
    flow.complete()
    flow.answer("treatments", {"dmt_count": "0"}, **{"from": "check"})
    with client.session_transaction() as session:
        assert "activity_on_dmt" not in session["answers"]
        assert "high_efficacy_dmt" not in session["answers"]
        assert "treatment-history" not in session["done"]
    html = text(client.get("/check"))
    assert "Active MS while on treatment" not in html
    summary = text(client.get("/summary"))
    assert 'data-criterion="treatment_failure" data-status="not_met"' in summary
    # 2026.12: no treatment taken raises no caution; the rules ignore the skipped answers
    assert 'data-caution=' not in summary


def test_changing_back_to_treatments_asks_the_history_again_then_returns(client, flow):
    flow.complete(treatments={"dmt_count": "0"})
    response = flow.answer("treatments", {"dmt_count": "3"}, **{"from": "check"})
    assert response.headers["Location"] == "/questions/treatment-history?from=check"
    response = flow.answer("treatment-history", MATCHING["treatment-history"],
                           **{"from": "check"})
    assert response.headers["Location"] == "/check"


#: Check your answers after MATCHING: each question's label, the answer in words.
CHECK_ROWS = {
    "age": ("Age", "34"),
    "ms_type": ("Type of MS", "Relapsing-remitting (RRMS)"),
    "diagnosis_year": ("Year of diagnosis", "2021"),
    "relapses_12m": ("Relapses in the last 12 months", "2"),
    "new_mri_activity_12m": ("New MRI activity in the last 12 months", "Yes"),
    "dmt_count": ("MS treatments taken", "2"),
    "activity_on_dmt": ("Active MS while on treatment", "Yes"),
    "high_efficacy_dmt": ("High-efficacy treatment taken", "Yes"),
    "walking": ("Walking", "500 metres or more without help or a rest"),
    "edss": ("EDSS score", "Not sure"),
    "heart_disease": ("Serious heart disease", "No"),
    "lung_disease": ("Serious lung disease", "No"),
    "kidney_disease": ("Serious kidney disease", "No"),
    "liver_disease": ("Serious liver disease", "No"),
    "active_infection": ("Infection not cured", "No"),
    "cancer_history": ("Cancer now or in the past", "No"),
    "prior_chemotherapy": ("Chemotherapy in the past", "No"),
    "pregnant": ("Pregnant now", "No"),
    "wants_children": ("May want children", "No"),
    "country": ("Country for trial searches", "Not answered"),
}


def test_check_your_answers_lists_every_answer_with_a_change_link(client, flow):
    flow.complete()
    html = text(client.get("/check"))
    rows = re.findall(r'<dt>(.*?)</dt>\s*<dd>(.*?)</dd>\s*<dd class="summary-action">'
                      r'<a class="flow-link" href="/questions/([\w-]+)\?from=check#(\w+)">'
                      r'Change<span class="visually-hidden"> (.*?)</span>', html)
    expected = [(*CHECK_ROWS[name], page.slug, name, CHECK_ROWS[name][0])
                for page in PAGES for name in page.fields]
    assert rows == expected


def test_a_change_link_comes_back_to_check_your_answers(client, flow):
    flow.complete()
    html = text(client.get("/questions/about-you?from=check"))
    assert 'class="back-link" href="/check"' in html
    assert 'action="/questions/about-you?from=check"' in html
    response = flow.answer("about-you", {"age": "50"}, **{"from": "check"})
    assert response.headers["Location"] == "/check"
    assert re.search(r"<dt>Age</dt>\s*<dd>50</dd>", text(client.get("/check")))


def test_pages_reached_out_of_order_send_you_to_the_first_unanswered(client, flow):
    assert client.get("/questions/walking").headers["Location"] == "/questions/about-you"
    assert client.get("/check").headers["Location"] == "/questions/about-you"
    assert client.get("/summary").headers["Location"] == "/questions/about-you"
    flow.answer("about-you", {"age": "40"})
    assert client.get("/summary").headers["Location"] == "/questions/diagnosis"


def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/questions/nope")
    assert response.status_code == 404 and "Page not found" in text(response)


def test_start_again_asks_first_then_clears_everything(client, flow):
    flow.complete()
    confirm = text(client.get("/start-again?from=check"))
    assert "<h1>Clear your answers and start again?</h1>" in confirm
    assert client.get("/check").status_code == 200, "showing the question clears nothing"
    response = client.post("/start-again")
    assert response.headers["Location"] == "/"
    assert "Your answers have been cleared" in text(client.get("/"))
    assert client.get("/check").headers["Location"] == "/questions/about-you"


SUMMARY_CASES = [
    ("everything matches", {}, "matches",
     dict.fromkeys(["relapsing_ms", "inflammatory_activity", "treatment_failure",
                    "disease_duration", "ambulatory", "age_range"], "met"), set()),
    ("active progressive MS, older, walking with a stick",
     {"about-you": {"age": "50"}, "diagnosis": {"ms_type": "spms", "diagnosis_year": "2010"},
      "walking": {"walking": "one_aid", "edss": ""}},
     "does_not_match",
     {"relapsing_ms": "met", "disease_duration": "not_met", "ambulatory": "met",
      "age_range": "met"}, {"age_over_45", "walking_aid", "progressive_ms"}),
    ("progressive MS with no recent activity",
     {"diagnosis": {"ms_type": "spms", "diagnosis_year": "2020"},
      "recent-activity": {"relapses_12m": "0", "new_mri_activity_12m": "no"}},
     "does_not_match",
     {"relapsing_ms": "not_met", "inflammatory_activity": "not_met"}, {"progressive_ms"}),
    ("no high-efficacy treatment",
     {"treatment-history": {"activity_on_dmt": "yes", "high_efficacy_dmt": "no"}},
     "does_not_match", {"treatment_failure": "not_met"}, set()),
    ("unsure answers",
     {"recent-activity": {"relapses_12m": "1", "new_mri_activity_12m": "unsure"},
      "other-health": {**dict.fromkeys(HEALTH, "no"), "heart_disease": "yes"},
      "family-plans": {"pregnant": "yes", "wants_children": "yes"}},
     "unclear", {"inflammatory_activity": "unknown"},
     {"heart_disease", "pregnant", "wants_children"}),
    ("EDSS decides over walking",
     {"walking": {"walking": "unaided_far", "edss": "6.5"}},
     "does_not_match", {"ambulatory": "not_met"}, set()),
    ("diagnosed 10 years ago counts as 10",
     {"diagnosis": {"ms_type": "rrms", "diagnosis_year": "2016"}},
     "matches", {"disease_duration": "met"}, set()),
    ("diagnosed 11 years ago",
     {"diagnosis": {"ms_type": "rrms", "diagnosis_year": "2015"}},
     "does_not_match", {"disease_duration": "not_met"}, set()),
]


@pytest.mark.parametrize(("changes", "outcome", "statuses", "cautions"),
                         [case[1:] for case in SUMMARY_CASES],
                         ids=[case[0] for case in SUMMARY_CASES])
def test_the_summary_carries_the_result_in_data_attributes(
        client, flow, changes, outcome, statuses, cautions):
    flow.complete(**changes)
    html = text(client.get("/summary"))
    assert re.findall(r'data-outcome="(\w+)"', html) == [outcome]
    found = dict(re.findall(r'data-criterion="(\w+)" data-status="(\w+)"', html))
    assert len(found) == 6
    for criterion_id, status in statuses.items():
        assert found[criterion_id] == status
    assert set(re.findall(r'data-caution="(\w+)"', html)) == cautions


def test_the_summary_shows_every_part_of_the_contract(client, flow):
    flow.complete(**{"about-you": {"age": "60"}, "country": {"country": "fr"}})
    html = text(client.get("/summary"))
    for part in ["Only an MS specialist can decide", "do not match the profile",
                 "on 1 of the 6 points", "The six points at a glance", "What now",
                 "Other MS treatments may suit you", "HSCT itself is also sold abroad",
                 "Your answer:", "Why:", "What this point looks for:",
                 "This point is met for people aged 18 to 55",
                 "Your age is not something you can change",
                 "Questions to ask your doctor", "Who pays for HSCT where I live?",
                 "accredited (for example by JACIE)", "what protects me in between",
                 "What HSCT involves", "Risks", "about 2 in 100", "1 in 507", "none of 174",
                 "about 7 in 10", "What studies show", "HALT-MS", "MIST", "110 people",
                 "Where HSCT is given", "NCT04047628", "NCT03477500", "ISRCTN88667898",
                 "It is not taking new people", "registry record of 24 June 2025",
                 "country=France", "euclinicaltrials.eu", "EU Clinical Trials Register (older "
                 "trials)", "ISRCTN registry", "mesenchymal",
                 "Criteria version 2026.12", "Sources last checked on December 2, 2026",
                 "Specialists may consider people over 55 who are fit and well",
                 "References", "Nat Rev Neurol 2025;21(3):140–158"]:
        assert part in html, part
    for stale in ["up to about 11 days", "3 to 6 months", "status: not_met", "COAST",
                  "Most people who have HSCT for MS take part in a clinical trial"]:
        assert stale not in html, stale
    assert "unproven stem cell clinics" not in html  # the warning stands in What now


def test_the_summary_never_gives_a_verdict(client, flow):
    flow.complete()
    html = text(client.get("/summary")).lower()
    assert "you are eligible" not in html and "not eligible" not in html
    assert "you should have hsct" not in html


def test_pages_are_private_by_header(client, flow):
    flow.complete()
    for url in ["/", "/questions/about-you", "/check", "/summary", "/answers.json"]:
        response = client.get(url)
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def csrf_client():
    from app import create_app

    from .conftest import TODAY
    return create_app({"TESTING": True, "SECRET_KEY": "csrf test" * 32,
                       "TODAY": TODAY}).test_client()


def test_a_post_without_a_valid_csrf_token_keeps_the_answers_and_says_try_again(csrf_client):
    csrf_client.get("/")
    response = csrf_client.post("/questions/walking", data={"walking": "one_aid", "edss": "4"})
    assert response.status_code == 302  # out of order: sent to the first page
    response = csrf_client.post("/questions/about-you", data={"age": "47", "csrf_token": "x"})
    html = text(response)
    assert response.status_code == 200
    assert "This page timed out to keep your answers safe" in html
    assert 'href="#submit"' in html and 'value="47"' in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = csrf_client.post("/questions/about-you", data={"age": "47", "csrf_token": token})
    assert response.headers["Location"] == "/questions/diagnosis"


def test_start_again_needs_a_valid_token(csrf_client):
    csrf_client.get("/")
    response = csrf_client.post("/start-again")
    assert response.status_code == 400 and "were not cleared" in text(response)
    assert "Press “Yes, clear my answers” once more" in text(response)
    assert "Set-Cookie" not in response.headers
