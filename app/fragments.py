"""Parts of pages shared by every template: a question's markup, the summary body, links.

Nothing built from a person's answers is kept: every page is made afresh for
its request. Two things are kept, neither holding an answer: each link's
address (it depends on the endpoint, a page's name and where the app is
mounted) and each question's markup with a slot for the answer.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import itemgetter

from flask import current_app, request, url_for
from markupsafe import Markup, escape

from rules import Assessment
from rules import content as summary_content
from rules.assess import DECLARED_WORDS
from rules.cautions import CAUTIONS
from rules.criteria import CRITERIA
from rules.i18n import N_
from rules.model import (
    DOES_NOT_MATCH,
    MATCHES,
    NOT_MET,
    OUTCOMES,
    STATUSES,
    Finding,
    RaisedCaution,
    SourceException,
)
from rules.sources import SOURCES

from . import i18n
from .questions import WEB_FIELDS

#: What a statement's list of sources begins with.
SOURCES_WORD = N_("Sources:")
#: Marks a source in a page being made; numbered once the page is done.
_MARK = "\x1e"
_MARKED = re.compile(_MARK + "([^" + _MARK + "]+)" + _MARK)


def cited(ids) -> Markup:
    """The "Sources:" of a statement: a mark per source, numbered when the page is done."""
    links = " ".join(f'<a href="#ref-{_MARK}{source_id}{_MARK}">[{_MARK}{source_id}{_MARK}]</a>'
                     for source_id in ids)
    return Markup(f'<span class="sources">({escape(i18n.gettext(SOURCES_WORD))} {links})</span>')


def summary_body(assessment: Assessment, notes: Mapping[str, str], answered_on: str) -> Markup:
    """Everything on the summary page except the actions, for one assessment."""
    pieces = summary_pieces([], assessment, notes, answered_on)
    return Markup(b"".join(pieces).decode())


def summary_pieces(out: list[bytes], assessment: Assessment, notes: Mapping[str, str],
                   answered_on: str) -> list[bytes]:
    """The summary body as UTF-8, appended to ``out`` piece by piece (joined by the caller).

    ``notes`` says, for an input of the rules worked out from a page's answer, how
    (``app.questions.derivation_notes``): it follows the answer that reads that input.

    The page and every piece of it that reads no answer come made, once per language
    (``_summary_static``); this puts in what the answers say, each sentence translated
    and escaped, and each source's number, in the order the page first cites them.
    """
    reader = i18n.Translator.current()
    parts = _summary_static(current_app.jinja_env, reader.language,
                            assessment.criteria_version, assessment.sources_checked)
    reader.known = parts.known
    translate = reader.translate

    def words(text) -> bytes:
        return _escaped(translate(text))

    printed, on_screen_only = references(assessment)
    listed = printed + on_screen_only
    #: What goes in the slots; each source's number goes where its mark is.
    values = dict(zip(map(_MARKED.__getitem__, listed), _NUMBERS, strict=False))
    findings, outcome = assessment.findings, assessment.outcome

    glance, points = [], []
    for finding in findings:
        key = finding.id, finding.status
        values["answer"] = words(finding.answer)
        parts.glance[key].put(glance, values)
        values["noted"] = b"".join(b" " + words(notes[name])
                                   for name in _FIELDS_READ[finding.id] if name in notes)
        values["explanation"] = words(finding.explanation)
        if finding.would_change:
            values["text"] = words(finding.would_change)
            values["looks_for"] = parts.looks_for.fill(values)
        else:
            values["looks_for"] = b""
        values["exceptions"] = b"".join(parts.exception(exception, values)
                                        for exception in finding.exceptions)
        parts.points[key].put(points, values)

    values["not_met"] = b"%d" % sum(1 for finding in findings if finding.status == NOT_MET)
    values["total"] = b"%d" % len(findings)
    values["text"] = words(assessment.outcome_text)
    values["outcome"] = parts.outcomes[outcome].fill(values)
    values["day"] = _escaped(i18n.format_day(answered_on, "medium"))
    values["glance"], values["points"] = glance, points
    values["what_now"] = parts.what_now.fill(values) if outcome == DOES_NOT_MATCH else b""
    if assessment.cautions:
        values["items"] = b"".join(parts.caution(caution, values)
                                   for caution in assessment.cautions)
        values["cautions"] = parts.cautions.fill(values)
    else:
        values["cautions"] = parts.no_cautions
    questions = []
    for question in assessment.questions:
        values["text"] = words(question)
        parts.question.put(questions, values)
    values["questions"] = questions
    values["points_omit"] = parts.points_omit if outcome == MATCHES else b""
    links, last = [], len(assessment.trial_links) - 1
    for index, link in enumerate(assessment.trial_links):
        values["url"] = _escaped(i18n.registry_url(link.url, reader.language))
        values["title"], values["note"] = words(link.title), words(link.note)
        parts.trial_links[index == last].put(links, values)
    values["trial_links"] = links
    values["warning"] = parts.warning_section.fill(values) if outcome != DOES_NOT_MATCH else b""
    screen_only = frozenset(on_screen_only)
    cited_list = []
    for source_id in listed:
        parts.references[source_id, source_id in screen_only].put(cited_list, values)
    values["references"] = cited_list
    parts.page.spread(out, values)
    return out


def _escaped(text: str) -> bytes:
    """Plain text made safe for HTML, as UTF-8: what ``escape`` gives, without a Markup.

    The same five replacements as MarkupSafe's (``markupsafe._native``), for text that
    is never markup already (the rules' words, a year, a date, an address).
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;") \
        .replace("'", "&#39;").replace('"', "&#34;").encode()


#: Each source's mark, as a skeleton's key, and the numbers the page gives them.
_MARKED = {source_id: _MARK + source_id for source_id in SOURCES}
_NUMBERS = tuple(b"%d" % number for number in range(1, len(SOURCES) + 1))

#: Stands for a part of the summary that reads the answers, while the rest is made.
#: Random, so no wording can contain it.
SLOT = secrets.token_hex(8)
#: Where a skeleton is cut: at a slot, or at a source's mark.
_CUTS = re.compile(f"({SLOT}\\w+?{SLOT}|{_MARK}[^{_MARK}]+{_MARK})")


class _Slots:
    """``slot.glance`` in a template: the slot named ``glance``."""

    def __getattr__(self, name: str) -> str:
        return f"{SLOT}{name}{SLOT}"


SLOTS = _Slots()


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Markup made once, as UTF-8, cut where a request puts something in.

    Every other piece is a key: the name of a slot, or the mark of a source (its
    number goes there, as the page numbers it). A request's values are UTF-8 too, so
    the page is joined once and sent as it is, never encoded as a whole.
    """

    pieces: tuple[bytes | str, ...]
    #: The keys' values, in order, from a request's values.
    values: Callable[[dict], tuple[bytes, ...]]

    @classmethod
    def of(cls, markup: str) -> Skeleton:
        pieces = _CUTS.split(markup)
        pieces[0::2] = [piece.encode() for piece in pieces[0::2]]
        keys = pieces[1::2] = [key[len(SLOT):-len(SLOT)] if key.startswith(SLOT) else key[:-1]
                               for key in pieces[1::2]]
        if len(keys) > 1:
            values = itemgetter(*keys)
        elif keys:
            values = _one(keys[0])
        else:
            values = _none
        return cls(tuple(pieces), values)

    def put(self, out: list[bytes], values: dict) -> None:
        """Append the markup to ``out``, each key's value (already escaped) in its place."""
        pieces = list(self.pieces)
        pieces[1::2] = self.values(values)
        out += pieces

    def fill(self, values: dict) -> bytes:
        """The markup with each key's value in its place."""
        pieces = list(self.pieces)
        pieces[1::2] = self.values(values)
        return b"".join(pieces)

    def spread(self, out: list[bytes], values: dict) -> None:
        """``put``, where a value may be a list of pieces."""
        pieces = self.pieces
        out.append(pieces[0])
        for index in range(1, len(pieces), 2):
            value = values[pieces[index]]
            if type(value) is list:
                out += value
            else:
                out.append(value)
            out.append(pieces[index + 1])


def _one(key: str) -> Callable[[dict], tuple[bytes]]:
    return lambda values: (values[key],)


def _none(values: dict) -> tuple[()]:
    return ()


@dataclass(frozen=True, slots=True)
class SummaryStatic:
    """The summary made once for a language, with no answer in it.

    The page, with a slot for each part that reads the answers, and each such part
    made for every criterion, status, caution and source that the rules declare, with
    a slot for the person's own words. Keys are declaration ids, never answers.
    """

    about_hsct: Markup
    named_trials: Markup
    warning_lines: Markup
    warning: Markup
    page: Skeleton
    #: By outcome: its label (``not_met`` and ``total`` slots) and sentence (``text``).
    outcomes: dict[str, Skeleton]
    #: By criterion id and status: the point at a glance (``answer``), and in detail
    #: (``answer``, ``noted``, ``explanation``, ``looks_for``, ``exceptions``).
    glance: dict[tuple[str, str], Skeleton]
    points: dict[tuple[str, str], Skeleton]
    looks_for: Skeleton
    exceptions: dict[SourceException, Skeleton]
    what_now: Skeleton
    warning_section: Skeleton
    cautions: Skeleton
    #: By caution id: the caution as the rules raise it, and its markup.
    raised: dict[str, tuple[RaisedCaution, Skeleton]]
    no_cautions: bytes
    question: Skeleton
    points_omit: bytes
    #: By whether the link is the last: its ``url``, ``title`` and ``note``.
    trial_links: tuple[Skeleton, Skeleton]
    #: By source id and whether only the web page cites it.
    references: dict[tuple[str, bool], Skeleton]
    #: The rules' own sentences (``DECLARED_WORDS``) in this language, by their identity.
    known: dict[int, str]
    #: The same sentences: kept, so that no other object can take their identities.
    declared: tuple
    module: object

    def caution(self, caution: RaisedCaution, values: dict) -> bytes:
        """A raised caution; one not declared as it is (never, from the rules) made now."""
        made = self.raised.get(caution.id)
        if made is None or made[0] != caution:
            return Skeleton.of(str(self.module.caution(caution))).fill(values)
        return made[1].fill(values)

    def exception(self, exception: SourceException, values: dict) -> bytes:
        """An exception the sources mention; one not declared (never, from the rules) made now."""
        made = self.exceptions.get(exception)
        if made is None:
            made = Skeleton.of(str(self.module.exception(exception)))
        return made.fill(values)


@lru_cache(maxsize=16)
def _summary_static(environment, language: str, criteria_version: str,
                    sources_checked: str) -> SummaryStatic:
    """The summary made for a language, with a slot wherever an answer goes.

    Keyed by the template environment, the language (made inside a request, whose
    locale it is written in) and the version of the criteria and sources: never by an
    answer. Every piece is made for every declared criterion, status, reason, caution
    and source, whatever any person answered; their sources are marks, numbered per page.
    """
    reader = i18n.Translator.current()
    static = environment.get_template("summary_static.html").make_module(
        {"content": summary_content, "cited": cited})
    about_hsct, named_trials = Markup(static.about_hsct()), Markup(static.named_trials())
    warning_lines, warning = Markup(static.warning_lines()), Markup(static.warning())
    made = environment.get_template("summary_body.html").make_module({
        "content": summary_content, "sources": SOURCES, "cited": cited, "slot": SLOTS,
        "criteria_version": criteria_version, "sources_checked": sources_checked,
        "static": {"about_hsct": about_hsct, "named_trials": named_trials,
                   "warning_lines": warning_lines, "warning": warning}})
    glance, points = {}, {}
    for criterion in CRITERIA:
        for status in STATUSES:
            finding = Finding(
                id=criterion.id, title=criterion.title, term=criterion.term, status=status,
                reason="", answer=SLOTS.answer, explanation=SLOTS.explanation, changes=(),
                would_change="", exceptions=(), sources=criterion.sources)
            glance[criterion.id, status] = Skeleton.of(str(made.glance(finding)))
            points[criterion.id, status] = Skeleton.of(str(made.point(
                finding, SLOTS.noted, SLOTS.looks_for, SLOTS.exceptions)))
    raised = {}
    for declared in CAUTIONS:
        caution = RaisedCaution(declared.id, declared.title, declared.severity,
                                declared.explanation, declared.sources)
        raised[caution.id] = (caution, Skeleton.of(str(made.caution(caution))))
    return SummaryStatic(
        about_hsct=about_hsct, named_trials=named_trials, warning_lines=warning_lines,
        warning=warning, page=Skeleton.of(str(made)),
        outcomes={outcome: Skeleton.of(str(made.outcome(outcome, SLOTS.text)))
                  for outcome in OUTCOMES},
        glance=glance, points=points,
        looks_for=Skeleton.of(str(made.looks_for(SLOTS.text))),
        exceptions={exception: Skeleton.of(str(made.exception(exception)))
                    for criterion in CRITERIA for exception in criterion.exceptions},
        what_now=Skeleton.of(str(made.what_now())),
        warning_section=Skeleton.of(str(made.warning())),
        cautions=Skeleton.of(str(made.cautions(SLOTS.items))),
        raised=raised, no_cautions=str(made.no_cautions()).encode(),
        question=Skeleton.of(str(made.question(SLOTS.text))),
        points_omit=str(made.points_omit()).encode(),
        trial_links=tuple(Skeleton.of(str(made.trial_link(
            SLOTS.url, SLOTS.title, SLOTS.note, last))) for last in (False, True)),
        references={(source_id, screen_only): Skeleton.of(str(made.reference(
            source_id, f"{_MARK}{source_id}{_MARK}", screen_only)))
            for source_id in SOURCES for screen_only in (False, True)},
        known={id(text): reader.translate(text) for text in DECLARED_WORDS},
        declared=DECLARED_WORDS,
        module=made,
    )


def references(assessment: Assessment) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sources the summary cites, in the order the page first cites them.

    First those the printed handout shows too, then those cited only by what HSCT
    involves, its risks and the evidence, which stay on the web page.
    """
    cited_ids = list(_WARNING_SOURCES) if assessment.outcome == DOES_NOT_MATCH else []
    for caution in assessment.cautions:
        cited_ids += caution.sources
    for finding in assessment.findings:
        for exception in finding.exceptions:
            cited_ids += exception.sources
        cited_ids += finding.sources
    cited_ids += summary_content.NAMED_TRIALS_SOURCES
    cited_ids += _WARNING_SOURCES
    first = dict.fromkeys(cited_ids)
    return tuple(first), tuple(source_id for source_id in _SCREEN_SOURCES
                               if source_id not in first)


#: The inputs each criterion reads, by criterion id.
_FIELDS_READ = {criterion.id: criterion.fields for criterion in CRITERIA}

#: The sources of the warning about unproven clinics, in the order it cites them.
_WARNING_SOURCES = tuple(source_id for statement in summary_content.UNPROVEN_CLINICS
                         for source_id in statement.sources)
#: The sources of what HSCT involves, its risks, evidence and where it is given, which
#: only the web page shows, in the order it cites them.
_SCREEN_SOURCES = tuple(dict.fromkeys(source_id for ids in (
    summary_content.ABOUT_HSCT_SOURCES,
    *(statement.sources for statement in summary_content.RISKS),
    summary_content.RISKS_CENTRES.sources,
    *(statement.sources for statement in summary_content.EVIDENCE),
    summary_content.WHERE_GIVEN.sources,
) for source_id in ids))


#: Stands for the answer in a question's skeleton. Random, so no wording can contain it.
ANSWER_SLOT = secrets.token_hex(16)
#: Stands for the CSRF token in an empty question page.
TOKEN_SLOT = secrets.token_hex(16)


def answer_slot(name: str) -> str:
    """The slot of one text box in an empty question page."""
    return f"{ANSWER_SLOT}-{name}"


def fill_in(skeleton: str, page, stored: dict[str, str], token: str) -> str:
    """An empty question page with this visit's answers and token put in.

    A text box's slot becomes the answer (escaped); a choice gets ``checked``.
    """
    filled = skeleton.replace(TOKEN_SLOT, str(escape(token)), 1) if token else skeleton
    for name in page.fields:
        value = stored.get(name, "")
        if not WEB_FIELDS[name].choices:
            filled = filled.replace(answer_slot(name), str(escape(value)), 1)
        elif value:
            filled = _choose(filled, name, value)
    return filled


def _choose(markup: str, name: str, value: str) -> str:
    """Markup with this answer chosen: a radio ``checked``, or a list's option ``selected``."""
    radio = f'name="{escape(name)}" value="{escape(value)}">'
    if radio in markup:
        return markup.replace(radio, radio[:-1] + " checked>", 1)
    option = f'<option value="{escape(value)}">'
    return markup.replace(option, option[:-1] + " selected>", 1)


@dataclass(frozen=True, slots=True)
class FieldView:
    """What a question's markup shows of a form field, as plain values."""

    kind: str
    id: str
    name: str
    label: str
    description: str
    value: str
    errors: tuple[str, ...]
    choices: tuple[tuple[str, str], ...]


def question_field(field, heading: bool = False, **options) -> Markup:
    """A form field's question, hint, error and input(s).

    A question without an error is made from its skeleton: the markup with a
    slot for the answer, made once per question (the key holds the question's
    own wording and choices, never an answer), then filled in for this request.
    """
    kind = WEB_FIELDS[field.name].kind
    listed = kind.widget == "select"
    chosen = bool(kind.choices)
    if not chosen:
        options.setdefault("inputmode", kind.inputmode)
    t = i18n.translate
    view = FieldView(
        kind=kind.widget, id=field.id,
        name=field.name, label=t(field.label.text), description=_hint(field, chosen),
        value=(field.data or "") if chosen else field._value(),
        errors=tuple(t(error) for error in field.errors),
        choices=_choices(field, listed) if chosen else (),
    )
    settings = tuple(sorted(options.items()))
    if view.errors:
        return _render_field(view, heading, settings)
    skeleton = _skeleton(replace(view, value=ANSWER_SLOT), heading, settings)
    if not chosen:
        return Markup(skeleton.replace(ANSWER_SLOT, str(escape(view.value)), 1))
    if not view.value:
        return Markup(skeleton)
    return Markup(_choose(skeleton, view.name, view.value))


def _choices(field, listed: bool) -> tuple[tuple[str, str], ...]:
    """The answers in the reader's words; a long list (countries) in their alphabetical order."""
    choices = [(choice.value, i18n.translate(choice.label)) for choice in field.choices]
    if listed:
        first, rest = choices[:1], choices[1:]
        choices = first + sorted(rest, key=lambda pair: _sort_key(pair[1]))
    return tuple(choices)


def _sort_key(words: str) -> str:
    """Alphabetical order that ignores accents and case (Ä with A, é with e)."""
    return "".join(c for c in unicodedata.normalize("NFKD", words) if not unicodedata.combining(c)
                   ).casefold()


LEAVE_EMPTY = N_("Not sure? Leave it empty.")


def _hint(field, choice: bool) -> str:
    """The hint in the reader's language; an empty box is how a number is answered "Not sure"."""
    hint = i18n.translate(field.description)
    if choice or "empty" in field.description:
        return hint
    return f"{hint} {i18n.gettext(LEAVE_EMPTY)}"


def _render_field(view: FieldView, heading: bool, settings: tuple) -> Markup:
    macro = getattr(current_app.jinja_env.globals["fields"], view.kind)
    return Markup(macro(view, heading=heading, **dict(settings)))


@lru_cache(maxsize=128)  # the key holds the wording, so each language has its own
def _skeleton(view: FieldView, heading: bool, settings: tuple) -> str:
    """A question's markup with ANSWER_SLOT for the answer and nothing chosen.

    ``view`` holds the question (id, name, wording, choices) and the slot, never
    an answer: there are as many skeletons as questions, whoever asks.
    """
    if view.value != ANSWER_SLOT or view.errors:
        raise ValueError("a skeleton is made from the question alone, never from an answer")
    return str(_render_field(view, heading, settings))


def link(endpoint: str, **values: str) -> str:
    """The address of a page of this app: ``url_for``, worked out once per distinct link.

    Pages carry a dozen links, and building each one is much of the work of a
    small page. An address depends only on the endpoint, its values (a page's
    name, never an answer) and where the app is mounted, so those are the key.
    """
    return _link(request.script_root, endpoint, tuple(sorted(values.items())))


@lru_cache(maxsize=512)
def _link(script_root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))
