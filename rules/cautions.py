"""The cautions (section 3 of the contract).

A caution never changes a criterion. It is raised only by a definite answer;
an ``unsure`` or blank answer raises none but adds a question for the doctor.
"""

from __future__ import annotations

from .fields import FIELDS, HEALTH_FIELDS
from .model import HIGH, MODERATE, Caution, Threshold
from .sources import cite


def _age_over_45(age, t):
    """Raised for ages 46 to 55: over 45, up to the upper age limit."""
    return age is not None and t.over_age < age <= t.max_age


def _walking_aid(edss, walking, t):
    """Raised for EDSS 6.0 or, with no EDSS, for walking with an aid on one side."""
    if edss is not None:
        return edss == t.aid_edss
    return walking == t.aid_walking


def _said_no(answer, t):
    """Raised when the answer is no."""
    return answer == "no"


def _said_yes(answer, t):
    """Raised when the answer is yes."""
    return answer == "yes"


_TOXICITY = ("The chemotherapy and the weak immune system during HSCT raise the risk of "
             "infection, sepsis, and kidney, lung and gut problems.")

_HEALTH = {
    "heart_disease": ("have a serious heart problem",
                      "Do I have a heart problem that would make HSCT riskier?"),
    "lung_disease": ("have a serious lung problem",
                     "Do I have a lung problem that would make HSCT riskier?"),
    "kidney_disease": ("have serious kidney disease",
                       "Do my kidneys work well enough for HSCT?"),
    "liver_disease": ("have serious liver disease",
                      "Does my liver work well enough for HSCT?"),
    "active_infection": ("have an infection that is not yet cured",
                         "Should I have tests for infections such as HIV, hepatitis or TB?"),
    "cancer_history": ("have had cancer",
                       "Does anything in my past, such as cancer, make HSCT riskier?"),
}


def _health_caution(name: str) -> Caution:
    """The caution raised when a person has a condition that adds to HSCT's risks."""
    words, unsure_question = _HEALTH[name]
    return Caution(
        id=name,
        title=FIELDS[name].label,
        severity=HIGH,
        fields=(name,),
        thresholds=(),
        raised=_said_yes,
        explanation=f"You said you {words}. {_TOXICITY} "
                    "A condition like this makes those risks higher.",
        question=f"I {words}. How does that change the risks of HSCT for me?",
        unsure_question=unsure_question,
        sources=cite("002"),
    )


CAUTIONS: tuple[Caution, ...] = (
    Caution(
        id="age_over_45",
        title="Age over {over_age}",
        severity=MODERATE,
        fields=("age",),
        thresholds=(
            Threshold("over_age", "age", 45, "years", "age above which risks rise"),
            Threshold("max_age", "age", 55, "years", "upper age limit of the criteria"),
        ),
        raised=_age_over_45,
        explanation="The risks of HSCT rise with age. Results are best in people under "
                    "{over_age}.",
        question="How does my age change the risks and benefits of HSCT for me?",
        sources=cite("004", "EBMT 2020"),
    ),
    Caution(
        id="walking_aid",
        title="Walking with an aid",
        severity=MODERATE,
        fields=("edss", "walking"),
        thresholds=(
            Threshold("aid_edss", "edss", 6.0, "EDSS points",
                      "EDSS score of walking with an aid on one side"),
            Threshold("aid_walking", "walking", "one_aid", "walking answer",
                      "walking with an aid on one side"),
        ),
        raised=_walking_aid,
        explanation="You need a stick or similar aid to walk (about EDSS {aid_edss:.1f}). "
                    "HSCT works better in people with less disability.",
        question="With my level of disability, how likely is HSCT to help me?",
        sources=cite("004", "EBMT 2020"),
    ),
    Caution(
        id="no_high_efficacy_dmt",
        title="No high-efficacy treatment yet",
        severity=MODERATE,
        fields=("high_efficacy_dmt",),
        thresholds=(),
        raised=_said_no,
        explanation="Guidance today says to try at least one of the strongest MS medicines "
                    "(a high-efficacy treatment) before HSCT.",
        question="Should I try a high-efficacy treatment before HSCT?",
        unsure_question="Has one of my treatments been a high-efficacy one?",
        sources=cite("ECTRIMS/EBMT 2025"),
    ),
    *(_health_caution(name) for name in HEALTH_FIELDS),
    Caution(
        id="pregnant",
        title="Pregnant now",
        severity=HIGH,
        fields=("pregnant",),
        thresholds=(),
        raised=_said_yes,
        explanation="HSCT uses strong medicines (chemotherapy) that cannot be given "
                    "while you are pregnant.",
        question="How would being pregnant change the timing of any treatment?",
        unsure_question="Should I have a pregnancy test before any treatment is planned?",
        sources=cite("EBMT 2020"),
    ),
    Caution(
        id="wants_children",
        title="May want children",
        severity=MODERATE,
        fields=("wants_children",),
        thresholds=(),
        raised=_said_yes,
        explanation="The chemotherapy can make it harder to have children later. Ask about "
                    "freezing eggs or sperm before treatment.",
        question="Can I freeze eggs or sperm before HSCT?",
        unsure_question="How could HSCT affect my chance of having children later?",
        sources=cite("EBMT 2020"),
    ),
)

CAUTIONS_BY_ID = {caution.id: caution for caution in CAUTIONS}
