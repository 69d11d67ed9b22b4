"""The public complaint journey, driven page by page through Django's test client."""

import hashlib
import io
import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from complaints.models import (
    Case,
    Complaint,
    Deadline,
    Event,
    EventKind,
    Evidence,
    OutboxMessage,
    OutboxStatus,
    SocialMediaPost,
)
from tests.complaints.journey import ABOUT, Journey
from tests.factories import jpeg_with_gps, make_code, make_councillor, make_district, make_parish, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    district = make_district()
    make_code(district)
    return district


@pytest.fixture
def councillor(council):
    return make_councillor(council, "Jo Bloggs")


@pytest.fixture
def journey(client):
    return Journey(client)


def test_start_page_explains_the_service_with_configured_timescales(client, settings):
    settings.TIMESCALE_ASSESSMENT_DAYS = 17
    response = client.get(reverse("complain:start"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "within 17 working days" in body
    assert 'href="/guidance/"' in body
    assert 'href="/privacy/"' in body
    assert "anonymous complaints" in body
    assert 'href="/complain/about-you/"' in body


def test_home_page_links_to_the_complaint_form(client):
    body = client.get("/").content.decode()
    assert "Complain about a councillor" in body
    assert 'href="/complain/"' in body


def test_a_complete_journey_stores_the_complaint_case_posts_evidence_and_acknowledgement(
    journey, client, council, councillor, django_capture_on_commit_callbacks
):
    screenshot = png_bytes((640, 480))
    photo = jpeg_with_gps()
    journey.complete_up_to_check(council, [councillor], files=[("post.png", screenshot), ("photo.jpg", photo)])

    check = client.get(reverse("complain:check"))
    assert check.status_code == 200
    body = check.content.decode()
    for expected in ("Sam Resident", "Jo Bloggs", "Cllr Jo Bloggs", "post.png", "photo.jpg", "1. Respect"):
        assert expected in body

    with django_capture_on_commit_callbacks(execute=True):
        response = journey.send()
    assert response.status_code == 302
    assert response["Location"] == reverse("complain:confirmation")

    complaint = Complaint.objects.get()
    assert re.fullmatch(r"MO-\d{4}-00001", complaint.reference)
    assert complaint.complainant_email == ABOUT["email"]
    assert list(complaint.councillors.all()) == [councillor]
    assert [c.number for c in complaint.clauses.all()] == ["1"]
    assert complaint.case.complaints.count() == 1
    assert complaint.declaration_confirmed

    post = SocialMediaPost.objects.get()
    assert post.case == complaint.case
    assert post.normalised_url == "https://facebook.com/cllr.jo/posts/123"
    assert post.capacity_indicators == ["account_name", "council_business"]
    assert post.posted_on.isoformat() == "2026-11-03"

    originals = {e.original_name: e for e in Evidence.objects.filter(complaint=complaint)}
    assert set(originals) == {"post.png", "photo.jpg"}
    for name, uploaded in (("post.png", screenshot), ("photo.jpg", photo)):
        evidence = originals[name]
        with default_storage.open(evidence.original.name, "rb") as stored:
            stored_bytes = stored.read()
        assert stored_bytes == uploaded
        assert evidence.sha256 == hashlib.sha256(uploaded).hexdigest()
        assert evidence.size == len(uploaded)
        assert name not in evidence.original.name  # server-generated name on disk
    assert originals["post.png"].content_type == "image/png"
    assert (originals["post.png"].width, originals["post.png"].height) == (640, 480)

    with default_storage.open(originals["photo.jpg"].display.name, "rb") as display:
        image = Image.open(io.BytesIO(display.read()))
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (300, 400)  # orientation 6 applied, then metadata removed

    assert Deadline.objects.filter(case=complaint.case).count() == 2
    kinds = set(Event.objects.filter(case=complaint.case).values_list("kind", flat=True))
    assert {EventKind.CASE_OPENED, EventKind.COMPLAINT_RECEIVED, EventKind.MESSAGE_QUEUED} <= kinds

    message = OutboxMessage.objects.get(complaint=complaint)
    assert message.status == OutboxStatus.SENT  # eager Celery sent it on commit
    assert len(mail.outbox) == 1
    assert complaint.reference in mail.outbox[0].subject
    assert mail.outbox[0].to == [ABOUT["email"]]

    confirmation = client.get(reverse("complain:confirmation"))
    assert complaint.reference in confirmation.content.decode()
    assert "What happens next" in confirmation.content.decode()


def test_confirmation_without_a_submission_returns_to_the_start(client):
    response = client.get(reverse("complain:confirmation"))
    assert response.status_code == 302
    assert response["Location"] == reverse("complain:start")


def test_pages_cannot_be_skipped_by_typing_their_address(journey, client, council):
    assert client.get(reverse("complain:evidence"))["Location"] == reverse("complain:about")
    journey.about()
    assert client.get(reverse("complain:clauses"))["Location"] == reverse("complain:council")
    assert client.get(reverse("complain:check"))["Location"] == reverse("complain:council")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your full name"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("email", "", "Enter your email address"),
        ("phone", "call me maybe", "Enter a phone number"),
        ("name", "x" * 201, "Full name must be 200 characters or fewer"),
        ("complainant_type", "", "Select which of these describes you"),
        ("complainant_type", "alien", "Select a valid choice"),
    ],
)
def test_about_you_rejects_bad_answers_with_an_error_summary_and_inline_message(journey, field, value, message):
    response = journey.about(**{field: value})
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    assert body.count(message) >= 2  # once in the summary, once next to the field
    assert "<title>Error:" in body


def test_other_complainant_type_needs_a_description(journey):
    response = journey.about(complainant_type="other", complainant_type_other="")
    assert response.status_code == 400
    assert "Tell us how you would describe yourself" in response.content.decode()


def test_council_search_narrows_the_list_and_a_parish_can_be_chosen(journey, client, council):
    parish = make_parish(council, "Kingsford Town Council", "kingsford")
    journey.about()
    body = client.get(reverse("complain:council") + "?q=kingsford").content.decode()
    assert "Kingsford Town Council" in body
    assert "Northmoor District Council</option>" not in body
    assert journey.council(parish).status_code == 302


def test_unknown_council_is_refused(journey):
    journey.about()
    response = journey.post("council", {"authority": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 400
    assert "Select a council from the list" in response.content.decode()


def test_a_councillor_not_on_the_register_can_be_named(journey, council):
    journey.about()
    journey.council(council)
    assert journey.councillors(unlisted="Cllr Someone Else").status_code == 302
    response = journey.councillors()
    assert response.status_code == 400
    assert "Select the councillor, or enter their name" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"posted_on_0": "31", "posted_on_1": "2"}, "The date it was posted must be a real date"),
        ({"posted_on_2": "2099"}, "must be today or in the past"),
        ({"posted_on_0": "", "posted_on_1": "", "posted_on_2": ""}, "Enter the date it was posted"),
        ({"url": "not a url at all"}, "Enter the link in the correct format"),
        ({"text_reported": ""}, "Enter what the post said or showed"),
        ({"text_reported": "x" * 5001}, "5000 characters or fewer"),
        ({"capacity_indicators": [], "capacity_explanation": ""}, "Select why you think they were acting"),
        ({"capacity_indicators": ["other"], "capacity_explanation": ""}, "Tell us what else made you think"),
        ({"platform": "other"}, "Tell us where it was posted"),
    ],
)
def test_post_page_rejects_bad_answers(journey, council, councillor, overrides, message):
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    response = journey.add_post(**overrides)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_several_posts_can_be_added_changed_and_removed(journey, client, council, councillor):
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post()
    assert journey.post("posts", {"add_another": "yes"})["Location"] == reverse("complain:post_add")
    journey.add_post(platform="x", account_name="@cllrjo", text_reported="Second post")
    body = client.get(reverse("complain:posts")).content.decode()
    assert "You have added 2 posts" in body
    journey.post("post_edit", {**_post(text_reported="Edited second post")}, args=[1])
    assert "Edited second post" in client.get(reverse("complain:posts")).content.decode()
    journey.post("post_remove", {}, args=[0])
    body = client.get(reverse("complain:posts")).content.decode()
    assert "You have added 1 post" in body
    assert "Edited second post" in body


def _post(**overrides):
    from tests.complaints.journey import POST

    return {**POST, **overrides}


def test_clauses_offered_are_those_of_the_code_in_force_on_the_date_of_the_post(journey, client, council, councillor):
    from datetime import date

    old = make_code(
        council,
        slug="old-code",
        effective_from=date(2012, 7, 1),
        effective_to=date(2021, 5, 19),
        title="Old Northmoor Code",
    )
    old.clauses.filter(number="1").update(heading="General conduct (2012 wording)")
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post(posted_on_2="2020")
    journey.no_more_posts()
    body = client.get(reverse("complain:clauses")).content.decode()
    assert "Old Northmoor Code" in body
    assert "General conduct (2012 wording)" in body


def test_a_parish_councillor_complaint_offers_the_principal_councils_code(journey, client, council):
    parish = make_parish(council)
    member = make_councillor(parish, "Pat Parish")
    journey.about()
    journey.council(parish)
    journey.councillors([member])
    journey.add_post()
    journey.no_more_posts()
    body = client.get(reverse("complain:clauses")).content.decode()
    assert "Northmoor District Council Code of Conduct" in body


def test_not_sure_is_an_acceptable_answer_about_the_code(journey, council, councillor):
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post()
    journey.no_more_posts()
    assert journey.clauses(numbers=(), not_sure=True).status_code == 302
    response = journey.clauses(numbers=())
    assert response.status_code == 400
    assert "or select I&#x27;m not sure" in response.content.decode()


def test_outcome_page_needs_a_reason_for_confidentiality(journey, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    response = journey.outcome(confidentiality_requested="yes", confidentiality_reason="")
    assert response.status_code == 400
    assert "Tell us why your identity should be kept confidential" in response.content.decode()
    assert journey.outcome(confidentiality_requested="yes", confidentiality_reason="I work for him").status_code == 302


def test_change_links_return_to_check_your_answers(journey, client, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    response = journey.post("about", {**ABOUT, "name": "Sam Changed"}, query="?change=1")
    assert response["Location"] == reverse("complain:check")
    assert "Sam Changed" in client.get(reverse("complain:check")).content.decode()


def test_the_declaration_must_be_confirmed(journey, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    response = journey.post("check", {"website": ""})
    assert response.status_code == 400
    assert "Confirm that the information is true" in response.content.decode()
    assert not Complaint.objects.exists()


def test_text_with_html_is_stored_as_typed_and_shown_inert(journey, client, council, councillor):
    script = '<script>alert("x")</script><b>bold</b>'
    journey.about(name=script)
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post(text_reported=script)
    journey.no_more_posts()
    journey.clauses()
    journey.upload()
    journey.evidence_continue()
    journey.outcome(outcome_sought=script)
    body = client.get(reverse("complain:check")).content.decode()
    assert script not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    journey.send()
    complaint = Complaint.objects.get()
    assert complaint.complainant_name == script
    assert complaint.outcome_sought == script
    assert complaint.posts.get().text_reported == script


def test_a_filled_honeypot_sends_nothing(journey, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    response = journey.send(website="http://spam.example")
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    assert "could not be sent" in response.content.decode()


def test_submissions_are_rate_limited_per_address_with_a_friendly_page(journey, client, settings, council, councillor):
    settings.COMPLAINT_RATE_LIMIT = "2/h"
    for _ in range(2):
        journey.complete_up_to_check(council, [councillor])
        assert journey.send().status_code == 302
    journey.complete_up_to_check(council, [councillor])
    response = journey.send()
    assert response.status_code == 429
    assert "wait before trying again" in response.content.decode()
    assert Complaint.objects.count() == 2
    assert client.get(reverse("complain:check")).status_code == 200  # answers kept


def test_forms_refuse_posts_without_a_csrf_token(council):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("complain:about"), ABOUT)
    assert response.status_code == 403


def test_a_complaint_is_written_whole_or_not_at_all(journey, council, councillor, monkeypatch):
    journey.complete_up_to_check(council, [councillor])

    def broken_outbox(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("complaints.services.complaints.outbox_message_create", broken_outbox)
    with pytest.raises(RuntimeError):
        journey.send()
    assert not Complaint.objects.exists()
    assert not Case.objects.exists()
    assert not SocialMediaPost.objects.exists()
    assert not Evidence.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("answer", "shown"), [("no", "No"), ("yes", "Yes"), ("not_sure", "Not sure")])
def test_check_your_answers_shows_the_earlier_complaint_answer_as_given(
    journey, client, council, councillor, answer, shown
):
    journey.complete_up_to_check(council, [councillor])
    details = "To the clerk in May" if answer == "yes" else ""
    assert journey.outcome(previous_complaint=answer, previous_complaint_details=details).status_code == 302
    body = client.get(reverse("complain:check")).content.decode()
    row = body[body.index("Complained before") :][:400]
    assert f">{shown}</dd>" in row
