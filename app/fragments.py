"""Parts of pages shared by every template: a question's markup, the summary body, links.

Nothing built from a person's answers is kept: every page is made afresh for
its request. Two things are kept, neither holding an answer: each link's
address (it depends on the endpoint, a page's name and where the app is
mounted) and each question's markup with a slot for the answer.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from flask import current_app, request, url_for
from markupsafe import Markup, escape

from rules import Assessment
from rules import content as summary_content
from rules.i18n import N_
from rules.model import DOES_NOT_MATCH
from rules.sources import SOURCES

from . import i18n
from .questions import WEB_FIELDS

#: What a statement's list of sources begins with.
SOURCES_WORD = N_("Sources:")
#: Marks a source in a page being made; numbered once the page is done.
_MARK = "\x1e"
_MARKED = re.compile(_MARK + "([^" + _MARK + "]+)" + _MARK)


def cited(ids) -> Markup:
    """The "Sources:" of a statement: a mark per source, numbered when the page is done."""
    links = " ".join(f'<a href="#ref-{_MARK}{source_id}{_MARK}">[{_MARK}{source_id}{_MARK}]</a>'
                     for source_id in ids)
    return Markup(f'<span class="sources">({escape(i18n.gettext(SOURCES_WORD))} {links})</span>')


def summary_body(assessment: Assessment, diagnosis_year: str, answered_on: str) -> Markup:
    """Everything on the summary page except the actions, for one assessment.

    The parts that are the same for everyone come made (``_summary_static``); the
    sources are numbered in the order this page first cites them, in one pass.
    """
    environment = current_app.jinja_env
    printed, on_screen_only = references(assessment)
    listed = printed + on_screen_only
    numbers = {source_id: str(number) for number, source_id in enumerate(listed, start=1)}
    page = environment.get_template("summary_body.html").render(
        assessment=assessment, content=summary_content, sources=SOURCES,
        diagnosis_year=diagnosis_year, answered_on=answered_on, references=listed,
        on_screen_only=frozenset(on_screen_only),
        static=_summary_static(environment, i18n.language()),
        cited=cited)
    return Markup(_MARKED.sub(lambda mark: numbers[mark.group(1)], page))


@dataclass(frozen=True, slots=True)
class SummaryStatic:
    """The sections of the summary that read no answer, made once."""

    about_hsct: Markup
    named_trials: Markup
    warning_lines: Markup
    warning: Markup


@lru_cache(maxsize=16)
def _summary_static(environment, language: str) -> SummaryStatic:
    """What HSCT involves, the named trials and the clinics warning: the same for everyone.

    Keyed by the template environment and the language (made inside a request, whose
    locale it is written in); their sources are marks, numbered per page.
    """
    module = environment.get_template("summary_static.html").make_module(
        {"content": summary_content, "cited": cited})
    return SummaryStatic(Markup(module.about_hsct()), Markup(module.named_trials()),
                         Markup(module.warning_lines()), Markup(module.warning()))


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
    first = tuple(dict.fromkeys(source_id for ids in printed for source_id in ids))
    return first, _screen_only_sources(first)


def _screen_only_sources(first: tuple[str, ...]) -> tuple[str, ...]:
    """Sources cited only by what HSCT involves, its risks, evidence and where it is given."""
    content = summary_content
    screen = [
        content.ABOUT_HSCT_SOURCES,
        *(s.sources for s in content.RISKS), content.RISKS_CENTRES.sources,
        *(s.sources for s in content.EVIDENCE), content.WHERE_GIVEN.sources,
    ]
    return tuple(dict.fromkeys(source_id for ids in screen for source_id in ids
                               if source_id not in first))


#: Stands for the answer in a question's skeleton. Random, so no wording can contain it.
ANSWER_SLOT = secrets.token_hex(16)
#: Stands for the CSRF token in an empty question page.
TOKEN_SLOT = secrets.token_hex(16)


def answer_slot(name: str) -> str:
    """The slot of one text box in an empty question page."""
    return f"{ANSWER_SLOT}-{name}"


def fill_in(skeleton: str, page, stored: dict[str, str], token: str) -> str:
    """An empty question page with this visit's answers and token put in.

    A text box's slot becomes the answer (escaped); a choice gets ``checked``.
    """
    filled = skeleton.replace(TOKEN_SLOT, str(escape(token)), 1) if token else skeleton
    for name in page.fields:
        value = stored.get(name, "")
        if not WEB_FIELDS[name].choices:
            filled = filled.replace(answer_slot(name), str(escape(value)), 1)
        elif value:
            filled = _choose(filled, name, value)
    return filled


def _choose(markup: str, name: str, value: str) -> str:
    """Markup with this answer chosen: a radio ``checked``, or a list's option ``selected``."""
    radio = f'name="{escape(name)}" value="{escape(value)}">'
    if radio in markup:
        return markup.replace(radio, radio[:-1] + " checked>", 1)
    option = f'<option value="{escape(value)}">'
    return markup.replace(option, option[:-1] + " selected>", 1)


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
    """A form field's question, hint, error and input(s).

    A question without an error is made from its skeleton: the markup with a
    slot for the answer, made once per question (the key holds the question's
    own wording and choices, never an answer), then filled in for this request.
    """
    kind = WEB_FIELDS[field.name].kind
    listed = kind.widget == "select"
    chosen = bool(kind.choices)
    if not chosen:
        options.setdefault("inputmode", kind.inputmode)
    t = i18n.translate
    view = FieldView(
        kind=kind.widget, id=field.id,
        name=field.name, label=t(field.label.text), description=_hint(field, chosen),
        value=(field.data or "") if chosen else field._value(),
        errors=tuple(t(error) for error in field.errors),
        choices=_choices(field, listed) if chosen else (),
    )
    settings = tuple(sorted(options.items()))
    if view.errors:
        return _render_field(view, heading, settings)
    skeleton = _skeleton(replace(view, value=ANSWER_SLOT), heading, settings)
    if not chosen:
        return Markup(skeleton.replace(ANSWER_SLOT, str(escape(view.value)), 1))
    if not view.value:
        return Markup(skeleton)
    return Markup(_choose(skeleton, view.name, view.value))


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


def _render_field(view: FieldView, heading: bool, settings: tuple) -> Markup:
    macro = getattr(current_app.jinja_env.globals["fields"], view.kind)
    return Markup(macro(view, heading=heading, **dict(settings)))


@lru_cache(maxsize=128)  # the key holds the wording, so each language has its own
def _skeleton(view: FieldView, heading: bool, settings: tuple) -> str:
    """A question's markup with ANSWER_SLOT for the answer and nothing chosen.

    ``view`` holds the question (id, name, wording, choices) and the slot, never
    an answer: there are as many skeletons as questions, whoever asks.
    """
    if view.value != ANSWER_SLOT or view.errors:
        raise ValueError("a skeleton is made from the question alone, never from an answer")
    return str(_render_field(view, heading, settings))


def link(endpoint: str, **values: str) -> str:
    """The address of a page of this app: ``url_for``, worked out once per distinct link.

    Pages carry a dozen links, and building each one is much of the work of a
    small page. An address depends only on the endpoint, its values (a page's
    name, never an answer) and where the app is mounted, so those are the key.
    """
    return _link(request.script_root, endpoint, tuple(sorted(values.items())))


@lru_cache(maxsize=512)
def _link(script_root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))
