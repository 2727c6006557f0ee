"""A person's answers, checked against the field declarations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from .fields import FIELDS


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad value: which field, what was given and what is allowed."""

    field: str
    value: str
    allowed: str
    unknown_field: bool = False

    @property
    def message(self) -> str:
        """The problem as one sentence a person can act on."""
        if self.unknown_field:
            return f"unknown field {self.field!r}; allowed fields: {self.allowed}"
        return f"{self.field}: {self.value!r} is not allowed; allowed: {self.allowed}"


class AnswersError(ValueError):
    """Every problem found in one set of answers, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


@dataclass(frozen=True, slots=True)
class Answers:
    """What a person answered. None means not answered, treated like ``unsure``."""

    age: int | None = None
    ms_type: str | None = None
    years_since_diagnosis: float | None = None
    relapses_12m: int | None = None
    new_mri_activity_12m: str | None = None
    dmt_count: int | None = None
    activity_on_dmt: str | None = None
    high_efficacy_dmt: str | None = None
    edss: float | None = None
    walking: str | None = None
    heart_disease: str | None = None
    lung_disease: str | None = None
    kidney_disease: str | None = None
    liver_disease: str | None = None
    active_infection: str | None = None
    cancer_history: str | None = None
    prior_chemotherapy: str | None = None
    pregnant: str | None = None
    wants_children: str | None = None
    country: str | None = None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> Answers:
        """Build answers from strings or typed values, checking every one.

        Raises AnswersError listing every unknown field and bad value at once.
        """
        values: dict[str, object] = {}
        problems: list[Problem] = []
        for name, raw in mapping.items():
            field = FIELDS.get(name)
            if field is None:
                problems.append(Problem(
                    str(name), _shown(raw), ", ".join(FIELDS), unknown_field=True))
                continue
            try:
                values[name] = field.parse(raw)
            except ValueError as error:
                problems.append(Problem(name, _shown(raw), str(error)))
        if problems:
            raise AnswersError(problems)
        return cls(**values)

    def applicable(self) -> Answers:
        """These answers as the rules read them: a field that does not apply is blank.

        When ``dmt_count`` is 0, ``activity_on_dmt`` and ``high_efficacy_dmt`` do not
        apply (contract, section 1); this is the one place that says so.
        """
        ignored = {
            name: None for name, field in FIELDS.items()
            if field.ignored_when and getattr(self, name) is not None
            and getattr(self, field.ignored_when[0]) == field.ignored_when[1]
        }
        return replace(self, **ignored) if ignored else self

    def to_dict(self, *, skip_blank: bool = False) -> dict[str, object]:
        """The answers as a plain dict of typed values."""
        values = asdict(self)
        if skip_blank:
            return {name: value for name, value in values.items() if value is not None}
        return values

    def to_strings(self) -> dict[str, str]:
        """The non-blank answers as strings, as a rule table or form would hold them."""
        return {
            name: FIELDS[name].format_value(value)
            for name, value in self.to_dict(skip_blank=True).items()
        }


def _shown(raw: object) -> str:
    """A bad value as it should be quoted back, cut short if it is long."""
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."
