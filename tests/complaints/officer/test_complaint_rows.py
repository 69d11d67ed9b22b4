"""The complaints page's rows and complainants' histories printed by
complaints/templatetags/complaint_rows.py are, character for character, what the template language
printed from the markup the templates had (kept below)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.test import override_settings

from complaints.models import Case, ComplainantRestriction, Complaint
from complaints.selectors.complainants import ComplainantHistory, ComplainantsSection
from guidance.models import Clause

# templates/officer/case_complaints.html's rows before the tag.
ROWS_IN_TEMPLATE_LANGUAGE = """  <tbody class="govuk-table__body">
    {% for complaint in complaints %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell app-nowrap">{{ complaint.reference }}</td>
      <td class="govuk-table__cell app-nowrap">{{ complaint.submitted_at|date:"j M Y" }}</td>
      <td class="govuk-table__cell">
        {% if complaint.identity_withheld %}
        <strong class="govuk-tag govuk-tag--purple">Confidential complainant</strong><br>
        <span class="app-secondary-text">Name withheld{% if complaint.confidentiality_granted %}: confidentiality granted{% else %}: request not yet decided{% endif %}</span>
        {% else %}
        {{ complaint.complainant_name }}<br><span class="app-secondary-text">{{ complaint.complainant_type_label }}</span>
        {% if complaint.confidentiality_requested %}<br><strong class="govuk-tag govuk-tag--grey">Confidentiality refused</strong>{% endif %}
        {% endif %}
      </td>
      <td class="govuk-table__cell">{% for clause in complaint.clause_list %}{{ clause.number }}. {{ clause.heading }}{% if not forloop.last %}<br>{% endif %}{% empty %}{% if complaint.clauses_not_sure %}Not sure{% else %}None given{% endif %}{% endfor %}</td>
      <td class="govuk-table__cell">{{ complaint.outcome_sought|truncatewords:40 }}</td>
    </tr>
    {% endfor %}
  </tbody>"""  # noqa: E501
ROWS_BY_TAG = """{% load complaint_rows %}  <tbody class="govuk-table__body">
    {% complaint_rows complaints %}
  </tbody>"""

# templates/officer/case/_complainants.html's list before the tag.
HISTORIES_IN_TEMPLATE_LANGUAGE = """<dl class="govuk-summary-list">
  {% for history in complainants.histories %}
  <div class="govuk-summary-list__row{% if not complainants.may_restrict %} govuk-summary-list__row--no-actions{% endif %}">
    <dt class="govuk-summary-list__key">{{ history.complaint.reference }}{% if history.complaint.identity_withheld %}<br><span class="app-secondary-text">confidential complainant</span>{% endif %}</dt>
    <dd class="govuk-summary-list__value">
      {% if history.restriction %}<p class="govuk-body govuk-!-margin-bottom-1"><strong class="govuk-tag govuk-tag--red">{{ history.restriction.get_kind_display }} complainant</strong> recorded {{ history.restriction.recorded_at|date:"j F Y" }}, review by {{ history.restriction.review_on|date:"j F Y" }}</p>
      <p class="govuk-body-s govuk-!-margin-bottom-1">{{ history.restriction.reason|linebreaksbr }}</p>
      {% if history.restriction.ip_view %}<p class="govuk-body-s govuk-!-margin-bottom-1">Independent Person's view: {{ history.restriction.ip_view }}</p>{% endif %}{% endif %}
      {% if history.others %}
      <p class="govuk-body govuk-!-margin-bottom-1">{{ history.others|length }} other complaint{{ history.others|length|pluralize }}:</p>
      <ul class="govuk-list govuk-!-margin-bottom-0">{% for other in history.others %}<li><a class="govuk-link" href="{% url 'officer:case' other.case.reference %}">{{ other.reference }}</a>, {{ other.submitted_at|date:"j M Y" }} ({{ other.case.get_stage_display|lower }}{% if other.case.outcome %}: {{ other.case.get_outcome_display|lower }}{% endif %})</li>{% endfor %}</ul>
      {% else %}<p class="govuk-body govuk-!-margin-bottom-0">No other complaints</p>{% endif %}
    </dd>
    {% if complainants.may_restrict %}
    <dd class="govuk-summary-list__actions"><a class="govuk-link" href="{{ restrict_url }}?complaint={{ history.complaint.reference }}">Restrict contact<span class="govuk-visually-hidden"> with the complainant of {{ history.complaint.reference }}</span></a></dd>
    {% endif %}
  </div>
  {% endfor %}
</dl>"""  # noqa: E501
HISTORIES_BY_TAG = """{% load complaint_rows %}<dl class="govuk-summary-list">
  {% complainant_histories complainants restrict_url %}
</dl>"""

LONG_OUTCOME = " ".join(f"word{number}" for number in range(1, 46)) + " <b>&</b>"


def _complaint(reference: str, **fields) -> Complaint:
    values = {
        "reference": reference,
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the date shown is the local one.
        "submitted_at": datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
        "complainant_name": "Sam Smith",
        "complainant_type": "public",
        "outcome_sought": "An apology",
    }
    values.update({key: value for key, value in fields.items() if key != "clause_list"})
    complaint = Complaint(**values)
    complaint.clause_list = fields.get("clause_list", [])
    return complaint


CLAUSES = [Clause(number="1", heading="Respect"), Clause(number="4.1", heading="Bullying & <harassment>")]
COMPLAINTS = [
    # Named, no confidentiality asked, no clauses given; a time after midnight in London (BST).
    _complaint("C-0001"),
    # Named after a refused request, clauses, a long outcome with characters to escape.
    _complaint(
        "C-0002",
        complainant_name="Jo <O'Brien> & Co",
        complainant_type="councillor",
        confidentiality_requested=True,
        confidentiality_reason="Fear",
        confidentiality_granted=False,
        clause_list=CLAUSES,
        outcome_sought=LONG_OUTCOME,
    ),
    # Withheld, request not yet decided; "not sure" of the clauses; a winter (GMT) date.
    _complaint(
        "C-0003",
        confidentiality_requested=True,
        confidentiality_reason="Fear",
        clauses_not_sure=True,
        submitted_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    ),
    # Withheld, confidentiality granted, one clause.
    _complaint(
        "C-0004",
        confidentiality_requested=True,
        confidentiality_reason="Fear",
        confidentiality_granted=True,
        clause_list=CLAUSES[:1],
        outcome_sought="Line one\nline two",
    ),
]


@override_settings(TIME_ZONE="Europe/London")
def test_the_complaint_rows_are_what_the_template_language_prints_character_for_character():
    engine = engines["django"]
    context = {"complaints": COMPLAINTS}
    expected = engine.from_string(ROWS_IN_TEMPLATE_LANGUAGE).render(context)
    # The complaints above reach every branch of the markup, escaped as the template language escapes.
    assert "1 Jul 2026" in expected and "1 Dec 2026" in expected
    assert "Jo &lt;O&#x27;Brien&gt; &amp; Co" in expected and "Confidentiality refused" in expected
    assert "4.1. Bullying &amp; &lt;harassment&gt;" in expected and "word40 …" in expected
    assert "request not yet decided" in expected and "confidentiality granted" in expected
    assert "Not sure" in expected and "None given" in expected
    assert engine.from_string(ROWS_BY_TAG).render(context) == expected


def test_no_complaints_print_no_rows():
    printed = engines["django"].from_string(ROWS_BY_TAG).render({"complaints": []})
    assert printed == engines["django"].from_string(ROWS_IN_TEMPLATE_LANGUAGE).render({"complaints": []})


def _other(reference: str, case_reference: str, stage: str, outcome: str = "") -> Complaint:
    other = _complaint(reference, submitted_at=datetime(2025, 3, 4, 12, 0, tzinfo=UTC))
    other.case = Case(reference=case_reference, stage=stage, outcome=outcome)
    return other


def _histories() -> list[ComplainantHistory]:
    restriction = ComplainantRestriction(
        kind="vexatious",
        reason="Twenty complaints in a month.\nAbuse of <staff> & officers.",
        ip_view='Agrees it is "vexatious".',
        review_on=date(2027, 1, 31),
        recorded_at=datetime(2026, 10, 31, 23, 45, tzinfo=UTC),
    )
    return [
        # No other complaints, no restriction.
        ComplainantHistory(complaint=COMPLAINTS[0]),
        # Restricted with the Independent Person's view; two other complaints, one decided.
        ComplainantHistory(
            complaint=COMPLAINTS[1],
            restriction=restriction,
            others=[
                _other("C-0100", "MO-2025-<7>", "closed", "no_further_action"),
                _other("C-0101", "MO-2025-8", "assessment"),
            ],
        ),
        # A confidential complainant, restricted without a view, one other complaint.
        ComplainantHistory(
            complaint=COMPLAINTS[2],
            restriction=ComplainantRestriction(
                kind="persistent",
                reason="Weekly e-mails.",
                review_on=date(2027, 6, 1),
                recorded_at=restriction.recorded_at,
            ),
            others=[_other("C-0102", "MO-2025-8", "investigation")],
        ),
    ]


@pytest.mark.parametrize("may_restrict", [True, False])
@override_settings(TIME_ZONE="Europe/London")
def test_the_histories_are_what_the_template_language_prints_character_for_character(may_restrict):
    engine = engines["django"]
    context = {
        "complainants": ComplainantsSection(show=True, may_restrict=may_restrict, histories=_histories()),
        "restrict_url": "/officer/cases/MO-2026-1/complainants/restrict/",
    }
    expected = engine.from_string(HISTORIES_IN_TEMPLATE_LANGUAGE).render(context)
    assert "Vexatious complainant" in expected and "31 October 2026" in expected
    assert "month.<br>Abuse of &lt;staff&gt; &amp; officers." in expected
    assert "Agrees it is &quot;vexatious&quot;." in expected and "Persistent complainant" in expected
    assert "2 other complaints" in expected and "1 other complaint:" in expected and "No other complaints" in expected
    assert "(closed: no further action)" in expected and "(initial assessment)" in expected
    assert "/officer/cases/MO-2025-%3C7%3E/" in expected
    assert ("Restrict contact" in expected) is may_restrict
    assert engine.from_string(HISTORIES_BY_TAG).render(context) == expected
