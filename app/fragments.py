"""Parts of pages shared by every template: a question's markup, the summary body, links.

Nothing built from a person's answers is kept: every page is made afresh for
its request. The only thing kept is each link's address, which depends on the
endpoint and where the app is mounted, never on an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request, url_for
from markupsafe import Markup

from rules import Assessment
from rules import content as summary_content
from rules.sources import SOURCES


def summary_body(assessment: Assessment, diagnosis_year: str) -> Markup:
    """Everything on the summary page except the actions, for one assessment."""
    template = current_app.jinja_env.get_template("summary_body.html")
    return Markup(template.render(assessment=assessment, content=summary_content,
                                  sources=SOURCES, diagnosis_year=diagnosis_year))


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
    radio = field.type == "RadioField"
    view = FieldView(
        kind="radios" if radio else "text_input", id=field.id, name=field.name,
        label=field.label.text, description=field.description,
        value=(field.data or "") if radio else field._value(),
        errors=tuple(field.errors),
        choices=tuple((c.value, c.label) for c in field.choices) if radio else (),
    )
    macro = getattr(current_app.jinja_env.globals["fields"], view.kind)
    return Markup(macro(view, heading=heading, **options))


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
