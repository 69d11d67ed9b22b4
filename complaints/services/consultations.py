"""Consulting an Independent Person (Localism Act 2011 s.28(7)) and recording their view.

Consulting an IP gives them sight of that one case (complaints/access.py scopes Independent
Persons by their consultations) and asks them, by e-mail, to sign in and give their view.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from complaints import roles
from complaints.models import Case, Consultation, EventKind
from complaints.process import Action
from complaints.services.events import actor_label_for, event_record
from complaints.services.outbox import outbox_message_create
from complaints.services.process import ActionRefused, action_begin


def independent_persons_for(case: Case) -> QuerySet:
    """The council's Independent Persons: users in the role with an officer profile of the case's
    principal council, who have not declared a conflict on the case."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=roles.INDEPENDENT_PERSON,
            officer_profile__authority=case.authority.principal,
        )
        .exclude(conflicts__case=case)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ConsultationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ip_consult(*, case: Case, independent_person, question: str, actor, version: int | None = None) -> Consultation:
    """Ask an Independent Person of the council for their view on the case."""
    question = (question or "").strip()
    if not question:
        raise ValueError("A consultation needs a question")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.CONSULT_IP, actor=actor, version=version)
        if not independent_persons_for(locked).filter(pk=independent_person.pk).exists():
            raise ActionRefused(
                f"{actor_label_for(independent_person)} is not an Independent Person of this council", code="ip"
            )
        try:
            with transaction.atomic():
                consultation = Consultation.objects.create(
                    case=locked,
                    independent_person=independent_person,
                    requested_by=actor,
                    requested_at=timezone.now(),
                    question=question,
                )
        except IntegrityError:
            raise ActionRefused(
                f"{actor_label_for(independent_person)} has already been consulted on this case", code="consulted"
            ) from None
        details = {"consultation": consultation.pk, "independent_person": independent_person.get_username()}
        if independent_person.email:
            message = outbox_message_create(
                to=independent_person.email,
                subject=f"Your view is sought on case {locked.reference}",
                template="ip_consultation",
                context={
                    "name": actor_label_for(independent_person),
                    "reference": locked.reference,
                    "url": settings.SITE_URL + reverse("officer:consultation", args=[locked.reference]),
                    "council_name": settings.COUNCIL_NAME,
                },
                case=locked,
            )
            details["message"] = str(message.public_id)
        event_record(
            case=locked,
            kind=EventKind.IP_CONSULTED,
            description=f"{actor_label_for(independent_person)} (Independent Person) consulted",
            actor=actor,
            details={**details, "question": question},
        )
        return consultation


def ip_view_record(*, consultation: Consultation, view: str, actor) -> Consultation:
    """The consulted Independent Person records their view. Only they can, and only once."""
    view = (view or "").strip()
    if not view:
        raise ValueError("An Independent Person's view cannot be empty")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().select_related("case").get(pk=consultation.pk)
        if locked.independent_person_id != getattr(actor, "pk", None):
            raise ConsultationError("Only the Independent Person consulted can record their view")
        if locked.view_recorded_at is not None:
            raise ConsultationError("Your view on this case has already been recorded")
        now = timezone.now()
        Consultation.objects.filter(pk=locked.pk).update(view=view, view_recorded_at=now)
        locked.view, locked.view_recorded_at = view, now
        event_record(
            case=locked.case,
            kind=EventKind.IP_VIEW_RECORDED,
            description=f"{actor_label_for(actor)} (Independent Person) recorded their view",
            actor=actor,
            details={"consultation": locked.pk, "view": view},
        )
        return locked
