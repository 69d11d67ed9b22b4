"""A case for the letters: a council whose code was revised between two posts, a confidential
complainant with an address, a screenshot, a decision and a takedown request."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from complaints.models import Case, Complaint, Councillor, Decision, Outcome, TakedownRequest
from complaints.services.complaints import ComplainantDetails, PostDetails, complaint_submit
from complaints.services.confidentiality import complaint_confidentiality_decide
from complaints.services.evidence_files import evidence_file_store
from complaints.services.takedowns import takedown_request_create
from guidance.models import Clause, CodeOfConduct
from tests.factories import make_councillor, make_district, png_bytes

OLD_CODE_FROM = date(2021, 5, 20)
REVISED_ON = date(2026, 3, 1)
FIRST_POST_ON = date(2026, 2, 10)  # under the old code
SECOND_POST_ON = date(2026, 4, 14)  # under the revised code
OLD_RESPECT = "OLD-TEXT: As a councillor I treat others with courtesy."
NEW_RESPECT = "REVISED-TEXT: As a councillor I treat other councillors and members of the public with respect."
OLD_DISREPUTE = "OLD-TEXT: I do not bring my office into disrepute."
NEW_DISREPUTE = "REVISED-TEXT: I do not bring my role or local authority into disrepute, online or offline."

SECRET_NAME = "Philippa Quennell-Armstrong"
SECRET_EMAIL = "pq.armstrong@example.net"
SECRET_ADDRESS = "12 Larkspur Mews\nOld Hatchford\nNM7 3ZZ"
OPEN_NAME = "Desmond Ogunleye"
FIRST_TEXT = "Planning officers are idiots and the Larkspur residents are liars. #NorthmoorFirst"
SECOND_TEXT = "Anyone who objects to the bypass should move away. I won't be listening to them."


@dataclass
class LetterCase:
    case: Case
    councillor: Councillor
    confidential: Complaint
    open: Complaint
    officer: object
    old_code: CodeOfConduct
    new_code: CodeOfConduct

    def takedown(self) -> TakedownRequest:
        return takedown_request_create(case=self.case, posts=list(self.case.posts.all()), actor=self.officer)

    def decision(self, outcome=Outcome.BREACH, **fields) -> Decision:
        decision = Decision.objects.create(
            case=self.case,
            outcome=outcome,
            reasons=fields.get("reasons", "The posts were disrespectful and went beyond robust political debate."),
            sanctions=fields.get("sanctions", "Censure and training on the Code of Conduct."),
            ip_view=fields.get("ip_view", "The Independent Person agreed that a breach had occurred."),
            decided_by=self.officer,
            decided_on=date(2026, 6, 1),
        )
        clauses = list(self.new_code.clauses.filter(number__in=["1", "5"]))
        decision.clauses_engaged.set(clauses)
        decision.clauses_breached.set(clauses[:1])
        return decision


def _code(authority, slug, start, end, respect, disrepute) -> CodeOfConduct:
    code = CodeOfConduct.objects.create(
        slug=slug,
        title="Northmoor District Council Code of Conduct",
        authority=authority,
        version=start.isoformat(),
        effective_from=start,
        effective_to=end,
    )
    for position, (number, heading, text) in enumerate(
        [("1", "Respect", respect), ("2", "Bullying", "No bullying."), ("5", "Disrepute", disrepute)]
    ):
        Clause.objects.create(code=code, number=number, heading=heading, text=text, position=position)
    return code


def make_letter_case(
    *,
    hostile: str | None = None,
    confidential: bool = True,
    extra_posts: int = 0,
    councillor_email="cllr.jo.bloggs@northmoor.example.gov.uk",
) -> LetterCase:
    """Two complaints about two posts, one made under each version of the code.

    ``hostile`` fills every free-text field the public can type with that text instead;
    ``extra_posts`` adds that many more posts to the first complaint (for long tables).
    """
    authority = make_district()
    old = _code(authority, "northmoor-2021", OLD_CODE_FROM, date(2026, 2, 28), OLD_RESPECT, OLD_DISREPUTE)
    new = _code(authority, "northmoor-2026", REVISED_ON, None, NEW_RESPECT, NEW_DISREPUTE)
    councillor = make_councillor(authority, name="Jo Bloggs", email=councillor_email)
    officer = get_user_model().objects.create_user(
        "officer", email="amira.hussain@northmoor.example.gov.uk", first_name="Amira", last_name="Hussain"
    )
    stored = evidence_file_store(
        upload=SimpleUploadedFile("screenshot.png", png_bytes((300, 200)), content_type="image/png")
    )
    h = hostile
    first = complaint_submit(
        complainant=ComplainantDetails(
            name=(h or SECRET_NAME)[:190],
            email=SECRET_EMAIL,
            complainant_type="public",
            phone="01632 960 777",
            address=h or SECRET_ADDRESS,
        ),
        authority=authority,
        councillors=[councillor],
        unlisted_councillor_names=(h or "")[:490],
        posts=[
            PostDetails(
                platform="x",
                account_name=(h or "@cllrjobloggs")[:190],
                text_reported=h or FIRST_TEXT,
                url="https://x.com/cllrjobloggs/status/111",
                posted_on=FIRST_POST_ON,
                capacity_indicators=["account_name"],
                capacity_explanation=h or "The account says Cllr.",
            ),
            *[
                PostDetails(
                    platform="x",
                    account_name="@cllrjobloggs",
                    text_reported=f"Extra post number {n}.",
                    url=f"https://x.com/cllrjobloggs/status/{900 + n}",
                    posted_on=FIRST_POST_ON,
                )
                for n in range(extra_posts)
            ],
        ],
        code=old,
        clauses=list(old.clauses.filter(number__in=["1", "5"])),
        clauses_not_sure=False,
        evidence=[stored],
        outcome_sought=h or "The post removed.",
        previous_complaint="yes",
        previous_complaint_details=h or "Once before.",
        confidentiality_requested=confidential,
        confidentiality_reason=(h or "I live on the same street as the councillor.") if confidential else "",
        now=timezone.make_aware(datetime(2026, 4, 20, 10, 0)),
    )
    if confidential:
        complaint_confidentiality_decide(complaint=first, granted=True, actor=officer)
    second = complaint_submit(
        complainant=ComplainantDetails(name=OPEN_NAME, email="d.ogunleye@example.org", complainant_type="public"),
        authority=authority,
        councillors=[councillor],
        unlisted_councillor_names="",
        posts=[
            PostDetails(
                platform="facebook",
                account_name="Cllr Jo Bloggs",
                text_reported=h or SECOND_TEXT,
                url="https://www.facebook.com/cllrjobloggs/posts/222",
                posted_on=SECOND_POST_ON,
            )
        ],
        code=new,
        clauses=list(new.clauses.filter(number__in=["1", "5"])),
        clauses_not_sure=False,
        evidence=[],
        no_evidence_reason="It was deleted.",
        outcome_sought="An apology.",
        previous_complaint="no",
        confidentiality_requested=False,
        now=timezone.make_aware(datetime(2026, 4, 21, 9, 0)),
    )
    from complaints.services.cases import case_link

    case_link(complaint=second, into=first.case, actor=officer)
    first.refresh_from_db()
    second.refresh_from_db()
    return LetterCase(
        case=first.case,
        councillor=councillor,
        confidential=first,
        open=second,
        officer=officer,
        old_code=old,
        new_code=new,
    )


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def normalise(text: str) -> str:
    """Extracted text with line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())
