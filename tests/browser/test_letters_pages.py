"""The letters pages in Chromium: axe-core's WCAG 2.2 AA checks on the letters list, a letter's
page, every preview, the send form and the takedown forms (with their errors), and the whole
takedown journey with JavaScript off."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Deadline, DeadlineKind, Document, OfficerProfile, TakedownStatus
from tests.browser.conftest import shoot
from tests.complaints.documents.builders import make_letter_case
from tests.complaints.officer.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def letter_case(transactional_db):
    roles.roles_apply()
    # No confidential complainant, so the councillor's letters show the screenshot too.
    made = make_letter_case(confidential=False)
    from django.contrib.auth.models import Group

    made.officer.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=made.officer, authority=made.case.authority)
    return made


def signed_in_page(new_context, live_server, user, *, javascript=True):
    client = sign_in(Client(), user)
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
    page = context.new_page()
    page.problems = []
    page.on(
        "response",
        lambda response: (
            page.problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    # The 400 of a form with errors is expected; failed sub-resources are caught from the responses.
    page.on(
        "console",
        lambda m: (
            page.problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    return page


def test_the_letters_pages_and_every_preview_pass_axe(new_context, live_server, letter_case, axe):
    letter_case.decision()
    base = f"/officer/cases/{letter_case.case.reference}/letters/"
    page = signed_in_page(new_context, live_server, letter_case.officer)

    page.goto(base)
    expect(page.get_by_role("heading", name="Letters", exact=True)).to_be_visible()
    axe(page, label="letters list")
    shoot(page, "letters-index")

    previews = page.get_by_role("link", name="Preview")
    hrefs = [previews.nth(i).get_attribute("href") for i in range(previews.count())]
    assert len(hrefs) == 5  # two acknowledgements, one invitation, two decision notices
    for href in hrefs:
        page.goto(href)
        expect(page.get_by_role("region", name="Letter preview")).to_be_visible()
        axe(page, label=f"preview {href}")

    page.goto(base)
    page.get_by_role("link", name="Invitation to comment", exact=True).click()
    page.get_by_role("button", name="Generate the PDF").click()
    expect(page.get_by_text("Invitation to comment generated as version 1")).to_be_visible()
    axe(page, label="letter page with a version")
    shoot(page, "letters-letter")

    page.get_by_role("link", name="Send by e-mail").click()
    page.get_by_label("E-mail address").fill("")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the e-mail address to send the letter to")
    axe(page, label="send form with an error")
    assert not page.problems, page.problems


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_the_takedown_journey_works_with_and_without_javascript_and_passes_axe(
    new_context, live_server, letter_case, axe, javascript
):
    """axe-core needs the page's timers, which do not run with JavaScript off: it checks the JS run."""
    case = letter_case.case
    page = signed_in_page(new_context, live_server, letter_case.officer, javascript=javascript)

    def check(label):
        if javascript:
            axe(page, label=label)

    page.goto(f"/officer/cases/{case.reference}/letters/")
    page.get_by_role("link", name="Request removal of posts").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the posts the councillor should remove")
    check("takedown posts with an error")

    page.get_by_label("X (Twitter)", exact=False).first.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Takedown request", exact=True)).to_be_visible()
    check("draft takedown request")

    page.get_by_role("link", name="Preview the letter").click()
    expect(page.get_by_role("region", name="Letter preview")).to_contain_text("Request to remove social media content")
    expect(page.get_by_role("img", name="Screenshot of post 1 supplied with the complaint")).to_be_visible()
    page.wait_for_load_state("load")
    # The screenshot comes through the evidence access rule, as the display copy.
    page.wait_for_function(
        "() => { const img = document.querySelector('.app-letter figure img');"
        " return img.complete && img.naturalWidth > 0; }",
        timeout=15_000,
    )
    check("takedown preview")
    page.go_back()

    page.get_by_role("button", name="Send the takedown request").click()
    expect(page.get_by_text("Takedown request sent.")).to_be_visible()
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.TAKEDOWN, met_at__isnull=True).count() == 1

    page.get_by_role("link", name="Record that the posts were removed").click()
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Record removal").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date the post was seen gone must be today or in the past"
    )
    check("removal date with an error")
    shoot(page, f"letters-removal-error-{'js' if javascript else 'nojs'}")

    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record removal").click()
    expect(page.get_by_text("Removal recorded: the takedown clock has stopped")).to_be_visible()
    check("takedown request removed")
    shoot(page, f"letters-takedown-removed-{'js' if javascript else 'nojs'}")

    takedown = case.takedown_requests.get()
    assert takedown.status == TakedownStatus.COMPLIED
    assert Deadline.objects.get(case=case, kind=DeadlineKind.TAKEDOWN).met_at is not None
    assert Document.objects.filter(case=case).count() == 1

    page.goto("/officer/takedowns/overdue/")
    expect(page.get_by_text("No takedown requests are overdue.")).to_be_visible()
    check("overdue takedown requests")
    assert not page.problems, page.problems
