"""Reads for the triage dashboard: which cases, in what order, with what on each row.

Everything starts from `access.cases_for(user)`: the list, its counts, the search and the choices
offered in the filters. The number of queries is fixed: a page of rows gets its councillors,
platforms and complaint counts in one query each, whatever the number of rows or cases stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, Q, QuerySet, Subquery, Value, When

from complaints import roles
from complaints.models import Authority, Case, Complaint, SocialMediaPost, Stage
from complaints.services import working_days

OPEN = ~Q(stage=Stage.CLOSED)
OPEN_STAGES = [stage for stage in Stage if stage != Stage.CLOSED]
NEW_STAGES = (Stage.RECEIVED, Stage.ACKNOWLEDGED)
UNASSIGNED = "unassigned"

# Sort keys offered by the table; each is (ascending order, descending order).
_STAGE_ORDER = When_(
    *[When(stage=stage.value, then=Value(index)) for index, stage in enumerate(Stage)],
    default=Value(len(Stage)),
    output_field=IntegerField(),
)
SORTS = {
    "due": (
        [F("next_due_on").asc(nulls_last=True), F("opened_at").asc(), F("pk").asc()],
        [F("next_due_on").desc(nulls_last=True), F("opened_at").desc(), F("pk").desc()],
    ),
    "reference": ([F("reference").asc()], [F("reference").desc()]),
    "received": ([F("opened_at").asc(), F("pk").asc()], [F("opened_at").desc(), F("pk").desc()]),
    "stage": ([_STAGE_ORDER.asc(), F("opened_at").asc()], [_STAGE_ORDER.desc(), F("opened_at").desc()]),
}
DEFAULT_SORT = "due"

# Words of a search, for prefix matching of names ("smi" finds "Smith").
_WORD = re.compile(r"[\w']+", re.UNICODE)


@dataclass(frozen=True)
class DashboardFilters:
    """What the officer asked for, already validated (complaints/forms/officer.py)."""

    stages: tuple[str, ...] = ()
    council: Authority | None = None
    councillor: str = ""
    platforms: tuple[str, ...] = ()
    clause_categories: tuple[str, ...] = ()
    officer: object = None  # a user, UNASSIGNED, or None for anyone
    received_from: date | None = None
    received_to: date | None = None
    overdue_only: bool = False
    query: str = ""
    new_unassigned: bool = False
    sort: str = DEFAULT_SORT
    descending: bool = False


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def _overdue(today: date) -> Q:
    """A running clock is past its due date (next_due_on is the earliest of them, kept by the database)."""
    return Q(next_due_on__lt=today)


def dashboard_cases(
    visible: QuerySet[Case], filters: DashboardFilters, *, today: date, full_text: bool | None = None
) -> QuerySet[Case]:
    """The cases to list, from the cases the user may see (`access.cases_for(user)`)."""
    cases = visible
    if filters.stages:
        cases = cases.filter(stage__in=filters.stages)
    elif not filters.query:
        # The working list is the open cases; a search looks through closed ones too.
        cases = cases.filter(OPEN)
    if filters.new_unassigned:
        cases = cases.filter(stage__in=NEW_STAGES, assigned_officer__isnull=True)
    if filters.council is not None:
        if filters.council.is_principal:
            cases = cases.filter(Q(authority=filters.council) | Q(authority__parent=filters.council))
        else:
            cases = cases.filter(authority=filters.council)
    if filters.councillor:
        named = Complaint.councillors.through.objects.filter(councillor__name__icontains=filters.councillor)
        cases = cases.filter(pk__in=named.values("complaint__case_id"))
    if filters.platforms:
        cases = cases.filter(pk__in=SocialMediaPost.objects.filter(platform__in=filters.platforms).values("case_id"))
    if filters.clause_categories:
        alleged = Complaint.clauses.through.objects.filter(clause__category__in=filters.clause_categories)
        cases = cases.filter(pk__in=alleged.values("complaint__case_id"))
    if filters.officer == UNASSIGNED:
        cases = cases.filter(assigned_officer__isnull=True)
    elif filters.officer is not None:
        cases = cases.filter(assigned_officer=filters.officer)
    if filters.received_from:
        cases = cases.filter(opened_at__date__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(opened_at__date__lte=filters.received_to)
    if filters.overdue_only:
        cases = cases.filter(_overdue(today))
    if filters.query:
        cases = cases.filter(search_condition(filters.query, full_text=full_text))
    ascending, descending = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return cases.annotate(next_due=F("next_due_on")).order_by(*(descending if filters.descending else ascending))


def search_condition(text: str, *, full_text: bool | None = None) -> Q:
    """Cases matching a reference (case or complaint), councillor, complainant or the text of a post.

    On PostgreSQL the post text and complainant names use full-text search, backed by GIN indexes
    on the same expressions (migration 0011); elsewhere a plain contains search.
    """
    if full_text is None:
        full_text = full_text_available()
    text = text.strip()
    reference = text.upper()
    # One IN (... UNION ALL ...) rather than an OR of subqueries: the database then looks up only
    # the matching cases by primary key instead of testing every case it may show.
    parts = [
        Case.objects.filter(reference=reference).values("pk"),
        Complaint.objects.filter(reference=reference).values("case_id"),
        Complaint.councillors.through.objects.filter(councillor__name__icontains=text).values("complaint__case_id"),
    ]
    if full_text:
        posts = SocialMediaPost.objects.annotate(document=SearchVector("text_reported", config="english")).filter(
            document=SearchQuery(text, config="english", search_type="websearch")
        )
        parts.append(posts.values("case_id"))
        words = [word.replace("'", "") for word in _WORD.findall(text)]
        prefixes = " & ".join(f"'{word}':*" for word in words if word)
        if prefixes:
            names = Complaint.objects.annotate(document=SearchVector("complainant_name", config="simple")).filter(
                document=SearchQuery(prefixes, config="simple", search_type="raw")
            )
            parts.append(names.values("case_id"))
    else:
        parts.append(SocialMediaPost.objects.filter(text_reported__icontains=text).values("case_id"))
        parts.append(Complaint.objects.filter(complainant_name__icontains=text).values("case_id"))
    parts = [part.order_by() for part in parts]
    return Q(pk__in=parts[0].union(*parts[1:], all=True))


# -- rows ---------------------------------------------------------------------------------------


@dataclass
class Due:
    on: date
    working_days: int
    overdue: bool
    today: bool

    @property
    def text(self) -> str:
        if self.today:
            return "Due today"
        days = "working day" if self.working_days == 1 else "working days"
        if self.overdue:
            return f"Overdue by {self.working_days} {days}" if self.working_days else "Overdue"
        return f"Due in {self.working_days} {days}"

    @property
    def soon(self) -> bool:
        return not self.overdue and self.working_days <= 3


@dataclass
class CaseRow:
    case: Case
    councillors: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    complaints: int = 0
    confidential: bool = False
    due: Due | None = None

    @property
    def principal(self) -> Authority:
        return self.case.authority.principal

    @property
    def local_council(self) -> Authority | None:
        return None if self.case.authority.is_principal else self.case.authority


def _calendar_days_counter():
    """Working days between two dates for a council, for many rows at once.

    Each nation's working days are counted once, as running totals over the span of dates the
    page needs, so a row costs a subtraction however far its due date is from today.
    """
    totals: dict[str, tuple[date, list[int]]] = {}

    def running_totals(nation: str, start: date, end: date) -> tuple[date, list[int]]:
        known = totals.get(nation)
        if known is not None:
            first, counts = known
            if first <= start and end < first + timedelta(days=len(counts)):
                return known
            start, end = min(start, first), max(end, first + timedelta(days=len(counts) - 1))
        counts, running, day = [], 0, start
        while day <= end:
            running += 1 if working_days.is_working_day(day, nation=nation) else 0
            counts.append(running)
            day += timedelta(days=1)
        totals[nation] = (start, counts)
        return totals[nation]

    def between(authority: Authority, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        first, counts = running_totals(authority.principal.nation, start, end)
        return counts[(end - first).days] - counts[(start - first).days]

    return between


def due_for(next_due: date | None, authority: Authority, *, today: date, between=None) -> Due | None:
    if next_due is None:
        return None
    between = between or _calendar_days_counter()
    if next_due == today:
        return Due(on=next_due, working_days=0, overdue=False, today=True)
    if next_due > today:
        return Due(on=next_due, working_days=between(authority, today, next_due), overdue=False, today=False)
    return Due(on=next_due, working_days=between(authority, next_due, today), overdue=True, today=False)


def dashboard_rows(cases: list[Case], *, today: date) -> list[CaseRow]:
    """Rows for a page of cases (annotated with next_due): three queries whatever the page size."""
    rows = {case.pk: CaseRow(case=case) for case in cases}
    if not rows:
        return []
    ids = list(rows)
    counts = (
        Complaint.objects.filter(case_id__in=ids)
        .order_by()
        .values("case_id")
        .annotate(total=Count("pk"), confidential=Count("pk", filter=Q(confidentiality_requested=True)))
    )
    for entry in counts:
        rows[entry["case_id"]].complaints = entry["total"]
        rows[entry["case_id"]].confidential = entry["confidential"] > 0
    named = (
        Complaint.councillors.through.objects.filter(complaint__case_id__in=ids)
        .order_by("councillor__name")
        .values_list("complaint__case_id", "councillor__name")
        .distinct()
    )
    for case_id, name in named:
        if name not in rows[case_id].councillors:
            rows[case_id].councillors.append(name)
    labels = dict(SocialMediaPost._meta.get_field("platform").choices)
    platforms = (
        SocialMediaPost.objects.filter(case_id__in=ids)
        .order_by("platform")
        .values_list("case_id", "platform")
        .distinct()
    )
    for case_id, platform in platforms:
        label = labels.get(platform, platform)
        if label not in rows[case_id].platforms:
            rows[case_id].platforms.append(label)
    between = _calendar_days_counter()
    dues = [row.case.next_due for row in rows.values() if getattr(row.case, "next_due", None)]
    if dues:  # one span for the whole page
        between(cases[0].authority, min([today, *dues]), max([today, *dues]))
    for row in rows.values():
        row.due = due_for(getattr(row.case, "next_due", None), row.case.authority, today=today, between=between)
    return [rows[case.pk] for case in cases]


# -- counts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class DashboardCounts:
    open: int
    overdue: int
    due_this_week: int
    unassigned: int
    stages: list[StageCount]


def week_end(today: date) -> date:
    """The Sunday ending the week that contains `today`."""
    return today + timedelta(days=6 - today.weekday())


def dashboard_counts(visible: QuerySet[Case], *, today: date) -> DashboardCounts:
    """Counts over the open cases the user may see, in one query.

    A case's next due date is the earliest of its running clocks, so it is overdue when that date
    has passed and due this week (and not overdue) when it falls between today and Sunday."""
    figures = visible.filter(OPEN).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=_overdue(today)),
        due_this_week=Count("pk", filter=Q(next_due_on__gte=today, next_due_on__lte=week_end(today))),
        unassigned=Count("pk", filter=Q(assigned_officer__isnull=True)),
        **{f"stage_{stage.value}": Count("pk", filter=Q(stage=stage.value)) for stage in OPEN_STAGES},
    )
    return DashboardCounts(
        open=figures["open"],
        overdue=figures["overdue"],
        due_this_week=figures["due_this_week"],
        unassigned=figures["unassigned"],
        stages=[StageCount(stage.value, stage.label, figures[f"stage_{stage.value}"]) for stage in OPEN_STAGES],
    )


# -- choices for the filters --------------------------------------------------------------------


def council_choices(user, visible: QuerySet[Case]) -> list[tuple[Authority, list[Authority]]]:
    """Councils to filter by: each principal council with its parish and town councils.

    An officer gets their own principal council and its local councils (council names are public;
    the cases listed still come from the access rule). Anyone else gets the councils of the cases
    they may see, which for investigators and Independent Persons are few. Scanning every visible
    case for its council would cost more than the rest of the page at 100,000 cases.
    """
    from complaints.models import OfficerProfile

    home = OfficerProfile.objects.filter(user=user).values_list("authority_id", flat=True).first()
    if home is not None:
        authorities = Authority.objects.filter(Q(pk=home) | Q(parent_id=home))
    else:
        authorities = Authority.objects.filter(pk__in=visible.values("authority_id"))
    authorities = authorities.select_related("parent")
    principals: dict[int, Authority] = {}
    locals_: dict[int, list[Authority]] = defaultdict(list)
    for authority in authorities:
        if authority.is_principal:
            principals[authority.pk] = authority
        else:
            locals_[authority.parent_id].append(authority)
            principals.setdefault(authority.parent_id, authority.parent)
    ordered = sorted(principals.values(), key=lambda a: a.name)
    return [(principal, sorted(locals_[principal.pk], key=lambda a: a.name)) for principal in ordered]


def officer_choices(user) -> QuerySet:
    """Officers of the same council who can take cases: Monitoring Officer, deputy, case officers."""
    from complaints.models import OfficerProfile

    authority_id = OfficerProfile.objects.filter(user=user).values("authority_id")[:1]
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            officer_profile__authority_id=Subquery(authority_id),
            groups__name__in=(roles.MONITORING_OFFICER, roles.DEPUTY_MONITORING_OFFICER, roles.CASE_OFFICER),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class SearchPaginator(Paginator):
    """Pages of a search, running the search once.

    A plain Paginator runs the list's query twice, once to count and once for the page; with a
    search that is the costly part (matches in posts, names and references, checked against the
    access rule) done twice. This one reads the ids of every match in order with that query, counts
    them in Python, and reads only the page's rows again, by id.
    """

    def __init__(self, cases: QuerySet[Case], per_page: int):
        self._model_rows = Case.objects.annotate(next_due=F("next_due_on")).select_related(
            "authority__parent", "assigned_officer"
        )
        super().__init__(list(cases.values_list("pk", flat=True)), per_page)

    def _get_page(self, ids, number, paginator):
        by_id = self._model_rows.in_bulk(list(ids))
        return super()._get_page([by_id[pk] for pk in ids if pk in by_id], number, paginator)
