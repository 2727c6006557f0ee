"""The kinds of answer a field takes, one class each.

A kind owns everything that depends on how an answer is written: reading and
checking it (with the words that say what is allowed), writing it back, the
values worth trying when a rule is probed (``rules/changes.py``), and what each
channel needs to describe it: the form widget, the OpenAPI schema, the FHIR
item type, its limits and codes. Forms, check your answers, saved files, the
API, OpenAPI and FHIR ask the kind; none tests a kind's name or a field's name.

The allowed values are data on the kind (a range, a step, the choices), so the
sentences that name them are worked out from that data, never written again.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import ClassVar

from .i18n import Territory, Text, number

UNSURE = "unsure"


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

    @property
    def named(self) -> Text:
        """The choice as a rule sentence names it: its precise term, else what it looks for."""
        return Text(self.term or self.looks_for or self.label)


def either(parts: list) -> Text:
    """'a', 'a or b', 'a, b or c'."""
    parts = [part if isinstance(part, Text) else Text(part) for part in parts]
    if len(parts) == 1:
        return parts[0]
    return Text("{these} or {last}", these=Text.join(parts[:-1], ", "), last=parts[-1])


class Kind:
    """How answers of one kind are read, written and described (see the module)."""

    #: The kind's name as the API and the specification publish it.
    name: ClassVar[str]
    #: The form widget: ``radios``, ``select`` or ``text_input``.
    widget: ClassVar[str] = "text_input"
    #: The keyboard a phone offers for a text box.
    inputmode: ClassVar[str] = "numeric"
    #: The FHIR Questionnaire item type, and the answer value keys it takes.
    fhir_type: ClassVar[str] = "string"
    fhir_value_keys: ClassVar[tuple[str, ...]] = ("valueString",)
    #: Answered with a code in FHIR (choices, EDSS steps).
    coded: ClassVar[bool] = False
    #: A blank answer says "Not sure" (else "Not answered").
    blank_is_unsure: ClassVar[bool] = True

    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    choices: tuple[Choice, ...] = ()

    @property
    def allowed(self) -> str:
        """What this kind accepts, in words, for error messages."""
        raise NotImplementedError

    def allowed_on(self, on: date) -> str:
        """What this kind accepts on a given day (a year cannot be later than that day's)."""
        return self.allowed

    def read(self, text: str | None, raw: object, today: date | None) -> object:
        """A non-blank answer (``text``, or the typed ``raw`` when ``text`` is None) as a value.

        Raises ValueError when it is not allowed.
        """
        raise NotImplementedError

    def format_value(self, value: object) -> str:
        """A value as a person would write it (``6.0``, ``10``, ``rrms``)."""
        return f"{value:g}" if isinstance(value, float) else str(value)

    def number_words(self, value: object) -> Text:
        """A value as ``format_value`` writes it, kept a number for the reader's locale."""
        return number(value, "g") if isinstance(value, float) else number(value)

    def words(self, value: object, template: str) -> Text:
        """A non-blank answer in plain words, put into the field's answer template."""
        return Text(template, value=self.number_words(value))

    def in_sentence(self, value: object) -> Text:
        """A non-blank answer as it reads inside an explanation sentence."""
        return self.number_words(value)

    def candidates(self, points: set[float]) -> tuple[object, ...]:
        """Every value worth trying near ``points`` (a rule's thresholds) to probe a rule."""
        raise NotImplementedError

    def looks_for(self, template: str, winners: list, tried: tuple) -> Text:
        """What a point looks for in this field (after "This point is met")."""
        raise NotImplementedError

    def schema_forms(self) -> list[dict]:
        """The JSON Schema forms an answer may take (null aside)."""
        raise NotImplementedError

    def limits(self, on: date) -> tuple[object, object] | None:
        """The smallest and largest answers, typed (FHIR minValue/maxValue), or None."""
        return None

    def concepts(self) -> list[tuple[str, str]]:
        """A coded kind's (code, display) pairs."""
        return []

    def example(self, threshold: object | None) -> object:
        """An example answer: the first threshold a rule compares with, else the first allowed."""
        raise NotImplementedError


# ---------------------------------------------------------------- numbers


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
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class Number(Kind):
    """A number from ``minimum`` to ``maximum``; fractions allowed (the rules' years)."""

    minimum: float = 0
    maximum: float = 0
    #: The steps the schema lists for the text form and the rules probe by.
    step: float = 1

    name: ClassVar[str] = "number"
    inputmode: ClassVar[str] = "decimal"
    fhir_type: ClassVar[str] = "decimal"
    fhir_value_keys: ClassVar[tuple[str, ...]] = ("valueDecimal", "valueInteger")

    @property
    def allowed(self) -> str:
        return f"a number from {self.minimum:g} to {self.maximum:g}, or blank"

    def read(self, text, raw, today):
        value = _to_decimal(raw if text is None else text)
        if value is None or not self.minimum <= value <= self.maximum:
            raise ValueError(self.allowed)
        return self.exact(value)

    def exact(self, value: Decimal) -> object:
        """A number in range as this kind keeps it; ValueError when it is not one of its steps."""
        return float(value)

    def candidates(self, points):
        points = {p for p in (*points, self.minimum, self.maximum)
                  if self.minimum <= p <= self.maximum}
        return tuple(sorted(float(p) for p in points))

    def looks_for(self, template, winners, tried):
        return Text(template, range=self._range_words(winners, tried))

    def _range_words(self, winners: list, tried: tuple) -> Text:
        """The winning numbers as a range in words ("2 or more", "18 to 55")."""
        low, high = winners[0], winners[-1]
        if [value for value in tried if low <= value <= high] != winners:
            return either([self.number_words(value) for value in winners])
        low_text, high_text = self.number_words(low), self.number_words(high)
        if high == self.maximum and low == self.minimum:
            return Text("any number of")
        if high == self.maximum:
            return Text("{low} or more", low=low_text)
        if low == self.minimum:
            return Text("no more than {high}", high=high_text)
        return Text("{low} to {high}", low=low_text, high=high_text)

    def schema_forms(self):
        # As text, the schema lists the steps; the API also takes finer ones.
        count = int((self.maximum - self.minimum) / self.step)
        steps = [self.format_value(self.minimum + i * self.step) for i in range(count + 1)]
        return [{"type": "number", "minimum": self.minimum, "maximum": self.maximum},
                {"type": "string", "enum": [*steps, ""]}]

    def limits(self, on):
        return float(self.minimum), float(self.maximum)

    def example(self, threshold):
        return self.minimum if threshold is None else threshold


@dataclass(frozen=True)
class WholeNumber(Number):
    """A whole number from ``minimum`` to ``maximum`` (an age, a count)."""

    name: ClassVar[str] = "whole number"
    inputmode: ClassVar[str] = "numeric"
    fhir_type: ClassVar[str] = "integer"
    fhir_value_keys: ClassVar[tuple[str, ...]] = ("valueInteger",)

    @property
    def allowed(self) -> str:
        return f"a whole number from {self.minimum:g} to {self.maximum:g}, or blank"

    def exact(self, value):
        if value != value.to_integral_value():
            raise ValueError(self.allowed)
        return int(value)

    def candidates(self, points):
        return tuple(sorted({int(p) for p in super().candidates(points) if p == int(p)}))

    def schema_forms(self):
        low, high = int(self.minimum), int(self.maximum)
        return [{"type": "integer", "minimum": low, "maximum": high},
                {"type": "string", "enum": [*(str(n) for n in range(low, high + 1)), ""]}]

    def limits(self, on):
        return int(self.minimum), int(self.maximum)


#: Kurtzke EDSS steps: 0, then 1.0 to 10 in half steps (there is no 0.5).
EDSS_STEPS: tuple[float, ...] = (0.0, *(step / 2 for step in range(2, 21)))


@dataclass(frozen=True)
class EdssStep(Number):
    """A Kurtzke EDSS score: 0, then 1.0 to 10 in half steps."""

    minimum: float = 0
    maximum: float = 10
    step: float = 0.5
    steps: tuple[float, ...] = EDSS_STEPS

    name: ClassVar[str] = "EDSS step"
    fhir_type: ClassVar[str] = "choice"
    fhir_value_keys: ClassVar[tuple[str, ...]] = ("valueCoding", "valueDecimal", "valueInteger")
    coded: ClassVar[bool] = True

    @property
    def allowed(self) -> str:
        low, first, second, third, *_, last_but_one, last = self.steps
        shown = ", ".join(self.format_value(step) for step in (low, first, second, third))
        return (f"an EDSS step: {shown} … {self.format_value(last_but_one)}, {last:g} "
                f"(there is no {(low + first) / 2:g}), or blank")

    def exact(self, value):
        if float(value) not in self.steps:
            raise ValueError(self.allowed)
        return float(value)

    def format_value(self, value):
        return f"{value:.1f}" if value else "0"

    def number_words(self, value):
        return number(value, ".1f") if value else number(0)

    def candidates(self, points):
        return tuple(p for p in super().candidates(points) if p in self.steps)

    def schema_forms(self):
        # A list of numbers breaks typed client generators; the steps are 0, then
        # 1.0 to 10 in half steps, which two ranges say exactly.
        low, *steps = self.steps
        return [{"type": "number", "minimum": low, "maximum": low},
                {"type": "number", "minimum": steps[0], "maximum": steps[-1],
                 "multipleOf": steps[1] - steps[0]},
                {"type": "string", "enum": [*(self.format_value(s) for s in self.steps), ""]}]

    def limits(self, on):
        return None

    def concepts(self):
        return [(self.format_value(step), self.format_value(step)) for step in self.steps]


@dataclass(frozen=True)
class Year(WholeNumber):
    """A four-digit calendar year from ``minimum`` to this year (the year of a diagnosis)."""

    minimum: float = 1940
    maximum: float = 9999

    name: ClassVar[str] = "year"

    @property
    def allowed(self) -> str:
        return f"a year from {self.minimum:g} to this year, or blank"

    def allowed_on(self, on):
        return f"a year from {self.minimum:g} to {on.year}, or blank"

    def read(self, text, raw, today):
        text = str(raw) if text is None and isinstance(raw, int) else text
        this_year = (today or date.today()).year
        if not (text and text.isascii() and text.isdigit() and len(text) == 4
                and self.minimum <= int(text) <= this_year):
            raise ValueError(self.allowed)
        return int(text)

    def limits(self, on):
        return int(self.minimum), on.year


# ---------------------------------------------------------------- choices


@dataclass(frozen=True)
class Choices(Kind):
    """One of the declared choices, by value or another accepted spelling (case ignored)."""

    choices: tuple[Choice, ...] = ()

    name: ClassVar[str] = "choice"
    widget: ClassVar[str] = "radios"
    inputmode: ClassVar[str] = ""
    fhir_type: ClassVar[str] = "choice"
    fhir_value_keys: ClassVar[tuple[str, ...]] = ("valueCoding",)
    coded: ClassVar[bool] = True

    @cached_property
    def values(self) -> tuple[str, ...]:
        """The allowed values, ``unsure`` included."""
        return tuple(choice.value for choice in self.choices)

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Each accepted spelling, lower-cased, with the value it means."""
        names = {}
        for choice in self.choices:
            for spelling in (choice.value, *choice.aliases):
                names[spelling.lower()] = choice.value
        return names

    @cached_property
    def _by_value(self) -> dict[str, Choice]:
        return {choice.value: choice for choice in self.choices}

    def choice(self, value: str) -> Choice:
        """The declared choice for ``value``; KeyError when there is none."""
        return self._by_value[value]

    @property
    def blank_is_unsure(self) -> bool:  # type: ignore[override]
        """A list that offers "Not sure" reads a blank as that; any other list as unanswered."""
        return UNSURE in self.values

    @property
    def allowed(self) -> str:
        return "one of " + ", ".join(self.values) + ", or blank"

    def read(self, text, raw, today):
        value = self.lookup.get(" ".join(text.split()).lower()) if text else None
        if value is None:
            raise ValueError(self.allowed)
        return value

    def format_value(self, value):
        return str(value)

    def words(self, value, template):
        return Text(template, value=self.choice(value).words)

    def in_sentence(self, value):
        return self.choice(value).words.lowered()

    def candidates(self, points):
        return tuple(value for value in self.values if value != UNSURE)

    def looks_for(self, template, winners, tried):
        return Text(template, choices=either([Text(self.choice(value).looks_for)
                                              for value in winners]))

    def named(self, values) -> Text:
        """A value or set of values as a rule sentence names them, in declared order."""
        chosen = {values} if isinstance(values, str) else set(values)
        return either([choice.named for choice in self.choices if choice.value in chosen])

    def schema_forms(self):
        return [{"type": "string", "enum": [*self.values, ""]}]

    def concepts(self):
        return [(choice.value, choice.words) for choice in self.choices]

    def example(self, threshold):
        return self.values[0]


def yes_no_unsure(yes: str, no: str) -> Choices:
    """The three answers of a yes/no question, with what each looks like in a rule."""
    return Choices((
        Choice("yes", "Yes", looks_for=yes),
        Choice("no", "No", looks_for=no),
        Choice(UNSURE, "Not sure"),
    ))


@dataclass(frozen=True)
class Country(Choices):
    """A country from a long list, by English name, ISO alpha-2 code or another name.

    Asked with a drop-down list whose first entry (``blank``) chooses none.
    """

    allowed_words: str = ""
    blank: str = ""

    widget: ClassVar[str] = "select"

    @property
    def allowed(self) -> str:
        return self.allowed_words


def is_control(character: str) -> bool:
    """A control character or a lone surrogate (which no text file can hold)."""
    return unicodedata.category(character) in ("Cc", "Cs")
