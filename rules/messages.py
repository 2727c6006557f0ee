"""Every message id the declarations hold, for the translation catalogue.

Most of what the rules say is declared as data and put together at run time
(an explanation is a template plus ``_TYPE_AIM``), which a source-code scanner
cannot read. ``declared()`` walks the declarations instead; ``babel_extract``
offers it to ``pybabel extract`` (see ``babel.cfg``). Sentences written out in
code (``Text("… {count} …")``) are found by pybabel's own Python scanner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import content
from .cautions import CAUTIONS
from .criteria import CRITERIA
from .docs import INPUTS, INTRO, STATUS_WORDS, specification
from .fields import FIELDS
from .i18n import Territory, Text


def _msgid(text: str) -> str:
    return text.msgid if isinstance(text, Text) else text


def _words(text: str) -> bool:
    """Whether a message has words in it (not only ``{value}`` and punctuation)."""
    return bool(re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", text)))


def declared() -> Iterator[tuple[str, str]]:
    """Each (message id, where it is declared), in declaration order."""
    for field in FIELDS.values():
        where = f"field {field.name}"
        yield from ((_msgid(text), where) for text in (field.label, field.question, field.hint,
                                               field.fixed, field.answer_template,
                                               field.looks_for_template))
        for choice in field.choices:
            if not isinstance(choice.label, Territory):
                yield from ((text, f"{where}, choice {choice.value}")
                            for text in (choice.label, choice.term, choice.looks_for))
    for criterion in CRITERIA:
        where = f"criterion {criterion.id}"
        yield from ((_msgid(text), where) for text in (
            criterion.title, criterion.term, criterion.looks_for, criterion.question,
            criterion.rule, *criterion.explanations.values(),
            *(exception.text for exception in criterion.exceptions),
            *(threshold.description for threshold in criterion.thresholds),
            *(threshold.unit for threshold in criterion.thresholds)))
    for caution in CAUTIONS:
        where = f"caution {caution.id}"
        yield from ((_msgid(text), where) for text in (
            caution.title, caution.explanation, caution.question, caution.unsure_question,
            caution.rule, *(threshold.description for threshold in caution.thresholds),
            *(threshold.unit for threshold in caution.thresholds)))
    yield from ((text, "content") for text in (
        content.SPECIALIST, *content.OUTCOME_TEXT.values(), *content.WHAT_NOW,
        *content.ALWAYS_QUESTIONS,
        *content.ABOUT_HSCT, *(s.text for s in content.RISKS), content.RISKS_CENTRES.text,
        *(s.text for s in content.EVIDENCE), content.WHERE_GIVEN.text,
        *(s.text for s in content.UNPROVEN_CLINICS),
        *(phrase for phrases in content.ARE_PHRASES.values() for phrase in phrases)))
    for trial in content.NAMED_TRIALS_DETAIL:
        yield from ((text, f"trial {trial.name}") for text in (
            trial.countries, trial.takes, trial.status, trial.record, trial.brief))
    for link in content.trial_links():
        yield from ((_msgid(text), "trial searches") for text in (link.title, link.note))
    spec = specification()
    yield from ((text, "specification") for text in (
        INTRO, INPUTS, *STATUS_WORDS.values(), spec["outcome_rule"],
        *(outcome["when"] for outcome in spec["outcomes"])))


def messages() -> list[str]:
    """Every declared message id with words in it, once each."""
    return list(dict.fromkeys(text for text, _ in declared() if text and _words(text)))


def babel_extract(fileobj, keywords, comment_tags, options):
    """A ``pybabel extract`` method: the declared messages, whatever file it is given."""
    where = {}
    for text, place in declared():
        where.setdefault(text, place)
    for text in messages():
        yield 0, None, text, [f"declared: {where[text]}"]
