"""Recording the hearing of an investigated case and its outcome.

The Independent Person's view must be sought and taken into account before an investigated
allegation is decided (Localism Act 2011 s.28(7)), so it is required. For a parish or town
councillor the panel only recommends sanctions and the parish or town council decides: the
decision says so, and the council's clerk is told through the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.documents.letters import Withhold
from complaints.models import (
    Case,
    Complaint,
    Councillor,
    DeadlineKind,
    Decision,
    DecisionKind,
    EventKind,
    Outcome,
    Sanction,
    Stage,
)
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.clocks import clock_start
from complaints.services.complainant_notices import complainants_notify
from complaints.services.decisions import _clauses_checked, clocks_meet
from complaints.services.events import actor_label_for, event_record
from complaints.services.member_notices import councillors_notify
from complaints.services.outbox import outbox_message_create
from complaints.services.process import ActionRefused, action_begin
from guidance.models import Clause

HEARING_OUTCOMES = (Outcome.BREACH, Outcome.NO_BREACH)
CLERK_TEMPLATE = "hearing_recommendation"


def hearing_record(
    *,
    case: Case,
    actor,
    hearing_on: date,
    outcome: str,
    reasons: str,
    ip_view: str,
    sanctions: Iterable[str] = (),
    clauses_breached: Iterable[Clause] = (),
    version: int | None = None,
    now: datetime | None = None,
) -> Decision:
    """Record the hearing: breach (with the sanctions chosen) or no breach. The case closes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reasons, ip_view = (reasons or "").strip(), (ip_view or "").strip()
    sanctions = list(dict.fromkeys(sanctions))
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.RECORD_HEARING, actor=actor, version=version)
        authority = locked.authority
        if outcome not in HEARING_OUTCOMES:
            raise ActionRefused("Choose whether the panel found a breach of the code", code="input")
        if hearing_on is None or hearing_on > today:
            raise ActionRefused("The date of the hearing must be today or in the past", code="input")
        if not reasons:
            raise ActionRefused("Give the panel's reasons", code="input")
        if not ip_view:
            raise ActionRefused("Record the Independent Person's view", code="input")
        if any(code not in Sanction.values for code in sanctions):
            raise ActionRefused("Choose sanctions from the list", code="input")
        if sanctions and outcome != Outcome.BREACH:
            raise ActionRefused("Sanctions can follow only a finding of breach", code="input")
        clauses = _clauses_checked(locked, clauses_breached) if outcome == Outcome.BREACH else []
        recommends = not authority.is_principal
        if recommends and not authority.clerk_email:
            raise ActionRefused(
                f"{authority.name} has no clerk e-mail address on record, so the clerk cannot be told of the "
                "outcome: add it to the council's details first",
                code="clerk",
            )
        labels = [Sanction(code).label for code in sanctions]
        text = "; ".join(labels)
        if recommends and labels:
            text = f"Recommended to {authority.name}, which decides: {text}"
        decision = Decision.objects.create(
            case=locked,
            kind=DecisionKind.HEARING,
            outcome=outcome,
            reasons=reasons,
            ip_view=ip_view,
            sanction_codes=sanctions,
            sanctions=text,
            panel_recommends=recommends,
            hearing_on=hearing_on,
            decided_by=actor,
            decided_on=today,
            decided_at=now,
        )
        decision.clauses_engaged.set(clauses)
        decision.clauses_breached.set(clauses)
        Case.objects.filter(pk=locked.pk).update(outcome=outcome)
        locked.outcome = case.outcome = outcome
        clocks_meet(locked, [DeadlineKind.HEARING], now=now)
        found = "breach found" if outcome == Outcome.BREACH else "no breach found"
        description = f"Hearing of {hearing_on:%-d %B %Y} recorded by {actor_label_for(actor)}: {found}"
        if labels:
            description += f"; {'sanctions recommended' if recommends else 'sanctions'}: {', '.join(labels).lower()}"
        event_record(
            case=locked,
            kind=EventKind.HEARING_RECORDED,
            description=description,
            actor=actor,
            details={
                "decision": str(decision.public_id),
                "outcome": outcome,
                "hearing_on": hearing_on,
                "sanctions": sanctions,
                "panel_recommends": recommends,
                "clauses_breached": [clause.number for clause in clauses],
            },
        )
        case_stage_set(case=locked, stage=Stage.CLOSED, actor=actor, at=now)
        case.stage, case.closed_at = locked.stage, locked.closed_at
        clock_start(locked, DeadlineKind.DECISION_NOTICE, start=today, actor=actor)
        if recommends:
            _tell_clerk(locked, decision, actor=actor)
        complainants_notify(
            case=locked,
            notice=f"decision:{decision.public_id}",
            title="Outcome of the hearing of your complaint",
            paragraphs=_paragraphs(decision, authority_name=authority.name),
            reasons=reasons,
            actor=actor,
        )
        councillors_notify(
            case=locked,
            notice=f"decision:{decision.public_id}",
            title="Outcome of the hearing of the complaint about you",
            paragraphs=_councillor_paragraphs(decision, authority_name=authority.name),
            reasons=reasons,
            actor=actor,
        )
    return decision


def _paragraphs(decision: Decision, *, authority_name: str) -> list[str]:
    if decision.outcome != Outcome.BREACH:
        return [
            f"The hearing panel met on {decision.hearing_on:%-d %B %Y} and found that the councillor did not "
            "break the Code of Conduct. The case is closed."
        ]
    lines = [
        f"The hearing panel met on {decision.hearing_on:%-d %B %Y} and found that the councillor broke the "
        "Code of Conduct."
    ]
    labels = decision.sanction_labels()
    if labels and decision.panel_recommends:
        lines.append(
            f"The panel recommended to {authority_name}, which decides on sanctions for its councillors: "
            f"{'; '.join(label.lower() for label in labels)}."
        )
    elif labels:
        lines.append(f"The panel decided on: {'; '.join(label.lower() for label in labels)}.")
    return lines


def _councillor_paragraphs(decision: Decision, *, authority_name: str) -> list[str]:
    """What the councillor complained about is told of the hearing's outcome."""
    heard = f"The hearing panel met on {decision.hearing_on:%-d %B %Y} and found that you"
    if decision.outcome != Outcome.BREACH:
        return [f"{heard} did not break the Code of Conduct. The case is closed."]
    lines = [f"{heard} broke the Code of Conduct."]
    labels = decision.sanction_labels()
    if labels and decision.panel_recommends:
        lines.append(
            f"The panel recommended to {authority_name}, which decides on sanctions for its councillors: "
            f"{'; '.join(label.lower() for label in labels)}. {authority_name} will tell you what it decides."
        )
    elif labels:
        lines.append(f"The panel decided on: {'; '.join(label.lower() for label in labels)}.")
    else:
        lines.append("The panel did not impose any sanction.")
    return lines


def _tell_clerk(case: Case, decision: Decision, *, actor) -> None:
    """The parish or town clerk is told the outcome and the panel's recommendation (no complainant named)."""
    authority = case.authority
    councillors = list(
        Councillor.objects.filter(complaints__case=case).distinct().order_by("name").values_list("name", flat=True)
    )
    withhold = Withhold(Complaint.objects.filter(case=case))
    outbox_message_create(
        to=authority.clerk_email,
        subject=f"Hearing outcome and recommendation to {authority.name}: case {case.reference}",
        template=CLERK_TEMPLATE,
        context={
            "name": authority.clerk_name,
            "authority": authority.name,
            "reference": case.reference,
            "councillors": councillors,
            "hearing_on": f"{decision.hearing_on:%-d %B %Y}",
            "breach": decision.outcome == Outcome.BREACH,
            "sanctions": decision.sanction_labels(),
            "reasons": withhold(decision.reasons),
            "ip_view": withhold(decision.ip_view),
            "council_name": settings.COUNCIL_NAME,
            "contact_email": settings.COUNCIL_CONTACT_EMAIL,
        },
        case=case,
        record_event=False,
    )
    event_record(
        case=case,
        kind=EventKind.MESSAGE_QUEUED,
        description=f"Clerk of {authority.name} told of the hearing outcome and the panel's recommendation",
        actor=actor,
        details={"decision": str(decision.public_id), "to": "parish clerk"},
    )
