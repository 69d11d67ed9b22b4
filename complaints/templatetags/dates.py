"""The `date` filter, registered as a template builtin in place of Django's, and fast.

Django's filter costs about 25 µs a call: it parses the format and looks up each month's and
day's translated name every time. A case page prints some two hundred dates. This one parses a
format once and keeps the names per language, so a date costs about 2 µs.

Its output is Django's, character for character: a named format (DATE_FORMAT and the like), a
format letter not handled below, or a value that is not a date or datetime goes to Django's own
filter, and tests/complaints/test_date_filter.py compares the two over every format the templates
use.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime as DateTime
from functools import lru_cache
from typing import NamedTuple

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import dates, formats, translation
from django.utils.dateformat import re_escaped, re_formatchars

register = template.Library()

_LETTERS = {
    "j": lambda value, names: str(value.day),
    "d": lambda value, names: f"{value.day:02d}",
    "n": lambda value, names: str(value.month),
    "m": lambda value, names: f"{value.month:02d}",
    "Y": lambda value, names: f"{value.year:04d}",
    "F": lambda value, names: names.months[value.month],
    "M": lambda value, names: names.months_3[value.month],
    "l": lambda value, names: names.weekdays[value.weekday()],
    "D": lambda value, names: names.weekdays_abbr[value.weekday()],
    "c": lambda value, names: value.isoformat(),
    "H": lambda value, names: f"{value.hour:02d}",
    "i": lambda value, names: f"{value.minute:02d}",
}
_TIME_LETTERS = frozenset("Hi")


class _Format(NamedTuple):
    pieces: tuple  # literal strings and letter functions, in order
    has_time: bool


class _Names(NamedTuple):
    months: dict
    months_3: dict
    weekdays: dict
    weekdays_abbr: dict


@lru_cache(maxsize=64)
def _compiled(format_string: str) -> _Format | None:
    """The format as pieces, or None when Django's filter must do it."""
    if format_string in formats.FORMAT_SETTINGS:
        return None
    pieces = []
    for position, piece in enumerate(re_formatchars.split(format_string)):
        if position % 2:
            if piece not in _LETTERS:
                return None
            pieces.append(_LETTERS[piece])
        elif piece:
            pieces.append(re_escaped.sub(r"\1", piece))
    return _Format(tuple(pieces), any(letter in format_string for letter in _TIME_LETTERS))


_names_by_language: dict[str | None, _Names] = {}


def _names() -> _Names:
    language = translation.get_language()
    names = _names_by_language.get(language)
    if names is None:
        names = _names_by_language[language] = _Names(
            months={number: str(name) for number, name in dates.MONTHS.items()},
            months_3={number: str(name).title() for number, name in dates.MONTHS_3.items()},
            weekdays={number: str(name) for number, name in dates.WEEKDAYS.items()},
            weekdays_abbr={number: str(name) for number, name in dates.WEEKDAYS_ABBR.items()},
        )
    return names


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Format a date or datetime as Django's `date` filter does."""
    kind = type(value)
    if (kind is DateTime or kind is Date) and isinstance(arg, str):
        compiled = _compiled(str(arg))
        if compiled is not None and (kind is DateTime or not compiled.has_time):
            names = _names()
            return "".join(piece if type(piece) is str else piece(value, names) for piece in compiled.pieces)
    return django_date(value, arg)
