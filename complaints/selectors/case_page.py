"""Reads for the officer case page: everything on it in a fixed number of queries.

The case itself comes from `access.case_for`; its complaints, posts, evidence and documents come
through access.py's querysets, so the page shows nothing the rule would not. Every list is read
with one query (related rows prefetched), and the timeline is paginated, so the number of
queries does not grow with the number of complaints, screenshots or events.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q

from complaints import access
from complaints.models import (
    Case,
    Complaint,
    Councillor,
    Deadline,
    Decision,
    DecisionKind,
    Event,
    EventKind,
    Evidence,
    InformalStep,
    InvestigationReport,
    OutboxMessage,
    ReviewRequest,
    SocialMediaPost,
)
from complaints.selectors.duplicates import hash_to_int, similar_pairs
from complaints.services.complainant_notices import TEMPLATE as NOTICE_TEMPLATE
from guidance.models import Clause, CodeOfConduct

TIMELINE_PAGE_SIZE = 50


@dataclass
class PostCheck:
    """A councillor against the posts of one day: were they in office on the day of posting?"""

    posted_on: datetime.date | None  # None for posts without a date
    in_office: bool | None  # None when the date is not known
    references: list[str] = field(default_factory=list)  # the complaints reporting those posts


@dataclass
class CouncillorRow:
    councillor: Councillor
    checks: list[PostCheck] = field(default_factory=list)


@dataclass
class GalleryItem:
    evidence: Evidence
    similar_to: list[Evidence] = field(default_factory=list)


@dataclass
class CodeForPost:
    """The code in force for the case's council on the day of a post, and the clauses alleged."""

    post: SocialMediaPost
    code: CodeOfConduct | None
    clauses: list[Clause]
    other_clauses: list[Clause]  # alleged against another version of the code

    @property
    def anchor(self) -> str:
        return f"post-{self.post.public_id}"


@dataclass
class NoticeRow:
    """One complaint of the case, and the e-mail that told its complainant (None: not told)."""

    complaint: Complaint
    message: OutboxMessage | None

    @property
    def status(self) -> str:
        if self.message is None:
            return "Not told"
        return {"pending": "Queued", "sending": "Sending", "sent": "Sent", "failed": "Failed"}[self.message.status]

    @property
    def at(self):
        message = self.message
        if message is None:
            return None
        if message.status == "sent":
            return message.sent_at
        if message.status in ("sending", "failed"):
            return message.claimed_at or message.created_at
        return message.created_at


@dataclass
class NoticeRound:
    """Everyone told of one decision (or review result): who, and whether their e-mail went."""

    notice: str
    title: str
    queued_at: datetime.datetime
    rows: list[NoticeRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts


@dataclass
class DecisionRecords:
    """What was decided on the case and what followed, each read in one query."""

    decisions: list[Decision] = field(default_factory=list)
    informal_steps: list[InformalStep] = field(default_factory=list)
    investigation_reports: list[InvestigationReport] = field(default_factory=list)
    reviews: list[ReviewRequest] = field(default_factory=list)
    notices: list[NoticeRound] = field(default_factory=list)

    @property
    def outcome_decisions(self) -> list[Decision]:
        return [decision for decision in self.decisions if decision.kind != DecisionKind.HEARING]

    @property
    def hearings(self) -> list[Decision]:
        return [decision for decision in self.decisions if decision.kind == DecisionKind.HEARING]

    @property
    def steps_outstanding(self) -> int:
        return sum(1 for step in self.informal_steps if step.status == "pending")


@dataclass
class CasePage:
    case: Case
    complaints: list[Complaint]
    posts: list[SocialMediaPost]
    councillors: list[CouncillorRow]
    gallery: list[GalleryItem]
    deadlines: list[Deadline]
    documents: list
    codes: list[CodeForPost]
    records: DecisionRecords = field(default_factory=DecisionRecords)

    @property
    def platforms(self) -> list[str]:
        return sorted({post.get_platform_display() for post in self.posts})

    @property
    def confidential_count(self) -> int:
        return sum(1 for complaint in self.complaints if complaint.identity_withheld)


def _complaints(user, case: Case) -> list[Complaint]:
    posts = SocialMediaPost.objects.order_by("position", "pk")
    clauses = Clause.objects.select_related("code").order_by("code_id", "position")
    return list(
        access.complaints_for(user)
        .filter(case=case)
        .order_by("submitted_at", "pk")
        .prefetch_related(
            Prefetch("councillors", queryset=Councillor.objects.select_related("authority").order_by("name")),
            Prefetch("clauses", queryset=clauses),
            Prefetch("posts", queryset=posts),
        )
    )


def _councillor_rows(complaints: list[Complaint]) -> list[CouncillorRow]:
    rows: dict[int, CouncillorRow] = {}
    checks: dict[tuple[int, datetime.date | None], PostCheck] = {}
    for complaint in complaints:
        for councillor in complaint.councillors.all():
            row = rows.setdefault(councillor.pk, CouncillorRow(councillor=councillor))
            for post in complaint.posts.all():
                key = (councillor.pk, post.posted_on)
                if key not in checks:
                    in_office = councillor.in_office_on(post.posted_on) if post.posted_on else None
                    checks[key] = PostCheck(posted_on=post.posted_on, in_office=in_office)
                    row.checks.append(checks[key])
                if complaint.reference not in checks[key].references:
                    checks[key].references.append(complaint.reference)
    for row in rows.values():
        row.checks.sort(key=lambda check: (check.posted_on is None, check.posted_on or datetime.date.min))
    return sorted(rows.values(), key=lambda row: row.councillor.name)


def _gallery(user, case: Case) -> list[GalleryItem]:
    evidence = list(
        access.evidence_for(user)
        .filter(case=case)
        .select_related("complaint", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    items = [GalleryItem(evidence=item) for item in evidence]
    hashed = [(index, number) for index, item in enumerate(evidence) if (number := hash_to_int(item.perceptual_hash))]
    for i, j, _distance in similar_pairs([number for _, number in hashed], settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE):
        a, b = hashed[i][0], hashed[j][0]
        items[a].similar_to.append(evidence[b])
        items[b].similar_to.append(evidence[a])
    return items


def codes_for_authority(authority) -> list[CodeOfConduct]:
    """Every version of the codes that may apply to `authority` (its own, then its principal's),
    with their clauses, in one query each."""
    ids = [authority.pk] + ([authority.parent_id] if authority.parent_id else [])
    return list(
        CodeOfConduct.objects.filter(authority_id__in=ids)
        .select_related("authority")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("position", "pk")))
    )


def code_in_force_among(codes: list[CodeOfConduct], *, authority, on: datetime.date) -> CodeOfConduct | None:
    """guidance.selectors.code_in_force over codes already read: the authority's own code first,
    then its principal's; among versions in force, the one that came into force last."""
    in_force = [
        code for code in codes if code.effective_from <= on and (code.effective_to is None or code.effective_to >= on)
    ]
    if not in_force:
        return None
    return min(
        in_force,
        key=lambda code: (0 if code.authority_id == authority.pk else 1, -code.effective_from.toordinal(), -code.pk),
    )


def _codes(case: Case, complaints: list[Complaint]) -> list[CodeForPost]:
    codes = codes_for_authority(case.authority)
    result = []
    for complaint in complaints:
        alleged = list(complaint.clauses.all())
        for post in complaint.posts.all():
            code = code_in_force_among(codes, authority=case.authority, on=post.posted_on) if post.posted_on else None
            if code is None:
                # Without a date (or a code in force then) show the code the complainant chose.
                code = next((c for c in codes if c.pk == complaint.code_id), None)
            in_code = [clause for clause in alleged if code is not None and clause.code_id == code.pk]
            if code is not None:
                # A clause alleged against another version counts where this version has the same number.
                numbers = {clause.number for clause in in_code}
                by_number = {clause.number: clause for clause in code.clauses.all()}
                for clause in alleged:
                    if clause.code_id != code.pk and clause.number in by_number and clause.number not in numbers:
                        in_code.append(by_number[clause.number])
                        numbers.add(clause.number)
            other = [clause for clause in alleged if code is None or clause.code_id != code.pk]
            other = [clause for clause in other if not any(c.number == clause.number for c in in_code)]
            in_code.sort(key=lambda clause: (clause.position, clause.pk))
            result.append(CodeForPost(post=post, code=code, clauses=in_code, other_clauses=other))
    return result


def case_page(user, case: Case) -> CasePage:
    complaints = _complaints(user, case)
    posts = [post for complaint in complaints for post in complaint.posts.all()]
    references = {complaint.pk: complaint.reference for complaint in complaints}
    for post in posts:
        post.complaint_reference = references[post.complaint_id]
    return CasePage(
        case=case,
        complaints=complaints,
        posts=posts,
        councillors=_councillor_rows(complaints),
        gallery=_gallery(user, case),
        deadlines=list(Deadline.objects.filter(case=case).order_by("due_on", "pk")),
        documents=list(access.documents_for(user).filter(case=case).order_by("-generated_at", "pk")),
        codes=_codes(case, complaints),
        records=decision_records(case, complaints),
    )


def decision_records(case: Case, complaints: list[Complaint]) -> DecisionRecords:
    """The case's decisions, informal steps, investigation reports, reviews and who was told of
    each decision: a fixed number of queries, whatever the number of rows."""
    clauses = Clause.objects.select_related("code").order_by("code_id", "position", "pk")
    decisions = list(
        Decision.objects.filter(case=case)
        .select_related("decided_by")
        .prefetch_related(Prefetch("clauses_engaged", queryset=clauses), Prefetch("clauses_breached", queryset=clauses))
        .order_by("decided_on", "pk")
    )
    messages = list(
        OutboxMessage.objects.filter(case=case, template=NOTICE_TEMPLATE)
        .only("public_id", "status", "context", "created_at", "claimed_at", "sent_at", "complaint_id")
        .order_by("created_at", "pk")
    )
    return DecisionRecords(
        decisions=decisions,
        informal_steps=list(InformalStep.objects.filter(case=case).select_related("recorded_by").order_by("pk")),
        investigation_reports=list(
            InvestigationReport.objects.filter(case=case)
            .select_related("investigator", "recorded_by")
            .order_by("recorded_at", "pk")
        ),
        reviews=list(
            ReviewRequest.objects.filter(case=case)
            .select_related("complaint", "recorded_by", "decided_by", "decision")
            .order_by("recorded_at", "pk")
        ),
        notices=_notice_rounds(messages, complaints),
    )


def _notice_rounds(messages: list[OutboxMessage], complaints: list[Complaint]) -> list[NoticeRound]:
    rounds: dict[str, NoticeRound] = {}
    told: dict[str, dict[str, OutboxMessage]] = {}
    for message in messages:
        context = message.context or {}
        notice = context.get("notice") or str(message.public_id)
        if notice not in rounds:
            rounds[notice] = NoticeRound(notice=notice, title=context.get("title", ""), queued_at=message.created_at)
            told[notice] = {}
        for reference in context.get("references") or []:
            told[notice].setdefault(reference, message)
    for notice, round_ in rounds.items():
        round_.rows = [NoticeRow(complaint, told[notice].get(complaint.reference)) for complaint in complaints]
    return list(rounds.values())


def case_codes(user, case: Case) -> list[CodeForPost]:
    """The code sub-page: for each post, the code in force on its date and the clauses alleged."""
    return _codes(case, _complaints(user, case))


def timeline_kinds(case: Case) -> list[tuple[str, str]]:
    """The kinds of event this case has, as (value, label), for the timeline filter."""
    present = set(Event.objects.filter(case=case).order_by().values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in EventKind.choices if value in present]


def timeline_page(case: Case, *, kind: str = "", number: int = 1) -> tuple[Paginator, Page | None]:
    """One page of the case's events, newest first, optionally of one kind. None past the last page."""
    events = Event.objects.filter(case=case).order_by("-created_at", "-sequence")
    if kind:
        events = events.filter(Q(kind=kind))
    paginator = Paginator(events, TIMELINE_PAGE_SIZE)
    if number > paginator.num_pages:
        return paginator, None
    return paginator, paginator.page(number)
