"""The six criteria of the profile (section 2 of the contract).

Each criterion is declared once: its thresholds as named data, a judge whose
docstring is the rule in one sentence, an explanation for every reason the
judge can give, the exceptions the sources mention, and its sources.
"""

from __future__ import annotations

from .model import MET, NOT_MET, UNKNOWN, Criterion, SourceException, Threshold
from .sources import cite


def _rrms(ms_type, t):
    """Met for relapsing-remitting MS; not met for a progressive type or CIS."""
    if ms_type in t.met_types:
        return MET, "rrms"
    if ms_type in t.other_types:
        return NOT_MET, "other_type"
    return UNKNOWN, "type_unknown"


def _inflammatory_activity(relapses, mri, t):
    """Met with 2 or more relapses in 12 months, or 1 relapse with new MRI activity."""
    if relapses is None:
        return UNKNOWN, "count_unknown"
    if relapses >= t.relapses_alone:
        return MET, "relapses"
    if relapses >= t.relapses_with_mri:
        if mri == "yes":
            return MET, "relapse_and_mri"
        if mri == "no":
            return NOT_MET, "relapse_without_mri"
        return UNKNOWN, "mri_unknown"
    return NOT_MET, "no_relapses"


def _treatment_failure(dmt_count, activity_on_dmt, t):
    """Met when MS was active while taking at least 1 disease-modifying treatment."""
    if dmt_count is not None and dmt_count < t.min_dmt_count:
        return NOT_MET, "no_dmt"
    if activity_on_dmt == "no":
        return NOT_MET, "no_activity_on_dmt"
    if dmt_count is None:
        return UNKNOWN, "count_unknown"
    if activity_on_dmt == "yes":
        return MET, "active_on_dmt"
    return UNKNOWN, "activity_unknown"


def _disease_duration(years, t):
    """Met when MS was diagnosed 10 years ago or less."""
    if years is None:
        return UNKNOWN, "unknown"
    if years <= t.max_years:
        return MET, "within"
    return NOT_MET, "beyond"


def _ambulatory(edss, walking, t):
    """Met with EDSS 6.0 or less; with no EDSS, walking about 100 m with one aid or better."""
    if edss is not None:
        return (MET, "edss_within") if edss <= t.max_edss else (NOT_MET, "edss_over")
    if walking in t.walking_met:
        return MET, "walking_able"
    if walking in t.walking_not_met:
        return NOT_MET, "walking_limited"
    return UNKNOWN, "unknown"


def _age_range(age, t):
    """Met for ages 18 to 55."""
    if age is None:
        return UNKNOWN, "unknown"
    if age < t.min_age:
        return NOT_MET, "younger"
    if age > t.max_age:
        return NOT_MET, "older"
    return MET, "within"


_SOURCES_SAY = "The sources look for {relapses_alone} or more relapses in a year, " \
    "or {relapses_with_mri} relapse with new activity on an MRI scan."
_TREATMENT_AIM = "The sources describe HSCT for MS that stays active even with these medicines."
_WALK = "The sources say you should be able to walk."
_EDSS = "Your EDSS score is {edss}. Trials such as BEAT-MS and COAST take people with " \
    "an EDSS of {max_edss:.1f} or less. A score from your neurologist counts before your " \
    "own answer about walking."
_HIGH_DISABILITY = "People with a lot of disability may keep getting worse even after HSCT."

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        id="rrms",
        title="Relapsing-remitting MS",
        term="Relapsing-remitting multiple sclerosis (RRMS)",
        fields=("ms_type",),
        thresholds=(
            Threshold("met_types", "ms_type", frozenset({"rrms"}), "type of MS",
                      "types of MS that meet this point"),
            Threshold("other_types", "ms_type", frozenset({"spms", "ppms", "cis"}),
                      "type of MS", "types of MS that do not meet this point"),
        ),
        judge=_rrms,
        explanations={
            "rrms": "You said you have relapsing-remitting MS (RRMS). The sources describe "
                    "HSCT mainly for this type of MS, when it is very active.",
            "other_type": "You said your type of MS is {ms_type}. The sources describe HSCT "
                          "mainly for relapsing-remitting MS (RRMS).",
            "type_unknown": "We do not know which type of MS you have. The sources describe "
                            "HSCT mainly for relapsing-remitting MS (RRMS).",
        },
        question="Which type of MS do I have: relapsing-remitting (RRMS), or a progressive type?",
        sources=cite("002", "000", "004", "ASBMT 2019"),
        exceptions=(
            SourceException(
                "Some specialists also consider people with progressive MS (SPMS or PPMS). "
                "This is when there are still signs of active MS, such as relapses or new "
                "lesions on MRI scans.",
                cite("ASBMT 2019", "ECTRIMS/EBMT 2025"),
            ),
        ),
    ),
    Criterion(
        id="inflammatory_activity",
        title="Very active MS",
        term="Highly inflammatory disease: relapses and new MRI lesions in 12 months",
        fields=("relapses_12m", "new_mri_activity_12m"),
        thresholds=(
            Threshold("relapses_alone", "relapses_12m", 2, "relapses in 12 months",
                      "relapses that meet this point on their own"),
            Threshold("relapses_with_mri", "relapses_12m", 1, "relapses in 12 months",
                      "relapses that meet this point with new MRI activity"),
        ),
        judge=_inflammatory_activity,
        explanations={
            "relapses": "You had {relapses_12m} relapses in the last 12 months. The sources "
                        "look for {relapses_alone} or more in a year, as a sign of very "
                        "active MS.",
            "relapse_and_mri": "You had {relapses_12m} relapse in the last 12 months, and an "
                               "MRI scan showed new or active areas of damage. The sources "
                               "count this as very active MS.",
            "no_relapses": "You had no relapses in the last 12 months. " + _SOURCES_SAY,
            "relapse_without_mri": "You had {relapses_12m} relapse in the last 12 months, "
                                   "and an MRI scan showed no new activity. " + _SOURCES_SAY,
            "count_unknown": "We do not know how many relapses you had in the last 12 "
                             "months. " + _SOURCES_SAY,
            "mri_unknown": "You had {relapses_12m} relapse in the last 12 months, but we do "
                           "not know if an MRI scan showed new activity. " + _SOURCES_SAY,
        },
        question="How many relapses have I had in the last 12 months, and has an MRI scan "
                 "shown new or enhancing lesions?",
        sources=cite("002", "004", "EBMT 2020", "MIST"),
        exceptions=(
            SourceException(
                "Some trials accept activity seen only on MRI scans. For example, RAM-MS "
                "accepts 3 or more new T2 lesions.",
                cite("RAM-MS"),
            ),
        ),
    ),
    Criterion(
        id="treatment_failure",
        title="Other treatments have not worked",
        term="Breakthrough disease despite disease-modifying therapy (DMT failure)",
        fields=("dmt_count", "activity_on_dmt"),
        thresholds=(
            Threshold("min_dmt_count", "dmt_count", 1, "treatments",
                      "disease-modifying treatments taken"),
        ),
        judge=_treatment_failure,
        explanations={
            "active_on_dmt": "You have taken {dmt_count} disease-modifying treatment(s), and "
                             "your MS was active while you took one. " + _TREATMENT_AIM,
            "no_dmt": "You have not taken a disease-modifying treatment. " + _TREATMENT_AIM,
            "no_activity_on_dmt": "You said your MS was not active while you took a "
                                  "disease-modifying treatment. " + _TREATMENT_AIM,
            "count_unknown": "We do not know how many disease-modifying treatments you have "
                             "taken. " + _TREATMENT_AIM,
            "activity_unknown": "We do not know if your MS was active while you took a "
                                "disease-modifying treatment. " + _TREATMENT_AIM,
        },
        question="Has my MS been active while I was taking a disease-modifying treatment (DMT)?",
        sources=cite("002", "EBMT 2020", "ECTRIMS/EBMT 2025"),
        exceptions=(
            SourceException(
                "For very aggressive MS that was never treated, HSCT may be used as a first "
                "treatment within a trial.",
                cite("EBMT 2020"),
            ),
        ),
    ),
    Criterion(
        id="disease_duration",
        title="MS for {max_years} years or less",
        term="Disease duration of {max_years} years or less since diagnosis",
        fields=("years_since_diagnosis",),
        thresholds=(
            Threshold("max_years", "years_since_diagnosis", 10, "years",
                      "most years since diagnosis that meet this point"),
        ),
        judge=_disease_duration,
        explanations={
            "within": "You were diagnosed {years_since_diagnosis} years ago. The sources "
                      "say you will probably need to have had MS for {max_years} years "
                      "or less.",
            "beyond": "You were diagnosed {years_since_diagnosis} years ago. The sources "
                      "say you will probably need to have had MS for {max_years} years "
                      "or less.",
            "unknown": "We do not know when you were diagnosed. The sources say you will "
                       "probably need to have had MS for {max_years} years or less.",
        },
        question="How long ago was my MS diagnosed?",
        sources=cite("002", "COAST"),
        exceptions=(
            SourceException(
                "The source says “probably”. A specialist weighs the time since diagnosis "
                "together with how active your MS is.",
                cite("002"),
            ),
        ),
    ),
    Criterion(
        id="ambulatory",
        title="Able to walk",
        term="Ambulatory: EDSS {max_edss:.1f} or less",
        fields=("edss", "walking"),
        thresholds=(
            Threshold("max_edss", "edss", 6.0, "EDSS points",
                      "highest EDSS score that meets this point"),
            Threshold("walking_met", "walking",
                      frozenset({"unaided_far", "unaided_short", "one_aid"}),
                      "walking answer", "walking answers that meet this point"),
            Threshold("walking_not_met", "walking", frozenset({"two_aids", "wheelchair"}),
                      "walking answer", "walking answers that do not meet this point"),
        ),
        judge=_ambulatory,
        explanations={
            "edss_within": _EDSS,
            "edss_over": _EDSS + " " + _HIGH_DISABILITY,
            "walking_able": "You said you can walk {walking}. " + _WALK,
            "walking_limited": "You said you can walk {walking}. " + _WALK + " "
                               + _HIGH_DISABILITY,
            "unknown": "We do not know your EDSS score or how far you can walk. " + _WALK,
        },
        question="What is my EDSS score?",
        sources=cite("002", "004", "BEAT-MS", "COAST", "NMDP"),
        exceptions=(
            SourceException(
                "If your disability rose with a recent relapse, it may still get better. "
                "Specialists may take that into account.",
                cite("ECTRIMS/EBMT 2025", "004"),
            ),
        ),
    ),
    Criterion(
        id="age_range",
        title="Age {min_age} to {max_age}",
        term="Age {min_age}–{max_age} years",
        fields=("age",),
        thresholds=(
            Threshold("min_age", "age", 18, "years", "youngest age that meets this point"),
            Threshold("max_age", "age", 55, "years", "oldest age that meets this point"),
        ),
        judge=_age_range,
        explanations={
            "within": "You are {age}. Most trials take people aged {min_age} to {max_age}.",
            "younger": "You are {age}. Most trials take people aged {min_age} to {max_age}.",
            "older": "You are {age}. Most trials take people aged {min_age} to {max_age}. "
                     "The treatment is harder on the body as people get older.",
            "unknown": "We do not know your age. Most trials take people aged {min_age} to "
                       "{max_age}.",
        },
        question="Is there an age limit for HSCT at the centres or trials near me?",
        sources=cite("004", "MIST", "BEAT-MS", "StarMS", "COAST"),
        exceptions=(
            SourceException("Some specialists may consider people over 55 who are fit and well.",
                            cite("ECTRIMS/EBMT 2025")),
        ),
    ),
)

CRITERIA_BY_ID = {criterion.id: criterion for criterion in CRITERIA}
