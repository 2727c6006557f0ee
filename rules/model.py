"""The shapes the rules are declared in and the shapes they answer with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import MappingProxyType, SimpleNamespace

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
    explanations: dict[str, str]
    question: str
    sources: tuple[str, ...]
    looks_for: str
    exceptions: tuple[SourceException, ...] = ()
    limits: SimpleNamespace = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        limits = {t.name: t.value for t in self.thresholds}
        object.__setattr__(self, "limits", SimpleNamespace(**limits))
        # Each sentence keeps its template as the message id (see rules/i18n.py).
        for name in ("title", "term", "looks_for"):
            object.__setattr__(self, name, Text(getattr(self, name), **limits))
        object.__setattr__(self, "exceptions", tuple(
            replace(exception, text=Text(exception.text, **limits))
            for exception in self.exceptions))

    @property
    def rule(self) -> str:
        """The rule in one sentence: the judge's docstring."""
        return " ".join((self.judge.__doc__ or "").split())


@dataclass(frozen=True)
class Caution:
    """A reason for extra care, declared once; it never changes a status."""

    id: str
    title: str
    severity: str
    fields: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    raised: Callable[..., bool]
    explanation: str
    question: str
    sources: tuple[str, ...]
    unsure_question: str = ""
    limits: SimpleNamespace = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        limits = {t.name: t.value for t in self.thresholds}
        object.__setattr__(self, "limits", SimpleNamespace(**limits))
        object.__setattr__(self, "title", Text(self.title, **limits))
        object.__setattr__(self, "explanation", Text(self.explanation, **limits))

    @property
    def rule(self) -> str:
        """When the caution is raised, in one sentence: the rule's docstring."""
        return " ".join((self.raised.__doc__ or "").split())


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
