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
