"""Recording the initial assessment: jurisdiction, the capacity test, the council's public interest
test, the Independent Person's view and the recommendation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from complaints.models import Assessment, CapacityIndicator, Case, Consultation, EventKind, Recommendation, Stage
from complaints.process import Action
from complaints.services.cases import case_stage_set
from complaints.services.events import event_record
from complaints.services.process import action_begin

ANSWERS = {"yes": "Yes", "no": "No", "unclear": "Unclear"}


def assessment_record(
    *,
    case: Case,
    was_councillor_at_time: bool,
    within_time_limit: bool,
    conduct_covered_by_code: bool,
    code_in_force=None,
    jurisdiction_notes: str = "",
    capacity: dict[str, dict],
    acting_as_councillor: bool,
    capacity_view: str,
    public_interest: list[dict],
    public_interest_view: str,
    ip_views: str = "",
    recommendation: str,
    recommendation_reasons: str,
    actor,
    version: int | None = None,
) -> Assessment:
    """Store the case's initial assessment (recording it again replaces it; the timeline keeps
    each one). `capacity` answers every CapacityIndicator with yes, no or unclear and a note;
    `public_interest` answers each question of the council's test."""
    missing = [code for code in CapacityIndicator.values if capacity.get(code, {}).get("answer") not in ANSWERS]
    if missing:
        raise ValueError(f"Every capacity indicator needs an answer: {', '.join(missing)}")
    if any(item.get("answer") not in ANSWERS for item in public_interest):
        raise ValueError("Every public interest question needs an answer")
    if recommendation not in Recommendation.values:
        raise ValueError(f"Unknown recommendation: {recommendation!r}")
    with transaction.atomic():
        locked = action_begin(case=case, action=Action.RECORD_ASSESSMENT, actor=actor, version=version)
        consulted = (
            Consultation.objects.filter(case=locked, view_recorded_at__isnull=False)
            .order_by("-view_recorded_at", "-pk")
            .first()
        )
        values = {
            "was_councillor_at_time": was_councillor_at_time,
            "within_time_limit": within_time_limit,
            "conduct_covered_by_code": conduct_covered_by_code,
            "code_in_force": code_in_force,
            "jurisdiction_notes": jurisdiction_notes.strip(),
            "capacity_indicators": {
                code: {"answer": capacity[code]["answer"], "note": (capacity[code].get("note") or "").strip()}
                for code in CapacityIndicator.values
            },
            "acting_as_councillor": acting_as_councillor,
            "capacity_view": capacity_view.strip(),
            "public_interest_answers": [
                {"question": item["question"], "answer": item["answer"], "note": (item.get("note") or "").strip()}
                for item in public_interest
            ],
            "public_interest_view": public_interest_view.strip(),
            "independent_person": consulted.independent_person if consulted else None,
            "ip_consulted_at": consulted.requested_at if consulted else None,
            "ip_views": ip_views.strip(),
            "recommendation": recommendation,
            "recommendation_reasons": recommendation_reasons.strip(),
            "assessed_by": actor,
            "completed_at": timezone.now(),
        }
        assessment, created = Assessment.objects.update_or_create(case=locked, defaults=values)
        jurisdiction = was_councillor_at_time and within_time_limit and conduct_covered_by_code
        event_record(
            case=locked,
            kind=EventKind.ASSESSMENT_RECORDED,
            description=(
                f"Initial assessment {'recorded' if created else 'recorded again'}: recommends "
                f"{Recommendation(recommendation).label.lower()}"
                f"{'' if jurisdiction else '; a jurisdiction question was answered no'}"
            ),
            actor=actor,
            details={
                "assessment": assessment.pk,
                "recommendation": recommendation,
                "was_councillor_at_time": was_councillor_at_time,
                "within_time_limit": within_time_limit,
                "conduct_covered_by_code": conduct_covered_by_code,
                "code_in_force": code_in_force.pk if code_in_force else None,
                "acting_as_councillor": acting_as_councillor,
                "capacity": values["capacity_indicators"],
                "public_interest": values["public_interest_answers"],
            },
        )
        case_stage_set(case=locked, stage=Stage.ASSESSMENT, actor=actor)
        return assessment
