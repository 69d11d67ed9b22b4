"""Inviting the councillor to comment, and recording their response. A confidential complainant's
name, e-mail and address never reach what the councillor is sent."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string

from complaints.models import (
    Deadline,
    DeadlineKind,
    Document,
    Event,
    EventKind,
    MemberInvitation,
    OutboxMessage,
    SocialMediaPost,
    Stage,
)
from complaints.services.documents import document_read
from tests.complaints.documents.builders import normalise, pdf_text
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage, confidential, councillor_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return at_stage(world["cases"]["northmoor"], Stage.ACKNOWLEDGED)


def invite(client, case, councillor, method="email", note=""):
    return client.post(
        action_url(case, "invite_member"),
        {"version": case.version, "councillors": [str(councillor.public_id)], "method": method, "note": note},
    )


def test_the_councillor_is_e_mailed_the_posts_and_clauses_and_the_response_clock_starts(client, world, case):
    councillor = councillor_in(case)
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    page = client.get(action_url(case, "invite_member")).content.decode()
    assert "10 working days" in page and "Cllr Jo Bloggs" in page
    assert invite(client, case, councillor).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.MEMBER_COMMENT
    invitation = MemberInvitation.objects.get(case=case)
    assert invitation.councillor == councillor and invitation.invited_by == officer
    assert invitation.deadline.kind == DeadlineKind.MEMBER_RESPONSE and invitation.deadline.working_days == 10
    [message] = OutboxMessage.objects.filter(case=case, template="member_invitation")
    assert message.to == "cllr.bloggs@northmoor.example.gov.uk"
    body = render_to_string("emails/member_invitation.txt", message.context)
    assert "The residents of Elm Road are scroungers." in body
    assert "1. Respect" in body and "5. Disrepute" in body
    assert "The complaint came from Complainant 1." in body
    assert f"by {invitation.deadline.due_on:%-d %B %Y}" in body
    event = Event.objects.get(case=case, kind=EventKind.MEMBER_INVITED)
    assert event.actor == officer and "invited to comment by e-mail" in event.description


def test_a_councillor_without_an_e_mail_address_can_only_be_sent_the_letter(client, world, case):
    councillor = councillor_in(case, email="")
    sign_in(client, world["users"]["case_officer"])
    response = invite(client, case, councillor, note="Kind regards")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no e-mail address for Cllr Jo Bloggs" in html and "Kind regards" in html
    assert not MemberInvitation.objects.exists() and not Deadline.objects.filter(case=case).exists()
    assert invite(client, case, councillor, method="letter").status_code == 302
    assert MemberInvitation.objects.get(case=case).method == "letter"
    assert not OutboxMessage.objects.filter(case=case).exists()


def test_a_confidential_complainants_name_e_mail_and_address_never_reach_the_councillor(client, world, case):
    complaint = confidential(case.complaints.get())
    councillor = councillor_in(case)
    SocialMediaPost.objects.filter(case=case).update(
        text_reported="Priya Secret of 7 Hidden Lane is a liar. Email her: priya.secret@example.com"
    )
    sign_in(client, world["users"]["case_officer"])
    page = client.get(action_url(case, "invite_member")).content.decode()
    assert "1 complainant has their identity withheld" in page
    response = invite(client, case, councillor, method="email_letter", note="Ms Secret asked for this to be quick.")
    assert response.status_code == 302
    [message] = OutboxMessage.objects.filter(case=case, template="member_invitation")
    body = render_to_string("emails/member_invitation.txt", message.context)
    letter = normalise(pdf_text(document_read(document=Document.objects.get(pk=message.attachment_id))))
    sent = " ".join([message.to, message.subject, json.dumps(message.context), body, letter])
    for secret in ("Priya", "Secret", "priya.secret@example.com", "Hidden Lane", "NM2 2ZZ", "07700 900123"):
        assert secret.lower() not in sent.lower(), secret
    assert "identity of the complainant is withheld" in body
    assert "[withheld]" in body
    assert complaint.complainant_email not in message.to


def test_recording_the_response_meets_the_clock_and_moves_the_case_to_assessment(client, world, case):
    councillor = councillor_in(case)
    officer = world["users"]["case_officer"]
    sign_in(client, officer)
    invite(client, case, councillor)
    case.refresh_from_db()
    invitation = MemberInvitation.objects.get(case=case)
    assert "Cllr Jo Bloggs" in client.get(action_url(case, "record_member_response")).content.decode()
    response = client.post(
        action_url(case, "record_member_response"),
        {"version": case.version, f"response_{invitation.pk}": "I was speaking as a private resident."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    invitation.refresh_from_db()
    assert invitation.responded is True and invitation.response == "I was speaking as a private resident."
    assert invitation.response_recorded_by == officer
    assert Deadline.objects.get(pk=invitation.deadline_id).met_at is not None
    event = Event.objects.get(case=case, kind=EventKind.MEMBER_RESPONDED)
    assert event.actor == officer and event.description == "Cllr Jo Bloggs's response recorded"
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "The councillor's comments" in html and "I was speaking as a private resident." in html


def test_a_response_to_an_invitation_sent_outside_the_service_can_still_be_recorded(client, world):
    case = at_stage(world["cases"]["northmoor"], Stage.MEMBER_COMMENT)
    sign_in(client, world["users"]["case_officer"])
    empty = client.post(action_url(case, "record_member_response"), {"version": 0, "response": ""})
    assert empty.status_code == 400 and "Enter the councillor&#x27;s response" in empty.content.decode()
    response = client.post(action_url(case, "record_member_response"), {"version": 0, "response": "I apologise."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    event = Event.objects.get(case=case, kind=EventKind.MEMBER_RESPONDED)
    assert event.details == {"invitation": None, "response": "I apologise."}
