"""Page objects for the public complaint journey.

Each object finds things the way a person (or a screen reader) would: by label, role and
accessible name, never by CSS class or id. If a label changes, these break, which is the point.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect

REFERENCE = re.compile(r"MO-\d{4}-\d{5}")


@dataclass
class Answers:
    """What the complainant types in; defaults mirror tests/complaints/journey.py."""

    name: str = "Sam Resident"
    email: str = "sam@example.com"
    phone: str = "01632 960 001"
    address: str = "1 High Street\nNorthmoor"
    describes_you: str = "Member of the public"
    council: str = "Northmoor District Council"
    councillor: str = "Jo Bloggs"
    platform: str = "Facebook"
    url: str = "https://www.facebook.com/cllr.jo/posts/123"
    account_name: str = "Cllr Jo Bloggs"
    posted_on: date = field(default_factory=lambda: date.today() - timedelta(days=14))
    text_reported: str = "Residents of Elm Road are scroungers."
    capacity_reasons: tuple[str, ...] = (
        "The account name uses 'Cllr' or 'Councillor'",
        "The post discusses council or ward business",
    )
    clause: str = "1. Respect"
    outcome_sought: str = "An apology and the post taken down."


def make_screenshot_png(path: Path, *, text: str = "Cllr Jo Bloggs: Residents of Elm Road are scroungers.") -> Path:
    """A real PNG that looks like a phone screenshot of a social media post."""
    image = Image.new("RGB", (720, 1280), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 120), fill=(24, 119, 242))
    draw.text((40, 50), "facebook", fill=(255, 255, 255))
    draw.rectangle((30, 160, 690, 620), fill=(255, 255, 255), outline=(210, 210, 210))
    draw.ellipse((60, 190, 140, 270), fill=(120, 120, 120))
    draw.text((160, 200), "Cllr Jo Bloggs", fill=(0, 0, 0))
    draw.text((160, 230), "2 weeks ago", fill=(100, 100, 100))
    draw.text((60, 320), text, fill=(0, 0, 0))
    image.save(path, "PNG")
    return path


class BasePage:
    path = "/"
    heading_text: str | re.Pattern = ""

    def __init__(self, page: Page):
        self.page = page

    # Navigation -----------------------------------------------------------------------------
    def goto(self):
        self.page.goto(self.path)
        return self

    def expect_loaded(self):
        expect(self.page).to_have_url(re.compile(re.escape(self.path) + r"(\?.*)?$"))
        expect(self.heading).to_have_text(self.heading_text)
        return self

    # Things on every page -------------------------------------------------------------------
    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def skip_link(self) -> Locator:
        return self.page.get_by_role("link", name="Skip to main content")

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    @property
    def back_link(self) -> Locator:
        return self.page.get_by_role("link", name="Back", exact=True)

    @property
    def error_summary(self) -> Locator:
        # GOV.UK Frontend 5 puts role=alert on an inner element and focuses the summary container.
        return self.page.locator(".govuk-error-summary").filter(
            has=self.page.get_by_role("alert").filter(has=self.page.get_by_role("heading", name="There is a problem"))
        )

    def error_summary_links(self) -> list[str]:
        return [text.strip() for text in self.error_summary.get_by_role("link").all_inner_texts()]

    def continue_(self):
        self.page.get_by_role("button", name="Continue", exact=True).click()


class StartPage(BasePage):
    """The home page is the service's start page."""

    path = "/"
    heading_text = "Complain about a councillor"

    @property
    def start_button(self) -> Locator:
        return self.page.get_by_role("button", name="Start now")

    def start(self) -> "AboutYouPage":
        self.start_button.click()
        return AboutYouPage(self.page).expect_loaded()


HomePage = StartPage


class AboutYouPage(BasePage):
    path = "/complain/about-you/"
    heading_text = "About you"

    def fill(self, answers: Answers):
        self.page.get_by_label("Full name").fill(answers.name)
        self.page.get_by_label("Email address").fill(answers.email)
        self.page.get_by_label("Phone number (optional)").fill(answers.phone)
        self.page.get_by_label("Postal address (optional)").fill(answers.address)
        self.page.get_by_role("group", name="Which of these describes you?").get_by_label(
            answers.describes_you, exact=True
        ).check()
        return self

    def submit_empty(self) -> "AboutYouPage":
        self.continue_()
        return self

    def complete(self, answers: Answers) -> "CouncilPage":
        self.fill(answers).continue_()
        return CouncilPage(self.page).expect_loaded()


class CouncilPage(BasePage):
    path = "/complain/council/"
    heading_text = "Which council?"

    def search(self, words: str):
        self.page.get_by_role("searchbox", name="Search for a council").fill(words)
        self.page.get_by_role("button", name="Search", exact=True).click()
        return self

    def choose(self, council: str):
        question = "Which council is the councillor a member of?"
        radios = self.page.get_by_role("group", name=question)
        if radios.count():
            radios.get_by_label(council, exact=True).check()
        else:
            self.page.get_by_label(question).select_option(label=council)
        return self

    def complete(self, answers: Answers) -> "CouncillorsPage":
        self.choose(answers.council).continue_()
        return CouncillorsPage(self.page).expect_loaded()


class CouncillorsPage(BasePage):
    path = "/complain/councillors/"
    heading_text = "Who is your complaint about?"

    def complete(self, answers: Answers) -> "PostPage":
        group = self.page.get_by_role("group", name="Which councillor or councillors is your complaint about?")
        group.get_by_role("checkbox", name=re.compile(rf"^{re.escape(answers.councillor)}\b")).check()
        self.continue_()
        return PostPage(self.page).expect_loaded()


class PostPage(BasePage):
    path = "/complain/posts/add/"
    heading_text = "About the post"

    def fill(self, answers: Answers):
        page = self.page
        page.get_by_role("group", name="Where was it posted?").get_by_label(answers.platform, exact=True).check()
        page.get_by_label("Link to the post (optional)").fill(answers.url)
        page.get_by_label("Name of the account that posted it").fill(answers.account_name)
        when = page.get_by_role("group", name="When was it posted?")
        when.get_by_label("Day").fill(str(answers.posted_on.day))
        when.get_by_label("Month").fill(str(answers.posted_on.month))
        when.get_by_label("Year").fill(str(answers.posted_on.year))
        page.get_by_label("What did it say or show?").fill(answers.text_reported)
        reasons = page.get_by_role("group", name="Why do you think the councillor was acting as a councillor?")
        for reason in answers.capacity_reasons:
            reasons.get_by_label(reason, exact=True).check()
        return self

    def complete(self, answers: Answers) -> "PostsPage":
        self.fill(answers).continue_()
        return PostsPage(self.page).expect_loaded()


class PostsPage(BasePage):
    path = "/complain/posts/"
    heading_text = re.compile(r"You have added \d+ posts?")

    @property
    def added_posts(self) -> Locator:
        return self.page.get_by_role("term").filter(has_text=re.compile(r"^Post \d+$"))

    def complete(self) -> "ClausesPage":
        self.page.get_by_role("group", name="Do you want to add another post?").get_by_label("No", exact=True).check()
        self.continue_()
        return ClausesPage(self.page).expect_loaded()


class ClausesPage(BasePage):
    path = "/complain/code/"
    heading_text = "Which parts of the Code of Conduct?"

    def complete(self, answers: Answers) -> "EvidencePage":
        group = self.page.get_by_role("group", name="Which parts of the Code of Conduct do you think were broken?")
        group.get_by_role("checkbox", name=answers.clause, exact=True).check()
        self.continue_()
        return EvidencePage(self.page).expect_loaded()


class EvidencePage(BasePage):
    path = "/complain/evidence/"
    heading_text = "Upload screenshots of the post"

    @property
    def file_input(self) -> Locator:
        return self.page.get_by_label("Upload a file")

    @property
    def files_added(self) -> Locator:
        """The values of the 'Files added' summary list, one per uploaded file."""
        return self.page.get_by_role("definition").filter(has_text=re.compile(r"\d+(\.\d+)?\s(bytes|KB|MB)"))

    def upload(self, path: Path) -> "EvidencePage":
        self.file_input.set_input_files(path)
        self.page.get_by_role("button", name="Add file").click()
        expect(self.page.get_by_role("heading", name="Files added")).to_be_visible()
        expect(self.files_added.filter(has_text=path.name)).to_have_count(1)
        return self

    def complete(self) -> "OutcomePage":
        self.continue_()
        return OutcomePage(self.page).expect_loaded()


class OutcomePage(BasePage):
    path = "/complain/outcome/"
    heading_text = "What you would like to happen"

    def complete(self, answers: Answers) -> "CheckAnswersPage":
        page = self.page
        page.get_by_label("What would you like to happen as a result of your complaint?").fill(answers.outcome_sought)
        page.get_by_role("group", name="Have you complained about this before?").get_by_label("No", exact=True).check()
        page.get_by_role("group", name="Do you want us to keep your identity confidential?").get_by_label(
            "No", exact=True
        ).check()
        self.continue_()
        return CheckAnswersPage(page).expect_loaded()


class CheckAnswersPage(BasePage):
    path = "/complain/check/"
    heading_text = "Check your answers before sending your complaint"

    def answer(self, key: str) -> Locator:
        """The value shown beside a summary list key, e.g. answer('Email address')."""
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.get_by_role("term").filter(has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
        )
        return row.get_by_role("definition").first

    def send(self) -> "ConfirmationPage":
        self.send_expecting_refusal()
        return ConfirmationPage(self.page).expect_loaded()

    def send_expecting_refusal(self) -> None:
        self.page.get_by_label("I confirm that the information in this complaint is true").check()
        self.page.get_by_role("button", name="Accept and send").click()


class ConfirmationPage(BasePage):
    path = "/complain/confirmation/"
    heading_text = "Complaint sent"

    @property
    def reference(self) -> str:
        panel = self.page.get_by_text(re.compile(r"^\s*Your reference number"))
        match = REFERENCE.search(panel.inner_text())
        assert match, f"no reference number in {panel.inner_text()!r}"
        return match.group(0)


def delete_answers_from(page: Page) -> "DeleteAnswersPage":
    """Follow 'Delete my answers' from any question page."""
    page.get_by_role("link", name="Delete my answers", exact=True).click()
    return DeleteAnswersPage(page).expect_loaded()


class DeleteAnswersPage(BasePage):
    path = "/complain/delete-answers/"
    heading_text = "Are you sure you want to delete your answers?"

    def confirm(self) -> "AnswersDeletedPage":
        self.page.get_by_role("button", name="Delete my answers").click()
        return AnswersDeletedPage(self.page).expect_loaded()

    def keep(self):
        self.page.get_by_role("link", name="No, keep my answers").click()


class AnswersDeletedPage(BasePage):
    path = "/complain/answers-deleted/"
    heading_text = "Your answers have been deleted"


class AnswersClearedPage(BasePage):
    path = "/complain/answers-cleared/"
    heading_text = "Your answers have been cleared"

    def start_again(self) -> AboutYouPage:
        self.page.get_by_role("button", name="Start again").click()
        return AboutYouPage(self.page).expect_loaded()
