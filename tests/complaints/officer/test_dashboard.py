"""The triage dashboard through HTTP: rows, counts, filters, search, sorting, pages and bulk assign.

The named users and councils come from conftest.py (`world`): Northmoor District Council with
Ashby Lane Parish Council under it, and Southshire District Council with its own officer.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from complaints import access, roles
from complaints.models import Case, Event, Stage
from complaints.selectors.dashboard import DashboardFilters, dashboard_cases
from tests.complaints.officer.dashboard_data import TODAY, clause, councillor, make_case
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db
URL = "/officer/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def councils(world):
    return {
        "northmoor": world["councils"]["northmoor"],
        "parish": world["cases"]["parish"].authority,
        "southshire": world["councils"]["southshire"],
    }


@pytest.fixture
def mo(client, world):
    sign_in(client, world["users"]["mo"])
    return client


def references(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return [row.reference for row in response.context["rows"]]


def errors(response) -> list[str]:
    return [message for _, message in response.context["errors"]]


# -- what the list shows ------------------------------------------------------------------------


def test_it_lists_cases_not_complaints_and_leaves_out_closed_ones(mo, councils):
    viral = make_case(councils["northmoor"], reference="MO-2026-00500", complaints=3)
    closed = make_case(councils["northmoor"], reference="MO-2026-00501", stage=Stage.CLOSED)
    response = mo.get(URL)
    listed = references(response)
    assert listed.count(viral.reference) == 1
    assert closed.reference not in listed
    row = next(row for row in response.context["rows"] if row.reference == viral.reference)
    assert row.complaints == 3


def test_each_row_shows_councillors_council_under_its_principal_platform_officer_due_and_confidentiality(
    mo, world, councils
):
    smith = councillor(councils["parish"], "Alex Smith")
    jones = councillor(councils["parish"], "Bo Jones")
    case = make_case(
        councils["parish"],
        reference="MO-2026-00600",
        councillors=(smith, jones),
        platform="facebook",
        officer=world["users"]["case_officer"],
        confidential=True,
        due=date(2026, 11, 20),
    )
    response = mo.get(URL)
    row = next(row for row in response.context["rows"] if row.reference == case.reference)
    assert row.councillors == ["Alex Smith", "Bo Jones"]
    assert row.council == councils["northmoor"].name
    assert row.local_council == councils["parish"].name
    assert row.platforms == ["Facebook"]
    assert row.confidential is True
    assert row.due.text == "Due in 2 working days"
    html = response.content.decode()
    row_html = html[html.index("MO-2026-00600") :][:3000]
    for text in (
        "Confidential complainant",
        "Alex Smith",
        "Bo Jones",
        "Northmoor District Council",
        "Ashby Lane Parish Council",
        "Facebook",
        "Caseofficer Test",
        "Due in 2 working days",
        "20 Nov 2026",
    ):
        assert text in row_html, text


def test_each_row_links_to_its_case_page_and_says_when_it_was_received_and_its_stage(mo, councils):
    case = make_case(councils["northmoor"], reference="MO-2026-00610", stage="assessment", opened=date(2026, 3, 7))
    response = mo.get(URL)
    row = next(row for row in response.context["rows"] if row.reference == case.reference)
    assert row.url == reverse("officer:case", args=[case.reference])
    html = response.content.decode()
    row_html = html[html.index('href="/officer/cases/MO-2026-00610/"') :][:1500]
    assert ">MO-2026-00610</a>" in row_html
    assert "7 Mar 2026" in row_html
    assert "Initial assessment" in row_html


def test_a_case_flagged_for_closure_is_tagged_until_it_is_closed(mo, councils):
    flagged = make_case(councils["northmoor"], reference="MO-2026-00620")
    Case.objects.filter(pk=flagged.pk).update(flagged_for_closure_at=timezone.now())
    html = mo.get(URL).content.decode()
    assert "Flagged for closure" in html[html.index(">MO-2026-00620</a>") :][:400]
    Case.objects.filter(pk=flagged.pk).update(stage=Stage.CLOSED, closed_at=timezone.now())
    html = mo.get(URL, {"stage": "closed"}).content.decode()
    assert "Flagged for closure" not in html[html.index(">MO-2026-00620</a>") :][:400]


def test_a_case_with_no_councillor_matched_and_no_officer_says_so(mo, councils):
    make_case(councils["northmoor"], reference="MO-2026-00630")
    html = mo.get(URL).content.decode()
    row_html = html[html.index(">MO-2026-00630</a>") :][:3000]
    assert "Not matched yet" in row_html
    assert ">Unassigned</strong>" in row_html


def test_a_case_still_assigned_to_an_officer_who_has_left_shows_their_name(mo, world, councils):
    leaver = User.objects.create_user("leaver", first_name="Lee", last_name="Leaver", is_active=False)
    case = make_case(councils["northmoor"], officer=leaver)
    row = next(row for row in mo.get(URL).context["rows"] if row.reference == case.reference)
    assert row.officer == "Lee Leaver"
    nameless = User.objects.create_user("nameless", is_active=False)
    case = make_case(councils["northmoor"], officer=nameless)
    row = next(row for row in mo.get(URL).context["rows"] if row.reference == case.reference)
    assert row.officer == "nameless"


def test_a_case_outside_the_officers_council_that_they_may_see_shows_its_council(client, world, councils):
    """An officer of Southshire who is also appointed to investigate a case of Ashby Lane."""
    officer = world["users"]["other_council_officer"]
    officer.groups.add(Group.objects.get(name=roles.INVESTIGATOR))
    appointed = make_case(councils["parish"])
    Case.objects.filter(pk=appointed.pk).update(investigator=officer)
    sign_in(client, officer)
    rows = {row.reference: row for row in client.get(URL).context["rows"]}
    assert rows[appointed.reference].council == "Northmoor District Council"
    assert rows[appointed.reference].local_council == "Ashby Lane Parish Council"
    assert rows[world["cases"]["southshire"].reference].council == "Southshire District Council"
    assert rows[world["cases"]["southshire"].reference].local_council == ""


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (date(2026, 11, 18), "Due today"),
        (date(2026, 11, 19), "Due in 1 working day"),
        (date(2026, 11, 23), "Due in 3 working days"),  # over a weekend
        (date(2026, 11, 16), "Overdue by 2 working days"),
        (date(2026, 11, 13), "Overdue by 3 working days"),  # Friday: the weekend does not count
    ],
)
def test_it_says_how_many_working_days_until_or_since_the_next_due_date(mo, councils, due, text):
    case = make_case(councils["northmoor"], due=due)
    response = mo.get(URL)
    row = next(row for row in response.context["rows"] if row.reference == case.reference)
    assert row.due.text == text
    assert text in response.content.decode()


def test_it_counts_bank_holidays_out_of_the_working_days(mo, councils, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 23))
    case = make_case(councils["northmoor"], due=date(2026, 12, 30))  # 25, 28 Dec are bank holidays
    response = mo.get(URL)
    row = next(row for row in response.context["rows"] if row.reference == case.reference)
    assert row.due.text == "Due in 3 working days"


def test_the_next_due_date_ignores_clocks_already_met(mo, councils):
    case = make_case(councils["northmoor"], due=date(2026, 11, 10), met=True)
    response = mo.get(URL)
    row = next(row for row in response.context["rows"] if row.reference == case.reference)
    assert row.due is None
    assert "No clock running" in response.content.decode()


def test_it_counts_open_cases_per_stage_overdue_due_this_week_and_unassigned(mo, world, councils):
    officer = world["users"]["case_officer"]
    make_case(councils["northmoor"], stage="assessment", due=date(2026, 11, 16), officer=officer)  # overdue
    make_case(councils["parish"], stage="assessment", due=date(2026, 11, 20))  # this week, unassigned
    make_case(councils["northmoor"], stage="investigation", due=date(2026, 11, 30), officer=officer)
    make_case(councils["northmoor"], stage="closed")
    make_case(councils["southshire"], stage="assessment", due=date(2026, 11, 16))  # not theirs
    counts = mo.get(URL).context["counts"]
    # The three conftest cases (received, unassigned) plus the three open ones above.
    assert counts.open == 5  # the conftest Southshire case and the closed one are not counted
    assert counts.overdue == 1
    assert counts.due_this_week == 1
    assert counts.unassigned == 3
    by_stage = {count.stage: count.count for count in counts.stages}
    assert by_stage["assessment"] == 2
    assert by_stage["investigation"] == 1
    assert by_stage["received"] == 2


# -- filters --------------------------------------------------------------------------------------


def test_it_filters_by_stage(mo, councils):
    assessment = make_case(councils["northmoor"], stage="assessment")
    hearing = make_case(councils["northmoor"], stage="hearing")
    closed = make_case(councils["northmoor"], stage="closed")
    assert references(mo.get(URL, {"stage": "assessment"})) == [assessment.reference]
    assert set(references(mo.get(URL, {"stage": ["hearing", "closed"]}))) == {hearing.reference, closed.reference}


def test_a_principal_council_filter_includes_its_parishes_and_a_parish_filter_only_itself(mo, world, councils):
    northmoor_case, parish_case = world["cases"]["northmoor"], world["cases"]["parish"]
    assert set(references(mo.get(URL, {"council": "northmoor"}))) == {northmoor_case.reference, parish_case.reference}
    assert references(mo.get(URL, {"council": "ashby-lane"})) == [parish_case.reference]


def test_the_council_filter_offers_parishes_under_their_principal_and_not_other_councils(mo):
    html = mo.get(URL).content.decode()
    group = re.search(r'<optgroup label="Northmoor District Council">(.*?)</optgroup>', html, re.S).group(1)
    assert "Ashby Lane Parish Council" in group
    assert "Southshire" not in html


def test_it_refuses_a_council_the_officer_cannot_see(mo):
    response = mo.get(URL, {"council": "southshire"})
    assert response.status_code == 400
    assert errors(response) == ["Select a council from the list"]


def test_it_filters_by_councillor_platform_and_clause(mo, councils):
    smith = councillor(councils["northmoor"], "Alex Smith")
    by_smith = make_case(councils["northmoor"], councillors=(smith,), platform="facebook", clauses=(clause("respect"),))
    other = make_case(councils["northmoor"], platform="tiktok", clauses=(clause("disrepute"),))
    assert references(mo.get(URL, {"councillor": "smith"})) == [by_smith.reference]
    assert references(mo.get(URL, {"platform": "tiktok"})) == [other.reference]
    assert references(mo.get(URL, {"clause": "respect"})) == [by_smith.reference]
    assert references(mo.get(URL, {"clause": "respect", "platform": "tiktok"})) == []


def test_it_filters_by_assigned_officer_or_unassigned(mo, world, councils):
    officer = world["users"]["case_officer"]
    theirs = make_case(councils["northmoor"], officer=officer)
    assert references(mo.get(URL, {"officer": officer.username})) == [theirs.reference]
    assert theirs.reference not in references(mo.get(URL, {"officer": "unassigned"}))
    assert len(references(mo.get(URL, {"officer": "unassigned"}))) == 2


def test_it_filters_by_date_received(mo, councils):
    early = make_case(councils["northmoor"], opened=date(2026, 10, 1))
    late = make_case(councils["northmoor"], opened=date(2026, 11, 10))
    between = {"received_from_0": "1", "received_from_1": "10", "received_from_2": "2026"}
    between |= {"received_to_0": "31", "received_to_1": "10", "received_to_2": "2026"}
    assert references(mo.get(URL, between)) == [early.reference]
    after = {"received_from_0": "5", "received_from_1": "11", "received_from_2": "2026"}
    assert references(mo.get(URL, after)) == [late.reference]


def test_it_shows_only_overdue_cases_when_asked(mo, councils):
    overdue = make_case(councils["northmoor"], due=date(2026, 11, 17))
    make_case(councils["northmoor"], due=date(2026, 11, 25))
    assert references(mo.get(URL, {"overdue": "on"})) == [overdue.reference]


def test_selected_filters_are_shown_each_with_a_link_that_removes_it(mo):
    response = mo.get(URL, {"stage": ["assessment", "hearing"], "platform": "x", "page": "1"})
    selected = dict(response.context["selected"])
    assert [label for label, _ in selected["Stage"]] == ["Initial assessment", "Hearing"]
    remove_assessment = dict(selected["Stage"])["Initial assessment"]
    assert "stage=assessment" not in remove_assessment and "stage=hearing" in remove_assessment
    assert "platform=x" in remove_assessment and "page=" not in remove_assessment


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stage": "nonsense"}, "Select stages from the list"),
        ({"platform": "myspace"}, "Select platforms from the list"),
        ({"clause": "99"}, "Select parts of the code from the list"),
        ({"officer": "nobody-here"}, "Select an officer from the list"),
        (
            {"received_from_0": "31", "received_from_1": "2", "received_from_2": "2026"},
            "Received on or after must be a real date",
        ),
        (
            {"received_from_0": "1", "received_from_2": "2026"},
            "Received on or after must include a day, month and year",
        ),
        (
            {"received_to_0": "x", "received_to_1": "2", "received_to_2": "2026"},
            "Received on or before must be a real date",
        ),
        (
            {
                "received_from_0": "2",
                "received_from_1": "2",
                "received_from_2": "2026",
                "received_to_0": "1",
                "received_to_1": "2",
                "received_to_2": "2026",
            },
            "Received on or before must be the same as or after received on or after",
        ),
        ({"sort": "password"}, "Sort by one of the table's columns"),
        ({"order": "sideways"}, "Sort order must be ascending or descending"),
        ({"page": "two"}, "Page must be a whole number"),
        ({"page": "0"}, "Page must be 1 or more"),
        ({"page": "99"}, "There is no page 99: the list has 1 page"),
        ({"q": "x" * 201}, "Search must be 200 characters or fewer"),
        ({"councillor": "x" * 201}, "Councillor must be 200 characters or fewer"),
    ],
)
def test_a_bad_filter_value_gets_an_error_message_not_a_500(mo, params, message):
    response = mo.get(URL, params)
    assert response.status_code == 400
    assert message in errors(response)
    html = response.content.decode()
    assert "There is a problem" in html and message.replace("'", "&#x27;") in html
    assert "<title>Error: " in html


# -- search ---------------------------------------------------------------------------------------


@pytest.fixture
def searchable(councils):
    smith = councillor(councils["northmoor"], "Alex Smithson")
    return {
        "post": make_case(
            councils["northmoor"], text="Residents of the estate are vermin and racists.", stage="closed"
        ),
        "councillor": make_case(councils["northmoor"], councillors=(smith,)),
        "complainant": make_case(councils["parish"], complainant="Jordan Whitfield-Baker"),
        "other_council": make_case(councils["southshire"], text="Residents are racists", complainant="Jordan Other"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("racist", "post"),  # full-text: a form of the word, in a closed case too
        ("vermin estate", "post"),
        ("Smithson", "councillor"),
        ("whitfield", "complainant"),
        ("Whit", "complainant"),  # the start of a name
    ],
)
def test_it_searches_post_text_councillors_and_complainants(mo, searchable, query, expected):
    assert references(mo.get(URL, {"q": query})) == [searchable[expected].reference]


def test_it_finds_a_case_by_its_reference_or_a_complaint_reference(mo, searchable):
    case = searchable["councillor"]
    assert references(mo.get(URL, {"q": case.reference.lower()})) == [case.reference]
    assert references(mo.get(URL, {"q": f"{case.reference}-C1"})) == [case.reference]


def test_search_never_finds_another_councils_case(mo, searchable):
    assert searchable["other_council"].reference not in references(mo.get(URL, {"q": "Jordan"}))
    assert references(mo.get(URL, {"q": searchable["other_council"].reference})) == []


@pytest.mark.parametrize("full_text", [True, False])
def test_the_search_selector_matches_on_both_paths(world, searchable, full_text, settings):
    from django.db import connection

    if full_text and connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL")
    from complaints import access

    visible = access.cases_for(world["users"]["mo"])
    found = dashboard_cases(visible, DashboardFilters(query="vermin"), today=TODAY, full_text=full_text)
    assert [case.reference for case in found] == [searchable["post"].reference]
    found = dashboard_cases(visible, DashboardFilters(query="whitf"), today=TODAY, full_text=full_text)
    assert [case.reference for case in found] == [searchable["complainant"].reference]


def test_search_text_with_tsquery_punctuation_is_searched_not_an_error(mo, searchable):
    for query in ("racist & | ! :* ( ')", "'", "&&", "O'Brien"):
        assert mo.get(URL, {"q": query}).status_code == 200


# -- sorting and pages ----------------------------------------------------------------------------


def test_it_sorts_by_next_due_date_by_default_with_no_clock_last(mo, councils):
    later = make_case(councils["northmoor"], due=date(2026, 12, 1))
    sooner = make_case(councils["northmoor"], due=date(2026, 11, 16))
    listed = references(mo.get(URL))
    assert listed[:2] == [sooner.reference, later.reference]
    listed = references(mo.get(URL, {"sort": "due", "order": "desc"}))
    assert listed.index(later.reference) < listed.index(sooner.reference)


def test_it_sorts_by_reference_both_ways_through_the_column_links(mo, councils):
    make_case(councils["northmoor"], reference="MO-2026-00900")
    response = mo.get(URL, {"stage": "received"})
    header = next(h for h in response.context["headers"] if h["key"] == "reference")
    assert header["aria_sort"] == "none"
    ascending = mo.get(URL + header["href"])
    assert references(ascending) == sorted(references(ascending))
    header = next(h for h in ascending.context["headers"] if h["key"] == "reference")
    assert header["aria_sort"] == "ascending" and "stage=received" in header["href"]
    descending = mo.get(URL + header["href"])
    assert references(descending) == sorted(references(descending), reverse=True)
    assert 'aria-sort="descending"' in descending.content.decode()


def test_it_pages_through_the_cases_keeping_the_filters(mo, councils, settings):
    settings.DASHBOARD_PAGE_SIZE = 5
    made = [make_case(councils["northmoor"], stage="assessment", due=date(2026, 12, day)) for day in range(1, 13)]
    first = mo.get(URL, {"stage": "assessment"})
    assert references(first) == [case.reference for case in made[:5]]
    assert 'href="?stage=assessment&amp;page=2"' in first.content.decode()
    third = mo.get(URL, {"stage": "assessment", "page": "3"})
    assert references(third) == [case.reference for case in made[10:]]


def _heading(response) -> str:
    return re.search(r'id="dashboard-results"[^>]*>([^<]*)</h2>', response.content.decode()).group(1)


def test_the_heading_counts_the_whole_list_not_the_page(mo, councils, settings):
    settings.DASHBOARD_PAGE_SIZE = 5
    for day in range(1, 13):
        make_case(councils["northmoor"], stage="assessment", due=date(2026, 12, day))
    make_case(councils["northmoor"], stage="closed")
    assert _heading(mo.get(URL, {"stage": "assessment"})) == "12 cases"
    assert _heading(mo.get(URL, {"stage": "assessment", "page": "3"})) == "12 cases"
    assert _heading(mo.get(URL)) == "14 cases"  # and the two conftest cases received
    assert _heading(mo.get(URL, {"stage": ["assessment", "closed"]})) == "13 cases"
    assert _heading(mo.get(URL, {"overdue": "on"})) == "0 cases"
    assert _heading(mo.get(URL, {"stage": "hearing"})) == "0 cases"


def test_a_list_with_nothing_to_show_says_no_case_matches_and_offers_to_clear_the_filters(mo, councils):
    for params in ({"stage": "hearing"}, {"q": "nothing matches this"}):
        response = mo.get(URL, params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "No cases match." in html and '<a class="govuk-link" href="?">Clear the filters</a>' in html
        assert "Correct the problem" not in html
    assert _heading(mo.get(URL, {"stage": "hearing"})) == "0 cases"


def test_a_search_is_counted_and_paged_like_the_list(mo, councils, settings):
    settings.DASHBOARD_PAGE_SIZE = 5
    made = [make_case(councils["northmoor"], text="Bins everywhere", due=date(2026, 12, day)) for day in range(1, 13)]
    first = mo.get(URL, {"q": "bins"})
    assert _heading(first) == "12 cases matching “bins”"
    assert references(first) == [case.reference for case in made[:5]]
    third = mo.get(URL, {"q": "bins", "page": "3"})
    assert _heading(third) == "12 cases matching “bins”"
    assert references(third) == [case.reference for case in made[10:]]
    past = mo.get(URL, {"q": "bins", "page": "4"})
    assert past.status_code == 400
    assert errors(past) == ["There is no page 4: the list has 3 pages"]
    nothing = mo.get(URL, {"q": "nothing matches this"})
    assert _heading(nothing) == "0 cases matching “nothing matches this”"
    assert nothing.context["rows"] == []


# -- the new and unassigned queue -----------------------------------------------------------------


def test_the_new_and_unassigned_queue_lists_only_new_cases_without_an_officer(mo, world, councils):
    new = make_case(councils["northmoor"], stage="acknowledged")
    make_case(councils["northmoor"], stage="acknowledged", officer=world["users"]["case_officer"])
    make_case(councils["northmoor"], stage="assessment")
    listed = references(mo.get("/officer/new/"))
    assert new.reference in listed
    assert set(listed) == {new.reference, world["cases"]["northmoor"].reference, world["cases"]["parish"].reference}


# -- bulk assign ----------------------------------------------------------------------------------


def test_bulk_assign_gives_every_ticked_case_to_the_officer_with_an_event_on_each(mo, world, councils):
    officer = world["users"]["case_officer"]
    cases = [make_case(councils["northmoor"]) for _ in range(3)]
    response = mo.post(
        "/officer/assign/",
        {"cases": [case.reference for case in cases], "officer": officer.username, "return_query": "stage=received"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/officer/?stage=received"
    for case in cases:
        case.refresh_from_db()
        assert case.assigned_officer == officer
        event = Event.objects.filter(case=case).latest("id")
        assert event.description == "Assigned to Caseofficer Test"
        assert event.actor == world["users"]["mo"]
    page = mo.get(response["Location"])
    assert "3 cases assigned to Caseofficer Test" in page.content.decode()


def test_bulk_assign_writes_no_event_for_a_case_already_with_that_officer(mo, world, councils):
    officer = world["users"]["case_officer"]
    case = make_case(councils["northmoor"], officer=officer)
    before = Event.objects.filter(case=case).count()
    mo.post("/officer/assign/", {"cases": [case.reference], "officer": officer.username})
    assert Event.objects.filter(case=case).count() == before


def test_bulk_assign_with_nothing_ticked_says_so(mo, world):
    response = mo.post("/officer/assign/", {"officer": world["users"]["case_officer"].username})
    assert response.status_code == 400
    assert "Select the cases to assign" in errors(response)


def test_bulk_assign_refuses_another_councils_case_and_changes_nothing(mo, world):
    theirs = world["cases"]["southshire"]
    ours = world["cases"]["northmoor"]
    response = mo.post(
        "/officer/assign/",
        {"cases": [ours.reference, theirs.reference], "officer": world["users"]["case_officer"].username},
    )
    assert response.status_code == 400
    assert "Select cases from the list" in errors(response)
    assert not Case.objects.filter(assigned_officer__isnull=False).exists()


def test_bulk_assign_refuses_an_officer_of_another_council(mo, world):
    response = mo.post(
        "/officer/assign/",
        {"cases": [world["cases"]["northmoor"].reference], "officer": world["users"]["other_council_officer"].username},
    )
    assert response.status_code == 400
    assert "Select an officer from the list" in errors(response)


def test_bulk_assign_can_unassign(mo, world, councils):
    case = make_case(councils["northmoor"], officer=world["users"]["case_officer"])
    mo.post("/officer/assign/", {"cases": [case.reference], "officer": "unassigned"})
    case.refresh_from_db()
    assert case.assigned_officer is None
    assert Event.objects.filter(case=case).latest("id").description == "Officer unassigned (was Caseofficer Test)"


def test_an_investigator_cannot_bulk_assign(client, world):
    sign_in(client, world["users"]["investigator"])
    response = client.post("/officer/assign/", {"cases": [world["cases"]["parish"].reference], "officer": "unassigned"})
    assert response.status_code == 403


# -- the number of queries ------------------------------------------------------------------------


def _query_count(client, url, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (URL, {}),
        (URL, {"q": "bins"}),
        (URL, {"q": "bins", "page": "2"}),
        (URL, {"council": "northmoor", "stage": "received"}),
        (URL, {"council": "ashby-lane", "councillor": "smith", "platform": "facebook", "sort": "stage"}),
        (URL, {"stage": ["received", "closed"], "sort": "reference", "order": "desc"}),
        ("/officer/new/", {}),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_rows_shown_or_stored(mo, world, councils, url, params):
    smith = councillor(councils["northmoor"], "Alex Smith")

    def cases(number: int, **extra):
        for _ in range(number):
            make_case(councils["parish"], councillors=(smith,), due=date(2026, 11, 20), platform="facebook", **extra)

    cases(26 if params.get("page") == "2" else 1)  # a row to show on the page asked for
    few = _query_count(mo, url, params)
    cases(20, confidential=True, complaints=2)
    cases(20, complaints=3)
    many = _query_count(mo, url, params)
    assert len(mo.get(url, params).context["rows"]) == 25
    assert many == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL covering index")
def test_the_counts_of_open_cases_have_an_index_to_be_read_from_alone(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_open_counts'")
        (definition,) = cursor.fetchone()
    assert "(authority_id, stage, next_due_on, assigned_officer_id) INCLUDE (id)" in definition
    assert "WHERE (NOT ((stage)::text = 'closed'::text))" in definition


def test_without_full_text_search_every_word_must_appear_in_any_order(world, councils):
    post = make_case(councils["northmoor"], text="Residents of the estate are vermin.")
    make_case(councils["northmoor"], text="The estate agents were late.")
    visible = access.cases_for(world["users"]["mo"])

    def found(query):
        filters = DashboardFilters(query=query)
        return set(dashboard_cases(visible, filters, today=TODAY, full_text=False).values_list("pk", flat=True))

    assert found("vermin estate") == {post.pk}
    assert found("ESTATE   Vermin") == {post.pk}
    assert found("vermin agents") == set()
