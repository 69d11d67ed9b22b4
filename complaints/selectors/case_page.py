"""Reads for the officer case page: everything on it in a fixed number of queries.

The case itself comes from `access.case_for`; its complaints, posts, evidence and documents come
through access.py's querysets, so the page shows nothing the rule would not. Every list is read
with one query (related rows prefetched), and the timeline is paginated, so the number of
queries does not grow with the number of complaints, screenshots or events.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from complaints import access
from complaints.models import (
    CapacityIndicator,
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
from complaints.services.member_notices import TEMPLATE as MEMBER_NOTICE_TEMPLATE
from guidance.models import Clause, CodeOfConduct

TIMELINE_PAGE_SIZE = 50
_PLACEHOLDER = uuid.UUID(int=0)
# What the timeline shows of an event; its details and hashes are for verify_history.
_TIMELINE_FIELDS = ("id", "case_id", "kind", "actor_label", "description", "created_at", "sequence")


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
class PostGroup:
    """One post as the complaints reported it. A viral post reported by sixty complaints is one
    post here, with every report's complaint, the capacity indicators they gave (each with how many
    gave it) and what each said about capacity in their own words."""

    post: SocialMediaPost  # the first report
    reports: list[SocialMediaPost] = field(default_factory=list)
    indicators: list[tuple[str, int]] = field(default_factory=list)
    statements: list[tuple[str, str, str]] = field(default_factory=list)  # reference, other, why

    @property
    def references(self) -> list[str]:
        return [report.complaint_reference for report in self.reports]

    @property
    def latest_check(self) -> SocialMediaPost:
        """The report whose visibility was confirmed or checked last (an officer checks one)."""
        removed = [report for report in self.reports if report.removal_confirmed_at]
        if removed:
            return max(removed, key=lambda report: report.removal_confirmed_at)
        checked = [report for report in self.reports if report.visibility_checked_at]
        return max(checked, key=lambda report: report.visibility_checked_at) if checked else self.post


def _post_key(post: SocialMediaPost):
    if post.normalised_url:
        return ("url", post.normalised_url)
    return ("text", post.platform, post.account_name.strip().lower(), post.posted_on, post.text_reported.strip())


def _post_groups(posts: list[SocialMediaPost]) -> list[PostGroup]:
    groups: dict[tuple, PostGroup] = {}
    for post in posts:
        group = groups.setdefault(_post_key(post), PostGroup(post=post))
        group.reports.append(post)
    labels = dict(CapacityIndicator.choices)
    for group in groups.values():
        counts: dict[str, int] = {}
        for report in group.reports:
            for code in dict.fromkeys(report.capacity_indicators):
                counts[code] = counts.get(code, 0) + 1
            if report.capacity_other or report.capacity_explanation:
                group.statements.append(
                    (report.complaint_reference, report.capacity_other, report.capacity_explanation)
                )
        rank = {code: index for index, code in enumerate(labels)}
        ordered = sorted(counts.items(), key=lambda item: (-item[1], rank.get(item[0], len(rank))))
        group.indicators = [(labels.get(code, code), count) for code, count in ordered]
    return list(groups.values())


@dataclass
class GalleryItem:
    evidence: Evidence
    similar_to: list[Evidence] = field(default_factory=list)
    # Near-duplicates form groups (screenshots linked by similarity, directly or through others),
    # numbered from 1 in upload order; the page names each item's group and its first screenshot
    # rather than listing every pair, which for a viral post would be thousands of links.
    group: int | None = None
    group_size: int = 0
    group_first: Evidence | None = None


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
class CouncillorNoticeRow:
    """A councillor of the case, and the e-mail that told them the outcome (None: not told)."""

    councillor: Councillor
    message: OutboxMessage | None

    @property
    def status(self) -> str:
        if self.message is None and not (self.councillor.email or "").strip():
            return "No e-mail address"
        return NoticeRow.status.fget(self)

    at = NoticeRow.at


@dataclass
class NoticeRound:
    """Everyone told of one decision (or review result): who, and whether their e-mail went."""

    notice: str
    title: str
    queued_at: datetime.datetime
    rows: list[NoticeRow] = field(default_factory=list)
    councillor_rows: list[CouncillorNoticeRow] = field(default_factory=list)

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
    """The case page: summary, complaints, deadlines, documents and the process records."""

    case: Case
    complaints: list[Complaint]
    posts: list[SocialMediaPost]
    councillors: list[CouncillorRow]
    deadlines: list[Deadline]
    documents: list
    records: DecisionRecords = field(default_factory=DecisionRecords)

    @cached_property
    def platforms(self) -> list[str]:
        return sorted({post.platform_label for post in self.posts})

    @property
    def confidential_count(self) -> int:
        return sum(1 for complaint in self.complaints if complaint.identity_withheld)


@dataclass
class EvidencePage:
    """The case's posts and evidence sub-page: each post once, and the gallery of screenshots."""

    post_groups: list[PostGroup]
    gallery: list[GalleryItem]

    @cached_property
    def gallery_groups(self) -> list[tuple[GalleryItem, list[GalleryItem]]]:
        """The gallery with each group of near-duplicates as its first screenshot and the rest,
        which the page lists compactly under it: a viral post's forty near-identical screenshots
        are one picture and a list, not forty pictures."""
        leads: dict[int, tuple[GalleryItem, list[GalleryItem]]] = {}
        groups = []
        for item in self.gallery:
            if item.group is None:
                groups.append((item, []))
            elif item.group in leads:
                leads[item.group][1].append(item)
            else:
                leads[item.group] = (item, [])
                groups.append(leads[item.group])
        return groups


# What the case page and its sections show of a complaint; the rest is read where it is shown.
_SHOWN = (
    "id",
    "public_id",
    "reference",
    "case_id",
    "authority_id",
    "code_id",
    "complainant_name",
    "complainant_email",
    "complainant_type",
    "confidentiality_requested",
    "confidentiality_granted",
    "clauses_not_sure",
    "outcome_sought",
    "submitted_at",
)
_EVIDENCE_SHOWN = (
    "id",
    "public_id",
    "case_id",
    "complaint_id",
    "original_name",
    "sha256",
    "width",
    "height",
    "display",
    "perceptual_hash",
    "uploaded_at",
)


# What the case page's summary needs of a post: its platform, and its date for the in-office checks.
_POST_SUMMARY = ("id", "complaint_id", "position", "platform", "posted_on")


def _complaints(
    user,
    case: Case,
    *,
    posts: bool = True,
    post_fields: tuple[str, ...] | None = None,
    councillors: bool = True,
    clauses: bool = True,
) -> list[Complaint]:
    """The case's complaints, each with `post_list`, `councillor_list` and `clause_list`.

    At most six queries whatever the number of complaints: the complaints, their posts, and the
    distinct councillors and clauses they name (read once each, with the pairs from the link
    tables), so a viral post's sixty complaints about one councillor build one councillor, not
    sixty. A page that shows no posts, councillors or clauses leaves them unread, and one that
    needs only some of a post's fields reads only those (`post_fields`).
    """
    complaints = list(access.complaints_for(user).filter(case=case).order_by("submitted_at", "pk").only(*_SHOWN))
    ids = [complaint.pk for complaint in complaints]
    by_complaint: dict[int, list[SocialMediaPost]] = defaultdict(list)
    if posts:
        rows = SocialMediaPost.objects.filter(complaint_id__in=ids).order_by("position", "pk")
        for post in rows.only(*post_fields) if post_fields else rows:
            by_complaint[post.complaint_id].append(post)
    named: dict[int, list[Councillor]] = defaultdict(list)
    if councillors:
        councillor_pairs = list(
            Complaint.councillors.through.objects.filter(complaint_id__in=ids).values_list(
                "complaint_id", "councillor_id"
            )
        )
        by_pk = {
            councillor.pk: councillor
            for councillor in Councillor.objects.filter(pk__in={pk for _, pk in councillor_pairs}).select_related(
                "authority"
            )
        }
        for complaint_id, councillor_id in councillor_pairs:
            named[complaint_id].append(by_pk[councillor_id])
    alleged: dict[int, list[Clause]] = defaultdict(list)
    if clauses:
        clause_pairs = list(
            Complaint.clauses.through.objects.filter(complaint_id__in=ids).values_list("complaint_id", "clause_id")
        )
        by_id = {
            clause.pk: clause
            for clause in Clause.objects.filter(pk__in={pk for _, pk in clause_pairs})
            .select_related("code")
            .defer("text", "plain_english", "code__summary")
        }
        for complaint_id, clause_id in clause_pairs:
            alleged[complaint_id].append(by_id[clause_id])
    for complaint in complaints:
        complaint.post_list = by_complaint[complaint.pk]
        complaint.councillor_list = sorted(named[complaint.pk], key=lambda councillor: (councillor.name, councillor.pk))
        complaint.clause_list = sorted(alleged[complaint.pk], key=lambda clause: (clause.code_id, clause.position))
    return complaints


def _councillor_rows(complaints: list[Complaint]) -> list[CouncillorRow]:
    rows: dict[int, CouncillorRow] = {}
    checks: dict[tuple[int, datetime.date | None], PostCheck] = {}
    for complaint in complaints:
        for councillor in complaint.councillor_list:
            row = rows.setdefault(councillor.pk, CouncillorRow(councillor=councillor))
            for post in complaint.post_list:
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


def _gallery(user, case: Case, references: dict[int, str]) -> list[GalleryItem]:
    """The case's evidence, each with `complaint_reference` (from `references`, complaint id to
    reference, so no complaint is read again), and its near-duplicate group."""
    evidence = list(access.evidence_for(user).filter(case=case).order_by("uploaded_at", "pk").only(*_EVIDENCE_SHOWN))
    # Each file's two addresses, from one reversed address each rather than a reverse per file.
    display, original = (reverse(name, args=[_PLACEHOLDER]) for name in ("evidence:display", "evidence:original"))
    for item in evidence:
        item.complaint_reference = references.get(item.complaint_id, "")
        item.display_url = display.replace(str(_PLACEHOLDER), str(item.public_id))
        item.original_url = original.replace(str(_PLACEHOLDER), str(item.public_id))
    items = [GalleryItem(evidence=item) for item in evidence]
    hashed = [(index, number) for index, item in enumerate(evidence) if (number := hash_to_int(item.perceptual_hash))]
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, j, _distance in similar_pairs([number for _, number in hashed], settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE):
        a, b = hashed[i][0], hashed[j][0]
        items[a].similar_to.append(evidence[b])
        items[b].similar_to.append(evidence[a])
        parent[max(root(a), root(b))] = min(root(a), root(b))
    members: dict[int, list[int]] = {}
    for index, item in enumerate(items):
        if item.similar_to:
            members.setdefault(root(index), []).append(index)
    for number, first in enumerate(sorted(members), start=1):
        for index in members[first]:
            items[index].group = number
            items[index].group_size = len(members[first])
            items[index].group_first = evidence[first]
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
        alleged = complaint.clause_list
        for post in complaint.post_list:
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


@dataclass(frozen=True)
class RecordsPresent:
    """Which kinds of process record a case has, so that the case page reads only those it has:
    a case early in the process costs one query here instead of one per kind."""

    decisions: bool = True
    information_requests: bool = True
    invitations: bool = True
    consultations: bool = True
    assessment: bool = True


def records_present(case: Case) -> RecordsPresent:
    from complaints.models import Assessment, Consultation, InformationRequest, MemberInvitation

    def any_of(model, **conditions):
        return Exists(model.objects.filter(case=OuterRef("pk"), **conditions))

    row = (
        Case.objects.filter(pk=case.pk)
        .values_list(
            any_of(Decision),
            any_of(InformationRequest),
            any_of(MemberInvitation),
            any_of(Consultation),
            any_of(Assessment, completed_at__isnull=False),
        )
        .get()
    )
    decisions, information_requests, invitations, consultations, assessment = row
    return RecordsPresent(
        decisions=decisions,
        information_requests=information_requests,
        invitations=invitations,
        consultations=consultations,
        assessment=assessment,
    )


def _with_references(complaints: list[Complaint]) -> tuple[list[SocialMediaPost], dict[int, str]]:
    """The complaints' posts (each with `complaint_reference`) and complaint id to reference."""
    posts = [post for complaint in complaints for post in complaint.post_list]
    references = {complaint.pk: complaint.reference for complaint in complaints}
    for post in posts:
        post.complaint_reference = references[post.complaint_id]
    return posts, references


def case_page(user, case: Case, present: RecordsPresent | None = None) -> CasePage:
    """The case page: its summary needs the complaints' councillors and their posts' dates, not
    the clauses alleged or the posts' text (those are on the complaints and evidence pages)."""
    present = present or RecordsPresent()
    complaints = _complaints(user, case, post_fields=_POST_SUMMARY, clauses=False)
    posts, _ = _with_references(complaints)
    councillor_rows = _councillor_rows(complaints)
    return CasePage(
        case=case,
        complaints=complaints,
        posts=posts,
        councillors=councillor_rows,
        deadlines=list(Deadline.objects.filter(case=case).order_by("due_on", "pk")),
        documents=list(access.documents_for(user).filter(case=case).order_by("-generated_at", "pk")),
        records=decision_records(case, complaints, councillors=[row.councillor for row in councillor_rows])
        if present.decisions
        else DecisionRecords(),
    )


def complaints_page(user, case: Case) -> list[Complaint]:
    """The complaints sub-page: each complaint with its complainant and the clauses alleged."""
    return _complaints(user, case, posts=False, councillors=False)


def evidence_page(user, case: Case) -> EvidencePage:
    posts, references = _with_references(_complaints(user, case, councillors=False, clauses=False))
    return EvidencePage(post_groups=_post_groups(posts), gallery=_gallery(user, case, references))


def decision_records(case: Case, complaints: list[Complaint], *, councillors: list[Councillor] = ()) -> DecisionRecords:
    """The case's decisions, informal steps, investigation reports, reviews and who was told of
    each decision (the complainants of `complaints` and the councillors of `councillors`): a fixed
    number of queries, whatever the number of rows."""
    clauses = Clause.objects.select_related("code").order_by("code_id", "position", "pk")
    decisions = list(
        Decision.objects.filter(case=case)
        .select_related("decided_by")
        .prefetch_related(Prefetch("clauses_engaged", queryset=clauses), Prefetch("clauses_breached", queryset=clauses))
        .order_by("decided_on", "pk")
    )
    if not decisions:
        # Steps, reports, reviews and notices all follow a decision: nothing more to read.
        return DecisionRecords()
    messages = list(
        OutboxMessage.objects.filter(case=case, template__in=[NOTICE_TEMPLATE, MEMBER_NOTICE_TEMPLATE])
        .only("public_id", "template", "status", "context", "created_at", "claimed_at", "sent_at", "complaint_id")
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
        notices=_notice_rounds(messages, complaints, list(councillors)),
    )


def _notice_rounds(
    messages: list[OutboxMessage], complaints: list[Complaint], councillors: list[Councillor]
) -> list[NoticeRound]:
    rounds: dict[str, NoticeRound] = {}
    told: dict[str, dict[str, OutboxMessage]] = {}
    told_councillors: dict[str, dict[str, OutboxMessage]] = {}
    titled: set[str] = set()  # rounds titled from a complainant's e-mail
    for message in messages:
        context = message.context or {}
        notice = context.get("notice") or str(message.public_id)
        to_councillor = message.template == MEMBER_NOTICE_TEMPLATE
        if notice not in rounds:
            rounds[notice] = NoticeRound(notice=notice, title=context.get("title", ""), queued_at=message.created_at)
            told[notice], told_councillors[notice] = {}, {}
        # The round is titled as the complainants were told; the councillor's title only when no
        # complainant was e-mailed.
        if not to_councillor and notice not in titled:
            rounds[notice].title = context.get("title", "")
            titled.add(notice)
        if to_councillor:
            told_councillors[notice].setdefault(context.get("councillor", ""), message)
        for reference in context.get("references") or []:
            told[notice].setdefault(reference, message)
    for notice, round_ in rounds.items():
        round_.rows = [NoticeRow(complaint, told[notice].get(complaint.reference)) for complaint in complaints]
        round_.councillor_rows = [
            CouncillorNoticeRow(councillor, told_councillors[notice].get(str(councillor.public_id)))
            for councillor in councillors
        ]
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
    events = Event.objects.filter(case=case).order_by("-created_at", "-sequence").only(*_TIMELINE_FIELDS)
    if kind:
        events = events.filter(Q(kind=kind))
    paginator = Paginator(events, TIMELINE_PAGE_SIZE)
    if number > paginator.num_pages:
        return paginator, None
    return paginator, paginator.page(number)
