"""Saving answers to a file the person keeps, and resuming from it.

Nothing is kept on the server: the file goes to the person's own device, and an
uploaded file is read, checked and put back into their session cookie.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_wtf.file import FileField
from wtforms.validators import ValidationError

from rules import CRITERIA_VERSION
from rules.i18n import N_, Text

from . import fhir_in
from .csrf import token_of
from .forms import PlainForm
from .progress import Progress, today
from .questions import PAGES, WEB_FIELDS, purge, stored_value

bp = Blueprint("saved", __name__)

FORMAT = "hsct-ms-screening-answers"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 20_000


class SavedFileError(ValueError):
    """An answers file that cannot be used, with what is wrong in words."""


def to_file(progress: Progress) -> dict:
    """The person's answers as the saved-file object."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "criteria_version": CRITERIA_VERSION,
        "saved_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "answers": {name: progress.answers.get(name, "")
                    for page in progress.pages() if page.slug in progress.done
                    for name in page.fields},
    }


def from_file(data: bytes) -> Progress:
    """Read a saved answers file; raise SavedFileError saying what is wrong.

    Nothing is saved here: the view saves the answers once the whole form,
    its CSRF token included, is valid.
    """
    if not data:
        raise SavedFileError(N_("The file is empty. Choose the answers file you saved "
                             "from this tool (a .json file)."))
    if len(data) > MAX_FILE_BYTES:
        raise SavedFileError(Text("The file is too big. An answers file is smaller than "
                                  "{kb} KB.", kb=MAX_FILE_BYTES // 1000))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SavedFileError(N_("The file is not an answers file from this tool: it is not "
                             "readable JSON text.")) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise SavedFileError(N_("The file has been changed or damaged: it holds a number far "
                                "too long to be an answer. Nothing was loaded.")) from None
    if isinstance(document, dict) and "resourceType" in document:
        return _from_fhir(document)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SavedFileError(N_("The file is not an answers file from this tool. Choose the "
                             "answers file (.json) you downloaded from check your answers, "
                             "or the FHIR file from the summary or from your clinic's "
                             "form."))
    if document.get("version") != FORMAT_VERSION:
        raise SavedFileError(Text("The file is version {given} of the answers format; this "
                                  "tool reads version {version}.",
                                  given=repr(document.get("version")), version=FORMAT_VERSION))
    answers = document.get("answers")
    if not isinstance(answers, dict):
        raise SavedFileError(N_("The file has no answers in it."))
    problems, stored = [], {}
    for name, value in answers.items():
        field = WEB_FIELDS.get(name)
        if field is None:
            problems.append(Text("it has an answer to an unknown question, {name}",
                                 name=repr(str(name)[:40])))
            continue
        if value is None:
            value = ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.append(Text("the answer to “{label}” is not text or a number",
                                 label=Text(field.label)))
            continue
        try:
            stored[name] = stored_value(name, value, today())
        except ValueError:
            problems.append(Text("the answer to “{label}”, {value}, is not allowed (allowed: "
                                 "{allowed})", label=Text(field.label),
                                 value=repr(str(value)[:40]), allowed=_allowed(name)))
    if problems:
        raise SavedFileError(Text("The file has been changed or damaged: {problems}. Nothing "
                                  "was loaded.", problems=Text.join(problems, "; ")))
    return Progress(stored, [page.slug for page in PAGES
                             if all(name in stored for name in page.fields)])


def _from_fhir(document: dict) -> Progress:
    """Read a FHIR QuestionnaireResponse of our Questionnaire (ours, or a form filler's)."""
    try:
        read = fhir_in.read_response(document, today())
    except fhir_in.ResponseError as error:
        shown = "; ".join(entry["message"] for entry in error.problems[:5])
        more = len(error.problems) - 5
        raise SavedFileError("The FHIR file cannot be used: " + shown
                             + (f"; and {more} more" if more > 0 else "")
                             + ". Nothing was loaded.") from None
    stored = dict(read.stored)
    done = read.done()
    for page in PAGES:
        if page.slug in done:
            for name in page.fields:
                stored.setdefault(name, "")
    purge(stored, done)  # nothing is saved here: the view saves once CSRF has passed
    return Progress(stored, done)


def _allowed(name: str) -> str:
    return WEB_FIELDS[name].allowed


class ResumeForm(PlainForm):
    """Upload a saved answers file to carry on."""

    timed_out = N_("This page timed out. Choose your saved answers file again and press "
                 "“Upload and carry on”.")

    answers_file = FileField(N_("Upload your saved answers file"),
                             description=N_("The .json file you downloaded from this tool, "
                                            "or a FHIR file of these questions from your "
                                            "clinic."))

    def validate_answers_file(self, field) -> None:
        """A file must be chosen and must be a usable answers file."""
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError(N_("Choose your saved answers file (a .json file)"))
        try:
            self.progress = from_file(upload.read(MAX_FILE_BYTES + 1))
        except SavedFileError as error:
            raise ValidationError(error.args[0]) from None  # a Text: translated when shown


@bp.get("/answers.json")
def download():
    """The person's answers as a file for their own device."""
    progress = Progress.load()
    body = json.dumps(to_file(progress), indent=2, ensure_ascii=False) + "\n"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="hsct-screening-answers.json"',
        "Cache-Control": "no-store",
    })


@bp.post("/resume")
def resume():
    """Load a saved answers file into the session and carry on where it left off."""
    form = ResumeForm()
    if form.validate_on_submit():
        form.progress.save()
        flash(N_("Your saved answers have been loaded."))
        first = form.progress.first_unanswered()
        if first is None:
            return redirect(url_for("questionnaire.check"))
        return redirect(url_for("questionnaire.question", slug=first.slug))
    return start_page(form, token_of(form)), 400


def start_page(form: ResumeForm, token: str) -> str:
    """The start page, with the resume form as it stands (and its errors, if any)."""
    return render_template("start.html", form=form, token=token, first=PAGES[0])
