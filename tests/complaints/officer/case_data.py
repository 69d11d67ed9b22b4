"""A case for the case page tests: two complaints (one confidential), two posts a year apart, a
councillor whose term ended between them, a code revised between them, screenshots and events."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from complaints.models import Case, Complaint, Councillor, Deadline, EventKind, Evidence, SocialMediaPost
from complaints.services.events import event_record
from complaints.services.evidence_files import evidence_file_store
from complaints.services.posts import url_normalise
from guidance.models import Clause, CodeOfConduct

OPENED = datetime(2026, 10, 1, 10, tzinfo=UTC)
FIRST_POST = date(2025, 6, 2)
SECOND_POST = date(2026, 9, 20)
CODE_REVISED = date(2026, 1, 1)


def screenshot_png(*, shade: int = 0, text: str = "Cllr Jo Bloggs: residents are vermin") -> bytes:
    image = Image.new("RGB", (480, 260), (250 - shade, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 480, 40), fill="#1877f2")
    draw.text((20, 60), text, fill="#111111")
    draw.ellipse((20, 100, 80, 160), fill="#1877f2")
    draw.text((20, 200), f"{9 + shade % 3}:{shade:02d}", fill="#555555")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def store_screenshot(case: Case, complaint: Complaint, post, name: str, png: bytes) -> Evidence:
    stored = evidence_file_store(upload=SimpleUploadedFile(name, png, content_type="image/png"))
    return Evidence.objects.create(
        case=case,
        complaint=complaint,
        post=post,
        original=stored.original_path,
        original_name=stored.original_name,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        width=stored.width,
        height=stored.height,
        display=stored.display_path,
        perceptual_hash=stored.perceptual_hash,
        uploaded_at=OPENED,
    )


def codes(authority) -> tuple[CodeOfConduct, CodeOfConduct]:
    old = CodeOfConduct.objects.create(
        slug=f"{authority.slug}-code-2020",
        title=f"{authority.name} Code of Conduct",
        authority=authority,
        version="2020",
        effective_from=date(2020, 5, 1),
        effective_to=CODE_REVISED - timedelta(days=1),
    )
    new = CodeOfConduct.objects.create(
        slug=f"{authority.slug}-code-2026",
        title=f"{authority.name} Code of Conduct",
        authority=authority,
        version="2026 revision",
        effective_from=CODE_REVISED,
    )
    for code, respect in ((old, "Respect"), (new, "Respect and courtesy online")):
        Clause.objects.create(code=code, number="1", heading=respect, text=f"{respect}: the text.", position=1)
        Clause.objects.create(code=code, number="5", heading="Disrepute", text="Disrepute: the text.", position=5)
    Clause.objects.create(code=new, number="11", heading="Social media", text="Social media: new in 2026.", position=11)
    return old, new


def case_with_history(authority, *, reference: str = "MO-2026-00500", screenshots: bool = True) -> Case:
    old_code, new_code = codes(authority)
    councillor = Councillor.objects.create(
        authority=authority, name="Jo Bloggs", term_start=date(2019, 5, 2), term_end=date(2026, 5, 6)
    )
    case = Case.objects.create(reference=reference, authority=authority, opened_at=OPENED)
    people = (
        ("Open Complainant", False, FIRST_POST, old_code, ("1",)),
        ("Secret Complainant", True, SECOND_POST, new_code, ("1", "11")),
    )
    for index, (name, confidential, posted_on, code, numbers) in enumerate(people, start=1):
        complaint = Complaint.objects.create(
            reference=f"{reference}-C{index}",
            case=case,
            authority=authority,
            complainant_name=name,
            complainant_email=f"{name.split()[0].lower()}@example.com",
            complainant_type="public",
            outcome_sought="An apology.",
            submitted_at=OPENED + timedelta(minutes=index),
            confidentiality_requested=confidential,
            confidentiality_reason="Fear of reprisal" if confidential else "",
            code=code,
        )
        complaint.councillors.set([councillor])
        complaint.clauses.set(Clause.objects.filter(code=code, number__in=numbers))
        url = f"https://www.facebook.com/jo.bloggs/posts/{index}"
        post = SocialMediaPost.objects.create(
            complaint=complaint,
            case=case,
            platform="facebook",
            url=url,
            normalised_url=url_normalise(url),
            account_name="Cllr Jo Bloggs",
            posted_on=posted_on,
            text_reported=f"Post number {index}: the residents of Elm Road are vermin.",
            capacity_indicators=["account_name", "council_business"],
        )
        if screenshots:
            store_screenshot(case, complaint, post, f"screenshot-{index}.png", screenshot_png(shade=index))
    Deadline.objects.create(
        case=case,
        kind="assessment",
        starts_on=date(2026, 10, 1),
        working_days=20,
        due_on=date(2026, 10, 29),
        computation="20 working days from Thursday 1 October 2026, skipping weekends and bank holidays in England.",
    )
    event_record(case=case, kind=EventKind.CASE_OPENED, description="Case opened for complaint C1")
    event_record(case=case, kind=EventKind.NOTE, description="Telephoned the clerk about the post")
    return case
