"""The initial assessment: the jurisdiction facts worked out and confirmed, every capacity
indicator answered, the council's public interest test, the IP's view and a recommendation."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from complaints.models import (
    Assessment,
    CapacityIndicator,
    Consultation,
    Councillor,
    Event,
    EventKind,
    PublicInterestQuestion,
    Stage,
)
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage, councillor_in
from tests.complaints.process.test_intake_refusals import assessment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    councillor_in(case)
    return case


def test_the_form_shows_the_facts_worked_out_from_the_register_dates_and_codes(client, world, case):
    sign_in(client, world["users"]["case_officer"])
    response = client.get(action_url(case, "record_assessment"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Cllr Jo Bloggs: <strong class="govuk-tag govuk-tag--green">Yes</strong>' in html
    assert "Northmoor District Council Code of Conduct (in force from 1 January 2020)" in html
    for label in CapacityIndicator.labels:
        assert label in html
    assert "Is there enough evidence to support the allegation?" in html
    form = response.context["form"]
    assert form.initial["was_councillor_at_time"] == "yes" and form.initial["within_time_limit"] == "yes"


def test_a_councillor_out_of_office_on_the_day_is_suggested_as_no_jurisdiction(client, world, case):
    Councillor.objects.filter(name="Jo Bloggs").update(term_start=date(2019, 5, 2), term_end=date(2020, 5, 1))
    sign_in(client, world["users"]["case_officer"])
    response = client.get(action_url(case, "record_assessment"))
    assert response.context["form"].initial["was_councillor_at_time"] == "no"
    assert 'govuk-tag--red">No</strong> (term 2 May 2019 to 1 May 2020)' in response.content.decode()


def test_the_assessment_is_recorded_with_every_answer_and_shown_on_the_case_page(client, world, case):
    Consultation.objects.filter(case=case).update(view="Investigate it.", view_recorded_at=timezone.now())
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    form = client.get(action_url(case, "record_assessment")).context["form"]
    assert "Investigate it." in form.initial["ip_views"]
    data = {**assessment_data(), "version": 0, "capacity_account_name": "yes", "capacity_account_name_note": "Cllr"}
    data["ip_views"] = "Ip Test: investigate it."
    data["public_interest_3"] = "no"
    response = client.post(action_url(case, "record_assessment"), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert assessment.was_councillor_at_time is True and assessment.acting_as_councillor is True
    assert assessment.code_in_force.title == "Northmoor District Council Code of Conduct"
    assert assessment.capacity_indicators["account_name"] == {"answer": "yes", "note": "Cllr"}
    assert set(assessment.capacity_indicators) == set(CapacityIndicator.values)
    assert assessment.public_interest_answers[2]["answer"] == "no"
    assert assessment.public_interest_answers[2]["question"].startswith("Does the complaint appear to be malicious")
    assert assessment.recommendation == "informal_resolution"
    assert assessment.independent_person == world["users"]["independent_person"]
    assert assessment.assessed_by == officer
    event = Event.objects.get(case=case, kind=EventKind.ASSESSMENT_RECORDED)
    assert event.actor == officer
    assert event.description == "Initial assessment recorded: recommends informal resolution"
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Initial assessment" in html and "Recommendation: <strong>Informal resolution</strong>" in html
    assert "An apology would settle it." in html


def test_recording_it_again_replaces_it_and_the_form_starts_from_the_last_one(client, world, case):
    sign_in(client, world["users"]["mo"])
    client.post(action_url(case, "record_assessment"), {**assessment_data(), "version": 0})
    form = client.get(action_url(case, "record_assessment")).context["form"]
    assert form.initial["recommendation_reasons"] == "An apology would settle it."
    data = {**assessment_data(), "version": 1, "recommendation": "no_further_action"}
    assert client.post(action_url(case, "record_assessment"), data).status_code == 302
    assert Assessment.objects.get(case=case).recommendation == "no_further_action"
    assert Event.objects.filter(case=case, kind=EventKind.ASSESSMENT_RECORDED).count() == 2


def test_a_council_s_own_public_interest_test_replaces_the_default_questions(client, world, case):
    northmoor = world["councils"]["northmoor"]
    PublicInterestQuestion.objects.create(authority=northmoor, position=2, text="Is the matter already before a court?")
    PublicInterestQuestion.objects.create(authority=northmoor, position=1, text="Would a sanction be likely?")
    sign_in(client, world["users"]["case_officer"])
    html = client.get(action_url(case, "record_assessment")).content.decode()
    assert "Would a sanction be likely?" in html and "Is the matter already before a court?" in html
    assert "Is there enough evidence to support the allegation?" not in html
    data = {k: v for k, v in assessment_data().items() if not k.startswith("public_interest_") or k.endswith("view")}
    response = client.post(action_url(case, "record_assessment"), {**data, "version": 0, "public_interest_1": "yes"})
    assert response.status_code == 400
    assert "Answer question 2 of the public interest test" in response.content.decode()
    response = client.post(
        action_url(case, "record_assessment"),
        {**data, "version": 0, "public_interest_1": "yes", "public_interest_2": "unclear"},
    )
    assert response.status_code == 302
    answers = Assessment.objects.get(case=case).public_interest_answers
    assert [a["question"] for a in answers] == ["Would a sanction be likely?", "Is the matter already before a court?"]


def test_the_public_interest_questions_are_edited_in_the_admin(admin_client, world):
    response = admin_client.get("/admin/complaints/publicinterestquestion/add/")
    assert response.status_code == 200
    response = admin_client.post(
        "/admin/complaints/publicinterestquestion/add/",
        {"authority": world["councils"]["northmoor"].pk, "position": 1, "text": "Is it serious?"},
    )
    assert response.status_code == 302
    assert PublicInterestQuestion.objects.get().text == "Is it serious?"


def test_each_note_says_which_question_it_is_about_and_errors_come_in_the_order_of_the_page(client, world, case):
    sign_in(client, world["users"]["case_officer"])
    html = client.get(action_url(case, "record_assessment")).content.decode()
    assert (
        'Note (optional)<span class="govuk-visually-hidden"> on the indicator '
        "“The account name uses &#x27;Cllr&#x27; or &#x27;Councillor&#x27;”</span>"
    ) in html
    assert (
        'Note (optional)<span class="govuk-visually-hidden"> on question 3 of the public interest test</span>' in html
    )

    data = {**assessment_data(), "version": 0, "capacity_account_name_note": "x" * 1001}
    del data["recommendation"]
    response = client.post(action_url(case, "record_assessment"), data)
    assert response.status_code == 400
    errors = list(response.context["form"].errors)
    assert errors == ["capacity_account_name_note", "recommendation"]
    assert (
        "Note on the indicator “The account name uses &#x27;Cllr&#x27; or &#x27;Councillor&#x27;” "
        "must be 1,000 characters or fewer"
    ) in response.content.decode()
