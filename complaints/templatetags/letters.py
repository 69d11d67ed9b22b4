"""Filters for the letters in templates/documents/."""

from django import template

register = template.Library()


@register.filter
def salutation(name: str) -> str:
    """The surname for "Dear Councillor ...": the last word of the name."""
    words = (name or "").split()
    return words[-1] if words else ""
