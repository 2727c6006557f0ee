"""The lean judgement a rule-table check uses gives exactly what evaluate() gives."""

import random

import pytest

from rules import FIELDS, Answers, evaluate
from rules.assess import verdict


def random_answers(rng: random.Random) -> Answers:
    values = {}
    for name, field in FIELDS.items():
        if rng.random() < 0.2:
            continue
        if field.values:
            values[name] = rng.choice(field.values)
        elif name == "edss":
            values[name] = rng.choice(["0", "1.0", "3.5", "5.5", "6.0", "6.5", "8.0", "10"])
        elif name == "country":
            values[name] = rng.choice(["France", "Canada"])
        else:
            values[name] = str(rng.randint(int(field.minimum), min(int(field.maximum), 70)))
    return Answers.from_mapping(values)


@pytest.mark.parametrize("seed", range(5))
def test_verdict_gives_the_statuses_outcome_and_cautions_of_evaluate(seed):
    rng = random.Random(seed)
    for _ in range(400):
        answers = random_answers(rng)
        full, lean = evaluate(answers), verdict(answers)
        assert lean.outcome == full.outcome
        assert dict(lean.statuses) == dict(full.statuses)
        assert lean.caution_ids == tuple(caution.id for caution in full.cautions)
