"""Who may see what: one access rule per object type, used by every list, search, count, export,
file download and single-record view in the officer workspace.

Each object type has a function returning the queryset a user may list (`cases_for`, ...) and one
returning a single record or raising Http404 (`case_for`, ...). A record the user may not see
answers 404, the same as one that does not exist, so nobody learns what exists.

The rule for cases, from the scope permissions the roles carry (complaints/roles.py):
- `view_council_cases` (Monitoring Officer, Deputy, case officer): every case of the officer's
  principal council and of its parish and town councils;
- `view_appointed_cases` (investigator): the cases they are appointed to investigate;
- `view_consulted_cases` (Independent Person): the cases they are consulted on;
- anyone with a declared conflict of interest on a case never sees it, whatever their role;
- everyone else (committee members, system administrators, no role) sees no case content.
Complaints, posts, evidence and case documents follow their case. Committee reports (documents
without a case) are seen by those with `view_published_reports` once published, and at any time by
the Monitoring Officer and deputy (who also have `view_council_cases`), who prepare them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from complaints.models import (
    Authority,
    Case,
    CommitteeReportRun,
    Complaint,
    ConflictOfInterest,
    Consultation,
    Decision,
    Document,
    DocumentKind,
    Evidence,
    OfficerProfile,
    SocialMediaPost,
)

_NO_SCOPE = object()


def _scope(user) -> Q | None:
    """The condition on Case rows a user may see, or None when they may see no case at all.

    Worked out once per user object (so once per request, where every list on a page asks): the
    roles and council it reads do not change during a request, and conflicts of interest are a
    subquery read by each query, so one declared since is still honoured.
    """
    cached = getattr(user, "_standards_case_scope", _NO_SCOPE)
    if cached is _NO_SCOPE:
        cached = _scope_uncached(user)
        if getattr(user, "pk", None) is not None:
            user._standards_case_scope = cached
    return cached


def _scope_uncached(user) -> Q | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    scope = Q(pk__in=[])
    allowed = False
    if user.has_perm("complaints.view_council_cases"):
        councils = officer_councils(user)
        if councils:
            # The council and its parish and town councils, as a list of ids the query carries:
            # the database then knows which councils, rather than joining each case to a subquery.
            scope |= Q(authority_id__in=[council.pk for council in councils])
            allowed = True
    if user.has_perm("complaints.view_appointed_cases"):
        scope |= Q(investigator=user)
        allowed = True
    if user.has_perm("complaints.view_consulted_cases"):
        scope |= Q(Exists(Consultation.objects.filter(case=OuterRef("pk"), independent_person=user)))
        allowed = True
    if not allowed:
        return None
    return scope & ~Q(Exists(ConflictOfInterest.objects.filter(case=OuterRef("pk"), officer=user)))


def officer_council_id(user) -> int | None:
    """The officer's own (principal) council, or None. The sign-in backend reads it with the user
    (complaints/backends.py), so a request does not read it again."""
    try:
        return user.officer_profile.authority_id
    except OfficerProfile.DoesNotExist:
        return None


def officer_councils(user) -> list[Authority]:
    """The officer's own (principal) council and its parish and town councils, or [] for a user
    without a council. Read once per user object (so once per request)."""
    cached = getattr(user, "_standards_councils", None)
    if cached is None:
        authority_id = officer_council_id(user) if getattr(user, "is_authenticated", False) else None
        cached = []
        if authority_id is not None:
            cached = list(Authority.objects.filter(Q(pk=authority_id) | Q(parent_id=authority_id)))
        if getattr(user, "pk", None) is not None:
            user._standards_councils = cached
    return cached


def cases_for(user) -> QuerySet[Case]:
    """Every case the user may see."""
    scope = _scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def case_for(user, reference: str) -> Case:
    """The case with this reference, if the user may see it; otherwise 404."""
    try:
        return (
            cases_for(user)
            .select_related("authority__parent", "assigned_officer", "investigator")
            .get(reference=reference)
        )
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def can_see_case(user, case: Case) -> bool:
    return cases_for(user).filter(pk=case.pk).exists()


def complaints_for(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(case__in=cases_for(user).values("pk"))


def complaint_for(user, reference: str) -> Complaint:
    try:
        return complaints_for(user).select_related("case", "authority").get(reference=reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint.") from None


def decisions_for(user) -> QuerySet[Decision]:
    return Decision.objects.filter(case__in=cases_for(user).values("pk"))


def decision_for(user, reference: str, public_id) -> Decision:
    """The decision with this public id on the case with this reference, if the user may see it."""
    try:
        return (
            decisions_for(user)
            .select_related("case__authority__parent", "case__assigned_officer", "decided_by")
            .get(case__reference=reference, public_id=public_id)
        )
    except (Decision.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such decision.") from None


def posts_for(user) -> QuerySet[SocialMediaPost]:
    return SocialMediaPost.objects.filter(case__in=cases_for(user).values("pk"))


def evidence_for(user) -> QuerySet[Evidence]:
    return Evidence.objects.filter(case__in=cases_for(user).values("pk"))


def evidence_item_for(user, public_id) -> Evidence:
    try:
        return evidence_for(user).select_related("case").get(public_id=public_id)
    except (Evidence.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such evidence.") from None


def documents_for(user) -> QuerySet[Document]:
    """Case documents follow their case; published committee reports go to those who may read them."""
    condition = Q(case__in=cases_for(user).values("pk"))
    if (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("complaints.view_published_reports")
    ):
        condition |= Q(case__isnull=True, kind=DocumentKind.COMMITTEE_REPORT, published_at__isnull=False)
    if may_prepare_reports(user):
        condition |= Q(case__isnull=True, kind=DocumentKind.COMMITTEE_REPORT)
    return Document.objects.filter(condition)


def may_prepare_reports(user) -> bool:
    """The Monitoring Officer and deputy (a council's cases and the committee's reports) prepare
    committee reports, see them before publication and publish them."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("complaints.view_council_cases")
        and user.has_perm("complaints.view_published_reports")
    )


def report_runs_for(user) -> QuerySet[CommitteeReportRun]:
    if not may_prepare_reports(user):
        return CommitteeReportRun.objects.none()
    return CommitteeReportRun.objects.all()


def report_run_for(user, public_id) -> CommitteeReportRun:
    try:
        return report_runs_for(user).select_related("document").get(public_id=public_id)
    except (CommitteeReportRun.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such report.") from None


def document_for(user, public_id) -> Document:
    try:
        return documents_for(user).select_related("case").get(public_id=public_id)
    except (Document.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such document.") from None
