"""The inputs of the rules (section 1 of the contract), declared once.

Each field says what it accepts, how a value reads in plain words, and how to
phrase a hypothetical answer ("If you had had 2 or more relapses …"). The web
pages, the API, the FHIR export and the rule tables all read these.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from .countries import COUNTRIES
from .i18n import Territory, Text, number

UNSURE = "unsure"

WHOLE = "whole number"
NUMBER = "number"
EDSS = "EDSS step"
CHOICE = "choice"
TEXT = "text"

#: Kurtzke EDSS steps: 0, then 1.0 to 10 in half steps (there is no 0.5).
EDSS_STEPS: tuple[float, ...] = (0.0, *(step / 2 for step in range(2, 21)))


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of a choice field."""

    value: str
    label: str
    term: str = ""
    looks_for: str = ""
    aliases: tuple[str, ...] = ()
    #: A fact that cannot change (a type of progressive MS).
    fixed: bool = False

    @property
    def words(self) -> str:
        """The label with the precise term beside it, when there is one."""
        if isinstance(self.label, Territory):
            return self.label
        if self.term:
            return Text("{label} ({term})", label=Text(self.label), term=Text(self.term))
        return Text(self.label)


@dataclass(frozen=True)
class Field:
    """One input of the rules: its type, allowed values and wording."""

    name: str
    kind: str
    label: str
    question: str
    hint: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 0
    choices: tuple[Choice, ...] = ()
    answer_template: str = "{value}"
    looks_for_template: str = ""
    step: float = 1
    allowed_words: str = ""
    #: For a fact that cannot change, how to name it ("Your age"); blank otherwise.
    #: A choice field is fixed only when the answer is a choice marked ``fixed``.
    fixed: str = ""
    #: The field does not apply (the rules ignore it) when this other field has this value.
    ignored_when: tuple[str, object] | None = None

    @cached_property
    def values(self) -> tuple[str, ...]:
        """The allowed values of a choice field, ``unsure`` included."""
        return tuple(choice.value for choice in self.choices)

    def is_fixed(self, value: object) -> bool:
        """Whether this answer is a fact that cannot change."""
        if not self.fixed or value is None or value == UNSURE:
            return False
        return self.choice(value).fixed if self.kind == CHOICE else True

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Each accepted spelling of a choice, lower-cased, with the value it means."""
        names = {}
        for choice in self.choices:
            for name in (choice.value, *choice.aliases):
                names[name.lower()] = choice.value
        return names

    def choice(self, value: str) -> Choice:
        """The declared choice for ``value``."""
        for choice in self.choices:
            if choice.value == value:
                return choice
        raise KeyError(f"{self.name} has no choice {value!r}")

    @property
    def allowed(self) -> str:
        """What this field accepts, in words, for error messages."""
        if self.allowed_words:
            return self.allowed_words
        if self.kind == CHOICE:
            return "one of " + ", ".join(self.values) + ", or blank"
        if self.kind == WHOLE:
            return f"a whole number from {self.minimum:g} to {self.maximum:g}, or blank"
        if self.kind == NUMBER:
            return f"a number from {self.minimum:g} to {self.maximum:g}, or blank"
        if self.kind == EDSS:
            return "an EDSS step: 0, 1.0, 1.5, 2.0 … 9.5, 10 (there is no 0.5), or blank"
        return f"text of at most {self.max_length} characters, or blank"

    def format_value(self, value: object) -> str:
        """A typed value as a person would write it (``6.0``, ``10``, ``rrms``)."""
        if self.kind == EDSS:
            return f"{value:.1f}" if value else "0"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def words(self, value: object) -> str:
        """The person's own answer in plain words."""
        if value is None:
            # A blank number is the way to say "Not sure"; a list without that
            # answer (the country) was simply left blank.
            unsure = self.kind != TEXT and (self.kind != CHOICE or UNSURE in self.values)
            return Text("Not sure") if unsure else Text("Not answered")
        if value == UNSURE:
            return Text("Not sure")
        if self.kind == CHOICE:
            return Text(self.answer_template, value=self.choice(value).words)
        return Text(self.answer_template, value=self.number_words(value))

    def number_words(self, value: object) -> Text:
        """A typed number as ``format_value`` writes it, kept a number for the reader's locale."""
        if self.kind == EDSS:
            return number(value, ".1f") if value else number(0)
        if isinstance(value, float):
            return number(value, "g")
        return number(value)

    def parse(self, raw: object) -> object:
        """Turn a string or typed value into this field's value.

        Returns None for blank. Raises ValueError with what is allowed.
        """
        if raw is None:
            return None
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
        elif isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ValueError(self.allowed)
        else:
            text = None
        if self.kind == TEXT:
            if text is None:
                raise ValueError(self.allowed)
            if len(text) > self.max_length or any(_is_control(c) for c in text):
                raise ValueError(self.allowed + ", without control characters")
            return text
        if self.kind == CHOICE:
            value = self.lookup.get(" ".join(text.split()).lower()) if text else None
            if value is None:
                raise ValueError(self.allowed)
            return value
        number = _to_decimal(raw if text is None else text)
        if number is None or not self.minimum <= number <= self.maximum:
            raise ValueError(self.allowed)
        if self.kind == WHOLE:
            if number != number.to_integral_value():
                raise ValueError(self.allowed)
            return int(number)
        if self.kind == EDSS:
            if float(number) not in EDSS_STEPS:
                raise ValueError(self.allowed)
            return float(number)
        return float(number)


def _is_control(character: str) -> bool:
    """A control character or a lone surrogate (which no text file can hold)."""
    return unicodedata.category(character) in ("Cc", "Cs")


def _to_decimal(raw: object) -> Decimal | None:
    """A finite Decimal from a number or numeric text, or None.

    Text must be written with ASCII digits and no ``_``: Python would also read
    ``4_0``, ``٤`` and ``４``, which the contract (and the OpenAPI document) forbid.
    """
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    if isinstance(raw, str) and not (raw.isascii() and "_" not in raw):
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _yes_no_unsure(yes: str, no: str) -> tuple[Choice, ...]:
    """The three answers of a yes/no question, with what each looks like in a rule."""
    return (
        Choice("yes", "Yes", looks_for=yes),
        Choice("no", "No", looks_for=no),
        Choice(UNSURE, "Not sure"),
    )


def _health(name: str, label: str, question: str, hint: str) -> Field:
    """A yes/no/unsure question about something that raises the risks of HSCT."""
    return Field(
        name, CHOICE, label, question, hint,
        choices=_yes_no_unsure("you have this", "you do not have this"),
    )


def _country_choices() -> tuple[Choice, ...]:
    """Every country of the list, accepted by name, ISO alpha-2 code or other names."""
    return tuple(Choice(name, Territory(name, code), aliases=(code, *others))
                 for code, name, others in COUNTRIES)


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field(
            "age", WHOLE, "Age", "How old are you?",
            "In whole years.", minimum=0, maximum=120,
            answer_template="{value} years",
            looks_for_template="for people aged {range}",
            fixed="Your age",
        ),
        Field(
            "ms_type", CHOICE, "Type of MS", "What type of MS do you have?",
            "Your neurologist will have told you. It is often written in clinic letters.",
            choices=(
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
            ),
            looks_for_template="{choices}",
            fixed="The type of MS you have",
        ),
        Field(
            "years_since_diagnosis", NUMBER, "Years since diagnosis",
            "How many years ago were you diagnosed with MS?",
            "Count from the date a doctor told you that you have MS.",
            minimum=0, maximum=100, step=0.5,
            answer_template="{value} years",
            looks_for_template="when MS was diagnosed {range} years ago",
            fixed="The time since your diagnosis",
        ),
        Field(
            "relapses_12m", WHOLE, "Relapses in the last 12 months",
            "How many relapses have you had in the last 12 months?",
            "A relapse (also called an attack or flare) is new symptoms, or old ones "
            "getting worse, that last 24 hours or more, with no fever or infection. "
            "Count two relapses only if they started at least 30 days apart.",
            minimum=0, maximum=50,
            looks_for_template="with {range} relapses in the last 12 months",
        ),
        Field(
            "new_mri_activity_12m", CHOICE, "New MRI activity in the last 12 months",
            "Did an MRI scan in the last 12 months show new or active areas of damage?",
            "Your MRI report may call these new T2 lesions or gadolinium-enhancing lesions.",
            choices=_yes_no_unsure(
                "when an MRI scan in the last 12 months showed new or active areas of "
                "damage (new T2 or gadolinium-enhancing lesions)",
                "when an MRI scan in the last 12 months showed no new activity",
            ),
            looks_for_template="{choices}",
        ),
        Field(
            "dmt_count", WHOLE, "MS treatments taken",
            "How many MS medicines (disease-modifying treatments, DMTs) have you ever taken?",
            "Count each long-term MS medicine once, for example interferon beta, "
            "glatiramer acetate, teriflunomide, dimethyl fumarate, fingolimod, "
            "natalizumab, ocrelizumab, ofatumumab, rituximab, alemtuzumab or cladribine.",
            minimum=0, maximum=30,
            looks_for_template="when {range} MS medicines (DMTs) have been taken",
        ),
        Field(
            "activity_on_dmt", CHOICE, "Active MS while on treatment",
            "Has your MS been active while you were taking an MS medicine "
            "(a disease-modifying treatment)?",
            "Active means relapses, or new areas of damage on an MRI scan. Only count "
            "what happened after you had taken the medicine long enough for it to work, "
            "about 3 to 6 months.",
            choices=_yes_no_unsure(
                "when MS stayed active while taking an MS medicine",
                "when MS stayed quiet while taking an MS medicine",
            ),
            looks_for_template="{choices}",
            ignored_when=("dmt_count", 0),
        ),
        Field(
            "high_efficacy_dmt", CHOICE, "High-efficacy treatment taken",
            "Has one of your MS medicines been a high-efficacy one?",
            "For example natalizumab, ocrelizumab, ofatumumab, ublituximab, rituximab, "
            "alemtuzumab or cladribine. Your MS team can tell you if another one counts.",
            choices=_yes_no_unsure(
                "when one of the medicines was a high-efficacy one",
                "when none of the medicines was a high-efficacy one",
            ),
            looks_for_template="{choices}",
            ignored_when=("dmt_count", 0),
        ),
        Field(
            "edss", EDSS, "EDSS score", "What is your EDSS score?",
            "Optional. The EDSS (Expanded Disability Status Scale) is scored by a "
            "neurologist from 0 to 10. Leave it empty if you do not know it.",
            minimum=0, maximum=10, step=0.5,
            looks_for_template="with an EDSS score of {range}",
        ),
        Field(
            "walking", CHOICE, "Walking", "How far can you walk?",
            "Think of a normal day. Resting on the way is fine if you use one stick "
            "or crutch. If you use a wheelchair most of the time, choose the last answer.",
            choices=(
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
            ),
            looks_for_template="for people who can walk {choices}",
        ),
        _health("heart_disease", "Serious heart disease",
                "Do you have a serious heart problem?",
                "For example heart failure, or a heart attack in the past."),
        _health("lung_disease", "Serious lung disease",
                "Do you have a serious lung problem?",
                "For example COPD or lung scarring that limits your breathing."),
        _health("kidney_disease", "Serious kidney disease",
                "Do you have serious kidney disease?",
                "For example kidneys that work much less well than normal."),
        _health("liver_disease", "Serious liver disease",
                "Do you have serious liver disease?",
                "For example, a liver that is scarred (cirrhosis) or hurt by hepatitis."),
        _health("active_infection", "Infection not cured",
                "Do you have an infection that has not been cured?",
                "This includes HIV, hepatitis B or C, and TB (tuberculosis). Say yes even "
                "if medicines keep it under control."),
        _health("cancer_history", "Cancer now or in the past", "Have you ever had cancer?",
                "Any cancer, now or in the past."),
        _health("prior_chemotherapy", "Chemotherapy in the past",
                "Have you ever had chemotherapy?",
                "For example mitoxantrone or cyclophosphamide for MS, or chemotherapy "
                "for cancer."),
        _health("pregnant", "Pregnant now", "Are you pregnant now?",
                "The medicines used in HSCT cannot be given during pregnancy."),
        _health("wants_children", "May want children",
                "Might you want to have children in the future?",
                "HSCT can make it harder to have children and can bring an early "
                "menopause. You would need reliable birth control during treatment and "
                "for a time after it."),
        Field(
            "country", CHOICE, "Country for trial searches",
            "Which country should we search for trials in?",
            "Optional. Only used to narrow the trial search links.",
            choices=_country_choices(),
            allowed_words="a country's English name, such as United Kingdom, or its "
                          "two-letter ISO code, such as GB (the full list is in "
                          "rules/countries.py, and GET /api/v1/criteria lists it), or blank",
        ),
    )
}

HEALTH_FIELDS = (
    "heart_disease", "lung_disease", "kidney_disease",
    "liver_disease", "active_infection", "cancer_history", "prior_chemotherapy",
)
