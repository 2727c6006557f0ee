"""What single answer would make a criterion met, worked out from the rule itself.

For each field a criterion reads, every other value worth trying (each choice,
or each threshold with its neighbours and the ends of the range) is put in
place of the person's answer, and the criterion is judged again. The values
that turn it to ``met`` are then said in words from the field's declaration.
"""

from __future__ import annotations

from .criteria import CRITERIA, CRITERIA_BY_ID
from .fields import FIELDS, UNSURE, Field
from .i18n import Text
from .model import MET, Change, Criterion


def _candidates(criterion: Criterion, field: Field) -> tuple[object, ...]:
    """Every value of ``field`` that could give ``criterion`` a different status."""
    points = set()
    for threshold in criterion.thresholds:
        if threshold.field == field.name and isinstance(threshold.value, (int, float)):
            points.update((threshold.value - field.step, threshold.value,
                           threshold.value + field.step))
    return field.kind.candidates(points)


_CANDIDATES = {
    (criterion.id, name): _candidates(criterion, FIELDS[name])
    for criterion in CRITERIA
    for name in criterion.fields
}


def describe(field: Field, winners: list, tried: tuple) -> str:
    """What the point looks for in one field, as it reads after "This point is met"."""
    return field.kind.looks_for(field.looks_for_template, winners, tried)


def single_changes(criterion_id: str, values: tuple) -> tuple[Change, ...]:
    """Each answer that, changed on its own, would make the criterion met.

    ``values`` are the answers to the criterion's fields, in order. A fact that
    cannot change (an age, a type of progressive MS) is not offered as a change.
    """
    criterion = CRITERIA_BY_ID[criterion_id]
    changes = []
    for index, name in enumerate(criterion.fields):
        field = FIELDS[name]
        if field.is_fixed(values[index]):
            continue
        winners = []
        tried = _CANDIDATES[criterion_id, name]
        for candidate in tried:
            if candidate == values[index]:
                continue
            trial = values[:index] + (candidate,) + values[index + 1:]
            if criterion.judge(*trial, criterion.limits)[0] == MET:
                winners.append(candidate)
        if winners:
            changes.append(Change(name, tuple(winners), describe(field, winners, tried)))
    return tuple(changes)


def would_change(criterion: Criterion, values: tuple, changes: tuple[Change, ...]) -> str:
    """What the point looks for, from the changes that would make it met.

    When nothing is answered yet, or no single answer would do it, the criterion's
    own sentence says what it looks for; when the answer is a fact that cannot
    change, that is said kindly.
    """
    if changes and any(value not in (None, UNSURE) for value in values):
        first, *others = changes
        return Text.join([Text("This point is met {how}.", how=first.text),
                          *(Text("It is also met {how}.", how=change.text)
                            for change in others)])
    sentences = [criterion.looks_for]
    fixed = [name for name, value in zip(criterion.fields, values, strict=True)
             if FIELDS[name].is_fixed(value)]
    if fixed:
        sentences.append(CANNOT_CHANGE[fixed[0]])
    return Text.join(sentences)


#: For each field that can hold a fact that cannot change: that it cannot (made once).
CANNOT_CHANGE = {
    name: Text("{fact} is not something you can change now, so this is for a specialist to "
               "weigh with everything else.", fact=Text(field.fixed))
    for name, field in FIELDS.items() if field.fixed
}
