"""The JSON shapes of an assessment and of the declarations, shared by the API and its document."""

from __future__ import annotations

from collections.abc import Iterable

from rules import (
    CAUTIONS,
    CRITERIA,
    CRITERIA_VERSION,
    FIELDS,
    OUTCOMES,
    SOURCES,
    SOURCES_CHECKED,
    Answers,
    Assessment,
)
from rules.content import OUTCOME_TEXT
from rules.fields import Field
from rules.model import Threshold


def _sources(ids: Iterable[str]) -> list[dict]:
    return [{"id": id_, "citation": SOURCES[id_].citation, "url": SOURCES[id_].url or None}
            for id_ in ids]


def _link(link) -> dict:
    return {"title": link.title, "url": link.url, "note": link.note}


def assessment_json(assessment: Assessment, answers: Answers) -> dict:
    """The whole assessment as JSON: outcome, criteria, cautions, questions, links."""
    return {
        "outcome": assessment.outcome,
        "outcome_text": assessment.outcome_text,
        "criteria": [
            {
                "id": finding.id,
                "title": finding.title,
                "term": finding.term,
                "status": finding.status,
                "answer": finding.answer,
                "explanation": finding.explanation,
                "would_change": finding.would_change or None,
                "changes": [{"field": change.field, "values": list(change.values),
                             "text": change.text} for change in finding.changes],
                "exceptions": [{"text": exception.text, "sources": list(exception.sources)}
                               for exception in finding.exceptions],
                "sources": _sources(finding.sources),
            }
            for finding in assessment.findings
        ],
        "cautions": [
            {"id": caution.id, "title": caution.title, "severity": caution.severity,
             "explanation": caution.explanation, "sources": _sources(caution.sources)}
            for caution in assessment.cautions
        ],
        "questions_for_doctor": list(assessment.questions),
        "trial_links": [_link(link) for link in assessment.trial_links],
        "named_trials": [_link(link) for link in assessment.named_trials],
        "answers": answers.to_dict(skip_blank=True),
        "criteria_version": assessment.criteria_version,
        "sources_checked": assessment.sources_checked,
    }


def _threshold(threshold: Threshold) -> dict:
    value = threshold.value
    if isinstance(value, (set, frozenset, tuple)):
        value = sorted(value)
    return {"name": threshold.name, "field": threshold.field, "value": value,
            "unit": threshold.unit, "description": threshold.description}


def field_json(field: Field) -> dict:
    """One input of the rules: its type and what it allows."""
    described = {"name": field.name, "type": field.kind.name, "label": field.label,
                 "question": field.question, "allowed": field.allowed}
    if field.choices:
        described["values"] = [{"value": choice.value, "label": choice.words}
                               for choice in field.choices]
    else:
        described["minimum"] = field.minimum
        described["maximum"] = field.maximum
    return described


def criteria_json() -> dict:
    """Every field, criterion and caution as declared, with the outcome rule."""
    return {
        "criteria_version": CRITERIA_VERSION,
        "sources_checked": SOURCES_CHECKED,
        "fields": [field_json(field) for field in FIELDS.values()],
        "criteria": [
            {"id": c.id, "title": c.title, "term": c.term, "rule": c.rule,
             "fields": list(c.fields), "thresholds": [_threshold(t) for t in c.thresholds],
             "explanations": dict(c.explanations), "question": c.question,
             "exceptions": [{"text": e.text, "sources": list(e.sources)}
                            for e in c.exceptions],
             "sources": _sources(c.sources)}
            for c in CRITERIA
        ],
        "cautions": [
            {"id": c.id, "title": c.title, "severity": c.severity, "rule": c.rule,
             "fields": list(c.fields), "thresholds": [_threshold(t) for t in c.thresholds],
             "explanation": c.explanation, "question": c.question,
             "unsure_question": c.unsure_question or None, "sources": _sources(c.sources)}
            for c in CAUTIONS
        ],
        "outcomes": [{"outcome": outcome, "text": OUTCOME_TEXT[outcome]}
                     for outcome in OUTCOMES],
    }
