"""The complaints page's table rows and complainants' histories (templates/officer/case_complaints.html
and officer/case/_complainants.html), printed in Python.

A viral post's case has sixty complaints: the template language spent about two thirds of the
page's rendering on their rows and histories; str.format prints the same markup, its values
escaped, in a fraction of the time. tests/complaints/officer/test_complaint_rows.py checks that
both are, character for character, what the template language prints from the markup kept there.
"""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime

from complaints.selectors.dashboard import case_url_maker
from complaints.templatetags.dates import date

register = template.Library()

_ROW = """
    <tr class="govuk-table__row">
      <td class="govuk-table__cell app-nowrap">{reference}</td>
      <td class="govuk-table__cell app-nowrap">{submitted}</td>
      <td class="govuk-table__cell">
        {complainant}
      </td>
      <td class="govuk-table__cell">{clauses}</td>
      <td class="govuk-table__cell">{outcome}</td>
    </tr>
    """
_WITHHELD = """
        <strong class="govuk-tag govuk-tag--purple">Confidential complainant</strong><br>
        <span class="app-secondary-text">Name withheld{decision}</span>
        """
_GRANTED = ": confidentiality granted"
_UNDECIDED = ": request not yet decided"
_NAMED = """
        {name}<br><span class="app-secondary-text">{kind}</span>
        {refused}
        """
_REFUSED = '<br><strong class="govuk-tag govuk-tag--grey">Confidentiality refused</strong>'

_HISTORY = """
  <div class="govuk-summary-list__row{no_actions}">
    <dt class="govuk-summary-list__key">{reference}{withheld}</dt>
    <dd class="govuk-summary-list__value">
      {restriction}
      {others}
    </dd>
    {actions}
  </div>
  """
_NO_ACTIONS = " govuk-summary-list__row--no-actions"
_HISTORY_WITHHELD = '<br><span class="app-secondary-text">confidential complainant</span>'
_RESTRICTION = """<p class="govuk-body govuk-!-margin-bottom-1"><strong class="govuk-tag govuk-tag--red">{kind} complainant</strong> recorded {recorded}, review by {review}</p>
      <p class="govuk-body-s govuk-!-margin-bottom-1">{reason}</p>
      {ip_view}"""  # noqa: E501
_IP_VIEW = """<p class="govuk-body-s govuk-!-margin-bottom-1">Independent Person's view: {}</p>"""
_OTHERS = """
      <p class="govuk-body govuk-!-margin-bottom-1">{count} other complaint{plural}:</p>
      <ul class="govuk-list govuk-!-margin-bottom-0">{items}</ul>
      """
_OTHER = '<li><a class="govuk-link" href="{url}">{reference}</a>, {submitted} ({stage}{outcome})</li>'
_NO_OTHERS = '<p class="govuk-body govuk-!-margin-bottom-0">No other complaints</p>'
_ACTIONS = """
    <dd class="govuk-summary-list__actions"><a class="govuk-link" href="{url}?complaint={reference}">Restrict contact<span class="govuk-visually-hidden"> with the complainant of {reference}</span></a></dd>
    """  # noqa: E501


def _day(value, format_string: str) -> str:
    """The `date` filter as a template applies it: datetimes in the local time zone first."""
    return escape(date(template_localtime(value), format_string))


@register.simple_tag
def complaint_rows(complaints) -> SafeString:
    """The table rows for a case's complaints, each with `clause_list` (selectors/case_page.py).
    Every value is escaped as the template language would (`html.escape`)."""
    printed = []
    for complaint in complaints:
        if complaint.identity_withheld:
            complainant = _WITHHELD.format(decision=_GRANTED if complaint.confidentiality_granted else _UNDECIDED)
        else:
            complainant = _NAMED.format(
                name=escape(complaint.complainant_name),
                kind=escape(str(complaint.complainant_type_label)),
                refused=_REFUSED if complaint.confidentiality_requested else "",
            )
        clauses = "<br>".join(
            f"{escape(str(clause.number))}. {escape(clause.heading)}" for clause in complaint.clause_list
        ) or ("Not sure" if complaint.clauses_not_sure else "None given")
        printed.append(
            _ROW.format(
                reference=escape(complaint.reference),
                submitted=_day(complaint.submitted_at, "j M Y"),
                complainant=complainant,
                clauses=clauses,
                outcome=escape(Truncator(complaint.outcome_sought).words(40, truncate=" …")),
            )
        )
    return mark_safe("".join(printed))  # noqa: S308 - every value above is escaped


@register.simple_tag
def complainant_histories(section, restrict_url: str) -> SafeString:
    """The summary-list rows of `ComplainantsSection.histories` (selectors/complainants.py): each
    complainant's restriction and other complaints, with a link to restrict them when allowed."""
    printed = []
    case_url = case_url_maker()
    for history in section.histories:
        complaint = history.complaint
        reference = escape(complaint.reference)
        restriction = history.restriction
        restricted = ""
        if restriction:
            restricted = _RESTRICTION.format(
                kind=escape(str(restriction.get_kind_display())),
                recorded=_day(restriction.recorded_at, "j F Y"),
                review=_day(restriction.review_on, "j F Y"),
                reason=linebreaksbr(restriction.reason, autoescape=True),
                ip_view=_IP_VIEW.format(escape(restriction.ip_view)) if restriction.ip_view else "",
            )
        if history.others:
            items = []
            for other in history.others:
                case = other.case
                items.append(
                    _OTHER.format(
                        url=escape(case_url(case.reference)),
                        reference=escape(other.reference),
                        submitted=_day(other.submitted_at, "j M Y"),
                        stage=escape(str(case.get_stage_display()).lower()),
                        outcome=f": {escape(str(case.get_outcome_display()).lower())}" if case.outcome else "",
                    )
                )
            count = len(history.others)
            others = _OTHERS.format(count=count, plural="" if count == 1 else "s", items="".join(items))
        else:
            others = _NO_OTHERS
        printed.append(
            _HISTORY.format(
                no_actions="" if section.may_restrict else _NO_ACTIONS,
                reference=reference,
                withheld=_HISTORY_WITHHELD if complaint.identity_withheld else "",
                restriction=restricted,
                others=others,
                actions=_ACTIONS.format(url=escape(restrict_url), reference=reference) if section.may_restrict else "",
            )
        )
    return mark_safe("".join(printed))  # noqa: S308 - every value above is escaped
