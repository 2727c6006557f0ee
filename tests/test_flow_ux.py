"""The flow for tired hands and eyes: save from any page, start again only when confirmed,
"Not sure" said the same way everywhere."""

import io
import re

import pytest
import textstat

from app import create_app
from app.questions import PAGES, WEB_FIELDS, answer_words
from rules import FIELDS
from rules.kinds import Choices

from .conftest import MATCHING, TODAY
from .readability import page_text, without_names

SAVE_LINK = re.compile(r'<a class="flow-link" href="/answers.json" download>'
                       r'Save your answers to a file</a>')


def text(response):
    return response.get_data(as_text=True)


def answer_up_to(flow, page):
    for earlier in PAGES[:PAGES.index(page)]:
        flow.answer(earlier.slug, MATCHING[earlier.slug])


def upload(client, data):
    return client.post("/resume", data={"answers_file": (io.BytesIO(data), "answers.json")},
                       content_type="multipart/form-data")


@pytest.fixture
def csrf_client():
    return create_app({"TESTING": True, "SECRET_KEY": "flow ux" * 8, "TODAY": TODAY}).test_client()


def token_on(html):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.slug)
def test_every_question_page_offers_to_save_the_answers_to_a_file(client, flow, page):
    answer_up_to(flow, page)
    html = text(client.get(f"/questions/{page.slug}"))
    assert len(SAVE_LINK.findall(html)) == 1
    # below the Continue button, outside the form: it never sends the page's answers
    assert html.index("</form>") < SAVE_LINK.search(html).start()


@pytest.mark.parametrize(("changes", "saved_on", "resumes_at"), [
    ({}, "recent-activity", "/questions/recent-activity"),
    ({}, "walking", "/questions/walking"),
    ({"treatments": {"dmt_count": "0"}}, "walking", "/questions/walking"),
    ({}, "country", "/questions/country"),
], ids=["after two pages", "after five pages", "after a skipped page", "on the last page"])
def test_a_file_saved_on_a_question_page_resumes_on_that_page(
        app, client, flow, changes, saved_on, resumes_at):
    slug = "about-you"
    while slug != saved_on:
        response = flow.answer(slug, {**MATCHING[slug], **changes.get(slug, {})})
        slug = response.headers["Location"].rsplit("/questions/", 1)[1]
    html = text(client.get(f"/questions/{saved_on}"))
    saved = client.get(SAVE_LINK.search(html).group(0).split('href="', 1)[1].split('"')[0])
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    fresh = app.test_client()
    response = upload(fresh, saved.get_data())
    assert response.status_code == 302 and response.headers["Location"] == resumes_at
    assert "Your saved answers have been loaded" in text(fresh.get(resumes_at))


def test_showing_the_start_again_page_clears_nothing(client, flow):
    flow.complete()
    html = text(client.get("/start-again"))
    assert "<title>Clear your answers and start again?" in html
    assert "You cannot get them back" in html
    assert client.get("/check").status_code == 200
    with client.session_transaction() as session:
        assert session["answers"]["age"] == "34"


def test_start_again_clears_only_with_a_valid_token(csrf_client):
    html = text(csrf_client.get("/questions/about-you"))
    csrf_client.post("/questions/about-you", data={"age": "47", "csrf_token": token_on(html)})
    confirm = text(csrf_client.get("/start-again"))
    assert re.search(r'<form method="post" action="/start-again" novalidate>\s*'
                     r'<input id="csrf_token" name="csrf_token" type="hidden"', confirm)
    assert ">Yes, clear my answers</button>" in confirm
    refused = csrf_client.post("/start-again", data={"csrf_token": "forged"})
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    assert "Press “Yes, clear my answers” once more" in text(refused)
    with csrf_client.session_transaction() as session:
        assert session["answers"] == {"age": "47"}
    cleared = csrf_client.post("/start-again", data={"csrf_token": token_on(confirm)})
    assert cleared.headers["Location"] == "/"
    with csrf_client.session_transaction() as session:
        assert "answers" not in session
    assert "Your answers have been cleared" in text(csrf_client.get("/"))


@pytest.mark.parametrize(("path", "came_from"), [("/check", "check"), ("/summary", "summary")])
def test_check_and_summary_link_to_the_confirmation_instead_of_clearing(
        client, flow, path, came_from):
    flow.complete()
    html = text(client.get(path))
    assert 'action="/start-again"' not in html
    assert "Start again and clear my answers" not in html
    link = f'<a class="flow-link" href="/start-again?from={came_from}">Start again</a>'
    assert link in html
    confirm = text(client.get(f"/start-again?from={came_from}"))
    assert f'<a class="flow-link" href="{path}">No, go back</a>' in confirm


def test_the_start_again_link_is_away_from_the_main_button(client, flow):
    flow.complete()
    html = text(client.get("/check"))
    button = html.index(">See your summary</a>")
    start_again = html.index(">Start again</a>")
    save = html.index(">Save your answers to a file</a>")
    assert button < save < start_again
    assert 'class="start-again"' in html


@pytest.mark.parametrize(("answered", "back"), [
    (0, "/"), (2, "/questions/recent-activity"), (len(PAGES), "/check"),
], ids=["nothing answered", "part answered", "all answered"])
def test_no_go_back_returns_to_where_the_person_was(client, flow, answered, back):
    for page in PAGES[:answered]:
        flow.answer(page.slug, MATCHING[page.slug])
    html = text(client.get("/start-again?from=summary" if answered < len(PAGES)
                           else "/start-again"))
    assert f'<a class="flow-link" href="{back}">No, go back</a>' in html


NUMBER_FIELDS = [name for name, field in WEB_FIELDS.items() if not isinstance(field.kind, Choices)]


@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_every_number_question_says_that_empty_means_not_sure(client, flow, name):
    page = next(page for page in PAGES if name in page.fields)
    answer_up_to(flow, page)
    html = text(client.get(f"/questions/{page.slug}"))
    hint = re.search(rf'<p class="hint" id="{name}-hint">(.*?)</p>', html, re.S).group(1)
    assert "empty" in hint.lower() and (
        "Not sure? Leave it empty." in hint or "if you are not sure" in hint
        or "if you do not know" in hint)
    assert hint.count("empty") == 1, "said once, not twice"


def test_a_blank_number_reads_not_sure_on_check_and_summary(client, flow):
    flow.complete(**{"about-you": {"age": ""}, "recent-activity": {
        "relapses_12m": "", "new_mri_activity_12m": "yes"}})
    check = text(client.get("/check"))
    assert re.search(r"<dt>Age</dt>\s*<dd>Not sure</dd>", check)
    assert re.search(r"<dt>Relapses in the last 12 months</dt>\s*<dd>Not sure</dd>", check)
    summary = text(client.get("/summary"))
    assert "Age: Not sure" in summary
    assert "Relapses in the last 12 months: Not sure" in summary
    assert "Not answered" not in summary


@pytest.mark.parametrize("name", sorted(set(FIELDS) - {"years_since_diagnosis"}))
def test_a_blank_answer_has_the_same_words_in_rules_and_on_check(name):
    field = FIELDS[name]
    assert field.words(None) == answer_words(name, "")
    expected = "Not answered" if isinstance(field.kind, Choices) and "unsure" not in field.values \
        else "Not sure"
    assert field.words(None) == expected


def test_the_treatment_history_does_not_talk_of_relapses_the_person_did_not_have(client, flow):
    flow.complete(**{"recent-activity": {"relapses_12m": "0", "new_mri_activity_12m": "no"}})
    html = text(client.get("/questions/treatment-history?from=check")).lower()
    assert "recent relapse" not in html and "your relapses" not in html


def test_the_start_again_page_reads_at_grade_8_or_below(client, flow):
    flow.complete()
    text_of_page = without_names(page_text(text(client.get("/start-again?from=check"))))
    assert "You cannot get them back" in text_of_page
    assert textstat.flesch_kincaid_grade(text_of_page) <= 8.0


def test_start_now_comes_before_the_longer_explanations(client):
    html = text(client.get("/"))
    button = html.index('class="button button-start"')
    assert html.index("about 5 minutes") < button < html.index("Who this is for")
    for later in ["HSCT means autologous", "It is not a diagnosis", "It is not a referral",
                  "letters from your neurologist", "not stored on our server"]:
        assert button < html.index(later), later
