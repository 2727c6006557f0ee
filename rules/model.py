"""The shapes the rules are declared in and the shapes they answer with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import MappingProxyType, SimpleNamespace

from .fields import FIELDS
from .i18n import Text

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
STATUSES = (MET, NOT_MET, UNKNOWN)

MATCHES = "matches"
UNCLEAR = "unclear"
DOES_NOT_MATCH = "does_not_match"
OUTCOMES = (MATCHES, UNCLEAR, DOES_NOT_MATCH)

HIGH = "high"
MODERATE = "moderate"
SEVERITIES = (HIGH, MODERATE)


@dataclass(frozen=True, slots=True)
class Threshold:
    """A number or set of values a rule compares an answer with."""

    name: str
    field: str
    value: object
    unit: str
    description: str


def _template(text: str) -> str:
    """A sentence's template: its message id once it has been filled in (see ``replace``)."""
    return getattr(text, "msgid", text)


def sentence_values(thresholds: tuple[Threshold, ...]) -> dict[str, object]:
    """Each threshold as a sentence names it: a number as itself, choices in words.

    A set of choices (``{"rrms"}``) reads as the field declares each choice
    ("RRMS"; "about 100 metres with a stick …"), joined with "or".
    """
    values = {}
    for threshold in thresholds:
        field = FIELDS[threshold.field]
        values[threshold.name] = (field.kind.named(threshold.value) if field.choices
                                  else threshold.value)
    return values


@dataclass(frozen=True, slots=True)
class SourceException:
    """A case the sources mention that a plain reading of a rule would miss."""

    text: str
    sources: tuple[str, ...]
    #: The judge's reasons this exception applies to; it is shown only for those.
    reasons: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Criterion:
    """One point of the profile, declared once with its rule and its words.

    ``judge`` is called with the values of ``fields`` in order, then the
    thresholds (by name, as attributes); it returns ``(status, reason)``.
    ``explanations`` maps each reason to a template filled with the answers in
    words (by field name) and the threshold values (by threshold name).
    """

    id: str
    title: str
    term: str
    fields: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    judge: Callable[..., tuple[str, str]]
    #: The rule in one sentence, with each threshold by name (``{max_age}``).
    rule: str
    explanations: dict[str, str]
    question: str
    sources: tuple[str, ...]
    looks_for: str
    exceptions: tuple[SourceException, ...] = ()
    limits: SimpleNamespace = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        limits = {t.name: t.value for t in self.thresholds}
        object.__setattr__(self, "limits", SimpleNamespace(**limits))
        # Each sentence keeps its template as the message id (see rules/i18n.py), so
        # that a copy made with other thresholds (dataclasses.replace) says them.
        words = sentence_values(self.thresholds)
        for name in ("title", "term", "looks_for", "rule"):
            object.__setattr__(self, name, Text(_template(getattr(self, name)), **words))
        object.__setattr__(self, "exceptions", tuple(
            replace(exception, text=Text(_template(exception.text), **words))
            for exception in self.exceptions))


@dataclass(frozen=True)
class Caution:
    """A reason for extra care, declared once; it never changes a status."""

    id: str
    title: str
    severity: str
    fields: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    raised: Callable[..., bool]
    #: When the caution is raised, in one sentence, with each threshold by name.
    rule: str
    explanation: str
    question: str
    sources: tuple[str, ...]
    unsure_question: str = ""
    limits: SimpleNamespace = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        limits = {t.name: t.value for t in self.thresholds}
        object.__setattr__(self, "limits", SimpleNamespace(**limits))
        words = sentence_values(self.thresholds)
        for name in ("title", "explanation", "rule"):
            object.__setattr__(self, name, Text(_template(getattr(self, name)), **words))


@dataclass(frozen=True, slots=True)
class Change:
    """One answer that, changed on its own, would make a criterion met."""

    field: str
    values: tuple[object, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """How one criterion came out for these answers, and why."""

    id: str
    title: str
    term: str
    status: str
    reason: str
    answer: str
    explanation: str
    changes: tuple[Change, ...]
    would_change: str
    exceptions: tuple[SourceException, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RaisedCaution:
    """A caution raised by these answers."""

    id: str
    title: str
    severity: str
    explanation: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A link the person may choose to open, with what it is."""

    title: str
    url: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the rules say about one set of answers."""

    outcome: str
    outcome_text: str
    findings: tuple[Finding, ...]
    cautions: tuple[RaisedCaution, ...]
    questions: tuple[str, ...]
    trial_links: tuple[Link, ...]
    named_trials: tuple[Link, ...]
    criteria_version: str
    sources_checked: str

    @property
    def statuses(self) -> MappingProxyType:
        """Each criterion id with its status."""
        return MappingProxyType({finding.id: finding.status for finding in self.findings})

    def finding(self, criterion_id: str) -> Finding:
        """The finding for one criterion."""
        for finding in self.findings:
            if finding.id == criterion_id:
                return finding
        raise KeyError(criterion_id)
