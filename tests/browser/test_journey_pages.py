"""Every page of the complaint journey in Chromium, on a desktop and on a phone: axe-core's
WCAG 2.2 AA rules and its `region` rule find nothing, and answers changed from 'Check your
answers' come back there with every other answer intact.

Screenshots of each page are saved under /tmp/browser-shots/journey-<screen>-*.png.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, _page, shoot
from tests.browser.pages import (
    AboutYouPage,
    Answers,
    AnswersClearedPage,
    CheckAnswersPage,
    CouncillorsPage,
    EvidencePage,
    PostPage,
    StartPage,
    delete_answers_from,
    make_screenshot_png,
)
from tests.factories import make_code, make_councillor, make_district, make_parish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def council(transactional_db):
    district = make_district()
    make_code(district)
    make_councillor(district, "Jo Bloggs")
    parish = make_parish(district)
    make_councillor(parish, "Pat Parish")
    return district


@pytest.fixture
def screenshot_file(tmp_path):
    return make_screenshot_png(
        tmp_path / "Screenshot of Cllr Jo Bloggs post about Elm Road taken 3 November at 21.14.png"
    )


def make_draft_idle(page, minutes: float) -> None:
    """Time travel: the draft in this browser was last used ``minutes`` ago."""
    import time

    from django.conf import settings

    from complaints.services.drafts import ACTIVE_KEY
    from complaints.sessions import SessionStore

    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = SessionStore(key)
    store[ACTIVE_KEY] = int(time.time() - minutes * 60)
    store.save()


def _no_sideways_scrolling(page, width: int):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"


@pytest.mark.parametrize("screen", SCREENS)
def test_every_page_of_the_journey_passes_axe_with_no_region_finding(
    new_context, live_server, axe, council, screenshot_file, screen
):
    page = _page(new_context(**SCREENS[screen]), live_server)
    width = SCREENS[screen]["viewport"]["width"]
    checked = []

    def check(label: str):
        axe(page, label=f"{label}, {screen}")
        _no_sideways_scrolling(page, width)
        shoot(page, f"journey-{screen}-{len(checked):02d}-{label}")
        checked.append(label)

    answers = Answers(posted_on=date.today() - timedelta(days=400))
    start = StartPage(page).goto().expect_loaded()
    check("start")
    about = start.start()
    about.submit_empty()
    expect(about.error_summary).to_be_visible()
    check("about-you-errors")
    page.get_by_role("group", name="Which of these describes you?").get_by_label("Other", exact=True).check()
    expect(page.get_by_label("How would you describe yourself?")).to_be_visible()
    check("about-you-other-revealed")
    page.get_by_role("group", name="Which of these describes you?").get_by_label(
        "Member of the public", exact=True
    ).check()
    council_page = about.complete(answers)
    expect(page.get_by_role("radio")).to_have_count(2)
    expect(page.get_by_text("Parish council in the Northmoor District Council area")).to_be_visible()
    check("council-radios")
    councillors = council_page.complete(answers)
    check("councillors")
    post = councillors.complete(answers)
    post.continue_()
    expect(post.error_summary).to_be_visible()
    check("post-errors")
    page.get_by_role("group", name="Where was it posted?").get_by_label("Other", exact=True).check()
    expect(page.get_by_label("Name of the website or app")).to_be_visible()
    page.get_by_role("group", name="Where was it posted?").get_by_label(answers.platform, exact=True).check()
    expect(page.get_by_label("Name of the website or app")).to_be_hidden()
    posts = post.complete(answers)
    expect(page.get_by_text(re.compile(r"This post was made more than 6 months ago"))).to_be_visible()
    check("posts-late-warning")
    clauses = posts.complete()
    clauses.continue_()
    expect(clauses.error_summary).to_be_visible()
    check("clauses-errors")
    group = page.get_by_role("group", name="Which parts of the Code of Conduct do you think were broken?")
    group.get_by_role("checkbox", name="1. Respect", exact=True).check()
    group.get_by_role("checkbox", name="I\u2019m not sure", exact=True).check()
    expect(group.get_by_role("checkbox", name="1. Respect", exact=True)).not_to_be_checked()  # exclusive
    evidence = clauses.complete(answers)
    check("evidence-empty")
    evidence.upload(screenshot_file)
    expect(page.get_by_text(f"File added: {screenshot_file.name}")).to_be_visible()
    thumbnail = page.get_by_role("img", name=f"Preview of {screenshot_file.name}")
    expect(thumbnail).to_be_visible()
    # The preview has loaded (polled: on a busy machine it can still be arriving when it shows).
    thumbnail.scroll_into_view_if_needed()
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=thumbnail.element_handle(), timeout=15_000)
    check("evidence-one-file")
    remove = page.get_by_role("link", name=f"Remove {screenshot_file.name}")
    if screen == "phone":
        expect(page.get_by_role("button", name=f"Remove {screenshot_file.name}")).to_be_hidden()
        remove.click()
    else:
        expect(remove).to_be_hidden()  # the button removes at once; the page that asks is for phones
        page.goto(page.locator('a[href*="/remove/"]').get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you sure you want to remove")
    check("evidence-remove-confirm")
    page.get_by_role("link", name="Keep it").click()
    evidence = EvidencePage(page).expect_loaded()
    outcome = evidence.complete()
    outcome.continue_()
    expect(outcome.error_summary).to_be_visible()
    check("outcome-errors")
    check_answers = outcome.complete(answers)
    check("check-answers")
    delete_answers_from(page)
    check("delete-answers-confirm")
    page.get_by_role("link", name="No, keep my answers").click()
    check_answers = CheckAnswersPage(page).expect_loaded()
    confirmation = check_answers.send()
    assert confirmation.reference
    check("confirmation")
    page.goto(AboutYouPage.path)
    AboutYouPage(page).complete(answers)
    delete_answers_from(page).confirm()
    check("answers-deleted")
    page.goto(AboutYouPage.path)
    AboutYouPage(page).complete(answers)
    make_draft_idle(page, minutes=61)
    page.reload()
    AnswersClearedPage(page).expect_loaded()
    check("answers-cleared")
    for path in ("/guidance/", "/guidance/code/northmoor-code-2021/", "/privacy/", "/accessibility/"):
        page.goto(path)
        check(path.strip("/").replace("/", "-"))
    assert page.problems.http == [], page.problems.http


def _answers_shown(page) -> list[tuple[str, str]]:
    """Every (question, answer) row on check your answers, in page order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.govuk-summary-list__row')].map(row => [
            row.querySelector('.govuk-summary-list__key').innerText.trim(),
            row.querySelector('.govuk-summary-list__value').innerText.trim(),
        ])"""
    )


def _assert_only_changed(before, after, changed: set[str]):
    assert [key for key, _ in after] == [key for key, _ in before], "the same questions, in the same order"
    kept = [(b, a) for b, a in zip(before, after, strict=True) if b[0] not in changed]
    assert all(b == a for b, a in kept), [(b, a) for b, a in kept if b != a]
    assert any(b != a for b, a in zip(before, after, strict=True) if b[0] in changed)


def test_changing_a_post_and_the_council_from_check_your_answers_ends_there_with_every_answer_intact(
    page, council, screenshot_file
):
    answers = Answers()
    about = StartPage(page).goto().expect_loaded().start()
    posts = about.complete(answers).complete(answers).complete(answers).complete(answers)
    evidence = posts.complete().complete(answers)
    evidence.upload(screenshot_file)
    check = evidence.complete().complete(answers)
    before = _answers_shown(page)
    assert len(before) >= 18, before

    def assert_everything_else_intact(*, council_name: str, councillor: str, text: str):
        expect(check.answer("Name")).to_have_text(answers.name)
        expect(check.answer("Email address")).to_have_text(answers.email)
        expect(check.answer("Council")).to_have_text(council_name)
        expect(check.answer("Councillors")).to_contain_text(councillor)
        expect(check.answer("Account")).to_have_text(answers.account_name)
        expect(check.answer("What it said")).to_have_text(text)
        expect(check.answer("Parts you think were broken")).to_have_text(answers.clause)
        expect(check.answer("Files")).to_contain_text(screenshot_file.name)
        expect(check.answer("Outcome you want")).to_have_text(answers.outcome_sought)

    # Change what the post said and its date (still under the same code): straight back.
    page.get_by_role("link", name="Change the date posted").click()
    post = PostPage(page)
    expect(page).to_have_url(re.compile(r"/complain/posts/0/\?change=1$"))
    page.get_by_label("What did it say or show?").fill("Residents of Elm Road are all scroungers.")
    page.get_by_role("group", name="When was it posted?").get_by_label("Month").fill(
        f"{answers.posted_on - timedelta(days=1):%b}"
    )
    page.get_by_role("group", name="When was it posted?").get_by_label("Day").fill(
        str((answers.posted_on - timedelta(days=1)).day)
    )
    post.continue_()
    check = CheckAnswersPage(page).expect_loaded()
    assert_everything_else_intact(
        council_name=answers.council, councillor=answers.councillor, text="Residents of Elm Road are all scroungers."
    )
    _assert_only_changed(before, _answers_shown(page), {"Date posted", "What it said"})

    # Change the council to a parish that follows the district's code: councillors page, then back.
    page.get_by_role("link", name="Change the council").click()
    page.get_by_role("group", name="Which council is the councillor a member of?").get_by_label(
        "Ashby Lane Parish Council", exact=True
    ).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    councillors = CouncillorsPage(page).expect_loaded()
    group = page.get_by_role("group", name="Which councillor or councillors is your complaint about?")
    group.get_by_role("checkbox", name=re.compile(r"^Pat Parish\b")).check()
    councillors.continue_()
    check = CheckAnswersPage(page).expect_loaded()
    assert_everything_else_intact(
        council_name="Ashby Lane Parish Council",
        councillor="Pat Parish",
        text="Residents of Elm Road are all scroungers.",
    )
    _assert_only_changed(before, _answers_shown(page), {"Date posted", "What it said", "Council", "Councillors"})
    assert page.problems.messages == [], page.problems.messages


def test_without_javascript_every_follow_up_question_is_shown_under_its_answer(nojs_page, council):
    page = nojs_page
    about = StartPage(page).goto().expect_loaded().start()
    expect(page.get_by_label("How would you describe yourself?")).to_be_visible()
    shoot(page, "journey-nojs-about-you")
    post = about.complete(Answers()).complete(Answers()).complete(Answers())
    assert isinstance(post, PostPage)
    expect(page.get_by_label("Name of the website or app")).to_be_visible()
    expect(page.get_by_label("What else made you think they were acting as a councillor?")).to_be_visible()
    expect(page.get_by_text("You can enter up to 10000 characters")).to_be_visible()
    shoot(page, "journey-nojs-post")


def test_without_javascript_answers_can_be_deleted_and_an_idle_draft_says_it_was_cleared(
    nojs_page, council, screenshot_file
):
    page = nojs_page
    answers = Answers()
    evidence = StartPage(page).goto().expect_loaded().start().complete(answers).complete(answers)
    evidence = evidence.complete(answers).complete(answers).complete().complete(answers)
    evidence.upload(screenshot_file)
    confirm = delete_answers_from(page)
    expect(page.get_by_text("the file you uploaded")).to_be_visible()
    confirm.confirm()
    page.goto(CheckAnswersPage.path)
    AboutYouPage(page).expect_loaded()  # nothing left to check

    council_page = AboutYouPage(page).complete(answers)
    make_draft_idle(page, minutes=61)
    council_page.choose(answers.council).continue_()
    cleared = AnswersClearedPage(page).expect_loaded()
    expect(page.get_by_text("because there was no activity for 60 minutes")).to_be_visible()
    shoot(page, "journey-nojs-answers-cleared")
    about = cleared.start_again()
    expect(page.get_by_label("Full name")).to_have_value("")
    assert about.page.problems.http == []


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
