"""Who handles a case: assigning officers, one case or many at once."""

from __future__ import annotations

from django.db import transaction

from complaints.models import Case, EventKind
from complaints.services.events import actor_label_for, event_record


@transaction.atomic
def cases_assign(*, cases: list[Case], officer, actor) -> list[Case]:
    """Give each case to `officer` (None to unassign), recording an event on every case that changed.

    Cases already with that officer are left alone and get no event. Returns the cases changed.
    """
    ids = [case.pk for case in cases]
    locked = list(
        Case.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("assigned_officer")
        .order_by("pk")
    )
    target_id = officer.pk if officer is not None else None
    changed = [case for case in locked if case.assigned_officer_id != target_id]
    if not changed:
        return []
    Case.objects.filter(pk__in=[case.pk for case in changed]).update(assigned_officer=officer)
    to_label = actor_label_for(officer) if officer is not None else "nobody"
    for case in changed:
        before = case.assigned_officer
        description = f"Assigned to {to_label}" if officer is not None else "Officer unassigned"
        if before is not None:
            description += f" (was {actor_label_for(before)})"
        event_record(
            case=case,
            kind=EventKind.CASE_UPDATED,
            description=description,
            actor=actor,
            details={
                "assigned_officer": getattr(officer, "username", None),
                "previous_officer": getattr(before, "username", None),
            },
        )
        case.assigned_officer = officer
    return changed


def case_assign(*, case: Case, officer, actor, version: int | None = None) -> bool:
    """The case page's assign action: give one case to `officer` (None to unassign), through the
    stage machine's gate (complaints/services/process.py). Returns whether anything changed.

    An officer with a declared conflict of interest on the case cannot be given it.
    """
    from complaints.models import ConflictOfInterest
    from complaints.process import Action
    from complaints.services.process import ActionRefused, action_begin

    with transaction.atomic():
        locked = action_begin(case=case, action=Action.ASSIGN, actor=actor, version=version)
        if officer is not None and ConflictOfInterest.objects.filter(case=locked, officer=officer).exists():
            raise ActionRefused(
                f"{actor_label_for(officer)} has declared a conflict of interest on this case", code="conflict"
            )
        return bool(cases_assign(cases=[locked], officer=officer, actor=actor))
