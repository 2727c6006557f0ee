"""Answers: blanks, case, spaces, numbers and every kind of bad value."""

import pytest

from rules import FIELDS, Answers, AnswersError


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_blank_value_is_not_answered(blank):
    assert Answers.from_mapping({"age": blank, "ms_type": blank}) == Answers()


@pytest.mark.parametrize(("raw", "expected"), [
    ("RRMS", "rrms"), (" rrms ", "rrms"), ("Unsure", "unsure"), ("\tSpMs\n", "spms"),
])
def test_choices_ignore_case_and_surrounding_spaces(raw, expected):
    assert Answers.from_mapping({"ms_type": raw}).ms_type == expected


@pytest.mark.parametrize("raw", ["6", "6.0", " 6.0 ", 6, 6.0, "6.00"])
def test_edss_accepts_6_and_6_point_0_alike(raw):
    assert Answers.from_mapping({"edss": raw}).edss == 6.0


@pytest.mark.parametrize("raw", ["0", "1", "1.5", "9.5", "10", 0, 10])
def test_edss_accepts_every_step(raw):
    assert Answers.from_mapping({"edss": raw}).edss == float(raw)


@pytest.mark.parametrize(
    "raw", ["0.5", "6.2", "6.25", "10.5", "-1", "11", "six", True, "nan", "inf"])
def test_edss_rejects_anything_that_is_not_a_step(raw):
    with pytest.raises(AnswersError) as error:
        Answers.from_mapping({"edss": raw})
    [problem] = error.value.problems
    assert problem.field == "edss"
    assert "EDSS step" in problem.allowed and "there is no 0.5" in problem.allowed


@pytest.mark.parametrize(("field", "raw"), [
    ("age", "-1"), ("age", "121"), ("age", "30.5"), ("age", "thirty"), ("age", True),
    ("relapses_12m", "51"), ("relapses_12m", "1.5"), ("dmt_count", "31"),
    ("years_since_diagnosis", "100.5"), ("years_since_diagnosis", "-0.5"),
    ("years_since_diagnosis", "1e400"), ("ms_type", "relapsing"), ("walking", "far"),
    ("new_mri_activity_12m", "maybe"), ("heart_disease", "y"), ("pregnant", 1),
    ("country", "x" * 81), ("country", "Fr\x00ance"), ("age", [30]),
])
def test_a_bad_value_names_the_field_the_value_and_what_is_allowed(field, raw):
    with pytest.raises(AnswersError) as error:
        Answers.from_mapping({field: raw})
    [problem] = error.value.problems
    assert problem.field == field
    assert problem.value.startswith(str(raw)[:20]), "the value as given (a long one cut short)"
    assert problem.allowed == FIELDS[field].allowed or problem.allowed.startswith(
        FIELDS[field].allowed)
    assert f"{field}: {problem.value!r} is not allowed; allowed: {problem.allowed}" in \
        str(error.value)


def test_numbers_may_be_typed_values_or_text():
    answers = Answers.from_mapping({"age": 30, "years_since_diagnosis": "2.5",
                                    "relapses_12m": "2", "dmt_count": 1.0})
    assert (answers.age, answers.years_since_diagnosis, answers.relapses_12m,
            answers.dmt_count) == (30, 2.5, 2, 1)


def test_every_problem_is_reported_together():
    with pytest.raises(AnswersError) as error:
        Answers.from_mapping({"age": "x", "edss": "6.2", "walking": "far",
                              "nonsense": "1", "ms_type": "rrms"})
    fields = [problem.field for problem in error.value.problems]
    assert fields == ["age", "edss", "walking", "nonsense"]
    assert "unknown field 'nonsense'" in str(error.value)


def test_country_keeps_its_text_without_surrounding_spaces():
    assert Answers.from_mapping({"country": "  New Zealand "}).country == "New Zealand"


def test_answers_round_trip_through_strings():
    answers = Answers.from_mapping({"age": "30", "edss": "6", "ms_type": "RRMS",
                                    "years_since_diagnosis": "2.5"})
    assert answers.to_strings() == {"age": "30", "edss": "6.0", "ms_type": "rrms",
                                    "years_since_diagnosis": "2.5"}
    assert Answers.from_mapping(answers.to_strings()) == answers
