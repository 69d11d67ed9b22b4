"""The stage machine of the complaints process: one table, read by the services, the case page and
the tests.

Each row says, for one action: the stages a case may be at for it, the permission a user needs
for it (roles carry permissions, complaints/roles.py), and the stage the case moves to. An action
whose next stage depends on what the officer chose (a decision, a review) names the possible
stages; its service picks one of them. `None` as the next stage means the stage does not change.

The case page offers only the actions `actions_allowed` returns; every action's service calls
`complaints.services.process.action_begin`, which refuses anything the table does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from complaints.models import Stage


class Action(models.TextChoices):
    ASSIGN = "assign", "Assign or reassign the case"
    ACKNOWLEDGE = "acknowledge", "Record the acknowledgement"
    DECLARE_CONFLICT = "declare_conflict", "Declare a conflict of interest"
    REQUEST_INFORMATION = "request_information", "Ask the complainant for more information"
    RECORD_INFORMATION = "record_information", "Record the complainant's answer"
    INVITE_MEMBER = "invite_member", "Invite the councillor's comments"
    RECORD_MEMBER_RESPONSE = "record_member_response", "Record the councillor's response"
    CONSULT_IP = "consult_ip", "Consult an Independent Person"
    RECORD_ASSESSMENT = "record_assessment", "Record the initial assessment"
    DECIDE = "decide", "Decide the outcome"
    RECORD_INFORMAL_STEP = "record_informal_step", "Record a step of the informal resolution"
    RECORD_INVESTIGATION_REPORT = "record_investigation_report", "Record the investigation report"
    RECORD_HEARING = "record_hearing", "Record the hearing and its outcome"
    REQUEST_REVIEW = "request_review", "Record a request for review"
    DECIDE_REVIEW = "decide_review", "Record the result of the review"
    CLOSE = "close", "Close the case"
    REOPEN = "reopen", "Reopen the case"
    UNLINK = "unlink", "Unlink a complaint into a case of its own"


# Permissions (on Case, see its Meta.permissions) that the actions need.
HANDLE = "complaints.change_case"  # case officer, Deputy MO, Monitoring Officer
DECIDE = "complaints.decide_case"  # Deputy MO, Monitoring Officer
REPORT = "complaints.report_investigation"  # the investigator appointed to the case

OPEN = frozenset(Stage.values) - {Stage.CLOSED}
BEFORE_DECISION = frozenset(
    {Stage.RECEIVED, Stage.ACKNOWLEDGED, Stage.MEMBER_COMMENT, Stage.FURTHER_INFORMATION, Stage.ASSESSMENT}
)


@dataclass(frozen=True)
class Rule:
    stages: frozenset[str]
    permission: str
    next_stages: tuple[str, ...] | None  # None: the stage stays as it is


TABLE: dict[str, Rule] = {
    Action.ASSIGN: Rule(OPEN, HANDLE, None),
    Action.ACKNOWLEDGE: Rule(frozenset({Stage.RECEIVED}), HANDLE, (Stage.ACKNOWLEDGED,)),
    Action.DECLARE_CONFLICT: Rule(OPEN, HANDLE, None),
    Action.REQUEST_INFORMATION: Rule(
        frozenset({Stage.RECEIVED, Stage.ACKNOWLEDGED, Stage.MEMBER_COMMENT, Stage.ASSESSMENT}),
        HANDLE,
        (Stage.FURTHER_INFORMATION,),
    ),
    Action.RECORD_INFORMATION: Rule(frozenset({Stage.FURTHER_INFORMATION}), HANDLE, (Stage.ASSESSMENT,)),
    Action.INVITE_MEMBER: Rule(
        frozenset({Stage.RECEIVED, Stage.ACKNOWLEDGED, Stage.ASSESSMENT}), HANDLE, (Stage.MEMBER_COMMENT,)
    ),
    Action.RECORD_MEMBER_RESPONSE: Rule(frozenset({Stage.MEMBER_COMMENT}), HANDLE, (Stage.ASSESSMENT,)),
    Action.CONSULT_IP: Rule(
        (BEFORE_DECISION | {Stage.INVESTIGATION, Stage.HEARING, Stage.REVIEW}) - {Stage.RECEIVED}, HANDLE, None
    ),
    Action.RECORD_ASSESSMENT: Rule(
        frozenset({Stage.ACKNOWLEDGED, Stage.MEMBER_COMMENT, Stage.ASSESSMENT}), HANDLE, (Stage.ASSESSMENT,)
    ),
    Action.DECIDE: Rule(
        frozenset({Stage.ASSESSMENT}),
        DECIDE,
        (Stage.CLOSED, Stage.INFORMAL_RESOLUTION, Stage.INVESTIGATION),
    ),
    Action.RECORD_INFORMAL_STEP: Rule(frozenset({Stage.INFORMAL_RESOLUTION}), HANDLE, None),
    Action.RECORD_INVESTIGATION_REPORT: Rule(frozenset({Stage.INVESTIGATION}), REPORT, (Stage.HEARING, Stage.CLOSED)),
    Action.RECORD_HEARING: Rule(frozenset({Stage.HEARING}), DECIDE, (Stage.CLOSED,)),
    Action.REQUEST_REVIEW: Rule(frozenset({Stage.CLOSED}), HANDLE, (Stage.REVIEW,)),
    Action.DECIDE_REVIEW: Rule(frozenset({Stage.REVIEW}), DECIDE, (Stage.CLOSED, Stage.ASSESSMENT)),
    Action.CLOSE: Rule(OPEN, DECIDE, (Stage.CLOSED,)),
    Action.REOPEN: Rule(frozenset({Stage.CLOSED}), DECIDE, (Stage.ASSESSMENT,)),
    Action.UNLINK: Rule(OPEN, HANDLE, None),
}


def stage_allows(stage: str, action: str) -> bool:
    return stage in TABLE[action].stages


def actions_allowed(case, user) -> list[str]:
    """The actions the table allows this user on this case at its stage, in the table's order.

    Conditions beyond the table (a review only within its window, only on a no-further-action
    decision) are the services' to check; they refuse with a message saying why.
    """
    return [action for action, rule in TABLE.items() if case.stage in rule.stages and user.has_perm(rule.permission)]
