"""Inviting the councillor(s) complained about to comment, and recording what they said.

What the councillor is sent is built from the invitation letter's own reading of the case
(complaints/documents/letters.py), which withholds a confidential complainant's name, e-mail,
telephone and address from everything quoted, and shows no screenshot that could identify them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.documents.letters import Withhold, member_invitation_letter
from complaints.models import Case, Councillor, DeadlineKind, EventKind, MemberInvitation, Stage
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.clocks import clock_start
from complaints.services.events import event_record
from complaints.services.intake import clocks_meet
from complaints.services.outbox import outbox_message_create
from complaints.services.process import ActionRefused, action_begin


class InvitationMethod:
    EMAIL = "email"
    EMAIL_WITH_LETTER = "email_letter"
    LETTER = "letter"
    CHOICES = (
        (EMAIL, "E-mail the invitation to the councillor"),
        (EMAIL_WITH_LETTER, "E-mail the invitation with the invitation letter attached (PDF)"),
        (LETTER, "Send the invitation letter by post: record it here, print it from the Letters page"),
    )


def invitation_email_context(case: Case, councillor: Councillor, *, note: str = "") -> dict:
    """The e-mail to the councillor, as plain values (it is stored with the outbox message)."""
    letter = member_invitation_letter(case, councillor)
    context = letter.context
    withhold = Withhold(c for c in case.complaints.all() if c.identity_withheld)
    posts = []
    for entry in context["posts"]:
        posts.append(
            {
                "number": entry.number,
                "platform": entry.post.get_platform_display(),
                "posted_on": f"{entry.posted_on:%-d %B %Y}" if entry.posted_on else "date not known",
                "account": entry.account_name,
                "url": entry.url if not withhold.active else withhold(entry.url),
                "text": entry.text,
                "code": str(entry.code.title) if entry.code is not None else "",
                "clauses": [f"{item['clause'].number}. {item['clause'].heading}" for item in entry.clauses],
            }
        )
    complainants = context["complainants"]
    return {
        "name": councillor.name,
        "reference": case.reference,
        "complaints": complainants["count"],
        "named_complainants": complainants["named"],
        "withheld_complainants": complainants["withheld"],
        "posts": posts,
        "outcomes_sought": context["outcomes_sought"],
        "due_on": f"{context['due']['due_on']:%-d %B %Y}",
        "response_days": context["response_days"],
        "note": withhold(note),
        "contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "council_name": settings.COUNCIL_NAME,
        "signatory": f"{settings.COUNCIL_SIGNATORY_NAME}, {settings.COUNCIL_SIGNATORY_TITLE}",
    }


def member_invite(
    *,
    case: Case,
    councillors: list[Councillor],
    method: str,
    note: str = "",
    actor,
    version: int | None = None,
) -> list[MemberInvitation]:
    """Invite the councillor(s) to comment: start the member-response clock and send each the
    invitation through the outbox (or record that it goes by post). The case moves to
    'member invited to comment'."""
    from complaints.services.documents import document_generate

    if not councillors:
        raise ValueError("Choose at least one councillor to invite")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.INVITE_MEMBER, actor=actor, version=version)
        on_case = set(Councillor.objects.filter(complaints__case=locked).values_list("pk", flat=True))
        if any(councillor.pk not in on_case for councillor in councillors):
            raise ActionRefused("A councillor chosen is no longer named in this case's complaints", code="councillor")
        if method != InvitationMethod.LETTER:
            missing = [c.name for c in councillors if not c.email]
            if missing:
                raise ActionRefused(
                    f"There is no e-mail address for Cllr {', '.join(missing)} in the register: send the letter by "
                    "post instead, or add the address in the register first",
                    code="email",
                )
        clock = clock_start(locked, DeadlineKind.MEMBER_RESPONSE, actor=actor)
        now = timezone.now()
        invitations = []
        for councillor in councillors:
            invitation = MemberInvitation.objects.create(
                case=locked,
                councillor=councillor,
                method=MemberInvitation.Method.LETTER
                if method == InvitationMethod.LETTER
                else MemberInvitation.Method.EMAIL,
                invited_at=now,
                invited_by=actor,
                deadline=clock,
            )
            details = {"invitation": invitation.pk, "councillor": str(councillor.public_id), "method": method}
            if method == InvitationMethod.LETTER:
                how = "by letter"
            else:
                attachment = None
                if method == InvitationMethod.EMAIL_WITH_LETTER:
                    attachment = document_generate(letter=member_invitation_letter(locked, councillor), actor=actor)
                    details["document"] = str(attachment.public_id)
                message = outbox_message_create(
                    to=councillor.email,
                    subject=f"A complaint about your conduct: invitation to comment, {locked.reference}",
                    template="member_invitation",
                    context=invitation_email_context(locked, councillor, note=note),
                    case=locked,
                    attachment=attachment,
                )
                details["message"] = str(message.public_id)
                how = "by e-mail" + (" with the letter attached" if attachment else "")
            event_record(
                case=locked,
                kind=EventKind.MEMBER_INVITED,
                description=f"Cllr {councillor.name} invited to comment {how}; response due {clock.due_on:%-d %B %Y}",
                actor=actor,
                details=details,
            )
            invitations.append(invitation)
        case_stage_set(case=locked, stage=Stage.MEMBER_COMMENT, actor=actor)
        return invitations


def member_response_record(
    *, case: Case, responses: dict[int | None, str], actor, version: int | None = None
) -> list[MemberInvitation]:
    """Record the invited councillors' responses (invitation id -> what they said; empty for no
    response; the key None for a response to an invitation not recorded in the service). The
    member-response clock is met and the case moves on to initial assessment."""
    responses = dict(responses)
    if not any((text or "").strip() for text in responses.values()):
        raise ValueError("Record at least one councillor's response")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.RECORD_MEMBER_RESPONSE, actor=actor, version=version)
        waiting = {
            invitation.pk: invitation
            for invitation in MemberInvitation.objects.select_for_update()
            .filter(case=locked, responded__isnull=True)
            .select_related("councillor")
        }
        unrecorded = (responses.pop(None, "") or "").strip() if None in responses else None
        if unrecorded is not None:
            event_record(
                case=locked,
                kind=EventKind.MEMBER_RESPONDED,
                description="The councillor's response recorded",
                actor=actor,
                details={"invitation": None, "response": unrecorded},
            )
        if not set(responses) <= set(waiting):
            raise ActionRefused("A response has already been recorded for a councillor on this form", code="answered")
        now = timezone.now()
        recorded = []
        for invitation_id, text in responses.items():
            invitation = waiting[invitation_id]
            text = (text or "").strip()
            MemberInvitation.objects.filter(pk=invitation.pk).update(
                response=text, responded=bool(text), response_recorded_at=now, response_recorded_by=actor
            )
            invitation.refresh_from_db()
            event_record(
                case=locked,
                kind=EventKind.MEMBER_RESPONDED,
                description=(
                    f"Cllr {invitation.councillor.name}'s response recorded"
                    if text
                    else f"Cllr {invitation.councillor.name} did not respond"
                ),
                actor=actor,
                details={
                    "invitation": invitation.pk,
                    "councillor": str(invitation.councillor.public_id),
                    "response": text,
                },
            )
            recorded.append(invitation)
        clocks_meet(
            case=locked, kind=DeadlineKind.MEMBER_RESPONSE, actor=actor, why="the councillor's response was recorded"
        )
        case_stage_set(case=locked, stage=Stage.ASSESSMENT, actor=actor)
        return recorded
