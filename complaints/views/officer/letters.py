"""Letters on a case: preview as HTML, generate the PDF, download any version, send it; takedown requests.

Every view starts from `access.case_for` (404 for a case the user may not see) and every stored
document from `access.document_for`. Seeing a case's documents follows the case; preparing,
generating and sending letters, and handling takedown requests, also need the officers'
`complaints.change_case` permission (Monitoring Officer, Deputy, case officers). Each page that
shows the case's letters or takedown requests is recorded on the case's timeline as a
CASE_VIEWED event, as the case's own pages are.

PDFs are generated in the request: one letter takes about 0.2 s of CPU (docs/benchmarks.md), and
the officer waits for the file either way; there is no documents queue to hand it to.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import access
from complaints.documents.letters import takedown_request_letter, takedown_series
from complaints.documents.preview import letter_preview_html
from complaints.forms.letters import RemovedForm, SendForm, TakedownCreateForm
from complaints.models import Case, Document, TakedownRequest, TakedownStatus
from complaints.selectors.letters import (
    INVITATION,
    KINDS,
    TAKEDOWN,
    NoSuchLetter,
    case_documents,
    case_letter,
    case_letter_choice,
    case_letter_choices,
)
from complaints.selectors.takedowns import takedown_requests_overdue
from complaints.services.documents import document_generate, document_send, document_viewed
from complaints.services.takedowns import (
    OPEN_STATUSES,
    TakedownError,
    takedown_request_create,
    takedown_request_record_removed,
    takedown_request_send,
)
from complaints.views.officer.auth import officer_required
from complaints.views.officer.case import record_case_view

LETTERS_PERMISSION = "complaints.change_case"


def _may_prepare(user) -> bool:
    return user.has_perm(LETTERS_PERMISSION)


def _require_prepare(user) -> None:
    if not _may_prepare(user):
        raise PermissionDenied("Only the Monitoring Officer's office can prepare and send letters.")


def _case(request, reference: str) -> Case:
    return access.case_for(request.user, reference)


def _letter_or_404(case: Case, kind: str, subject: str):
    if kind not in KINDS:
        raise Http404("No such letter.")
    try:
        return case_letter_choice(case=case, kind=kind, subject=subject), case_letter(
            case=case, kind=kind, subject=subject
        )
    except NoSuchLetter:
        raise Http404("No such letter.") from None


def _record_letter_view(request, case: Case, what: str, *, page: str, kind: str, subject: str, **details) -> None:
    # The letter by its kind and subject (a complaint's reference or a councillor's id), never by
    # its label, which may name a complainant: the timeline keeps no names.
    record_case_view(request, case, what, page=page, details={"letter": kind, "subject": subject, **details})


def _record_takedown_view(request, case: Case, item: TakedownRequest, what: str, *, page: str) -> None:
    record_case_view(request, case, what, page=page, details={"takedown": str(item.public_id)})


def _versions(user, case: Case, series: str) -> list[Document]:
    return case_documents(documents=access.documents_for(user).filter(case=case, series=series))


def _errors(form, anchors: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the GOV.UK error summary."""
    anchors = anchors or {}
    return [
        (anchors.get(name, f"id_{name}"), message)
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]


# --- the letters of a case -------------------------------------------------------------------


@require_GET
@officer_required
def index(request, reference):
    case = _case(request, reference)
    documents = case_documents(documents=access.documents_for(request.user).filter(case=case))
    by_series: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_series[document.series].append(document)
    may_prepare = _may_prepare(request.user)
    letters = []
    if may_prepare:
        for choice in case_letter_choices(case=case):
            letters.append({"choice": choice, "versions": by_series.pop(choice.series, [])})
    other = [document for versions in by_series.values() for document in versions]
    context = {
        "case": case,
        "letters": letters,
        "other_documents": other,
        "may_prepare": may_prepare,
        "takedowns": list(case.takedown_requests.select_related("deadline").prefetch_related("posts").order_by("-pk"))
        if may_prepare
        else [],
        "has_posts": case.posts.exists(),
        "today": timezone.localdate(),
    }
    record_case_view(request, case, "the letters", page="letters")
    return render(request, "officer/letters/index.html", context)


@require_GET
@officer_required
def letter(request, reference, kind, subject):
    case = _case(request, reference)
    _require_prepare(request.user)
    choice, built = _letter_or_404(case, kind, subject)
    _record_letter_view(request, case, "a letter", page="letter", kind=kind, subject=subject)
    return render(
        request,
        "officer/letters/letter.html",
        {"case": case, "choice": choice, "letter": built, "versions": _versions(request.user, case, choice.series)},
    )


@require_GET
@officer_required
def preview(request, reference, kind, subject):
    case = _case(request, reference)
    _require_prepare(request.user)
    choice, built = _letter_or_404(case, kind, subject)
    _record_letter_view(request, case, "a letter's preview", page="letter_preview", kind=kind, subject=subject)
    return render(
        request,
        "officer/letters/preview.html",
        {
            "case": case,
            "title": built.title,
            "letter_html": letter_preview_html(built),
            "back_url": reverse("officer:letter", args=[case.reference, kind, subject]),
            "back_label": choice.label,
        },
    )


@require_POST
@officer_required
def generate(request, reference, kind, subject):
    case = _case(request, reference)
    _require_prepare(request.user)
    choice, built = _letter_or_404(case, kind, subject)
    document = document_generate(letter=built, actor=request.user)
    messages.success(request, f"{document.get_kind_display()} generated as version {document.version}")
    return redirect("officer:letter", case.reference, kind, subject)


@require_http_methods(["GET", "POST"])
@officer_required
def send(request, reference, kind, subject, document_id):
    case = _case(request, reference)
    _require_prepare(request.user)
    choice, built = _letter_or_404(case, kind, subject)
    document = access.document_for(request.user, document_id)
    if document.case_id != case.pk or document.series != choice.series:
        raise Http404("No such document.")
    status = 200
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            to = form.cleaned_data["to"]
            name = form.cleaned_data["name"].strip()
            with transaction.atomic():
                document_send(document=document, to=to, recipient_name=name, actor=request.user)
            messages.success(request, f"Version {document.version} is being sent to {name or to} as a PDF attachment")
            return redirect("officer:letter", case.reference, kind, subject)
        status = 400
    else:
        recipient = built.recipient_name
        if kind in (INVITATION, TAKEDOWN) and recipient:
            recipient = f"Councillor {recipient}"
        form = SendForm(initial={"to": built.recipient_email, "name": recipient})
        _record_letter_view(
            request,
            case,
            "a letter's sending form",
            page="letter_send",
            kind=kind,
            subject=subject,
            version=document.version,
        )
    errors = _errors(form)
    return render(
        request,
        "officer/letters/send.html",
        {
            "case": case,
            "choice": choice,
            "document": document,
            "form": form,
            "errors": errors,
            "form_has_errors": bool(errors),
        },
        status=status,
    )


@require_GET
@officer_required
def download(request, reference, document_id):
    case = _case(request, reference)
    document = access.document_for(request.user, document_id)
    if document.case_id != case.pk:
        raise Http404("No such document.")
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The document file is missing.") from None
    try:
        document_viewed(document=document, actor=request.user)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle, as_attachment=True, filename=document.attachment_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- takedown requests -----------------------------------------------------------------------


def _takedown(case: Case, public_id) -> TakedownRequest:
    try:
        return case.takedown_requests.select_related("deadline", "letter").get(public_id=public_id)
    except TakedownRequest.DoesNotExist:
        raise Http404("No such takedown request.") from None


def _takedown_page(request, case, takedown, *, errors=(), status=200):
    return render(
        request,
        "officer/letters/takedown.html",
        {
            "case": case,
            "takedown": takedown,
            "posts": list(takedown.posts.order_by("posted_on", "pk")),
            "is_draft": takedown.status == TakedownStatus.DRAFT,
            "is_open": takedown.status in OPEN_STATUSES,
            "overdue": takedown.status in OPEN_STATUSES
            and takedown.due_on is not None
            and takedown.due_on < timezone.localdate(),
            "versions": _versions(request.user, case, takedown_series(takedown)),
            "errors": list(errors),
            "form_has_errors": bool(errors),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@officer_required
def takedown_new(request, reference):
    case = _case(request, reference)
    _require_prepare(request.user)
    status = 200
    if request.method == "POST":
        form = TakedownCreateForm(request.POST, case=case)
        if form.is_valid():
            try:
                takedown = takedown_request_create(
                    case=case, posts=list(form.cleaned_data["posts"]), actor=request.user
                )
            except TakedownError as error:
                form.add_error("posts", str(error))
            else:
                messages.success(request, "Takedown request drafted: check the letter, then send it")
                return redirect("officer:takedown", case.reference, takedown.public_id)
        status = 400
    else:
        form = TakedownCreateForm(case=case)
        record_case_view(request, case, "the posts for a new takedown request", page="takedown_new")
    errors = _errors(form, {"posts": "id_posts_0"})
    return render(
        request,
        "officer/letters/takedown_new.html",
        {"case": case, "form": form, "errors": errors, "form_has_errors": bool(errors)},
        status=status,
    )


@require_GET
@officer_required
def takedown(request, reference, takedown_id):
    case = _case(request, reference)
    _require_prepare(request.user)
    item = _takedown(case, takedown_id)
    _record_takedown_view(request, case, item, "a takedown request", page="takedown")
    return _takedown_page(request, case, item)


@require_GET
@officer_required
def takedown_preview(request, reference, takedown_id):
    case = _case(request, reference)
    _require_prepare(request.user)
    item = _takedown(case, takedown_id)
    built = takedown_request_letter(item)
    _record_takedown_view(request, case, item, "a takedown request's letter", page="takedown_preview")
    return render(
        request,
        "officer/letters/preview.html",
        {
            "case": case,
            "title": built.title,
            "letter_html": letter_preview_html(built),
            "back_url": reverse("officer:takedown", args=[case.reference, item.public_id]),
            "back_label": "Takedown request",
            "draft": item.status == TakedownStatus.DRAFT,
        },
    )


@require_POST
@officer_required
def takedown_send(request, reference, takedown_id):
    case = _case(request, reference)
    _require_prepare(request.user)
    item = _takedown(case, takedown_id)
    try:
        item = takedown_request_send(request=item, actor=request.user)
    except TakedownError as error:
        return _takedown_page(request, case, item, errors=[("send", str(error))], status=400)
    messages.success(
        request, f"Takedown request sent. The councillor has until {item.due_on:%-d %B %Y} to remove the content"
    )
    return redirect("officer:takedown", case.reference, item.public_id)


@require_http_methods(["GET", "POST"])
@officer_required
def takedown_removed(request, reference, takedown_id):
    case = _case(request, reference)
    _require_prepare(request.user)
    item = _takedown(case, takedown_id)
    if item.status not in OPEN_STATUSES:
        messages.info(request, "Only a request that has been sent and is still open can be marked as removed")
        return redirect("officer:takedown", case.reference, item.public_id)
    today = timezone.localdate()
    not_before = timezone.localdate(item.requested_at) if item.requested_at else None
    status = 200
    if request.method == "POST":
        form = RemovedForm(request.POST, today=today, not_before=not_before)
        if form.is_valid():
            try:
                takedown_request_record_removed(
                    request=item, seen_gone_on=form.cleaned_data["seen_gone_on"], actor=request.user
                )
            except TakedownError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Removal recorded: the takedown clock has stopped")
                return redirect("officer:takedown", case.reference, item.public_id)
        status = 400
    else:
        form = RemovedForm(today=today, not_before=not_before)
        _record_takedown_view(request, case, item, "a takedown request's removal form", page="takedown_removed")
    errors = [(f"seen_gone_on-{form.first_error_part()}", message) for message in form.non_field_errors()]
    return render(
        request,
        "officer/letters/takedown_removed.html",
        {
            "case": case,
            "takedown": item,
            "form": form,
            "errors": errors,
            "form_has_errors": bool(errors),
            "today": today,
            "parts": [
                (name, label, width, form.data.get(name, "") if form.is_bound else "")
                for name, label, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
            ],
        },
        status=status,
    )


@require_GET
@officer_required
def takedowns_overdue(request):
    requests = list(takedown_requests_overdue(cases=access.cases_for(request.user).values("pk")))
    return render(
        request, "officer/letters/takedowns_overdue.html", {"requests": requests, "today": timezone.localdate()}
    )
