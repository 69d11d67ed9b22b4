"""Clocks: started once with their sentence, with each principal council's own time limits;
paused and resumed with a reason; recomputed, on request, after a closure day is added, moving
only open clocks and recording each move."""

import io
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Case,
    ClosureDay,
    Deadline,
    DeadlineKind,
    Event,
    EventKind,
    OfficerProfile,
    Stage,
    TimeLimit,
)
from complaints.services.clocks import (
    ClockError,
    clock_pause,
    clock_resume,
    clock_start,
    clocks_recompute,
    clocks_recompute_preview,
)
from tests.complaints.conftest import admin_url
from tests.complaints.officer.signin import sign_in
from tests.factories import make_district, make_parish

pytestmark = pytest.mark.django_db

XMAS_START = date(2026, 12, 23)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_case(authority, number=1, stage=Stage.ACKNOWLEDGED) -> Case:
    return Case.objects.create(
        reference=f"MO-2026-{number:05d}",
        authority=authority,
        stage=stage,
        opened_at=datetime(2026, 12, 1, tzinfo=UTC),
        closed_at=datetime(2026, 12, 2, tzinfo=UTC) if stage == Stage.CLOSED else None,
    )


@pytest.fixture
def northmoor():
    return make_district()


def test_a_clock_is_due_when_the_default_limit_says_and_stores_its_sentence(northmoor):
    case = make_case(northmoor)
    clock = clock_start(case, DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    assert (clock.working_days, clock.due_on) == (5, date(2027, 1, 4))
    assert clock.computation.startswith(
        "5 working days from Wed 23 Dec 2026, excluding weekends, England and Wales bank holidays and the council's"
        " closure days: due Mon 4 Jan 2027."
    )
    event = Event.objects.get(case=case, kind=EventKind.DEADLINE_SET)
    assert event.details["computation"] == clock.computation


@pytest.mark.parametrize(
    ("kind", "days", "counting"),
    [
        (DeadlineKind.ACKNOWLEDGE, 5, "working"),
        (DeadlineKind.MEMBER_RESPONSE, 10, "working"),
        (DeadlineKind.FURTHER_INFORMATION, 15, "working"),
        (DeadlineKind.ASSESSMENT, 20, "working"),
        (DeadlineKind.DECISION_NOTICE, 5, "working"),
        (DeadlineKind.TAKEDOWN, 5, "working"),
        (DeadlineKind.INVESTIGATION, 120, "working"),
        (DeadlineKind.HEARING, 20, "working"),
        (DeadlineKind.REVIEW_WINDOW, 7, "calendar"),
    ],
)
def test_every_kind_of_clock_has_a_default_limit(northmoor, kind, days, counting):
    clock = clock_start(make_case(northmoor), kind, start=date(2026, 6, 1))
    assert (clock.working_days, clock.counting) == (days, counting)


def test_further_information_is_flagged_for_closure_when_it_runs_out(northmoor):
    case = make_case(northmoor)
    clock_start(case, DeadlineKind.FURTHER_INFORMATION, start=date(2026, 6, 1))
    assert Event.objects.get(case=case, kind=EventKind.DEADLINE_SET).details["flag_for_closure"] is True


def test_a_principal_councils_own_limit_applies_to_it_and_its_parishes_but_not_to_others(northmoor):
    parish = make_parish(northmoor)
    other = make_district(name="Southshire District Council", slug="southshire")
    TimeLimit.objects.create(authority=northmoor, kind=DeadlineKind.ASSESSMENT, days=30)
    assert clock_start(make_case(northmoor, 1), DeadlineKind.ASSESSMENT, start=date(2026, 6, 1)).working_days == 30
    assert clock_start(make_case(parish, 2), DeadlineKind.ASSESSMENT, start=date(2026, 6, 1)).working_days == 30
    assert clock_start(make_case(other, 3), DeadlineKind.ASSESSMENT, start=date(2026, 6, 1)).working_days == 20


def test_a_paused_clock_moves_by_the_working_days_it_was_paused_and_says_so(northmoor):
    case = make_case(northmoor)
    officer = get_user_model().objects.create_user("officer", first_name="Casey", last_name="Officer")
    clock = clock_start(case, DeadlineKind.ASSESSMENT, start=date(2026, 11, 2))
    assert clock.due_on == date(2026, 11, 30)
    clock = clock_pause(clock, "Waiting for the complainant", officer, now=at(date(2026, 11, 5)))
    assert clock.paused_at is not None and clock.pause_reason == "Waiting for the complainant"
    # Paused Thursday 5 Nov, restarted Thursday 12 Nov: Fri, Mon, Tue, Wed, Thu = 5 working days.
    clock = clock_resume(clock, officer, now=at(date(2026, 11, 12)))
    assert clock.paused_at is None
    assert clock.paused_days == 5
    assert clock.due_on == date(2026, 12, 7)
    assert clock.computation.endswith(
        "Paused from Thu 5 Nov 2026 to Thu 12 Nov 2026 (Waiting for the complainant): 5 working days added,"
        " so due Mon 7 Dec 2026."
    )
    paused, resumed = Event.objects.filter(case=case, kind__in=[EventKind.CLOCK_PAUSED, EventKind.CLOCK_RESUMED])
    assert paused.kind == EventKind.CLOCK_PAUSED and paused.details["reason"] == "Waiting for the complainant"
    assert paused.actor == officer
    assert resumed.details["days_added"] == 5 and resumed.details["due_on"] == "2026-12-07"


def test_a_pause_over_christmas_adds_only_working_days(northmoor):
    clock = clock_start(make_case(northmoor), DeadlineKind.MEMBER_RESPONSE, start=date(2026, 12, 14))
    assert clock.due_on == date(2026, 12, 30)  # 10 working days, Christmas and Boxing Day substitute skipped
    clock = clock_pause(clock, "Waiting for a police decision", now=at(date(2026, 12, 23)))
    clock = clock_resume(clock, now=at(date(2027, 1, 4)))
    # Thu 24, Tue 29, Wed 30, Thu 31 Dec, Mon 4 Jan.
    assert clock.paused_days == 5
    assert clock.due_on == date(2027, 1, 7)  # Thu 31 Dec, Mon 4 to Thu 7 Jan


def test_a_clock_cannot_be_paused_twice_without_a_reason_or_once_met(northmoor):
    clock = clock_start(make_case(northmoor), DeadlineKind.ASSESSMENT, start=date(2026, 11, 2))
    with pytest.raises(ClockError):
        clock_pause(clock, "  ")
    clock_pause(clock, "Waiting for the complainant")
    with pytest.raises(ClockError):
        clock_pause(clock, "Again")
    clock_resume(clock)
    with pytest.raises(ClockError):
        clock_resume(clock)
    Deadline.objects.filter(pk=clock.pk).update(met_at=timezone.now())
    with pytest.raises(ClockError):
        clock_pause(clock, "Too late")


def test_a_recomputation_moves_only_open_clocks_and_records_each_move(northmoor):
    parish = make_parish(northmoor)
    other = make_district(name="Southshire District Council", slug="southshire")
    open_clock = clock_start(make_case(northmoor, 1), DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    parish_clock = clock_start(make_case(parish, 2), DeadlineKind.ASSESSMENT, start=XMAS_START)
    met_clock = clock_start(make_case(northmoor, 3), DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    Deadline.objects.filter(pk=met_clock.pk).update(met_at=timezone.now())
    closed_case = make_case(northmoor, 4)
    closed_clock = clock_start(closed_case, DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    Case.objects.filter(pk=closed_case.pk).update(stage=Stage.CLOSED, closed_at=timezone.now())
    other_clock = clock_start(make_case(other, 5), DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    untouched = clock_start(make_case(northmoor, 6), DeadlineKind.ACKNOWLEDGE, start=date(2027, 2, 1))

    ClosureDay.objects.create(authority=northmoor, day=date(2026, 12, 24), reason="Christmas shutdown")
    ClosureDay.objects.create(authority=northmoor, day=date(2026, 12, 29), reason="Christmas shutdown")
    preview = clocks_recompute_preview(authority=northmoor)
    assert {move.deadline.pk for move in preview} == {open_clock.pk, parish_clock.pk}
    first = next(move for move in preview if move.deadline.pk == open_clock.pk)
    assert (first.due_before, first.due_after, first.working_days_moved) == (date(2027, 1, 4), date(2027, 1, 6), 2)
    assert Deadline.objects.get(pk=open_clock.pk).due_on == date(2027, 1, 4)  # a preview changes nothing

    moved = clocks_recompute(authority=northmoor)
    assert len(moved) == 2
    open_clock.refresh_from_db()
    assert open_clock.due_on == date(2027, 1, 6)
    assert "council closure day (Christmas shutdown) (Thu 24 Dec 2026)" in open_clock.computation
    for clock in (met_clock, closed_clock, other_clock):
        clock.refresh_from_db()
        assert clock.due_on == date(2027, 1, 4)
    untouched.refresh_from_db()
    assert untouched.due_on == date(2027, 2, 8)
    events = Event.objects.filter(kind=EventKind.CLOCK_RECOMPUTED)
    assert sorted(e.case.reference for e in events) == ["MO-2026-00001", "MO-2026-00002"]
    event = events.get(case__reference="MO-2026-00001")
    assert event.details["due_before"] == "2027-01-04" and event.details["due_on"] == "2027-01-06"
    assert "(2 working days later)" in event.description
    assert clocks_recompute(authority=northmoor) == []  # nothing left to move


def test_a_recomputation_keeps_the_working_days_a_clock_was_paused(northmoor):
    clock = clock_start(make_case(northmoor), DeadlineKind.ASSESSMENT, start=date(2026, 11, 2))
    clock = clock_pause(clock, "Waiting for the complainant", now=at(date(2026, 11, 5)))
    clock = clock_resume(clock, now=at(date(2026, 11, 12)))
    ClosureDay.objects.create(authority=northmoor, day=date(2026, 11, 16))
    (move,) = clocks_recompute(authority=northmoor)
    assert move.due_after == date(2026, 12, 8)
    clock.refresh_from_db()
    assert "plus 5 working days while the clock was paused (Waiting for the complainant" in clock.computation


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def sysadmin():
    return get_user_model().objects.create_superuser("sysadmin", "sysadmin@example.gov.uk", "pw")


@pytest.fixture
def monitoring_officer(northmoor):
    roles.roles_apply()
    user = get_user_model().objects.create_user("mo", password="pw", is_staff=True, first_name="Morgan")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=northmoor)
    return user


def test_a_closure_day_added_in_the_admin_offers_a_preview_then_moves_the_open_clocks(
    client, sysadmin, monitoring_officer, northmoor
):
    clock = clock_start(make_case(northmoor), DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    sign_in(client, sysadmin)
    response = client.post(
        admin_url(ClosureDay, "add"),
        {"authority": northmoor.pk, "day": "24/12/2026", "reason": "Christmas shutdown"},
        follow=True,
    )
    assert response.status_code == 200
    recompute = admin_url(ClosureDay, "recompute", northmoor.pk)
    assert recompute.encode() in response.content
    assert ClosureDay.objects.get().created_by == sysadmin

    sign_in(client, monitoring_officer)
    preview = client.get(recompute)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "MO-2026-00001" in text and "Mon 4 Jan 2027" in text and "Tue 5 Jan 2027" in text
    assert "1 working day later" in text
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 1, 4)

    done = client.post(recompute, follow=True)
    assert done.status_code == 200
    assert "1 open clock(s) of Northmoor District Council recomputed" in done.content.decode()
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 1, 5)
    event = Event.objects.get(kind=EventKind.CLOCK_RECOMPUTED, case=clock.case)
    assert event.actor == monitoring_officer


def test_the_recomputation_reaches_only_cases_the_officer_may_see(client, monitoring_officer, northmoor):
    other = make_district(name="Southshire District Council", slug="southshire")
    theirs = clock_start(make_case(other, 7), DeadlineKind.ACKNOWLEDGE, start=XMAS_START)
    ClosureDay.objects.create(authority=other, day=date(2026, 12, 24))
    sign_in(client, monitoring_officer)
    recompute = admin_url(ClosureDay, "recompute", other.pk)
    assert "No open clock would move" in client.get(recompute).content.decode()
    client.post(recompute)
    theirs.refresh_from_db()
    assert theirs.due_on == date(2027, 1, 4)


def test_a_closure_day_cannot_be_given_to_a_parish_council(client, sysadmin, northmoor):
    parish = make_parish(northmoor)
    sign_in(client, sysadmin)
    response = client.post(admin_url(ClosureDay, "add"), {"authority": parish.pk, "day": "24/12/2026"})
    assert response.status_code == 200  # the form again, with an error
    assert not ClosureDay.objects.exists()


def test_the_recomputation_page_is_refused_to_staff_without_permission(client, northmoor):
    staff = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    sign_in(client, staff)
    assert client.get(admin_url(ClosureDay, "recompute", northmoor.pk)).status_code == 403


def test_the_closure_days_setting_is_a_seed_loaded_into_each_principal_council(settings, northmoor):
    make_parish(northmoor)
    settings.COUNCIL_CLOSURE_DAYS = ["2026-12-24", "2026-12-29"]
    out = io.StringIO()
    call_command("closure_days_load", stdout=out)
    assert "2 closure day(s) added." in out.getvalue()
    assert sorted(ClosureDay.objects.values_list("authority__slug", "day")) == [
        ("northmoor", date(2026, 12, 24)),
        ("northmoor", date(2026, 12, 29)),
    ]
    call_command("closure_days_load", stdout=io.StringIO())
    assert ClosureDay.objects.count() == 2
