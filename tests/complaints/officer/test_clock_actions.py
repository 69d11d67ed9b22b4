"""Pausing and restarting a case's clock from the case page, over HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from complaints.models import Deadline, Event, EventKind
from complaints.services.clocks import clock_start
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(world):
    case = world["cases"]["northmoor"]
    return clock_start(case, "assessment", start=date(2026, 11, 2))


def pause_url(clock):
    return f"/officer/cases/{clock.case.reference}/clocks/{clock.pk}/pause/"


def resume_url(clock):
    return f"/officer/cases/{clock.case.reference}/clocks/{clock.pk}/resume/"


def test_the_case_page_offers_to_pause_a_running_clock(client, world, clock):
    sign_in(client, world["users"]["case_officer"])
    html = client.get(f"/officer/cases/{clock.case.reference}/").content.decode()
    assert f'href="{pause_url(clock)}"' in html


def test_an_officer_pauses_a_clock_with_a_reason_and_the_timeline_records_it(client, world, clock):
    sign_in(client, world["users"]["case_officer"])
    assert client.get(pause_url(clock)).status_code == 200
    response = client.post(pause_url(clock), {"reason": "Waiting for the complainant's reply"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/officer/cases/{clock.case.reference}/#deadlines")
    clock.refresh_from_db()
    assert clock.paused_at is not None
    assert clock.pause_reason == "Waiting for the complainant's reply"
    event = Event.objects.filter(case=clock.case, kind=EventKind.CLOCK_PAUSED).get()
    assert event.actor == world["users"]["case_officer"]
    html = client.get(f"/officer/cases/{clock.case.reference}/").content.decode()
    assert "Paused since" in html
    assert f'action="{resume_url(clock)}"' in html


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter why the clock is paused"),
        ("x" * 201, "Why the clock is paused must be 200 characters or fewer"),
    ],
)
def test_a_pause_without_a_usable_reason_is_refused_with_a_message_and_changes_nothing(
    client, world, clock, reason, message
):
    sign_in(client, world["users"]["case_officer"])
    response = client.post(pause_url(clock), {"reason": reason})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(message) == 2  # the error summary and the message by the field
    clock.refresh_from_db()
    assert clock.paused_at is None


def test_restarting_moves_the_due_date_by_the_working_days_paused(client, world, clock):
    sign_in(client, world["users"]["mo"])
    client.post(pause_url(clock), {"reason": "Waiting for a police decision"})
    due_before = Deadline.objects.get(pk=clock.pk).due_on
    # Paused a week ago: five working days pass while it waits.
    Deadline.objects.filter(pk=clock.pk).update(paused_at=timezone.now() - timedelta(days=7))
    response = client.post(resume_url(clock))
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.paused_at is None
    assert clock.due_on > due_before
    assert "Waiting for a police decision" in clock.computation
    assert Event.objects.filter(case=clock.case, kind=EventKind.CLOCK_RESUMED).count() == 1


def test_a_clock_already_paused_is_not_paused_twice(client, world, clock):
    sign_in(client, world["users"]["case_officer"])
    client.post(pause_url(clock), {"reason": "Waiting"})
    response = client.post(pause_url(clock), {"reason": "Again"})
    assert response.status_code == 400
    assert "This clock is already paused." in response.content.decode()
    assert Event.objects.filter(case=clock.case, kind=EventKind.CLOCK_PAUSED).count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_council_officer", 404),
        ("conflicted_officer", 404),
        ("committee_member", 404),
        ("independent_person", 403),
        ("no_role", 403),
    ],
)
def test_only_officers_who_may_change_the_case_can_pause_its_clock(client, world, clock, who, status):
    sign_in(client, world["users"][who])
    assert client.post(pause_url(clock), {"reason": "Waiting"}).status_code == status
    assert client.post(resume_url(clock)).status_code == status
    clock.refresh_from_db()
    assert clock.paused_at is None


def test_a_clock_of_another_case_is_not_found_through_this_case(client, world, clock):
    other = clock_start(world["cases"]["parish"], "assessment", start=date(2026, 11, 2))
    sign_in(client, world["users"]["mo"])
    url = f"/officer/cases/{clock.case.reference}/clocks/{other.pk}/pause/"
    assert client.post(url, {"reason": "Waiting"}).status_code == 404
