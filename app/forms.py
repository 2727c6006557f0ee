"""One form per question page. Forms check the shape of an answer only.

A number left empty means "not sure"; a choice question must be answered, and
always offers "Not sure". Each field is asked with its kind's widget, and the
wording of every message lives on its field.
"""

from __future__ import annotations

from datetime import date

from flask import g, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from rules.i18n import N_

from . import i18n
from .questions import PAGES_BY_SLUG, WEB_FIELDS, choices


class Allowed:
    """Accept what the field's declaration accepts; otherwise say the field's message."""

    def __init__(self, name: str):
        self.field = WEB_FIELDS[name]

    def __call__(self, form, field) -> None:
        try:
            self.field.parse(field.data, getattr(form, "today", None) or date.today())
        except ValueError:
            raise ValidationError(self.field.error) from None


class Chosen:
    """A choice question needs one of its answers; "Not sure" is always one."""

    def __init__(self, name: str):
        self.field = WEB_FIELDS[name]

    def __call__(self, form, field) -> None:
        if field.data not in {option.value for option in field.choices}:
            raise ValidationError(self.field.error)


def radios(name: str) -> RadioField:
    """A radio group for a choice field of the rules."""
    field = WEB_FIELDS[name]
    options = [SelectChoice(value, words) for value, words in choices(name)]
    return RadioField(field.question, choices=options, validate_choice=False,
                      validators=[Chosen(name)], description=field.hint)


def text_input(name: str) -> StringField:
    """A text box for a number or a year; empty means not sure."""
    field = WEB_FIELDS[name]
    return StringField(field.question, validators=[Allowed(name)],
                       description=field.hint, filters=[_strip, _decimal_point])


def select(name: str) -> SelectField:
    """A drop-down list for a choice field with many answers; blank means none chosen."""
    field = WEB_FIELDS[name]
    options = [SelectChoice("", field.kind.blank),
               *(SelectChoice(v, w) for v, w in choices(name))]
    return SelectField(field.question, choices=options, validate_choice=False,
                       validators=[Allowed(name)], description=field.hint)


#: The form field for each kind's widget.
WIDGETS = {"radios": radios, "text_input": text_input, "select": select}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _decimal_point(value):
    """A number typed with the reader's decimal comma ("3,5") as the rules write it ("3.5")."""
    if isinstance(value, str) and i18n.decimal_symbol() == ",":
        return value.replace(",", ".")
    return value




TIMED_OUT = N_("This page timed out to keep your answers safe. Your answers on this page "
             "are still here: check them and press Continue again.")


class PlainForm(FlaskForm):
    """A form whose stale or missing CSRF token gets a plain message, not a technical one.

    It reads form posts only: Flask-WTF would also read a JSON body as form data,
    and a JSON list or number there would break it.
    """

    timed_out = TIMED_OUT

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto and form.is_submitted() and request.is_json:
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.meta.csrf:
            if self.csrf_token.errors:
                self.csrf_token.errors = [self.timed_out]
                self._errors = None
            else:
                g.csrf_passed = True  # this post may write the session cookie
        return valid


class PageForm(PlainForm):
    """A question page's form."""


def page_form(page) -> type[PageForm]:
    """The form of one question page: each of its fields asked with its kind's widget."""
    fields = {name: WIDGETS[WEB_FIELDS[name].kind.widget](name) for name in page.fields}
    return type(f"{page.slug.title().replace('-', '')}Form", (PageForm,), fields)


FORMS: dict[str, type[FlaskForm]] = {slug: page_form(page) for slug, page in PAGES_BY_SLUG.items()}

if set(FORMS) != set(PAGES_BY_SLUG):
    raise RuntimeError("every question page needs exactly one form")
for _slug, _form in FORMS.items():
    if set(PAGES_BY_SLUG[_slug].fields) != {
            name for name in vars(_form) if name in WEB_FIELDS}:
        raise RuntimeError(f"the form for {_slug} must ask exactly the page's fields")
