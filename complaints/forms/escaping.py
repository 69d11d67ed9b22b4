"""Labels, hints and choices built from data, escaped where the form builds them.

The GOV.UK template pack (crispy-forms-gds) prints a field's label, legend and hint with `|safe`,
so that a form may put markup in them; anything that comes from data (a councillor's or council's
name, an officer's name, a complainant's text, a clause heading, a public interest question) must
therefore be escaped by the form itself. Choice labels are escaped the same way, so that they stay
safe whichever template prints them. `escape` and `format_html` return safe strings, which
templates that escape on their own leave as they are: nothing is escaped twice.

Keep the plain text for anything that is not HTML (error messages built from a label, e-mails):
escape only the label, hint or choice the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html

__all__ = ["escape", "escaped_choices", "format_html"]


def escaped_choices(choices: Iterable) -> list:
    """Choices as (value, label), or grouped as (group, [(value, label), ...]), each label and
    group name escaped."""
    escaped = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            escaped.append((escape(value), escaped_choices(label)))
        else:
            escaped.append((value, escape(label)))
    return escaped
