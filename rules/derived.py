"""Inputs worked out from other answers. Every channel asks these, never its own copy."""

from __future__ import annotations

from datetime import date

#: The earliest year of diagnosis a form accepts.
FIRST_DIAGNOSIS_YEAR = 1940


def parse_diagnosis_year(text: str, today: date) -> int:
    """A four-digit year of diagnosis from 1940 to this year; ValueError otherwise."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4
            and FIRST_DIAGNOSIS_YEAR <= int(text) <= today.year):
        raise ValueError(text)
    return int(text)


def years_since_diagnosis(diagnosis_year: int, today: date) -> int:
    """``years_since_diagnosis`` from the year of diagnosis: this year minus that year.

    Counted in whole calendar years, so a diagnosis in any month of 2016 is 10
    years ago throughout 2026; never below 0.
    """
    return max(0, today.year - diagnosis_year)
