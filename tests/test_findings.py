"""What each finding says: the answer in words, the reason, the exceptions, the
sources, and the single answer that would make it met."""

import dataclasses
import itertools
import re

import pytest

from rules import CAUTIONS, CRITERIA, SOURCES, Answers, evaluate
from rules.changes import _CANDIDATES, single_changes
from rules.content import ALWAYS_QUESTIONS
from rules.model import Threshold

from .test_completeness import contract_status


def finding(criterion_id, **answers):
    return evaluate(Answers.from_mapping(answers)).finding(criterion_id)


#: The kind note added when the answer is a fact that cannot change (contract, section 2).
CANNOT_CHANGE = " is not something you can change now, so this is for a specialist to weigh " \
    "with everything else."
MRI_YES = ("when an MRI scan in the last 12 months showed new or active areas of damage "
           "(new T2 or gadolinium-enhancing lesions)")
LOOKS_FOR = {criterion.id: criterion.looks_for for criterion in CRITERIA}


@pytest.mark.parametrize(("criterion_id", "answers", "expected"), [
    ("inflammatory_activity", {"relapses_12m": "0", "new_mri_activity_12m": "no"},
     "This point is met with 2 or more relapses in the last 12 months."),
    ("inflammatory_activity", {"relapses_12m": "1", "new_mri_activity_12m": "no"},
     "This point is met with 2 or more relapses in the last 12 months. "
     f"It is also met {MRI_YES}."),
    ("inflammatory_activity", {"relapses_12m": "0", "new_mri_activity_12m": "yes"},
     "This point is met with 1 or more relapses in the last 12 months."),
    ("inflammatory_activity", {},
     "This point is met with 2 or more relapses in the last 12 months, or 1 relapse and new "
     "damage on an MRI scan."),
    ("relapsing_ms", {"ms_type": "spms"},
     f"This point is met with 1 or more relapses in the last 12 months. It is also met "
     f"{MRI_YES}."),
    ("relapsing_ms", {"ms_type": "spms", "relapses_12m": "0", "new_mri_activity_12m": "no"},
     f"This point is met with 1 or more relapses in the last 12 months. It is also met "
     f"{MRI_YES}."),
    ("relapsing_ms", {"ms_type": "cis"},
     "This point is met for relapsing-remitting MS (RRMS)."),
    ("relapsing_ms", {"ms_type": "ppms"},
     "This point is met for relapsing-remitting MS. It is also met for secondary progressive "
     "MS with a relapse or new damage on a scan in the last year. The type of MS you have"
     + CANNOT_CHANGE),
    ("treatment_failure", {"dmt_count": "2", "activity_on_dmt": "no",
                           "high_efficacy_dmt": "yes"},
     "This point is met when MS stayed active while taking an MS medicine."),
    ("treatment_failure", {"dmt_count": "2", "activity_on_dmt": "yes",
                           "high_efficacy_dmt": "no"},
     "This point is met when one of the medicines was a high-efficacy one."),
    ("treatment_failure", {"dmt_count": "2", "activity_on_dmt": "no"},
     "This point is met when a high-efficacy medicine has been tried and MS stayed active."),
    ("treatment_failure", {"dmt_count": "0", "activity_on_dmt": "yes",
                           "high_efficacy_dmt": "yes"},
     "This point is met when a high-efficacy medicine has been tried and MS stayed active."),
    ("disease_duration", {"years_since_diagnosis": "12"},
     "This point is met when MS was diagnosed 10 years ago or less. The time since your "
     "diagnosis" + CANNOT_CHANGE),
    ("ambulatory", {"edss": "7.0", "walking": "unaided_far"},
     "This point is met with an EDSS score of no more than 6.0."),
    ("ambulatory", {"walking": "wheelchair"},
     "This point is met with an EDSS score of no more than 6.0. It is also met for people "
     "who can walk 500 metres or more without help or a rest, at least 100 metres without "
     "help or about 100 metres with a stick, crutch or brace on one side."),
    ("age_range", {"age": "60"},
     "This point is met for people aged 18 to 55. Your age" + CANNOT_CHANGE),
    ("age_range", {"age": "16"},
     "This point is met for people aged 18 to 55. Your age" + CANNOT_CHANGE),
    ("age_range", {}, "This point is met for people aged 18 to 55."),
])
def test_what_the_point_looks_for_when_it_is_not_met(criterion_id, answers, expected):
    result = finding(criterion_id, **answers)
    assert result.status != "met"
    assert result.would_change == expected


@pytest.mark.parametrize(("criterion_id", "answers"), [
    ("age_range", {"age": "60"}),
    ("age_range", {"age": "16"}),
    ("disease_duration", {"years_since_diagnosis": "12"}),
    ("relapsing_ms", {"ms_type": "ppms"}),
    ("relapsing_ms", {"ms_type": "ppms", "relapses_12m": "3", "new_mri_activity_12m": "yes"}),
])
def test_a_fact_that_cannot_change_is_said_kindly_with_an_exception_not_as_a_change(
        criterion_id, answers):
    result = finding(criterion_id, **answers)
    assert result.status == "not_met"
    assert result.changes == ()
    assert result.would_change.startswith(LOOKS_FOR[criterion_id] + " ")
    assert result.would_change.endswith(CANNOT_CHANGE)
    assert result.exceptions, "the exception is there to point to"


def test_what_would_change_is_never_a_hypothetical_about_the_person():
    for criterion in CRITERIA:
        for values in _value_grid(criterion):
            result = evaluate(Answers(**dict(zip(criterion.fields, values, strict=True)))) \
                .finding(criterion.id)
            if result.status == "met":
                assert result.would_change == ""
                continue
            text = result.would_change
            assert text.startswith("This point is met "), (criterion.id, values, text)
            assert "If you" not in text and "would be met" not in text
            assert not re.search(r"\bwere\b|had had", text), text
            sentences = text.split(". ")[1:]
            assert all(s.startswith("It is also met ") or CANNOT_CHANGE.strip()[:-1] in s
                       for s in sentences), text


def test_a_met_criterion_has_nothing_to_change():
    result = finding("age_range", age="30")
    assert result.status == "met" and result.would_change == "" and result.changes == ()


def test_every_suggested_change_really_makes_the_criterion_met():
    """Judged by the contract read literally (tests/test_completeness.py), not by the judge
    that chose the change; and every field of every criterion is offered somewhere."""
    offered = set()
    for criterion in CRITERIA:
        for values in _value_grid(criterion):
            for change in single_changes(criterion.id, values):
                index = criterion.fields.index(change.field)
                assert change.values, (criterion.id, values, change)
                for value in change.values:
                    trial = values[:index] + (value,) + values[index + 1:]
                    answers = Answers(**dict(zip(criterion.fields, trial, strict=True)))
                    assert contract_status(criterion.id, answers) == "met", (
                        criterion.id, values, change.field, value)
                offered.add((criterion.id, change.field))
    assert offered == {(criterion.id, name) for criterion in CRITERIA
                       for name in criterion.fields}


def _value_grid(criterion):
    options = [(None, *_CANDIDATES[criterion.id, name]) for name in criterion.fields]
    return list(itertools.product(*options))


def test_the_judge_reads_the_declared_thresholds_not_numbers_in_its_code():
    base = next(c for c in CRITERIA if c.id == "inflammatory_activity")
    stricter = dataclasses.replace(base, thresholds=(
        Threshold("relapses_alone", "relapses_12m", 3, "relapses", "stricter"),
        Threshold("relapses_with_mri", "relapses_12m", 1, "relapses", "same"),
    ))
    assert stricter.judge(2, "no", stricter.limits)[0] == "unknown"
    assert base.judge(2, "no", base.limits)[0] == "met"
    assert stricter.judge(3, "no", stricter.limits)[0] == "met"


def test_a_finding_carries_the_answer_in_words_its_reason_and_its_sources():
    result = finding("ambulatory", edss="6.5", walking="unaided_far")
    assert result.status == "not_met" and result.reason == "edss_just_over"
    assert result.answer == ("EDSS score: 6.5; Walking: 500 metres or more without help or "
                             "a rest")
    assert "Your EDSS score is 6.5" in result.explanation
    assert "counts before your own answer" in result.explanation
    assert "BEAT-MS" in result.sources
    assert any("recent relapse" in exception.text for exception in result.exceptions)


def test_answers_that_do_not_apply_after_no_treatment_are_left_out_of_the_finding():
    result = finding("treatment_failure", dmt_count="0", activity_on_dmt="yes",
                     high_efficacy_dmt="yes")
    assert (result.status, result.reason) == ("not_met", "no_dmt")
    assert result.answer == "MS treatments taken: 0"


@pytest.mark.parametrize(("criterion_id", "answers", "words"), [
    ("relapsing_ms", {"ms_type": "spms", "relapses_12m": "1"},
     "In progressive MS, the benefit is less certain"),
    ("relapsing_ms", {"ms_type": "spms", "relapses_12m": "0", "new_mri_activity_12m": "no"},
     "clear signs of both relapses and new damage"),
    ("relapsing_ms", {"ms_type": "ppms"}, "Some research studies include it"),
    ("relapsing_ms", {"ms_type": "cis"}, "Ask your neurologist"),
    ("inflammatory_activity", {"relapses_12m": "0", "new_mri_activity_12m": "yes"},
     "new damage seen only on MRI scans"),
    ("inflammatory_activity", {"relapses_12m": "0", "new_mri_activity_12m": "no"},
     "counts relapses and new damage over 3 years"),
    ("inflammatory_activity", {"relapses_12m": "1", "new_mri_activity_12m": "no"},
     "from the whole picture"),
    ("treatment_failure", {"dmt_count": "0"}, "treated with HSCT first, within a trial"),
    ("treatment_failure", {"dmt_count": "2", "activity_on_dmt": "yes",
                           "high_efficacy_dmt": "no"},
     "cannot take the high-efficacy medicines"),
    ("disease_duration", {"years_since_diagnosis": "12"}, "count from your first symptoms"),
    ("ambulatory", {"edss": "7.0"}, "recent relapse"),
    ("ambulatory", {"walking": "two_aids"}, "EDSS of up to 6.5"),
    ("age_range", {"age": "60"}, "over 55"),
    ("age_range", {"age": "16"}, "from 16"),
])
def test_exceptions_named_by_the_contract_are_in_the_findings(criterion_id, answers, words):
    assert any(words in e.text for e in finding(criterion_id, **answers).exceptions)


@pytest.mark.parametrize(("criterion_id", "answers", "not_shown"), [
    ("age_range", {"age": "60"}, "from 16"),
    ("age_range", {"age": "16"}, "over 55"),
    ("relapsing_ms", {"ms_type": "ppms"}, "Ask your neurologist"),
    ("relapsing_ms", {"ms_type": "cis"}, "Some research studies include it"),
    ("relapsing_ms", {"ms_type": "cis"}, "In progressive MS"),
    # 2026.12 review: nothing shown that cannot fit the answers.
    ("ambulatory", {"walking": "wheelchair"}, "EDSS of up to 6.5"),
    ("ambulatory", {"edss": "7.0"}, "EDSS of up to 6.5"),
    ("inflammatory_activity", {"relapses_12m": "0", "new_mri_activity_12m": "no"},
     "from the whole picture"),
    ("inflammatory_activity", {"relapses_12m": "0", "new_mri_activity_12m": "no"},
     "one relapse, or new damage seen only on MRI"),
])
def test_an_exception_that_does_not_fit_the_answers_is_not_shown(criterion_id, answers,
                                                                  not_shown):
    result = finding(criterion_id, **answers)
    assert result.exceptions
    assert not any(not_shown in e.text for e in result.exceptions)


def test_each_finding_carries_exactly_the_exceptions_declared_for_its_reason():
    for criterion in CRITERIA:
        for values in _value_grid(criterion):
            result = evaluate(Answers(**dict(zip(criterion.fields, values, strict=True)))) \
                .finding(criterion.id)
            assert result.reason in criterion.explanations
            assert result.exceptions == tuple(e for e in criterion.exceptions
                                              if result.reason in e.reasons)
    assert finding("age_range", age="30").exceptions == ()
    assert finding("relapsing_ms", ms_type="rrms").exceptions == ()


def test_every_source_cited_is_declared():
    cited = {s for c in (*CRITERIA, *CAUTIONS) for s in c.sources}
    cited |= {s for c in CRITERIA for e in c.exceptions for s in e.sources}
    assert cited <= set(SOURCES)


def test_every_reason_a_judge_gives_has_an_explanation_without_leftover_placeholders():
    reasons = set()
    for criterion in CRITERIA:
        for values in _value_grid(criterion):
            _, reason = criterion.judge(*values, criterion.limits)
            assert reason in criterion.explanations, (criterion.id, reason)
            result = evaluate(Answers(**dict(zip(criterion.fields, values, strict=True)))) \
                .finding(criterion.id)
            assert result.reason == reason
            text = " ".join((result.explanation, result.title, result.term,
                             result.would_change, result.answer))
            assert result.explanation and not re.search(r"[{}]", text), (criterion.id, values)
            reasons.add((criterion.id, reason))
    assert reasons == {(criterion.id, reason) for criterion in CRITERIA
                       for reason in criterion.explanations}, "every declared reason is met"


def test_cautions_come_most_severe_first_and_questions_cover_each_unknown_and_caution():
    assessment = evaluate(Answers.from_mapping({
        "age": "50", "ms_type": "spms", "kidney_disease": "yes", "prior_chemotherapy": "yes",
        "heart_disease": "unsure", "lung_disease": "no", "liver_disease": "no",
        "active_infection": "no", "cancer_history": "no", "pregnant": "no",
        "wants_children": "no"}))
    assert [c.id for c in assessment.cautions] == ["kidney_disease", "prior_chemotherapy",
                                                    "age_over_45", "progressive_ms"]
    assert [c.severity for c in assessment.cautions] == ["high", "high", "moderate",
                                                         "moderate"]
    questions = assessment.questions
    unknown = [f for f in assessment.findings if f.status == "unknown"]
    assert len(unknown) == 5
    assert len(questions) == len(unknown) + 4 + 1 + len(ALWAYS_QUESTIONS)
    assert "Do I have a heart problem that would make HSCT riskier?" in questions
    assert questions[-len(ALWAYS_QUESTIONS):] == ALWAYS_QUESTIONS


@pytest.mark.parametrize("answers", [
    {}, {"ms_type": "ppms"}, {"age": "30", "ms_type": "rrms"},
    {"country": "UK", "kidney_disease": "yes"},
])
def test_every_assessment_ends_its_questions_with_the_three_always_asked(answers):
    questions = evaluate(Answers.from_mapping(answers)).questions
    assert len(ALWAYS_QUESTIONS) == 3
    assert questions[-3:] == ALWAYS_QUESTIONS
    assert len(set(questions)) == len(questions)


@pytest.mark.parametrize("answers", [
    {"high_efficacy_dmt": "no"},
    {"dmt_count": "3", "activity_on_dmt": "yes", "high_efficacy_dmt": "no"},
    {"dmt_count": "0"},
])
def test_no_treatment_answer_raises_a_caution_since_2026_12(answers):
    assessment = evaluate(Answers.from_mapping(answers))
    assert assessment.cautions == ()
    assert assessment.finding("treatment_failure").status == "not_met"


@pytest.mark.parametrize(("age", "raised"), [
    ("44", False), ("45", True), ("55", True), ("56", False)])
def test_the_age_caution_is_raised_from_45_to_55(age, raised):
    cautions = [c.id for c in evaluate(Answers.from_mapping({"age": age})).cautions]
    assert ("age_over_45" in cautions) is raised


@pytest.mark.parametrize(("ms_type", "raised"), [
    ("spms", True), ("rrms", False), ("ppms", False), ("cis", False), ("unsure", False)])
def test_the_progressive_caution_is_raised_for_secondary_progressive_ms(ms_type, raised):
    cautions = [c.id for c in evaluate(Answers.from_mapping({"ms_type": ms_type})).cautions]
    assert ("progressive_ms" in cautions) is raised


@pytest.mark.parametrize(("answer", "raised"), [
    ("yes", True), ("no", False), ("unsure", False), ("", False)])
def test_prior_chemotherapy_raises_a_high_caution_only_when_answered_yes(answer, raised):
    assessment = evaluate(Answers.from_mapping({"prior_chemotherapy": answer}))
    cautions = {c.id: c.severity for c in assessment.cautions}
    assert cautions == ({"prior_chemotherapy": "high"} if raised else {})
    asked = "Have I ever had chemotherapy, such as mitoxantrone?" in assessment.questions
    assert asked is (answer in ("unsure", ""))


def test_the_assessment_says_its_version_and_when_the_sources_were_checked():
    assessment = evaluate(Answers())
    assert re.fullmatch(r"\d{4}\.\d+", assessment.criteria_version)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", assessment.sources_checked)


def test_trial_links_are_narrowed_by_country():
    plain = evaluate(Answers()).trial_links
    narrowed = evaluate(Answers.from_mapping({"country": "New Zealand"})).trial_links
    assert "country=" not in plain[0].url
    assert "country=New+Zealand" in narrowed[0].url and "in New Zealand" in narrowed[0].title
    assert narrowed[1:] == plain[1:]
    assert all(link.url.startswith("https://") for link in plain)
    names = [t.title for t in evaluate(Answers()).named_trials]
    assert names == ["BEAT-MS (NCT04047628)", "RAM-MS (NCT03477500)", "StarMS (ISRCTN88667898)"]


def test_outcome_text_never_gives_a_verdict():
    for answers in (Answers(), Answers.from_mapping({"ms_type": "ppms"})):
        text = evaluate(answers).outcome_text.lower()
        assert "only an ms specialist can decide" in text
        assert "eligible" not in text and "you should" not in text


@pytest.mark.parametrize(("answers", "counts"), [
    ({}, ["none is met", "6 are not clear"]),
    ({"ms_type": "ppms"}, ["on 1 of the 6 points", "none is met", "5 are not clear"]),
    ({"age": "60", "ms_type": "ppms", "years_since_diagnosis": "20", "relapses_12m": "0",
      "new_mri_activity_12m": "no", "dmt_count": "0", "edss": "8"}, ["on all 6 points"]),
    ({"age": "30", "ms_type": "rrms", "years_since_diagnosis": "4", "relapses_12m": "2",
      "dmt_count": "2", "activity_on_dmt": "yes", "high_efficacy_dmt": "yes",
      "walking": "unaided_far"}, ["all 6 points"]),
    ({"age": "30", "ms_type": "rrms", "years_since_diagnosis": "12", "relapses_12m": "1",
      "new_mri_activity_12m": "no"},
     ["on 1 of the 6 points", "2 are met", "3 are not clear"]),
])
def test_outcome_text_says_how_many_points_are_met_not_met_and_not_clear(answers, counts):
    text = evaluate(Answers.from_mapping(answers)).outcome_text
    for words in counts:
        assert words in text, text
    assert "Only an MS specialist can decide" in text
