"""Judge a set of answers against every criterion and caution."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter

from .answers import Answers
from .cautions import CAUTIONS
from .changes import CANNOT_CHANGE, single_changes, would_change
from .content import (
    ALWAYS_QUESTIONS,
    CRITERIA_VERSION,
    NAMED_TRIALS,
    SOURCES_CHECKED,
    outcome_sentence,
    trial_links,
)
from .criteria import CRITERIA, CRITERIA_BY_ID
from .fields import FIELDS, UNSURE
from .i18n import Text
from .model import (
    DOES_NOT_MATCH,
    HIGH,
    MATCHES,
    MET,
    NOT_MET,
    UNCLEAR,
    UNKNOWN,
    Assessment,
    Finding,
    RaisedCaution,
)


def _getter(names: tuple[str, ...]):
    """A function that reads these fields from Answers as a tuple."""
    get = attrgetter(*names)
    return get if len(names) > 1 else (lambda answers: (get(answers),))


_CRITERIA = tuple((criterion, _getter(criterion.fields)) for criterion in CRITERIA)
#: Each field's label as a sentence of its own (the same for everyone, made once).
_LABELS = {name: Text(field.label) for name, field in FIELDS.items()}
#: Each declared choice of a field the criteria read, in words as an answer reads on its
#: own, and inside an explanation: the words are the same whoever picks the choice, so
#: they are made once from the declarations (keys are field names and declared values).
_CHOICES = tuple((name, choice.value) for name in dict.fromkeys(
    name for criterion in CRITERIA for name in criterion.fields)
    for choice in FIELDS[name].choices)
_ANSWER_WORDS = {(name, value): FIELDS[name].words(value) for name, value in _CHOICES}
_IN_WORDS = {(name, value): FIELDS[name].choice(value).words.lowered()
             for name, value in _CHOICES if value != UNSURE}
#: "Label: words" for each declared choice of a field the criteria read, and for no
#: answer: the same for whoever gives it (keys are field names and declared values).
_ANSWER_PAIRS = {
    (name, value): Text("{label}: {value}", label=_LABELS[name], value=FIELDS[name].words(value))
    for name, value in (*_CHOICES, *((name, None) for name in dict.fromkeys(
        name for criterion in CRITERIA for name in criterion.fields)))
}
_NOT_SURE = Text("not sure")
#: The sentences that ``evaluate`` puts into its findings as they are: the same objects
#: for everyone, made once from the declarations, so a page can put each into the
#: reader's language once (``app/fragments.py``). None holds an answer.
DECLARED_WORDS: tuple[Text, ...] = (
    *_LABELS.values(), *_ANSWER_WORDS.values(), *_IN_WORDS.values(), *_ANSWER_PAIRS.values(),
    _NOT_SURE, *(criterion.looks_for for criterion in CRITERIA), *CANNOT_CHANGE.values(),
)
_CAUTIONS = tuple(
    (caution, _getter(caution.fields), RaisedCaution(
        caution.id, caution.title, caution.severity, caution.explanation, caution.sources))
    for caution in sorted(CAUTIONS, key=lambda caution: caution.severity != HIGH)
)


def outcome_of(statuses) -> str:
    """The outcome rule of the contract (section 4)."""
    if NOT_MET in statuses:
        return DOES_NOT_MATCH
    if UNKNOWN in statuses:
        return UNCLEAR
    return MATCHES


def _in_words(name: str, value: object) -> str:
    """An answer as it reads inside an explanation sentence."""
    if value is None or value == UNSURE:
        return _NOT_SURE
    field = FIELDS[name]
    if field.choices:
        return _IN_WORDS[name, value]
    return field.in_sentence(value)


def _finding(criterion_id: str, values: tuple) -> Finding:
    """Judge one criterion and explain the result.

    Nothing is kept between calls: the key would be a person's answers, and no
    cache holds those (issue 12). A rule table's check, which needs only the
    statuses, uses ``verdict`` instead.
    """
    criterion = CRITERIA_BY_ID[criterion_id]
    status, reason = criterion.judge(*values, criterion.limits)
    pairs = tuple(zip(criterion.fields, values, strict=True))
    words = {name: _in_words(name, value) for name, value in pairs}
    explanation = Text(criterion.explanations[reason], **words, **vars(criterion.limits))
    changes = () if status == MET else single_changes(criterion.id, values)
    return Finding(
        id=criterion.id,
        title=criterion.title,
        term=criterion.term,
        status=status,
        reason=reason,
        answer=Text.join((_answer(name, value) for name, value in pairs
                          if not _ignored(name, pairs)), "; "),
        explanation=explanation,
        changes=changes,
        would_change="" if status == MET else would_change(criterion, values, changes),
        exceptions=tuple(exception for exception in criterion.exceptions
                         if reason in exception.reasons),
        sources=criterion.sources,
    )


def _answer(name: str, value: object) -> Text:
    """One answer as the summary gives it: the field's label and the answer in words."""
    answer = _ANSWER_PAIRS.get((name, value))
    if answer is None:
        answer = Text("{label}: {value}", label=_LABELS[name], value=FIELDS[name].words(value))
    return answer


def _ignored(name: str, pairs: tuple) -> bool:
    """Whether this answer does not apply, given the others (``Field.ignored_when``)."""
    rule = FIELDS[name].ignored_when
    return rule is not None and (rule[0], rule[1]) in pairs


def evaluate(answers: Answers) -> Assessment:
    """Judge every criterion and caution for these answers, with reasons and sources."""
    answers = answers.applicable()
    findings = tuple(_finding(criterion.id, get(answers)) for criterion, get in _CRITERIA)
    outcome = outcome_of([finding.status for finding in findings])
    questions = [
        criterion.question
        for (criterion, _), finding in zip(_CRITERIA, findings, strict=True)
        if finding.status == UNKNOWN
    ]
    cautions = []
    unsure_questions = []
    for caution, get, raised in _CAUTIONS:
        values = get(answers)
        if caution.raised(*values, caution.limits):
            cautions.append(raised)
            questions.append(caution.question)
        elif caution.unsure_question and values[0] in (None, UNSURE):
            unsure_questions.append(caution.unsure_question)
    return Assessment(
        outcome=outcome,
        outcome_text=outcome_sentence(outcome, [finding.status for finding in findings]),
        findings=findings,
        cautions=tuple(cautions),
        questions=tuple(dict.fromkeys([*questions, *unsure_questions, *ALWAYS_QUESTIONS])),
        trial_links=trial_links(answers.country),
        named_trials=NAMED_TRIALS,
        criteria_version=CRITERIA_VERSION,
        sources_checked=SOURCES_CHECKED,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """Only what a rule table checks: the outcome, each criterion's status, the cautions."""

    outcome: str
    statuses: Mapping[str, str]
    caution_ids: tuple[str, ...]


def verdict(answers: Answers) -> Verdict:
    """The statuses, outcome and raised cautions of ``evaluate``, and nothing else.

    The same rules judge in the same order, but no explanation, change or link
    is built: checking a large table needs none of them.
    """
    answers = answers.applicable()
    statuses = {criterion.id: criterion.judge(*get(answers), criterion.limits)[0]
                for criterion, get in _CRITERIA}
    raised = tuple(caution.id for caution, get, _ in _CAUTIONS
                   if caution.raised(*get(answers), caution.limits))
    return Verdict(outcome_of(statuses.values()), statuses, raised)
