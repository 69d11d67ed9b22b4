"""Each letter's PDF, read back with pypdf, states the facts of the case and nothing it must withhold."""

import io
import re
from datetime import date, datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader

from complaints.documents.letters import (
    acknowledgement_letter,
    decision_notice,
    member_invitation_letter,
    takedown_request_letter,
)
from complaints.models import Outcome
from complaints.services.documents import letter_render
from complaints.services.takedowns import takedown_request_send
from complaints.services.working_days import add_working_days, calendar_for, due_date
from tests.complaints.documents.builders import (
    FIRST_TEXT,
    NEW_DISREPUTE,
    NEW_RESPECT,
    OLD_DISREPUTE,
    OLD_RESPECT,
    OPEN_NAME,
    SECOND_TEXT,
    SECRET_EMAIL,
    SECRET_NAME,
    make_letter_case,
    normalise,
    pdf_text,
)

pytestmark = pytest.mark.django_db

SENT_AT = timezone.make_aware(datetime(2026, 5, 6, 11, 30))  # a Wednesday


def secrets_in(pdf: bytes) -> list[str]:
    """Every place the confidential complainant's details appear: text, metadata, raw bytes."""
    reader = PdfReader(io.BytesIO(pdf))
    haystacks = {
        "text": normalise(pdf_text(pdf)).lower(),
        "metadata": " ".join(str(v) for v in (reader.metadata or {}).values()).lower(),
        "xmp": (reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8", "replace").lower()),
        "bytes": pdf.decode("latin-1").lower(),
    }
    needles = [SECRET_NAME, SECRET_EMAIL, "Quennell", "Larkspur Mews", "NM7 3ZZ", "Old Hatchford", "960 777"]
    return [f"{needle} in {where}" for needle in needles for where, hay in haystacks.items() if needle.lower() in hay]


def test_takedown_letter_states_each_post_its_date_and_the_clauses_in_force_on_that_date():
    letter_case = make_letter_case()
    request = takedown_request_send(request=letter_case.takedown(), actor=letter_case.officer, now=SENT_AT)

    text = normalise(pdf_text(request_pdf(request)))

    assert "Request to remove social media content" in text
    assert normalise(SECOND_TEXT) in text
    # The first post's text names nobody confidential, so it is quoted whole (the Larkspur residents
    # are not the complainant's address).
    assert "Planning officers are idiots" in text
    assert "10 February 2026" in text and "14 April 2026" in text
    # Post 1 was made under the old code, post 2 under the revised one: each quoted as then in force.
    first, second = text.split("Post 2:", 1) if "Post 2:" in text else (text, "")
    assert OLD_RESPECT in first and OLD_DISREPUTE in first
    assert NEW_RESPECT not in first
    assert NEW_RESPECT in second and NEW_DISREPUTE in second
    assert OLD_RESPECT not in second
    assert "version in force from 20 May 2021" in first
    assert "version in force from 1 March 2026" in second
    assert "not a finding that you have breached the Code of Conduct" in text


def test_takedown_letter_gives_the_due_date_of_the_compliance_clock_it_started():
    letter_case = make_letter_case()
    request = takedown_request_send(request=letter_case.takedown(), actor=letter_case.officer, now=SENT_AT)

    expected = due_date(date(2026, 5, 6), 5, calendar=calendar_for(request.case.authority))
    assert request.due_on == expected.due_on == date(2026, 5, 13)
    text = normalise(pdf_text(request_pdf(request)))
    assert "Wednesday 13 May 2026" in text
    assert expected.explanation in text
    assert "6 May 2026" in text  # the letter is dated the day it was sent


def test_takedown_letter_names_the_open_complainant_and_withholds_the_confidential_one_everywhere():
    letter_case = make_letter_case()
    request = takedown_request_send(request=letter_case.takedown(), actor=letter_case.officer, now=SENT_AT)
    pdf = request_pdf(request)

    assert secrets_in(pdf) == []
    text = normalise(pdf_text(pdf))
    assert OPEN_NAME in text
    assert "1 complainant whose identity is withheld" in text


def test_a_confidential_complainants_name_quoted_in_a_post_is_blanked_out():
    letter_case = make_letter_case()
    post = letter_case.confidential.posts.get()
    post.text_reported = f"{SECRET_NAME} of 12 Larkspur Mews is a troublemaker. Philippa, get a life."
    post.save()

    rendered = letter_render(letter=takedown_request_letter(letter_case.takedown()))

    assert secrets_in(rendered.pdf) == []
    text = normalise(pdf_text(rendered.pdf))
    assert "[withheld] of [withheld] is a troublemaker. [withheld], get a life." in text
    # A screenshot cannot be redacted, so none is shown while an identity is withheld.
    assert rendered.fetch_log.fetched == ["static:images/council-logo.svg"]
    assert "not reproduced here" in text


def test_a_refused_confidentiality_request_lets_the_name_appear():
    from complaints.services.confidentiality import complaint_confidentiality_decide

    letter_case = make_letter_case()
    complaint_confidentiality_decide(complaint=letter_case.confidential, granted=False, actor=letter_case.officer)

    rendered = letter_render(letter=takedown_request_letter(letter_case.takedown()))

    text = normalise(pdf_text(rendered.pdf))
    assert SECRET_NAME in text
    # With nobody withheld, the screenshot's display copy is shown (and nothing else is fetched).
    evidence = letter_case.confidential.evidence.get()
    assert f"evidence:{evidence.public_id}" in rendered.fetch_log.fetched
    assert rendered.fetch_log.refused == []


def test_member_invitation_quotes_the_alleged_clauses_as_in_force_and_gives_the_reply_date():
    letter_case = make_letter_case()
    now = timezone.make_aware(datetime(2026, 4, 22, 9, 0))

    pdf = letter_render(letter=member_invitation_letter(letter_case.case, letter_case.councillor, now=now)).pdf

    text = normalise(pdf_text(pdf))
    assert "invitation to comment" in text
    assert OLD_RESPECT in text and NEW_RESPECT in text
    expected = add_working_days(date(2026, 4, 22), 10, nation="ENG").due_on
    assert f"{expected:%A} {expected.day} {expected:%B %Y}" in text
    assert secrets_in(pdf) == []


def test_acknowledgement_letter_is_addressed_to_the_complainant_with_reference_and_assessment_date():
    letter_case = make_letter_case()
    complaint = letter_case.confidential
    assessment = letter_case.case.deadlines.get(kind="assessment")

    text = normalise(pdf_text(letter_render(letter=acknowledgement_letter(complaint)).pdf))

    assert f"Dear {SECRET_NAME}" in text
    assert "12 Larkspur Mews Old Hatchford NM7 3ZZ" in text
    assert complaint.reference in text
    assert f"{assessment.due_on.day} {assessment.due_on:%B %Y}" in text
    assert "The Monitoring Officer has agreed" in text


def test_decision_notice_for_the_parties_has_the_cspl_contents():
    letter_case = make_letter_case()
    decision = letter_case.decision()

    pdf = letter_render(letter=decision_notice(decision, public=False)).pdf

    text = normalise(pdf_text(pdf))
    for heading in (
        "Statement of the facts",
        "Provisions of the Code of Conduct engaged",
        "The view of the Independent Person",
        "Reasons for the decision",
        "Sanction",
    ):
        assert heading in text
    assert "Breach found" in text
    assert "Councillor Jo Bloggs" in text
    assert "The Independent Person agreed that a breach had occurred." in text
    assert "Censure and training on the Code of Conduct." in text
    assert OLD_RESPECT in text and NEW_RESPECT in text  # each post under its own version
    assert "(breach found)" in text
    assert normalise(FIRST_TEXT) in text
    assert OPEN_NAME in text
    assert secrets_in(pdf) == []


def test_public_decision_notice_has_no_complainant_personal_data_at_all():
    letter_case = make_letter_case()
    decision = letter_case.decision(reasons=f"{OPEN_NAME} and {SECRET_NAME} both complained; the posts breached 1.")

    pdf = letter_render(letter=decision_notice(decision, public=True)).pdf

    text = normalise(pdf_text(pdf))
    assert secrets_in(pdf) == []
    assert OPEN_NAME not in text and "Ogunleye" not in text and "d.ogunleye@example.org" not in text
    assert "[withheld] and [withheld] both complained" in text
    assert FIRST_TEXT[:20] not in text  # post text is not reproduced in the public version
    assert "Councillor Jo Bloggs" in text  # named: a breach was found


def test_public_decision_notice_does_not_name_the_councillor_without_a_breach():
    letter_case = make_letter_case()
    decision = letter_case.decision(outcome=Outcome.NO_FURTHER_ACTION, sanctions="")

    text = normalise(pdf_text(letter_render(letter=decision_notice(decision, public=True)).pdf))

    assert "Bloggs" not in text
    assert "a member of Northmoor District Council" in text
    assert "@cllrjobloggs" not in text


def request_pdf(request) -> bytes:
    from complaints.services.documents import document_read

    request.refresh_from_db()
    return document_read(document=request.letter)


def test_the_letter_text_never_contains_markup():
    letter_case = make_letter_case()
    text = pdf_text(letter_render(letter=takedown_request_letter(letter_case.takedown())).pdf)
    assert not re.search(r"<[a-z/][^>]*>", text)
