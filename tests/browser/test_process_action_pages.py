"""The pages of the process in Chromium: every action page the stage machine offers, the Independent
Person's consultation page, the restrict-complainant page and the decision notice page pass
axe-core's WCAG 2.2 AA checks as first shown and with their error summary; an action works end to
end with JavaScript off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Case, Event, EventKind, Stage
from complaints.process import TABLE, Action
from complaints.services.intake import information_request
from complaints.services.members import InvitationMethod, member_invite
from complaints.views.officer.actions import PAGES
from tests.browser.test_officer_case_page import signed_in_page
from tests.complaints.officer.conftest import NOW, world  # noqa: F401  (the named users and cases)
from tests.complaints.process.decisions_data import (
    add_complaint,
    at_stage,
    closed_with_no_further_action,
    under_informal_resolution,
    under_review,
)
from tests.complaints.process.intake_data import councillor_in, independent_persons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The stages a case is built at, in the order a case is looked for when an action allows several.
STAGES = (
    Stage.RECEIVED,
    Stage.ACKNOWLEDGED,
    Stage.MEMBER_COMMENT,
    Stage.FURTHER_INFORMATION,
    Stage.ASSESSMENT,
    Stage.INFORMAL_RESOLUTION,
    Stage.INVESTIGATION,
    Stage.HEARING,
    Stage.REVIEW,
    Stage.CLOSED,
)


@pytest.fixture(autouse=True)
def roles_applied(transactional_db):
    # Transactional tests empty every table, the roles' groups included.
    roles.roles_apply()


@pytest.fixture
def cases(world):  # noqa: F811
    """One Northmoor case at each stage, each with a councillor, a post, two clauses alleged and a
    second, confidential, complaint, and what its stage needs (an invitation, a question, steps...)."""
    mo = world["users"]["mo"]
    independent_persons(world)
    northmoor = world["councils"]["northmoor"]
    built = {}
    for number, stage in enumerate(STAGES, start=10):
        case = Case.objects.create(reference=f"MO-2026-{number:05d}", authority=northmoor, opened_at=NOW)
        add_complaint(case, 1, name=f"Complainant {number}", email=f"complainant{number}@example.com")
        add_complaint(case, 2, name="Priya Secret", email="priya@example.com", confidential=True)
        councillor = councillor_in(case)
        if stage == Stage.MEMBER_COMMENT:
            at_stage(case, Stage.ACKNOWLEDGED)
            member_invite(case=case, councillors=[councillor], method=InvitationMethod.LETTER, actor=mo)
        elif stage == Stage.FURTHER_INFORMATION:
            at_stage(case, Stage.ACKNOWLEDGED)
            information_request(
                case=case, complaint=case.complaints.first(), question="Which post do you mean?", actor=mo
            )
        elif stage == Stage.INFORMAL_RESOLUTION:
            under_informal_resolution(case, mo)
        elif stage in (Stage.INVESTIGATION, Stage.HEARING):
            Case.objects.filter(pk=case.pk).update(investigator=world["users"]["investigator"])
            at_stage(case, stage)
        elif stage == Stage.REVIEW:
            under_review(case, mo)
        elif stage == Stage.CLOSED:
            built["decision"] = closed_with_no_further_action(case, mo)
        else:
            at_stage(case, stage)
        case.refresh_from_db()
        assert case.stage == stage
        built[stage] = case
    return built


def case_for(cases, action: str) -> Case:
    stage = next(stage for stage in STAGES if stage in TABLE[action].stages)
    return cases[stage]


class Findings:
    """axe's findings on every page, gathered so that one run reports every page that fails."""

    def __init__(self, axe):
        self.axe = axe
        self.failures: list[str] = []

    def check(self, page, label: str):
        try:
            self.axe(page, label=label)
        except AssertionError as failure:
            self.failures.append(str(failure))

    def check_error_summary(self, page, label: str):
        """Each link of the error summary leads to its field, in the order of the page."""
        problem = page.evaluate(ERROR_LINKS_IN_ORDER)
        if problem:
            self.failures.append(f"error summary on {label} ({page.url}): {problem}")

    def assert_none(self):
        assert not self.failures, (
            f"{len(self.failures)} problem(s): WCAG 2.2 AA violations, or error summaries that mislead:\n\n"
            + "\n\n".join(self.failures)
        )


ERROR_LINKS_IN_ORDER = """() => {
    let previous = null;
    for (const link of document.querySelectorAll('.govuk-error-summary__list a')) {
        const target = document.getElementById(link.getAttribute('href').slice(1));
        if (!target) return `${link.getAttribute('href')} leads nowhere`;
        if (previous && previous.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING)
            return `"${link.textContent.trim()}" comes before its field's place on the page`;
        previous = target;
    }
    return '';
}"""


def expect_error_summary(page, label: str):
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem"), f"{label}: no error summary").to_be_visible()
    expect(page, f"{label}: the title does not say there is an error").to_have_title(re.compile(r"^Error: "))


def test_every_action_page_and_the_process_pages_pass_axe_as_shown_and_with_errors(
    new_context,
    live_server,
    axe,
    world,  # noqa: F811
    cases,
):
    assert set(PAGES) == set(TABLE), "every action of the stage machine has a page"
    findings = Findings(axe)
    page = signed_in_page(new_context, live_server, world["users"]["mo"])
    for action in TABLE:
        case = case_for(cases, action)
        label = f"{action} action page on a case at {case.stage}"
        page.goto(f"/officer/cases/{case.reference}/actions/{action}/")
        expect(page.get_by_role("heading", level=1), label).to_have_text(Action(action).label)
        findings.check(page, label)
        page.get_by_role("button", name=PAGES[action].button, exact=True).click()
        expect_error_summary(page, label)
        findings.check(page, f"{label}, submitted empty")
        findings.check_error_summary(page, label)

    case = cases[Stage.RECEIVED]
    label = "restrict-complainant page"
    page.goto(f"/officer/cases/{case.reference}/complainants/restrict/?complaint={case.reference}-C1")
    expect(page.get_by_role("heading", level=1), label).to_have_text("Treat a complainant as vexatious or persistent")
    findings.check(page, label)
    page.get_by_role("button", name="Record the restriction").click()
    expect_error_summary(page, label)
    findings.check(page, f"{label}, submitted empty")
    findings.check_error_summary(page, label)

    decision = cases["decision"]
    label = "decision notice page"
    page.goto(f"/officer/cases/{decision.case.reference}/decisions/{decision.public_id}/notice/")
    expect(page.get_by_role("heading", name="Preview: exactly what the public register will show")).to_be_visible()
    findings.check(page, label)
    page.get_by_label("Statement of the facts for publication").fill("x" * 20_000)
    page.get_by_role("button", name="Save and preview").click()
    expect_error_summary(page, label)
    findings.check(page, f"{label}, with a statement too long")
    findings.check_error_summary(page, label)

    ip_page = signed_in_page(new_context, live_server, world["users"]["independent_person"])
    label = "Independent Person's consultation page"
    ip_page.goto(f"/officer/cases/{world['cases']['northmoor'].reference}/consultation/")
    expect(ip_page.get_by_role("heading", level=1), label).to_have_text("Your view as Independent Person")
    findings.check(ip_page, label)
    ip_page.get_by_role("button", name="Record my view").click()
    expect_error_summary(ip_page, label)
    findings.check(ip_page, f"{label}, submitted empty")
    findings.check_error_summary(ip_page, label)

    findings.assert_none()


def test_an_officer_records_the_acknowledgement_with_javascript_off(new_context, live_server, world):  # noqa: F811
    case = world["cases"]["northmoor"]
    page = signed_in_page(new_context, live_server, world["users"]["mo"], javascript=False)
    page.goto(f"/officer/cases/{case.reference}/")
    page.get_by_role("link", name="Record the acknowledgement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the acknowledgement")
    page.get_by_role("button", name="Record the acknowledgement").click()
    expect(page.get_by_role("link", name="Select how the complainant was acknowledged")).to_be_visible()
    page.get_by_role("group", name="How was the complainant acknowledged?").get_by_label("It was sent by post").check()
    page.get_by_label("Note (optional)").fill("Letter posted first class")
    page.get_by_role("button", name="Record the acknowledgement").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Acknowledgement recorded for case {case.reference}")).to_be_visible()
    case.refresh_from_db()
    assert case.stage == Stage.ACKNOWLEDGED
    event = Event.objects.get(case=case, kind=EventKind.CASE_UPDATED)
    assert event.actor == world["users"]["mo"] and event.description.startswith("Complainant acknowledged: it was sent")
