"""The committee report pages in Chromium: axe-core's WCAG 2.2 AA checks on the form (with and
without errors) and the self-refreshing status page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Authority, CommitteeReportRun, OfficerProfile, ReportRunStatus
from tests.browser.test_letters_pages import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(transactional_db):
    roles.roles_apply()
    council = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    user = User.objects.create_user("mo-browser", first_name="Mo", last_name="Officer")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


def test_the_report_form_and_its_errors_pass_axe(new_context, live_server, officer, axe):
    page = signed_in_page(new_context, live_server, officer)
    page.goto(f"{live_server.url}/officer/reports/")
    expect(page.get_by_role("heading", name="Standards Committee reports", level=1)).to_be_visible()
    axe(page, label="committee report form")

    page.get_by_label("Other dates").check()
    page.locator("#start_day").fill("31")
    page.locator("#start_month").fill("2")
    page.locator("#start_year").fill("2026")
    page.get_by_label("Purpose").fill("")
    page.get_by_role("button", name="Generate the report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe(page, label="committee report form with errors")
    assert page.problems == []


def test_the_status_page_while_running_passes_axe(new_context, live_server, officer, axe):
    run = CommitteeReportRun.objects.create(
        start="2026-04-01", end="2027-03-31", scope="all", status=ReportRunStatus.RUNNING, progress=40, step="Drawing"
    )
    page = signed_in_page(new_context, live_server, officer)
    page.goto(f"{live_server.url}/officer/reports/{run.public_id}/?refresh=off")
    expect(page.get_by_role("heading", name="Preparing the report")).to_be_visible()
    axe(page, label="report status")
