"""The health content of criteria 2026.12: no stale figure, no clinic marketing cited as
support, no closed trial offered to join, every shown source cited in full, and the
year-of-diagnosis derivation done by the rules."""

import re
from datetime import date

import pytest

from rules import CAUTIONS, CRITERIA, SOURCES
from rules import content as summary_content
from rules.derived import parse_diagnosis_year, years_since_diagnosis
from rules.sources import cite

from .conftest import PROFILE_OUTCOMES, PROFILES
from .readability import rules_texts

#: 2026.11's hospital stay and recovery figures (seed 002), and the terminated COAST trial.
#: ("About 3 to 6 months" for a medicine to work is a different, current statement.)
STALE = ["up to about 11 days", "up to 11 days", "recovery takes about 3 to 6 months",
         "recovery takes 3 to 6 months", "COAST"]


def _cited_ids():
    """Every source id any criterion, exception, caution or summary statement cites."""
    ids = set()
    for criterion in CRITERIA:
        ids.update(criterion.sources)
        for exception in criterion.exceptions:
            ids.update(exception.sources)
    for caution in CAUTIONS:
        ids.update(caution.sources)
    statements = (*summary_content.RISKS, summary_content.RISKS_CENTRES,
                  *summary_content.EVIDENCE, summary_content.WHERE_GIVEN,
                  *summary_content.UNPROVEN_CLINICS)
    for statement in statements:
        ids.update(statement.sources)
    ids.update(summary_content.ABOUT_HSCT_SOURCES)
    ids.update(summary_content.NAMED_TRIALS_SOURCES)
    return ids


def test_no_text_cites_the_clinic_marketing_seed_000():
    assert "000" not in _cited_ids()
    with pytest.raises(ValueError, match="may not be cited"):
        cite("000")


@pytest.mark.parametrize("stale", STALE)
def test_no_text_states_a_retired_figure_as_fact(stale):
    for key, text in rules_texts().items():
        assert stale.lower() not in text.lower(), key


def test_the_summary_page_states_no_retired_figure(client, flow):
    flow.complete()
    html = client.get("/summary").get_data(as_text=True)
    for stale in STALE:
        assert stale.lower() not in html.lower(), stale


def test_a_trial_that_is_not_recruiting_is_never_offered_to_join():
    by_name = {trial.name: trial for trial in summary_content.NAMED_TRIALS_DETAIL}
    assert by_name["BEAT-MS"].recruiting
    assert not by_name["RAM-MS"].recruiting and not by_name["StarMS"].recruiting
    for trial in summary_content.NAMED_TRIALS_DETAIL:
        note = trial.link.note
        assert trial.record in note, "each status is dated by the record it was read from"
        if not trial.recruiting:
            assert "It is not taking new people." in note
            assert "Recruiting" not in note.replace("not recruiting", "")


def test_every_cited_source_has_a_full_citation_with_year_and_an_address_where_one_exists():
    for source_id in _cited_ids():
        source = SOURCES[source_id]
        if source_id.isdigit():  # a seed: described by what it is
            assert len(source.citation) > 60, source_id
            continue
        assert source.url.startswith("https://"), source_id
        assert any(str(year) in source.citation for year in range(1995, 2027)) or \
            source_id in ("BEAT-MS", "RAM-MS", "StarMS", "MS Society UK", "MS Trust StarMS",
                          "NMDP", "ISSCR"), source_id


@pytest.mark.parametrize("source_id", ["ASBMT 2019", "EBMT 2020", "ECTRIMS/EBMT 2025",
                                       "NMSS 2021", "HALT-MS", "MIST", "Sormani 2017",
                                       "Silfverberg 2024", "Snowden 2017"])
def test_journal_sources_carry_authors_journal_year_volume_and_pages(source_id):
    """Vancouver style: "Surname AB, Surname C, et al. Title. Journal Year;Vol(Issue):
    first–last." """
    citation = SOURCES[source_id].citation
    parts = JOURNAL_CITATION.fullmatch(citation)
    assert parts, citation
    assert int(parts["year"]) <= date.today().year
    first, last = parts["pages"].split("–")
    assert int(first) < int(last), citation


JOURNAL_CITATION = re.compile(
    r"(?P<authors>[A-Z][\w'-]+ [A-Z]{1,3}(?:, [A-Z][\w'-]+ [A-Z]{1,3})*(?:, et al)?)\. "
    r"(?P<title>[A-Z].+?)\. (?P<journal>[A-Z][A-Za-z .]+) (?P<year>(?:19|20)\d\d);"
    r"(?P<volume>\d+)(?:\((?P<issue>\d+)\))?:(?P<pages>\d+–\d+)\.")


def test_the_summary_has_every_part_of_section_5_for_the_three_profiles(client, flow):
    for name, changes in PROFILES.items():
        client.post("/start-again")
        flow.complete(**changes)
        html = client.get("/summary").get_data(as_text=True)
        assert f'data-outcome="{PROFILE_OUTCOMES[name]}"' in html, name
        glance = html.index("The six points at a glance")
        assert glance < html.index("Questions to ask your doctor") < html.index("Point by point")
        assert html.count('data-glance="') == 6
        for part in ["What HSCT involves", "Risks", "What studies show", "Where HSCT is given",
                     "Find a clinical trial", "clinics", "References", "Criteria version",
                     "Who pays for HSCT where I live?"]:
            assert part in html, (name, part)
        if PROFILE_OUTCOMES[name] == "does_not_match":
            assert html.index("What now") < html.index("Cautions")
            assert 'data-caution="heart_disease"' in html


@pytest.mark.parametrize(("year", "today", "years"), [
    (2016, date(2026, 1, 1), 10), (2016, date(2026, 12, 31), 10), (2015, date(2026, 6, 1), 11),
    (2026, date(2026, 6, 1), 0), (1940, date(2026, 6, 1), 86),
])
def test_years_since_diagnosis_is_this_year_minus_the_year_of_diagnosis(year, today, years):
    assert years_since_diagnosis(year, today) == years


@pytest.mark.parametrize("text", ["1939", "2027", "20", "２０１９", "2019.0", "year", ""])
def test_a_year_of_diagnosis_outside_1940_to_this_year_is_refused(text):
    with pytest.raises(ValueError):
        parse_diagnosis_year(text, date(2026, 6, 1))
