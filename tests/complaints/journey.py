"""Drives the public complaint form through Django's test client, one question page at a time."""

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import png_bytes

ABOUT = {
    "name": "Sam Resident",
    "email": "sam@example.com",
    "phone": "01632 960 001",
    "address": "1 High Street",
    "complainant_type": "public",
}

POST = {
    "platform": "facebook",
    "url": "https://www.facebook.com/cllr.jo/posts/123?utm_source=x",
    "account_name": "Cllr Jo Bloggs",
    "posted_on_0": "3",
    "posted_on_1": "11",
    "posted_on_2": "2026",
    "text_reported": "Residents of Elm Road are scroungers.",
    "capacity_indicators": ["account_name", "council_business"],
    "capacity_explanation": "",
}

OUTCOME = {
    "outcome_sought": "An apology and the post taken down.",
    "previous_complaint": "no",
    "confidentiality_requested": "no",
}


class Journey:
    def __init__(self, client):
        self.client = client

    def post(self, name, data, *, follow=False, args=None, query=""):
        return self.client.post(reverse(f"complain:{name}", args=args) + query, data, follow=follow)

    def about(self, **overrides):
        return self.post("about", {**ABOUT, **overrides})

    def council(self, authority):
        return self.post("council", {"authority": str(authority.public_id)})

    def councillors(self, councillors=(), unlisted=""):
        return self.post("councillors", {"councillors": [str(c.public_id) for c in councillors], "unlisted": unlisted})

    def add_post(self, **overrides):
        return self.post("post_add", {**POST, **overrides})

    def no_more_posts(self):
        return self.post("posts", {"add_another": "no"})

    def clauses(self, numbers=("1",), not_sure=False):
        return self.post("clauses", {"clauses": list(numbers) + (["not_sure"] if not_sure else [])})

    def upload(self, name="screenshot.png", content=None, content_type="image/png"):
        content = png_bytes() if content is None else content
        upload = SimpleUploadedFile(name, content, content_type=content_type)
        return self.client.post(reverse("complain:evidence"), {"file": upload, "action": "add"})

    def evidence_continue(self):
        return self.post("evidence", {"action": "continue"})

    def outcome(self, **overrides):
        return self.post("outcome", {**OUTCOME, **overrides})

    def send(self, **extra):
        return self.post("check", {"declaration": "on", "website": "", **extra})

    def complete_up_to_check(self, authority, councillors, *, files=None):
        """Answer every page up to check your answers; each step must be accepted."""
        responses = [
            self.about(),
            self.council(authority),
            self.councillors(councillors),
            self.add_post(),
            self.no_more_posts(),
            self.clauses(),
        ]
        for name, content in files or [("screenshot.png", png_bytes())]:
            responses.append(self.upload(name, content))
        responses += [self.evidence_continue(), self.outcome()]
        for response in responses:
            assert response.status_code == 302, (response.status_code, response.content[:2000])
        return responses


class _Errors(HTMLParser):
    """Collects the error summary's links and the inline GOV.UK error messages of a page."""

    def __init__(self):
        super().__init__()
        self.summary: list[str] = []
        self.inline: list[str] = []
        self._in_summary_list = False
        self._capture: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "govuk-error-summary__list" in classes:
            self._in_summary_list = True
        if self._capture is not None:
            self._depth += 1
        elif (tag == "a" and self._in_summary_list) or "govuk-error-message" in classes:
            self._capture, self._depth = [], 0
            self._target = self.summary if tag == "a" and self._in_summary_list else self.inline

    def handle_endtag(self, tag):
        if self._capture is not None:
            if self._depth == 0:
                text = " ".join("".join(self._capture).split())
                self._target.append(text.removeprefix("Error: ").removeprefix("Error:"))
                self._capture = None
            else:
                self._depth -= 1
        if tag == "ul":
            self._in_summary_list = False

    def handle_data(self, data):
        if self._capture is not None:
            self._capture.append(data)


def error_messages(response) -> tuple[list[str], list[str]]:
    """(the error summary's messages, the inline messages), each in page order."""
    parser = _Errors()
    parser.feed(response.content.decode())
    return parser.summary, parser.inline
