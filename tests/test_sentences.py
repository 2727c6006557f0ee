"""Every sentence that names a threshold or a field's range is made from the declaration.

A copy of each criterion and caution is made with each number changed
(``dataclasses.replace``), and every sentence of the copy (its rule, title,
term, what it looks for, explanations, exceptions) must say the new number
wherever the declaration's sentence said the old one. The same for a field's
range: its form message, its hint and what it allows.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from rules import CAUTIONS, CRITERIA, FIELDS
from rules.kinds import Choices, Country, WholeNumber
from rules.model import Criterion, Threshold

DECLARATIONS = [*CRITERIA, *CAUTIONS]


def sentences(declaration) -> dict[str, str]:
    """Every sentence of a criterion or caution, by where it is declared."""
    found = {"rule": declaration.rule, "title": declaration.title}
    if isinstance(declaration, Criterion):
        found |= {"term": declaration.term, "looks_for": declaration.looks_for}
        found |= {f"exception {i}": e.text for i, e in enumerate(declaration.exceptions)}
        limits = vars(declaration.limits)
        found |= {f"explanation {reason}": _filled(text, limits)
                  for reason, text in declaration.explanations.items()}
    else:
        found["explanation"] = declaration.explanation
    return found


def _filled(template: str, limits: dict) -> str:
    """An explanation with its thresholds put in (the answers left as their names)."""
    names = set(re.findall(r"\{(\w+)", template)) - set(limits)
    return template.format(**limits, **{name: f"<{name}>" for name in names})


def _numbers(declaration) -> list[Threshold]:
    return [t for t in declaration.thresholds
            if isinstance(t.value, (int, float)) and not isinstance(t.value, bool)]


def _shown(value: float) -> set[str]:
    """How a number may be written in a sentence: ``6.0``, ``6``, ``55``."""
    return {f"{value:g}", f"{value:.1f}"} if isinstance(value, float) else {str(value)}


def _says(text: str, value: float) -> bool:
    return any(re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", text)
               for shown in _shown(value))


def _changed(value: float) -> float:
    """A new value that no sentence could already hold by chance."""
    return 7.5 if isinstance(value, float) else 37


CHANGES = [(declaration, threshold) for declaration in DECLARATIONS
           for threshold in _numbers(declaration)]


@pytest.mark.parametrize(("declaration", "threshold"), CHANGES,
                         ids=[f"{d.id}.{t.name}" for d, t in CHANGES])
def test_every_sentence_follows_a_changed_threshold(declaration, threshold):
    new = _changed(threshold.value)
    copy = dataclasses.replace(declaration, thresholds=tuple(
        dataclasses.replace(t, value=new) if t is threshold else t
        for t in declaration.thresholds))
    before, after = sentences(declaration), sentences(copy)
    named = [where for where, text in before.items()
             if "{" + threshold.name in getattr(text, "msgid", "") or
             "{" + threshold.name in declaration_template(declaration, where)]
    assert named, f"no sentence names {threshold.name}"
    for where in named:
        assert _says(after[where], new), (where, after[where])
    if "{" + threshold.name in declaration_template(declaration, "rule"):
        assert after["rule"] != before["rule"]


def declaration_template(declaration, where: str) -> str:
    """The template a sentence was made from."""
    if where.startswith("explanation "):
        return declaration.explanations[where.removeprefix("explanation ")]
    text = sentences(declaration)[where]
    return getattr(text, "msgid", text)


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=[d.id for d in DECLARATIONS])
def test_no_sentence_writes_a_threshold_by_hand(declaration):
    """A number a rule compares with is never typed into a sentence's template."""
    numbers = _numbers(declaration)
    for where in sentences(declaration):
        template = declaration_template(declaration, where)
        for threshold in numbers:
            assert not _says(re.sub(r"\{[^}]*\}", "", template), threshold.value), \
                (declaration.id, where, threshold.name, template)


def test_choice_thresholds_are_named_from_the_field_declarations():
    relapsing = next(c for c in CRITERIA if c.id == "relapsing_ms")
    assert relapsing.rule.startswith("Met for RRMS, or SPMS with 1 or more relapses")
    assert "not met for PPMS or CIS" in relapsing.rule
    wider = dataclasses.replace(relapsing, thresholds=tuple(
        dataclasses.replace(t, value=frozenset({"rrms", "cis"}))
        if t.name == "relapsing_types" else t for t in relapsing.thresholds))
    assert wider.rule.startswith("Met for RRMS or CIS, or SPMS")
    walking = next(c for c in CAUTIONS if c.id == "walking_aid")
    assert walking.rule.endswith("for walking about 100 metres with a stick, crutch or brace "
                                 "on one side.")
    two_aids = dataclasses.replace(walking, thresholds=tuple(
        dataclasses.replace(t, value="two_aids") if t.name == "aid_walking" else t
        for t in walking.thresholds))
    assert two_aids.rule.endswith("for walking about 20 metres with aids on both sides.")


RANGED = [name for name, field in FIELDS.items()
          if field.minimum is not None and field.message]


@pytest.mark.parametrize("name", RANGED)
def test_a_field_message_hint_and_allowed_words_follow_its_range(name):
    field = FIELDS[name]
    assert _says(field.error, field.minimum) and _says(field.error, field.maximum)
    low, high = (3, 97) if isinstance(field.kind, WholeNumber) else (1.0, 9.5)
    copy = dataclasses.replace(field, kind=dataclasses.replace(field.kind, minimum=low,
                                                               maximum=high))
    assert _says(copy.error, low) and _says(copy.error, high), copy.error
    assert _says(copy.allowed, high) or "EDSS" in copy.allowed
    if "{" in getattr(field.hint, "msgid", ""):
        assert _says(copy.hint, low) and _says(copy.hint, high), copy.hint
    with pytest.raises(ValueError):
        copy.parse(str(high + 1))


def test_every_question_has_a_message_and_every_choice_kind_its_choices():
    for name, field in FIELDS.items():
        if name == "years_since_diagnosis":  # worked out, never asked on a page
            continue
        assert field.message, name
        if isinstance(field.kind, Choices):
            assert field.values, name
    assert isinstance(FIELDS["country"].kind, Country)
