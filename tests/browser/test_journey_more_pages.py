"""More of the complaint journey in Chromium: radios that reveal a question, the council question
as a list to search once there are ten councils, the error pages not reached on the main walk, a
guidance document and the pages that refuse a complaint; axe-core on each, desktop and phone.

Screenshots are saved under /tmp/browser-shots/journey-<screen>-more-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _page, shoot
from tests.browser.pages import Answers, StartPage, make_screenshot_png
from tests.browser.test_journey_pages import SCREENS, _no_sideways_scrolling
from tests.factories import make_code, make_councillor, make_district, make_parish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council(transactional_db):
    district = make_district()
    make_code(district)
    make_councillor(district, "Jo Bloggs")
    make_councillor(make_parish(district), "Pat Parish")
    return district


@pytest.fixture
def screenshot_file(tmp_path):
    return make_screenshot_png(tmp_path / "Screenshot of Cllr Jo Bloggs post about Elm Road.png")


def test_a_radio_reveals_and_hides_its_question_without_aria_expanded(page, council):
    """ARIA does not allow aria-expanded on a radio; the question follows its radio instead."""
    StartPage(page).goto().expect_loaded().start()
    group = page.get_by_role("group", name="Which of these describes you?")
    question = page.get_by_label("How would you describe yourself?")
    expect(question).to_be_hidden()
    group.get_by_label("Other", exact=True).check()
    expect(question).to_be_visible()
    assert page.locator("input[type=radio][aria-expanded]").count() == 0
    group.get_by_label("Member of the public", exact=True).check()
    expect(question).to_be_hidden()
    group.get_by_label("Other", exact=True).press("Space")  # the keyboard too
    expect(question).to_be_visible()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("link", name="Tell us how you would describe yourself")).to_be_visible()
    expect(question).to_be_visible()  # the choice sent back with an error shows its question
    assert page.locator("input[type=radio][aria-expanded]").count() == 0
    assert page.problems.messages == [], page.problems.messages


@pytest.mark.parametrize("screen", SCREENS)
def test_the_council_search_and_the_remaining_error_pages_pass_axe(
    new_context, live_server, axe, council, screenshot_file, tmp_path, screen
):
    """Ten councils or more: the council question is a list to search and select from."""
    for number in range(9):
        make_parish(council, f"Parish {number} Council", f"parish-{number}")
    page = _page(new_context(**SCREENS[screen]), live_server)
    width = SCREENS[screen]["viewport"]["width"]
    answers = Answers()

    def check(label: str):
        axe(page, label=f"{label}, {screen}")
        _no_sideways_scrolling(page, width)
        shoot(page, f"journey-{screen}-more-{label}")

    council_page = StartPage(page).goto().expect_loaded().start().complete(answers)
    expect(page.get_by_role("searchbox", name="Search for a council")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Which council is the councillor a member of?")).to_be_visible()
    check("council-search-and-select")
    council_page.continue_()
    expect(council_page.error_summary).to_be_visible()
    check("council-errors")
    council_page.search("Nowhere at all")
    expect(page.get_by_text("No councils match \u2018Nowhere at all\u2019.")).to_be_visible()
    check("council-search-no-matches")
    council_page.search("Northmoor")
    councillors = council_page.complete(answers)
    councillors.continue_()
    expect(councillors.error_summary).to_be_visible()
    check("councillors-errors")
    post = councillors.complete(answers)
    post.fill(answers)
    month = page.get_by_role("group", name="When was it posted?").get_by_label("Month")
    for name in ("Sept.", "March", "Oct"):
        month.fill(name)
        assert month.evaluate("box => box.scrollWidth <= box.clientWidth"), f"{name!r} does not fit the month box"
    month.fill(str(answers.posted_on.month))
    posts = post.complete(answers)
    check("posts")
    evidence = posts.complete().complete(answers)
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_bytes(b"just some words")
    evidence.file_input.set_input_files(not_a_picture)
    page.get_by_role("button", name="Add file").click()
    expect(evidence.error_summary.get_by_role("link")).to_have_text(
        ["notes.png must be a PNG, JPEG, WebP, GIF or HEIC image, or a PDF"]
    )
    check("evidence-upload-error")
    evidence.upload(screenshot_file)
    check_answers = evidence.complete().complete(answers)
    page.get_by_role("button", name="Accept and send").click()
    expect(check_answers.error_summary).to_be_visible()
    check("check-answers-errors")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_guidance_document_and_the_pages_that_refuse_a_complaint_pass_axe(
    new_context, live_server, axe, council, screenshot_file, settings, screen
):
    from guidance.services import guidance_load

    guidance_load()
    settings.COMPLAINT_RATE_LIMIT = "1/h"
    page = _page(new_context(**SCREENS[screen]), live_server)
    width = SCREENS[screen]["viewport"]["width"]

    def check(label: str):
        axe(page, label=f"{label}, {screen}")
        _no_sideways_scrolling(page, width)
        shoot(page, f"journey-{screen}-more-{label}")

    page.goto("/guidance/social-media/ashford-social-media-guidance/")
    expect(page.get_by_text("reference material from another council")).to_be_visible()
    check("guidance-document")

    answers = Answers()
    posts = StartPage(page).goto().expect_loaded().start().complete(answers).complete(answers).complete(answers)
    evidence = posts.complete(answers).complete().complete(answers)
    evidence.upload(screenshot_file)
    check_answers = evidence.complete().complete(answers)
    page.locator("input[name=website]").evaluate("box => { box.value = 'http://spam.example'; }")
    page.get_by_label("I confirm that the information in this complaint is true").check()
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("could not be sent")
    check("refused")
    check_answers.goto().expect_loaded().send_expecting_refusal()
    expect(page.get_by_text(re.compile("wait before trying again"))).to_be_visible()
    check("rate-limited")
