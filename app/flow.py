"""The questionnaire: start page, question pages, check your answers, summary."""

from __future__ import annotations

import secrets
from functools import lru_cache

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
)
from markupsafe import escape

from rules import AnswersError, evaluate
from rules.i18n import N_

from . import i18n
from .csrf import ready, token, token_of
from .forms import FORMS, PageForm, PlainForm
from .fragments import (
    TOKEN_SLOT,
    answer_slot,
    fill_in,
    link,
    summary_body,
    summary_pieces,
)
from .progress import Progress, today
from .questions import PAGES, PAGES_BY_SLUG, WEB_FIELDS, Page, answer_words, derivation_notes
from .saved import ResumeForm, start_page

bp = Blueprint("questionnaire", __name__)


class StartAgainForm(PlainForm):
    """A button that clears every answer (a form, so that it carries a CSRF token)."""

FROM_CHECK = "check"
#: Pages that link to "Start again", by the ``from`` value their link carries.
_WAYS_BACK = {"check": "questionnaire.check", "summary": "questionnaire.summary"}
NOT_CLEARED = N_("Your answers were not cleared because the page had timed out. "
               "Press “Yes, clear my answers” once more to clear them.")


@bp.get("/")
def start():
    """What the tool does, who it is for, and how to begin or resume.

    The page holds no answer, so it is made once (per mount point) with a slot
    for the token; a page with a message waiting is made in full.
    """
    shown = token()
    if "_flashes" in session:
        return start_page(ResumeForm(meta={"csrf": False}), shown)
    page = _empty_start_page(request.script_root, i18n.language(), i18n.here(), bool(shown))
    return page.replace(TOKEN_SLOT, str(escape(shown)), 1) if shown else page


@lru_cache(maxsize=8)
def _empty_start_page(script_root: str, language: str, here: str, with_token: bool) -> str:
    """Keyed by where the app is mounted, the language and the page's own address (its
    language links), never by an answer."""
    return start_page(ResumeForm(meta={"csrf": False}), TOKEN_SLOT if with_token else "")


@bp.route("/questions/<slug>", methods=["GET", "POST"])
def question(slug: str):
    """One topic's questions; a valid answer moves on to the next page."""
    page = PAGES_BY_SLUG.get(slug)
    if page is None:
        abort(404)
    progress = Progress.load()
    first = progress.first_unanswered()
    if page not in progress.pages():
        return redirect(_page_url(first) if first else link("questionnaire.check"))
    if first is not None and page.slug not in progress.done and \
            PAGES.index(page) > PAGES.index(first):
        if progress.done:
            flash(N_("Please answer this page first. Your answers so far are kept."))
        return redirect(_page_url(first))
    from_check = request.args.get("from") == FROM_CHECK
    stored = {name: progress.answers.get(name, "") for name in page.fields}
    form = FORMS[slug](data=stored) if request.method == "POST" else None
    if form is not None:
        form.today = today()
        if form.validate():
            for name in page.fields:
                progress.answers[name] = _canonical(name, form[name].data)
            if page.slug not in progress.done:
                progress.done.append(page.slug)
            progress.save()
            following = progress.first_unanswered() if from_check else progress.following(page)
            if following is None:
                return redirect(link("questionnaire.check"))
            return redirect(_page_url(following, from_check))
    previous = progress.previous(page)
    if from_check:
        back = link("questionnaire.check")
    elif previous is None:
        back = link("questionnaire.start")
    else:
        back = _page_url(previous)
    step, action = _step(progress, page), _page_url(page, from_check)
    if form is None:
        return _question_page(page, stored, back, step, action)
    return _question_form_page(page, form, back, step, action, token=token_of(form))


def _question_page(page: Page, stored: dict[str, str], back: str, step: tuple[int, int],
                   action: str) -> str:
    """A question page as first shown: its empty skeleton, with this visit's answers put in.

    A page with a message waiting (a message is shown once) is made in full.
    """
    if "_flashes" in session:
        form = FORMS[page.slug](data=stored, meta={"csrf": False})
        return _question_form_page(page, form, back, step, action, token=token())
    shown = token()
    skeleton = _empty_question_page(request.script_root, i18n.language(), i18n.here(),
                                    page.slug, back, step, action, bool(shown))
    return fill_in(skeleton, page, stored, shown)


@lru_cache(maxsize=256)
def _empty_question_page(script_root: str, language: str, here: str, slug: str, back: str,
                         step: tuple[int, int], action: str, with_token: bool) -> str:
    """A question page with no answer: a slot in each text box, no choice made, a slot
    for the token. Keyed by the page, its place in the flow and its language, never by
    an answer."""
    page = PAGES_BY_SLUG[slug]
    slots = {name: "" if WEB_FIELDS[name].choices else answer_slot(name)
             for name in page.fields}
    form = FORMS[slug](data=slots, meta={"csrf": False})
    return _question_form_page(page, form, back, step, action,
                               token=TOKEN_SLOT if with_token else "")


def _question_form_page(page: Page, form: PageForm, back: str, step: tuple, action: str,
                        token: str) -> str:
    return render_template("question.html", page=page, form=form, token=token, back=back,
                           step=step, action=action)


@bp.get("/check")
def check():
    """Every answer, each with a link to change it."""
    progress = Progress.load()
    if not progress.complete:
        return _to_first_unanswered(progress)
    on = today()
    rows = tuple(
        (page, name, WEB_FIELDS[name].label,
         answer_words(name, progress.answers.get(name, ""), on))
        for page in progress.pages() for name in page.fields
    )
    return render_template("check.html", rows=rows, token=token())


@bp.get("/summary")
def summary():
    """The explained summary of the person's answers."""
    return _summary("summary.html")


@bp.get("/summary/print")
def summary_print():
    """The summary set out as a handout for printing (no script: the browser prints it)."""
    return _summary("summary_print.html")


def _summary(template: str):
    progress = Progress.load()
    if not progress.complete:
        return _to_first_unanswered(progress)
    try:
        answers = progress.rules_answers()
    except AnswersError:
        session.clear()
        flash(N_("Your saved answers could not be read, so we have started again."))
        return redirect(link("questionnaire.start"))
    assessment = evaluate(answers)
    notes, answered_on = derivation_notes(progress.answers), today().isoformat()
    if "_flashes" in session:
        body = summary_body(assessment, notes, answered_on)
        return render_template(template, summary_body=body, token=token())
    ready()  # the page has no form, so it needs no token (see csrf.ready)
    before, after = _empty_summary_page(current_app.jinja_env, template, request.script_root,
                                        i18n.language(), i18n.here())
    page = summary_pieces([before], assessment, notes, answered_on)
    page.append(after)
    return b"".join(page)  # UTF-8, as Flask would have encoded the page


#: Stands for the summary itself in the page around it.
BODY_SLOT = secrets.token_hex(16)


@lru_cache(maxsize=16)
def _empty_summary_page(environment, template: str, script_root: str, language: str,
                        here: str) -> tuple[bytes, bytes]:
    """The page around a summary (header, actions, footer): what comes before and after it,
    as UTF-8.

    Keyed by the app's templates, the page, where the app is mounted, the language and
    the page's own address (its language links), never by an answer. A page with a
    message waiting (a message is shown once) is made in full instead.
    """
    before, slot, after = render_template(template, summary_body=BODY_SLOT,
                                          token="").partition(BODY_SLOT)
    if not slot:
        raise ValueError(f"{template} does not show the summary")
    return before.encode(), after.encode()


@bp.get("/start-again")
def confirm_start_again():
    """Ask before clearing: a page that says what will go, with a way back."""
    progress = Progress.load()
    back = _way_back(progress, request.args.get("from", ""))
    return render_template("start_again.html", back=back, token=token())


def _way_back(progress: Progress, came_from: str) -> str:
    """Where "No, go back" leads: the page the person came from, or where they were."""
    if came_from in _WAYS_BACK and progress.complete:
        return link(_WAYS_BACK[came_from])
    if progress.complete:
        return link("questionnaire.check")
    first = progress.first_unanswered()
    if not progress.done or first is None:
        return link("questionnaire.start")
    return _page_url(first)


@bp.post("/start-again")
def start_again():
    """Forget every answer (the person has confirmed it on the page above)."""
    if not StartAgainForm().validate_on_submit():
        # A post that failed its CSRF check changes nothing, not even the messages
        # (a message would need the cookie rewritten): the page says it instead.
        back = _way_back(Progress.load(), "")
        return render_template("start_again.html", back=back, token=token(),
                               problem=NOT_CLEARED), 400
    language = session.get(i18n.SESSION_KEY)
    session.clear()
    if language:
        session[i18n.SESSION_KEY] = language  # the language chosen is not an answer
    flash(N_("Your answers have been cleared."))
    return redirect(link("questionnaire.start"))


def _canonical(name: str, data: object) -> str:
    """An answer as it is stored: trimmed, lower-case choices, numbers as the rules write them."""
    text = (data or "").strip() if isinstance(data, str) else ""
    field = WEB_FIELDS[name]
    if not text:
        return text
    return field.format_value(field.parse(text, today()))


def _to_first_unanswered(progress: Progress):
    """Send the person to the first page they have not answered yet."""
    return redirect(_page_url(progress.first_unanswered()))


def _page_url(page, from_check: bool = False) -> str:
    """The address of a question page, keeping the way back to check your answers."""
    if from_check:
        return link("questionnaire.question", slug=page.slug, **{"from": FROM_CHECK})
    return link("questionnaire.question", slug=page.slug)


def _step(progress: Progress, page) -> tuple[int, int]:
    """Which page of how many this is, among the pages that apply."""
    pages = progress.pages()
    return (pages.index(page) + 1, len(pages))
