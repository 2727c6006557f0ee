"""Words the rules give that another language can replace, without any web framework.

The rules speak English, and every sentence they give is also a message id:
the English template it was made from (``"You are {age}. …"``) and the values
put into it. ``Text`` is that sentence: it *is* the English string (so the
command line, rule tables, the API and the specification read it as before),
and it carries ``msgid`` and ``params`` so that ``app/`` can look the template
up in a gettext catalogue and fill the translation with the same values, each
value translated in turn. Numbers stay numbers until the app formats them for
the reader's locale. Nothing here imports gettext: the rules stay pure.

``N_`` only marks a constant string for extraction (``pybabel`` reads it); a
plain ``str`` from the declarations is itself the message id.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a constant for translation: the message id is the string itself."""
    return message


class Text(str):
    """An English sentence that knows its message id and the values put into it."""

    msgid: str
    params: dict[str, object]
    #: Whether the translation starts with a small letter (set on the sentences that do).
    lower_first: bool = False

    def __new__(cls, msgid: str, /, **params: object) -> Text:
        text = str.__new__(cls, msgid.format(**params) if params else msgid)
        text.msgid = msgid
        text.params = params
        return text

    def __reduce__(self):
        return (str, (str(self),))

    def lowered(self) -> Text:
        """The same sentence with its first letter made small (inside another sentence)."""
        english = str(self)  # lowered already or not, its first letter is made small
        lowered = _Lowered(english[:1].lower() + english[1:])
        lowered.msgid, lowered.params, lowered.lower_first = self.msgid, dict(self.params), True
        return lowered

    @classmethod
    def join(cls, parts, separator: str = " ") -> Text:
        """Sentences side by side; the separator is punctuation, never a word."""
        parts = tuple(parts)
        if len(parts) == 1 and isinstance(parts[0], Text):
            return parts[0]
        if len(parts) > len(_PLACES):
            template = separator.join(f"{{p{index}}}" for index in range(len(parts)))
            return cls(template, **{f"p{index}": part for index, part in enumerate(parts)})
        count = len(parts)
        return cls(separator.join(_PLACES[:count]), **dict(zip(_NAMES[:count], parts, strict=True)))


#: The names of the parts ``Text.join`` puts side by side, and their places.
_NAMES = tuple(f"p{index}" for index in range(16))
_PLACES = tuple(f"{{{name}}}" for name in _NAMES)


class _Lowered(Text):
    """A ``Text`` whose English already starts with a small letter."""

    def __new__(cls, english: str) -> _Lowered:
        return str.__new__(cls, english)


class Territory(Text):
    """A country's English name that the app may show in the reader's language.

    ``code`` is its ISO 3166 alpha-2 code; the English name stays the value that
    is stored, sent to registries and written to files.
    """

    code: str

    def __new__(cls, name: str, code: str) -> Territory:
        text = super().__new__(cls, name)
        text.code = code
        return text


def number(value: float | int, spec: str = "") -> Text:
    """A number as the rules write it (``6.0``, ``10``), formatted again for the reader."""
    template = "{value:" + spec + "}" if spec else "{value}"
    return Text(template, value=value)
