"""The committee report's figures counted again, in plain Python, from the dataset's SPEC.

Nothing here uses the application's queries: dates are turned into London dates with zoneinfo,
working days are counted day by day with the `holidays` package, percentiles are interpolated by
hand, and small counts are suppressed by the rule the report states.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays

from complaints.models import ComplainantType, Outcome, Platform, Stage
from tests.complaints.reports.dataset import COUNCILS, HEADINGS, SPEC

LONDON = ZoneInfo("Europe/London")
ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2029))
SCOPES = {
    "northmoor": {"northmoor", "ashby", "kingsford"},
    "all": set(COUNCILS),
}


def local(moment) -> date:
    return moment.astimezone(LONDON).date()


def within(moment, start, end) -> bool:
    return moment is not None and start <= local(moment) <= end


def live(scope: str):
    return [c for c in SPEC if c.merged_into is None and c.council in SCOPES[scope]]


def label(number: str) -> str:
    return f"{number} {HEADINGS[number]}"


def working_days(opened: date, decided: date) -> int:
    days, day = 0, opened
    while day < decided:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in ENGLAND:
            days += 1
    return days


def interpolate(values: list[int], fraction: float) -> float:
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def suppress(count: int, threshold: int = 3):
    return f"fewer than {threshold}" if 0 < count < threshold else count


def period_figures(scope: str, start: date, end: date) -> dict:
    cases = live(scope)
    received = [c for c in cases if within(c.opened, start, end)]
    complaints = [(c, k) for c in cases for k in c.complaints if within(k.submitted, start, end)]
    figures = {
        "complaints": len(complaints),
        "cases": len(received),
        "council": {
            key: (
                sum(1 for c, _ in complaints if c.council == key),
                sum(1 for c in received if c.council == key),
            )
            for key in SCOPES[scope]
        },
        "type": {
            value: (
                sum(1 for _, k in complaints if k.type == value),
                len({c.ref for c, k in complaints if k.type == value}),
            )
            for value in ComplainantType.values
        },
        "platform": {p: sum(1 for c in received if p in c.platforms) for p in Platform.values},
        "alleged": {},
        "breached": {},
        "outcome": {
            o: sum(1 for c in cases if within(c.closed, start, end) and c.outcome == o) for o in Outcome.values
        },
    }
    for number in HEADINGS:
        alleged = sum(1 for c in received if any(number in k.clauses for k in c.complaints))
        breached = sum(1 for c in cases if c.decision and start <= c.decision[0] <= end and number in c.decision[2])
        if alleged:
            figures["alleged"][label(number)] = alleged
        if breached:
            figures["breached"][label(number)] = breached
    sent = [
        (when, status) for c in cases for when, status in c.takedowns if status != "draft" and within(when, start, end)
    ]
    figures["takedowns"] = (len(sent), sum(1 for _, status in sent if status == "complied"))
    for kind in ("acknowledge", "assessment"):
        clocks = [k for c in received for k in c.clocks if k.kind == kind]
        met = sum(1 for k in clocks if k.met is not None and local(k.met) <= k.due)
        figures[kind] = f"{met} of {len(clocks)} ({round(100 * met / len(clocks))}%)" if clocks else "no cases"
    durations = [
        working_days(local(c.opened), c.decision[0]) for c in cases if c.decision and start <= c.decision[0] <= end
    ]
    figures["decided"] = len(durations)
    figures["median"] = f"{interpolate(durations, 0.5):.1f}" if durations else "no decisions"
    figures["p90"] = f"{interpolate(durations, 0.9):.1f}" if durations else "no decisions"
    return figures


def expected_tables(scope: str, start: date, end: date, previous: tuple[date, date], threshold: int = 3) -> dict:
    """Section title -> list of rows (header first), every value as the CSV writes it (a string)."""
    now = period_figures(scope, start, end)
    before = period_figures(scope, *previous)
    names = {key: COUNCILS[key][0] for key in COUNCILS}

    def council_key(key):
        name, kind, parent = COUNCILS[key]
        principal = names[parent] if parent else name
        return (principal, parent is not None, name)

    council_rows = []
    for key in sorted(SCOPES[scope], key=council_key):
        name, kind, parent = COUNCILS[key]
        counts = now["council"][key] + before["council"][key]
        if parent and not any(counts):
            continue
        kind_label = "Parish or town council" if parent else "Principal council (district council)"
        council_rows.append([name, kind_label, *counts])

    tables = {
        "Complaints and cases received": [
            ["Measure", "This period", "Previous period"],
            ["Complaints received", now["complaints"], before["complaints"]],
            ["Cases (incidents) received", now["cases"], before["cases"]],
        ],
        "Complaints and cases by council": [
            ["Council", "Type", "Complaints", "Cases", "Complaints (previous period)", "Cases (previous period)"],
            *council_rows,
        ],
        "Complaints by type of complainant": [
            ["Complainant", "Complaints", "Cases", "Complaints (previous period)", "Cases (previous period)"],
            *[[text, *now["type"][value], *before["type"][value]] for value, text in ComplainantType.choices],
        ],
        "Cases by platform": [
            ["Platform", "Cases", "Cases (previous period)"],
            *[[text, now["platform"][value], before["platform"][value]] for value, text in Platform.choices],
        ],
        "Cases by provision of the code alleged": [
            ["Provision", "Cases", "Cases (previous period)"],
            *[
                [lab, now["alleged"].get(lab, 0), before["alleged"].get(lab, 0)]
                for lab in sorted(set(now["alleged"]) | set(before["alleged"]))
            ],
        ],
        "Cases by provision found breached": [
            ["Provision", "Cases", "Cases (previous period)"],
            *[
                [lab, now["breached"].get(lab, 0), before["breached"].get(lab, 0)]
                for lab in sorted(set(now["breached"]) | set(before["breached"]))
            ],
        ],
        "Cases closed by outcome": [
            ["Outcome", "Cases", "Cases (previous period)"],
            *[[text, now["outcome"][value], before["outcome"][value]] for value, text in Outcome.choices],
        ],
        "Requests to remove posts": [
            ["Measure", "This period", "Previous period"],
            ["Takedown requests made", now["takedowns"][0], before["takedowns"][0]],
            ["Takedown requests complied with", now["takedowns"][1], before["takedowns"][1]],
        ],
        "Timeliness against targets": [
            ["Measure", "This period", "Previous period"],
            ["Acknowledged within target", now["acknowledge"], before["acknowledge"]],
            ["Initial assessment within target", now["assessment"], before["assessment"]],
            ["Cases first decided", now["decided"], before["decided"]],
            ["Median working days to decision", now["median"], before["median"]],
            ["90th percentile working days to decision", now["p90"], before["p90"]],
        ],
    }

    stages = dict(Stage.choices)
    open_rows = [["Reference", "Received", "Stage", "Summary"]]
    for c in sorted(live(scope), key=lambda c: (c.opened, c.ref)):
        if local(c.opened) <= end and (c.closed is None or local(c.closed) > end):
            stage = "Since closed" if c.closed else stages[c.stage]
            open_rows.append([c.ref, f"{local(c.opened):%B %Y}", stage, None])
    tables[f"Cases open on {end:%-d %B %Y}"] = open_rows

    months = []
    year, month = end.year, end.month
    for _ in range(23):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()

    def in_month(moment, first):
        day = local(moment)
        return (day.year, day.month) == (first.year, first.month)

    monthly_complaints = {
        m: sum(1 for c in live(scope) for k in c.complaints if in_month(k.submitted, m)) for m in months
    }
    monthly_cases = {m: sum(1 for c in live(scope) if in_month(c.opened, m)) for m in months}
    trend = [
        [
            "Month",
            "Complaints in month",
            "Cases in month",
            "Complaints, 12 months to month end",
            "Cases, 12 months to month end",
        ]
    ]
    for index in range(11, 23):
        window = months[index - 11 : index + 1]
        m = months[index]
        trend.append(
            [
                f"{m:%b %Y}",
                monthly_complaints[m],
                monthly_cases[m],
                sum(monthly_complaints[w] for w in window),
                sum(monthly_cases[w] for w in window),
            ]
        )
    tables["Twelve-month trend"] = trend

    received = [c for c in live(scope) if within(c.opened, start, end)]
    decided = [c for c in live(scope) if c.decision and start <= c.decision[0] <= end]
    by_council: dict[tuple[str, str], list[int]] = {}
    by_party: dict[tuple[str, str], list[int]] = {}
    for number in HEADINGS:
        for key in SCOPES[scope]:
            alleged = sum(1 for c in received if c.council == key and any(number in k.clauses for k in c.complaints))
            breached = sum(1 for c in decided if c.council == key and number in c.decision[2])
            if alleged or breached:
                by_council[(names[key], label(number))] = [alleged, breached]
        parties = {k.party for c in live(scope) for k in c.complaints}
        for party in parties:
            alleged = sum(1 for c in received if any(k.party == party and number in k.clauses for k in c.complaints))
            breached = sum(
                1 for c in decided if number in c.decision[2] and any(k.party == party for k in c.complaints)
            )
            if alleged or breached:
                by_party[(party, label(number))] = [alleged, breached]
    for title, heading, data in (
        ("Training needs by council", "Council", by_council),
        ("Training needs by party", "Party", by_party),
    ):
        tables[title] = [[heading, "Provision", "Cases alleging it", "Cases finding it breached"]] + [
            [group, provision, suppress(a, threshold), suppress(b, threshold)]
            for (group, provision), (a, b) in sorted(data.items())
        ]
    return {title: [[None if v is None else str(v) for v in row] for row in rows] for title, rows in tables.items()}
