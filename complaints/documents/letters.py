"""What each letter says, gathered from the case.

Each builder returns a `Letter`: the template, its context, the evidence display copies it may
show, and the series it belongs to (regenerating a letter adds a version to its series). The
builders decide what a reader may see: a confidential complainant's name, e-mail, telephone and
address never reach a letter for the councillor or the public, and are blanked out of any text
quoted in one (a post often names the person it attacks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    Councillor,
    Deadline,
    DeadlineKind,
    Decision,
    DocumentKind,
    SocialMediaPost,
    TakedownRequest,
)
from complaints.services.clocks import due_preview
from guidance.selectors import clauses_for, code_in_force

WITHHELD = "[withheld]"


@dataclass
class Letter:
    kind: str
    template: str
    title: str
    series: str
    case: Case
    context: dict
    evidence: list = field(default_factory=list)
    recipient_name: str = ""
    recipient_email: str = ""

    @property
    def created_at(self) -> datetime:
        """When the letter was made: its PDF's creation date and its Document's generation time."""
        return self.context["created_at"]

    @property
    def filename(self) -> str:
        return f"{self.case.reference}-{self.kind.replace('_', '-')}.pdf"


# --- series: what a stored document is a version of -------------------------------------------


def takedown_series(request: TakedownRequest) -> str:
    return f"takedown_request:{request.public_id}"


def acknowledgement_series(complaint: Complaint) -> str:
    return f"acknowledgement:{complaint.public_id}"


def invitation_series(case: Case, councillor: Councillor) -> str:
    return f"member_invitation:{case.public_id}:{councillor.public_id}"


def notice_series(decision: Decision, *, public: bool) -> str:
    kind = DocumentKind.DECISION_NOTICE_PUBLIC if public else DocumentKind.DECISION_NOTICE
    return f"{kind}:{decision.public_id}"


# --- withholding personal data ---------------------------------------------------------------


class Withhold:
    """Blanks out the identifying details of some complainants from any text put in a letter."""

    def __init__(self, complaints, *, names=(), values=()):
        """``names`` are other people's names to blank out (each with its parts), ``values`` other
        exact strings (an e-mail address, an account handle)."""
        needles: set[str] = {value.strip() for value in values if value and len(value.strip()) >= 3}
        for name in names:
            needles.update(_name_needles(name))
        for complaint in complaints:
            for value in (complaint.complainant_name, complaint.complainant_email, complaint.complainant_phone):
                if value and value.strip():
                    needles.add(value.strip())
            needles.update(_name_needles(complaint.complainant_name))
            needles.update(line for line in _address_lines(complaint.complainant_address) if len(line) >= 4)
            if complaint.complainant_address.strip():
                needles.add(complaint.complainant_address.strip())
        # Longest first, so a full name goes before its parts.
        ordered = sorted(needles, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in ordered), re.IGNORECASE) if ordered else None
        )

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def __call__(self, text: str) -> str:
        if not text or self._pattern is None:
            return text or ""
        return self._pattern.sub(WITHHELD, text)


def _name_needles(name: str) -> set[str]:
    """A name and each of its parts long enough to identify someone."""
    needles = {name.strip()} if name and name.strip() else set()
    for token in re.split(r"\s+", name or ""):
        if len(token.strip(".,'")) >= 3:
            needles.add(token.strip(".,'"))
    return needles


def _address_lines(address: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n,]", address or "") if line.strip()]


# --- shared pieces ---------------------------------------------------------------------------


def council_context() -> dict:
    return {
        "name": settings.COUNCIL_NAME,
        "address": list(settings.COUNCIL_ADDRESS),
        "telephone": settings.COUNCIL_TELEPHONE,
        "email": settings.COUNCIL_CONTACT_EMAIL,
        "logo": f"static:{settings.COUNCIL_LOGO}" if settings.COUNCIL_LOGO else "",
        "signatory_name": settings.COUNCIL_SIGNATORY_NAME,
        "signatory_title": settings.COUNCIL_SIGNATORY_TITLE,
        "site_url": settings.SITE_URL,
    }


def _base_context(*, title: str, case: Case, now: datetime, audience: str, letter_date: date | None = None) -> dict:
    from complaints.documents.rendering import created_meta

    return {
        "title": title,
        "author": f"{settings.COUNCIL_SIGNATORY_TITLE}, {settings.COUNCIL_NAME}",
        "created": created_meta(now),
        "created_at": now.replace(microsecond=0),
        "letter_date": letter_date or timezone.localdate(now),
        "case": case,
        "reference": case.reference,
        "council": council_context(),
        "audience": audience,
    }


def _case_councillors(case: Case) -> list[Councillor]:
    return list(
        Councillor.objects.filter(complaints__case=case).select_related("authority").distinct().order_by("name")
    )


def _complaints(case: Case) -> list[Complaint]:
    return list(case.complaints.select_related("authority").prefetch_related("clauses").order_by("submitted_at", "pk"))


@dataclass
class PostEntry:
    """One post as a letter shows it, with the clauses quoted as in force on the day it was posted."""

    post: SocialMediaPost
    number: int
    text: str
    account_name: str
    url: str
    posted_on: date | None
    code: object
    clauses: list
    evidence: list


def _post_groups(posts) -> list[list[SocialMediaPost]]:
    """Posts reported by several complainants are the same post: group them by link (or text)."""
    groups: dict[str, list[SocialMediaPost]] = {}
    for post in posts:
        key = post.normalised_url or f"text:{post.text_reported.strip().lower()}|{post.posted_on}"
        groups.setdefault(key, []).append(post)
    return list(groups.values())


def _post_entries(
    posts, *, withhold: Withhold, extra_clause_numbers=(), with_evidence: bool = True
) -> tuple[list[PostEntry], list]:
    codes_cache: dict[int, list] = {}
    guidance_slug = settings.COUNCIL_SOCIAL_MEDIA_GUIDANCE
    entries, evidence_used = [], []
    ordered = sorted(posts, key=lambda p: (p.posted_on or date.max, p.pk))
    for number, group in enumerate(_post_groups(ordered), start=1):
        post = group[0]
        complaint = post.complaint
        day = post.posted_on or timezone.localdate(complaint.submitted_at)
        code = code_in_force(authority=complaint.authority, on=day) or complaint.code
        numbers = {c.number for p in group for c in p.complaint.clauses.all()} | set(extra_clause_numbers)
        clauses = []
        if code is not None:
            if code.pk not in codes_cache:
                codes_cache[code.pk] = clauses_for(code)
            for clause in codes_cache[code.pk]:
                if clause.number in numbers:
                    rules = [r for r in clause.rules if guidance_slug and r.document.slug == guidance_slug]
                    clauses.append({"clause": clause, "rules": rules})
        evidence = []
        # A screenshot cannot be redacted, and complainants' screenshots often show their own
        # name or account: with any identity withheld, the letter describes the post instead.
        if with_evidence and not withhold.active:
            for p in group:
                evidence.extend(e for e in p.evidence.all() if e.display and e.is_image)
            if not evidence:
                # Screenshots sent with the complaint are not always tied to one post.
                for p in group:
                    evidence.extend(
                        e for e in p.complaint.evidence.filter(post__isnull=True) if e.display and e.is_image
                    )
            evidence = evidence[:2]
            evidence_used.extend(evidence)
        entries.append(
            PostEntry(
                post=post,
                number=number,
                text=withhold(post.text_reported),
                account_name=withhold(post.account_name),
                url=post.url,
                posted_on=post.posted_on,
                code=code,
                clauses=clauses,
                evidence=evidence,
            )
        )
    return entries, evidence_used


def _complainant_lines(complaints: list[Complaint], *, public: bool) -> dict:
    """Who complained, as the reader may know it."""
    named = [] if public else [c.complainant_name for c in complaints if not c.identity_withheld]
    withheld = len(complaints) - len(named)
    return {"count": len(complaints), "named": named, "withheld": withheld}


def _due(case: Case, kind: str, *, start: date, days: int | None = None) -> dict:
    """A stored clock's due date, or, before one exists, what it would be if started on ``start``."""
    deadline = Deadline.objects.filter(case=case, kind=kind).order_by("-created_at", "-pk").first()
    if deadline is not None:
        return {"due_on": deadline.due_on, "computation": deadline.computation, "stored": True}
    due = due_preview(authority=case.authority, kind=kind, start=start)
    return {"due_on": due.due_on, "computation": due.explanation, "stored": False}


# --- the letters -----------------------------------------------------------------------------


def takedown_request_letter(request: TakedownRequest, *, now: datetime | None = None) -> Letter:
    """The request to the councillor to remove the post(s)."""
    now = now or timezone.now()
    case = request.case
    complaints = _complaints(case)
    withhold = Withhold(c for c in complaints if c.identity_withheld)
    posts = list(
        request.posts.select_related("complaint__authority", "complaint__code")
        .prefetch_related("complaint__clauses", "evidence")
        .order_by("posted_on", "pk")
    )
    decision = case.decisions.order_by("-decided_on", "-pk").first()
    extra = [c.number for c in decision.clauses_engaged.all()] if decision else []
    entries, evidence = _post_entries(posts, withhold=withhold, extra_clause_numbers=extra)
    councillors = list(
        Councillor.objects.filter(complaints__posts__in=posts).select_related("authority").distinct().order_by("name")
    ) or _case_councillors(case)
    councillor = councillors[0] if councillors else None
    if request.deadline_id:
        due = {"due_on": request.deadline.due_on, "computation": request.deadline.computation, "stored": True}
    else:
        start = timezone.localdate(request.requested_at or now)
        due = due_preview(authority=case.authority, kind=DeadlineKind.TAKEDOWN, start=start)
        due = {"due_on": due.due_on, "computation": due.explanation, "stored": False}
    title = f"Request to remove social media content: {case.reference}"
    sent_on = timezone.localdate(request.requested_at) if request.requested_at else None
    context = _base_context(title=title, case=case, now=now, audience="councillor", letter_date=sent_on)
    context.update(
        {
            "councillor": councillor,
            "councillors": councillors,
            "posts": entries,
            "complainants": _complainant_lines(complaints, public=False),
            "screenshots_withheld": withhold.active,
            "due": due,
            "working_days": request.deadline.working_days if request.deadline_id else settings.TIMESCALE_TAKEDOWN_DAYS,
            "request": request,
        }
    )
    return Letter(
        kind=DocumentKind.TAKEDOWN_REQUEST,
        template="documents/takedown_request.html",
        title=title,
        series=takedown_series(request),
        case=case,
        context=context,
        evidence=evidence,
        recipient_name=councillor.name if councillor else "",
        recipient_email=councillor.email if councillor else "",
    )


def acknowledgement_letter(complaint: Complaint, *, now: datetime | None = None) -> Letter:
    """The acknowledgement posted to a complainant who gave a postal address."""
    now = now or timezone.now()
    case = complaint.case
    title = f"Your complaint about a councillor: {complaint.reference}"
    context = _base_context(title=title, case=case, now=now, audience="complainant")
    received = timezone.localdate(complaint.submitted_at)
    context.update(
        {
            "complaint": complaint,
            "reference": complaint.reference,
            "address_lines": _address_lines(complaint.complainant_address),
            "received_on": received,
            "councillors": list(complaint.councillors.select_related("authority").order_by("name")),
            "posts": list(complaint.posts.order_by("position", "pk")),
            "assessment": _due(case, DeadlineKind.ASSESSMENT, start=received, days=settings.TIMESCALE_ASSESSMENT_DAYS),
            "assessment_days": settings.TIMESCALE_ASSESSMENT_DAYS,
        }
    )
    return Letter(
        kind=DocumentKind.ACKNOWLEDGEMENT,
        template="documents/acknowledgement.html",
        title=title,
        series=acknowledgement_series(complaint),
        case=case,
        context=context,
        recipient_name=complaint.complainant_name,
        recipient_email=complaint.complainant_email,
    )


def member_invitation_letter(case: Case, councillor: Councillor, *, now: datetime | None = None) -> Letter:
    """The invitation to the councillor to comment on the complaint(s)."""
    now = now or timezone.now()
    complaints = _complaints(case)
    withhold = Withhold(c for c in complaints if c.identity_withheld)
    posts = list(
        SocialMediaPost.objects.filter(case=case, complaint__councillors=councillor)
        .select_related("complaint__authority", "complaint__code")
        .prefetch_related("complaint__clauses", "evidence")
        .distinct()
    ) or list(case.posts.select_related("complaint__authority").prefetch_related("complaint__clauses", "evidence"))
    entries, evidence = _post_entries(posts, withhold=withhold)
    title = f"Complaint about your conduct: invitation to comment, {case.reference}"
    context = _base_context(title=title, case=case, now=now, audience="councillor")
    context.update(
        {
            "councillor": councillor,
            "posts": entries,
            "complainants": _complainant_lines(complaints, public=False),
            "outcomes_sought": [withhold(c.outcome_sought) for c in complaints if c.outcome_sought],
            "screenshots_withheld": withhold.active,
            "due": _due(
                case,
                DeadlineKind.MEMBER_RESPONSE,
                start=timezone.localdate(now),
                days=settings.TIMESCALE_MEMBER_RESPONSE_DAYS,
            ),
            "response_days": settings.TIMESCALE_MEMBER_RESPONSE_DAYS,
        }
    )
    return Letter(
        kind=DocumentKind.MEMBER_INVITATION,
        template="documents/member_invitation.html",
        title=title,
        series=invitation_series(case, councillor),
        case=case,
        context=context,
        evidence=evidence,
        recipient_name=councillor.name,
        recipient_email=councillor.email,
    )


def councillor_named_in_public_notice(decision: Decision) -> bool:
    """Whether the public notice names the councillor: the council's setting (its principal
    council's, for a parish or town council), by default only where a breach was found."""
    from complaints.selectors.notices import councillor_naming

    return councillor_naming(decision).named


def decision_notice(decision: Decision, *, public: bool, now: datetime | None = None) -> Letter:
    """The decision notice (CSPL best practice 9): for the parties, or the public register's version.

    The public version is drawn from `complaints.selectors.notices.notice_content`, as the
    register's web page is (once published, from the content frozen then): it carries no personal
    data of any complainant, and names the councillor only where the council's setting says so.
    """
    now = now or timezone.now()
    if public:
        return _public_decision_notice(decision, now=now)
    case = decision.case
    complaints = _complaints(case)
    withhold = Withhold(c for c in complaints if public or c.identity_withheld)
    posts = list(
        case.posts.select_related("complaint__authority", "complaint__code").prefetch_related(
            "complaint__clauses", "evidence"
        )
    )
    engaged = {c.number for c in decision.clauses_engaged.all()}
    breached = {c.number for c in decision.clauses_breached.all()}
    entries, _ = _post_entries(posts, withhold=withhold, with_evidence=False)
    for entry in entries:
        # The notice quotes the provisions the decision-maker found engaged, not those alleged.
        quoted = {item["clause"].number: item for item in _quote(entry, engaged | breached)}
        entry.clauses = [
            {**item, "breached": number in breached}
            for number, item in sorted(quoted.items(), key=lambda pair: pair[1]["clause"].position)
        ]
    councillors = _case_councillors(case)
    named = not public or councillor_named_in_public_notice(decision)
    title = ("Decision notice" if not public else "Decision notice (public version)") + f": {case.reference}"
    context = _base_context(title=title, case=case, now=now, audience="public" if public else "parties")
    context.update(
        {
            "decision": decision,
            "public": public,
            "councillors": councillors if named else [],
            "councillor_named": named,
            "authority": case.authority,
            "posts": entries,
            "complainants": _complainant_lines(complaints, public=public),
            "received_on": timezone.localdate(case.opened_at),
            "reasons": withhold(decision.reasons),
            "ip_view": withhold(decision.ip_view),
            "sanctions": withhold(decision.sanctions),
            "decided_by": decision.decided_by.get_full_name() or decision.decided_by.get_username(),
            "review_days": 7,
        }
    )
    kind = DocumentKind.DECISION_NOTICE_PUBLIC if public else DocumentKind.DECISION_NOTICE
    return Letter(
        kind=kind,
        template="documents/decision_notice.html",
        title=title,
        series=notice_series(decision, public=public),
        case=case,
        context=context,
    )


def _public_decision_notice(decision: Decision, *, now: datetime) -> Letter:
    from complaints.models import DecisionNotice
    from complaints.selectors.notices import notice_content, notice_view

    case = decision.case
    try:
        notice = decision.notice
    except DecisionNotice.DoesNotExist:
        notice = None
    content = notice.content if notice is not None and notice.is_public else notice_content(decision)
    title = f"Decision notice (public version): {case.reference}"
    context = _base_context(title=title, case=case, now=now, audience="public")
    context.update({"notice": notice_view(content), "public": True})
    return Letter(
        kind=DocumentKind.DECISION_NOTICE_PUBLIC,
        template="documents/decision_notice_public.html",
        title=title,
        series=notice_series(decision, public=True),
        case=case,
        context=context,
    )


def _quote(entry: PostEntry, numbers: set[str]) -> list[dict]:
    if entry.code is None or not numbers:
        return []
    return [{"clause": clause, "rules": []} for clause in clauses_for(entry.code) if clause.number in numbers]
