"""The inputs of the rules (section 1 of the contract), declared once.

Each field says what it accepts, how a value reads in plain words, and how to
phrase a hypothetical answer ("If you had had 2 or more relapses …"). The web
pages, the API, the FHIR export and the rule tables all read these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .countries import COUNTRIES
from .i18n import N_, Territory, Text
from .kinds import (
    EDSS_STEPS,
    UNSURE,
    Choice,
    Choices,
    Country,
    EdssStep,
    Kind,
    Number,
    WholeNumber,
    is_control,
    yes_no_unsure,
)

__all__ = ["EDSS_STEPS", "FIELDS", "HEALTH_FIELDS", "UNSURE", "Choice", "Derivation", "Field"]


@dataclass(frozen=True, slots=True)
class Derivation:
    """An input of the rules worked out from an answer a page asks (years from a year)."""

    #: The rules' field it gives.
    field: str
    compute: Callable[[int, date], object]
    #: Said beside the worked-out value, with the answer as ``{value}``.
    note: str = ""
    #: The same derivation in FHIRPath, with the answer as ``{answer}`` (FHIR's
    #: calculatedExpression), and in words.
    fhirpath: str = ""
    description: str = ""


@dataclass(frozen=True)
class Field:
    """One input of the rules (or a page's question): its kind, and its wording.

    Everything that depends on how the answer is written belongs to ``kind``
    (``rules/kinds.py``); the field adds what is said about it.
    """

    name: str
    kind: Kind
    label: str
    question: str
    hint: str = ""
    answer_template: str = "{value}"
    looks_for_template: str = ""
    #: For a fact that cannot change, how to name it ("Your age"); blank otherwise.
    #: A choice field is fixed only when the answer is a choice marked ``fixed``.
    fixed: str = ""
    #: The field does not apply (the rules ignore it) when this other field has this value.
    ignored_when: tuple[str, object] | None = None
    #: What a form says when the answer is not allowed; ``{minimum}`` and ``{maximum}``
    #: are the kind's range.
    message: str = ""
    #: The rules' input worked out from this answer, when it is not one itself.
    derives: Derivation | None = None

    def __post_init__(self) -> None:
        # A hint that names the range says the kind's (the template stays the message id).
        template = getattr(self.hint, "msgid", self.hint)
        if self.kind.minimum is not None and "{" in template:
            object.__setattr__(self, "hint", Text(template, minimum=self.kind.minimum,
                                                  maximum=self.kind.maximum))

    @property
    def minimum(self):
        return self.kind.minimum

    @property
    def maximum(self):
        return self.kind.maximum

    @property
    def step(self):
        return self.kind.step

    @property
    def choices(self) -> tuple[Choice, ...]:
        return self.kind.choices

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed values of a choice field, ``unsure`` included."""
        return tuple(choice.value for choice in self.kind.choices)

    @property
    def lookup(self) -> dict[str, str]:
        """Each accepted spelling of a choice, lower-cased, with the value it means."""
        return self.kind.lookup

    def choice(self, value: str) -> Choice:
        """The declared choice for ``value``."""
        try:
            return self.kind.choice(value)
        except (AttributeError, KeyError):
            raise KeyError(f"{self.name} has no choice {value!r}") from None

    def is_fixed(self, value: object) -> bool:
        """Whether this answer is a fact that cannot change."""
        if not self.fixed or value is None or value == UNSURE:
            return False
        return self.choice(value).fixed if self.kind.choices else True

    @property
    def allowed(self) -> str:
        """What this field accepts, in words, for error messages."""
        return self.kind.allowed

    @property
    def error(self) -> Text:
        """What a form says when the answer is not allowed, with the kind's range put in."""
        if self.kind.minimum is None:
            return Text(self.message)
        return Text(self.message, minimum=self.kind.minimum, maximum=self.kind.maximum)

    def format_value(self, value: object) -> str:
        """A typed value as a person would write it (``6.0``, ``10``, ``rrms``)."""
        return self.kind.format_value(value)

    def words(self, value: object) -> str:
        """The person's own answer in plain words."""
        if value is None:
            # A blank number is the way to say "Not sure"; a list without that
            # answer (the country) was simply left blank.
            return Text("Not sure") if self.kind.blank_is_unsure else Text("Not answered")
        if value == UNSURE:
            return Text("Not sure")
        return self.kind.words(value, self.answer_template)

    def number_words(self, value: object) -> Text:
        """A typed number as ``format_value`` writes it, kept a number for the reader's locale."""
        return self.kind.number_words(value)

    def in_sentence(self, value: object) -> Text:
        """An answer as it reads inside an explanation sentence."""
        if value is None or value == UNSURE:
            return Text("not sure")
        return self.kind.in_sentence(value)

    def parse(self, raw: object, today: date | None = None) -> object:
        """Turn a string or typed value into this field's value.

        Returns None for blank. Raises ValueError with what is allowed.
        """
        if raw is None:
            return None
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
            if any(is_control(c) for c in text):
                raise ValueError(self.allowed)
        elif isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ValueError(self.allowed)
        else:
            text = None
        return self.kind.read(text, raw, today)


def _health(name: str, label: str, question: str, hint: str, message: str) -> Field:
    """A yes/no/unsure question about something that raises the risks of HSCT."""
    return Field(
        name, yes_no_unsure("you have this", "you do not have this"), label, question, hint,
        message=message,
    )


def _country_choices() -> tuple[Choice, ...]:
    """Every country of the list, accepted by name, ISO alpha-2 code or other names."""
    return tuple(Choice(name, Territory(name, code), aliases=(code, *others))
                 for code, name, others in COUNTRIES)


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field(
            "age", WholeNumber(0, 120), "Age", "How old are you?",
            "In whole years.",
            answer_template="{value} years",
            looks_for_template="for people aged {range}",
            fixed="Your age",
            message=N_("Enter your age in whole years, from {minimum} to {maximum}, or leave "
                       "it empty if you prefer not to say"),
        ),
        Field(
            "ms_type", Choices((
                Choice("rrms", "Relapsing-remitting", "RRMS",
                       "for relapsing-remitting MS (RRMS)"),
                Choice("spms", "Secondary progressive", "SPMS",
                       "for progressive MS that is still active "
                       "(SPMS with relapses or new lesions)",
                       fixed=True),
                Choice("ppms", "Primary progressive", "PPMS",
                       "for primary progressive MS (PPMS)", fixed=True),
                Choice("cis", "Clinically isolated syndrome", "CIS",
                       "for a clinically isolated syndrome (CIS)"),
                Choice(UNSURE, "Not sure"),
            )), "Type of MS", "What type of MS do you have?",
            "Your neurologist will have told you. It is often written in clinic letters.",
            looks_for_template="{choices}",
            fixed="The type of MS you have",
            message=N_("Select the type of MS you have, or ‘Not sure’"),
        ),
        Field(
            "years_since_diagnosis", Number(0, 100, 0.5), "Years since diagnosis",
            "How many years ago were you diagnosed with MS?",
            "Count from the date a doctor told you that you have MS.",
            answer_template="{value} years",
            looks_for_template="when MS was diagnosed {range} years ago",
            fixed="The time since your diagnosis",
        ),
        Field(
            "relapses_12m", WholeNumber(0, 50), "Relapses in the last 12 months",
            "How many relapses have you had in the last 12 months?",
            "A relapse (also called an attack or flare) is new symptoms, or old ones "
            "getting worse, that last 24 hours or more, with no fever or infection. "
            "Count two relapses only if they started at least 30 days apart.",
            looks_for_template="with {range} relapses in the last 12 months",
            message=N_("Enter the number of relapses as a whole number from {minimum} to "
                       "{maximum}, or leave it empty if you are not sure"),
        ),
        Field(
            "new_mri_activity_12m", yes_no_unsure(
                "when an MRI scan in the last 12 months showed new or active areas of "
                "damage (new T2 or gadolinium-enhancing lesions)",
                "when an MRI scan in the last 12 months showed no new activity",
            ), "New MRI activity in the last 12 months",
            "Did an MRI scan in the last 12 months show new or active areas of damage?",
            "Your MRI report may call these new T2 lesions or gadolinium-enhancing lesions.",
            looks_for_template="{choices}",
            message=N_("Select yes, no or ‘Not sure’ for new activity on an MRI scan"),
        ),
        Field(
            "dmt_count", WholeNumber(0, 30), "MS treatments taken",
            "How many MS medicines (disease-modifying treatments, DMTs) have you ever taken?",
            "Count each long-term MS medicine once, for example interferon beta, "
            "glatiramer acetate, teriflunomide, dimethyl fumarate, fingolimod, "
            "natalizumab, ocrelizumab, ofatumumab, rituximab, alemtuzumab or cladribine.",
            looks_for_template="when {range} MS medicines (DMTs) have been taken",
            message=N_("Enter the number of treatments as a whole number from {minimum} to "
                       "{maximum}, or leave it empty if you are not sure"),
        ),
        Field(
            "activity_on_dmt", yes_no_unsure(
                "when MS stayed active while taking an MS medicine",
                "when MS stayed quiet while taking an MS medicine",
            ), "Active MS while on treatment",
            "Has your MS been active while you were taking an MS medicine "
            "(a disease-modifying treatment)?",
            "Active means relapses, or new areas of damage on an MRI scan. Only count "
            "what happened after you had taken the medicine long enough for it to work, "
            "about 3 to 6 months.",
            looks_for_template="{choices}",
            message=N_("Select yes, no or ‘Not sure’ for MS activity while taking a treatment"),
            ignored_when=("dmt_count", 0),
        ),
        Field(
            "high_efficacy_dmt", yes_no_unsure(
                "when one of the medicines was a high-efficacy one",
                "when none of the medicines was a high-efficacy one",
            ), "High-efficacy treatment taken",
            "Has one of your MS medicines been a high-efficacy one?",
            "For example natalizumab, ocrelizumab, ofatumumab, ublituximab, rituximab, "
            "alemtuzumab or cladribine. Your MS team can tell you if another one counts.",
            looks_for_template="{choices}",
            message=N_("Select yes, no or ‘Not sure’ for a high-efficacy treatment"),
            ignored_when=("dmt_count", 0),
        ),
        Field(
            "edss", EdssStep(), "EDSS score", "What is your EDSS score?",
            "Optional. The EDSS (Expanded Disability Status Scale) is scored by a "
            "neurologist from {minimum} to {maximum}. Leave it empty if you do not know it.",
            looks_for_template="with an EDSS score of {range}",
            message=N_("Enter an EDSS score from {minimum} to {maximum} in half steps, like "
                       "3.5 or 6.0 (there is no 0.5), or leave it empty if you do not know it"),
        ),
        Field(
            "walking", Choices((
                Choice("unaided_far", "500 metres or more without help or a rest",
                       looks_for="500 metres or more without help or a rest"),
                Choice("unaided_short", "At least 100 metres without help, "
                       "but not 500 metres",
                       looks_for="at least 100 metres without help"),
                Choice("one_aid", "About 100 metres with a stick, crutch or brace "
                       "on one side, with or without a rest",
                       looks_for="about 100 metres with a stick, crutch or brace on one side"),
                Choice("two_aids", "About 20 metres with aids on both sides, such as "
                       "two sticks or a rollator (a walking frame with wheels)",
                       looks_for="about 20 metres with aids on both sides"),
                Choice("wheelchair", "No more than about 5 metres, even with help "
                       "(wheelchair user)",
                       looks_for="no more than about 5 metres"),
                Choice(UNSURE, "Not sure"),
            )), "Walking", "How far can you walk?",
            "Think of a normal day. Resting on the way is fine if you use one stick "
            "or crutch. If you use a wheelchair most of the time, choose the last answer.",
            looks_for_template="for people who can walk {choices}",
            message=N_("Select how far you can walk, or ‘Not sure’"),
        ),
        _health("heart_disease", "Serious heart disease",
                "Do you have a serious heart problem?",
                "For example heart failure, or a heart attack in the past.",
                N_("Select yes, no or ‘Not sure’ for a serious heart problem")),
        _health("lung_disease", "Serious lung disease",
                "Do you have a serious lung problem?",
                "For example COPD or lung scarring that limits your breathing.",
                N_("Select yes, no or ‘Not sure’ for a serious lung problem")),
        _health("kidney_disease", "Serious kidney disease",
                "Do you have serious kidney disease?",
                "For example kidneys that work much less well than normal.",
                N_("Select yes, no or ‘Not sure’ for serious kidney disease")),
        _health("liver_disease", "Serious liver disease",
                "Do you have serious liver disease?",
                "For example, a liver that is scarred (cirrhosis) or hurt by hepatitis.",
                N_("Select yes, no or ‘Not sure’ for serious liver disease")),
        _health("active_infection", "Infection not cured",
                "Do you have an infection that has not been cured?",
                "This includes HIV, hepatitis B or C, and TB (tuberculosis). Say yes even "
                "if medicines keep it under control.",
                N_("Select yes, no or ‘Not sure’ for an infection")),
        _health("cancer_history", "Cancer now or in the past", "Have you ever had cancer?",
                "Any cancer, now or in the past.",
                N_("Select yes, no or ‘Not sure’ for cancer")),
        _health("prior_chemotherapy", "Chemotherapy in the past",
                "Have you ever had chemotherapy?",
                "For example mitoxantrone or cyclophosphamide for MS, or chemotherapy "
                "for cancer.",
                N_("Select yes, no or ‘Not sure’ for chemotherapy")),
        _health("pregnant", "Pregnant now", "Are you pregnant now?",
                "The medicines used in HSCT cannot be given during pregnancy.",
                N_("Select yes, no or ‘Not sure’ for being pregnant now")),
        _health("wants_children", "May want children",
                "Might you want to have children in the future?",
                "HSCT can make it harder to have children and can bring an early "
                "menopause. You would need reliable birth control during treatment and "
                "for a time after it.",
                N_("Select yes, no or ‘Not sure’ for wanting children")),
        Field(
            "country", Country(
                _country_choices(),
                allowed_words="a country's English name, such as United Kingdom, or its "
                              "two-letter ISO code, such as GB (the full list is in "
                              "rules/countries.py, and GET /api/v1/criteria lists it), or "
                              "blank",
                blank=N_("Any country (no country chosen)"),
            ), "Country for trial searches",
            "Which country should we search for trials in?",
            "Optional. Only used to narrow the trial search links.",
            message=N_("Choose a country from the list, or ‘Any country’"),
        ),
    )
}

HEALTH_FIELDS = (
    "heart_disease", "lung_disease", "kidney_disease",
    "liver_disease", "active_infection", "cancer_history", "prior_chemotherapy",
)
