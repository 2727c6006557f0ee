"""One form per question page. Forms check the shape of an answer only.

A number left empty means "not sure"; a choice question must be answered, and
always offers "Not sure". The wording of every message lives on its field.
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
from .questions import PAGES_BY_SLUG, WEB_FIELDS, choices, parse_year


class Allowed:
    """Accept what the field's declaration accepts; otherwise say ``message``."""

    def __init__(self, name: str, message: str):
        self.field = WEB_FIELDS[name]
        self.message = message

    def __call__(self, form, field) -> None:
        try:
            self.field.parse(field.data)
        except ValueError:
            raise ValidationError(self.message) from None


class Chosen:
    """A choice question needs one of its answers; "Not sure" is always one."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data not in {option.value for option in field.choices}:
            raise ValidationError(self.message)


class YearOfDiagnosis:
    """A four-digit year from 1940 to this year."""

    message = N_("Enter the year you were diagnosed as 4 digits, like 2019. It cannot be " \
              "later than this year. Leave it empty if you are not sure.")

    def __call__(self, form, field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        try:
            parse_year(text, getattr(form, "today", None) or date.today())
        except ValueError:
            raise ValidationError(self.message) from None


def choice(name: str, message: str) -> RadioField:
    """A radio group for a choice field of the rules."""
    field = WEB_FIELDS[name]
    options = [SelectChoice(value, words) for value, words in choices(name)]
    return RadioField(field.question, choices=options, validate_choice=False,
                      validators=[Chosen(message)], description=field.hint)


def number(name: str, message: str) -> StringField:
    """A text box for a number; empty means not sure."""
    field = WEB_FIELDS[name]
    return StringField(field.question, validators=[Allowed(name, message)],
                       description=field.hint, filters=[_strip, _decimal_point])


def select(name: str, message: str, blank: str) -> SelectField:
    """A drop-down list for a choice field with many answers; blank means none chosen."""
    field = WEB_FIELDS[name]
    options = [SelectChoice("", blank), *(SelectChoice(v, w) for v, w in choices(name))]
    return SelectField(field.question, choices=options, validate_choice=False,
                       validators=[Allowed(name, message)], description=field.hint)


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


class AboutYouForm(PageForm):
    age = number("age", N_("Enter your age in whole years, from 0 to 120, or leave it empty "
                        "if you prefer not to say"))


class DiagnosisForm(PageForm):
    ms_type = choice("ms_type", N_("Select the type of MS you have, or ‘Not sure’"))
    diagnosis_year = StringField(
        WEB_FIELDS["diagnosis_year"].question, validators=[YearOfDiagnosis()],
        description=WEB_FIELDS["diagnosis_year"].hint, filters=[_strip])


class RecentActivityForm(PageForm):
    relapses_12m = number("relapses_12m", N_("Enter the number of relapses as a whole number "
                                          "from 0 to 50, or leave it empty if you are not sure"))
    new_mri_activity_12m = choice("new_mri_activity_12m",
                                  N_("Select yes, no or ‘Not sure’ "
                                     "for new activity on an MRI scan"))


class TreatmentsForm(PageForm):
    dmt_count = number("dmt_count", N_("Enter the number of treatments as a whole number from "
                                    "0 to 30, or leave it empty if you are not sure"))


class TreatmentHistoryForm(PageForm):
    activity_on_dmt = choice("activity_on_dmt",
                             N_("Select yes, no or ‘Not sure’ "
                                "for MS activity while taking a treatment"))
    high_efficacy_dmt = choice("high_efficacy_dmt",
                               N_("Select yes, no or ‘Not sure’ "
                                  "for a high-efficacy treatment"))


class WalkingForm(PageForm):
    walking = choice("walking", N_("Select how far you can walk, or ‘Not sure’"))
    edss = number("edss", N_("Enter an EDSS score from 0 to 10 in half steps, like 3.5 or 6.0 "
                          "(there is no 0.5), or leave it empty if you do not know it"))


class OtherHealthForm(PageForm):
    heart_disease = choice("heart_disease",
        N_("Select yes, no or ‘Not sure’ "
           "for a serious heart problem"))
    lung_disease = choice("lung_disease",
        N_("Select yes, no or ‘Not sure’ "
           "for a serious lung problem"))
    kidney_disease = choice("kidney_disease",
        N_("Select yes, no or ‘Not sure’ "
           "for serious kidney disease"))
    liver_disease = choice("liver_disease",
        N_("Select yes, no or ‘Not sure’ "
           "for serious liver disease"))
    active_infection = choice("active_infection",
        N_("Select yes, no or ‘Not sure’ "
           "for an infection"))
    cancer_history = choice("cancer_history",
        N_("Select yes, no or ‘Not sure’ "
           "for cancer"))
    prior_chemotherapy = choice("prior_chemotherapy",
        N_("Select yes, no or ‘Not sure’ "
           "for chemotherapy"))


class FamilyPlansForm(PageForm):
    pregnant = choice("pregnant",
        N_("Select yes, no or ‘Not sure’ "
           "for being pregnant now"))
    wants_children = choice("wants_children",
        N_("Select yes, no or ‘Not sure’ "
           "for wanting children"))


class CountryForm(PageForm):
    country = select("country", N_("Choose a country from the list, or ‘Any country’"),
                     N_("Any country (no country chosen)"))


FORMS: dict[str, type[FlaskForm]] = {
    "about-you": AboutYouForm,
    "diagnosis": DiagnosisForm,
    "recent-activity": RecentActivityForm,
    "treatments": TreatmentsForm,
    "treatment-history": TreatmentHistoryForm,
    "walking": WalkingForm,
    "other-health": OtherHealthForm,
    "family-plans": FamilyPlansForm,
    "country": CountryForm,
}

if set(FORMS) != set(PAGES_BY_SLUG):
    raise RuntimeError("every question page needs exactly one form")
for _slug, _form in FORMS.items():
    if set(PAGES_BY_SLUG[_slug].fields) != {
            name for name in vars(_form) if name in WEB_FIELDS}:
        raise RuntimeError(f"the form for {_slug} must ask exactly the page's fields")
