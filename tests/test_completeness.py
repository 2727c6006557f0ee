"""Every combination of the answers the rules read (blank included, numbers at their
boundaries) gives exactly one outcome from allowed statuses. Each status and each
caution is also checked against a literal reading of the contract (version 2026.12),
written here independently of rules/."""

import itertools

from rules import CRITERIA, OUTCOMES, STATUSES, Answers, evaluate

BLANK = None
MS_TYPES = (BLANK, "rrms", "spms", "ppms", "cis", "unsure")
YES_NO = (BLANK, "yes", "no", "unsure")
WALKING = (BLANK, "unaided_far", "unaided_short", "one_aid", "two_aids", "wheelchair", "unsure")
AGES = (BLANK, 17, 18, 44, 45, 55, 56)
YEARS = (BLANK, 10.0, 10.5)
RELAPSES = (BLANK, 0, 1, 2)
DMT_COUNTS = (BLANK, 0, 1)
EDSS = (BLANK, 5.5, 6.0, 6.5)
HEALTH = ("heart_disease", "lung_disease", "kidney_disease", "liver_disease",
          "active_infection", "cancer_history", "prior_chemotherapy", "pregnant",
          "wants_children")


def contract_status(criterion_id, a):
    """The criteria table of the contract, section 2, read literally."""
    r, mri = a.relapses_12m, a.new_mri_activity_12m
    if criterion_id == "relapsing_ms":
        if a.ms_type == "rrms":
            return "met"
        if a.ms_type == "spms":
            if (r is not None and r >= 1) or mri == "yes":
                return "met"
            if r == 0 and mri == "no":
                return "not_met"
            return "unknown"
        if a.ms_type in ("ppms", "cis"):
            return "not_met"
        return "unknown"
    if criterion_id == "inflammatory_activity":
        if r is not None and (r >= 2 or (r == 1 and mri == "yes")):
            return "met"
        if r == 0 and mri == "no":
            return "not_met"
        return "unknown"
    if criterion_id == "treatment_failure":
        if a.dmt_count == 0:
            return "not_met"  # activity_on_dmt and high_efficacy_dmt are then ignored
        if a.dmt_count is not None and a.dmt_count >= 1 and a.activity_on_dmt == "yes" \
                and a.high_efficacy_dmt == "yes":
            return "met"
        if a.activity_on_dmt == "no" or a.high_efficacy_dmt == "no":
            return "not_met"
        return "unknown"
    if criterion_id == "disease_duration":
        if a.years_since_diagnosis is None:
            return "unknown"
        return "met" if a.years_since_diagnosis <= 10 else "not_met"
    if criterion_id == "ambulatory":
        if a.edss is not None:
            return "met" if a.edss <= 6.0 else "not_met"
        if a.walking in ("unaided_far", "unaided_short", "one_aid"):
            return "met"
        if a.walking in ("two_aids", "wheelchair"):
            return "not_met"
        return "unknown"
    if criterion_id == "age_range":
        if a.age is None:
            return "unknown"
        return "met" if 18 <= a.age <= 55 else "not_met"
    raise AssertionError(f"the test does not know criterion {criterion_id}")


def contract_cautions(a):
    """The cautions table of the contract, section 3, read literally."""
    raised = set()
    if a.age is not None and 45 <= a.age <= 55:
        raised.add("age_over_45")
    if a.edss == 6.0 or (a.edss is None and a.walking == "one_aid"):
        raised.add("walking_aid")
    if a.ms_type == "spms":
        raised.add("progressive_ms")
    raised.update(name for name in HEALTH if getattr(a, name) == "yes")
    return raised


def contract_outcome(statuses):
    """The outcome table of the contract, section 4, read literally."""
    if any(status == "not_met" for status in statuses):
        return "does_not_match"
    if any(status == "unknown" for status in statuses):
        return "unclear"
    assert all(status == "met" for status in statuses)
    return "matches"


#: Answers to the other three criteria: every status of each, in a dozen mixes.
OTHERS = (
    (BLANK, BLANK, BLANK, BLANK), (10.0, 6.0, BLANK, 18), (10.5, 6.5, BLANK, 56),
    (10.0, BLANK, "one_aid", 55), (BLANK, BLANK, "wheelchair", 17), (10.5, 5.5, "unsure", BLANK),
    (10.0, 5.5, "wheelchair", 45), (10.0, BLANK, "unaided_far", 30), (BLANK, 6.0, BLANK, 56),
    (10.5, BLANK, "two_aids", 18), (10.0, 6.5, "unaided_short", BLANK), (0.0, 0.0, BLANK, 44),
)


def test_every_combination_gives_one_outcome_from_allowed_statuses():
    seen_outcomes = set()
    combinations = 0
    for ms_type, relapses, mri, dmts, on_dmt, high, (years, edss, walking, age) in \
            itertools.product(MS_TYPES, RELAPSES, YES_NO, DMT_COUNTS, YES_NO, YES_NO, OTHERS):
        answers = Answers(
            age=age, ms_type=ms_type, years_since_diagnosis=years, relapses_12m=relapses,
            new_mri_activity_12m=mri, dmt_count=dmts, activity_on_dmt=on_dmt,
            high_efficacy_dmt=high, edss=edss, walking=walking,
        )
        assessment = evaluate(answers)
        statuses = [finding.status for finding in assessment.findings]
        assert [finding.id for finding in assessment.findings] == [c.id for c in CRITERIA]
        assert set(statuses) <= set(STATUSES)
        for finding in assessment.findings:
            assert finding.status == contract_status(finding.id, answers), (finding, answers)
        assert assessment.outcome in OUTCOMES
        assert assessment.outcome == contract_outcome(statuses), answers
        assert {caution.id for caution in assessment.cautions} == contract_cautions(answers)
        seen_outcomes.add(assessment.outcome)
        combinations += 1
    assert seen_outcomes == set(OUTCOMES)
    assert combinations == 6 * 4 * 4 * 3 * 4 * 4 * len(OTHERS)


def test_every_walking_and_age_answer_gives_the_contract_status_and_cautions():
    for ms_type, edss, walking, age in itertools.product(MS_TYPES, EDSS, WALKING, AGES):
        answers = Answers(age=age, ms_type=ms_type, edss=edss, walking=walking)
        assessment = evaluate(answers)
        for finding in assessment.findings:
            assert finding.status == contract_status(finding.id, answers), (finding, answers)
        assert {caution.id for caution in assessment.cautions} == contract_cautions(answers)


def test_health_answers_in_every_combination_raise_exactly_the_contract_cautions():
    # yes, no and blank in every combination (3^9); "unsure" reads as blank, checked below.
    for values in itertools.product((BLANK, "yes", "no"), repeat=len(HEALTH)):
        answers = Answers(**dict(zip(HEALTH, values, strict=True)))
        raised = {caution.id for caution in evaluate(answers).cautions}
        assert raised == contract_cautions(answers), answers


def test_an_unsure_health_answer_raises_no_caution_but_adds_a_question():
    for name in HEALTH:
        unsure, blank = evaluate(Answers(**{name: "unsure"})), evaluate(Answers())
        assert unsure.cautions == () and unsure.questions == blank.questions
        said_no = evaluate(Answers(**{name: "no"}))
        assert len(said_no.questions) == len(blank.questions) - 1, name
