"""The case page (/officer/cases/<reference>/) and its sub-pages: the complaints, the posts and
evidence, the timeline, and the code of conduct.

The case comes from `access.case_for` (404 for a case the user may not see, the same as one that
does not exist), and everything shown on it through access.py's querysets. Every view of any of
these pages is recorded on the case's timeline as a CASE_VIEWED event: who looked at what, and when.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from complaints import access
from complaints.forms.case import TimelineFilterForm
from complaints.models import EventKind
from complaints.selectors.case_intake import intake_sections
from complaints.selectors.case_page import (
    case_codes,
    case_page,
    complaints_page,
    evidence_page,
    records_present,
    timeline_kinds,
    timeline_page,
)
from complaints.selectors.complainants import complainants_section
from complaints.services.events import event_record
from complaints.views.officer.actions import case_actions
from complaints.views.officer.auth import officer_required

_PAGES = {
    "case": "the case page",
    "complaints": "the complaints",
    "evidence": "the posts and evidence",
    "timeline": "the timeline",
    "code": "the code of conduct for the case",
}


def record_case_view(request, case, what: str, *, page: str, details: dict | None = None) -> None:
    """Record on the case's timeline that the signed-in user saw `what` (a CASE_VIEWED event,
    e.g. "Viewed the complaints"), with the page's name and address. Called by every page that
    shows a case's content, once the user is known to be allowed to see it."""
    event_record(  # its own transaction
        case=case,
        kind=EventKind.CASE_VIEWED,
        description=f"Viewed {what}",
        actor=request.user,
        details={"page": page, "path": request.path, **(details or {})},
    )


def _record_view(request, case, *, page: str, details: dict | None = None) -> None:
    record_case_view(request, case, _PAGES[page], page=page, details=details)


@require_GET
@officer_required
def case(request, reference):
    case = access.case_for(request.user, reference)
    if "kind" in request.GET or "page" in request.GET:
        # The timeline had these parameters when it was part of this page: a bookmark still works.
        return redirect(f"{reverse('officer:case_timeline', args=[case.reference])}?{request.GET.urlencode()}")
    _record_view(request, case, page="case")
    present = records_present(case)
    page_data = case_page(request.user, case, present)
    context = {
        "page_data": page_data,
        "intake": intake_sections(request.user, case, present),
        "case": case,
        "officer_section": "cases",
        "can_change_clocks": request.user.has_perm("complaints.change_case"),
        "actions": case_actions(case, request.user),
    }
    return render(request, "officer/case.html", context)


@require_GET
@officer_required
def case_complaints(request, reference):
    case = access.case_for(request.user, reference)
    _record_view(request, case, page="complaints")
    complaints = complaints_page(request.user, case)
    return render(
        request,
        "officer/case_complaints.html",
        {
            "case": case,
            "complaints": complaints,
            "confidential_count": sum(1 for complaint in complaints if complaint.identity_withheld),
            "complainants": complainants_section(request.user, case, complaints),
            "officer_section": "cases",
        },
    )


@require_GET
@officer_required
def case_evidence(request, reference):
    case = access.case_for(request.user, reference)
    _record_view(request, case, page="evidence")
    return render(
        request,
        "officer/case_evidence.html",
        {"case": case, "data": evidence_page(request.user, case), "officer_section": "cases"},
    )


@require_GET
@officer_required
def case_timeline(request, reference):
    case = access.case_for(request.user, reference)
    form = TimelineFilterForm(request.GET)
    errors: list[tuple[str, str]] = []
    kind, number = "", 1
    if form.is_valid():
        kind = form.cleaned_data["kind"] or ""
        number = form.cleaned_data["page"] or 1
    else:
        errors = [
            ("timeline-kind" if name == "kind" else "timeline", message)
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
    _record_view(
        request,
        case,
        page="timeline",
        details={"timeline_kind": kind, "timeline_page": number} if (kind or number != 1) else None,
    )
    paginator = page = None
    if not errors:
        paginator, page = timeline_page(case, kind=kind, number=number)
        if page is None:
            pages = paginator.num_pages
            plural = "s" if pages != 1 else ""
            errors = [("timeline", f"There is no page {number} of the timeline: it has {pages} page{plural}")]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "case": case,
        "form": form,
        "errors": errors,
        "kind_error": next((message for anchor, message in errors if anchor == "timeline-kind"), ""),
        "kinds": timeline_kinds(case),
        "kind": kind,
        "kind_label": EventKind(kind).label if kind else "",
        "timeline": page,
        "page_query": query.urlencode(),
        "page_numbers": list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)) if page else [],
        "officer_section": "cases",
    }
    return render(request, "officer/case_timeline.html", context, status=400 if errors else 200)


@require_GET
@officer_required
def case_code(request, reference):
    case = access.case_for(request.user, reference)
    _record_view(request, case, page="code")
    return render(
        request,
        "officer/case_code.html",
        {"case": case, "codes": case_codes(request.user, case), "officer_section": "cases"},
    )
