"""The rows of the dashboard's table of cases (templates/officer/dashboard.html), printed in Python.

Every list of cases (the dashboard, its filters, a search, the new-and-unassigned queue) prints
a page of 25 rows of some twenty values each. The template language spends about half of such a
page's rendering on them; str.format prints the same markup, its values escaped, in a tenth of
the time. tests/complaints/officer/test_case_rows.py checks that the rows are, character for
character, what the template language prints from the markup kept there.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ROW = """
            <tr class="govuk-table__row">
              {select}
              <td class="govuk-table__cell app-nowrap">
                <a class="govuk-link" href="{url}">{reference}</a>
                {confidential}
                {flagged}
              </td>
              <td class="govuk-table__cell app-nowrap">{received}</td>
              <td class="govuk-table__cell">{councillors}</td>
              <td class="govuk-table__cell">{council}{local_council}</td>
              <td class="govuk-table__cell">{stage}</td>
              <td class="govuk-table__cell">{platforms}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{complaints}</td>
              <td class="govuk-table__cell">{officer}</td>
              <td class="govuk-table__cell">
                {due}
              </td>
            </tr>
            """
_SELECT = """
              <td class="govuk-table__cell">
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                  <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id="select-{reference}" name="cases" type="checkbox" value="{reference}" form="bulk-assign">
                    <label class="govuk-label govuk-checkboxes__label" for="select-{reference}"><span class="govuk-visually-hidden">Select case {reference}</span></label>
                  </div>
                </div>
              </td>
              """  # noqa: E501
_CONFIDENTIAL = '<br><strong class="govuk-tag govuk-tag--purple app-tag--small">Confidential complainant</strong>'
_FLAGGED = '<br><strong class="govuk-tag govuk-tag--orange app-tag--small">Flagged for closure</strong>'
_NOT_MATCHED = '<span class="app-secondary-text">Not matched yet</span>'
_LOCAL_COUNCIL = '<span class="app-local-council"><span class="govuk-visually-hidden">, </span>{}</span>'
_UNASSIGNED = '<strong class="govuk-tag govuk-tag--grey app-tag--small">Unassigned</strong>'
_DUE = """
                <span class="app-nowrap">{on}</span><br>
                <strong class="govuk-tag app-tag--small {tag}">{text}</strong>
                """
_NO_CLOCK = '<span class="app-secondary-text">No clock running</span>'


@register.simple_tag
def case_rows(rows, *, can_assign: bool) -> SafeString:
    """The table rows for a page of `CaseRow`s (complaints/selectors/dashboard.py), with a
    checkbox each for bulk assignment when the user may assign. Every value is escaped as the
    template language would (`html.escape`, which Django's `escape` calls)."""
    printed = []
    for row in rows:
        reference = escape(row.reference)
        due = row.due
        printed.append(
            _ROW.format(
                select=_SELECT.format(reference=reference) if can_assign else "",
                url=escape(row.url),
                reference=reference,
                confidential=_CONFIDENTIAL if row.confidential else "",
                flagged=_FLAGGED if row.flagged_for_closure else "",
                received=escape(row.received),
                councillors="<br>".join(escape(name) for name in row.councillors) or _NOT_MATCHED,
                council=escape(row.council),
                local_council=_LOCAL_COUNCIL.format(escape(row.local_council)) if row.local_council else "",
                stage=escape(row.stage_label),
                platforms=escape(", ".join(row.platforms)) or "–",
                complaints=row.complaints,
                officer=escape(row.officer) if row.officer else _UNASSIGNED,
                due=_DUE.format(on=escape(row.due_on), tag=escape(due.tag), text=escape(due.text))
                if due
                else _NO_CLOCK,
            )
        )
    return mark_safe("".join(printed))  # noqa: S308 - every value above is escaped
