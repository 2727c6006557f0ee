"""The specification, written out from the declarations: ``docs/criteria.md`` and ``/criteria``.

Nothing here is written by hand about a criterion: every input, criterion,
threshold, caution, exception, source and change is read from its declaration,
so the document always says what the code does. ``specification()`` gives the
content as plain data (the web page renders it); ``markdown()`` writes it out.
Regenerate the file with ``python -m rules docs -o docs/criteria.md``.
"""

from __future__ import annotations

from .assess import outcome_of
from .cautions import CAUTIONS
from .content import CRITERIA_VERSION, OUTCOME_TEXT, SOURCES_CHECKED
from .criteria import CRITERIA
from .fields import FIELDS, Field
from .model import OUTCOMES, SEVERITIES, STATUSES
from .sources import SOURCES
from .versions import changes_up_to

DOCS_PATH = "docs/criteria.md"
INTRO = (
    "This tool is non-diagnostic. It says whether a person's answers match the profile "
    "that its sources describe for people who may be considered for autologous "
    "haematopoietic stem cell transplantation (HSCT) for multiple sclerosis, explains "
    "each point with its sources, and points to a specialist and to trial registries. It "
    "never says that someone is or is not eligible: only an MS specialist can decide."
)
INPUTS = (
    "Every input may be left blank. Blank means not answered and is treated exactly "
    "like 'unsure'. Text is matched without regard to case, and spaces around it are "
    "ignored. Anything else is refused with a message naming the field, the value given "
    "and what is allowed."
)
STATUS_WORDS = {"met": "met", "not_met": "not met", "unknown": "not clear"}


def _value(value: object) -> str:
    if isinstance(value, (set, frozenset, tuple, list)):
        return ", ".join(sorted(str(v) for v in value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _choices(field: Field) -> str:
    if not field.choices:
        return field.allowed
    return "; ".join(f"`{choice.value}` ({choice.words})" for choice in field.choices)


def _sources(ids) -> list[dict]:
    return [{"id": i, "citation": SOURCES[i].citation, "url": SOURCES[i].url} for i in ids]


def _thresholds(declaration) -> list[dict]:
    return [{"name": t.name, "field": t.field, "value": _value(t.value), "unit": t.unit,
             "description": t.description} for t in declaration.thresholds]


def specification() -> dict:
    """Everything the rules declare, as plain data, in the order the document gives it."""
    return {
        "version": CRITERIA_VERSION,
        "sources_checked": SOURCES_CHECKED,
        "intro": INTRO,
        "inputs_rule": INPUTS,
        "fields": [{"name": f.name, "kind": f.kind.name, "label": f.label, "question": f.question,
                    "hint": f.hint, "allowed": _choices(f)} for f in FIELDS.values()],
        "statuses": [{"status": s, "words": STATUS_WORDS.get(s, s)} for s in STATUSES],
        "criteria": [{
            "id": c.id, "title": c.title, "term": c.term, "rule": c.rule,
            "fields": list(c.fields), "thresholds": _thresholds(c),
            "explanations": [{"reason": reason, "text": text}
                             for reason, text in c.explanations.items()],
            "exceptions": [{"text": e.text, "sources": _sources(e.sources)}
                           for e in c.exceptions],
            "question": c.question, "sources": _sources(c.sources),
        } for c in CRITERIA],
        "severities": list(SEVERITIES),
        "cautions": [{
            "id": c.id, "title": c.title, "severity": c.severity, "rule": c.rule,
            "fields": list(c.fields), "thresholds": _thresholds(c),
            "explanation": c.explanation, "question": c.question,
            "unsure_question": c.unsure_question, "sources": _sources(c.sources),
        } for c in CAUTIONS],
        "outcome_rule": " ".join((outcome_of.__doc__ or "").split()),
        "outcomes": [{"outcome": o, "text": OUTCOME_TEXT[o], "when": _when(o)}
                     for o in OUTCOMES],
        "sources": _sources(SOURCES),
        "changes": changes_up_to(CRITERIA_VERSION),
    }


def _when(outcome: str) -> str:
    """When an outcome is given, worked out by asking the outcome rule itself."""
    met, not_met, unknown = STATUSES
    cases = {"every criterion is met": [met] * len(CRITERIA),
             "no criterion is not met and at least one is not clear": [met, unknown],
             "any criterion is not met": [met, unknown, not_met]}
    return next(words for words, statuses in cases.items()
                if outcome_of(statuses) == outcome)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def _cited(sources: list[dict]) -> str:
    return "; ".join(f"{s['id']}" for s in sources)


def markdown() -> str:
    """The whole specification as Markdown: the text of ``docs/criteria.md``."""
    spec = specification()
    out = [
        "# How this tool decides: the HSCT-for-MS screening criteria",
        "",
        f"Criteria version **{spec['version']}**; sources last checked "
        f"{spec['sources_checked']}.",
        "",
        "<!-- Generated from the declarations in rules/ by `python -m rules docs -o "
        f"{DOCS_PATH}` (or `make docs`). Do not edit by hand: a test checks that it is "
        "up to date. -->",
        "",
        spec["intro"],
        "",
        "The same content is served for clinicians at `/criteria`, and as data at "
        "`/api/v1/criteria`.",
        "",
        "## 1. Inputs",
        "",
        spec["inputs_rule"],
        "",
        *_table(["field", "type", "question", "allowed values"],
                [[f"`{f['name']}`", f["kind"], f["question"], f["allowed"]]
                 for f in spec["fields"]]),
        "",
        "## 2. Criteria",
        "",
        "Each criterion comes out as exactly one status: "
        + ", ".join(f"`{s['status']}` ({s['words']})" for s in spec["statuses"])
        + ". Each explanation is written for the person's own answers.",
        "",
    ]
    for c in spec["criteria"]:
        out += [f"### {c['title']} (`{c['id']}`)", "", f"*{c['term']}*", "",
                f"**Rule.** {c['rule']}", "",
                "Reads: " + ", ".join(f"`{name}`" for name in c["fields"]) + ".", ""]
        if c["thresholds"]:
            out += _table(["threshold", "field", "value", "unit", "what it is"],
                          [[f"`{t['name']}`", f"`{t['field']}`", t["value"], t["unit"],
                            t["description"]] for t in c["thresholds"]]) + [""]
        out += ["What the person is told, by reason:", ""]
        out += [f"- `{e['reason']}`: {e['text']}" for e in c["explanations"]] + [""]
        if c["exceptions"]:
            out += ["Exceptions the sources mention:", ""]
            out += [f"- {e['text']} ({_cited(e['sources'])})" for e in c["exceptions"]]
            out += [""]
        out += [f"Question for the doctor when it is not clear: {c['question']}", "",
                f"Sources: {_cited(c['sources'])}.", ""]
    out += ["## 3. Cautions", "",
            "A caution never changes a criterion or the outcome. It is raised only by a "
            "definite answer; an 'unsure' or blank answer raises none but may add a "
            "question for the doctor. Severities, most severe first: "
            + ", ".join(f"`{s}`" for s in spec["severities"]) + ".", ""]
    for c in spec["cautions"]:
        out += [f"### {c['title']} (`{c['id']}`, {c['severity']})", "",
                f"**Raised.** {c['rule']}", "",
                "Reads: " + ", ".join(f"`{name}`" for name in c["fields"]) + ".", ""]
        if c["thresholds"]:
            out += _table(["threshold", "field", "value", "unit", "what it is"],
                          [[f"`{t['name']}`", f"`{t['field']}`", t["value"], t["unit"],
                            t["description"]] for t in c["thresholds"]]) + [""]
        out += [f"What the person is told: {c['explanation']}", "",
                f"Question for the doctor: {c['question']}", ""]
        if c["unsure_question"]:
            out += [f"When the answer is not sure: {c['unsure_question']}", ""]
        out += [f"Sources: {_cited(c['sources'])}.", ""]
    out += ["## 4. Outcome", "", f"{spec['outcome_rule']}", "",
            *_table(["outcome", "when", "what the person reads"],
                    [[f"`{o['outcome']}`", o["when"], o["text"]] for o in spec["outcomes"]]),
            "", "## 5. Sources", ""]
    out += [f"- **{s['id']}**: {s['citation']}" + (f" <{s['url']}>" if s["url"] else "")
            for s in spec["sources"]]
    out += ["", "## 6. Changes", ""]
    if spec["changes"]:
        for version in spec["changes"]:
            out += [f"### Version {version['version']}", "",
                    *_table(["change", "why"],
                            [[item["change"], item["why"]] for item in version["items"]]),
                    ""]
    else:
        out += ["No changes are recorded for this version.", ""]
    return "\n".join(out).rstrip() + "\n"
