"""Reads for the triage dashboard: which cases, in what order, with what on each row.

Everything starts from `access.cases_for(user)`: the list, its counts, the search and the choices
offered in the filters. The number of queries is fixed: a page of rows gets its councillors,
platforms and complaint counts in one query each, whatever the number of rows or cases stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models import Case as When_
from django.urls import reverse
from django.utils import timezone

from complaints import access, roles
from complaints.models import Authority, Case, Complaint, SocialMediaPost, Stage, post_search
from complaints.services import working_days
from complaints.templatetags.dates import date as format_date

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


def dashboard_condition(filters: DashboardFilters, *, today: date, full_text: bool | None = None) -> Q:
    """The condition a case must meet to be listed, on top of the access rule."""
    condition = Q()
    if filters.stages:
        condition &= Q(stage__in=filters.stages)
    elif not filters.query:
        # The working list is the open cases; a search looks through closed ones too.
        condition &= OPEN
    if filters.new_unassigned:
        condition &= Q(stage__in=NEW_STAGES, assigned_officer__isnull=True)
    if filters.council is not None:
        if filters.council.is_principal:
            # The council and its parish and town councils, as one list of ids: no join per case.
            councils = Authority.objects.filter(Q(pk=filters.council.pk) | Q(parent_id=filters.council.pk))
            condition &= Q(authority_id__in=councils.values("pk"))
        else:
            condition &= Q(authority_id=filters.council.pk)
    if filters.councillor:
        named = Complaint.councillors.through.objects.filter(councillor__name__icontains=filters.councillor)
        condition &= Q(pk__in=named.values("complaint__case_id"))
    if filters.platforms:
        condition &= Q(pk__in=SocialMediaPost.objects.filter(platform__in=filters.platforms).values("case_id"))
    if filters.clause_categories:
        alleged = Complaint.clauses.through.objects.filter(clause__category__in=filters.clause_categories)
        condition &= Q(pk__in=alleged.values("complaint__case_id"))
    if filters.officer == UNASSIGNED:
        condition &= Q(assigned_officer__isnull=True)
    elif filters.officer is not None:
        condition &= Q(assigned_officer=filters.officer)
    if filters.received_from:
        condition &= Q(opened_at__date__gte=filters.received_from)
    if filters.received_to:
        condition &= Q(opened_at__date__lte=filters.received_to)
    if filters.overdue_only:
        condition &= _overdue(today)
    if filters.query:
        condition &= search_condition(filters.query, full_text=full_text)
    return condition


def only_open_cases_listed(filters: DashboardFilters) -> bool:
    """Whether every case the list can show is open: then the counts query counts the list too."""
    if filters.stages:
        return Stage.CLOSED not in filters.stages
    return not filters.query


def dashboard_order(filters: DashboardFilters) -> list:
    ascending, descending = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return descending if filters.descending else ascending


def dashboard_cases(
    visible: QuerySet[Case], filters: DashboardFilters, *, today: date, full_text: bool | None = None
) -> QuerySet[Case]:
    """The cases to list, from the cases the user may see (`access.cases_for(user)`)."""
    condition = dashboard_condition(filters, today=today, full_text=full_text)
    return visible.filter(condition).order_by(*dashboard_order(filters))


class PostsMatch(Expression):
    """Whether a case's posts hold the words of a search (web-search syntax, English stemming),
    read from the case's own search document (complaints/models/post_search.py; PostgreSQL)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, text: str):
        super().__init__()
        self.case = F("pk")
        self.text = text

    def get_source_expressions(self):
        return [self.case]

    def set_source_expressions(self, exprs):
        (self.case,) = exprs

    def as_sql(self, compiler, connection):
        # Once resolved, `case` is the case's primary key column: its alias names the case table
        # however the query calls it (a subquery renames it).
        table = compiler.quote_name_unless_alias(self.case.alias)
        return f"{table}.{post_search.COLUMN} @@ websearch_to_tsquery('english'::regconfig, %s)", [self.text]


def search_condition(text: str, *, full_text: bool | None = None) -> Q:
    """Cases matching a reference (case or complaint), councillor, complainant or the text of a post.

    On PostgreSQL the words of the posts are matched against each case's search document (the
    words of all its posts, complaints/models/post_search.py) and complainant names by full-text
    search (GIN index, migration 0011). The references and names are looked up first, in one query
    (a few cases at most), so that the list's own query finds every matching case through the
    case table's indexes alone, with the access rule and the sort in the same pass. Elsewhere a
    plain contains search for each word.
    """
    if full_text is None:
        full_text = full_text_available()
    text = text.strip()
    reference = text.upper()
    parts = [
        Case.objects.filter(reference=reference).values_list("pk"),
        Complaint.objects.filter(reference=reference).values_list("case_id"),
        Complaint.councillors.through.objects.filter(councillor__name__icontains=text).values_list(
            "complaint__case_id"
        ),
    ]
    if full_text:
        words = [word.replace("'", "") for word in _WORD.findall(text)]
        prefixes = " & ".join(f"'{word}':*" for word in words if word)
        if prefixes:
            names = Complaint.objects.annotate(document=SearchVector("complainant_name", config="simple")).filter(
                document=SearchQuery(prefixes, config="simple", search_type="raw")
            )
            parts.append(names.values_list("case_id"))
        parts = [part.order_by() for part in parts]
        named = sorted({case_id for (case_id,) in parts[0].union(*parts[1:])})
        return Q(PostsMatch(text)) | Q(pk__in=named)
    # Every word somewhere in the text, in any order, as the full-text search finds them.
    words = _WORD.findall(text) or [text]
    in_post = Q(*(Q(text_reported__icontains=word) for word in words))
    in_name = Q(*(Q(complainant_name__icontains=word) for word in words))
    parts.append(SocialMediaPost.objects.filter(in_post).values_list("case_id"))
    parts.append(Complaint.objects.filter(in_name).values_list("case_id"))
    parts = [part.order_by() for part in parts]
    # One IN (... UNION ALL ...) rather than an OR of subqueries: the database then looks up only
    # the matching cases by primary key instead of testing every case it may show.
    return Q(pk__in=parts[0].union(*parts[1:], all=True))


# -- rows ---------------------------------------------------------------------------------------

# What a row shows, read as plain values with the list's query (model instances for 25 cases
# would cost more than the query itself). No joins: planning a join of the cases with their
# councils and officers takes the database longer than running the query; councils and officers
# come from those the page has already read for its filters (`dashboard_rows`).
ROW_COLUMNS = (
    "pk",
    "reference",
    "opened_at",
    "stage",
    "flagged_for_closure_at",
    "next_due_on",
    "authority_id",
    "assigned_officer_id",
)
ROW_DATE_FORMAT = "j M Y"
_STAGE_LABELS = dict(Stage.choices)
_PLATFORM_LABELS = dict(SocialMediaPost._meta.get_field("platform").choices)
# Kinds of line in the query for a page's details (`_page_details`).
_COMPLAINTS, _COUNCILLOR, _PLATFORM = 0, 1, 2


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

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour: red when overdue, yellow when due within three working days."""
        if self.overdue:
            return "govuk-tag--red"
        return "govuk-tag--yellow" if self.today or self.soon else "govuk-tag--grey"


@dataclass
class CaseRow:
    """One row of the list, every cell worked out here so the template only writes it out."""

    reference: str
    url: str
    received: str
    stage: str
    stage_label: str
    flagged_for_closure: bool
    council: str  # the principal council
    local_council: str  # the parish or town council, or "" for a principal council's case
    officer: str  # "" when unassigned
    councillors: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    complaints: int = 0
    confidential: bool = False
    due: Due | None = None
    due_on: str = ""

    def __getitem__(self, name: str):
        # The template engine tries `row[name]` before `row.name`; answering it spares a raised
        # and caught TypeError for every cell.
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


def _calendar_days_counter():
    """Working days between two dates in a nation, for many rows at once.

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

    def between(nation: str, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        first, counts = running_totals(nation, start, end)
        return counts[(end - first).days] - counts[(start - first).days]

    return between


def due_for(next_due: date | None, nation: str, *, today: date, between=None) -> Due | None:
    """How far a due date is from today in working days of the council's nation (its principal's)."""
    if next_due is None:
        return None
    between = between or _calendar_days_counter()
    if next_due == today:
        return Due(on=next_due, working_days=0, overdue=False, today=True)
    if next_due > today:
        return Due(on=next_due, working_days=between(nation, today, next_due), overdue=False, today=False)
    return Due(on=next_due, working_days=between(nation, next_due, today), overdue=True, today=False)


def case_url_maker():
    """The case page's address for a reference: `reverse` once, then string formatting per row."""
    marker = "0"
    prefix, _, suffix = reverse("officer:case", args=[marker]).rpartition(marker)

    def url(reference: str) -> str:
        return prefix + quote(reference, safe=_URL_SAFE) + suffix

    return url


_URL_SAFE = "!$&'()*+,;=/~:@"  # what `reverse` leaves unquoted in a path (RFC 3986 sub-delims, /~:@)


def _page_details(ids: list[int]) -> QuerySet:
    """Complaint counts, councillors' names and platforms of a page of cases, in one query.

    Lines are (case id, kind, text, complaints, confidential complaints); UNION leaves one line
    per councillor's name or platform of a case, and they come in the order of the text.
    """
    counts = (
        Complaint.objects.filter(case_id__in=ids)
        .order_by()
        .values("case_id")
        .annotate(
            kind=Value(_COMPLAINTS),
            text=Value(""),
            total=Count("pk"),
            confidential=Count("pk", filter=Q(confidentiality_requested=True)),
        )
        .values_list("case_id", "kind", "text", "total", "confidential")
    )
    nothing = {"total": Value(0), "confidential": Value(0)}
    named = (
        Complaint.councillors.through.objects.filter(complaint__case_id__in=ids)
        .order_by()
        .annotate(kind=Value(_COUNCILLOR), text=F("councillor__name"), **nothing)
        .values_list("complaint__case_id", "kind", "text", "total", "confidential")
    )
    platforms = (
        SocialMediaPost.objects.filter(case_id__in=ids)
        .order_by()
        .annotate(kind=Value(_PLATFORM), text=F("platform"), **nothing)
        .values_list("case_id", "kind", "text", "total", "confidential")
    )
    return counts.union(named, platforms).order_by("text")


def _by_pk(known: Iterable, needed: set[int], more: Callable[[set[int]], QuerySet]) -> dict[int, object]:
    """The records with these ids: those already read, and the others in one query."""
    found = {record.pk: record for record in known if record.pk in needed}
    missing = needed - found.keys()
    if missing:
        found.update((record.pk, record) for record in more(missing))
    return found


def dashboard_rows(
    lines: list[tuple], *, today: date, councils: Iterable[Authority] = (), officers: Iterable = ()
) -> list[CaseRow]:
    """Rows for a page of cases, read with `ROW_COLUMNS`: one more query whatever the page size.

    `councils` and `officers` are those the page has read already (the filters' choices, with
    each parish or town council's principal); a case's council or officer not among them is read
    with one query more.
    """
    if not lines:
        return []
    authorities = _by_pk(
        councils,
        {line[6] for line in lines},
        lambda ids: Authority.objects.filter(pk__in=ids).select_related("parent"),
    )
    users = _by_pk(
        officers,
        {line[7] for line in lines if line[7] is not None},
        lambda ids: get_user_model().objects.filter(pk__in=ids),
    )
    url = case_url_maker()
    between = _calendar_days_counter()
    dates: dict[date, str] = {}

    def day(value: date) -> str:
        if value not in dates:
            dates[value] = format_date(value, ROW_DATE_FORMAT)
        return dates[value]

    rows: dict[int, CaseRow] = {}
    dues = []
    for pk, reference, opened_at, stage, flagged_at, next_due, authority_id, officer_id in lines:
        authority = authorities[authority_id]
        principal = authority.principal
        officer = users.get(officer_id)
        row = CaseRow(
            reference=reference,
            url=url(reference),
            received=day(timezone.localtime(opened_at).date()),
            stage=stage,
            stage_label=_STAGE_LABELS.get(stage, stage),
            flagged_for_closure=flagged_at is not None and stage != Stage.CLOSED,
            council=principal.name,
            local_council="" if principal is authority else authority.name,
            officer="" if officer is None else (officer.get_full_name() or officer.get_username()),
        )
        rows[pk] = row
        if next_due is not None:
            dues.append((row, next_due, principal.nation))
    if dues:  # one span of dates for the whole page
        span = [today, *(next_due for _, next_due, _ in dues)]
        between(dues[0][2], min(span), max(span))
    for row, next_due, nation in dues:
        row.due = due_for(next_due, nation, today=today, between=between)
        row.due_on = day(next_due)
    for case_id, kind, text, total, confidential in _page_details(list(rows)):
        row = rows[case_id]
        if kind == _COMPLAINTS:
            row.complaints, row.confidential = total, confidential > 0
        elif kind == _COUNCILLOR:
            if text not in row.councillors:
                row.councillors.append(text)
        else:
            label = _PLATFORM_LABELS.get(text, text)
            if label not in row.platforms:
                row.platforms.append(label)
    return list(rows.values())


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
    listed: int | None = None  # the cases in the list, when asked for (see `dashboard_counts`)


def week_end(today: date) -> date:
    """The Sunday ending the week that contains `today`."""
    return today + timedelta(days=6 - today.weekday())


def dashboard_counts(visible: QuerySet[Case], *, today: date, listed: Q | None = None) -> DashboardCounts:
    """Counts over the open cases the user may see, in one query (a line per stage).

    A case's next due date is the earliest of its running clocks, so it is overdue when that date
    has passed and due this week (and not overdue) when it falls between today and Sunday.
    `listed`, the condition of a list of open cases only (`only_open_cases_listed`), is counted
    by the same query, which spares the list a query of its own to count its pages."""
    figures = {"listed": Count("pk", filter=listed)} if listed is not None else {}
    by_stage = {
        line["stage"]: line
        for line in visible.filter(OPEN)
        .order_by()
        .values("stage")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=_overdue(today)),
            due_this_week=Count("pk", filter=Q(next_due_on__gte=today, next_due_on__lte=week_end(today))),
            unassigned=Count("pk", filter=Q(assigned_officer__isnull=True)),
            **figures,
        )
    }

    def total(name: str) -> int:
        return sum(line[name] for line in by_stage.values())

    return DashboardCounts(
        open=total("open"),
        overdue=total("overdue"),
        due_this_week=total("due_this_week"),
        unassigned=total("unassigned"),
        stages=[
            StageCount(stage.value, stage.label, by_stage[stage.value]["open"] if stage.value in by_stage else 0)
            for stage in OPEN_STAGES
        ],
        listed=None if listed is None else total("listed"),
    )


# -- choices for the filters --------------------------------------------------------------------


def council_choices(user, visible: QuerySet[Case]) -> list[tuple[Authority, list[Authority]]]:
    """Councils to filter by: each principal council with its parish and town councils.

    An officer gets their own principal council and its local councils (council names are public;
    the cases listed still come from the access rule). Anyone else gets the councils of the cases
    they may see, which for investigators and Independent Persons are few. Scanning every visible
    case for its council would cost more than the rest of the page at 100,000 cases.
    """
    # An officer's council and its local councils, as the access rule has read them.
    authorities = access.officer_councils(user)
    if authorities:
        # The local councils' principal is among them: no need to read it twice.
        by_pk = {authority.pk: authority for authority in authorities}
        for authority in authorities:
            if authority.parent_id in by_pk:
                authority.parent = by_pk[authority.parent_id]
    else:
        authorities = Authority.objects.filter(pk__in=visible.values("authority_id")).select_related("parent")
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


class CountedPaginator(Paginator):
    """Pages of a list already counted (with the dashboard's counts): only the page is read."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # in place of the cached property that would run COUNT(*)


class SearchPaginator(Paginator):
    """Pages of a search, running the search once.

    A plain Paginator runs the list's query twice, once to count and once for the page; with a
    search that is the costly part (matches in posts, names and references, checked against the
    access rule) done twice. Here the query for the page asked for also counts every match
    (COUNT(*) OVER ()), so one query gives both; only a page past the end, where no line comes
    back to carry the count, needs a count of its own.
    """

    def __init__(self, cases: QuerySet[Case], per_page: int, *, number: int):
        super().__init__(cases.values_list(*ROW_COLUMNS), per_page)
        bottom = (number - 1) * per_page
        counted = cases.annotate(matches=Window(Count("pk"))).values_list(*ROW_COLUMNS, "matches")
        self._read: dict[int, list[tuple]] = {}
        lines = list(counted[bottom : bottom + per_page])
        if lines:
            self.count = lines[0][-1]  # in place of the cached property that would run COUNT(*)
            self._read[number] = [line[:-1] for line in lines]

    def page(self, number):
        number = self.validate_number(number)
        if number in self._read:
            return self._get_page(self._read[number], number, self)
        return super().page(number)
