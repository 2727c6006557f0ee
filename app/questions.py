"""The question pages: one topic per page, in order, with what each page asks.

This is the one definition of the questionnaire. The page flow, check your
answers, the saved-answers file and the FHIR export all read it. Questions and
hints come from the rules' field declarations; the only field the web adds is
the year of diagnosis, a year whose declared derivation gives the rules'
``years_since_diagnosis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rules import FIELDS, Answers
from rules.derived import FIRST_DIAGNOSIS_YEAR, years_since_diagnosis
from rules.fields import Derivation, Field
from rules.i18n import N_, Text
from rules.kinds import Year

DIAGNOSIS_YEAR = Field(
    "diagnosis_year", Year(FIRST_DIAGNOSIS_YEAR), N_("Year of diagnosis"),
    N_("In which year were you diagnosed with MS?"),
    N_("For example, 2019. Leave it empty if you are not sure."),
    message=N_("Enter the year you were diagnosed as 4 digits, like 2019. It cannot be "
               "later than this year. Leave it empty if you are not sure."),
    derives=Derivation(
        "years_since_diagnosis", years_since_diagnosis,
        N_("(diagnosed in {value}; counted in whole years)"),
        fhirpath="(today().toString().substring(0, 4).toInteger() - {answer}).toDecimal()",
        description="This year minus the year of diagnosis, in whole years"),
)

#: Every field a page can ask: the rules' fields plus the web's diagnosis year.
WEB_FIELDS: dict[str, Field] = {
    **{name: field for name, field in FIELDS.items() if name != "years_since_diagnosis"},
    "diagnosis_year": DIAGNOSIS_YEAR,
}

#: The page answers that give an input of the rules, rather than being one.
DERIVED: dict[str, Derivation] = {
    name: field.derives for name, field in WEB_FIELDS.items() if field.derives}


@dataclass(frozen=True, slots=True)
class SkipWhen:
    """A page is skipped when an earlier answer has this value (FHIR reads it too)."""

    field: str
    value: str


@dataclass(frozen=True, eq=False)
class Page:
    """One question page: its address, heading and the fields it asks.

    Each page exists once (in ``PAGES``), so pages compare by identity.
    """

    slug: str
    heading: str
    fields: tuple[str, ...]
    intro: str = ""
    skip_when: SkipWhen | None = None
    topic: str = ""

    def applies(self, stored: Mapping[str, str]) -> bool:
        """Whether this page is asked, given the answers so far."""
        skip = self.skip_when
        return skip is None or stored.get(skip.field, "").strip() != skip.value

    @property
    def is_single_question(self) -> bool:
        """A page with one question uses the question as its heading."""
        return len(self.fields) == 1


PAGES: tuple[Page, ...] = (
    Page("about-you", WEB_FIELDS["age"].question, ("age",), topic=N_("About you")),
    Page("diagnosis", N_("Your diagnosis"), ("ms_type", "diagnosis_year"), topic=N_("Diagnosis")),
    Page("recent-activity", N_("Your MS in the last 12 months"),
         ("relapses_12m", "new_mri_activity_12m"), topic=N_("Recent activity")),
    Page("treatments", WEB_FIELDS["dmt_count"].question, ("dmt_count",),
         topic=N_("Treatments")),
    Page("treatment-history", N_("Your treatments so far"),
         ("activity_on_dmt", "high_efficacy_dmt"),
         # The treatment history matters unless the person has taken no treatment.
         skip_when=SkipWhen("dmt_count", "0"),
         topic=N_("Treatment history")),
    Page("walking", N_("Walking"), ("walking", "edss"), topic=N_("Walking"),
         intro=N_("How far you can walk helps show how much MS affects you day to day.")),
    Page("other-health", N_("Other health problems"), (
        "heart_disease", "lung_disease", "kidney_disease", "liver_disease",
        "active_infection", "cancer_history", "prior_chemotherapy"),
        intro=N_("HSCT is hard on the body. Some health problems make it riskier."),
        topic=N_("Other health")),
    Page("family-plans", N_("Pregnancy and family plans"), ("pregnant", "wants_children"),
         intro=N_("The chemotherapy used in HSCT affects pregnancy and the chance of "
                  "having children later."), topic=N_("Pregnancy and family plans")),
    Page("country", WEB_FIELDS["country"].question, ("country",), topic=N_("Trial searches")),
)

PAGES_BY_SLUG = {page.slug: page for page in PAGES}
PAGE_OF_FIELD = {name: page for page in PAGES for name in page.fields}


def applicable_pages(stored: Mapping[str, str]) -> tuple[Page, ...]:
    """The pages that apply to these answers, in order."""
    return tuple(page for page in PAGES if page.applies(stored))


def purge(stored: dict[str, str], done: list[str]) -> None:
    """Drop answers and progress for pages that no longer apply."""
    for page in PAGES:
        if not page.applies(stored):
            for name in page.fields:
                stored.pop(name, None)
            if page.slug in done:
                done.remove(page.slug)


def stored_value(name: str, value: str | int | float, today: date) -> str:
    """An answer checked and written as it is stored; ValueError when it is not allowed."""
    text = str(value).strip()
    if not text:
        return ""
    field = WEB_FIELDS[name]
    return field.format_value(field.parse(text, today))


def to_answers(stored: Mapping[str, str], today: date) -> Answers:
    """The stored page answers as the rules' Answers.

    Nothing is decided here: an answer that derives an input of the rules (the
    year of diagnosis) gives it through the rules' own function, and answers the
    rules ignore stay as given.
    """
    values = {name: value for name, value in stored.items() if name in FIELDS}
    for name, derivation in DERIVED.items():
        text = stored.get(name, "").strip()
        if text:
            values[derivation.field] = str(derivation.compute(int(text), today))
    return Answers.from_mapping(values)


def derivation_notes(stored: Mapping[str, str]) -> dict[str, Text]:
    """For each input of the rules worked out from an answer given, how: the note
    its derivation declares, with the answer in it ("(diagnosed in 2019; …)")."""
    return {derivation.field: Text(derivation.note, value=stored[name].strip())
            for name, derivation in DERIVED.items() if stored.get(name, "").strip()}


def answer_words(name: str, value: str, today: date | None = None) -> str:
    """A stored answer as check your answers shows it."""
    field = WEB_FIELDS[name]
    text = (value or "").strip()
    if not text:
        return field.words(None)  # "Not sure", worded as the summary words it
    if field.choices:
        return field.choice(text).words
    return field.number_words(field.parse(text, today))  # written for the reader's locale


def choices(name: str) -> list[tuple[str, str]]:
    """A choice field's (value, words) pairs."""
    return [(choice.value, choice.words) for choice in WEB_FIELDS[name].choices]
