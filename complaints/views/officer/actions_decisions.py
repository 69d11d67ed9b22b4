"""Action pages for deciding a case and what follows: informal steps, the investigation report,
the hearing, review, closing, reopening, and unlinking a complaint into a case of its own."""

from __future__ import annotations

from complaints.forms.process_decisions import (
    CloseForm,
    DecideForm,
    DecideReviewForm,
    HearingForm,
    InformalStepForm,
    InvestigationReportForm,
    ReopenForm,
    RequestReviewForm,
    UnlinkForm,
)
from complaints.models import DeadlineKind, InformalStepStatus, Outcome
from complaints.process import Action
from complaints.services.closure import case_close, case_reopen
from complaints.services.decisions import case_decide, informal_step_record, investigation_report_record
from complaints.services.events import actor_label_for
from complaints.services.hearings import hearing_record
from complaints.services.reviews import review_decide, review_request_record, review_window, reviewable_decision
from complaints.services.time_limits import time_limit
from complaints.services.unlinking import case_unlink
from complaints.views.officer.actions import ActionPage, register


def _told(count: int) -> str:
    return f"{count} complainant{'' if count == 1 else 's'}"


def _decide(*, form, case, user, version) -> str:
    data = form.cleaned_data
    decision = case_decide(
        case=case,
        actor=user,
        outcome=data["outcome"],
        reasons=data["reasons"],
        clauses_engaged=form.chosen_clauses("clauses_engaged"),
        no_further_action_reason=data.get("no_further_action_reason") or "",
        informal_steps=data.get("informal_steps") or [],
        investigator=form.chosen_investigator(),
        ip_view=data.get("ip_view") or "",
        version=version,
    )
    message = f"Decision recorded: {decision.get_outcome_display().lower()}"
    if decision.outcome == Outcome.INVESTIGATION:
        message += f"; {actor_label_for(case.investigator)} is appointed to investigate"
    return message + ". Every complainant is being told by e-mail"


def _decide_context(*, case, user, form) -> dict:
    return {
        "review_limit": time_limit(case.authority, DeadlineKind.REVIEW_WINDOW),
        "notice_limit": time_limit(case.authority, DeadlineKind.DECISION_NOTICE),
        "complaint_count": case.complaints.count(),
    }


def _informal_step(*, form, case, user, version) -> str:
    step = informal_step_record(
        case=case,
        actor=user,
        step=form.chosen_step(),
        status=form.cleaned_data["status"],
        note=form.cleaned_data["note"],
        version=version,
    )
    message = f"{step.get_kind_display()} recorded as {step.get_status_display().lower()}"
    if not case.informal_steps.filter(status=InformalStepStatus.PENDING).exists():
        message += ". Every step is now done or refused: the case can be closed"
    return message


def _investigation_report(*, form, case, user, version) -> str:
    report = investigation_report_record(
        case=case,
        actor=user,
        report_on=form.cleaned_data["report_on"],
        summary=form.cleaned_data["summary"],
        finding=form.cleaned_data["finding"],
        version=version,
    )
    if report.decision_id:
        return "Investigation report recorded: no breach. The case is closed and every complainant is being told"
    return "Investigation report recorded: breach. The case goes to a hearing"


def _hearing(*, form, case, user, version) -> str:
    data = form.cleaned_data
    decision = hearing_record(
        case=case,
        actor=user,
        hearing_on=data["hearing_on"],
        outcome=data["outcome"],
        reasons=data["reasons"],
        ip_view=data["ip_view"],
        sanctions=data.get("sanctions") or [],
        clauses_breached=form.chosen_clauses("clauses_breached"),
        version=version,
    )
    message = f"Hearing recorded: {decision.get_outcome_display().lower()}"
    if decision.panel_recommends:
        message += f". The clerk of {case.authority.name} is being told"
    return message


def _hearing_context(*, case, user, form) -> dict:
    return {"local_council": not case.authority.is_principal, "authority": case.authority}


def _request_review(*, form, case, user, version) -> str:
    review_request_record(
        case=case,
        actor=user,
        complaint=form.chosen_complaint(),
        requested_on=form.cleaned_data["requested_on"],
        grounds=form.cleaned_data["grounds"],
        version=version,
    )
    return "Request for review recorded: the case is at the review stage"


def _request_review_context(*, case, user, form) -> dict:
    return {"reviewable": reviewable_decision(case), "window": review_window(case)}


def _decide_review(*, form, case, user, version) -> str:
    review = review_decide(
        case=case, actor=user, result=form.cleaned_data["result"], reasons=form.cleaned_data["reasons"], version=version
    )
    return f"Review recorded: {review.get_result_display().lower()}. Every complainant is being told"


def _close(*, form, case, user, version) -> str:
    case_close(case=case, actor=user, reason=form.cleaned_data["reason"], version=version)
    return f"Case {case.reference} closed"


def _close_context(*, case, user, form) -> dict:
    return {"outstanding": list(case.informal_steps.filter(status=InformalStepStatus.PENDING).order_by("pk"))}


def _reopen(*, form, case, user, version) -> str:
    case_reopen(case=case, actor=user, reason=form.cleaned_data["reason"], version=version)
    return f"Case {case.reference} reopened for a fresh assessment"


def _unlink(*, form, case, user, version) -> str:
    complaint = form.chosen_complaint()
    new = case_unlink(case=case, actor=user, complaint=complaint, reason=form.cleaned_data["reason"], version=version)
    return f"Complaint {complaint.reference} is now a case of its own: {new.reference}"


register(
    ActionPage(
        action=Action.DECIDE,
        form=DecideForm,
        run=_decide,
        button="Record the decision",
        extra_context=_decide_context,
    )
)
register(
    ActionPage(
        action=Action.RECORD_INFORMAL_STEP,
        form=InformalStepForm,
        run=_informal_step,
        button="Record the step",
    )
)
register(
    ActionPage(
        action=Action.RECORD_INVESTIGATION_REPORT,
        form=InvestigationReportForm,
        run=_investigation_report,
        button="Record the report",
    )
)
register(
    ActionPage(
        action=Action.RECORD_HEARING,
        form=HearingForm,
        run=_hearing,
        button="Record the hearing",
        extra_context=_hearing_context,
    )
)
register(
    ActionPage(
        action=Action.REQUEST_REVIEW,
        form=RequestReviewForm,
        run=_request_review,
        button="Record the request",
        extra_context=_request_review_context,
    )
)
register(
    ActionPage(
        action=Action.DECIDE_REVIEW,
        form=DecideReviewForm,
        run=_decide_review,
        button="Record the result",
    )
)
register(
    ActionPage(
        action=Action.CLOSE,
        form=CloseForm,
        run=_close,
        button="Close the case",
        extra_context=_close_context,
    )
)
register(
    ActionPage(
        action=Action.REOPEN,
        form=ReopenForm,
        run=_reopen,
        button="Reopen the case",
    )
)
register(
    ActionPage(
        action=Action.UNLINK,
        form=UnlinkForm,
        run=_unlink,
        button="Unlink the complaint",
    )
)
