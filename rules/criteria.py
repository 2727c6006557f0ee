"""The six criteria of the profile (section 2 of the contract, version 2026.12).

Each criterion is declared once: its thresholds as named data, a judge that
compares the answers with them, the rule in one sentence (its thresholds put
in by name, so that it says what the judge does), an explanation for every reason the
judge can give, the exceptions the sources mention (each shown only for the
reasons it applies to), and its sources.
"""

from __future__ import annotations

from .model import MET, NOT_MET, UNKNOWN, Criterion, SourceException, Threshold
from .sources import cite


def _relapsing_ms(ms_type, relapses, mri, t):
    """Relapsing types meet the point; types met with activity need a relapse or new MRI
    activity; the other types do not (the criterion's ``rule`` says it with the values)."""
    if ms_type in t.relapsing_types:
        return MET, "relapsing"
    if ms_type in t.types_met_with_activity:
        if (relapses is not None and relapses >= t.min_relapses) or mri == "yes":
            return MET, "progressive_active"
        if relapses is not None and mri == "no":
            return NOT_MET, "progressive_inactive"
        return UNKNOWN, "progressive_activity_unknown"
    if ms_type in t.other_types:
        return NOT_MET, ms_type
    return UNKNOWN, "type_unknown"


def _inflammatory_activity(relapses, mri, t):
    """Enough relapses alone, or fewer with new MRI activity; none and no activity is not
    met; anything else is not clear."""
    if relapses is None:
        return UNKNOWN, "count_unknown"
    if relapses >= t.relapses_alone:
        return MET, "relapses"
    if relapses >= t.relapses_with_mri:
        if mri == "yes":
            return MET, "relapse_and_mri"
        return UNKNOWN, "one_relapse_only" if mri == "no" else "one_relapse_mri_unknown"
    if mri == "no":
        return NOT_MET, "no_activity"
    return UNKNOWN, "mri_only" if mri == "yes" else "no_relapses_mri_unknown"


def _treatment_failure(dmt_count, activity_on_dmt, high_efficacy_dmt, t):
    """Active on treatment with a high-efficacy one among them; too few treatments, quiet
    on treatment or no high-efficacy one is not met."""
    if dmt_count is not None and dmt_count < t.min_dmt_count:
        return NOT_MET, "no_dmt"
    if activity_on_dmt == "no":
        return NOT_MET, "quiet_on_dmt"
    if high_efficacy_dmt == "no":
        return NOT_MET, "no_high_efficacy"
    if dmt_count is None:
        return UNKNOWN, "count_unknown"
    if activity_on_dmt == "yes" and high_efficacy_dmt == "yes":
        return MET, "failed_high_efficacy"
    return UNKNOWN, "history_unknown"


def _disease_duration(years, t):
    """Up to the most years since diagnosis."""
    if years is None:
        return UNKNOWN, "unknown"
    if years <= t.max_years:
        return MET, "within"
    return NOT_MET, "beyond"


def _ambulatory(edss, walking, t):
    """The EDSS decides when it is given; without it, the walking answer."""
    if edss is not None:
        if edss <= t.max_edss:
            return MET, "edss_within"
        return NOT_MET, "edss_just_over" if edss <= t.some_centres_edss else "edss_over"
    if walking in t.walking_met:
        return MET, "walking_able"
    if walking in t.walking_not_met:
        return NOT_MET, "walking_two_aids" if walking == "two_aids" else "walking_limited"
    return UNKNOWN, "unknown"


def _age_range(age, t):
    """From the youngest to the oldest age."""
    if age is None:
        return UNKNOWN, "unknown"
    if age < t.min_age:
        return NOT_MET, "younger"
    if age > t.max_age:
        return NOT_MET, "older"
    return MET, "within"


_TYPE_AIM = "HSCT is used mainly for relapsing MS. That is MS that still has relapses or " \
    "new damage on scans."
_ACTIVITY_AIM = "The sources look for very active MS. That means {relapses_alone} or more " \
    "relapses in a year, or {relapses_with_mri} relapse and new damage on a scan."
_TREATMENT_AIM = "Guidance says HSCT comes after a high-efficacy MS medicine has been tried " \
    "and the MS stayed active."
_WALK = "Results are better in people who can still walk."
_EDSS = "Your EDSS score is {edss}. The sources look for an EDSS of {max_edss:.1f} or " \
    "less. A score from your neurologist counts before your own answer about walking."
_HIGH_DISABILITY = "People with a lot of disability may keep getting worse even after HSCT."
_DURATION = "The sources look for MS diagnosed {max_years} years ago or less, because " \
    "HSCT helps most early on."
_AGE = "The sources look for people aged {min_age} to {max_age}."

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        id="relapsing_ms",
        title="Relapsing MS",
        term="Relapsing MS: RRMS, or SPMS with superimposed relapses or MRI activity",
        fields=("ms_type", "relapses_12m", "new_mri_activity_12m"),
        thresholds=(
            Threshold("relapsing_types", "ms_type", frozenset({"rrms"}), "type of MS",
                      "types of MS that meet this point"),
            Threshold("types_met_with_activity", "ms_type", frozenset({"spms"}), "type of MS",
                      "types of MS that meet this point when there is recent activity"),
            Threshold("min_relapses", "relapses_12m", 1, "relapses in 12 months",
                      "relapses that count as recent activity in progressive MS"),
            Threshold("other_types", "ms_type", frozenset({"ppms", "cis"}), "type of MS",
                      "types of MS that do not meet this point"),
        ),
        judge=_relapsing_ms,
        rule="Met for {relapsing_types}, or {types_met_with_activity} with {min_relapses} or "
             "more relapses or new MRI activity in the last 12 months; not met for "
             "{other_types}, or {types_met_with_activity} with neither.",
        explanations={
            "relapsing": "You said you have relapsing-remitting MS (RRMS). " + _TYPE_AIM,
            "progressive_active": "You said you have secondary progressive MS (SPMS), and "
                                  "you had a relapse or new damage on an MRI scan in the "
                                  "last 12 months. Guidance counts this as a relapsing form "
                                  "of MS.",
            "progressive_inactive": "You said you have secondary progressive MS (SPMS). You "
                                    "had no relapse and no new damage on a scan in the last "
                                    "12 months. " + _TYPE_AIM,
            "progressive_activity_unknown": "You said you have secondary progressive MS "
                                            "(SPMS). We do not know if it has been active in "
                                            "the last 12 months. " + _TYPE_AIM,
            "ppms": "You said you have primary progressive MS (PPMS). " + _TYPE_AIM,
            "cis": "You said you had a clinically isolated syndrome (CIS). This is one attack "
                   "that may or may not turn out to be MS. " + _TYPE_AIM,
            "type_unknown": "We do not know which type of MS you have. " + _TYPE_AIM,
        },
        question="Which type of MS do I have, and is it still active?",
        sources=cite("002", "004", "ASBMT 2019", "ECTRIMS/EBMT 2025", "BEAT-MS"),
        looks_for="This point is met for relapsing-remitting MS. It is also met for secondary "
                  "progressive MS with a relapse or new damage on a scan in the last year.",
        exceptions=(
            SourceException(
                "In progressive MS, the benefit is less certain. Specialists look for clear "
                "signs of both relapses and new damage on MRI scans.",
                cite("ECTRIMS/EBMT 2025"),
                frozenset({"progressive_active", "progressive_inactive",
                           "progressive_activity_unknown"}),
            ),
            SourceException(
                "For primary progressive MS the benefit is unclear. Some research studies "
                "include it.",
                cite("ECTRIMS/EBMT 2025"),
                frozenset({"ppms"}),
            ),
            SourceException(
                "After a first attack like this, new damage on a scan may mean that it is "
                "now MS. Ask your neurologist.",
                cite("McDonald 2017", "McDonald 2024"),
                frozenset({"cis"}),
            ),
        ),
    ),
    Criterion(
        id="inflammatory_activity",
        title="Very active MS",
        term="Highly active disease: relapses and new MRI lesions in the last 12 months",
        fields=("relapses_12m", "new_mri_activity_12m"),
        thresholds=(
            Threshold("relapses_alone", "relapses_12m", 2, "relapses in 12 months",
                      "relapses that meet this point on their own"),
            Threshold("relapses_with_mri", "relapses_12m", 1, "relapses in 12 months",
                      "relapses that meet this point with new MRI activity"),
        ),
        judge=_inflammatory_activity,
        rule="Met with {relapses_alone} or more relapses in 12 months, or {relapses_with_mri} "
             "relapse and new MRI activity; not met with no relapse and no new MRI activity; "
             "otherwise not clear.",
        explanations={
            "relapses": "You had {relapses_12m} relapses in the last 12 months. "
                        + _ACTIVITY_AIM,
            "relapse_and_mri": "You had {relapses_12m} relapse in the last 12 months, and an "
                               "MRI scan showed new or active areas of damage. "
                               + _ACTIVITY_AIM,
            "no_activity": "You had no relapses in the last 12 months, and you said MRI "
                           "scans showed no new damage. " + _ACTIVITY_AIM,
            "one_relapse_only": "You had {relapses_12m} relapse in the last 12 months, and "
                                "you said MRI scans showed no new damage. " + _ACTIVITY_AIM
                                + " One relapse alone is for a specialist to weigh.",
            "one_relapse_mri_unknown": "You had {relapses_12m} relapse in the last 12 "
                                       "months, but we do not know if an MRI scan showed "
                                       "new damage. " + _ACTIVITY_AIM,
            "mri_only": "You had no relapses in the last 12 months, but an MRI scan showed "
                        "new or active areas of damage. " + _ACTIVITY_AIM + " Damage seen "
                        "only on a scan is for a specialist to weigh.",
            "no_relapses_mri_unknown": "You had no relapses in the last 12 months, and we do "
                                       "not know if an MRI scan showed new damage. "
                                       + _ACTIVITY_AIM,
            "count_unknown": "We do not know how many relapses you had in the last 12 "
                             "months. " + _ACTIVITY_AIM,
        },
        question="How many relapses have I had in the last 12 months, and has an MRI scan "
                 "shown new or enhancing lesions?",
        sources=cite("002", "004", "EBMT 2020", "MIST", "StarMS", "BEAT-MS"),
        looks_for="This point is met with {relapses_alone} or more relapses in the last 12 months, "
                  "or {relapses_with_mri} relapse and new damage on an MRI scan.",
        exceptions=(
            SourceException(
                "Some trials count one relapse, or new damage seen only on MRI scans, in the "
                "last 12 months (StarMS).",
                cite("StarMS"),
                frozenset({"one_relapse_only", "one_relapse_mri_unknown", "mri_only",
                           "no_relapses_mri_unknown", "count_unknown"}),
            ),
            SourceException(
                "Some look back further than a year: BEAT-MS counts relapses and new damage "
                "over 3 years.",
                cite("BEAT-MS", "NMDP"),
                frozenset({"no_activity", "one_relapse_only", "one_relapse_mri_unknown",
                           "mri_only", "no_relapses_mri_unknown", "count_unknown"}),
            ),
            SourceException(
                "Specialists judge how active MS is from the whole picture. For example, "
                "one severe relapse that you did not recover from well may count.",
                cite("ECTRIMS/EBMT 2025"),
                frozenset({"one_relapse_only", "one_relapse_mri_unknown"}),
            ),
        ),
    ),
    Criterion(
        id="treatment_failure",
        title="MS stayed active on a strong medicine",
        term="Breakthrough disease despite high-efficacy disease-modifying therapy",
        fields=("dmt_count", "activity_on_dmt", "high_efficacy_dmt"),
        thresholds=(
            Threshold("min_dmt_count", "dmt_count", 1, "treatments",
                      "disease-modifying treatments taken"),
        ),
        judge=_treatment_failure,
        rule="Met when {min_dmt_count} or more MS medicines were taken, MS stayed active on "
             "treatment and a high-efficacy one was among them; not met when fewer were "
             "taken, MS stayed quiet on treatment, or none was a high-efficacy one.",
        explanations={
            "failed_high_efficacy": "You have taken MS medicines ({dmt_count} in all), and one "
                                    "was a high-efficacy one. Your MS stayed active. "
                                    + _TREATMENT_AIM,
            "no_dmt": "You have not taken an MS medicine (a disease-modifying treatment). "
                      + _TREATMENT_AIM,
            "quiet_on_dmt": "You said your MS has not been active while you took an MS "
                            "medicine. That is good news. " + _TREATMENT_AIM,
            "no_high_efficacy": "You said none of your MS medicines was a high-efficacy "
                                "one. " + _TREATMENT_AIM,
            "count_unknown": "We do not know how many MS medicines you have taken. "
                             + _TREATMENT_AIM,
            "history_unknown": "We do not know if your MS stayed active on a high-efficacy "
                               "MS medicine. " + _TREATMENT_AIM,
        },
        question="Has my MS stayed active while I was taking a high-efficacy MS medicine?",
        sources=cite("002", "ECTRIMS/EBMT 2025", "NMSS 2021"),
        looks_for="This point is met when a high-efficacy medicine has been tried and MS stayed "
                  "active.",
        exceptions=(
            SourceException(
                "Very aggressive MS may be treated with HSCT first, within a trial.",
                cite("ECTRIMS/EBMT 2025", "StarMS"),
                frozenset({"no_dmt", "no_high_efficacy", "count_unknown",
                           "history_unknown"}),
            ),
            SourceException(
                "Some people cannot take the high-efficacy medicines. For them, specialists "
                "may think about HSCT.",
                cite("NMSS 2021"),
                frozenset({"no_dmt", "no_high_efficacy", "history_unknown"}),
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
        rule="Met when MS was diagnosed {max_years} years ago or less.",
        explanations={
            "within": "You were diagnosed {years_since_diagnosis} years ago. " + _DURATION,
            "beyond": "You were diagnosed {years_since_diagnosis} years ago. " + _DURATION,
            "unknown": "We do not know when you were diagnosed. " + _DURATION,
        },
        question="How long ago was my MS diagnosed, and when did my first symptoms start?",
        sources=cite("002", "NMSS 2021", "ECTRIMS/EBMT 2025"),
        looks_for="This point is met when MS was diagnosed {max_years} years ago or less.",
        exceptions=(
            SourceException(
                "The {max_years} years is something specialists weigh, not a fixed rule. "
                "Some count from your first symptoms rather than from the diagnosis.",
                cite("ECTRIMS/EBMT 2025"),
                frozenset({"beyond", "unknown"}),
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
            Threshold("some_centres_edss", "edss", 6.5, "EDSS points",
                      "highest EDSS score that some UK NHS centres accept"),
        ),
        judge=_ambulatory,
        rule="Met with an EDSS of {max_edss:.1f} or less; with no EDSS, for people who can "
             "walk {walking_met}.",
        explanations={
            "edss_within": _EDSS,
            "edss_just_over": _EDSS,
            "edss_over": _EDSS + " " + _HIGH_DISABILITY,
            "walking_able": "You said you can walk {walking}. " + _WALK,
            "walking_two_aids": "You said you can walk {walking}. " + _WALK,
            "walking_limited": "You said you can walk {walking}. " + _WALK + " "
                               + _HIGH_DISABILITY,
            "unknown": "We do not know your EDSS score or how far you can walk. " + _WALK,
        },
        question="What is my EDSS score?",
        sources=cite("002", "004", "BEAT-MS", "MIST", "NMDP"),
        looks_for="This point is met with an EDSS score of {max_edss:.1f} or less, or, with "
                  "no EDSS score, for people who can walk about 100 metres with a stick on "
                  "one side.",
        exceptions=(
            SourceException(
                "If your disability rose with a recent relapse, it may still get better. "
                "Specialists take that into account.",
                cite("ECTRIMS/EBMT 2025"),
                frozenset({"edss_just_over", "edss_over", "walking_two_aids",
                           "walking_limited"}),
            ),
            SourceException(
                "The UK NHS centres in Sheffield and London accept an EDSS of up to "
                "{some_centres_edss:.1f}: walking with two sticks or a rollator.",
                cite("MS Society UK"),
                frozenset({"edss_just_over", "walking_two_aids"}),
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
        rule="Met for ages {min_age} to {max_age}.",
        explanations={
            "within": "You are {age}. " + _AGE,
            "younger": "You are {age}. " + _AGE,
            "older": "You are {age}. " + _AGE + " The treatment is harder on the body as "
                     "people get older.",
            "unknown": "We do not know your age. " + _AGE,
        },
        question="Is there an age limit for HSCT at the centres or trials near me?",
        sources=cite("004", "MIST", "BEAT-MS", "StarMS", "ECTRIMS/EBMT 2025"),
        looks_for="This point is met for people aged {min_age} to {max_age}.",
        exceptions=(
            SourceException("Specialists may consider people over {max_age} who are fit "
                            "and well.",
                            cite("ECTRIMS/EBMT 2025"), frozenset({"older"})),
            SourceException("One UK trial (StarMS) took people from 16; it is no longer "
                            "taking new people.",
                            cite("StarMS"), frozenset({"younger"})),
        ),
    ),
)

CRITERIA_BY_ID = {criterion.id: criterion for criterion in CRITERIA}
