"""The person's answers and progress, kept only in the signed session cookie."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, session

from .questions import (
    PAGE_OF_FIELD,
    PAGES,
    PAGES_BY_SLUG,
    WEB_FIELDS,
    Page,
    applicable_pages,
    purge,
    stored_value,
    to_answers,
)


@dataclass
class Progress:
    """The stored answers (as strings, by field name) and the pages done, in order."""

    answers: dict[str, str] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> Progress:
        """Read from the session, checking every answer as a form would.

        The cookie is encrypted and authenticated, so this only matters for a
        cookie from an older version or a leaked key; still, an answer that is
        not allowed is dropped and its page asked again, rather than trusted.
        """
        answers, done = session.get("answers"), session.get("done")
        if not isinstance(answers, dict) or not isinstance(done, list):
            return cls()
        kept, dropped, year = {}, set(), today().year
        for name, value in answers.items():
            checked = _checked(name, value, year) if isinstance(value, str) else None
            if checked is None:
                dropped.add(PAGE_OF_FIELD[name].slug if name in PAGE_OF_FIELD else "")
            else:
                kept[name] = checked
        slugs = [slug for slug in done
                 if isinstance(slug, str) and slug in PAGES_BY_SLUG and slug not in dropped]
        return cls(kept, list(dict.fromkeys(slugs)))

    def save(self) -> None:
        """Drop what no longer applies, then write to the session."""
        purge(self.answers, self.done)
        session["answers"] = self.answers
        session["done"] = self.done

    def pages(self) -> tuple[Page, ...]:
        """The pages that apply to these answers."""
        return applicable_pages(self.answers)

    def first_unanswered(self) -> Page | None:
        """The first page that applies and has not been answered, if any."""
        return next((page for page in self.pages() if page.slug not in self.done), None)

    def previous(self, page: Page) -> Page | None:
        """The page before this one in the flow, if any."""
        pages = self.pages()
        index = pages.index(page) if page in pages else PAGES.index(page)
        return pages[index - 1] if index > 0 else None

    def following(self, page: Page) -> Page | None:
        """The next page after this one that still needs an answer, if any."""
        pages = self.pages()
        after = pages[pages.index(page) + 1:] if page in pages else pages
        return next((p for p in after if p.slug not in self.done), self.first_unanswered())

    @property
    def complete(self) -> bool:
        """Every page that applies has been answered."""
        return self.first_unanswered() is None

    def rules_answers(self):
        """The answers as the rules read them."""
        return to_answers(self.answers, today())


def _checked(name: object, value: str, year: int) -> str | None:
    """A stored answer as a form would store it, or None when it is not allowed.

    Checked on every request: a cache of checked answers would keep answers.
    """
    if name not in WEB_FIELDS:
        return None
    try:
        return stored_value(name, value, date(year, 12, 31))
    except ValueError:
        return None


def today() -> date:
    """Today's date (configurable in tests as ``TODAY``)."""
    return current_app.config.get("TODAY") or date.today()
