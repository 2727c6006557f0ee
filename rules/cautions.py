"""The cautions (section 3 of the contract, version 2026.12).

A caution never changes a criterion. It is raised only by a definite answer;
an ``unsure`` or blank answer raises none but adds a question for the doctor.
Each caution explains itself in its own words: no two share a sentence.
"""

from __future__ import annotations

from .model import HIGH, MODERATE, Caution, Threshold
from .sources import cite


def _age_over_45(age, t):
    """From the age risks rise, up to the upper age limit."""
    return age is not None and t.from_age <= age <= t.max_age


def _walking_aid(edss, walking, t):
    """The EDSS of walking with an aid, or with no EDSS, that walking answer."""
    if edss is not None:
        return edss == t.aid_edss
    return walking == t.aid_walking


def _progressive(ms_type, t):
    """One of the progressive types."""
    return ms_type in t.progressive_types


def _said_yes(answer, t):
    """A yes."""
    return answer == "yes"


def _yes_caution(name: str, title: str, severity: str, explanation: str, question: str,
                 unsure_question: str, sources: tuple[str, ...]) -> Caution:
    """A caution raised when the person answers yes to the question of the same name."""
    return Caution(
        id=name, title=title, severity=severity, fields=(name,), thresholds=(),
        raised=_said_yes, rule="Raised when the answer is yes.", explanation=explanation,
        question=question,
        unsure_question=unsure_question, sources=sources,
    )


CAUTIONS: tuple[Caution, ...] = (
    Caution(
        id="age_over_45",
        title="Age {from_age} or over",
        severity=MODERATE,
        fields=("age",),
        thresholds=(
            Threshold("from_age", "age", 45, "years", "age from which risks are higher"),
            Threshold("max_age", "age", 55, "years", "upper age limit of the criteria"),
        ),
        raised=_age_over_45,
        rule="Raised for ages {from_age} to {max_age}: from {from_age}, up to the upper age "
             "limit.",
        explanation="The risks of HSCT rise with age. Results are best in people younger "
                    "than {from_age}.",
        question="How does my age change the risks and benefits of HSCT for me?",
        sources=cite("ECTRIMS/EBMT 2025", "004"),
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
        rule="Raised for an EDSS of {aid_edss:.1f} or, with no EDSS, for walking {aid_walking}.",
        explanation="You need a stick or similar aid to walk (about EDSS {aid_edss:.1f}). "
                    "HSCT works better in people with less disability. Guidance prefers an "
                    "EDSS below {aid_edss:.1f}.",
        question="With my level of disability, how likely is HSCT to help me?",
        sources=cite("ECTRIMS/EBMT 2025", "004"),
    ),
    Caution(
        id="progressive_ms",
        title="Progressive MS",
        severity=MODERATE,
        fields=("ms_type",),
        thresholds=(
            Threshold("progressive_types", "ms_type", frozenset({"spms"}), "type of MS",
                      "types of progressive MS this caution is raised for"),
        ),
        raised=_progressive,
        rule="Raised for progressive MS: {progressive_types}.",
        explanation="You said your MS is secondary progressive. HSCT works on the immune "
                    "attack (inflammation) in MS, and it is less clear how much that helps "
                    "once MS has become progressive.",
        question="My MS is secondary progressive. How much could HSCT still help me?",
        sources=cite("ECTRIMS/EBMT 2025"),
    ),
    _yes_caution(
        "heart_disease", "Serious heart disease", HIGH,
        "High doses of a chemotherapy medicine (cyclophosphamide) and the fluids given with "
        "it can strain the heart. Centres test the heart before they go ahead.",
        "I have a heart problem. What heart tests would I need before HSCT?",
        "Do I have a heart problem that would make HSCT riskier?",
        cite("EBMT 2020"),
    ),
    _yes_caution(
        "lung_disease", "Serious lung disease", HIGH,
        "Lung infections and lung damage are among the main risks of HSCT. A lung that "
        "already works less well has less to spare.",
        "I have a lung problem. How does that change the risks of HSCT for me?",
        "Do I have a lung problem that would make HSCT riskier?",
        cite("002", "EBMT 2020"),
    ),
    _yes_caution(
        "kidney_disease", "Serious kidney disease", HIGH,
        "The medicines used in HSCT can harm the kidneys. Kidneys that already work less "
        "well make side effects of those medicines more likely.",
        "I have kidney disease. Do my kidneys work well enough for HSCT?",
        "Do my kidneys work well enough for HSCT?",
        cite("002", "EBMT 2020"),
    ),
    _yes_caution(
        "liver_disease", "Serious liver disease", HIGH,
        "The liver clears several of the medicines used in HSCT from the body. A liver "
        "that is not working well may not cope with them.",
        "I have liver disease. Does my liver work well enough for HSCT?",
        "Does my liver work well enough for HSCT?",
        cite("EBMT 2020"),
    ),
    _yes_caution(
        "active_infection", "Infection not cured", HIGH,
        "HSCT wipes out the immune system for some weeks. An infection has to be treated "
        "or under control first, or it could get much worse.",
        "How would my infection need to be treated before HSCT?",
        "Should I have tests for infections such as HIV, hepatitis or TB?",
        cite("002", "EBMT 2020"),
    ),
    _yes_caution(
        "cancer_history", "Cancer now or in the past", HIGH,
        "A specialist will check which cancer it was, when, and how it was treated. Some "
        "past cancers rule HSCT out.",
        "Does my cancer, or how it was treated, rule out HSCT?",
        "Does anything in my past, such as cancer, make HSCT riskier?",
        cite("EBMT 2020"),
    ),
    _yes_caution(
        "prior_chemotherapy", "Chemotherapy in the past", HIGH,
        "Chemotherapy you had before, such as mitoxantrone, adds to the strain that HSCT "
        "puts on the heart and the bone marrow. The MIST trial did not take people who had "
        "had mitoxantrone.",
        "I have had chemotherapy before. How does that change the risks of HSCT for me?",
        "Have I ever had chemotherapy, such as mitoxantrone?",
        cite("MIST"),
    ),
    _yes_caution(
        "pregnant", "Pregnant now", HIGH,
        "The medicines in HSCT cannot be given while you are pregnant. You need good birth "
        "control during treatment and for a time after it.",
        "How would being pregnant change the timing of any treatment?",
        "Should I have a pregnancy test before any treatment is planned?",
        cite("EBMT 2020"),
    ),
    _yes_caution(
        "wants_children", "May want children", MODERATE,
        "The chemotherapy can make it harder to have children, and can bring an early "
        "menopause. Freezing eggs or sperm takes time, so ask before treatment starts. "
        "Some people have had children after HSCT.",
        "Can I freeze eggs or sperm before HSCT, and how long would that take?",
        "How could HSCT affect my chance of having children later?",
        cite("EBMT 2020", "MS Society UK"),
    ),
)

CAUTIONS_BY_ID = {caution.id: caution for caution in CAUTIONS}

#: Caution ids retired in a later version of the criteria, with what replaced them.
RETIRED_CAUTIONS = {
    "no_high_efficacy_dmt": ("2026.12", "the criterion treatment_failure, which now needs a "
                             "high-efficacy treatment (expect_treatment_failure)"),
}
