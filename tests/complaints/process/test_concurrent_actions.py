"""Two officers act on one case at the same moment, over HTTP against a live server: the case row
lock takes them one after the other, exactly one wins, and the other gets the form back with the
stale-form message and everything they typed.

Only on PostgreSQL: SQLite has no row locks (SELECT ... FOR UPDATE) and serialises writers on the
whole database, so the race this test is about cannot happen there."""

from __future__ import annotations

import threading

import pytest

from complaints.models import Case, Decision, Event, EventKind, Stage
from complaints.process import Action
from complaints.services.process import STALE_MESSAGE
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import action_url, at_stage
from tests.live_http import HttpClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def row_locks():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite has no row locks, so two actions on one case cannot race there")


def _signed_in(live_server, user) -> HttpClient:
    from django.test import Client

    return HttpClient.sharing_session_of(live_server.url, sign_in(Client(), user))


def _race(posts: list[tuple[HttpClient, str, dict]]) -> list:
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def send(index: int) -> None:
        http, path, data = posts[index]
        barrier.wait()
        responses[index] = http.post(path, data)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_two_decisions_posted_at_once_on_the_same_version_exactly_one_wins(live_server, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    mo = _signed_in(live_server, world["users"]["mo"])
    deputy = _signed_in(live_server, world["users"]["deputy"])
    url = action_url(case, Action.DECIDE)
    for http in (mo, deputy):
        page = http.get(url)
        assert page.status == 200 and 'name="version" value="0"' in page.text
    typed = {
        "mo": "Careful reasons typed by the Monitoring Officer",
        "deputy": "Careful reasons typed by the deputy",
    }
    responses = _race(
        [
            (mo, url, {"version": "0", "outcome": "police", "reasons": typed["mo"]}),
            (deputy, url, {"version": "0", "outcome": "withdrawn", "reasons": typed["deputy"]}),
        ]
    )
    statuses = sorted(response.status for response in responses)
    assert statuses == [302, 400], [r.text[:500] for r in responses]
    winner, loser = ("mo", "deputy") if responses[0].status == 302 else ("deputy", "mo")
    lost = responses[["mo", "deputy"].index(loser)].text
    assert STALE_MESSAGE.split(":")[0].replace("'", "&#x27;") in lost
    assert typed[loser] in lost and "govuk-error-summary" in lost
    assert Decision.objects.filter(case=case).count() == 1
    decision = Decision.objects.get(case=case)
    assert decision.reasons == typed[winner]
    case.refresh_from_db()
    assert case.version == 1 and case.stage == Stage.CLOSED
    assert Event.objects.filter(case=case, kind=EventKind.DECISION_RECORDED).count() == 1


def test_a_decision_and_a_closure_posted_at_once_exactly_one_wins(live_server, world):
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    mo = _signed_in(live_server, world["users"]["mo"])
    deputy = _signed_in(live_server, world["users"]["deputy"])
    decide_url, close_url = action_url(case, Action.DECIDE), action_url(case, Action.CLOSE)
    mo.ensure_csrf(decide_url)
    deputy.ensure_csrf(close_url)
    responses = _race(
        [
            (mo, decide_url, {"version": "0", "outcome": "police", "reasons": "Referred: typed by the MO"}),
            (deputy, close_url, {"version": "0", "reason": "Closed: typed by the deputy"}),
        ]
    )
    assert sorted(response.status for response in responses) == [302, 400]
    loser = next(response for response in responses if response.status == 400)
    assert "Someone else changed this case while you were working on it" in loser.text
    typed = "Referred: typed by the MO" if responses[0].status == 400 else "Closed: typed by the deputy"
    assert typed in loser.text
    case.refresh_from_db()
    assert case.version == 1 and case.stage == Stage.CLOSED
    closed = Event.objects.filter(case=case, kind=EventKind.CASE_CLOSED).count()
    decided = Decision.objects.filter(case=case).count()
    assert closed + decided == 1
    assert Case.objects.get(pk=case.pk).outcome == ("police" if decided else "")
