"""'Check your complaint' over HTTP: a single-use link valid for a day, e-mailed through the outbox
only when the reference and address match; the same page whether or not they do; rate-limited
(failing open when the cache is down); and the page shows this complaint's stage, what happens
next and by when, and nothing about anyone else."""

import hashlib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    ComplaintAccessLink,
    DeadlineKind,
    Event,
    EventKind,
    OutboxMessage,
    Stage,
)
from complaints.services.clocks import clock_pause, clock_start
from tests.factories import make_district

pytestmark = pytest.mark.django_db

START = "/check-your-complaint/"
SENT = "/check-your-complaint/sent/"
OPENED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def complaint():
    council = make_district()
    case = Case.objects.create(
        reference="MO-2026-00042",
        authority=council,
        opened_at=OPENED,
        stage=Stage.ACKNOWLEDGED,
        title="Cllr Jo Bloggs (Northmoor District Council)",
    )
    mine = Complaint.objects.create(
        reference="MOC-2026-00042",
        case=case,
        authority=council,
        complainant_name="Priya Shah",
        complainant_email="priya.shah@example.com",
        complainant_type="public",
        outcome_sought="An apology.",
        submitted_at=OPENED,
    )
    Complaint.objects.create(
        reference="MOC-2026-00043",
        case=case,
        authority=council,
        complainant_name="Gareth Other",
        complainant_email="gareth.other@example.com",
        complainant_type="public",
        outcome_sought="Removal of the councillor from the planning committee.",
        submitted_at=OPENED,
    )
    ack = clock_start(case, DeadlineKind.ACKNOWLEDGE, start=date(2026, 11, 2))
    ack.met_at = OPENED
    ack.save()
    clock_start(case, DeadlineKind.ASSESSMENT, start=date(2026, 11, 2))
    clock_start(case, DeadlineKind.MEMBER_RESPONSE, start=date(2026, 11, 3))
    return mine


def ask(client, reference="MOC-2026-00042", email="priya.shah@example.com"):
    return client.post(START, {"reference": reference, "email": email})


def sent_link(message: OutboxMessage) -> str:
    return re.search(r"https?://[^/]+(/check-your-complaint/link/[^/]+/)", message.context["link"]).group(1)


def test_a_matching_reference_and_address_queue_a_link_in_the_outbox(client, complaint):
    response = ask(client, reference=" moc-2026-00042 ", email="Priya.Shah@Example.com")
    assert response.status_code == 302 and response.url == SENT
    message = OutboxMessage.objects.get(template="complaint_check_link")
    assert message.to == "priya.shah@example.com"
    assert message.complaint == complaint
    link = ComplaintAccessLink.objects.get()
    token = sent_link(message).rstrip("/").rsplit("/", 1)[1]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_hash  # only the hash is kept
    assert link.expires_at - link.created_at == timedelta(days=1)


def test_the_page_says_the_same_whether_or_not_the_reference_exists_or_matches(client, complaint):
    pages = []
    for reference, email in (
        ("MOC-2026-00042", "priya.shah@example.com"),  # matches
        ("MOC-2026-00042", "someone.else@example.com"),  # wrong address
        ("MOC-2026-99999", "priya.shah@example.com"),  # no such reference
    ):
        response = ask(client, reference, email)
        assert (response.status_code, response.url) == (302, SENT)
        # The same words; only the per-response script nonce differs.
        pages.append(re.sub(r'nonce="[^"]*"', "", client.get(SENT).content.decode()))
    assert pages[0] == pages[1] == pages[2]
    assert "If the reference and email address you gave match a complaint" in pages[0]
    assert OutboxMessage.objects.filter(template="complaint_check_link").count() == 1


def test_the_case_reference_with_the_complainants_address_works_too(client, complaint):
    ask(client, reference="MO-2026-00042")
    assert OutboxMessage.objects.get(template="complaint_check_link").to == "priya.shah@example.com"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reference": "", "email": "priya.shah@example.com"}, "Enter your complaint reference"),
        ({"reference": "MOC-2026-00042", "email": ""}, "Enter your email address"),
        (
            {"reference": "MOC-2026-00042", "email": "not-an-address"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"reference": "X" * 31, "email": "priya.shah@example.com"}, "must be 30 characters or fewer"),
    ],
)
def test_missing_or_malformed_answers_get_gov_uk_error_messages(client, complaint, values, message):
    response = client.post(START, values)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert not OutboxMessage.objects.exists()


def test_the_link_opens_this_complaint_once_and_shows_only_what_is_the_complainants(client, complaint):
    ask(client)
    link = sent_link(OutboxMessage.objects.get(template="complaint_check_link"))
    landing = client.get(link)
    assert landing.status_code == 200
    assert b"Continue to your complaint" in landing.content
    assert ComplaintAccessLink.objects.get().used_at is None  # looking (or a mail scanner) uses nothing up

    opened = client.post(link)
    assert opened.status_code == 302
    page = client.get(opened.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "MOC-2026-00042" in text
    assert "We have acknowledged your complaint" in text
    assert "The Monitoring Officer aims to decide what should happen to your complaint by" in text
    assert "Monday 30 November 2026" in text  # the stored assessment clock
    assert "We aim to acknowledge" not in text  # met clocks are not shown
    for private in (
        "Gareth",
        "MOC-2026-00043",
        "planning committee",
        "Jo Bloggs",
        "Member's response",
        "MO-2026-00042",
    ):
        assert private not in text
    assert page["Cache-Control"].startswith("max-age=0")
    assert Event.objects.filter(case=complaint.case, kind=EventKind.CASE_VIEWED).count() == 1

    again = client.get(link)
    assert again.status_code == 410
    assert b"This link has already been used" in again.content
    assert client.post(link).status_code == 410


def test_an_expired_link_is_refused_with_a_clear_page(client, complaint):
    ask(client)
    link = sent_link(OutboxMessage.objects.get(template="complaint_check_link"))
    ComplaintAccessLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert b"This link has expired" in response.content
        assert b"Ask for a new link" in response.content


def test_a_made_up_link_is_refused(client, complaint):
    response = client.get("/check-your-complaint/link/not-a-real-token/")
    assert response.status_code == 410
    assert b"This link does not work" in response.content


def test_the_progress_page_needs_an_opened_link(client, complaint):
    response = client.get("/check-your-complaint/your-complaint/")
    assert response.status_code == 403
    assert b"Your time to view your complaint has ended" in response.content


def test_a_paused_clock_is_shown_as_on_hold(client, complaint):
    assessment = complaint.case.deadlines.get(kind=DeadlineKind.ASSESSMENT)
    clock_pause(assessment, "Waiting for a police decision")
    ask(client)
    opened = client.post(sent_link(OutboxMessage.objects.get(template="complaint_check_link")))
    text = client.get(opened.url).content.decode()
    assert "This is on hold for now" in text
    assert "police" not in text


def test_a_closed_case_shows_the_outcome_and_the_review_window(client, complaint):
    case = complaint.case
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, outcome="no_further_action", closed_at=OPENED)
    clock_start(case, DeadlineKind.REVIEW_WINDOW, start=date(2026, 12, 1))
    ask(client)
    opened = client.post(sent_link(OutboxMessage.objects.get(template="complaint_check_link")))
    text = client.get(opened.url).content.decode()
    assert "Your complaint is closed." in text
    assert "The Monitoring Officer decided to take no further action." in text
    assert "If you want us to review the decision, ask by <strong>Tuesday 8 December 2026</strong>" in text
    assert "aims to decide" not in text


def test_requests_are_limited_per_reference(client, complaint, settings):
    settings.COMPLAINT_CHECK_REFERENCE_RATE_LIMIT = "3/h"
    settings.COMPLAINT_CHECK_RATE_LIMIT = "100/h"
    for n in range(3):
        assert ask(client, email=f"guess{n}@example.com").status_code == 302
    refused = ask(client)
    assert refused.status_code == 429
    assert b"Sorry, you need to wait before trying again" in refused.content
    assert not OutboxMessage.objects.exists()
    assert ask(client, reference="MOC-2026-00043", email="gareth.other@example.com").status_code == 302


def test_requests_are_limited_per_connection(client, complaint, settings):
    settings.COMPLAINT_CHECK_RATE_LIMIT = "5/h"
    for n in range(5):
        assert ask(client, reference=f"MOC-2026-{n:05d}").status_code == 302
    assert ask(client).status_code == 429


def test_the_limit_fails_open_when_the_cache_is_down(client, complaint, settings):
    settings.COMPLAINT_CHECK_RATE_LIMIT = "2/h"
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for _ in range(4):
        assert ask(client).status_code == 302
    assert OutboxMessage.objects.filter(template="complaint_check_link").count() == 4
