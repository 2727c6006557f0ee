"""Parts of pages shared by every template: a question's markup, the summary body, links.

Nothing built from a person's answers is kept: every page is made afresh for
its request. Two things are kept, neither holding an answer: each link's
address (it depends on the endpoint, a page's name and where the app is
mounted) and each question's markup with a slot for the answer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from functools import lru_cache

from flask import current_app, request, url_for
from markupsafe import Markup, escape

from rules import Assessment
from rules import content as summary_content
from rules.fields import CHOICE
from rules.sources import SOURCES

from .questions import WEB_FIELDS


def summary_body(assessment: Assessment, diagnosis_year: str) -> Markup:
    """Everything on the summary page except the actions, for one assessment."""
    template = current_app.jinja_env.get_template("summary_body.html")
    return Markup(template.render(assessment=assessment, content=summary_content,
                                  sources=SOURCES, diagnosis_year=diagnosis_year,
                                  summary_static=_summary_static(current_app.jinja_env)))


def cited(ids) -> Markup:
    """The "Sources:" line for these source ids (a criterion's own, never an answer)."""
    return _cited(current_app.jinja_env, tuple(ids))


@lru_cache(maxsize=256)
def _cited(environment, ids: tuple[str, ...]) -> Markup:
    """Made once per list of source ids: declarations, the same for everyone."""
    module = environment.get_template("macros/summary.html").make_module({"sources": SOURCES})
    return Markup(module.cited(ids))


@dataclass(frozen=True, slots=True)
class SummaryStatic:
    """The sections of the summary that are the same for everyone."""

    about_hsct: Markup
    closing: Markup


@lru_cache(maxsize=8)
def _summary_static(environment) -> SummaryStatic:
    """Made once per app: what HSCT involves, the clinics warning, the list of sources.

    Keyed by the template environment alone; these sections read no answer.
    """
    module = environment.get_template("summary_static.html").make_module(
        {"content": summary_content, "sources": SOURCES})
    return SummaryStatic(Markup(module.about_hsct()), Markup(module.closing()))


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
        if WEB_FIELDS[name].kind != CHOICE:
            filled = filled.replace(answer_slot(name), str(escape(value)), 1)
        elif value:
            chosen = f'name="{escape(name)}" value="{escape(value)}">'
            filled = filled.replace(chosen, chosen[:-1] + " checked>", 1)
    return filled


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
    radio = field.type == "RadioField"
    view = FieldView(
        kind="radios" if radio else "text_input", id=field.id, name=field.name,
        label=field.label.text, description=field.description,
        value=(field.data or "") if radio else field._value(),
        errors=tuple(field.errors),
        choices=tuple((c.value, c.label) for c in field.choices) if radio else (),
    )
    settings = tuple(sorted(options.items()))
    if view.errors:
        return _render_field(view, heading, settings)
    skeleton = _skeleton(replace(view, value=ANSWER_SLOT), heading, settings)
    if not radio:
        return Markup(skeleton.replace(ANSWER_SLOT, str(escape(view.value)), 1))
    if not view.value:
        return Markup(skeleton)
    chosen = f'name="{escape(view.name)}" value="{escape(view.value)}">'
    return Markup(skeleton.replace(chosen, chosen[:-1] + " checked>", 1))


def _render_field(view: FieldView, heading: bool, settings: tuple) -> Markup:
    macro = getattr(current_app.jinja_env.globals["fields"], view.kind)
    return Markup(macro(view, heading=heading, **dict(settings)))


@lru_cache(maxsize=64)
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
