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


def test_the_home_page_is_the_start_page_with_configured_timescales(client, settings):
    settings.TIMESCALE_ASSESSMENT_DAYS = 17
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "within 17 working days" in body
    assert 'href="/guidance/"' in body
    assert 'href="/privacy/"' in body
    assert "anonymous complaints" in body
    assert 'href="/complain/about-you/"' in body


def test_the_old_start_page_address_leads_to_the_home_page(client):
    response = client.get("/complain/")
    assert response.status_code == 302
    assert response["Location"] == "/"


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
    assert response["Location"] == reverse("home")


def test_pages_cannot_be_skipped_by_typing_their_address(journey, client, council):
    assert client.get(reverse("complain:evidence"))["Location"] == reverse("complain:about")
    journey.about()
    assert client.get(reverse("complain:clauses"))["Location"] == reverse("complain:council")
    assert client.get(reverse("complain:check"))["Location"] == reverse("complain:council")


def test_council_search_narrows_the_list_and_a_parish_can_be_chosen(journey, client, council):
    parish = make_parish(council, "Kingsford Town Council", "kingsford")
    journey.about()
    body = client.get(reverse("complain:council") + "?q=kingsford").content.decode()
    assert "Kingsford Town Council" in body
    assert "Northmoor District Council</option>" not in body
    assert journey.council(parish).status_code == 302


def test_a_councillor_not_on_the_register_can_be_named(journey, council):
    journey.about()
    journey.council(council)
    assert journey.councillors(unlisted="Cllr Someone Else").status_code == 302
    response = journey.councillors()
    assert response.status_code == 400
    assert "Select the councillor, or enter their name" in response.content.decode()


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


def test_a_send_refused_as_automated_uses_up_the_allowance_like_a_complaint_sent(
    journey, settings, council, councillor
):
    settings.COMPLAINT_RATE_LIMIT = "1/h"
    journey.complete_up_to_check(council, [councillor])
    assert journey.send(website="http://spam.example").status_code == 400
    response = journey.send()
    assert response.status_code == 429
    assert not Complaint.objects.exists()


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


# --- answers are never lost when changed from check your answers -------------------------------


def _draft(client) -> dict:
    return client.session["complaint_draft"]


def test_changing_a_post_from_check_your_answers_returns_there_and_keeps_the_parts_of_the_code(
    journey, client, council, councillor
):
    journey.complete_up_to_check(council, [councillor])
    journey.clauses(numbers=("1", "5"))
    response = journey.post(
        "post_edit", _post(text_reported="Corrected words", posted_on_0="4"), args=[0], query="?change=1"
    )
    assert response["Location"] == reverse("complain:check")
    assert _draft(client)["clauses"]["clauses"] == ["1", "5"]
    body = client.get(reverse("complain:check")).content.decode()
    assert "Corrected words" in body
    assert "5. Disrepute" in body
    assert "Sam Resident" in body and "An apology and the post taken down." in body


def test_a_post_date_under_another_version_of_the_code_asks_for_the_parts_again_and_says_why(
    journey, client, council, councillor
):
    from datetime import date

    make_code(
        council, slug="old-code", effective_from=date(2012, 7, 1), effective_to=date(2021, 5, 19), title="Old Code"
    )
    journey.complete_up_to_check(council, [councillor])
    response = journey.post("post_edit", _post(posted_on_2="2020"), args=[0], query="?change=1")
    # The post is now old, so the list of posts asks why first, then the code page, then back.
    assert response["Location"] == reverse("complain:posts") + "?change=1"
    assert "clauses" not in _draft(client)
    response = journey.post(
        "posts", {"add_another": "no", "late_reason": "I only saw it last week."}, query="?change=1"
    )
    assert response["Location"] == reverse("complain:clauses") + "?change=1"
    page = client.get(reverse("complain:clauses") + "?change=1").content.decode()
    assert "a different version of the Code of Conduct was in force" in page
    assert "Old Code" in page
    response = journey.post("clauses", {"clauses": ["2"]}, query="?change=1")
    assert response["Location"] == reverse("complain:check")
    body = client.get(reverse("complain:check")).content.decode()
    assert "I only saw it last week." in body
    assert "Sam Resident" in body and "post.png" not in body  # evidence kept: screenshot.png
    assert "screenshot.png" in body


def test_changing_the_council_returns_to_check_your_answers_after_the_councillors_page(
    journey, client, council, councillor
):
    from tests.factories import make_parish

    parish = make_parish(council)
    member = make_councillor(parish, "Pat Parish")
    journey.complete_up_to_check(council, [councillor])
    journey.clauses(numbers=("1", "4"))
    response = journey.post("council", {"authority": str(parish.public_id)}, query="?change=1")
    assert response["Location"] == reverse("complain:councillors") + "?change=1"
    # The parish follows the district's code, so the parts chosen still apply and are kept.
    assert _draft(client)["clauses"]["clauses"] == ["1", "4"]
    response = journey.post("councillors", {"councillors": [str(member.public_id)]}, query="?change=1")
    assert response["Location"] == reverse("complain:check")
    body = client.get(reverse("complain:check")).content.decode()
    assert "Ashby Lane Parish Council" in body and "Pat Parish" in body
    assert "4. Confidentiality and access to information" in body
    assert "Cllr Jo Bloggs" in body and "screenshot.png" in body


def test_changing_to_a_council_with_another_code_clears_the_parts_with_a_notice(journey, client, council, councillor):
    other = make_district("Southvale Borough Council", "southvale")
    make_code(other, slug="southvale-code", title="Southvale Code of Conduct")
    member = make_councillor(other, "Lee Other")
    journey.complete_up_to_check(council, [councillor])
    journey.post("council", {"authority": str(other.public_id)}, query="?change=1")
    assert "clauses" not in _draft(client)
    response = journey.post("councillors", {"councillors": [str(member.public_id)]}, query="?change=1")
    assert response["Location"] == reverse("complain:clauses") + "?change=1"
    page = client.get(reverse("complain:clauses") + "?change=1").content.decode()
    assert "The council you chose has a different Code of Conduct" in page
    assert journey.post("clauses", {"clauses": ["not_sure"]}, query="?change=1")["Location"] == reverse(
        "complain:check"
    )
    assert "Lee Other" in client.get(reverse("complain:check")).content.decode()


def test_choosing_the_same_council_again_keeps_the_councillors(journey, client, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    response = journey.post("council", {"authority": str(council.public_id)}, query="?change=1")
    assert response["Location"] == reverse("complain:check")
    assert _draft(client)["councillors"]["councillors"] == [str(councillor.public_id)]


def test_the_council_search_keeps_the_change_mode(journey, client, council, councillor):
    for number in range(10):
        make_parish(council, f"Parish {number} Council", f"parish-{number}")
    journey.complete_up_to_check(council, [councillor])
    page = client.get(reverse("complain:council") + "?change=1").content.decode()
    assert '<input type="hidden" name="change" value="1">' in page


def test_fewer_than_ten_councils_are_radios_and_more_are_a_list_to_search(journey, client, council):
    journey.about()
    page = client.get(reverse("complain:council")).content.decode()
    assert 'class="govuk-radios__input"' in page and "<select" not in page and "Search for a council" not in page
    for number in range(8):
        make_parish(council, f"Parish {number} Council", f"parish-{number}")
    page = client.get(reverse("complain:council")).content.decode()  # nine councils
    assert page.count('class="govuk-radios__input"') == 9 and "<select" not in page
    make_parish(council, "Parish 8 Council", "parish-8")
    page = client.get(reverse("complain:council")).content.decode()  # ten councils
    assert "<select" in page and "Search for a council" in page and "govuk-radios__input" not in page
    assert "Parish 3 Council" in page


def test_a_parish_council_radio_says_whose_area_it_is_in(journey, client, council):
    make_parish(council)
    journey.about()
    page = client.get(reverse("complain:council")).content.decode()
    assert "Parish council in the Northmoor District Council area" in page


def test_a_post_older_than_the_time_limit_is_warned_about_on_the_next_page_and_never_refused(
    journey, client, council, councillor, settings, django_capture_on_commit_callbacks
):
    settings.COMPLAINT_MAX_AGE_MONTHS = 6
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    assert journey.add_post(posted_on_2="2024").status_code == 302
    page = client.get(reverse("complain:posts")).content.decode()
    assert "This post was made more than 6 months ago" in page
    assert "not normally taken forward, unless there is a good reason" in page
    assert "Why are you complaining about it now? (optional)" in page
    journey.post("posts", {"add_another": "no", "late_reason": "The councillor repeated it this month."})
    journey.clauses()
    journey.upload()
    journey.evidence_continue()
    journey.outcome()
    assert "The councillor repeated it this month." in client.get(reverse("complain:check")).content.decode()
    journey.send()
    assert Complaint.objects.get().late_reason == "The councillor repeated it this month."


def test_a_recent_post_gets_no_warning_and_no_reason_is_stored(journey, client, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    assert "months ago" not in client.get(reverse("complain:posts")).content.decode()
    journey.send()
    assert Complaint.objects.get().late_reason == ""


def test_something_else_reveals_its_own_question_and_tell_us_more_stays_optional(journey, client, council, councillor):
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    page = client.get(reverse("complain:post_add")).content.decode()
    assert 'aria-controls="conditional-id_capacity_indicators_8"' in page
    assert 'data-reveals="conditional-id_platform_' in page  # a radio: no aria-controls, so no aria-expanded
    response = journey.add_post(
        capacity_indicators=["other"], capacity_other="He signs off as Cllr", capacity_explanation=""
    )
    assert response.status_code == 302
    journey.no_more_posts()
    journey.clauses()
    journey.upload()
    journey.evidence_continue()
    journey.outcome()
    journey.send()
    post = SocialMediaPost.objects.get()
    assert post.capacity_other == "He signs off as Cllr"
    assert post.capacity_explanation == ""


def test_i_am_not_sure_is_an_exclusive_answer_after_an_or_divider(journey, client, council, councillor):
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post()
    journey.no_more_posts()
    page = client.get(reverse("complain:clauses")).content.decode()
    assert '<div class="govuk-checkboxes__divider">or</div>' in page
    assert 'value="not_sure" data-behaviour="exclusive"' in page
    assert journey.clauses(numbers=(), not_sure=True).status_code == 302
    assert _draft(client)["clauses"] == {"code": "northmoor-code-2021", "clauses": [], "not_sure": True}


def test_evidence_thumbnails_are_served_only_to_the_session_that_uploaded_them(journey, client, council, councillor):
    from django.test import Client

    journey.complete_up_to_check(council, [councillor])
    stored = _draft(client)["evidence"][0]
    url = reverse("complain:evidence_thumbnail", args=[stored["token"]])
    page = client.get(reverse("complain:evidence")).content.decode()
    assert f'src="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert Client().get(url).status_code == 404
    assert client.get(reverse("complain:evidence_thumbnail", args=["0" * 32])).status_code == 404


def test_adding_a_file_shows_a_file_added_banner_with_the_full_name(journey, client, council, councillor):
    long_name = "Screenshot of Cllr Jo Bloggs post about Elm Road residents taken on 3 November 2026 at 21.14.png"
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post()
    journey.no_more_posts()
    journey.clauses()
    response = journey.upload(long_name)
    assert response["Location"].startswith(reverse("complain:evidence") + "?added=")
    page = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page
    assert f'File added: <span class="app-file-name">{long_name}</span>' in page


def test_removing_a_file_from_a_phone_asks_first(journey, client, council, councillor):
    journey.complete_up_to_check(council, [councillor])
    token = _draft(client)["evidence"][0]["token"]
    url = reverse("complain:evidence_remove", args=[token])
    page = client.get(url).content.decode()
    assert "Are you sure you want to remove" in page and "screenshot.png" in page
    assert _draft(client)["evidence"]  # asking removes nothing
    assert client.post(url)["Location"] == reverse("complain:evidence")
    assert _draft(client)["evidence"] == []
