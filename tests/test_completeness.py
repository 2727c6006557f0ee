"""Every combination of the categorical answers (blank included) with the numeric
boundary values gives exactly one outcome, as the contract's outcome rule says,
and only allowed statuses. Each status is also checked against a literal reading
of the contract's criteria table, written here independently of rules/."""

import itertools

from rules import CRITERIA, OUTCOMES, STATUSES, Answers, evaluate

BLANK = None
MS_TYPES = (BLANK, "rrms", "spms", "ppms", "cis", "unsure")
YES_NO = (BLANK, "yes", "no", "unsure")
WALKING = (BLANK, "unaided_far", "unaided_short", "one_aid", "two_aids", "wheelchair", "unsure")
AGES = (BLANK, 17, 18, 55, 56)
YEARS = (BLANK, 10.0, 10.5)
RELAPSES = (BLANK, 0, 1, 2)
DMT_COUNTS = (BLANK, 0, 1)
EDSS = (BLANK, 5.5, 6.0, 6.5)


def contract_status(criterion_id, a):
    """The criteria table of the contract, read literally."""
    if criterion_id == "rrms":
        return {"rrms": "met", "spms": "not_met", "ppms": "not_met",
                "cis": "not_met"}.get(a.ms_type, "unknown")
    if criterion_id == "inflammatory_activity":
        r, mri = a.relapses_12m, a.new_mri_activity_12m
        if r is not None and (r >= 2 or (r >= 1 and mri == "yes")):
            return "met"
        if r == 0 or (r == 1 and mri == "no"):
            return "not_met"
        return "unknown"
    if criterion_id == "treatment_failure":
        if a.dmt_count is not None and a.dmt_count >= 1 and a.activity_on_dmt == "yes":
            return "met"
        if a.dmt_count == 0 or a.activity_on_dmt == "no":
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


def contract_outcome(statuses):
    """The outcome table of the contract, read literally."""
    if any(status == "not_met" for status in statuses):
        return "does_not_match"
    if any(status == "unknown" for status in statuses):
        return "unclear"
    assert all(status == "met" for status in statuses)
    return "matches"


def test_every_combination_gives_one_outcome_from_allowed_statuses():
    seen_outcomes = set()
    combinations = 0
    for ms_type, relapses, mri, dmts, on_dmt, years, edss, walking, age in itertools.product(
        MS_TYPES, RELAPSES, YES_NO, DMT_COUNTS, YES_NO, YEARS, EDSS, WALKING, AGES,
    ):
        answers = Answers(
            age=age, ms_type=ms_type, years_since_diagnosis=years, relapses_12m=relapses,
            new_mri_activity_12m=mri, dmt_count=dmts, activity_on_dmt=on_dmt,
            edss=edss, walking=walking,
        )
        assessment = evaluate(answers)
        statuses = [finding.status for finding in assessment.findings]
        assert [finding.id for finding in assessment.findings] == [c.id for c in CRITERIA]
        assert set(statuses) <= set(STATUSES)
        for finding in assessment.findings:
            assert finding.status == contract_status(finding.id, answers), (finding, answers)
        assert assessment.outcome in OUTCOMES
        assert assessment.outcome == contract_outcome(statuses), answers
        seen_outcomes.add(assessment.outcome)
        combinations += 1
    assert seen_outcomes == set(OUTCOMES)
    assert combinations == 6 * 4 * 4 * 3 * 4 * 3 * 4 * 7 * 5


def test_health_answers_in_every_combination_raise_exactly_the_yes_cautions():
    names = ("heart_disease", "lung_disease", "kidney_disease", "liver_disease",
             "active_infection", "cancer_history", "pregnant", "wants_children")
    for values in itertools.product(YES_NO, repeat=len(names)):
        answers = Answers(**dict(zip(names, values, strict=True)))
        raised = {caution.id for caution in evaluate(answers).cautions}
        expected = {name for name, value in zip(names, values, strict=True) if value == "yes"}
        assert raised == expected, answers
