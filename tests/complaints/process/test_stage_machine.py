"""The stage machine (complaints/process.py) as a table, and the gate every action goes through,
shown with the assign action over HTTP: wrong stage, wrong role, conflicted officer, stale form."""

from __future__ import annotations

import pytest

from complaints.models import Case, Event, EventKind, Stage
from complaints.process import TABLE, Action, actions_allowed
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db

S = Stage
# Where each action may be taken: the expected table, written out, not read from the code.
EXPECTED_STAGES = {
    Action.ASSIGN: {
        S.RECEIVED,
        S.ACKNOWLEDGED,
        S.MEMBER_COMMENT,
        S.FURTHER_INFORMATION,
        S.ASSESSMENT,
        S.INFORMAL_RESOLUTION,
        S.INVESTIGATION,
        S.HEARING,
        S.REVIEW,
    },
    Action.ACKNOWLEDGE: {S.RECEIVED},
    Action.DECLARE_CONFLICT: {
        S.RECEIVED,
        S.ACKNOWLEDGED,
        S.MEMBER_COMMENT,
        S.FURTHER_INFORMATION,
        S.ASSESSMENT,
        S.INFORMAL_RESOLUTION,
        S.INVESTIGATION,
        S.HEARING,
        S.REVIEW,
    },
    Action.REQUEST_INFORMATION: {S.RECEIVED, S.ACKNOWLEDGED, S.MEMBER_COMMENT, S.ASSESSMENT},
    Action.RECORD_INFORMATION: {S.FURTHER_INFORMATION},
    Action.INVITE_MEMBER: {S.RECEIVED, S.ACKNOWLEDGED, S.ASSESSMENT},
    Action.RECORD_MEMBER_RESPONSE: {S.MEMBER_COMMENT},
    Action.CONSULT_IP: {
        S.ACKNOWLEDGED,
        S.MEMBER_COMMENT,
        S.FURTHER_INFORMATION,
        S.ASSESSMENT,
        S.INVESTIGATION,
        S.HEARING,
        S.REVIEW,
    },
    Action.RECORD_ASSESSMENT: {S.ACKNOWLEDGED, S.MEMBER_COMMENT, S.ASSESSMENT},
    Action.DECIDE: {S.ASSESSMENT},
    Action.RECORD_INFORMAL_STEP: {S.INFORMAL_RESOLUTION},
    Action.RECORD_INVESTIGATION_REPORT: {S.INVESTIGATION},
    Action.RECORD_HEARING: {S.HEARING},
    Action.REQUEST_REVIEW: {S.CLOSED},
    Action.DECIDE_REVIEW: {S.REVIEW},
    Action.CLOSE: {
        S.RECEIVED,
        S.ACKNOWLEDGED,
        S.MEMBER_COMMENT,
        S.FURTHER_INFORMATION,
        S.ASSESSMENT,
        S.INFORMAL_RESOLUTION,
        S.INVESTIGATION,
        S.HEARING,
        S.REVIEW,
    },
    Action.REOPEN: {S.CLOSED},
    Action.UNLINK: {
        S.RECEIVED,
        S.ACKNOWLEDGED,
        S.MEMBER_COMMENT,
        S.FURTHER_INFORMATION,
        S.ASSESSMENT,
        S.INFORMAL_RESOLUTION,
        S.INVESTIGATION,
        S.HEARING,
        S.REVIEW,
    },
}
EXPECTED_NEXT = {
    Action.ACKNOWLEDGE: (S.ACKNOWLEDGED,),
    Action.REQUEST_INFORMATION: (S.FURTHER_INFORMATION,),
    Action.RECORD_INFORMATION: (S.ASSESSMENT,),
    Action.INVITE_MEMBER: (S.MEMBER_COMMENT,),
    Action.RECORD_MEMBER_RESPONSE: (S.ASSESSMENT,),
    Action.RECORD_ASSESSMENT: (S.ASSESSMENT,),
    Action.DECIDE: (S.CLOSED, S.INFORMAL_RESOLUTION, S.INVESTIGATION),
    Action.RECORD_INVESTIGATION_REPORT: (S.HEARING, S.CLOSED),
    Action.RECORD_HEARING: (S.CLOSED,),
    Action.REQUEST_REVIEW: (S.REVIEW,),
    Action.DECIDE_REVIEW: (S.CLOSED, S.ASSESSMENT),
    Action.CLOSE: (S.CLOSED,),
    Action.REOPEN: (S.ASSESSMENT,),
}


@pytest.mark.parametrize("action", list(Action))
def test_each_action_is_allowed_at_exactly_the_stages_of_the_table(action):
    assert set(TABLE[action].stages) == EXPECTED_STAGES[action]
    assert TABLE[action].next_stages == EXPECTED_NEXT.get(action)


# Who may take which action (by role), written out.
MO_ONLY = {Action.DECIDE, Action.RECORD_HEARING, Action.DECIDE_REVIEW, Action.CLOSE, Action.REOPEN}
ROLE_ACTIONS = {
    "mo": set(Action),
    "deputy": set(Action),
    "case_officer": set(Action) - MO_ONLY - {Action.RECORD_INVESTIGATION_REPORT},
    "investigator": {Action.RECORD_INVESTIGATION_REPORT},
    "independent_person": set(),
    "committee_member": set(),
    "system_administrator": set(),
    "no_role": set(),
}


@pytest.mark.parametrize("who", list(ROLE_ACTIONS))
def test_each_role_may_take_exactly_its_actions_at_some_stage(world, who):
    user = world["users"][who]
    case = world["cases"]["northmoor"]
    offered = set()
    for stage in Stage.values:
        case.stage = stage
        offered |= set(actions_allowed(case, user))
    assert offered == ROLE_ACTIONS[who]


def assign_url(case):
    return f"/officer/cases/{case.reference}/actions/assign/"


def test_the_case_page_offers_only_the_actions_the_table_allows(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert f'href="{assign_url(case)}"' in html
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert f'href="{assign_url(case)}"' not in html


def test_an_officer_assigns_the_case_and_the_timeline_records_it(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    form = client.get(assign_url(case))
    assert form.status_code == 200
    assert 'name="version" value="0"' in form.content.decode()
    action_form = form.content.decode().split('<form method="post" novalidate>')[1].split("</form>")[0]
    assert action_form.count('name="csrfmiddlewaretoken"') == 1
    response = client.post(assign_url(case), {"version": 0, "officer": "deputy"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_officer == world["users"]["deputy"]
    assert case.version == 1
    event = Event.objects.filter(case=case, kind=EventKind.CASE_UPDATED).last()
    assert event.actor == world["users"]["case_officer"] and "Assigned to Deputy Test" in event.description


def test_a_stale_form_is_refused_and_shown_again_with_what_was_chosen(client, world):
    case = world["cases"]["northmoor"]
    Case.objects.filter(pk=case.pk).update(version=3)
    sign_in(client, world["users"]["case_officer"])
    response = client.post(assign_url(case), {"version": 2, "officer": "deputy"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else changed this case while you were working on it" in html
    assert "govuk-error-summary" in html
    assert '<option value="deputy" selected>' in html
    case.refresh_from_db()
    assert case.assigned_officer is None and case.version == 3


def test_an_action_at_a_stage_that_does_not_allow_it_is_refused_and_changes_nothing(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, closed_at="2026-11-03T10:00:00Z")
    response = client.post(assign_url(case), {"version": 0, "officer": "deputy"})
    assert response.status_code == 400
    assert "The case is at the closed stage, where you cannot assign or reassign the case" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_officer is None
    redirect = client.get(assign_url(case))
    assert redirect.status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("investigator", 404),
        ("independent_person", 403),
        ("committee_member", 404),
        ("conflicted_officer", 404),
        ("other_council_officer", 404),
    ],
)
def test_users_who_may_not_assign_are_refused(client, world, who, status):
    case = world["cases"]["northmoor"] if who != "investigator" else world["cases"]["parish"]
    sign_in(client, world["users"][who])
    response = client.post(assign_url(case), {"version": 0, "officer": "deputy"})
    expected = 403 if who == "investigator" else status
    assert response.status_code == expected
    case.refresh_from_db()
    assert case.assigned_officer is None


def test_an_officer_with_a_conflict_cannot_be_given_the_case(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["mo"])
    html = client.get(assign_url(case)).content.decode()
    assert 'value="conflicted"' not in html
    response = client.post(assign_url(case), {"version": 0, "officer": "conflicted"})
    assert response.status_code == 400
    assert "Select an officer from the list" in response.content.decode()


def test_a_tampered_version_is_an_error_at_the_top_of_the_form(client, world):
    case = world["cases"]["northmoor"]
    sign_in(client, world["users"]["case_officer"])
    response = client.post(assign_url(case), {"version": "x", "officer": "deputy"})
    assert response.status_code == 400
    assert "This form is out of date" in response.content.decode()
