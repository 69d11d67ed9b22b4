"""Reads for the public complaint form."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q

from complaints.models import Authority, Councillor


def authority_choices(*, search: str = "") -> list:
    """Councils grouped as the principal council then its parish and town councils."""
    authorities = Authority.objects.select_related("parent").order_by("name")
    if search:
        authorities = authorities.filter(Q(name__icontains=search) | Q(parent__name__icontains=search))
    principals = [(str(a.public_id), a.name) for a in authorities if a.is_principal]
    local = [(str(a.public_id), a.name) for a in authorities if not a.is_principal]
    groups = []
    if principals:
        groups.append(("Principal councils", principals))
    if local:
        groups.append(("Parish and town councils", local))
    return groups


def authority_hints() -> dict[str, str]:
    """A line under each parish or town council saying which principal council's area it is in."""
    local = Authority.objects.filter(parent__isnull=False).select_related("parent")
    return {str(a.public_id): f"{a.get_kind_display()} in the {a.parent.name} area" for a in local}


def authority_by_public_id(public_id: str) -> Authority | None:
    try:
        return Authority.objects.select_related("parent").get(public_id=public_id)
    except (Authority.DoesNotExist, ValueError, ValidationError):
        return None


def councillor_choices(*, authority: Authority, today: date) -> list[tuple[str, str]]:
    """Current councillors, and those who left in the last year (the post may predate their leaving)."""
    recent = today - timedelta(days=365)
    councillors = Councillor.objects.filter(authority=authority).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=recent)
    )
    choices = []
    for councillor in councillors.order_by("name"):
        label = councillor.name
        details = [d for d in (councillor.ward, councillor.party) if d]
        if councillor.term_end and councillor.term_end < today:
            details.append(f"councillor until {councillor.term_end:%-d %B %Y}")
        if details:
            label += f" ({', '.join(details)})"
        choices.append((str(councillor.public_id), label))
    return choices


def councillors_by_public_ids(*, authority: Authority, public_ids: list[str]) -> list[Councillor]:
    return list(Councillor.objects.filter(authority=authority, public_id__in=public_ids).order_by("name"))
