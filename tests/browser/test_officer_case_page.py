"""The officer case page in Chromium: axe-core's WCAG 2.2 AA checks with and without JavaScript,
the timeline filter and the code of conduct sub-page working with JavaScript off."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Authority, EventKind, OfficerProfile
from complaints.services.events import event_record
from tests.browser.conftest import shoot
from tests.complaints.officer.case_data import case_with_history, screenshot_png, store_screenshot
from tests.complaints.officer.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    roles.roles_apply()
    northmoor = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    parish = Authority.objects.create(
        name="Ashby Lane Parish Council", slug="ashby-lane", kind="parish", parent=northmoor
    )
    mo = User.objects.create_user("mo", password="pw", first_name="Morgan", last_name="Officer")
    mo.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=mo, authority=northmoor)
    case = case_with_history(parish)
    complaint = case.complaints.first()
    store_screenshot(case, complaint, None, "the same post again.png", screenshot_png(shade=1))
    for number in range(55):
        event_record(case=case, kind=EventKind.NOTE, description=f"Note {number}", actor=mo)
    return {"mo": mo, "case": case}


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


def test_the_case_page_and_its_code_page_pass_axe_with_javascript(new_context, live_server, office, axe):
    case = office["case"]
    page = signed_in_page(new_context, live_server, office["mo"])
    page.goto(f"/officer/cases/{case.reference}/")
    expect(page.get_by_role("heading", name=f"Case {case.reference}", exact=True)).to_be_visible()
    axe(page, label="case page")
    shoot(page, "case-01-page")
    page.get_by_role("link", name="Complaints", exact=True).click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: complaints")).to_be_visible()
    expect(page.get_by_text("Confidential complainant").first).to_be_visible()
    axe(page, label="complaints")
    page.get_by_role("link", name="Posts and evidence").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: posts and evidence")).to_be_visible()
    expect(page.get_by_text("Near-duplicate").first).to_be_visible()
    axe(page, label="posts and evidence")
    shoot(page, "case-01-evidence")
    for url, label in _PAGES:
        page.goto(url.format(reference=case.reference))
        axe(page, label=label)
    shoot(page, "case-02-code")


_PAGES = (
    ("/officer/cases/{reference}/complaints/", "complaints"),
    ("/officer/cases/{reference}/evidence/", "posts and evidence"),
    ("/officer/cases/{reference}/timeline/", "timeline"),
    ("/officer/cases/{reference}/timeline/?kind=note&page=2", "timeline, filtered, page 2"),
    ("/officer/cases/{reference}/timeline/?kind=nonsense", "timeline with an error"),
    ("/officer/cases/{reference}/code/", "code of conduct for the case"),
)


def test_the_case_page_passes_axe_as_rendered_without_javascript(new_context, live_server, office, axe):
    """axe-core is itself JavaScript, so it runs in a context where the page's own scripts are
    blocked and the classes they would add are removed: the page as a no-JavaScript visitor sees it."""
    case = office["case"]
    page = signed_in_page(new_context, live_server, office["mo"])
    page.route("**/*.js", lambda route: route.abort())
    without_scripts = "() => document.body.classList.remove('govuk-frontend-supported', 'js-enabled')"
    for url, label in (("/officer/cases/{reference}/", "case page"), *_PAGES):
        page.goto(url.format(reference=case.reference))
        page.evaluate(without_scripts)
        axe(page, label=f"{label}, without JavaScript")


def test_the_timeline_filter_pagination_and_code_page_work_without_javascript(new_context, live_server, office):
    case = office["case"]
    page = signed_in_page(new_context, live_server, office["mo"], javascript=False)
    page.goto(f"/officer/cases/{case.reference}/")
    expect(page.get_by_role("heading", name=f"Case {case.reference}", exact=True)).to_be_visible()
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: timeline")).to_be_visible()
    page.get_by_label("Show").select_option(label="Note")
    page.get_by_role("button", name="Show events").click()
    expect(page.get_by_text("56 events of the kind “Note”")).to_be_visible()
    page.get_by_role("link", name="Older events").click()
    expect(page.locator(".moj-timeline__item")).to_have_count(6)
    shoot(page, "case-03-timeline-nojs")

    page.get_by_role("link", name="Code of conduct").first.click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: code of conduct")).to_be_visible()
    expect(page.get_by_text("Respect and courtesy online").first).to_be_visible()


def test_pausing_and_restarting_a_clock_from_the_case_page_passes_axe(new_context, live_server, office, axe):
    from complaints.services.clocks import clock_start

    case = office["case"]
    clock_start(case, "further_information")
    page = signed_in_page(new_context, live_server, office["mo"])
    page.goto(f"/officer/cases/{case.reference}/")
    page.get_by_role("link", name="Pause the further information clock").click()
    expect(page.get_by_role("heading", name="Pause the further information clock")).to_be_visible()
    axe(page, label="clock pause")
    page.get_by_role("button", name="Pause the clock").click()
    expect(page.get_by_role("link", name="Enter why the clock is paused")).to_be_visible()
    axe(page, label="clock pause with an error")
    page.get_by_label("Why is the clock paused?").fill("Waiting for the complainant's reply")
    page.get_by_role("button", name="Pause the clock").click()
    expect(page.get_by_text("The further information clock is paused.")).to_be_visible()
    axe(page, label="case page with a paused clock")
    page.get_by_role("button", name="Restart the further information clock").click()
    expect(page.get_by_text("The further information clock has restarted")).to_be_visible()
