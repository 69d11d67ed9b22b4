"""The working-day calculator and the complainant's 'check your complaint' pages in Chromium:
axe-core's WCAG 2.2 AA rules and its `region` rule find nothing on any of them, with and without
errors, and both work with JavaScript off. (axe needs JavaScript, so it runs in JavaScript contexts.)"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Case, ClosureDay, Complaint, DeadlineKind, OfficerProfile, OutboxMessage, Stage
from complaints.services.clocks import clock_start
from tests.browser.test_officer_dashboard import signed_in_page
from tests.factories import make_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    roles.roles_apply()
    northmoor = make_district()
    ClosureDay.objects.create(authority=northmoor, day=date(2026, 12, 24), reason="Christmas shutdown")
    officer = User.objects.create_user("officer", password="pw", first_name="Casey", last_name="Officer")
    officer.groups.add(Group.objects.get(name=roles.CASE_OFFICER))
    OfficerProfile.objects.create(user=officer, authority=northmoor)
    case = Case.objects.create(
        reference="MO-2026-00042",
        authority=northmoor,
        opened_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        stage=Stage.ASSESSMENT,
    )
    Complaint.objects.create(
        reference="MOC-2026-00042",
        case=case,
        authority=northmoor,
        complainant_name="Priya Shah",
        complainant_email="priya.shah@example.com",
        complainant_type="public",
        outcome_sought="An apology.",
        submitted_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
    )
    clock_start(case, DeadlineKind.ASSESSMENT, start=date(2026, 11, 2))
    return {"officer": officer, "northmoor": northmoor}


def test_the_calculator_passes_axe_empty_with_a_result_and_with_errors(new_context, live_server, office, axe):
    page = signed_in_page(new_context, live_server, office["officer"])
    page.goto("/officer/tools/working-days/")
    expect(page.get_by_role("heading", name="Working-day calculator")).to_be_visible()
    axe(page, label="calculator")

    page.get_by_label("Day", exact=True).fill("23")
    page.get_by_label("Month", exact=True).fill("12")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Number of working days").fill("5")
    page.get_by_label("England (England and Wales bank holidays)").check()
    page.get_by_label("Council (optional)").select_option(label="Northmoor District Council")
    page.get_by_role("button", name="Work out the due date").click()
    expect(page.get_by_role("heading", name="Due Tuesday 5 January 2027")).to_be_visible()
    expect(page.locator("#working-days-sentence")).to_contain_text("and the council's closure days")
    axe(page, label="calculator with a result")

    page.goto("/officer/tools/working-days/?start_day=31&start_month=2&start_year=2026&days=-1&council=northmoor")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The start date must be a real date")
    expect(summary).to_contain_text("The number of working days must be 0 or more")
    expect(summary).to_contain_text("Select whose bank holidays apply")
    axe(page, label="calculator with errors")
    summary.get_by_role("link", name="The number of working days must be 0 or more").click()
    expect(page.get_by_label("Number of working days")).to_be_focused()


def test_the_calculator_works_without_javascript(new_context, live_server, office):
    page = signed_in_page(new_context, live_server, office["officer"], javascript=False)
    page.goto("/officer/tools/working-days/?start_day=27&start_month=11&start_year=2026&days=1&nation=SCT")
    expect(page.get_by_role("heading", name="Due Tuesday 1 December 2026")).to_be_visible()


def test_every_check_your_complaint_page_passes_axe(page, office, axe):
    page.goto("/check-your-complaint/")
    expect(page.get_by_role("heading", name="Check your complaint")).to_be_visible()
    axe(page, label="check your complaint")

    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your complaint reference")
    axe(page, label="check your complaint with errors")

    page.get_by_label("Your complaint reference").fill("MOC-2026-00042")
    page.get_by_label("Email address").fill("priya.shah@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    axe(page, label="link sent")

    link = re.search(r"/check-your-complaint/link/[^/]+/", OutboxMessage.objects.get().context["link"]).group(0)
    page.goto(link)
    axe(page, label="link landing")
    page.get_by_role("button", name="Continue to your complaint").click()
    expect(page.get_by_role("heading", name="The Monitoring Officer is assessing your complaint.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Monday 30 November 2026")
    axe(page, label="your complaint")

    page.goto(link)
    expect(page.get_by_role("heading", name="This link has already been used")).to_be_visible()
    axe(page, label="link already used")


def test_a_complainant_checks_their_complaint_without_javascript(nojs_page, office):
    page = nojs_page
    page.goto("/check-your-complaint/")
    page.get_by_label("Your complaint reference").fill("moc-2026-00042")
    page.get_by_label("Email address").fill("Priya.Shah@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = re.search(r"/check-your-complaint/link/[^/]+/", OutboxMessage.objects.get().context["link"]).group(0)
    page.goto(link)
    page.get_by_role("button", name="Continue to your complaint").click()
    expect(page.get_by_role("heading", name="The Monitoring Officer is assessing your complaint.")).to_be_visible()
