"""Deciding a case after its initial assessment, the informal resolution that may follow, and the
investigation report.

Each action is one service that passes the stage machine's gate (services/process.py
action_begin) inside its transaction, records what was decided with who decided it, moves the
case to the stage the table names for the outcome, starts and meets the clocks that go with it,
writes its events with the actor, and tells every complainant and the councillor complained
about through the outbox (services/complainant_notices.py, services/member_notices.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Case,
    ConflictOfInterest,
    Deadline,
    DeadlineKind,
    Decision,
    DecisionKind,
    EventKind,
    Finding,
    InformalStep,
    InformalStepKind,
    InformalStepStatus,
    InvestigationReport,
    NoFurtherActionReason,
    Outcome,
    Stage,
)
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.clocks import clock_start
from complaints.services.complainant_notices import complainants_notify
from complaints.services.events import actor_label_for, event_record
from complaints.services.member_notices import councillors_notify
from complaints.services.process import ActionRefused, action_begin
from guidance.models import Clause

# The outcomes open at the decision on the initial assessment, and the stage each leads to.
DECISION_STAGES = {
    Outcome.NO_FURTHER_ACTION: Stage.CLOSED,
    Outcome.INFORMAL_RESOLUTION: Stage.INFORMAL_RESOLUTION,
    Outcome.INVESTIGATION: Stage.INVESTIGATION,
    Outcome.POLICE: Stage.CLOSED,
    Outcome.WITHDRAWN: Stage.CLOSED,
}


# --- shared pieces ------------------------------------------------------------------------------


def clocks_meet(case: Case, kinds: Iterable[str], *, now: datetime) -> int:
    """Stop the case's running clocks of these kinds: what they waited for has happened."""
    return Deadline.objects.filter(case=case, kind__in=list(kinds), met_at__isnull=True).update(met_at=now)


def clauses_alleged(case: Case):
    """The clauses the case's complainants alleged were broken (the ones a decision may find engaged)."""
    return (
        Clause.objects.filter(complaints__case=case)
        .select_related("code")
        .distinct()
        .order_by("code__effective_from", "code_id", "position", "pk")
    )


def _clauses_checked(case: Case, clauses) -> list[Clause]:
    clauses = list(clauses)
    allowed = set(clauses_alleged(case).values_list("pk", flat=True))
    if any(clause.pk not in allowed for clause in clauses):
        raise ActionRefused("Choose only clauses alleged in this case's complaints", code="input")
    return clauses


def investigators_for(case: Case):
    """The people who may be appointed to investigate the case: active users in the Investigator
    role without a declared conflict on it."""
    conflicted = ConflictOfInterest.objects.filter(case=case).values("officer_id")
    return (
        get_user_model()
        .objects.filter(groups__name=roles.INVESTIGATOR, is_active=True)
        .exclude(pk__in=conflicted)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _who(user) -> str:
    return actor_label_for(user)


# --- DECIDE -------------------------------------------------------------------------------------


def case_decide(
    *,
    case: Case,
    actor,
    outcome: str,
    reasons: str,
    clauses_engaged: Iterable[Clause] = (),
    no_further_action_reason: str = "",
    informal_steps: Iterable[str] = (),
    investigator=None,
    ip_view: str = "",
    version: int | None = None,
    now: datetime | None = None,
) -> Decision:
    """Record the Monitoring Officer's decision on the initial assessment and act on it.

    No further action (with its reason), referral to the police and withdrawal close the case;
    informal resolution records the steps asked of the councillor, each to be recorded later as
    done or refused; investigation appoints the investigator, who from then on sees the case.
    The decision-notice clock starts, and for no further action the review window.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    reasons = (reasons or "").strip()
    steps = list(dict.fromkeys(informal_steps))
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.DECIDE, actor=actor, version=version)
        if outcome not in DECISION_STAGES:
            raise ActionRefused("Choose one of the outcomes on the form", code="input")
        if not reasons:
            raise ActionRefused("Give the reasons for the decision", code="input")
        if outcome == Outcome.NO_FURTHER_ACTION and no_further_action_reason not in NoFurtherActionReason.values:
            raise ActionRefused("Choose why no further action is taken", code="input")
        if outcome == Outcome.INFORMAL_RESOLUTION and (
            not steps or any(step not in InformalStepKind.values for step in steps)
        ):
            raise ActionRefused("Choose the steps of the informal resolution", code="input")
        if outcome == Outcome.INVESTIGATION:
            if investigator is None or not investigators_for(locked).filter(pk=investigator.pk).exists():
                raise ActionRefused("Choose an investigator from the list", code="input")
        clauses = _clauses_checked(locked, clauses_engaged)

        decision = Decision.objects.create(
            case=locked,
            kind=DecisionKind.ASSESSMENT,
            outcome=outcome,
            no_further_action_reason=no_further_action_reason if outcome == Outcome.NO_FURTHER_ACTION else "",
            reasons=reasons,
            ip_view=(ip_view or "").strip(),
            decided_by=actor,
            decided_on=today,
            decided_at=now,
        )
        decision.clauses_engaged.set(clauses)
        updates = {"outcome": outcome}
        if outcome == Outcome.INFORMAL_RESOLUTION:
            InformalStep.objects.bulk_create(
                [InformalStep(case=locked, decision=decision, kind=kind) for kind in steps]
            )
        if outcome == Outcome.INVESTIGATION:
            updates["investigator"] = investigator
        Case.objects.filter(pk=locked.pk).update(**updates)
        for name, value in updates.items():
            setattr(locked, name, value)
            setattr(case, name, value)

        clocks_meet(locked, [DeadlineKind.ASSESSMENT], now=now)
        stage = DECISION_STAGES[outcome]
        case_stage_set(case=locked, stage=stage, actor=actor, at=now, details={"decision": str(decision.public_id)})
        case.stage = locked.stage
        case.closed_at = locked.closed_at

        label = Outcome(outcome).label
        description = f"Decision recorded by {_who(actor)}: {label.lower()}"
        if decision.no_further_action_reason:
            description += f" ({decision.get_no_further_action_reason_display().lower()})"
        if steps:
            description += f"; steps: {', '.join(InformalStepKind(step).label.lower() for step in steps)}"
        if outcome == Outcome.INVESTIGATION:
            description += f"; investigator appointed: {_who(investigator)}"
        event_record(
            case=locked,
            kind=EventKind.DECISION_RECORDED,
            description=description,
            actor=actor,
            details={
                "decision": str(decision.public_id),
                "outcome": outcome,
                "no_further_action_reason": decision.no_further_action_reason,
                "clauses_engaged": [clause.number for clause in clauses],
                "informal_steps": steps,
                "investigator": getattr(investigator, "username", None),
            },
        )

        clock_start(locked, DeadlineKind.DECISION_NOTICE, start=today, actor=actor)
        window = None
        if outcome == Outcome.NO_FURTHER_ACTION:
            window = clock_start(locked, DeadlineKind.REVIEW_WINDOW, start=today, actor=actor)
        if outcome == Outcome.INVESTIGATION:
            clock_start(locked, DeadlineKind.INVESTIGATION, start=today, actor=actor)

        complainants_notify(
            case=locked,
            notice=f"decision:{decision.public_id}",
            title="Decision on your complaint",
            paragraphs=_decision_paragraphs(decision, steps=steps, window=window),
            reasons=decision.reasons,
            actor=actor,
        )
        councillors_notify(
            case=locked,
            notice=f"decision:{decision.public_id}",
            title="Decision on the complaint about you",
            paragraphs=_councillor_paragraphs(decision, steps=steps, window=window),
            reasons=decision.reasons,
            actor=actor,
        )
    return decision


def _decision_paragraphs(decision: Decision, *, steps: list[str], window: Deadline | None) -> list[str]:
    outcome = decision.outcome
    if outcome == Outcome.NO_FURTHER_ACTION:
        lines = [
            "The Monitoring Officer has decided to take no further action on your complaint. "
            f"The reason is: {decision.get_no_further_action_reason_display().lower()}."
        ]
        if window is not None:
            lines.append(
                f"If you disagree, you may ask for the decision to be reviewed. Please ask by "
                f"{window.due_on:%-d %B %Y}, quoting your reference."
            )
        return lines
    if outcome == Outcome.INFORMAL_RESOLUTION:
        asked = ", ".join(InformalStepKind(step).label.lower() for step in steps)
        return [
            "The Monitoring Officer has decided to resolve your complaint informally, without an investigation. "
            f"The councillor will be asked for: {asked}. We will write to you when this is complete."
        ]
    if outcome == Outcome.INVESTIGATION:
        return [
            "The Monitoring Officer has decided that your complaint should be investigated, and has appointed an "
            "investigator. Both you and the councillor may be asked for more information, and will be able to "
            "comment on a draft of the report. We will write to you with the outcome."
        ]
    if outcome == Outcome.POLICE:
        return [
            "The Monitoring Officer has referred the matter to the police, who will decide whether to take it "
            "further. The case under the Code of Conduct is closed."
        ]
    return ["Your complaint has been recorded as withdrawn and the case is closed."]


def _councillor_paragraphs(decision: Decision, *, steps: list[str], window: Deadline | None) -> list[str]:
    """What the councillor complained about is told of the decision on the initial assessment."""
    outcome = decision.outcome
    if outcome == Outcome.NO_FURTHER_ACTION:
        lines = [
            "The Monitoring Officer has decided to take no further action on the complaint about you. "
            f"The reason is: {decision.get_no_further_action_reason_display().lower()}."
        ]
        if window is not None:
            lines.append(
                f"The complainant may ask for the decision to be reviewed until {window.due_on:%-d %B %Y}; "
                "we will tell you if they do."
            )
        return lines
    if outcome == Outcome.INFORMAL_RESOLUTION:
        asked = ", ".join(InformalStepKind(step).label.lower() for step in steps)
        return [
            "The Monitoring Officer has decided to resolve the complaint about you informally, without an "
            f"investigation. You will be asked for: {asked}. We will write to you about each step."
        ]
    if outcome == Outcome.INVESTIGATION:
        return [
            "The Monitoring Officer has decided that the complaint about you should be investigated, and has "
            "appointed an investigator, who will contact you. You will be able to comment on a draft of the report."
        ]
    if outcome == Outcome.POLICE:
        return [
            "The Monitoring Officer has referred the matter to the police, who will decide whether to take it "
            "further. The case under the Code of Conduct is closed."
        ]
    return ["The complaint about you has been recorded as withdrawn and the case is closed."]


# --- RECORD_INFORMAL_STEP -----------------------------------------------------------------------


def informal_step_record(
    *,
    case: Case,
    actor,
    step: InformalStep,
    status: str,
    note: str,
    version: int | None = None,
    now: datetime | None = None,
) -> InformalStep:
    """Record one step of the informal resolution as done or refused."""
    now = now or timezone.now()
    note = (note or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.RECORD_INFORMAL_STEP, actor=actor, version=version)
        if status not in (InformalStepStatus.DONE, InformalStepStatus.REFUSED):
            raise ActionRefused("Choose whether the step was done or refused", code="input")
        if not note:
            raise ActionRefused("Say what happened", code="input")
        current = InformalStep.objects.select_for_update().filter(pk=step.pk, case=locked).first()
        if current is None:
            raise ActionRefused("Choose a step of this case's informal resolution", code="input")
        if current.status != InformalStepStatus.PENDING:
            raise ActionRefused(
                f"The step “{current.get_kind_display()}” was already recorded as "
                f"{current.get_status_display().lower()}",
                code="input",
            )
        InformalStep.objects.filter(pk=current.pk).update(status=status, note=note, recorded_at=now, recorded_by=actor)
        current.refresh_from_db()
        outstanding = InformalStep.objects.filter(case=locked, status=InformalStepStatus.PENDING).count()
        event_record(
            case=locked,
            kind=EventKind.CASE_UPDATED,
            description=(
                f"Informal resolution: {current.get_kind_display().lower()} recorded as "
                f"{current.get_status_display().lower()}: {note}"
            ),
            actor=actor,
            details={"informal_step": current.kind, "status": status, "outstanding": outstanding},
        )
    return current


def informal_steps_outstanding(case: Case) -> list[InformalStep]:
    return list(InformalStep.objects.filter(case=case, status=InformalStepStatus.PENDING).order_by("pk"))


# --- RECORD_INVESTIGATION_REPORT ----------------------------------------------------------------


def investigation_report_record(
    *,
    case: Case,
    actor,
    report_on: date,
    summary: str,
    finding: str,
    version: int | None = None,
    now: datetime | None = None,
) -> InvestigationReport:
    """Record the investigator's final report. A finding of breach sends the case to a hearing
    (its clock starts); no breach closes it with that outcome, as a decision."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = (summary or "").strip()
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.RECORD_INVESTIGATION_REPORT, actor=actor, version=version)
        if finding not in Finding.values:
            raise ActionRefused("Choose what the investigator found", code="input")
        if not summary:
            raise ActionRefused("Give a summary of the report", code="input")
        if report_on is None or report_on > today:
            raise ActionRefused("The date of the report must be today or in the past", code="input")
        decision = None
        if finding == Finding.NO_BREACH:
            decision = Decision.objects.create(
                case=locked,
                kind=DecisionKind.INVESTIGATION,
                outcome=Outcome.NO_BREACH,
                reasons=summary,
                decided_by=actor,
                decided_on=today,
                decided_at=now,
            )
        report = InvestigationReport.objects.create(
            case=locked,
            investigator=locked.investigator,
            report_on=report_on,
            summary=summary,
            finding=finding,
            decision=decision,
            recorded_by=actor,
            recorded_at=now,
        )
        clocks_meet(locked, [DeadlineKind.INVESTIGATION], now=now)
        event_record(
            case=locked,
            kind=EventKind.INVESTIGATION_REPORTED,
            description=(
                f"Investigation report of {report_on:%-d %B %Y} recorded by {_who(actor)}: "
                f"{report.get_finding_display().lower()}"
            ),
            actor=actor,
            details={"report": str(report.public_id), "finding": finding, "report_on": report_on},
        )
        if finding == Finding.BREACH:
            case_stage_set(case=locked, stage=Stage.HEARING, actor=actor, at=now)
            clock_start(locked, DeadlineKind.HEARING, start=today, actor=actor)
        else:
            Case.objects.filter(pk=locked.pk).update(outcome=Outcome.NO_BREACH)
            locked.outcome = case.outcome = Outcome.NO_BREACH
            case_stage_set(case=locked, stage=Stage.CLOSED, actor=actor, at=now)
            clock_start(locked, DeadlineKind.DECISION_NOTICE, start=today, actor=actor)
            complainants_notify(
                case=locked,
                notice=f"decision:{decision.public_id}",
                title="Outcome of the investigation of your complaint",
                paragraphs=[
                    "The investigation of your complaint has finished. The investigator found that the councillor "
                    "did not break the Code of Conduct, so there will be no hearing and the case is closed."
                ],
                reasons=summary,
                actor=actor,
            )
            councillors_notify(
                case=locked,
                notice=f"decision:{decision.public_id}",
                title="Outcome of the investigation of the complaint about you",
                paragraphs=[
                    "The investigation of the complaint about you has finished. The investigator found that you "
                    "did not break the Code of Conduct, so there will be no hearing and the case is closed."
                ],
                reasons=summary,
                actor=actor,
            )
        case.stage = locked.stage
        case.closed_at = locked.closed_at
    return report
