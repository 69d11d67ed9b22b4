"""case_stage_set: the one way a case's stage changes, always with one STAGE_CHANGED event."""

from datetime import UTC, datetime

import pytest

from complaints.models import Case, Event, EventKind, Stage
from complaints.services.cases import case_stage_set
from tests.complaints.test_admin_history import admin_events, post_change

pytestmark = pytest.mark.django_db
PAST = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def case(world):
    return world["cases"]["northmoor"]


def test_it_writes_the_stage_and_one_event_saying_from_what_to_what(case, world):
    mo = world["users"]["mo"]
    case_stage_set(case=case, stage=Stage.ASSESSMENT, actor=mo, details={"reason": "Member replied"})

    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    [event] = Event.objects.filter(case=case, kind=EventKind.STAGE_CHANGED)
    assert event.actor == mo
    assert event.details == {"reason": "Member replied", "from": "received", "to": "assessment"}
    assert event.description == "Stage changed from Received to Initial assessment"


def test_imported_history_keeps_the_time_it_happened(case):
    case_stage_set(case=case, stage=Stage.ACKNOWLEDGED, actor=None, at=PAST)
    event = Event.objects.get(case=case, kind=EventKind.STAGE_CHANGED)
    assert event.created_at == PAST
    assert event.actor_label == "System"


def test_closing_stamps_closed_at_and_reopening_clears_it(case, world):
    case_stage_set(case=case, stage=Stage.CLOSED, actor=world["users"]["mo"], at=PAST)
    case.refresh_from_db()
    assert case.closed_at == PAST
    case_stage_set(case=case, stage=Stage.REVIEW, actor=world["users"]["mo"])
    case.refresh_from_db()
    assert case.stage == Stage.REVIEW and case.closed_at is None
    assert Event.objects.filter(case=case, kind=EventKind.STAGE_CHANGED).count() == 2


def test_setting_the_stage_a_case_is_at_records_nothing(case, world):
    case_stage_set(case=case, stage=Stage.RECEIVED, actor=world["users"]["mo"])
    assert not Event.objects.filter(case=case).exists()


def test_an_unknown_stage_is_refused(case, world):
    with pytest.raises(ValueError, match="Unknown stage"):
        case_stage_set(case=case, stage="limbo", actor=world["users"]["mo"])
    assert Case.objects.get(pk=case.pk).stage == Stage.RECEIVED


def test_a_stage_change_in_the_admin_is_one_stage_changed_event_with_every_change(demo, admin_client):
    case = Case.objects.filter(stage=Stage.RECEIVED).first()
    before = case.events.count()
    post_change(admin_client, case, stage=Stage.CLOSED, outcome="withdrawn")

    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closed_at is not None
    new = list(case.events.order_by("sequence"))[before:]
    assert [event.kind for event in new] == [EventKind.STAGE_CHANGED]
    assert new[0].details["changes"]["stage"] == {"old": "received", "new": "closed"}
    assert new[0].details["changes"]["outcome"] == {"old": "", "new": "withdrawn"}
    assert new[0].details["from"] == "received" and new[0].details["to"] == "closed"
    assert admin_events(case)[-1] == new[0]


def test_other_admin_edits_of_a_case_stay_a_case_updated_event(demo, admin_client):
    case = Case.objects.filter(stage=Stage.RECEIVED).first()
    post_change(admin_client, case, title="A clearer title")
    assert admin_events(case)[-1].kind == EventKind.CASE_UPDATED
