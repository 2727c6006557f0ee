"""The fixed content of every summary (section 5 of the contract, version 2026.12).

Every number here is found in the source cited beside it; the closing note of
the 2026.12 work lists each figure with the page it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from .fields import FIELDS
from .i18n import Text
from .model import DOES_NOT_MATCH, MATCHES, NOT_MET, UNCLEAR, UNKNOWN, Link
from .sources import cite

CRITERIA_VERSION = "2026.12"
#: When the criteria, the cited sources and the trial records were last read against each other.
SOURCES_CHECKED = "2026-12-02"

SPECIALIST = "Only an MS specialist can decide if HSCT could be right for you."

#: The outcome in general terms (the API lists these); a summary says it with counts.
OUTCOME_TEXT = {
    MATCHES: "Your answers match every point of the profile that the sources describe for "
             "people who may be considered for HSCT. " + SPECIALIST,
    UNCLEAR: "Some answers are missing or not sure, so we cannot tell yet if your answers "
             "match the profile that the sources describe. " + SPECIALIST,
    DOES_NOT_MATCH: "Your answers do not match the profile that the sources describe on at "
                    "least one point. This is not a final answer: the sources mention "
                    "exceptions. " + SPECIALIST,
}


#: "none is met", "1 is met", "3 are met": whole phrases, so each language words its own.
ARE_PHRASES = {
    "met": ("none is met", "{count} is met", "{count} are met"),
    "not clear": ("none is not clear", "{count} is not clear", "{count} are not clear"),
}


def _are(count: int, what: str) -> Text:
    """'none is met', '1 is met', '3 are met'."""
    none, one, more = ARE_PHRASES[what]
    return Text(none if count == 0 else one if count == 1 else more, count=count)


def outcome_sentence(outcome: str, statuses: list[str]) -> Text:
    """The outcome in plain words, with how many points are met, not met and not clear."""
    total, not_met, unknown = len(statuses), statuses.count(NOT_MET), statuses.count(UNKNOWN)
    met = total - not_met - unknown
    specialist = Text(SPECIALIST)
    if outcome == MATCHES:
        return Text.join([Text("Your answers match all {total} points of the profile that the "
                               "sources describe for people who may be considered for HSCT.",
                               total=total), specialist])
    if outcome == UNCLEAR:
        return Text.join([Text("Of the {total} points, {met} and {unknown} yet, so we cannot "
                               "tell if your answers match the profile that the sources "
                               "describe.", total=total, met=_are(met, "met"),
                               unknown=_are(unknown, "not clear")), specialist])
    if not_met == total:
        first = Text("Your answers do not match the profile that the sources describe on "
                     "all {total} points.", total=total)
        sentences = [first]
    else:
        first = Text("Your answers do not match the profile that the sources describe on "
                     "{not_met} of the {total} points.", not_met=not_met, total=total)
        if unknown:
            others = Text("Of the others, {met} and {unknown}.", met=_are(met, "met"),
                          unknown=_are(unknown, "not clear"))
        else:
            others = Text("Of the others, {met}.", met=_are(met, "met"))
        sentences = [first, others]
    return Text.join([*sentences, Text("This is not a final answer: the sources mention "
                                       "exceptions."), specialist])


#: For a summary that does not match: what now, near the top.
WHAT_NOW = (
    "Other MS treatments may suit you. Your MS team can talk them through with you.",
)

#: Asked by everyone, whatever their answers (contract, section 5.4).
ALWAYS_QUESTIONS: tuple[str, ...] = (
    "Has the centre done HSCT for MS many times, and is it accredited (for example by "
    "JACIE)? Who looks after me afterwards?",
    "If I take an MS medicine, when would I stop it, and what protects me in between?",
    "Who pays for HSCT where I live?",
)

#: What HSCT involves, step by step, in plain words.
ABOUT_HSCT: tuple[str, ...] = (
    "First, medicines make your bone marrow release stem cells into your blood "
    "(mobilisation). This is usually a chemotherapy medicine (cyclophosphamide) and "
    "injections of a growth factor (G-CSF), sometimes with a short stay in hospital. Your MS "
    "symptoms may get worse for a while.",
    "About 10 days later, your stem cells are collected from your blood and stored "
    "(apheresis).",
    "You have high doses of chemotherapy, often with a medicine called anti-thymocyte "
    "globulin (ATG), to wipe out most of your immune system (conditioning).",
    "Your own stem cells are put back into your blood. They build a new immune system.",
    "You stay in hospital until your blood counts recover. How long depends on the centre, "
    "so ask yours.",
    "Recovery is slow: it takes many months, and your immune system takes a long time to "
    "rebuild. Ask the centre about tiredness, going back to work, and vaccines afterwards.",
)
ABOUT_HSCT_SOURCES = cite("MS Society UK", "ECTRIMS/EBMT 2025", "MIST")


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence of the summary with the sources it rests on."""

    text: str
    sources: tuple[str, ...]


#: Risks, most serious first, as natural frequencies with their period.
RISKS: tuple[Statement, ...] = (
    Statement("Death caused by the treatment: about 2 in 100 people, in studies from 1995 to "
              "2016. It was higher in the older studies. In one large US centre it was 1 in "
              "507 people (2003 to 2019), and in Sweden none of 174 people died of it.",
              cite("Sormani 2017", "Burt 2021", "Silfverberg 2024")),
    Statement("Fever when the white blood cells are very low, treated with drugs that kill "
              "germs (antibiotics): about 7 in 10 people, in the first 100 days.",
              cite("Silfverberg 2024")),
    Statement("Viruses that sleep in the body waking up again, such as shingles, in the months "
              "after treatment.",
              cite("EBMT 2020")),
    Statement("Thyroid problems later on: about 3 or 4 in 100 people get a slow thyroid, and "
              "about 3 in 100 an overactive one. Low platelets, which can cause bleeding "
              "(ITP): up to about 3 in 100 with the usual drugs.",
              cite("Burt 2021")),
    Statement("Early menopause and problems having children. A higher risk of some cancers "
              "and of other immune diseases over the years.",
              cite("MS Society UK")),
    Statement("HSCT does not work for everyone and is not a cure. People with a lot of "
              "disability may keep getting worse.",
              cite("004", "ECTRIMS/EBMT 2025")),
)
RISKS_CENTRES = Statement(
    "Results are better at centres that have done more of these treatments and are "
    "accredited (JACIE).", cite("Snowden 2017"))

#: What studies show, honestly sized.
EVIDENCE: tuple[Statement, ...] = (
    Statement("HALT-MS followed 24 people after HSCT, with no group to compare with. Over 5 "
              "years, about 7 in 10 had no relapse, no new damage on MRI and no worse "
              "disability (an estimated 69%).",
              cite("HALT-MS")),
    Statement("MIST is the one finished trial that chose at random between HSCT and MS "
              "medicines, in 110 people. Disability got worse in far fewer people after HSCT "
              "than on medicines. But the medicines it compared with did not include most of "
              "today's high-efficacy ones, such as ocrelizumab or alemtuzumab.",
              cite("MIST", "StarMS protocol")),
)

#: Where HSCT is given.
WHERE_GIVEN = Statement(
    "In some countries, such as the UK (on the NHS) and Sweden, HSCT is part of usual care "
    "for people who meet strict criteria. Elsewhere, such as in the US, only a few centres "
    "offer it, often within trials.",
    cite("MS Society UK", "Silfverberg 2024", "002"),
)

#: The warning about unproven clinics and HSCT sold abroad.
UNPROVEN_CLINICS: tuple[Statement, ...] = (
    Statement("Be careful of clinics that sell stem cell treatments that are not proven.",
              cite("FDA", "ISSCR")),
    Statement("Other types of stem cells (mesenchymal, induced pluripotent, neural and "
              "embryonic stem cells) are still experimental for MS. They are not the same "
              "as HSCT.",
              cite("001", "003")),
    Statement("HSCT itself is also sold abroad by private clinics. Before you go, ask about "
              "the centre's experience and accreditation, the full cost, and who will look "
              "after you when you come home.",
              cite("NMSS 2021", "Snowden 2017")),
)


@dataclass(frozen=True, slots=True)
class Trial:
    """A named trial, as its registry record said on the day it was read."""

    name: str
    registry_id: str
    url: str
    countries: str
    takes: str
    status: str
    recruiting: bool
    record: str
    brief: str = ""

    @property
    def link(self) -> Link:
        """The trial as a link with a one-line note."""
        note = Text("{countries}. {takes} {status} ({record}).", countries=Text(self.countries),
                    takes=Text(self.takes), status=Text(self.status), record=Text(self.record))
        if not self.recruiting:
            note = Text.join([note, Text("It is not taking new people.")])
        return Link(f"{self.name} ({self.registry_id})", self.url, note)


NAMED_TRIALS_DETAIL: tuple[Trial, ...] = (
    Trial("BEAT-MS", "NCT04047628", "https://clinicaltrials.gov/study/NCT04047628",
          "In the US and the UK", "For people aged 18 to 55 with an EDSS of 6.0 or less.",
          "Recruiting", True,
          "registry record, version of 26 January 2024; check it is still recruiting",
          "US, UK; age 18–55; EDSS ≤ 6.0; recruiting (record of 26 January 2024)"),
    Trial("RAM-MS", "NCT03477500", "https://clinicaltrials.gov/study/NCT03477500",
          "In Norway, Sweden, Denmark and the Netherlands",
          "It took people aged 18 to 50 with an EDSS of 5.5 or less.",
          "Active, not recruiting", False, "registry record of 24 June 2025",
          "Norway, Sweden, Denmark, Netherlands; age 18–50; EDSS ≤ 5.5; active, not "
          "recruiting (record of 24 June 2025)"),
    Trial("StarMS", "ISRCTN88667898", "https://www.isrctn.com/ISRCTN88667898",
          "In the UK", "It took people aged 16 to 55.",
          "Recruitment ended in November 2024, and results are expected in 2027", False,
          "as the MS Trust reports it; the registry record could not be checked",
          "UK; age 16–55; recruitment ended November 2024, results expected 2027 (MS "
          "Trust)"),
)
NAMED_TRIALS: tuple[Link, ...] = tuple(trial.link for trial in NAMED_TRIALS_DETAIL)
NAMED_TRIALS_SOURCES = cite("BEAT-MS", "RAM-MS", "StarMS", "MS Trust StarMS")
TRIALS_CHECKED = SOURCES_CHECKED

_CONDITION = "Multiple Sclerosis"
_INTERVENTION = "Hematopoietic Stem Cell Transplantation"
_QUERY = "multiple sclerosis stem cell transplantation"


#: The EU's trial search; it offers its pages in the EU's languages (``lang=``).
CTIS_SEARCH = "https://euclinicaltrials.eu/search-for-clinical-trials/"


#: Each country of the rules' list, by its name, as the app can show it in the reader's
#: language (the declared list, indexed once).
_TERRITORIES = {choice.value: choice.label for choice in FIELDS["country"].choices}


def _territory(name: str) -> Text:
    """A country of the rules' list as a name the app can show in the reader's language."""
    territory = _TERRITORIES.get(name)
    return territory if territory is not None else Text(name)


_SEARCH = {"cond": _CONDITION, "intr": _INTERVENTION, "aggFilters": "status:not rec"}
_CLINICALTRIALS = "https://clinicaltrials.gov/search?" + urlencode(_SEARCH, quote_via=quote_plus)
_CLINICALTRIALS_NOTE = "Run by the US National Library of Medicine; lists trials worldwide."
#: The registries searched the same way whatever the answers.
_OTHER_REGISTRIES = (
    Link("EU Clinical Trials Information System (CTIS)",
         CTIS_SEARCH + "?lang=en",
         "Where trials in the European Union are registered since 2023. Search for "
         "multiple sclerosis and stem cell transplantation."),
    Link("ISRCTN registry",
         "https://www.isrctn.com/search?q=" + quote_plus(_QUERY),
         "Trials registered mainly in the UK."),
    Link("EU Clinical Trials Register (older trials)",
         "https://www.clinicaltrialsregister.eu/ctr-search/search?query="
         + quote_plus(_QUERY),
         "EU trials registered before 2023."),
)


def trial_links(country: str | None = None) -> tuple[Link, ...]:
    """Registry searches for HSCT trials in MS, narrowed to ``country`` when given.

    ``country`` is a name from the rules' country list, never free text.
    """
    if country:
        # As urlencode writes it, the country last.
        url = _CLINICALTRIALS + "&" + urlencode({"country": country}, quote_via=quote_plus)
        title = Text("ClinicalTrials.gov: recruiting and not yet recruiting trials in {country}",
                     country=_territory(country))
    else:
        url = _CLINICALTRIALS
        title = Text("ClinicalTrials.gov: recruiting and not yet recruiting trials")
    return (Link(title, url, _CLINICALTRIALS_NOTE), *_OTHER_REGISTRIES)
