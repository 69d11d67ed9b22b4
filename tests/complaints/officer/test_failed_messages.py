"""E-mails given up on show on the dashboard and can be tried again by an officer of their case."""

import pytest
from django.core import mail
from django.urls import reverse

from complaints.models import EventKind, OutboxMessage, OutboxStatus
from tests.complaints.officer.signin import sign_in


def _failed(case, subject="We have received your complaint"):
    return OutboxMessage.objects.create(
        to="complainant@example.com",
        subject=subject,
        template="acknowledgement",
        context={"name": "Sam", "reference": case.reference, "assessment_days": 20},
        case=case,
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="Gave up after 5 attempts. Last error: ConnectionRefusedError('smtp down')",
    )


@pytest.mark.django_db
def test_the_dashboard_counts_failed_emails_of_visible_cases_and_links_to_them(client, world):
    _failed(world["cases"]["parish"])
    _failed(world["cases"]["southshire"])  # another council's: not counted
    page = sign_in(client, world["users"]["case_officer"]).get(reverse("officer:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 e-mail not sent" in html
    assert reverse("officer:failed_messages") in html


@pytest.mark.django_db
def test_the_dashboard_says_nothing_when_every_email_went(client, world):
    page = sign_in(client, world["users"]["case_officer"]).get(reverse("officer:dashboard"))
    assert "not sent" not in page.content.decode()


@pytest.mark.django_db
def test_the_failed_list_shows_only_messages_of_cases_the_officer_may_see(client, world):
    _failed(world["cases"]["parish"], subject="Visible one")
    _failed(world["cases"]["southshire"], subject="Hidden one")
    page = sign_in(client, world["users"]["case_officer"]).get(reverse("officer:failed_messages"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Visible one" in html and "Hidden one" not in html
    assert "smtp down" in html


@pytest.mark.django_db
def test_an_officer_retries_a_failed_email_it_is_queued_recorded_and_sent_by_the_worker(
    client, world, django_capture_on_commit_callbacks
):
    message = _failed(world["cases"]["parish"])
    sign_in(client, world["users"]["case_officer"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("officer:message_retry", args=[message.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("officer:failed_messages")
    assert mail.outbox == []  # queued, not sent in the request
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    event = message.case.events.get(kind=EventKind.MESSAGE_RETRIED)
    assert event.actor == world["users"]["case_officer"]
    for callback in queued:
        callback()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_council_officer", "conflicted_officer"])
def test_an_officer_who_may_not_see_the_case_cannot_retry_its_email(client, world, who):
    message = _failed(world["cases"]["northmoor"])
    response = sign_in(client, world["users"][who]).post(reverse("officer:message_retry", args=[message.public_id]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


@pytest.mark.django_db
def test_an_independent_person_sees_the_case_but_cannot_retry(client, world):
    message = _failed(world["cases"]["northmoor"])
    response = sign_in(client, world["users"]["independent_person"]).post(
        reverse("officer:message_retry", args=[message.public_id])
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


@pytest.mark.django_db
def test_retrying_needs_a_post_and_a_signed_in_officer(client, world):
    message = _failed(world["cases"]["parish"])
    url = reverse("officer:message_retry", args=[message.public_id])
    assert client.post(url).status_code == 302  # to sign in
    assert sign_in(client, world["users"]["case_officer"]).get(url).status_code == 405
