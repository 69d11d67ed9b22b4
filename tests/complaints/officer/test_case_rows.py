"""The dashboard's rows printed by complaints/templatetags/case_rows.py are, character for character,
what the template language printed from the markup the dashboard template had (kept below)."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import engines

from complaints.selectors.dashboard import CaseRow, Due

# The rows as the template language printed them before complaints/templatetags/case_rows.py.
ROWS_IN_TEMPLATE_LANGUAGE = """            {% for row in rows %}
            <tr class="govuk-table__row">
              {% if can_assign %}
              <td class="govuk-table__cell">
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                  <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id="select-{{ row.reference }}" name="cases" type="checkbox" value="{{ row.reference }}" form="bulk-assign">
                    <label class="govuk-label govuk-checkboxes__label" for="select-{{ row.reference }}"><span class="govuk-visually-hidden">Select case {{ row.reference }}</span></label>
                  </div>
                </div>
              </td>
              {% endif %}
              <td class="govuk-table__cell app-nowrap">
                <a class="govuk-link" href="{{ row.url }}">{{ row.reference }}</a>
                {% if row.confidential %}<br><strong class="govuk-tag govuk-tag--purple app-tag--small">Confidential complainant</strong>{% endif %}
                {% if row.flagged_for_closure %}<br><strong class="govuk-tag govuk-tag--orange app-tag--small">Flagged for closure</strong>{% endif %}
              </td>
              <td class="govuk-table__cell app-nowrap">{{ row.received }}</td>
              <td class="govuk-table__cell">{% for name in row.councillors %}{{ name }}{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="app-secondary-text">Not matched yet</span>{% endfor %}</td>
              <td class="govuk-table__cell">{{ row.council }}{% if row.local_council %}<span class="app-local-council"><span class="govuk-visually-hidden">, </span>{{ row.local_council }}</span>{% endif %}</td>
              <td class="govuk-table__cell">{{ row.stage_label }}</td>
              <td class="govuk-table__cell">{{ row.platforms|join:", "|default:"–" }}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.complaints }}</td>
              <td class="govuk-table__cell">{% if row.officer %}{{ row.officer }}{% else %}<strong class="govuk-tag govuk-tag--grey app-tag--small">Unassigned</strong>{% endif %}</td>
              <td class="govuk-table__cell">
                {% if row.due %}
                <span class="app-nowrap">{{ row.due_on }}</span><br>
                <strong class="govuk-tag app-tag--small {{ row.due.tag }}">{{ row.due.text }}</strong>
                {% else %}<span class="app-secondary-text">No clock running</span>{% endif %}
              </td>
            </tr>
            {% endfor %}"""  # noqa: E501
ROWS_BY_TAG = "{% load case_rows %}            {% case_rows rows can_assign=can_assign %}"


def _row(reference: str, **fields) -> CaseRow:
    values = {
        "reference": reference,
        "url": f"/officer/cases/{reference}/",
        "received": "2 Nov 2026",
        "stage": "assessment",
        "stage_label": "Initial assessment",
        "flagged_for_closure": False,
        "council": "Northmoor District Council",
        "local_council": "",
        "officer": "",
    }
    values.update(fields)
    return CaseRow(**values)


ROWS = [
    # Every cell at its plainest: no councillor matched, no platform, unassigned, no clock.
    _row("MO-2026-00001"),
    # Every cell filled, with characters that must be escaped.
    _row(
        "MO-2026-00002",
        url="/officer/cases/MO-2026-00002/?a=1&b=<2>",
        confidential=True,
        flagged_for_closure=True,
        councillors=["Cllr <Jo> O'Brien", 'Sam "the" Smith & Co'],
        local_council="Ashby & Lane Parish Council",
        council="Northmoor <District>",
        platforms=["X (Twitter)", "Facebook"],
        complaints=60,
        officer="Pat O'Neil",
        due=Due(on=date(2026, 11, 20), working_days=2, overdue=True, today=False),
        due_on="20 Nov 2026",
    ),
    _row(
        "MO-2026-00003",
        councillors=["Alex Jones"],
        platforms=["TikTok"],
        complaints=1,
        due=Due(on=date(2026, 11, 23), working_days=0, overdue=False, today=True),
        due_on="23 Nov 2026",
    ),
    _row(
        "MO-2026-00004", due=Due(on=date(2026, 12, 1), working_days=7, overdue=False, today=False), due_on="1 Dec 2026"
    ),
]


@pytest.mark.parametrize("can_assign", [True, False])
def test_the_rows_are_what_the_template_language_prints_character_for_character(can_assign):
    engine = engines["django"]
    context = {"rows": ROWS, "can_assign": can_assign}
    expected = engine.from_string(ROWS_IN_TEMPLATE_LANGUAGE).render(context)
    # The cases above reach every branch of the markup, escaped as the template language escapes.
    assert "Cllr &lt;Jo&gt; O&#x27;Brien<br>Sam &quot;the&quot; Smith &amp; Co" in expected
    assert "Not matched yet" in expected and "No clock running" in expected and "Due today" in expected
    assert ("Select case MO-2026-00001" in expected) is can_assign
    printed = engine.from_string(ROWS_BY_TAG).render(context)
    assert printed == expected


def test_no_rows_print_nothing():
    assert engines["django"].from_string(ROWS_BY_TAG).render({"rows": [], "can_assign": True}) == "            "
