"""The public complaint journey: GOV.UK question pages, check your answers, confirmation.

Answers live in the session until the complainant sends them, deletes them or leaves them
unused for DRAFT_IDLE_MINUTES (see views/draft.py and services/drafts.py); evidence
files are checked and stored privately the moment they are uploaded, so nothing already given
is lost when a later file is refused or the complainant moves back and forth.
"""

import calendar
import logging
import mimetypes
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from complaints.forms.public import (
    NOT_SURE,
    AboutYouForm,
    AddAnotherPostForm,
    ClausesForm,
    CouncilForm,
    CouncillorsForm,
    DeclarationForm,
    EvidenceUploadForm,
    OutcomeForm,
    PostForm,
)
from complaints.models import CapacityIndicator, ComplainantType, DeadlineKind, Platform
from complaints.selectors.public import (
    authority_by_public_id,
    authority_choices,
    authority_hints,
    councillor_choices,
    councillors_by_public_ids,
)
from complaints.services.complaints import ComplainantDetails, EvidenceMissing, PostDetails, complaint_submit
from complaints.services.drafts import CONFIRMATION_KEY, draft_discard, draft_files
from complaints.services.evidence_files import EvidenceRejected, evidence_file_discard, evidence_file_store
from complaints.services.working_days import add_working_days
from complaints.views.draft import STEP_URLS, STEPS, Draft, journey_page, session_end_if_unused
from guidance.selectors import code_in_force

logger = logging.getLogger(__name__)

TEMPLATE = "public/complain/question.html"


def _data(request):
    """The submitted data, or None on GET. A POST of only unticked boxes is empty but still a POST."""
    return request.POST if request.method == "POST" else None


def timescales() -> dict:
    return {
        "acknowledge_days": settings.TIMESCALE_ACKNOWLEDGE_DAYS,
        "assessment_days": settings.TIMESCALE_ASSESSMENT_DAYS,
        "member_response_days": settings.TIMESCALE_MEMBER_RESPONSE_DAYS,
        "decision_notice_days": settings.TIMESCALE_DECISION_NOTICE_DAYS,
        "max_age_months": settings.COMPLAINT_MAX_AGE_MONTHS,
    }


def _next_url(request, draft: Draft, step: str) -> str:
    """After a page: when changing an answer, the first page still to answer (still in change
    mode, so it too returns to check your answers) or check your answers; otherwise the next page."""
    if request.GET.get("change"):
        missing = draft.first_incomplete()
        return reverse(STEP_URLS[missing]) + "?change=1" if missing else reverse("complain:check")
    index = STEPS.index(step) + 1
    return reverse(STEP_URLS[STEPS[index]]) if index < len(STEPS) else reverse("complain:check")


def _guard(draft: Draft, step: str):
    missing = draft.missing_before(step)
    return redirect(STEP_URLS[missing]) if missing else None


def _back_url(step: str) -> str:
    index = STEPS.index(step)
    return reverse(STEP_URLS[STEPS[index - 1]]) if index else reverse("home")


def _render(
    request, form, *, step: str, title: str, template: str = TEMPLATE, back_url: str = "", status: int = 0, **extra
):
    context = {
        "form": form,
        "title": title,
        "step": step,
        "back_url": back_url or (reverse("complain:check") if request.GET.get("change") else _back_url(step)),
        "form_has_errors": bool(form.errors),
        "change_suffix": _change_suffix(request),
        **_delete_link(request),
        **extra,
    }
    return render(request, template, context, status=status or (400 if form.errors else 200))


def _delete_link(request) -> dict:
    """Offered on every page once there is something to delete; it comes back to this page."""
    if Draft(request.session).is_empty:
        return {}
    return {"delete_url": reverse("complain:delete") + "?" + urlencode({"back": request.get_full_path()})}


def start(request):
    """The home page is the start page; this older address leads there."""
    return redirect("home")


@journey_page
@require_http_methods(["GET", "POST"])
def about(request):
    draft = Draft(request.session)
    form = AboutYouForm(_data(request), initial=draft.get("about"))
    if request.method == "POST" and form.is_valid():
        draft.set("about", form.cleaned_data)
        return redirect(_next_url(request, draft, "about"))
    return _render(request, form, step="about", title="About you")


@journey_page
@require_http_methods(["GET", "POST"])
def council(request):
    draft = Draft(request.session)
    if response := _guard(draft, "council"):
        return response
    every = authority_choices()
    radios = sum(len(items) for _group, items in every) < CouncilForm.RADIOS_BELOW
    search = "" if radios else request.GET.get("q", "").strip()[:100]
    # A search narrows the list shown; an answer is checked against every council.
    choices = authority_choices(search=search) if search and request.method != "POST" else every
    previous = draft.get("council", {}).get("authority")
    form = CouncilForm(
        _data(request), initial={"authority": previous}, choices=choices, radios=radios, hints=authority_hints()
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["authority"]
        draft.set("council", {"authority": chosen})
        if chosen != previous:
            draft.pop("councillors")
            _clear_clauses_if_code_changed(draft, reason="council")
        return redirect(_next_url(request, draft, "council"))
    return _render(
        request,
        form,
        step="council",
        title="Which council?",
        template="public/complain/council.html",
        search=search,
        searchable=not radios,
        no_matches=bool(search) and not choices,
    )


def _draft_authority(draft: Draft):
    public_id = (draft.get("council") or {}).get("authority")
    return authority_by_public_id(public_id) if public_id else None


@journey_page
@require_http_methods(["GET", "POST"])
def councillors(request):
    draft = Draft(request.session)
    if response := _guard(draft, "councillors"):
        return response
    authority = _draft_authority(draft)
    if authority is None:
        draft.pop("council")
        return redirect("complain:council")
    choices = councillor_choices(authority=authority, today=timezone.localdate())
    form = CouncillorsForm(_data(request), initial=draft.get("councillors"), choices=choices)
    if request.method == "POST" and form.is_valid():
        draft.set(
            "councillors", {"councillors": form.cleaned_data["councillors"], "unlisted": form.cleaned_data["unlisted"]}
        )
        return redirect(_next_url(request, draft, "councillors"))
    return _render(request, form, step="councillors", title="Who is your complaint about?", authority=authority)


def _post_to_session(data: dict) -> dict:
    return {**data, "posted_on": data["posted_on"].isoformat()}


def _post_initial(post: dict) -> dict:
    return {**post, "posted_on": date.fromisoformat(post["posted_on"])}


@journey_page
@require_http_methods(["GET", "POST"])
def posts(request):
    """The list of posts added so far, with 'add another'."""
    draft = Draft(request.session)
    if response := _guard(draft, "posts"):
        return response
    items = draft.get("posts") or []
    if not items:
        return redirect("complain:post_add")
    shown = _posts_for_display(items)
    late = [post for post in shown if post["late"]]
    form = AddAnotherPostForm(_data(request), initial={"late_reason": draft.get("late_reason", "")}, late=bool(late))
    if request.method == "POST" and form.is_valid():
        if late:
            draft.set("late_reason", form.cleaned_data["late_reason"])
        if form.cleaned_data["add_another"] == "yes":
            return redirect(reverse("complain:post_add") + _change_suffix(request))
        return redirect(_next_url(request, draft, "posts"))
    return _render(
        request,
        form,
        step="posts",
        title=f"You have added {len(items)} post{'s' if len(items) != 1 else ''}",
        template="public/complain/posts.html",
        posts=shown,
        late_posts=late,
        max_age_months=settings.COMPLAINT_MAX_AGE_MONTHS,
        max_posts=MAX_POSTS,
    )


MAX_POSTS = 10


@journey_page
@require_http_methods(["GET", "POST"])
def post_edit(request, index: int | None = None):
    draft = Draft(request.session)
    if response := _guard(draft, "posts"):
        return response
    items = list(draft.get("posts") or [])
    if index is not None and not 0 <= index < len(items):
        return redirect("complain:posts")
    if index is None and len(items) >= MAX_POSTS:
        return redirect("complain:posts")
    initial = _post_initial(items[index]) if index is not None else None
    form = PostForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        post = _post_to_session(form.cleaned_data)
        if index is None:
            items.append(post)
        else:
            items[index] = post
        draft.set("posts", items)
        _clear_clauses_if_code_changed(draft, reason="date")
        return redirect(_after_post_change(request, draft, added=index is None))
    number = (index if index is not None else len(items)) + 1
    changing = bool(request.GET.get("change"))
    return _render(
        request,
        form,
        step="posts",
        title="About the post" if number == 1 else f"About post {number}",
        template="public/complain/post.html",
        back_url=(
            reverse("complain:check")
            if changing and index is not None
            else reverse("complain:posts") + _change_suffix(request)
            if items
            else reverse("complain:councillors")
        ),
    )


def _after_post_change(request, draft: Draft, *, added: bool) -> str:
    """Where a saved post leads. Outside 'check your answers', to the list of posts. When changing
    an answer: to the list when a post was added or now needs a reason for its age, to the code
    question when the new date means another code applies, else back to check your answers."""
    change = _change_suffix(request)
    if not change:
        return reverse("complain:posts")
    late = any(post["late"] for post in _posts_for_display(draft.get("posts") or []))
    if added or (late and draft.get("late_reason") is None):
        return reverse("complain:posts") + change
    return _next_url(request, draft, "posts")


def _clear_clauses_if_code_changed(draft: Draft, *, reason: str) -> None:
    """Keep the parts of the code chosen unless the code in force is now a different one
    (another council, or a post date in another version's time); then ask again, saying why."""
    saved = draft.get("clauses")
    if not saved:
        return
    code, _, _ = _code_for(draft)
    slug = code.slug if code else ""
    if saved.get("code", "") == slug:
        return
    draft.pop("clauses")
    draft.set("clauses_notice", {"reason": reason, "code": code.title if code else ""})


@journey_page
@require_POST
def post_remove(request, index: int):
    draft = Draft(request.session)
    items = list(draft.get("posts") or [])
    if 0 <= index < len(items):
        del items[index]
        draft.set("posts", items)
        _clear_clauses_if_code_changed(draft, reason="date")
    return redirect(reverse("complain:posts") + _change_suffix(request))


def _posts_for_display(items: list[dict]) -> list[dict]:
    platforms = dict(Platform.choices)
    indicators = dict(CapacityIndicator.choices)
    limit = _months_before(timezone.localdate(), settings.COMPLAINT_MAX_AGE_MONTHS)
    shown = []
    for position, post in enumerate(items):
        platform = post.get("platform_other") or platforms.get(post["platform"], post["platform"])
        posted_on = date.fromisoformat(post["posted_on"])
        shown.append(
            {
                **post,
                "index": position,
                "number": position + 1,
                "platform_label": platform,
                "posted_on_date": posted_on,
                "late": posted_on < limit,
                "indicator_labels": [indicators.get(code, code) for code in post.get("capacity_indicators", [])],
            }
        )
    return shown


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the last day of the month where that day does not exist)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def _conduct_date(draft: Draft) -> date:
    dates = [date.fromisoformat(p["posted_on"]) for p in draft.get("posts") or []]
    return min(dates) if dates else timezone.localdate()


def _code_for(draft: Draft):
    authority = _draft_authority(draft)
    on = _conduct_date(draft)
    code = code_in_force(authority=authority, on=on) if authority else None
    fallback = False
    if code is None and authority is not None:
        # No code recorded for that date: show today's so the complainant can still point at clauses.
        code = code_in_force(authority=authority, on=timezone.localdate())
        fallback = code is not None
    return code, on, fallback


@journey_page
@require_http_methods(["GET", "POST"])
def clauses(request):
    draft = Draft(request.session)
    if response := _guard(draft, "clauses"):
        return response
    code, on, fallback = _code_for(draft)
    clause_rows = list(code.clauses.order_by("position")) if code else []
    saved = draft.get("clauses") or {}
    form = ClausesForm(
        _data(request),
        initial={"clauses": saved.get("clauses", []) + ([NOT_SURE] if saved.get("not_sure") else [])},
        choices=[(c.number, f"{c.number}. {c.heading}") for c in clause_rows],
        hints={c.number: c.plain_english for c in clause_rows if c.plain_english},
    )
    if request.method == "POST" and form.is_valid():
        draft.set(
            "clauses",
            {
                "code": code.slug if code else "",
                "clauses": form.cleaned_data["clauses"],
                "not_sure": form.cleaned_data["not_sure"],
            },
        )
        draft.pop("clauses_notice")
        return redirect(_next_url(request, draft, "clauses"))
    return _render(
        request,
        form,
        step="clauses",
        title="Which parts of the Code of Conduct?",
        template="public/complain/clauses.html",
        code=code,
        conduct_date=on,
        fallback=fallback,
        authority=_draft_authority(draft),
        notice=draft.get("clauses_notice"),
    )


@journey_page
@require_http_methods(["GET", "POST"])
def evidence(request):
    draft = Draft(request.session)
    if response := _guard(draft, "evidence"):
        return response
    files = draft.evidence
    form = EvidenceUploadForm(
        _data(request),
        request.FILES if request.method == "POST" else None,
        initial={"no_evidence_reason": draft.get("no_evidence_reason", "")},
    )
    status = 0
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        upload = request.FILES.get("file")
        if form.is_valid():
            reason = form.cleaned_data["no_evidence_reason"]
            if reason:
                draft.set("no_evidence_reason", reason)
            if upload is not None:
                if _uploads_limited(request):
                    form.refuse("file", "rate_limited")
                    status = 429
                elif len(files) >= settings.EVIDENCE_MAX_FILES:
                    form.refuse("file", "too_many", limit=settings.EVIDENCE_MAX_FILES)
                else:
                    try:
                        stored = evidence_file_store(upload=upload)
                    except EvidenceRejected as refusal:
                        form.refuse_file(refusal)
                    else:
                        files.append(stored)
                        draft.set_evidence(files)
                        if action == "add":
                            return redirect(_evidence_url(request, added=stored.token))
            elif action == "add":
                form.refuse("file", "no_file")
            if not form.errors and action != "add":
                if not files and not draft.get("no_evidence_reason"):
                    form.refuse("file", "nothing")
                else:
                    return redirect(_next_url(request, draft, "evidence"))
    added = request.GET.get("added", "")
    return _render(
        request,
        form,
        step="evidence",
        title="Upload screenshots of the post",
        template="public/complain/evidence.html",
        files=files,
        added=next((f for f in files if f.token == added), None),
        max_files=settings.EVIDENCE_MAX_FILES,
        max_megabytes=settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        can_add=len(files) < settings.EVIDENCE_MAX_FILES,
        status=status,
    )


def _client_ip(group, request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _browser_session(group, request) -> str:
    # The evidence page is reached only with a draft, so the session has a key by then.
    return request.session.session_key or request.META.get("REMOTE_ADDR", "")


def _uploads_limited(request) -> bool:
    """Counts this upload attempt, accepted or refused, per browser session and per client address.

    Checking a file is the costly part of the public journey, so each attempt counts before it
    is checked. The cache fails open (config/cache.py): when it cannot count, uploads carry on.
    """
    limited = False
    for group, key, rate in (
        ("evidence-upload-session", _browser_session, settings.EVIDENCE_UPLOAD_RATE_LIMIT_SESSION),
        ("evidence-upload-ip", _client_ip, settings.EVIDENCE_UPLOAD_RATE_LIMIT_IP),
    ):
        limited = is_ratelimited(request, group=group, key=key, rate=rate, increment=True) or limited
    if limited:
        logger.warning("Evidence upload refused: too many uploads from %s", request.META.get("REMOTE_ADDR"))
    return limited


def _change_suffix(request) -> str:
    return "?change=1" if request.GET.get("change") else ""


def _evidence_url(request, *, added: str = "") -> str:
    query = urlencode({key: value for key, value in (("change", request.GET.get("change")), ("added", added)) if value})
    return reverse("complain:evidence") + (f"?{query}" if query else "")


@journey_page
@require_http_methods(["GET", "POST"])
def evidence_remove(request, token: str):
    """POST removes the file; GET asks first (the remove link a phone shows leads here)."""
    draft = Draft(request.session)
    files = draft.evidence
    chosen = next((f for f in files if f.token == token), None)
    if request.method == "GET":
        if chosen is None:
            return redirect(_evidence_url(request))
        return render(
            request,
            "public/complain/evidence_remove.html",
            {"file": chosen, "back_url": _evidence_url(request), "change_suffix": _change_suffix(request)},
        )
    keep = [f for f in files if f.token != token]
    for removed in (f for f in files if f.token == token):
        evidence_file_discard(stored=removed)
    draft.set_evidence(keep)
    return redirect(_evidence_url(request))


@journey_page(file=True)
@require_GET
def evidence_thumbnail(request, token: str):
    """The metadata-free display copy of an image uploaded in this browser session, and no other."""
    stored = next((f for f in Draft(request.session).evidence if f.token == token), None)
    if stored is None or not stored.display_path:
        raise Http404("No such file in this complaint.")
    try:
        handle = default_storage.open(stored.display_path, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    content_type = mimetypes.guess_type(stored.display_path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@journey_page
@require_http_methods(["GET", "POST"])
def outcome(request):
    draft = Draft(request.session)
    if response := _guard(draft, "outcome"):
        return response
    form = OutcomeForm(_data(request), initial=draft.get("outcome"))
    if request.method == "POST" and form.is_valid():
        draft.set("outcome", form.cleaned_data)
        return redirect(_next_url(request, draft, "outcome"))
    return _render(
        request, form, step="outcome", title="What you would like to happen", template="public/complain/outcome.html"
    )


def _summary(draft: Draft) -> dict:
    about = draft.get("about")
    authority = _draft_authority(draft)
    chosen = draft.get("councillors") or {}
    named = (
        councillors_by_public_ids(authority=authority, public_ids=chosen.get("councillors", [])) if authority else []
    )
    code, _, _ = _code_for(draft)
    clause_sel = draft.get("clauses") or {}
    posts = _posts_for_display(draft.get("posts") or [])
    selected_clauses = (
        list(code.clauses.filter(number__in=clause_sel.get("clauses", [])).order_by("position")) if code else []
    )
    return {
        "about": about,
        "complainant_type_label": dict(ComplainantType.choices).get(about["complainant_type"], ""),
        "authority": authority,
        "councillors": named,
        "unlisted": chosen.get("unlisted", ""),
        "posts": posts,
        "code": code,
        "clauses": selected_clauses,
        "clauses_not_sure": clause_sel.get("not_sure", False),
        "files": draft.evidence,
        "no_evidence_reason": draft.get("no_evidence_reason", ""),
        "late": any(post["late"] for post in posts),
        "late_reason": draft.get("late_reason") or "",
        "outcome": draft.get("outcome"),
        "previous_complaint_label": dict(OutcomeForm.base_fields["previous_complaint"].choices).get(
            (draft.get("outcome") or {}).get("previous_complaint"), ""
        ),
    }


@journey_page
@require_http_methods(["GET", "POST"])
def check(request):
    draft = Draft(request.session)
    if request.method == "POST" and draft.is_empty and request.session.get(CONFIRMATION_KEY):
        # A repeated send (double tap, retry) after this draft was sent: show the same confirmation.
        return redirect("complain:confirmation")
    missing = draft.first_incomplete()
    if missing:
        return redirect(STEP_URLS[missing])
    form = DeclarationForm(_data(request))
    if request.method == "POST" and form.is_valid():
        # Only a complaint about to be sent counts against the allowance: a missed declaration
        # or an answer corrected on another page does not use it up. A send refused as automated
        # (the hidden field filled in) does, so a program sending again and again is held back too.
        if is_ratelimited(
            request,
            group="complaint-submit",
            key="ip",
            rate=lambda group, request: settings.COMPLAINT_RATE_LIMIT,
            increment=True,
        ):
            return rate_limited(request)
        if form.cleaned_data["website"]:
            logger.warning("Complaint refused: honeypot field filled from %s", request.META.get("REMOTE_ADDR"))
            return render(request, "public/complain/refused.html", status=400)
        try:
            complaint = _submit(request, draft)
        except EvidenceMissing as missing_file:
            # Only that one file goes: others may share its name but are different uploads.
            draft.set_evidence([f for f in draft.evidence if f.token != missing_file.stored.token])
            form.refuse(None, "missing_file", name=missing_file.stored.original_name)
        else:
            request.session[CONFIRMATION_KEY] = {
                "reference": complaint.reference,
                "email": complaint.complainant_email,
                "submitted_on": timezone.localdate(complaint.submitted_at).isoformat(),
                "nation": complaint.authority.principal.nation,
                "assessment_due": _stored_due(complaint, DeadlineKind.ASSESSMENT),
            }
            draft.clear()
            return redirect("complain:confirmation")
    summary = _summary(draft)
    return render(
        request,
        "public/complain/check.html",
        {
            **summary,
            **_delete_link(request),
            "form": form,
            "form_has_errors": bool(form.errors),
            "back_url": reverse("complain:outcome"),
        },
        status=400 if form.errors else 200,
    )


def _submit(request, draft: Draft):
    summary = _summary(draft)
    about = summary["about"]
    outcome_answers = summary["outcome"]
    return complaint_submit(
        complainant=ComplainantDetails(
            name=about["name"],
            email=about["email"],
            complainant_type=about["complainant_type"],
            phone=about.get("phone", ""),
            address=about.get("address", ""),
            complainant_type_other=about.get("complainant_type_other", ""),
        ),
        authority=summary["authority"],
        councillors=summary["councillors"],
        unlisted_councillor_names=summary["unlisted"],
        posts=[
            PostDetails(
                platform=p["platform"],
                platform_other=p.get("platform_other", ""),
                url=p.get("url", ""),
                account_name=p["account_name"],
                posted_on=p["posted_on_date"],
                text_reported=p["text_reported"],
                capacity_indicators=p.get("capacity_indicators", []),
                capacity_other=p.get("capacity_other", ""),
                capacity_explanation=p.get("capacity_explanation", ""),
            )
            for p in summary["posts"]
        ],
        code=summary["code"],
        clauses=summary["clauses"],
        clauses_not_sure=summary["clauses_not_sure"],
        evidence=summary["files"],
        no_evidence_reason=summary["no_evidence_reason"],
        late_reason=summary["late_reason"] if summary["late"] else "",
        outcome_sought=outcome_answers["outcome_sought"],
        previous_complaint=outcome_answers["previous_complaint"],
        previous_complaint_details=outcome_answers.get("previous_complaint_details", ""),
        confidentiality_requested=outcome_answers["confidentiality_requested"] == "yes",
        confidentiality_reason=outcome_answers.get("confidentiality_reason", ""),
        submitted_from_ip=request.META.get("REMOTE_ADDR"),
        draft_token=draft.token,
    )


@journey_page
def confirmation(request):
    details = request.session.get(CONFIRMATION_KEY)
    if not details:
        return redirect("home")
    if details.get("assessment_due"):
        due_on = date.fromisoformat(details["assessment_due"])
    else:
        submitted_on = date.fromisoformat(details["submitted_on"])
        due_on = add_working_days(submitted_on, settings.TIMESCALE_ASSESSMENT_DAYS, nation=details["nation"]).due_on
    return render(
        request,
        "public/complain/confirmation.html",
        {**details, "assessment_due": due_on, "timescales": timescales()},
    )


def _stored_due(complaint, kind: str) -> str:
    """The due date of the case's clock as stored when it started (closure days included)."""
    due_on = complaint.case.deadlines.filter(kind=kind).order_by("-created_at").values_list("due_on", flat=True).first()
    return due_on.isoformat() if due_on else ""


def _journey_back_url(request, raw: str) -> str:
    """A page of this journey to return to; anything else (another site, another part) is ignored."""
    if raw.startswith("/complain/") and url_has_allowed_host_and_scheme(raw, allowed_hosts={request.get_host()}):
        return raw
    return reverse("complain:about")


@journey_page
@require_http_methods(["GET", "POST"])
def delete_answers(request):
    """'Delete my answers': GET asks first; POST deletes the answers and every uploaded file at once."""
    if request.method == "POST":
        draft_discard(session=request.session)
        session_end_if_unused(request.session)
        return redirect("complain:deleted")
    draft = Draft(request.session)
    back_url = _journey_back_url(request, request.GET.get("back", ""))
    if draft.is_empty:
        return redirect(back_url)
    return render(
        request,
        "public/complain/delete.html",
        {"back_url": back_url, "file_count": len(draft_files(request.session))},
    )


@require_GET
def answers_deleted(request):
    return render(request, "public/complain/deleted.html")


@require_GET
def answers_cleared(request):
    return render(request, "public/complain/cleared.html", {"idle_minutes": settings.DRAFT_IDLE_MINUTES})


def rate_limited(request, exception=None):
    return render(request, "public/complain/rate_limited.html", status=429)
