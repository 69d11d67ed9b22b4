"""Action pages for the early steps of a case: acknowledgement, conflicts of interest, further
information, the councillor's comments, the Independent Person and the initial assessment."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from complaints import access
from complaints.forms.process_intake import (
    AcknowledgeForm,
    AssessmentForm,
    ConsultIPForm,
    DeclareConflictForm,
    InviteMemberForm,
    MemberResponseForm,
    RecordInformationForm,
    RequestInformationForm,
)
from complaints.models import Deadline, DeadlineKind, InformationRequest, MemberInvitation
from complaints.process import Action
from complaints.selectors.complainants import restrictions_for_case
from complaints.services.assessments import assessment_record
from complaints.services.clocks import due_preview
from complaints.services.consultations import independent_persons_for, ip_consult
from complaints.services.events import actor_label_for
from complaints.services.intake import (
    AcknowledgedBy,
    case_acknowledge,
    conflict_declare,
    information_record,
    information_request,
)
from complaints.services.members import member_invite, member_response_record
from complaints.services.time_limits import time_limit
from complaints.views.officer.actions import ActionPage, register


def _clocks(case, kind=None):
    clocks = Deadline.objects.filter(case=case).order_by("due_on", "pk")
    return clocks.filter(kind=kind) if kind else clocks


def _preview(case, kind) -> dict:
    limit = time_limit(case.authority, kind)
    due = due_preview(authority=case.authority, kind=kind, start=timezone.localdate())
    return {"limit": limit, "due": due}


# --- acknowledge -----------------------------------------------------------------------------


def _acknowledge(*, form, case, user, version) -> str:
    how = form.cleaned_data["how"]
    messages = case_acknowledge(case=case, how=how, note=form.cleaned_data["note"], actor=user, version=version)
    if how == AcknowledgedBy.EMAIL:
        return f"Acknowledgement recorded for case {case.reference}: {len(messages)} e-mail(s) queued"
    return f"Acknowledgement recorded for case {case.reference}"


register(
    ActionPage(
        action=Action.ACKNOWLEDGE,
        form=AcknowledgeForm,
        run=_acknowledge,
        button="Record the acknowledgement",
        extra_context=lambda *, case, **kwargs: {
            "acknowledge_clocks": list(_clocks(case, DeadlineKind.ACKNOWLEDGE)),
            "acknowledge_days": time_limit(case.authority, DeadlineKind.ACKNOWLEDGE).days,
        },
    )
)


# --- conflict of interest --------------------------------------------------------------------


def _declare_conflict(*, form, case, user, version) -> str:
    stand_in = conflict_declare(case=case, reason=form.cleaned_data["reason"], actor=user, version=version)
    handed = (
        f" and handed to {actor_label_for(stand_in)}"
        if stand_in
        else "; nobody else could take it, so it is unassigned"
    )
    return f"Your conflict of interest on case {case.reference} is recorded{handed}"


def _after_conflict(*, case, user) -> str:
    # Declaring a conflict takes the case away from the officer who declared it.
    if access.can_see_case(user, case):
        return reverse("officer:case", args=[case.reference]) + "#actions"
    return reverse("officer:dashboard")


register(
    ActionPage(
        action=Action.DECLARE_CONFLICT,
        form=DeclareConflictForm,
        run=_declare_conflict,
        button="Declare the conflict",
        success_url=_after_conflict,
    )
)


# --- further information ---------------------------------------------------------------------


def _request_information(*, form, case, user, version) -> str:
    request = information_request(
        case=case,
        complaint=form.chosen_complaint(),
        question=form.cleaned_data["question"],
        actor=user,
        version=version,
    )
    return (
        f"Question e-mailed to the complainant of {request.complaint.reference}; "
        f"answer due {request.deadline.due_on:%-d %B %Y}"
    )


register(
    ActionPage(
        action=Action.REQUEST_INFORMATION,
        form=RequestInformationForm,
        run=_request_information,
        button="Send the question",
        extra_context=lambda *, case, **kwargs: {
            "restrictions": restrictions_for_case(case),
            "preview": _preview(case, DeadlineKind.FURTHER_INFORMATION),
            "running_clocks": list(_clocks(case).filter(met_at__isnull=True, paused_at__isnull=True)),
        },
    )
)


def _record_information(*, form, case, user, version) -> str:
    request = information_record(
        case=case, request=form.chosen_request(), answer=form.cleaned_data["answer"], actor=user, version=version
    )
    return f"Answer from the complainant of {request.complaint.reference} recorded; the case is back at assessment"


register(
    ActionPage(
        action=Action.RECORD_INFORMATION,
        form=RecordInformationForm,
        run=_record_information,
        button="Record the answer",
        extra_context=lambda *, case, **kwargs: {
            "requests": list(
                InformationRequest.objects.filter(case=case, answered_at__isnull=True).select_related(
                    "complaint", "deadline"
                )
            ),
        },
    )
)


# --- the councillor's comments ---------------------------------------------------------------


def _invite_member(*, form, case, user, version) -> str:
    invitations = member_invite(
        case=case,
        councillors=form.chosen_councillors(),
        method=form.cleaned_data["method"],
        note=form.cleaned_data["note"],
        actor=user,
        version=version,
    )
    names = ", ".join(f"Cllr {i.councillor.name}" for i in invitations)
    return f"{names} invited to comment on case {case.reference}"


register(
    ActionPage(
        action=Action.INVITE_MEMBER,
        form=InviteMemberForm,
        run=_invite_member,
        button="Invite to comment",
        extra_context=lambda *, case, **kwargs: {
            "preview": _preview(case, DeadlineKind.MEMBER_RESPONSE),
            "withheld": sum(1 for c in case.complaints.all() if c.identity_withheld),
        },
    )
)


def _record_member_response(*, form, case, user, version) -> str:
    member_response_record(case=case, responses=form.responses(), actor=user, version=version)
    return f"The councillor's response on case {case.reference} is recorded; the case is at initial assessment"


register(
    ActionPage(
        action=Action.RECORD_MEMBER_RESPONSE,
        form=MemberResponseForm,
        run=_record_member_response,
        button="Record the response",
        extra_context=lambda *, case, **kwargs: {
            "invitations": list(
                MemberInvitation.objects.filter(case=case).select_related("councillor", "deadline").order_by("pk")
            ),
        },
    )
)


# --- the Independent Person ------------------------------------------------------------------


def _consult_ip(*, form, case, user, version) -> str:
    consultation = ip_consult(
        case=case,
        independent_person=form.chosen_person(),
        question=form.cleaned_data["question"],
        actor=user,
        version=version,
    )
    return f"{actor_label_for(consultation.independent_person)} has been asked for their view on case {case.reference}"


register(
    ActionPage(
        action=Action.CONSULT_IP,
        form=ConsultIPForm,
        run=_consult_ip,
        button="Consult",
        extra_context=lambda *, case, **kwargs: {
            "consultations": list(case.consultations.select_related("independent_person").order_by("requested_at")),
            "ip_count": independent_persons_for(case).count(),
        },
    )
)


# --- the initial assessment ------------------------------------------------------------------


def _record_assessment(*, form, case, user, version) -> str:
    assessment = assessment_record(case=case, **form.assessment_values(), actor=user, version=version)
    return f"Initial assessment of case {case.reference} recorded: {assessment.get_recommendation_display().lower()}"


register(
    ActionPage(
        action=Action.RECORD_ASSESSMENT,
        form=AssessmentForm,
        run=_record_assessment,
        button="Record the assessment",
        extra_context=lambda *, case, form, **kwargs: {
            "facts": form.facts,
            "time_limit_months": settings.COMPLAINT_MAX_AGE_MONTHS,
        },
    )
)
