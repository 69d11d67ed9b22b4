"""The deadline sweep: one reminder before a clock is due, one escalation once it is overdue."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from complaints import roles
from complaints.models import Case, Deadline, DeadlineKind, EventKind, OfficerProfile, OutboxMessage, Stage
from complaints.services.deadline_sweep import deadline_sweep
from tests.factories import make_district, make_parish

OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def council(db):
    return make_district()


@pytest.fixture
def monitoring_officer(council):
    user = User.objects.create_user("mo", email="mo@example.gov.uk", first_name="Rachel", last_name="Adeyemi")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


@pytest.fixture
def officer(council):
    user = User.objects.create_user("officer", email="officer@example.gov.uk", first_name="Sam", last_name="Case")
    user.groups.add(Group.objects.get(name=roles.CASE_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


def _clock(
    authority,
    due_on: date,
    *,
    number=1,
    officer=None,
    kind=DeadlineKind.ASSESSMENT,
    starts_on=date(2026, 12, 1),
    **fields,
) -> Deadline:
    case = Case.objects.create(
        reference=f"MO-2026-{number:05d}", authority=authority, opened_at=OPENED, assigned_officer=officer
    )
    return Deadline.objects.create(
        case=case, kind=kind, starts_on=starts_on, working_days=20, due_on=due_on, computation="test", **fields
    )


def _messages(template):
    return list(OutboxMessage.objects.filter(template=template))


def test_the_officer_is_reminded_two_working_days_ahead_counting_past_new_year(council, officer, settings):
    settings.REMINDER_WORKING_DAYS = 2
    clock = _clock(council, date(2027, 1, 4), officer=officer)  # Monday after New Year's Day
    # 29 Dec: two working days ahead is 31 Dec, so not yet.
    assert deadline_sweep(today=date(2026, 12, 29)).reminders == 0
    # 30 Dec: 31 Dec, (1 Jan bank holiday, weekend), 4 Jan: inside the window.
    assert deadline_sweep(today=date(2026, 12, 30)).reminders == 1
    [message] = _messages("deadline_reminder")
    assert message.to == "officer@example.gov.uk"
    assert message.case_id == clock.case_id
    assert "4 January 2027" in message.context["due_on"]
    event = clock.case.events.get(kind=EventKind.REMINDER_SENT)
    assert event.details["message"] == str(message.public_id)
    clock.refresh_from_db()
    assert clock.reminder_claimed_at is not None


def test_a_clock_is_reminded_once_however_often_the_sweep_runs(council, officer):
    _clock(council, date(2027, 1, 4), officer=officer)
    results = [deadline_sweep(today=date(2026, 12, 31)) for _ in range(3)]
    assert [r.reminders for r in results] == [1, 0, 0]
    assert len(_messages("deadline_reminder")) == 1


def test_an_overdue_clock_is_escalated_to_the_monitoring_officer_once(council, officer, monitoring_officer):
    clock = _clock(council, date(2027, 1, 4), officer=officer)
    assert deadline_sweep(today=date(2027, 1, 4)).escalations == 0  # due today is not overdue
    assert deadline_sweep(today=date(2027, 1, 5)).escalations == 1
    assert deadline_sweep(today=date(2027, 1, 6)).escalations == 0
    [message] = _messages("deadline_escalation")
    assert message.to == "mo@example.gov.uk"
    assert message.context["days_overdue"] == 1
    assert clock.case.events.filter(kind=EventKind.DEADLINE_ESCALATED).count() == 1


def test_a_parish_case_escalates_to_its_principal_councils_monitoring_officer(council, monitoring_officer):
    _clock(make_parish(council), date(2027, 1, 4))
    deadline_sweep(today=date(2027, 1, 8))
    assert [m.to for m in _messages("deadline_escalation")] == ["mo@example.gov.uk"]


def test_with_nobody_assigned_the_reminder_goes_to_the_monitoring_officer_or_the_council_address(council, settings):
    settings.COUNCIL_CONTACT_EMAIL = "standards@northmoor.example"
    _clock(council, date(2027, 1, 4))
    deadline_sweep(today=date(2027, 1, 4))
    assert [m.to for m in _messages("deadline_reminder")] == ["standards@northmoor.example"]


def test_met_paused_and_closed_clocks_are_left_alone(council, officer):
    _clock(council, date(2027, 1, 4), number=1, officer=officer, met_at=OPENED)
    _clock(council, date(2027, 1, 4), number=2, officer=officer, paused_at=OPENED)
    closed = _clock(council, date(2027, 1, 4), number=3, officer=officer)
    Case.objects.filter(pk=closed.case_id).update(stage=Stage.CLOSED, closed_at=OPENED)
    result = deadline_sweep(today=date(2027, 1, 20))
    assert (result.reminders, result.escalations) == (0, 0)
    assert not OutboxMessage.objects.exists()


def test_a_clock_claimed_by_another_sweep_meanwhile_is_skipped(council, officer, monkeypatch):
    """The claim is a conditional update: if another sweep claimed the clock after this one read
    it, no second message is queued."""
    from complaints.services import deadline_sweep as module

    clock = _clock(council, date(2027, 1, 4), officer=officer)
    real_batches = module._batches

    def read_then_lose_the_race(queryset):
        for rows in real_batches(queryset):
            Deadline.objects.filter(pk=clock.pk).update(reminder_claimed_at=OPENED)
            yield rows

    monkeypatch.setattr(module, "_batches", read_then_lose_the_race)
    assert deadline_sweep(today=date(2026, 12, 31)).reminders == 0
    assert not OutboxMessage.objects.exists()


def test_the_sweep_reads_candidates_in_batches(council, officer, monkeypatch):
    from complaints.services import deadline_sweep as module

    monkeypatch.setattr(module, "BATCH", 2)
    for number in range(1, 6):
        _clock(council, date(2027, 1, 4), number=number, officer=officer)
    assert deadline_sweep(today=date(2026, 12, 31)).reminders == 5
    assert len(_messages("deadline_reminder")) == 5


def test_run_task_sweep_runs_it_once_from_the_command_line(council, officer, capsys):
    _clock(council, date(2020, 1, 6), officer=officer, starts_on=date(2020, 1, 2))
    call_command("run_task", "sweep")
    assert "Queued 0 reminder(s) and 1 escalation(s)." in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_case_busy_in_another_transaction_is_skipped_without_waiting_and_reminded_next_time(officer, council):
    import threading
    import time

    from django.db import connections, transaction

    clock = _clock(council, date(2027, 1, 4), officer=officer)
    locked, release = threading.Event(), threading.Event()

    def hold_the_case():
        try:
            with transaction.atomic():
                list(Case.objects.select_for_update().filter(pk=clock.case_id))
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_case)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        assert deadline_sweep(today=date(2026, 12, 31)).reminders == 0
        assert time.monotonic() - started < 5  # it did not wait for the lock
    finally:
        release.set()
        holder.join(10)
    assert deadline_sweep(today=date(2026, 12, 31)).reminders == 1
