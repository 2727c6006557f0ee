"""What changed in each version of the criteria, and why (the document's last section).

A version's entry shows once ``CRITERIA_VERSION`` reaches it, so the changes of a
version being prepared can be written down before the rules change over.
"""

from __future__ import annotations

#: version → (what changed, why), most recent first.
CHANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "2026.12": (
        ("`rrms` becomes `relapsing_ms`; active SPMS is `met`",
         "ASBMT 2019 and BEAT-MS count progressive MS with superimposed activity as a "
         "relapsing form"),
        ("`inflammatory_activity`: one relapse alone, or MRI activity alone, is `unknown`, "
         "not `not_met`",
         "StarMS and BEAT-MS accept them; guidance judges \"highly active\" on the whole "
         "picture"),
        ("`treatment_failure` needs a high-efficacy treatment; caution "
         "`no_high_efficacy_dmt` retired",
         "ECTRIMS/EBMT 2025 and NMSS 2021 place HSCT after a high-efficacy DMT has failed"),
        ("`age_over_45` from 45, not 46", "guidance says results are best under 45"),
        ("new caution `progressive_ms`; new field and caution `prior_chemotherapy`",
         "ECTRIMS/EBMT 2025; MIST excluded prior mitoxantrone"),
        ("each health caution explains itself",
         "one shared sentence did not mention the heart for heart disease"),
        ("rituximab added to the high-efficacy examples",
         "widely used anti-CD20 treatment"),
        ("`country` from a list", "free text gave empty registry searches (\"UK\", \"Norge\")"),
        ("hospital stay, recovery, risks, evidence, where HSCT is given, trial status",
         "the 2026.11 figures came from consumer articles and were wrong or stale"),
        ("RAM-MS no longer cited for MRI-only activity; COAST not cited as a live trial; "
         "seed 000 never cited as support",
         "RAM-MS requires a relapse; COAST was terminated in 2022; seed 000 is a clinic's "
         "marketing"),
        ("`dmt_count` 0: `activity_on_dmt` and `high_efficacy_dmt` ignored; derived inputs "
         "only in `rules/`",
         "the web and the API gave different cautions for the same answers"),
    ),
    "2026.11": (
        ("the first version of the rules as code: six criteria, cautions, outcome, "
         "summary content and rule tables",
         "the project's starting contract"),
    ),
}


def _order(version: str) -> tuple[int, ...]:
    """A version as numbers, so that 2027.10 comes after 2027.9."""
    return tuple(int(part) for part in version.split("."))


def changes_up_to(version: str) -> list[dict]:
    """The changes of every version up to ``version``, most recent first."""
    return [{"version": v, "items": [{"change": change, "why": why} for change, why in items]}
            for v, items in sorted(CHANGES.items(), key=lambda item: _order(item[0]),
                                   reverse=True)
            if _order(v) <= _order(version)]
