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
        Source("000", "Seed 000: “Overview of Stem Cell Therapy for Multiple Sclerosis”, "
               "marketing blog post of Stemedix Inc., a US clinic that sells stem cell "
               "products that are not proven. Kept as an example of what to be careful of; "
               "never cited as support."),
        Source("001", "Seed 001: “Stem Cell Therapy’s Promise In Multiple Sclerosis”, a "
               "personal blog article on MS Experience by a person with MS (published "
               "12 October 2023, updated 4 September 2025)."),
        Source("002", "Seed 002: “Stem Cell Therapies for MS”, a consumer health article "
               "medically reviewed by Jennifer Robinson, MD (2 May 2023)."),
        Source("003", "Seed 003: “Research on Stem Cells and MS”, a patient information page "
               "of the US National Multiple Sclerosis Society."),
        Source("004", "Seed 004: “Stem Cell Transplantation May Help Some Multiple Sclerosis "
               "Patients”, a health news article (eMaxHealth, about 2016) on Bakhuraysah MM "
               "et al., Stem Cell Research & Therapy 2016;7:12."),
        Source("ASBMT 2019", "Cohen JA, Baldassari LE, Atkins HL, et al. Autologous "
               "hematopoietic cell transplantation for treatment-refractory relapsing multiple "
               "sclerosis: position statement from the American Society for Blood and Marrow "
               "Transplantation. Biol Blood Marrow Transplant 2019;25(5):845–854.",
               "https://doi.org/10.1016/j.bbmt.2019.02.014"),
        Source("EBMT 2020", "Sharrack B, Saccardi R, Alexander T, et al. Autologous "
               "haematopoietic stem cell transplantation and other cellular therapy in "
               "multiple sclerosis and immune-mediated neurological diseases: updated "
               "guidelines and recommendations from the EBMT Autoimmune Diseases Working Party "
               "(ADWP) and the Joint Accreditation Committee of EBMT and ISCT (JACIE). "
               "Bone Marrow Transplant 2020;55(2):283–306.",
               "https://doi.org/10.1038/s41409-019-0684-0"),
        Source("ECTRIMS/EBMT 2025", "Muraro PA, Mariottini A, Greco R, et al. Autologous "
               "haematopoietic stem cell transplantation for treatment of multiple sclerosis "
               "and neuromyelitis optica spectrum disorder — recommendations from ECTRIMS and "
               "the EBMT. Nat Rev Neurol 2025;21(3):140–158.",
               "https://doi.org/10.1038/s41582-024-01050-x"),
        Source("NMSS 2021", "Miller AE, Chitnis T, Cohen BA, et al. Autologous hematopoietic "
               "stem cell transplant in multiple sclerosis: recommendations of the National "
               "Multiple Sclerosis Society. JAMA Neurol 2021;78(2):241–246.",
               "https://doi.org/10.1001/jamaneurol.2020.4025"),
        Source("McDonald 2017", "Thompson AJ, Banwell BL, Barkhof F, et al. Diagnosis of "
               "multiple sclerosis: 2017 revisions of the McDonald criteria. Lancet Neurol "
               "2018;17(2):162–173.",
               "https://doi.org/10.1016/S1474-4422(17)30470-2"),
        Source("McDonald 2024", "Montalban X, Lebrun-Frénay C, Oh J, et al. Diagnosis of "
               "multiple sclerosis: 2024 revisions of the McDonald criteria. Lancet Neurol "
               "2025;24(10):850–865.",
               "https://doi.org/10.1016/S1474-4422(25)00270-4"),
        Source("HALT-MS", "Nash RA, Hutton GJ, Racke MK, et al. High-dose immunosuppressive "
               "therapy and autologous HCT for relapsing-remitting MS. Neurology "
               "2017;88(9):842–852.",
               "https://doi.org/10.1212/WNL.0000000000003660"),
        Source("MIST", "Burt RK, Balabanov R, Burman J, et al. Effect of nonmyeloablative "
               "hematopoietic stem cell transplantation vs continued disease-modifying therapy "
               "on disease progression in patients with relapsing-remitting multiple "
               "sclerosis: a randomized clinical trial. JAMA 2019;321(2):165–174.",
               "https://doi.org/10.1001/jama.2018.18743"),
        Source("Sormani 2017", "Sormani MP, Muraro PA, Schiavetti I, et al. Autologous "
               "hematopoietic stem cell transplantation in multiple sclerosis: a "
               "meta-analysis. Neurology 2017;88(22):2115–2122.",
               "https://doi.org/10.1212/WNL.0000000000003987"),
        Source("Burt 2021", "Burt RK, Han X, Quigley K, Helenowski IB, Balabanov R. "
               "Real-world application of autologous hematopoietic stem cell transplantation "
               "in 507 patients with multiple sclerosis. J Neurol, published online "
               "11 October 2021.",
               "https://doi.org/10.1007/s00415-021-10820-2"),
        Source("Silfverberg 2024", "Silfverberg T, Zjukovskaja C, Ljungman P, et al. "
               "Haematopoietic stem cell transplantation for treatment of relapsing-remitting "
               "multiple sclerosis in Sweden: an observational cohort study. J Neurol "
               "Neurosurg Psychiatry 2024;95(2):125–133.",
               "https://doi.org/10.1136/jnnp-2023-331864"),
        Source("Snowden 2017", "Snowden JA, Badoglio M, Labopin M, et al. Evolution, trends, "
               "outcomes, and economics of hematopoietic stem cell transplantation in severe "
               "autoimmune diseases. Blood Adv 2017;1(27):2742–2755.",
               "https://ashpublications.org/bloodadvances/article/1/27/2742/15827/"),
        Source("MS Society UK", "MS Society (UK), patient information: “HSCT: what to "
               "expect”.",
               "https://www.mssociety.org.uk/about-ms/treatments-and-therapies/"
               "disease-modifying-therapies/hsct/hsct--what-to-expect"),
        Source("MS Trust StarMS", "MS Trust (UK), patient information: “STAR-MS trial "
               "(HSCT in MS)”.",
               "https://mstrust.org.uk/a-z/star-ms-trial-hsct-ms"),
        Source("StarMS protocol", "Brittain G, Petrie J, Duffy KEM, et al. Efficacy and "
               "safety of autologous haematopoietic stem cell transplantation versus "
               "alemtuzumab, ocrelizumab, ofatumumab or cladribine in relapsing remitting "
               "multiple sclerosis (StarMS): protocol for a randomised controlled trial. "
               "BMJ Open 2024;14(2):e083582.",
               "https://doi.org/10.1136/bmjopen-2023-083582"),
        Source("COAST", "COAST: a trial of HSCT in MS with less than 10 years since the first "
               "symptoms. ClinicalTrials.gov NCT04971005 (terminated in 2022 for lack of "
               "recruitment).",
               "https://clinicaltrials.gov/study/NCT04971005"),
        Source("BEAT-MS", "BEAT-MS: Best Available Therapy Versus Autologous Hematopoietic "
               "Stem Cell Transplant for Multiple Sclerosis. ClinicalTrials.gov NCT04047628.",
               "https://clinicaltrials.gov/study/NCT04047628"),
        Source("RAM-MS", "RAM-MS: Randomized Autologous Hematopoietic Stem Cell "
               "Transplantation Versus Alemtuzumab, Cladribine or Ocrelizumab for Relapsing "
               "Remitting Multiple Sclerosis. ClinicalTrials.gov NCT03477500.",
               "https://clinicaltrials.gov/study/NCT03477500"),
        Source("StarMS", "StarMS: Autologous Stem Cell Transplantation versus Alemtuzumab, "
               "Ocrelizumab, Ofatumumab or Cladribine in Relapsing Remitting Multiple "
               "Sclerosis. ISRCTN88667898 (who it takes: StarMS FAQ, University of "
               "Sheffield, and Brittain G et al., AAN 2024 abstract).",
               "https://www.isrctn.com/ISRCTN88667898"),
        Source("NMDP", "NMDP (Be The Match Clinical): Transplant consultation guidelines: "
               "multiple sclerosis.",
               "https://bethematchclinical.org/transplant-indications-and-outcomes/"
               "disease-specific-indications-and-outcomes/multiple-sclerosis/"),
        Source("FDA", "US Food and Drug Administration: Important patient and consumer "
               "information about regenerative medicine therapies (3 June 2021).",
               "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
               "important-patient-and-consumer-information-about-regenerative-medicine-therapies"),
        Source("ISSCR", "International Society for Stem Cell Research: A Closer Look at Stem "
               "Cells: “The truth about stem cell treatments”.",
               "https://www.closerlookatstemcells.org/patient-resources/"
               "truth-about-stem-cell-treatments/"),
    )
}

#: Sources that are not authorities and are never cited as support for a statement.
NEVER_CITED = frozenset({"000"})


def cite(*ids: str) -> tuple[str, ...]:
    """Return the source ids unchanged, failing early on an id that is not declared."""
    unknown = [source_id for source_id in ids if source_id not in SOURCES]
    if unknown:
        raise KeyError(f"undeclared source id(s): {', '.join(unknown)}")
    barred = [source_id for source_id in ids if source_id in NEVER_CITED]
    if barred:
        raise ValueError(f"source(s) {', '.join(barred)} may not be cited as support")
    return ids
