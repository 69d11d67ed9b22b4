"""Takedown requests: sending starts the compliance clock, recording removal stops it, overdue
requests are listed and followed up once a day."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from complaints.models import (
    Deadline,
    DeadlineKind,
    DocumentKind,
    OutboxMessage,
    TakedownRequest,
    TakedownStatus,
)
from complaints.selectors.takedowns import takedown_requests_overdue
from complaints.services.takedowns import (
    TakedownError,
    takedown_follow_up,
    takedown_request_record_removed,
    takedown_request_send,
)
from tests.complaints.documents.builders import make_letter_case, normalise, pdf_text

pytestmark = pytest.mark.django_db

# Thursday before the spring bank holiday (Monday 25 May 2026).
SENT_AT = timezone.make_aware(datetime(2026, 5, 21, 10, 0))
DUE = date(2026, 5, 29)


def sent_request(**kwargs):
    letter_case = make_letter_case(**kwargs)
    request = takedown_request_send(request=letter_case.takedown(), actor=letter_case.officer, now=SENT_AT)
    return letter_case, request


def test_sending_starts_a_takedown_clock_in_working_days_skipping_the_bank_holiday():
    letter_case, request = sent_request()

    assert request.status == TakedownStatus.SENT
    assert request.requested_at == SENT_AT
    assert request.requested_by == letter_case.officer
    assert request.due_on == DUE
    clock = request.deadline
    assert clock.kind == DeadlineKind.TAKEDOWN
    assert (clock.starts_on, clock.working_days, clock.due_on) == (date(2026, 5, 21), 5, DUE)
    assert "Spring Bank Holiday" in clock.computation
    assert clock.met_at is None


def test_sending_stores_the_letter_and_queues_it_to_the_councillor_as_an_attachment():
    letter_case, request = sent_request()

    assert request.letter.kind == DocumentKind.TAKEDOWN_REQUEST
    assert request.letter.generated_at == SENT_AT
    message = OutboxMessage.objects.get(attachment=request.letter)
    assert message.to == letter_case.councillor.email
    text = normalise(pdf_text(request.letter.file.read()))
    assert "Friday 29 May 2026" in text
    descriptions = list(letter_case.case.events.values_list("description", flat=True))
    assert "Takedown compliance due 29 May 2026" in descriptions
    assert "Takedown request sent to Councillor Jo Bloggs, due 29 May 2026" in descriptions


def test_it_refuses_to_send_a_request_twice():
    letter_case, request = sent_request()
    with pytest.raises(TakedownError, match="already been sent"):
        takedown_request_send(request=request, actor=letter_case.officer, now=SENT_AT)
    assert Deadline.objects.filter(kind=DeadlineKind.TAKEDOWN).count() == 1


def test_it_refuses_to_send_when_the_councillor_has_no_email_and_starts_no_clock():
    letter_case = make_letter_case(councillor_email="")
    request = letter_case.takedown()

    with pytest.raises(TakedownError, match="no e-mail address"):
        takedown_request_send(request=request, actor=letter_case.officer, now=SENT_AT)

    request.refresh_from_db()
    assert request.status == TakedownStatus.DRAFT
    assert not Deadline.objects.filter(kind=DeadlineKind.TAKEDOWN).exists()
    assert request.letter is None


def test_recording_removed_with_the_date_seen_gone_stops_the_clock():
    letter_case, request = sent_request()
    recorded_at = timezone.make_aware(datetime(2026, 5, 27, 15, 0))

    request = takedown_request_record_removed(
        request=request, seen_gone_on=date(2026, 5, 26), actor=letter_case.officer, now=recorded_at
    )

    assert request.status == TakedownStatus.COMPLIED
    assert request.removed_on == date(2026, 5, 26)
    assert request.removal_verified_at == recorded_at
    request.deadline.refresh_from_db()
    assert request.deadline.met_at == recorded_at
    assert all(post.still_visible is False for post in request.posts.all())
    assert letter_case.case.events.filter(description="Post(s) seen removed on 26 May 2026").exists()


@pytest.mark.parametrize(
    ("seen", "message"),
    [(date(2026, 6, 30), "today or in the past"), (date(2026, 5, 20), "on or after the day the request was sent")],
)
def test_it_refuses_an_impossible_removal_date(seen, message):
    letter_case, request = sent_request()
    with pytest.raises(TakedownError, match=message):
        takedown_request_record_removed(
            request=request, seen_gone_on=seen, now=timezone.make_aware(datetime(2026, 6, 1, 9, 0))
        )
    request.refresh_from_db()
    assert request.status == TakedownStatus.SENT and request.deadline.met_at is None


def test_overdue_requests_are_those_past_due_with_no_removal_recorded():
    letter_case, request = sent_request()

    assert list(takedown_requests_overdue(today=DUE)) == []
    assert list(takedown_requests_overdue(today=DUE + timedelta(days=1))) == [request]
    # Narrowed to the cases a user may see.
    assert (
        list(takedown_requests_overdue(today=date(2026, 6, 1), cases=letter_case.case.__class__.objects.none())) == []
    )

    takedown_request_record_removed(
        request=request, seen_gone_on=date(2026, 6, 1), now=timezone.make_aware(datetime(2026, 6, 1, 12, 0))
    )
    assert list(takedown_requests_overdue(today=date(2026, 6, 2))) == []


def test_the_daily_follow_up_reminds_the_officer_once_a_day_until_removal_is_recorded():
    letter_case, request = sent_request()
    letter_case.case.assigned_officer = letter_case.officer
    letter_case.case.save()

    def reminders():
        return OutboxMessage.objects.filter(template="takedown_follow_up", to=letter_case.officer.email)

    assert takedown_follow_up(today=DUE) == 0  # due today is not overdue
    assert takedown_follow_up(today=date(2026, 6, 1)) == 1
    assert takedown_follow_up(today=date(2026, 6, 1)) == 0  # once a day
    request.refresh_from_db()
    assert request.status == TakedownStatus.OVERDUE
    assert reminders().count() == 1
    assert "29 May 2026" in reminders().get().context["due_on"]

    assert takedown_follow_up(today=date(2026, 6, 2)) == 1
    takedown_request_record_removed(
        request=request, seen_gone_on=date(2026, 6, 2), now=timezone.make_aware(datetime(2026, 6, 2, 12, 0))
    )
    assert takedown_follow_up(today=date(2026, 6, 3)) == 0
    assert reminders().count() == 2


def test_the_follow_up_runs_daily_from_celery_beat():
    from complaints.tasks import takedown_follow_up as task

    entry = settings.CELERY_BEAT_SCHEDULE["takedown-follow-up"]
    assert entry["task"] == task.name == "complaints.tasks.takedown_follow_up"
    letter_case, request = sent_request()
    TakedownRequest.objects.filter(pk=request.pk).update(due_on=timezone.localdate() - timedelta(days=1))

    assert task.apply().get() == 1
    assert task.apply().get() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_follow_ups_at_once_send_one_reminder():
    letter_case, request = sent_request()
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(takedown_follow_up(today=date(2026, 6, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0, 1]
    assert OutboxMessage.objects.filter(template="takedown_follow_up").count() == 1
