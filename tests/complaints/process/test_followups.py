"""Loose ends of the process: the decision-notice clock is met by publishing the notice, and the
councillor complained about is told the outcome of every decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Deadline, DeadlineKind, Decision, Event, EventKind, Stage
from complaints.process import Action
from complaints.services.clocks import clock_start
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import action_url, at_stage, with_clauses

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = world["cases"]["northmoor"]
    with_clauses(case)
    return at_stage(case, Stage.ASSESSMENT)


def decide(client, case, **data):
    data = {"outcome": "no_further_action", "no_further_action_reason": "trivial", "reasons": "Trivial.", **data}
    return client.post(action_url(case, Action.DECIDE), {"version": case.version, **data})


def notice_url(decision: Decision, action: str = "") -> str:
    base = f"/officer/cases/{decision.case.reference}/decisions/{decision.public_id}/notice/"
    return base + (f"{action}/" if action else "")


def publish(client, decision: Decision):
    html = client.get(notice_url(decision)).content.decode()
    start = html.index('name="digest" value="') + len('name="digest" value="')
    return client.post(notice_url(decision, "publish"), {"digest": html[start : start + 64]})


# --- the decision-notice clock --------------------------------------------------------------------


def test_publishing_the_decision_notice_meets_the_decision_notice_clock(client, world, case):
    mo = world["users"]["mo"]
    sign_in(client, mo)
    assert decide(client, case).status_code == 302
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.DECISION_NOTICE)
    assert clock.met_at is None
    case.refresh_from_db()
    assert case.next_due_on is not None

    assert publish(client, Decision.objects.get(case=case)).status_code == 302

    clock.refresh_from_db()
    assert clock.met_at is not None
    met = Event.objects.get(case=case, kind=EventKind.CLOCK_MET, details__kind=DeadlineKind.DECISION_NOTICE)
    assert met.actor == mo and "Decision notice met: decision notice published" in met.description
    case.refresh_from_db()
    # The review window is the only clock left running on the closed case.
    assert list(Deadline.objects.filter(case=case, met_at__isnull=True).values_list("kind", flat=True)) == [
        DeadlineKind.REVIEW_WINDOW
    ]


def test_withdrawing_and_publishing_again_meets_the_clock_only_once(client, world, case):
    sign_in(client, world["users"]["mo"])
    assert decide(client, case).status_code == 302
    decision = Decision.objects.get(case=case)
    assert publish(client, decision).status_code == 302
    assert client.post(notice_url(decision, "withdraw"), {"reason": "A typo in the facts."}).status_code == 302
    assert publish(client, decision).status_code == 302

    met = Event.objects.filter(case=case, kind=EventKind.CLOCK_MET, details__kind=DeadlineKind.DECISION_NOTICE)
    assert met.count() == 1


def test_publishing_an_earlier_notice_leaves_a_later_decisions_clock_running(client, world, case):
    mo = world["users"]["mo"]
    sign_in(client, mo)
    assert decide(client, case).status_code == 302
    earlier = Decision.objects.get(case=case)
    Decision.objects.filter(pk=earlier.pk).update(decided_on=timezone.localdate() - timedelta(days=3))
    Deadline.objects.filter(case=case, kind=DeadlineKind.DECISION_NOTICE).update(
        starts_on=timezone.localdate() - timedelta(days=3)
    )
    later = clock_start(case, DeadlineKind.DECISION_NOTICE, start=timezone.localdate())

    assert publish(client, earlier).status_code == 302

    later.refresh_from_db()
    assert later.met_at is None
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.DECISION_NOTICE, met_at__isnull=False).count() == 1
