"""The reader's language: chosen from the browser, changed by a link, kept in the session.

Templates mark their own words with ``_()`` (Flask-Babel's gettext). Words from
the rules come as English message ids (``rules/i18n.py``): ``t()`` looks each up
in the catalogue and fills the translation with the same values, each value
translated in turn and each number written for the locale. Codes (statuses,
outcomes, field names and values) are never translated, so the answers file,
the API, FHIR and rule tables read the same whatever the language.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_babel import Babel, format_date, get_locale, get_translations

from rules.i18n import Territory, Text

bp = Blueprint("language", __name__)

#: The languages offered, each named in itself (the switch shows these words).
LANGUAGES = {"en": "English", "es": "Español"}
SESSION_KEY = "lang"
#: Languages whose translation a clinician has reviewed; the others say it has not been.
REVIEWED = frozenset({"en"})


def init_app(app: Flask) -> None:
    """Set up Flask-Babel (its catalogues: ``create_app``) and the helpers templates use."""
    app.config.setdefault("LANGUAGES", dict(LANGUAGES))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app, locale_selector=select_language)
    app.jinja_env.globals.update(t=translate, language=language, text_direction=text_direction,
                                 languages=lambda: current_app.config["LANGUAGES"],
                                 format_day=format_day, registry_url=registry_url,
                                 here=here, translation_reviewed=translation_reviewed)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["lower_first"] = lower_first
    app.register_blueprint(bp)


def select_language() -> str:
    """The language kept in the session, else the browser's best match, else English."""
    offered = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, str) and chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered) or "en"


def language() -> str:
    """The code of the language this page is in (for ``<html lang>``)."""
    return _code(get_locale())


def _code(locale: Locale | None) -> str:
    return str(locale).replace("_", "-") if locale else "en"


def text_direction() -> str:
    """``rtl`` or ``ltr``, from the locale (for ``<html dir>``)."""
    locale = get_locale()
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def translation_reviewed() -> bool:
    """Whether a clinician has reviewed this page's language (English is the original)."""
    return language().split("-")[0] in current_app.config.get("TRANSLATIONS_REVIEWED", REVIEWED)


def here() -> str:
    """This page's path and query, for the language links to come back to (never an answer)."""
    query = request.query_string.decode("latin-1")
    return request.path + ("?" + query if query else "")


@bp.get("/language/<code>")
def choose(code: str):
    """Keep the chosen language in the session and go back to the page the link was on.

    A link rather than a form, so it needs no script and no token; it changes
    nothing but the language, and the address it returns to is a page of this
    site (``next`` is a path, never an answer).
    """
    if code in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = code
    return redirect(_local(request.args.get("next", "")))


def _local(target: str) -> str:
    """``target`` when it is a path on this site, else the start page."""
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith(("//", "/\\")) or parts.scheme
            or parts.netloc or any(c in target for c in "\r\n\t")):
        return request.script_root + "/"
    return request.script_root + target


def gettext(message: str) -> str:
    """The translation of one message id, or the id itself."""
    return get_translations().ugettext(message) if message else message


class _LocalNumber:
    """A number that formats itself as Python does, with the locale's decimal and group signs."""

    __slots__ = ("signs", "value")

    def __init__(self, value: float | int, signs: dict[int, str]):
        self.value = value
        self.signs = signs

    def __format__(self, spec: str) -> str:
        return format(self.value, spec).translate(self.signs)

    def __str__(self) -> str:
        return format(self, "")


class Translator:
    """The reader's language for the words of one page: catalogue and locale looked up once.

    ``translate`` and ``gettext`` below look both up for every sentence; a page that
    translates many sentences (the summary) makes one of these and asks it instead.
    It holds the catalogue and the locale, never a sentence.
    """

    __slots__ = ("_lookup", "_numbers", "known", "language", "locale")

    def __init__(self, translations, locale: Locale | None):
        # An empty catalogue (the language the rules are written in) gives every message
        # back as it is, as gettext would: no need to ask it.
        empty = getattr(translations, "_catalog", None) == {} \
            and getattr(translations, "_fallback", None) is None
        self._lookup = None if empty else translations.ugettext
        self.locale = locale
        #: As ``language()`` gives it.
        self.language = _code(locale)
        self._numbers: dict[int, str] | None = None
        #: Sentences put into this language already, by the identity of the rules' own
        #: objects (``rules.assess.DECLARED_WORDS``): none is a person's answer.
        self.known: dict[int, str] = _NOTHING_KNOWN

    @classmethod
    def current(cls) -> Translator:
        """The translator for this request's language."""
        return cls(get_translations(), get_locale())

    def gettext(self, message: str) -> str:
        """The translation of one message id, or the id itself."""
        return self._lookup(message) if message and self._lookup is not None else message

    def translate(self, text: object) -> str:
        """Words from the rules in the reader's language (anything else as it is)."""
        if isinstance(text, Text):
            words = self.known.get(id(text))
            if words is not None:
                return words
            if isinstance(text, Territory):
                locale = self.locale
                return (locale.territories.get(text.code) if locale else None) or str(text)
            msgid, params = text.msgid, text.params
            lookup = self._lookup
            try:
                words = lookup(msgid) if msgid and lookup is not None else msgid
                # Only the values the sentence uses are translated, when it uses them.
                words = words.format_map(_values(self, params)) if params else words.format()
            except (KeyError, IndexError, ValueError):
                values = {name: self.value(value) for name, value in params.items()}
                words = msgid.format(**values)  # a broken translation: English
            return lower_first(words) if text.lower_first else words
        if isinstance(text, str):
            return self.gettext(text)
        if isinstance(text, list) and len(text) == 2 and isinstance(text[0], str):
            # A message kept in the session as its English template and the hours.
            return self.gettext(text[0]).format(hours=text[1])
        return text

    def value(self, value: object) -> object:
        """A value put into a sentence: words translated, numbers for the locale, codes as
        they are."""
        if isinstance(value, Text):
            return self.translate(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            signs = self._numbers
            if signs is None:
                locale = self.locale or Locale("en")
                signs = {ord("."): get_decimal_symbol(locale), ord(","): get_group_symbol(locale)}
                # Signs as Python writes them ("." and ","): the number as it is.
                self._numbers = signs = {} if signs == _PYTHON_SIGNS else signs
            return _LocalNumber(value, signs) if signs else value
        return value


#: What a translator knows before it is told (never added to).
_NOTHING_KNOWN: dict[int, str] = {}
#: The decimal and group signs Python writes numbers with.
_PYTHON_SIGNS = {ord("."): ".", ord(","): ","}


class _Values(dict):
    """A sentence's values, each put into the reader's language when the sentence asks."""

    __slots__ = ("language", "params")

    def __missing__(self, name: str) -> object:
        value = self.params[name]
        if isinstance(value, Text):
            value = self.language.translate(value)
        elif isinstance(value, (int, float)):
            value = self.language.value(value)
        self[name] = value
        return value


def _values(language: Translator, params: dict[str, object]) -> _Values:
    values = _Values()
    values.language, values.params = language, params
    return values


def translate(text: object) -> str:
    """Words from the rules in the reader's language (anything else as it is)."""
    if isinstance(text, Territory):
        locale = get_locale()
        return (locale.territories.get(text.code) if locale else None) or str(text)
    if isinstance(text, str) and not isinstance(text, Text):
        return gettext(text)
    return Translator.current().translate(text)


def decimal_symbol() -> str:
    """The decimal sign of the reader's locale ("," in Spanish)."""
    return get_decimal_symbol(get_locale() or Locale("en"))


def lower_first(words: str) -> str:
    """The first letter made small, unless it starts an acronym ("EM", "EDSS")."""
    if words[1:2].isupper():
        return words
    return words[:1].lower() + words[1:]


def format_day(iso_day: str, width: str = "long") -> str:
    """A date written ``2026-12-02`` in the reader's words ("2 de diciembre de 2026").

    ``width`` is CLDR's: ``long``, or ``medium`` ("2 dic 2026") where space is short.
    """
    try:
        day = date.fromisoformat(iso_day)
    except (TypeError, ValueError):
        return iso_day
    return format_date(day, width)


#: Registries that offer their pages in several languages: how they are asked, and in
#: which languages (CTIS: the EU's official languages).
_REGISTRY_LANGUAGES = {
    "https://euclinicaltrials.eu/": ("lang", frozenset({
        "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
        "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"})),
}


def registry_url(url: str, page_language: str | None = None) -> str:
    """A registry's address in the reader's language, where the registry offers it.

    ``page_language`` is ``language()``, when the caller has it already.
    """
    code = (page_language or language()).split("-")[0]
    for prefix, (parameter, offered) in _REGISTRY_LANGUAGES.items():
        if url.startswith(prefix) and f"{parameter}=en" in url and code in offered:
            return url.replace(f"{parameter}=en", f"{parameter}={code}")
    return url
