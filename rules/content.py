"""The fixed content of every summary (section 5 of the contract)."""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

from .model import DOES_NOT_MATCH, MATCHES, UNCLEAR, Link
from .sources import cite

CRITERIA_VERSION = "2026.11"
#: When the seed documents, the criteria and the trial list were last read against each other.
SOURCES_CHECKED = "2026-11-21"

_SPECIALIST = "Only an MS specialist can decide if HSCT could be right for you."

OUTCOME_TEXT = {
    MATCHES: "Your answers match the profile that the sources describe for people who may "
             "be considered for HSCT. " + _SPECIALIST,
    UNCLEAR: "Some answers are missing or not sure, so we cannot tell yet if your answers "
             "match the profile that the sources describe. " + _SPECIALIST,
    DOES_NOT_MATCH: "Your answers do not match the profile that the sources describe on at "
                    "least one point. This is not a final answer: the sources mention "
                    "exceptions. " + _SPECIALIST,
}

#: What HSCT involves, step by step, in plain words (002, 000).
ABOUT_HSCT: tuple[str, ...] = (
    "First, you take a medicine that makes your bone marrow release more stem cells "
    "into your blood (stem cell mobilisation).",
    "Your stem cells are collected from your blood and stored (apheresis).",
    "You have high doses of chemotherapy to wipe out most of your immune system "
    "(conditioning).",
    "Your own stem cells are put back into your blood. They build a new immune system.",
    "You stay in hospital for up to about 11 days. You get medicines such as "
    "antibiotics to protect you from infection.",
    "Recovery takes about 3 to 6 months. Until your immune system is strong again, "
    "infections are a real risk.",
)
ABOUT_HSCT_SOURCES = cite("002", "000")

EVIDENCE = (
    "One study (HALT-MS) followed 24 people with the relapsing type of MS after HSCT. "
    "After 5 years, about 7 in 10 of them had had none of these: a relapse, new lesions "
    "on MRI, or worse disability (event-free survival 69%)."
)
EVIDENCE_SOURCES = cite("HALT-MS", "002")

UNPROVEN_CLINICS = (
    "Be careful of clinics that sell stem cell treatments that are not proven. "
    "Other types of stem cells (mesenchymal, induced pluripotent, neural and embryonic "
    "stem cells) are still experimental for MS. They are not the same as HSCT."
)
UNPROVEN_CLINICS_SOURCES = cite("FDA", "ISSCR", "001", "003")

NAMED_TRIALS: tuple[Link, ...] = (
    Link("BEAT-MS (NCT04047628)", "https://clinicaltrials.gov/study/NCT04047628",
         "Compares HSCT with the best available treatment."),
    Link("RAM-MS (NCT03477500)", "https://clinicaltrials.gov/study/NCT03477500",
         "Compares HSCT with other high-efficacy treatments."),
    Link("StarMS (ISRCTN88667898)", "https://www.isrctn.com/ISRCTN88667898",
         "Compares HSCT with high-efficacy treatments."),
)
TRIALS_CHECKED = SOURCES_CHECKED

_CONDITION = "Multiple Sclerosis"
_INTERVENTION = "Hematopoietic Stem Cell Transplantation"
_QUERY = "multiple sclerosis stem cell transplantation"


def trial_links(country: str | None = None) -> tuple[Link, ...]:
    """Registry searches for HSCT trials in MS, narrowed to ``country`` when given.

    Not cached: a country is free text a person typed, and no cache keeps that.
    """
    params = {"cond": _CONDITION, "intr": _INTERVENTION, "aggFilters": "status:not rec"}
    where = ""
    if country:
        params["country"] = country
        where = f" in {country}"
    return (
        Link(f"ClinicalTrials.gov: recruiting and not yet recruiting trials{where}",
             "https://clinicaltrials.gov/search?" + urlencode(params, quote_via=quote_plus),
             "Run by the US National Library of Medicine; lists trials worldwide."),
        Link("EU Clinical Trials Register",
             "https://www.clinicaltrialsregister.eu/ctr-search/search?query="
             + quote_plus(_QUERY),
             "Trials in the European Union."),
        Link("ISRCTN registry",
             "https://www.isrctn.com/search?q=" + quote_plus(_QUERY),
             "Trials registered mainly in the UK."),
    )

