"""The patient-facing texts, gathered for the readability test."""

import itertools
import re
from html.parser import HTMLParser

from rules import CAUTIONS, CRITERIA, FIELDS, Answers, evaluate
from rules import content as summary_content
from rules.changes import _CANDIDATES

#: Names of treatments, trials, registries and sources: left out before grading,
#: because a reader is not expected to read them as words.
NAMES = [
    "interferon beta", "glatiramer acetate", "teriflunomide", "dimethyl fumarate",
    "fingolimod", "natalizumab", "ocrelizumab", "ofatumumab", "ublituximab", "alemtuzumab",
    "cladribine", "BEAT-MS", "RAM-MS", "StarMS", "COAST", "HALT-MS", "MIST", "NMDP",
    "ClinicalTrials.gov", "ISRCTN", "ECTRIMS/EBMT", "EBMT", "ASBMT", "ISSCR", "FDA",
    "NCT04047628", "NCT03477500", "ISRCTN88667898", "gadolinium-enhancing",
    "rituximab", "mitoxantrone", "cyclophosphamide", "chemotherapy", "G-CSF", "JACIE",
    "EBV", "CMV", "anti-thymocyte globulin", "Sheffield", "clinically isolated syndrome",
]


def without_names(text: str) -> str:
    for name in NAMES:
        text = re.sub(re.escape(name), "it", text, flags=re.IGNORECASE)
    text = re.sub(r"\([^)]*\)", "", text)   # precise terms in brackets sit beside plain words
    return re.sub(r"\s+", " ", text).strip()


def rules_texts() -> dict[str, str]:
    """Every explanation, change, exception, caution and question the rules can give."""
    texts = {}
    for criterion in CRITERIA:
        options = [(None, *_CANDIDATES[criterion.id, name]) for name in criterion.fields]
        for values in itertools.product(*options):
            answers = Answers(**dict(zip(criterion.fields, values, strict=True)))
            finding = evaluate(answers).finding(criterion.id)
            texts[f"{criterion.id} {values} explanation"] = finding.explanation
            if finding.would_change:
                texts[f"{criterion.id} {values} change"] = finding.would_change
        for number, exception in enumerate(criterion.exceptions):
            texts[f"{criterion.id} exception {number}"] = exception.text
        texts[f"{criterion.id} question"] = criterion.question
    for caution in CAUTIONS:
        texts[f"{caution.id} explanation"] = caution.explanation
        texts[f"{caution.id} question"] = caution.question
        if caution.unsure_question:
            texts[f"{caution.id} unsure question"] = caution.unsure_question
    for name, field in FIELDS.items():
        texts[f"{name} question"] = field.question
        if field.hint:
            texts[f"{name} hint"] = field.hint
    for outcome, text in summary_content.OUTCOME_TEXT.items():
        texts[f"outcome {outcome}"] = text
    texts["about HSCT"] = " ".join(summary_content.ABOUT_HSCT)
    statements = {
        "risk": (*summary_content.RISKS, summary_content.RISKS_CENTRES),
        "evidence": summary_content.EVIDENCE,
        "where given": (summary_content.WHERE_GIVEN,),
        "unproven clinics": summary_content.UNPROVEN_CLINICS,
    }
    for part, items in statements.items():
        for number, statement in enumerate(items):
            texts[f"{part} {number}"] = statement.text
    texts["what now"] = " ".join(summary_content.WHAT_NOW)
    for number, question in enumerate(summary_content.ALWAYS_QUESTIONS):
        texts[f"always asked {number}"] = question
    for trial in summary_content.NAMED_TRIALS:
        texts[f"trial {trial.title}"] = trial.note
    return texts


_SKIPPED_TAGS = {"script", "style", "abbr", "details", "select"}  # a list of names
_SKIPPED_CLASSES = {"sources", "status-code", "sources-inline", "references", "url"}
_VOID = {"br", "img", "input", "link", "meta", "hr"}


class _Text(HTMLParser):
    """The visible text of a page's main content, less source ids and status codes."""

    def __init__(self):
        super().__init__()
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, tag in _SKIPPED_TAGS or bool(classes & _SKIPPED_CLASSES)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        if "main" in tags and not any(skipped for _, skipped in self.stack):
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = [line.strip() for line in "\n".join(parser.parts).splitlines() if line.strip()]
    # Headings and labels without a full stop end a sentence all the same.
    return " ".join(line if line[-1] in ".?!:" else line + "." for line in lines)
