"""The public complaint form in a real browser: the whole journey, with and without JavaScript,
keyboard basics, a phone-sized screen, and axe-core's WCAG 2.2 AA checks on every page.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint, Evidence
from tests.browser.conftest import PHONE, shoot, stylesheet_rule_count
from tests.browser.pages import (
    AboutYouPage,
    Answers,
    PostPage,
    StartPage,
    make_screenshot_png,
)
from tests.factories import make_code, make_councillor, make_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council(transactional_db):
    district = make_district()
    make_code(district)
    make_councillor(district, "Jo Bloggs")
    return district


@pytest.fixture
def screenshot_file(tmp_path):
    return make_screenshot_png(tmp_path / "screenshot-of-post.png")


def _answer_up_to_the_post_page(page, answers: Answers) -> PostPage:
    about = StartPage(page).goto().expect_loaded().start()
    council_page = about.complete(answers)
    councillors = council_page.complete(answers)
    return councillors.complete(answers)


def test_a_member_of_the_public_completes_a_complaint_with_a_screenshot_and_every_page_passes_axe(
    page, axe, council, screenshot_file
):
    started = time.monotonic()
    answers = Answers()

    home = StartPage(page).goto().expect_loaded()
    stylesheet = page.request.get("/static/css/app.css")
    assert stylesheet.status == 200 and stylesheet.headers["content-type"].startswith("text/css")
    assert stylesheet_rule_count(page) > 0
    # GOV.UK Frontend's modules ran (while the CSP is broken only thanks to BYPASS_BROKEN_CSP in conftest.py).
    expect(home.skip_link).to_have_attribute("data-govuk-skip-link-init", "")
    axe(page, label="home")

    shoot(page, "01-start")

    # An empty About you page: error summary shown, focused by GOV.UK Frontend, title says Error.
    about = home.start()
    about.submit_empty()
    expect(about.error_summary).to_be_visible()
    expect(about.error_summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: About you - "))
    assert about.error_summary_links() == [
        "Enter your full name",
        "Enter your email address",
        "Select which of these describes you",
    ]
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    axe(page, label="about you with errors")
    shoot(page, "02-about-you-errors")

    council_page = about.complete(answers)
    axe(page, label="council")
    councillors = council_page.complete(answers)
    axe(page, label="councillors")
    post = councillors.complete(answers)
    axe(page, label="post")
    posts = post.complete(answers)
    expect(posts.heading).to_have_text("You have added 1 post")
    expect(posts.added_posts).to_have_count(1)
    axe(page, label="posts")
    clauses = posts.complete()
    axe(page, label="clauses")

    evidence = clauses.complete(answers)
    axe(page, label="evidence, empty")
    evidence.upload(screenshot_file)
    expect(evidence.files_added).to_have_count(1)
    expect(evidence.files_added).to_contain_text("720 × 1280 pixels")
    axe(page, label="evidence, one file")

    outcome = evidence.complete()
    axe(page, label="outcome")
    check = outcome.complete(answers)
    expect(check.answer("Name")).to_have_text(answers.name)
    expect(check.answer("Email address")).to_have_text(answers.email)
    expect(check.answer("Council")).to_have_text(answers.council)
    expect(check.answer("Councillors")).to_contain_text(answers.councillor)
    expect(check.answer("Account")).to_have_text(answers.account_name)
    expect(check.answer("Date posted")).to_have_text(f"{answers.posted_on.day} {answers.posted_on:%B %Y}")
    expect(check.answer("Parts you think were broken")).to_have_text(answers.clause)
    expect(check.answer("Files")).to_contain_text(screenshot_file.name)
    axe(page, label="check answers")
    shoot(page, "03-check-answers")

    confirmation = check.send()
    reference = confirmation.reference
    axe(page, label="confirmation")
    shoot(page, "04-confirmation")

    complaint = Complaint.objects.get()
    assert complaint.reference == reference
    assert complaint.complainant_email == answers.email
    assert [c.name for c in complaint.councillors.all()] == [answers.councillor]
    evidence_rows = Evidence.objects.filter(complaint=complaint)
    assert [e.original_name for e in evidence_rows] == [screenshot_file.name]
    assert evidence_rows.get().size == screenshot_file.stat().st_size
    assert page.problems.messages == [], page.problems.messages
    print(f"Journey with axe on 13 page views took {time.monotonic() - started:.1f}s")


def test_the_journey_can_be_completed_with_javascript_disabled(nojs_page, council, screenshot_file):
    page = nojs_page
    answers = Answers(name="Noor Script-Free", email="noor@example.com", describes_you="Parish or town clerk")

    start = StartPage(page).goto().expect_loaded()
    assert page.evaluate("1 + 1") == 2  # Playwright itself still works; the page's scripts do not run
    expect(start.skip_link).not_to_have_attribute("data-govuk-skip-link-init", "")
    assert stylesheet_rule_count(page) > 0

    about = start.start()
    about.submit_empty()
    expect(about.error_summary).to_be_visible()
    councillors = about.complete(answers).complete(answers)
    posts = councillors.complete(answers).complete(answers)
    evidence = posts.complete().complete(answers)
    evidence.upload(screenshot_file)
    check = evidence.complete().complete(answers)
    expect(check.answer("Files")).to_contain_text(screenshot_file.name)
    confirmation = check.send()

    complaint = Complaint.objects.get()
    assert confirmation.reference == complaint.reference
    assert complaint.complainant_name == answers.name
    assert Evidence.objects.filter(complaint=complaint).values_list("original_name", flat=True).get() == (
        screenshot_file.name
    )
    # Only HTTP failures: with scripts off, the console carries nothing but the CSP parse error
    # that test_the_pages_own_scripts_run_under_the_content_security_policy covers.
    assert page.problems.http == [], page.problems.http


def test_pages_have_a_skip_link_and_one_h1(page, council):
    answers = Answers()
    for page_object in (StartPage(page), AboutYouPage(page)):
        page_object.goto().expect_loaded()
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        expect(page.locator("h1")).to_have_count(1)

        page.keyboard.press("Tab")
        expect(page_object.skip_link).to_be_focused()
        box = page_object.skip_link.bounding_box()
        assert box and box["width"] > 10 and box["height"] > 10, f"skip link not shown when focused: {box}"
        page.keyboard.press("Enter")
        expect(page_object.main).to_be_focused()

    # And on a question page reached through the journey (the session guard lets it show).
    post = _answer_up_to_the_post_page(page, answers)
    expect(page.locator("h1")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(post.skip_link).to_be_focused()


def test_the_start_and_post_pages_work_on_a_phone_sized_screen(phone_page, axe, council):
    page = phone_page

    def assert_no_sideways_scrolling():
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"

    StartPage(page).goto().expect_loaded()
    assert_no_sideways_scrolling()
    axe(page, label="start, phone")
    shoot(page, "05-start-phone")

    post = _answer_up_to_the_post_page(page, Answers())
    assert_no_sideways_scrolling()
    axe(page, label="post, phone")

    post.continue_()  # empty: errors on a small screen too
    expect(post.error_summary).to_be_visible()
    assert_no_sideways_scrolling()
    axe(page, label="post with errors, phone")
    shoot(page, "06-post-errors-phone")


def test_the_pages_own_scripts_run_under_the_content_security_policy(csp_page, council):
    page = csp_page
    start = StartPage(page).goto().expect_loaded()
    header = page.request.get(StartPage.path).headers["content-security-policy"]
    assert "'nonce-" in header, header
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(start.skip_link).to_have_attribute("data-govuk-skip-link-init", "")

    about = start.start()
    about.submit_empty()
    expect(about.error_summary).to_be_focused()
    about.goto()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(about.main).to_be_focused()
    assert page.problems.messages == [], page.problems.messages


def test_footer_links_are_far_enough_apart_to_tap_on_a_phone(phone_page, axe, council):
    StartPage(phone_page).goto().expect_loaded()
    axe(phone_page, label="start, phone, footer")


def test_every_error_summary_link_moves_focus_to_its_answer(page, council):
    about = AboutYouPage(page).goto().expect_loaded()
    about.submit_empty()
    expect(about.error_summary).to_be_visible()
    going_nowhere = []
    for text in about.error_summary_links():
        about.error_summary.get_by_role("link", name=text).click()
        focused = page.evaluate("() => document.activeElement.tagName + '#' + document.activeElement.id")
        if focused.split("#")[0] not in {"INPUT", "TEXTAREA", "SELECT"}:
            href = about.error_summary.get_by_role("link", name=text).get_attribute("href")
            going_nowhere.append(f"{text!r} -> {href} (focus stays on {focused})")
    assert going_nowhere == []


BOX_STYLE = """el => {
    const style = getComputedStyle(el);
    return {
        border: `${style.borderTopWidth} ${style.borderTopStyle} ${style.borderTopColor}`,
        colour: style.borderTopColor,
        height: style.height,
        font: style.fontSize,
    };
}"""
GOVUK_ERROR_RED = "rgb(212, 53, 28)"


def test_the_link_to_the_post_box_is_styled_like_the_other_text_boxes(page, council):
    post = _answer_up_to_the_post_page(page, Answers())
    link = post.page.get_by_label("Link to the post (optional)")
    account = post.page.get_by_label("Name of the account that posted it")
    assert link.evaluate(BOX_STYLE) == account.evaluate(BOX_STYLE)


def test_a_box_with_an_error_has_the_red_error_border(page, council):
    about = AboutYouPage(page).goto().expect_loaded()
    about.submit_empty()
    expect(about.error_summary).to_be_visible()
    for label in ("Full name", "Email address"):
        style = page.get_by_label(label).evaluate(BOX_STYLE)
        assert style["colour"] == GOVUK_ERROR_RED, f"{label}: {style}"


def test_about_you_boxes_say_what_they_are_for_autofill(page, council):
    AboutYouPage(page).goto().expect_loaded()
    expected = {
        "Full name": "name",
        "Email address": "email",
        "Phone number (optional)": "tel",
        "Postal address (optional)": "street-address",
    }
    actual = {label: page.get_by_label(label).get_attribute("autocomplete") for label in expected}
    assert actual == expected
