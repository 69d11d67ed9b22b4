"""The rows of the possible-duplicates queue (templates/officer/duplicates.html), printed in Python.

The queue can suggest hundreds of complaints, each row with some twenty values and two small forms
(link, dismiss). The template language costs about 80 µs a row; str.format prints the same markup,
its values escaped, in a tenth of that. tests/complaints/officer/test_duplicates.py checks that the
rows are, character for character, what the template language prints from the markup kept there.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from complaints.templatetags.dates import date

register = template.Library()

_ROW = """
        <tr class="govuk-table__row">
          <td class="govuk-table__cell app-nowrap">{reference}{confidential}</td>
          <td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{dashboard_url}cases/{case}/">{case}</a></td>
          <td class="govuk-table__cell"><ul class="govuk-list app-list--compact">{reasons}</ul></td>
          <td class="govuk-table__cell app-nowrap">{received}</td>
          {actions}
        </tr>
        """  # noqa: E501
_REASON = '<li class="app-break-anywhere">{}</li>'
_CONFIDENTIAL = '<br><strong class="govuk-tag govuk-tag--purple app-tag--small">Confidential complainant</strong>'
_ACTIONS = """
          <td class="govuk-table__cell">
            <div class="govuk-button-group app-button-group--compact">
              <form method="post" action="{link_url}" novalidate>
                {csrf_input}
                <input type="hidden" name="into" value="{into}">
                <input type="hidden" name="complaints" value="{reference}">
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Link<span class="govuk-visually-hidden"> {reference} into case {into}</span></button>
              </form>
              <form method="post" action="{dismiss_url}" novalidate>
                {csrf_input}
                <input type="hidden" name="complaint" value="{reference}">
                <input type="hidden" name="case" value="{into}">
                <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Not a duplicate<span class="govuk-visually-hidden">: {reference} and case {into}</span></button>
              </form>
            </div>
          </td>
          """  # noqa: E501


@register.simple_tag(takes_context=True)
def duplicate_rows(context, group, *, can_link, csrf_input, dashboard_url, link_url, dismiss_url) -> SafeString:
    """The table rows of a group's suggestions: each complaint, its case, why, when, and the actions.

    Every value is escaped as the template language would (`html.escape`, which Django's `escape`
    calls) but for `csrf_input`, a safe string already.
    """
    into = escape(group.target.reference)
    dashboard_url = escape(dashboard_url)
    link_url, dismiss_url = escape(link_url), escape(dismiss_url)
    rows = []
    for suggestion in group.suggestions:
        complaint = suggestion.complaint
        reference = escape(complaint.reference)
        case = escape(complaint.case.reference)
        rows.append(
            _ROW.format(
                reference=reference,
                confidential=_CONFIDENTIAL if complaint.confidentiality_requested else "",
                dashboard_url=dashboard_url,
                case=case,
                reasons="".join(_REASON.format(escape(reason)) for reason in suggestion.reasons),
                received=escape(date(template_localtime(complaint.submitted_at, context.use_tz), "j M Y")),
                actions=_ACTIONS.format(
                    link_url=link_url,
                    dismiss_url=dismiss_url,
                    csrf_input=csrf_input,
                    into=into,
                    reference=reference,
                )
                if can_link
                else "",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in the rows is escaped above
