"""Pages and parts of pages that depend only on a few values, rendered once and kept.

A page is rebuilt on every request, but most of it is the same for everyone who
gave the same answers: the summary of one assessment, a question page with one
answer chosen, the links. Rendering those once per distinct input, like the
rules' own cache of findings, keeps the pages fast under load. The caches live
only in the worker's memory, are bounded, and never hold free text a person
typed (the country): pages with free text are rendered afresh every time.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request, session, url_for
from markupsafe import Markup

from rules import Assessment
from rules import content as summary_content
from rules.fields import TEXT
from rules.i18n import N_
from rules.model import DOES_NOT_MATCH
from rules.sources import SOURCES

from . import csrf, i18n
from .questions import WEB_FIELDS

#: Stands for the CSRF token in a kept page. It is random, so no answer can contain it.
TOKEN_SLOT = secrets.token_hex(16)


def kept_page(render: Callable[..., str], *args: Hashable, free_text: bool = False) -> str:
    """The page ``render(*args, token=...)`` makes, made once per distinct ``args`` and kept.

    Everyone whose page has the same ``args`` (a question page with the same
    answers chosen, the summary of the same answers) gets the same markup but
    for the CSRF token, which is put in last. A page with a message waiting (a
    message is shown once) or showing free text the person typed is made
    afresh and not kept.
    """
    token = csrf.token() if current_app.config.get("WTF_CSRF_ENABLED", True) else ""
    if free_text or "_flashes" in session:
        return render(*args, token=token)
    # The language and the page's own address (its language links) are part of the key.
    kept = _kept_page(request.script_root, i18n.language(), request.full_path, render, args,
                      bool(token))
    return kept.replace(TOKEN_SLOT, token, 1)


@lru_cache(maxsize=1024)  # pages are 2 to 18 KB: at most about 20 MB per worker
def _kept_page(script_root: str, language: str, path: str, render: Callable[..., str],
               args: tuple, with_token: bool) -> str:
    return render(*args, token=TOKEN_SLOT if with_token else "")


def summary_body(assessment: Assessment, diagnosis_year: str, answered_on: str) -> Markup:
    """Everything on the summary page except the actions, for one assessment."""
    template = current_app.jinja_env.get_template("summary_body.html")
    printed, on_screen_only = references(assessment)
    cited = printed + on_screen_only
    return Markup(template.render(
        assessment=assessment, content=summary_content, sources=SOURCES,
        diagnosis_year=diagnosis_year, answered_on=answered_on, references=cited,
        on_screen_only=frozenset(on_screen_only),
        numbers={source_id: number for number, source_id in enumerate(cited, start=1)}))


def references(assessment: Assessment) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sources the summary cites, in the order the page first cites them.

    First those the printed handout shows too, then those cited only by what HSCT
    involves, its risks and the evidence, which stay on the web page.
    """
    content = summary_content
    warning = [s.sources for s in content.UNPROVEN_CLINICS]
    printed = [
        *(warning if assessment.outcome == DOES_NOT_MATCH else ()),
        *(caution.sources for caution in assessment.cautions),
        *(ids for finding in assessment.findings
          for ids in (*(e.sources for e in finding.exceptions), finding.sources)),
        content.NAMED_TRIALS_SOURCES, *warning,
    ]
    screen = [
        content.ABOUT_HSCT_SOURCES,
        *(s.sources for s in content.RISKS), content.RISKS_CENTRES.sources,
        *(s.sources for s in content.EVIDENCE), content.WHERE_GIVEN.sources,
    ]
    first = tuple(dict.fromkeys(source_id for ids in printed for source_id in ids))
    rest = tuple(dict.fromkeys(source_id for ids in screen for source_id in ids
                               if source_id not in first))
    return first, rest


@dataclass(frozen=True, slots=True)
class FieldView:
    """What a question's markup shows of a form field, as plain values."""

    kind: str
    id: str
    name: str
    label: str
    description: str
    value: str
    errors: tuple[str, ...]
    choices: tuple[tuple[str, str], ...]


def question_field(field, heading: bool = False, **options) -> Markup:
    """A form field's question, hint, error and input(s)."""
    radio, listed = field.type == "RadioField", field.type == "SelectField"
    t = i18n.translate
    view = FieldView(
        kind="radios" if radio else "select" if listed else "text_input", id=field.id,
        name=field.name, label=t(field.label.text), description=_hint(field, radio or listed),
        value=(field.data or "") if radio or listed else field._value(),
        errors=tuple(t(error) for error in field.errors),
        choices=_choices(field, listed) if radio or listed else (),
    )
    if WEB_FIELDS[field.name].kind == TEXT:
        return _render_field.__wrapped__(view, heading, tuple(sorted(options.items())))
    return _render_field(view, heading, tuple(sorted(options.items())))


def _choices(field, listed: bool) -> tuple[tuple[str, str], ...]:
    """The answers in the reader's words; a long list (countries) in their alphabetical order."""
    choices = [(choice.value, i18n.translate(choice.label)) for choice in field.choices]
    if listed:
        first, rest = choices[:1], choices[1:]
        choices = first + sorted(rest, key=lambda pair: _sort_key(pair[1]))
    return tuple(choices)


def _sort_key(words: str) -> str:
    """Alphabetical order that ignores accents and case (Ä with A, é with e)."""
    return "".join(c for c in unicodedata.normalize("NFKD", words) if not unicodedata.combining(c)
                   ).casefold()


LEAVE_EMPTY = N_("Not sure? Leave it empty.")


def _hint(field, choice: bool) -> str:
    """The hint in the reader's language; an empty box is how a number is answered "Not sure"."""
    hint = i18n.translate(field.description)
    if choice or "empty" in field.description:
        return hint
    return f"{hint} {i18n.gettext(LEAVE_EMPTY)}"


@lru_cache(maxsize=4096)
def _render_field(view: FieldView, heading: bool, options: tuple) -> Markup:
    """The markup of one question with one answer (and any error), made once."""
    macro = getattr(current_app.jinja_env.globals["fields"], view.kind)
    return Markup(macro(view, heading=heading, **dict(options)))


def link(endpoint: str, **values: str) -> str:
    """The address of a page of this app: ``url_for``, worked out once per distinct link.

    Pages carry a dozen links, and building each one is most of the work of a
    small page. An address depends only on the endpoint, its values and where
    the app is mounted (the script root), so those are the key.
    """
    return _link(request.script_root, endpoint, tuple(sorted(values.items())))


@lru_cache(maxsize=512)
def _link(script_root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))
