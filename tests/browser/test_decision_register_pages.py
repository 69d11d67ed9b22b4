"""The register of decision notices in Chromium: axe-core's WCAG 2.2 AA checks on the register
(with and without a filter error), a notice's page and the officer's preview; the filters work
with JavaScript off."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from complaints import roles
from complaints.models import OfficerProfile, Outcome
from complaints.services.notices import notice_publish
from tests.browser.conftest import shoot
from tests.browser.test_letters_pages import signed_in_page
from tests.complaints.notices.conftest import make_decision, prepare_case
from tests.factories import make_district, make_parish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(transactional_db):
    from complaints.models import Case, Complaint

    roles.roles_apply()
    district = make_district()
    parish = make_parish(district)
    mo = User.objects.create_user("mo", password="pw", first_name="Morgan", last_name="Officer")
    mo.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=mo, authority=district)
    cases = []
    for number, authority in enumerate([district, parish], start=1):
        case = Case.objects.create(
            reference=f"MO-2026-{number:05d}", authority=authority, opened_at="2026-03-02T10:00Z"
        )
        Complaint.objects.create(
            reference=f"{case.reference}-C1",
            case=case,
            authority=authority,
            complainant_name=f"Complainant {number}",
            complainant_email=f"complainant{number}@example.com",
            complainant_type="public",
            outcome_sought="An apology.",
            submitted_at="2026-03-02T10:00Z",
        )
        prepare_case(case, councillor_name="Jo Bloggs" if authority == district else "Pat Quigley")
        cases.append(case)
    breach = notice_publish(decision=make_decision(cases[0], mo), actor=mo)
    notice_publish(decision=make_decision(cases[1], mo, outcome=Outcome.NO_BREACH, reasons="Robust debate."), actor=mo)
    draft = make_decision(cases[0], mo, outcome=Outcome.NO_FURTHER_ACTION)
    return {"mo": mo, "breach": breach, "draft": draft}


def test_the_register_and_a_notice_pass_axe(page, live_server, axe, register):
    page.goto(f"{live_server.url}/decisions/")
    expect(page.get_by_role("heading", name="Decision notices", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="2 decision notices")).to_be_visible()
    axe(page, label="register")
    shoot(page, "register")

    page.get_by_label("Council").select_option(label="Ashby Lane Parish Council")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 decision notice found")).to_be_visible()
    assert "council=ashby-lane" in page.url

    page.goto(f"{live_server.url}/decisions/?year=1066&outcome=hanged")
    expect(page.get_by_role("link", name="Select a year from the list")).to_be_visible()
    expect(page.get_by_role("link", name="Select an outcome from the list")).to_be_visible()
    axe(page, label="register with filter errors")
    shoot(page, "register-errors")

    page.goto(f"{live_server.url}/decisions/")
    page.get_by_role("link", name="Breach found: Councillor Jo Bloggs").click()
    expect(page.get_by_role("heading", name="Decision notice: breach found")).to_be_visible()
    expect(page.get_by_role("heading", name="4. Reasons for the decision")).to_be_visible()
    assert "Complainant 1" not in page.content()
    axe(page, label="a notice")
    shoot(page, "register-notice")
    assert page.problems.messages == [], page.problems.messages


def test_the_filters_work_without_javascript(nojs_page, live_server, register):
    nojs_page.goto(f"{live_server.url}/decisions/")
    nojs_page.get_by_label("Outcome").select_option(label="No breach found")
    nojs_page.get_by_role("button", name="Apply filters").click()
    expect(nojs_page.get_by_role("heading", name="1 decision notice found")).to_be_visible()
    expect(nojs_page.get_by_role("link", name="No breach found: a member of Ashby Lane Parish Council")).to_be_visible()


def test_the_officers_preview_passes_axe(new_context, live_server, axe, register):
    draft = register["draft"]
    page = signed_in_page(new_context, live_server, register["mo"])
    page.goto(f"{live_server.url}/officer/cases/{draft.case.reference}/decisions/{draft.public_id}/notice/")
    expect(page.get_by_role("heading", name="Preview: exactly what the public register will show")).to_be_visible()
    axe(page, label="officer's notice preview")
    shoot(page, "officer-notice-preview")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("button", name="Publish on the public register").click()
    expect(page.get_by_text("The decision notice is published on the public register.")).to_be_visible()
    page.get_by_role("button", name="Withdraw from the register").click()
    expect(page.get_by_role("link", name="Enter why the notice is being withdrawn")).to_be_visible()
    axe(page, label="officer's notice page with an error")
    shoot(page, "officer-notice-withdraw-error")
    assert page.problems == [], page.problems
