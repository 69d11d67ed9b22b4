"""Building cases for the dashboard tests: a case with its complaint, post, clock and screenshot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from complaints.models import Case, Complaint, Councillor, Deadline, Evidence, SocialMediaPost
from complaints.services.posts import url_normalise
from guidance.models import Clause, CodeOfConduct

# A Wednesday with no bank holiday near it: due Fri 20 Nov is 2 working days away.
TODAY = date(2026, 11, 18)
_counter = {"n": 100}


def _next_number() -> int:
    _counter["n"] += 1
    return _counter["n"]


def councillor(authority, name: str) -> Councillor:
    return Councillor.objects.create(authority=authority, name=name, term_start=date(2022, 5, 5))


def clause(category: str) -> Clause:
    code, _ = CodeOfConduct.objects.get_or_create(
        title="Test code", defaults={"effective_from": date(2020, 1, 1), "slug": "test-code"}
    )
    found = Clause.objects.filter(code=code, category=category).first()
    if found:
        return found
    return Clause.objects.create(
        code=code,
        number=str(Clause.objects.filter(code=code).count() + 1),
        heading=category,
        text=category,
        category=category,
    )


def make_case(
    authority,
    *,
    reference: str | None = None,
    stage: str = "received",
    officer=None,
    opened: date = date(2026, 11, 2),
    complainant: str = "Pat Example",
    confidential: bool = False,
    councillors: tuple = (),
    platform: str = "x",
    url: str = "",
    text: str = "A post about the bins.",
    due: date | None = None,
    met: bool = False,
    clauses: tuple = (),
    phash: str = "",
    complaints: int = 1,
) -> Case:
    number = _next_number()
    reference = reference or f"MO-2026-{number:05d}"
    opened_at = datetime(opened.year, opened.month, opened.day, 10, tzinfo=UTC)
    case = Case.objects.create(
        reference=reference,
        authority=authority,
        stage=stage,
        assigned_officer=officer,
        opened_at=opened_at,
        closed_at=opened_at + timedelta(days=30) if stage == "closed" else None,
    )
    for index in range(complaints):
        complaint = Complaint.objects.create(
            reference=f"{reference}-C{index + 1}",
            case=case,
            authority=authority,
            complainant_name=complainant,
            complainant_email="complainant@example.com",
            complainant_type="public",
            outcome_sought="An apology.",
            submitted_at=opened_at + timedelta(minutes=index),
            confidentiality_requested=confidential,
            confidentiality_reason="Fear of reprisal" if confidential else "",
        )
        complaint.councillors.set(councillors)
        complaint.clauses.set(clauses)
        post = SocialMediaPost.objects.create(
            complaint=complaint,
            case=case,
            platform=platform,
            url=url,
            normalised_url=url_normalise(url),
            account_name="Cllr Account",
            text_reported=text,
        )
        if phash:
            Evidence.objects.create(
                case=case,
                complaint=complaint,
                post=post,
                original=f"evidence/originals/{reference}-{index}.png",
                original_name="screenshot.png",
                sha256="a" * 64,
                size=1000,
                content_type="image/png",
                perceptual_hash=phash,
                uploaded_at=opened_at,
            )
    if due is not None:
        Deadline.objects.create(
            case=case,
            kind="assessment",
            starts_on=min(due, opened),
            working_days=20,
            due_on=due,
            computation="20 working days from the start",
            met_at=opened_at if met else None,
        )
    return case
