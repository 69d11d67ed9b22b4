"""The figures of the Monitoring Officer's report to the Standards Committee.

Every figure comes from an aggregate query (COUNT ... GROUP BY, percentile_cont) in the database;
nothing loops over cases in Python. The definitions, stated once here and printed in the report:

- The period is from ``start`` to ``end`` inclusive, as dates in the council's time zone.
- Complaints received: complaints submitted in the period. Cases received: cases (incidents)
  opened in the period. Several complaints linked into one case count once as a case; a case whose
  complaints were all merged into another (``Case.merged_into``) is skipped everywhere.
- Scope: a principal council with its parish and town councils, one parish or town council, or
  all councils. Complaints and cases are placed under the council they are about.
- Platform, provision alleged: cases received in the period with at least one post on the
  platform, or at least one complaint alleging the provision.
- Provision found breached: cases with a decision made in the period finding a breach of it.
- Outcome: cases closed in the period, by their outcome.
- Takedown requests: requests sent in the period, and how many of them were complied with.
- Timeliness: of the acknowledgement (and initial assessment) clocks of cases received in the
  period, the share met on or before the due date; working days from the case being opened to its
  first decision, for cases first decided in the period (median and 90th percentile,
  interpolated), not counting weekends, bank holidays of the council's nation or closure days.
- Open cases at the end of the period: opened by then and not closed by then.
- Training needs: provisions alleged (cases received) and found breached (decisions made) by
  council and by the party of the councillor complained about; counts from 1 to below the
  threshold are shown as "fewer than N" so that no councillor can be identified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from complaints.models import (
    LOCAL_KINDS,
    Authority,
    Case,
    Complaint,
    Decision,
    SocialMediaPost,
    TakedownRequest,
)
from complaints.models.authorities import AuthorityKind, Nation, Platform
from complaints.models.cases import ComplainantType, Outcome, Stage
from complaints.models.decisions import DeadlineKind, TakedownStatus
from complaints.services.working_days import _bank_holidays

SUPPRESSION_THRESHOLD = 3
ALL = "all"


class ScopeError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length ending the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(start=end - timedelta(days=self.days - 1), end=end)

    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


@dataclass(frozen=True)
class Scope:
    slug: str
    name: str
    authority_ids: tuple[int, ...] | None  # None: every council

    def cases(self) -> QuerySet[Case]:
        qs = Case.objects.filter(merged_into__isnull=True)
        return qs if self.authority_ids is None else qs.filter(authority_id__in=self.authority_ids)

    def complaints(self) -> QuerySet[Complaint]:
        qs = Complaint.objects.filter(case__merged_into__isnull=True)
        return qs if self.authority_ids is None else qs.filter(authority_id__in=self.authority_ids)


def scope_for(slug: str) -> Scope:
    """``all``, a principal council's slug (with its parish and town councils) or a local council's."""
    if slug == ALL:
        return Scope(slug=ALL, name="All councils", authority_ids=None)
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None:
        raise ScopeError(f"There is no council with the slug '{slug}'.")
    ids = tuple(Authority.objects.filter(Q(pk=authority.pk) | Q(parent=authority)).values_list("pk", flat=True))
    name = authority.name
    if authority.kind not in LOCAL_KINDS and len(ids) > 1:
        name += " and its parish and town councils"
    return Scope(slug=slug, name=name, authority_ids=ids)


def scope_choices() -> list[tuple[str, str]]:
    principals = Authority.objects.exclude(kind__in=LOCAL_KINDS).order_by("name").values_list("slug", "name")
    return [(ALL, "All councils")] + [(slug, f"{name} and its parish and town councils") for slug, name in principals]


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = ""  # "bar" (first numeric column), "line" (trend) or ""
    note: str = ""

    def typed_rows(self) -> list[list[tuple[object, bool]]]:
        """Each cell with whether it is a number (right-aligned in the PDF)."""
        numeric = self.numeric_columns()
        return [list(zip(row, numeric, strict=False)) for row in self.rows]

    def row_groups(self, size: int = 25) -> list[list[list[tuple[object, bool]]]]:
        """The typed rows in groups of ``size``, one <tbody> each in the PDF: WeasyPrint's table
        layout does work proportional to the rows of a group on every page the group spans, so one
        group of thousands of rows makes long appendices quadratically slow."""
        rows = self.typed_rows()
        return [rows[index : index + size] for index in range(0, len(rows), size)]

    def numeric_columns(self) -> list[bool]:
        """A column holding any number is right-aligned (with its "fewer than" cells)."""
        return [
            index > 0 and any(isinstance(row[index], int | float) for row in self.rows)
            for index in range(len(self.columns))
        ]

    def typed_columns(self) -> list[tuple[str, bool]]:
        return list(zip(self.columns, self.numeric_columns(), strict=False))


@dataclass
class ReportFigures:
    period: Period
    previous: Period
    scope: Scope
    threshold: int
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --- counting ----------------------------------------------------------------------------------


def _received_cases(scope: Scope, period: Period) -> QuerySet[Case]:
    return scope.cases().filter(opened_at__date__range=(period.start, period.end))


def _received_complaints(scope: Scope, period: Period) -> QuerySet[Complaint]:
    return scope.complaints().filter(submitted_at__date__range=(period.start, period.end))


def _counts(qs, key: str, **extra) -> dict:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk", distinct=True, **extra)).order_by()}


def _totals(scope: Scope, period: Period) -> dict[str, int]:
    return {
        "complaints": _received_complaints(scope, period).count(),
        "cases": _received_cases(scope, period).count(),
    }


def _by_council(scope: Scope, period: Period) -> dict[int, tuple[int, int]]:
    complaints = _counts(_received_complaints(scope, period), "authority_id")
    cases = _counts(_received_cases(scope, period), "authority_id")
    return {pk: (complaints.get(pk, 0), cases.get(pk, 0)) for pk in set(complaints) | set(cases)}


def _by_complainant_type(scope: Scope, period: Period) -> dict[str, tuple[int, int]]:
    qs = _received_complaints(scope, period).values("complainant_type").order_by()
    rows = qs.annotate(n=Count("pk"), c=Count("case_id", distinct=True))
    return {r["complainant_type"]: (r["n"], r["c"]) for r in rows}


def _by_platform(scope: Scope, period: Period) -> dict[str, int]:
    posts = SocialMediaPost.objects.filter(case__in=_received_cases(scope, period).values("pk"))
    rows = posts.values("platform").annotate(n=Count("case_id", distinct=True)).order_by()
    return {r["platform"]: r["n"] for r in rows}


def _clause_label(number: str, heading: str) -> str:
    return f"{number} {heading}"


def _by_clause_alleged(scope: Scope, period: Period) -> dict[str, int]:
    complaints = Complaint.objects.filter(case__in=_received_cases(scope, period).values("pk"))
    rows = (
        complaints.filter(clauses__isnull=False)
        .values("clauses__number", "clauses__heading")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {_clause_label(r["clauses__number"], r["clauses__heading"]): r["n"] for r in rows}


def _decisions(scope: Scope, period: Period) -> QuerySet[Decision]:
    return Decision.objects.filter(case__in=scope.cases().values("pk"), decided_on__range=(period.start, period.end))


def _by_clause_breached(scope: Scope, period: Period) -> dict[str, int]:
    rows = (
        _decisions(scope, period)
        .filter(clauses_breached__isnull=False)
        .values("clauses_breached__number", "clauses_breached__heading")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {_clause_label(r["clauses_breached__number"], r["clauses_breached__heading"]): r["n"] for r in rows}


def _by_outcome(scope: Scope, period: Period) -> dict[str, int]:
    closed = scope.cases().filter(closed_at__date__range=(period.start, period.end)).exclude(outcome="")
    return _counts(closed, "outcome")


def _takedowns(scope: Scope, period: Period) -> tuple[int, int]:
    sent = TakedownRequest.objects.filter(
        case__in=scope.cases().values("pk"), requested_at__date__range=(period.start, period.end)
    ).exclude(status=TakedownStatus.DRAFT)
    result = sent.aggregate(made=Count("pk"), complied=Count("pk", filter=Q(status=TakedownStatus.COMPLIED)))
    return result["made"], result["complied"]


def _clock_met(scope: Scope, period: Period, kind: str) -> tuple[int, int]:
    from complaints.models import Deadline

    clocks = Deadline.objects.filter(kind=kind, case__in=_received_cases(scope, period).values("pk"))
    result = clocks.aggregate(
        total=Count("pk"), met=Count("pk", filter=Q(met_at__isnull=False, met_at__date__lte=F("due_on")))
    )
    return result["met"], result["total"]


def _non_working_days(period: Period) -> tuple[list[str], list[date]]:
    """(nation, day) pairs of bank holidays and closure days around the period, for SQL."""
    nations: list[str] = []
    days: list[date] = []
    low, high = period.start - timedelta(days=800), period.end
    # Closure days are kept per principal council; the report's timeliness counts any council's
    # closure day as not working, as the single list of closure days it replaced did.
    from complaints.models import ClosureDay

    extra = set(ClosureDay.objects.values_list("day", flat=True))
    for nation in Nation.values:
        for day in set(_bank_holidays(nation).keys()) | extra:
            if low <= day <= high:
                nations.append(nation)
                days.append(day)
    return nations, days


_DECISION_DAYS_SQL = """
WITH closed_days AS MATERIALIZED (
    SELECT h.nation, h.day FROM unnest(%(nations)s::text[], %(days)s::date[]) AS h(nation, day)
), first_decision AS (
    SELECT d.case_id, MIN(d.decided_on) AS decided_on
    FROM complaints_decision d
    GROUP BY d.case_id
), decided AS (
    SELECT c.id, (c.opened_at AT TIME ZONE %(tz)s)::date AS opened_on, fd.decided_on, a.nation
    FROM complaints_case c
    JOIN first_decision fd ON fd.case_id = c.id
    JOIN complaints_authority a ON a.id = c.authority_id
    WHERE c.merged_into_id IS NULL
      AND fd.decided_on BETWEEN %(start)s AND %(end)s
      AND (%(all)s OR c.authority_id = ANY(%(ids)s))
), weekdays AS (
    SELECT d.id, d.nation, g.day::date AS day
    FROM decided d, generate_series(d.opened_on + 1, d.decided_on, interval '1 day') AS g(day)
    WHERE EXTRACT(ISODOW FROM g.day) < 6
), working AS (
    SELECT w.id, COUNT(*) AS days
    FROM weekdays w
    WHERE NOT EXISTS (SELECT 1 FROM closed_days h WHERE h.nation = w.nation AND h.day = w.day)
    GROUP BY w.id
), durations AS (
    SELECT COALESCE(working.days, 0) AS working_days
    FROM decided LEFT JOIN working ON working.id = decided.id
)
SELECT COUNT(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY working_days)
FROM durations
"""


def _days_to_decision(scope: Scope, period: Period) -> tuple[int, float | None, float | None]:
    from django.conf import settings

    nations, days = _non_working_days(period)
    with connection.cursor() as cursor:
        cursor.execute(
            _DECISION_DAYS_SQL,
            {
                "tz": settings.TIME_ZONE,
                "nations": nations,
                "days": days,
                "start": period.start,
                "end": period.end,
                "all": scope.authority_ids is None,
                "ids": list(scope.authority_ids or []),
            },
        )
        count, median, p90 = cursor.fetchone()
    return count, median, p90


def _open_cases(scope: Scope, period: Period) -> list[dict]:
    from django.contrib.postgres.aggregates import ArrayAgg

    open_at_end = (
        scope.cases()
        .filter(opened_at__date__lte=period.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gt=period.end))
    )
    return list(
        open_at_end.annotate(
            month=TruncMonth("opened_at"),
            platforms=ArrayAgg("posts__platform", distinct=True, filter=Q(posts__isnull=False), default=[]),
            clauses=ArrayAgg(
                "complaints__clauses__number", distinct=True, filter=Q(complaints__clauses__isnull=False), default=[]
            ),
            complaint_count=Count("complaints", distinct=True),
        )
        .values(
            "reference", "month", "stage", "closed_at", "authority__kind", "platforms", "clauses", "complaint_count"
        )
        .order_by("opened_at", "reference")
    )


def _months(end: date, count: int) -> list[date]:
    months = []
    year, month = end.year, end.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def _monthly(scope: Scope, first: date, last_month: date) -> tuple[dict, dict]:
    end = (last_month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    complaints = (
        scope.complaints()
        .filter(submitted_at__date__range=(first, end))
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cases = (
        scope.cases()
        .filter(opened_at__date__range=(first, end))
        .annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return ({r["month"].date(): r["n"] for r in complaints}, {r["month"].date(): r["n"] for r in cases})


def _party_label(party: str) -> str:
    return party or "No party recorded"


def _training(scope: Scope, period: Period) -> tuple[dict, dict]:
    """{(group, provision): [alleged, breached]} by council and by party."""
    cases = _received_cases(scope, period)
    alleged_by_council = (
        Complaint.objects.filter(case__in=cases.values("pk"), clauses__isnull=False)
        .values("case__authority__name", "clauses__number", "clauses__heading")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    alleged_by_party = (
        Complaint.objects.filter(case__in=cases.values("pk"), clauses__isnull=False, councillors__isnull=False)
        .values("councillors__party", "clauses__number", "clauses__heading")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    decisions = _decisions(scope, period).filter(clauses_breached__isnull=False)
    breached_by_council = (
        decisions.values("case__authority__name", "clauses_breached__number", "clauses_breached__heading")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    breached_by_party = (
        decisions.filter(case__complaints__councillors__isnull=False)
        .values("case__complaints__councillors__party", "clauses_breached__number", "clauses_breached__heading")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    by_council: dict[tuple[str, str], list[int]] = {}
    by_party: dict[tuple[str, str], list[int]] = {}
    for r in alleged_by_council:
        key = (r["case__authority__name"], _clause_label(r["clauses__number"], r["clauses__heading"]))
        by_council.setdefault(key, [0, 0])[0] = r["n"]
    for r in breached_by_council:
        key = (r["case__authority__name"], _clause_label(r["clauses_breached__number"], r["clauses_breached__heading"]))
        by_council.setdefault(key, [0, 0])[1] = r["n"]
    for r in alleged_by_party:
        key = (_party_label(r["councillors__party"]), _clause_label(r["clauses__number"], r["clauses__heading"]))
        by_party.setdefault(key, [0, 0])[0] = r["n"]
    for r in breached_by_party:
        key = (
            _party_label(r["case__complaints__councillors__party"]),
            _clause_label(r["clauses_breached__number"], r["clauses_breached__heading"]),
        )
        by_party.setdefault(key, [0, 0])[1] = r["n"]
    return by_council, by_party


# --- presentation helpers ----------------------------------------------------------------------


def suppressed(value: int, threshold: int):
    """A count as shown in the training-needs tables: small non-zero counts are hidden."""
    if 0 < value < threshold:
        return f"fewer than {threshold}"
    return value


def share(met: int, total: int) -> str:
    if not total:
        return "no cases"
    return f"{met} of {total} ({round(100 * met / total)}%)"


def days_text(value: float | None) -> str:
    if value is None:
        return "no decisions"
    return f"{value:.1f}"


def _clause_sort_key(label: str):
    number = label.split(" ", 1)[0]
    parts = []
    for part in number.split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return parts, label


_STAGE_LABELS = dict(Stage.choices)
# The stage shown for a case open at the end of the period and closed after it.
SINCE_CLOSED = "Since closed"


def _open_summary(row: dict) -> str:
    council = "A parish or town councillor" if row["authority__kind"] in LOCAL_KINDS else "A councillor"
    platforms = dict(Platform.choices)
    where = ", ".join(sorted(platforms.get(p, p) for p in row["platforms"])) or "not stated"
    clauses = ", ".join(sorted(row["clauses"], key=lambda n: _clause_sort_key(n))) or "not stated"
    complaints = row["complaint_count"]
    plural = "complaint" if complaints == 1 else "complaints"
    return f"{council}; posts on {where}; provisions alleged {clauses}; {complaints} {plural}"


# --- the report --------------------------------------------------------------------------------


def committee_report_figures(
    *, start: date, end: date, scope: Scope | str, threshold: int = SUPPRESSION_THRESHOLD
) -> ReportFigures:
    if isinstance(scope, str):
        scope = scope_for(scope)
    period = Period(start=start, end=end)
    previous = period.previous()
    tables: list[Table] = []
    both = (period, previous)

    totals = [_totals(scope, p) for p in both]
    tables.append(
        Table(
            "summary",
            "Complaints and cases received",
            ["Measure", "This period", "Previous period"],
            [
                ["Complaints received", totals[0]["complaints"], totals[1]["complaints"]],
                ["Cases (incidents) received", totals[0]["cases"], totals[1]["cases"]],
            ],
            chart="bar",
        )
    )

    councils = [_by_council(scope, p) for p in both]
    ids = set(councils[0]) | set(councils[1])
    if scope.authority_ids is not None:
        principals = Authority.objects.filter(pk__in=scope.authority_ids).exclude(kind__in=LOCAL_KINDS)
        ids |= set(principals.values_list("pk", flat=True))
    authorities = Authority.objects.filter(pk__in=ids).select_related("parent")
    kind_labels = dict(AuthorityKind.choices)

    def council_key(a):
        principal = a.parent if a.kind in LOCAL_KINDS and a.parent else a
        return (principal.name, a.kind in LOCAL_KINDS, a.name)

    council_rows = []
    for a in sorted(authorities, key=council_key):
        now, before = councils[0].get(a.pk, (0, 0)), councils[1].get(a.pk, (0, 0))
        kind = (
            "Parish or town council" if a.kind in LOCAL_KINDS else f"Principal council ({kind_labels[a.kind].lower()})"
        )
        council_rows.append([a.name, kind, now[0], now[1], before[0], before[1]])
    tables.append(
        Table(
            "by_council",
            "Complaints and cases by council",
            ["Council", "Type", "Complaints", "Cases", "Complaints (previous period)", "Cases (previous period)"],
            council_rows,
            chart="bar",
        )
    )

    types = [_by_complainant_type(scope, p) for p in both]
    tables.append(
        Table(
            "by_complainant_type",
            "Complaints by type of complainant",
            ["Complainant", "Complaints", "Cases", "Complaints (previous period)", "Cases (previous period)"],
            [
                [label, *types[0].get(value, (0, 0)), *types[1].get(value, (0, 0))]
                for value, label in ComplainantType.choices
            ],
            chart="bar",
        )
    )

    platforms = [_by_platform(scope, p) for p in both]
    tables.append(
        Table(
            "by_platform",
            "Cases by platform",
            ["Platform", "Cases", "Cases (previous period)"],
            [[label, platforms[0].get(value, 0), platforms[1].get(value, 0)] for value, label in Platform.choices],
            chart="bar",
            note="A case about posts on more than one platform is counted under each.",
        )
    )

    for key, title, fn, note in (
        (
            "by_provision_alleged",
            "Cases by provision of the code alleged",
            _by_clause_alleged,
            "A case alleging more than one provision is counted under each.",
        ),
        (
            "by_provision_breached",
            "Cases by provision found breached",
            _by_clause_breached,
            "From decisions made in the period.",
        ),
    ):
        counts = [fn(scope, p) for p in both]
        labels = sorted(set(counts[0]) | set(counts[1]), key=_clause_sort_key)
        tables.append(
            Table(
                key,
                title,
                ["Provision", "Cases", "Cases (previous period)"],
                [[label, counts[0].get(label, 0), counts[1].get(label, 0)] for label in labels],
                chart="bar",
                note=note + ("" if labels else " None in either period."),
            )
        )

    outcomes = [_by_outcome(scope, p) for p in both]
    tables.append(
        Table(
            "by_outcome",
            "Cases closed by outcome",
            ["Outcome", "Cases", "Cases (previous period)"],
            [[label, outcomes[0].get(value, 0), outcomes[1].get(value, 0)] for value, label in Outcome.choices],
            chart="bar",
        )
    )

    takedowns = [_takedowns(scope, p) for p in both]
    tables.append(
        Table(
            "takedowns",
            "Requests to remove posts",
            ["Measure", "This period", "Previous period"],
            [
                ["Takedown requests made", takedowns[0][0], takedowns[1][0]],
                ["Takedown requests complied with", takedowns[0][1], takedowns[1][1]],
            ],
        )
    )

    ack = [_clock_met(scope, p, DeadlineKind.ACKNOWLEDGE) for p in both]
    assess = [_clock_met(scope, p, DeadlineKind.ASSESSMENT) for p in both]
    decided = [_days_to_decision(scope, p) for p in both]
    tables.append(
        Table(
            "timeliness",
            "Timeliness against targets",
            ["Measure", "This period", "Previous period"],
            [
                ["Acknowledged within target", share(*ack[0]), share(*ack[1])],
                ["Initial assessment within target", share(*assess[0]), share(*assess[1])],
                ["Cases first decided", decided[0][0], decided[1][0]],
                ["Median working days to decision", days_text(decided[0][1]), days_text(decided[1][1])],
                ["90th percentile working days to decision", days_text(decided[0][2]), days_text(decided[1][2])],
            ],
        )
    )

    open_rows = []
    for row in _open_cases(scope, period):
        stage = _STAGE_LABELS.get(row["stage"], row["stage"])
        if row["closed_at"] is not None:
            stage = SINCE_CLOSED
        open_rows.append([row["reference"], f"{row['month']:%B %Y}", stage, _open_summary(row)])
    tables.append(
        Table(
            "open_cases",
            f"Cases open on {period.end:%-d %B %Y}",
            ["Reference", "Received", "Stage", "Summary"],
            open_rows,
            note=(
                f"'{SINCE_CLOSED}': open at the end of the period and closed after it."
                if open_rows
                else "No cases were open."
            ),
        )
    )

    months = _months(period.end, 12)
    first_month = _months(period.end, 23)[0]
    complaints_by_month, cases_by_month = _monthly(scope, first_month, months[-1])
    all_months = _months(period.end, 23)
    trend_rows = []
    for index, month in enumerate(all_months[11:], start=11):
        window = all_months[index - 11 : index + 1]
        trend_rows.append(
            [
                f"{month:%b %Y}",
                complaints_by_month.get(month, 0),
                cases_by_month.get(month, 0),
                sum(complaints_by_month.get(m, 0) for m in window),
                sum(cases_by_month.get(m, 0) for m in window),
            ]
        )
    tables.append(
        Table(
            "trend",
            "Twelve-month trend",
            [
                "Month",
                "Complaints in month",
                "Cases in month",
                "Complaints, 12 months to month end",
                "Cases, 12 months to month end",
            ],
            trend_rows,
            chart="line",
        )
    )

    by_council, by_party = _training(scope, period)
    for key, title, group_label, data in (
        ("training_by_council", "Training needs by council", "Council", by_council),
        ("training_by_party", "Training needs by party", "Party", by_party),
    ):
        rows = [
            [group, provision, suppressed(counts[0], threshold), suppressed(counts[1], threshold)]
            for (group, provision), counts in sorted(
                data.items(), key=lambda kv: (kv[0][0], _clause_sort_key(kv[0][1]))
            )
        ]
        tables.append(
            Table(
                key,
                title,
                [group_label, "Provision", "Cases alleging it", "Cases finding it breached"],
                rows,
                note=f"Counts from 1 to {threshold - 1} are shown as 'fewer than {threshold}'."
                + ("" if rows else " No provisions were alleged."),
            )
        )
    return ReportFigures(period=period, previous=previous, scope=scope, threshold=threshold, tables=tables)
