"""The sources the criteria rest on, cited by a short id.

The five seed documents are cited by their number (``"002"``); published
sources by author, journal and year, as ``docs/criteria.md`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """A document that a criterion, caution or statement rests on."""

    id: str
    citation: str
    url: str = ""


SOURCES: dict[str, Source] = {
    source.id: source
    for source in (
        Source("000", "Seed 000: “Overview of Stem Cell Therapy for Multiple Sclerosis” "
               "(written by a stem cell clinic)"),
        Source("001", "Seed 001: “Stem Cell Therapy’s Promise In Multiple Sclerosis” "
               "(MS Experience blog, updated 2025)"),
        Source("002", "Seed 002: “Stem Cell Therapies for MS” "
               "(medically reviewed by Jennifer Robinson, MD, May 2023)"),
        Source("003", "Seed 003: “Research on Stem Cells and MS”"),
        Source("004", "Seed 004: “Stem Cell Transplantation May Help Some Multiple "
               "Sclerosis Patients”, on Bakhuraysah MM et al., "
               "Stem Cell Research & Therapy 2016"),
        Source("ASBMT 2019", "Cohen JA et al. Autologous hematopoietic cell transplantation "
               "for treatment-refractory relapsing MS: position statement of the American "
               "Society for Blood and Marrow Transplantation. "
               "Biol Blood Marrow Transplant 2019"),
        Source("EBMT 2020", "Sharrack B et al. Updated guidelines and recommendations "
               "from the EBMT Autoimmune Diseases Working Party and JACIE. "
               "Bone Marrow Transplant 2020"),
        Source("ECTRIMS/EBMT 2025", "ECTRIMS/EBMT consensus recommendations on autologous "
               "haematopoietic stem cell transplantation in MS, 2025"),
        Source("MIST", "Burt RK et al. Effect of nonmyeloablative HSCT vs continued DMT "
               "on disease progression in relapsing-remitting MS (MIST). JAMA 2019"),
        Source("HALT-MS", "Nash RA et al. High-dose immunosuppressive therapy and autologous "
               "HCT for relapsing-remitting MS (HALT-MS). Neurology 2017"),
        Source("BEAT-MS", "BEAT-MS trial, NCT04047628",
               "https://clinicaltrials.gov/study/NCT04047628"),
        Source("RAM-MS", "RAM-MS trial, NCT03477500",
               "https://clinicaltrials.gov/study/NCT03477500"),
        Source("StarMS", "StarMS trial, ISRCTN88667898",
               "https://www.isrctn.com/ISRCTN88667898"),
        Source("COAST", "COAST trial (disease duration under 10 years)"),
        Source("NMDP", "NMDP referral guidelines for HSCT in MS "
               "(walks 100 m with aid on one side)"),
        Source("FDA", "US FDA: Important patient and consumer information about "
               "regenerative medicine therapies",
               "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
               "important-patient-and-consumer-information-about-regenerative-medicine-therapies"),
        Source("ISSCR", "ISSCR: A Closer Look at Stem Cells",
               "https://www.closerlookatstemcells.org/"),
    )
}


def cite(*ids: str) -> tuple[str, ...]:
    """Return the source ids unchanged, failing early on an id that is not declared."""
    unknown = [source_id for source_id in ids if source_id not in SOURCES]
    if unknown:
        raise KeyError(f"undeclared source id(s): {', '.join(unknown)}")
    return ids
