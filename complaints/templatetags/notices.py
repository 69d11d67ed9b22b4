"""The case page's list of decisions and their public notices (one query, whatever the number)."""

from django import template

from complaints.selectors.notices import case_notices

register = template.Library()


@register.simple_tag
def case_decision_notices(case):
    return case_notices(case)
