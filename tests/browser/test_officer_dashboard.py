"""The officer dashboard in Chromium: axe-core's WCAG 2.2 AA checks with and without filters, the
filters, sorting, search and bulk assign with JavaScript off, and the possible-duplicates queue."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Authority, OfficerProfile
from tests.browser.conftest import shoot
from tests.complaints.officer.dashboard_data import TODAY, councillor, make_case
from tests.complaints.officer.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POST = "https://x.com/cllrexample/status/4242"


@pytest.fixture
def office(transactional_db, monkeypatch):
    """A council with a parish, two officers and cases at every point of the triage."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    roles.roles_apply()
    northmoor = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    parish = Authority.objects.create(
        name="Ashby Lane Parish Council", slug="ashby-lane", kind="parish", parent=northmoor
    )
    people = {}
    for username, first, role in (("mo", "Morgan", roles.MONITORING_OFFICER), ("officer", "Casey", roles.CASE_OFFICER)):
        user = User.objects.create_user(username, password="pw", first_name=first, last_name="Officer")
        user.groups.add(Group.objects.get(name=role))
        OfficerProfile.objects.create(user=user, authority=northmoor)
        people[username] = user
    smith = councillor(northmoor, "Alex Smith")
    green = councillor(parish, "Robin Green")
    make_case(
        northmoor,
        councillors=(smith,),
        stage="assessment",
        due=date(2026, 11, 16),
        platform="facebook",
        text="The residents of the Elm estate are vermin.",
        officer=people["officer"],
    )
    make_case(parish, councillors=(green,), stage="acknowledged", due=date(2026, 11, 20), confidential=True)
    make_case(northmoor, councillors=(smith,), stage="member_comment", due=date(2026, 12, 4), complaints=3)
    make_case(parish, councillors=(green,), stage="received", url=POST, opened=date(2026, 11, 9))
    for day in (10, 11, 12):
        make_case(parish, councillors=(green,), stage="received", url=POST, opened=date(2026, 11, day))
    return {"people": people, "northmoor": northmoor, "parish": parish}


def signed_in_page(new_context, live_server, user, *, javascript=True):
    client = Client()
    sign_in(client, user)
    context = new_context(java_script_enabled=javascript)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_the_dashboard_passes_axe_with_and_without_filters_and_with_an_error(new_context, live_server, office, axe):
    page = signed_in_page(new_context, live_server, office["people"]["mo"])
    page.goto("/officer/")
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Overdue by 2 working days")
    axe(page, label="dashboard")
    shoot(page, "dashboard-01-unfiltered")

    page.goto("/officer/?council=northmoor&stage=assessment&stage=member_comment&platform=facebook")
    expect(page.get_by_role("heading", name="Selected filters")).to_be_visible()
    axe(page, label="dashboard with filters")
    shoot(page, "dashboard-02-filtered")

    page.goto("/officer/?received_from_0=31&received_from_1=2&received_from_2=2026")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Received on or after must be a real date")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, label="dashboard with an error")
    shoot(page, "dashboard-03-error")

    page.goto("/officer/duplicates/")
    expect(page.get_by_role("button", name="Link all 3 suggested complaints")).to_be_visible()
    axe(page, label="possible duplicates")
    shoot(page, "dashboard-04-duplicates")


def test_failed_emails_are_linked_from_the_dashboard_pass_axe_and_can_be_retried(
    new_context, live_server, office, axe, settings
):
    from complaints.models import Case, OutboxMessage, OutboxStatus

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = Case.objects.filter(authority=office["northmoor"]).first()
    OutboxMessage.objects.create(
        to="complainant@example.com",
        subject=f"We have received your complaint {case.reference}",
        template="acknowledgement",
        context={"name": "Sam", "reference": case.reference, "assessment_days": 20},
        case=case,
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="Gave up after 5 attempts. Last error: ConnectionRefusedError('smtp down')",
    )
    page = signed_in_page(new_context, live_server, office["people"]["officer"])
    page.goto("/officer/")
    page.get_by_role("link", name="1 e-mail not sent").click()
    expect(page.get_by_role("heading", name="E-mails not sent")).to_be_visible()
    axe(page, label="failed e-mails")
    page.get_by_role("button", name=re.compile(rf"^Try again.*{case.reference}")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("will be tried again")
    axe(page, label="failed e-mails after a retry")
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT  # eager worker in the test process
