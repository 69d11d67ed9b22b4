"""The Standards Committee report pages.

The Monitoring Officer and deputy (``access.may_prepare_reports``) choose a period and councils,
edit the words, and ask for the report; a worker generates it while the status page refreshes
itself (no JavaScript needed) until the download link appears; they then publish it to the
committee. Other officers see the published reports only. Committee members see the list of published reports and can
download those, and nothing else: every other report URL answers 404 to them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import access
from complaints.forms.committee_report import END, MEETING, START, CommitteeReportForm
from complaints.models import DocumentKind, ReportRunStatus
from complaints.selectors.committee_report import Period, Scope, scope_for
from complaints.services.committee_report import (
    IMPLICATIONS,
    ReportText,
    report_publish,
    report_run_request,
)
from complaints.services.documents import document_viewed
from complaints.views.officer.auth import officer_required


class _FiguresStub:
    """What the default words need to know: the period and the councils."""

    def __init__(self, period, scope):
        self.period = period
        self.scope = scope


REFRESH_SECONDS = 3


def _reports(user):
    return access.documents_for(user).filter(case__isnull=True, kind=DocumentKind.COMMITTEE_REPORT)


def _may_publish(user) -> bool:
    return access.may_prepare_reports(user)


def _initial(today) -> dict:
    placeholder = _FiguresStub(Period(start=today, end=today), Scope(slug="all", name="", authority_ids=None))
    text = ReportText.defaults(placeholder)
    initial = {
        "period_kind": "quarter",
        "scope": "all",
        "committee": text.committee,
        "officer_contact": text.officer_contact,
        "purpose": text.purpose,
        "recommendations": text.recommendations,
        "background_papers": text.background_papers,
    }
    for key, value in text.implications.items():
        initial[f"implication_{key}"] = value
    return initial


def _date_values(form, parts) -> list[tuple[str, str, str, str]]:
    labels = {"day": ("Day", "2"), "month": ("Month", "2"), "year": ("Year", "4")}
    values = []
    for name in parts.names():
        part = name.rsplit("_", 1)[1]
        value = form.data.get(name, "") if form.is_bound else ""
        values.append((name, labels[part][0], labels[part][1], value))
    return values


@require_http_methods(["GET", "POST"])
@officer_required
def reports(request):
    user = request.user
    documents = list(_reports(user).order_by("-generated_at")[:50])
    if not access.may_prepare_reports(user):
        return render(
            request,
            "officer/reports/published.html",
            {"documents": documents, "officer_section": "reports"},
        )
    today = timezone.localdate()
    if request.method == "POST":
        form = CommitteeReportForm(request.POST, today=today)
        if form.is_valid():
            data = form.cleaned_data
            scope = scope_for(data["scope"])
            period = Period(start=data["start"], end=data["end"])
            defaults = ReportText.defaults(_FiguresStub(period, scope))
            text = ReportText(
                committee=data["committee"],
                meeting_date=data["meeting_date"],
                title=data["title"] or defaults.title,
                officer_contact=data["officer_contact"],
                purpose=data["purpose"],
                recommendations=data["recommendations"],
                paragraphs=data["paragraphs"] or defaults.paragraphs,
                implications={key: data.get(f"implication_{key}", "") for key, _ in IMPLICATIONS},
                background_papers=data["background_papers"],
            )
            with transaction.atomic():
                run = report_run_request(start=period.start, end=period.end, scope=scope.slug, text=text, actor=user)
            return redirect("officer:report_status", run_id=run.public_id)
    else:
        form = CommitteeReportForm(initial=_initial(today), today=today)
    errors = form.error_list() if form.is_bound else []
    runs = access.report_runs_for(user).select_related("document")[:20]
    return render(
        request,
        "officer/reports/index.html",
        {
            "form": form,
            "errors": errors,
            "form_has_errors": bool(errors),
            "documents": documents,
            "runs": runs,
            "start_parts": _date_values(form, START),
            "end_parts": _date_values(form, END),
            "meeting_parts": _date_values(form, MEETING),
            "officer_section": "reports",
        },
        status=400 if errors else 200,
    )


@require_GET
@officer_required
def report_status(request, run_id):
    run = access.report_run_for(request.user, run_id)
    working = run.status in (ReportRunStatus.QUEUED, ReportRunStatus.RUNNING)
    refresh = working and request.GET.get("refresh") != "off"
    return render(
        request,
        "officer/reports/status.html",
        {
            "run": run,
            "working": working,
            "refresh": REFRESH_SECONDS if refresh else None,
            "may_publish": _may_publish(request.user),
            "officer_section": "reports",
        },
    )


@require_POST
@officer_required
def report_publish_view(request, run_id):
    run = access.report_run_for(request.user, run_id)
    if not _may_publish(request.user):
        raise PermissionDenied("Only the Monitoring Officer or deputy can publish a report to the committee.")
    if run.document is None:
        raise Http404("The report is not ready.")
    report_publish(document=run.document)
    messages.success(request, "The report is published: Standards Committee members can now download it.")
    return redirect("officer:report_status", run_id=run.public_id)


@require_GET
@officer_required
def report_download(request, document_id):
    document = access.document_for(request.user, document_id)
    if document.case_id is not None or document.kind != DocumentKind.COMMITTEE_REPORT:
        raise Http404("No such report.")
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The report file is missing.") from None
    document_viewed(document=document, actor=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"standards-committee-report-v{document.version}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@officer_required
def report_csv_download(request, run_id):
    run = access.report_run_for(request.user, run_id)
    if run.status != ReportRunStatus.READY:
        raise Http404("The report is not ready.")
    response = HttpResponse(bytes(run.csv), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="standards-committee-report-{run.start}-{run.end}-{run.scope}.csv"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
