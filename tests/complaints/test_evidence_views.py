"""Serving evidence: only to signed-in users allowed to view it, and every view goes on the record."""

import io
import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from complaints import roles
from complaints.models import Authority, Case, Complaint, ConflictOfInterest, Event, EventKind, Evidence, OfficerProfile
from complaints.services.events import event_record
from complaints.services.evidence_files import evidence_file_store
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def case():
    authority = Authority.objects.create(name="Northshire District Council", slug="northshire", kind="district")
    return Case.objects.create(reference="MO-2026-00001", authority=authority, opened_at=datetime.now(UTC))


@pytest.fixture
def complaint(case):
    return Complaint.objects.create(
        reference="MO-2026-00001-C1",
        case=case,
        authority=case.authority,
        complainant_name="Pat Resident",
        complainant_email="pat@example.com",
        complainant_type="public",
        outcome_sought="An apology.",
        submitted_at=datetime.now(UTC),
    )


def make_evidence(complaint, name: str, data: bytes) -> Evidence:
    stored = evidence_file_store(upload=SimpleUploadedFile(name, data))
    return Evidence.objects.create(
        case=complaint.case,
        complaint=complaint,
        original=stored.original_path,
        display=stored.display_path,
        original_name=stored.original_name,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        width=stored.width,
        height=stored.height,
        perceptual_hash=stored.perceptual_hash,
        uploaded_at=datetime.fromisoformat(stored.uploaded_at),
    )


@pytest.fixture
def screenshot(complaint):
    return make_evidence(complaint, "screenshot.png", png_bytes())


@pytest.fixture
def officer(case):
    user = User.objects.create_user("officer", password="pw", first_name="Olu", last_name="Officer")
    user.groups.add(Group.objects.get(name=roles.CASE_OFFICER))
    OfficerProfile.objects.create(user=user, authority=case.authority)
    return user


@pytest.fixture
def other_council_officer():
    other = Authority.objects.create(name="Southshire District Council", slug="southshire", kind="district")
    user = User.objects.create_user("elsewhere", password="pw")
    user.groups.add(Group.objects.get(name=roles.CASE_OFFICER))
    OfficerProfile.objects.create(user=user, authority=other)
    return user


@pytest.fixture
def no_access_user():
    return User.objects.create_user("nobody", password="pw")


def url(evidence_or_id, copy="original"):
    public_id = getattr(evidence_or_id, "public_id", evidence_or_id)
    return reverse(f"evidence:{copy}", kwargs={"public_id": public_id})


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_redirects_anonymous_users_to_sign_in(client, screenshot):
    response = client.get(url(screenshot))

    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={url(screenshot)}")
    assert not Event.objects.exists()


def test_it_answers_404_to_users_without_a_role(client, no_access_user, screenshot):
    sign_in(client, no_access_user)

    assert client.get(url(screenshot)).status_code == 404
    assert client.get(url(screenshot, "display")).status_code == 404
    assert not Event.objects.exists()


def test_it_answers_404_to_another_councils_officer(client, other_council_officer, screenshot):
    sign_in(client, other_council_officer)

    assert client.get(url(screenshot)).status_code == 404
    assert not Event.objects.exists()


def test_it_answers_404_to_an_officer_who_declared_a_conflict_on_the_case(client, officer, screenshot):
    ConflictOfInterest.objects.create(
        case=screenshot.case, officer=officer, reason="Related to the councillor", declared_at=datetime.now(UTC)
    )
    sign_in(client, officer)

    assert client.get(url(screenshot)).status_code == 404
    assert not Event.objects.exists()


def test_it_does_not_reveal_whether_an_id_exists_to_users_without_access(client, no_access_user, screenshot):
    sign_in(client, no_access_user)

    assert client.get(url(uuid.uuid4())).status_code == client.get(url(screenshot)).status_code == 404


def test_it_returns_404_for_an_unknown_id(client, officer):
    sign_in(client, officer)

    assert client.get(url(uuid.uuid4())).status_code == 404
    assert client.get(url(uuid.uuid4(), "display")).status_code == 404


def test_it_serves_the_exact_original_bytes_as_a_download(client, officer, screenshot):
    sign_in(client, officer)

    response = client.get(url(screenshot))

    assert response.status_code == 200
    with default_storage.open(screenshot.original.name, "rb") as handle:
        assert body(response) == handle.read() == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="screenshot.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_it_records_who_viewed_the_original(client, officer, screenshot):
    sign_in(client, officer)

    client.get(url(screenshot))

    event = Event.objects.get()
    assert event.case == screenshot.case
    assert event.kind == EventKind.EVIDENCE_VIEWED
    assert event.actor == officer
    assert event.actor_label == "Olu Officer"
    assert event.description == "Viewed original of screenshot.png"
    assert event.details == {"evidence_public_id": str(screenshot.public_id), "copy": "original"}


def test_it_serves_the_display_copy_inline_and_records_it(client, officer, screenshot):
    sign_in(client, officer)

    response = client.get(url(screenshot, "display"))

    assert response.status_code == 200
    with default_storage.open(screenshot.display.name, "rb") as handle:
        assert body(response) == handle.read()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    event = Event.objects.get()
    assert event.description == "Viewed display copy of screenshot.png"
    assert event.details["copy"] == "display"


def test_the_download_name_carries_the_real_type_not_the_uploaded_one(client, officer, complaint):
    evidence = make_evidence(complaint, "holiday.exe.jpg", png_bytes())
    Evidence.objects.filter(pk=evidence.pk).update(original_name="holiday.exe")
    sign_in(client, officer)

    response = client.get(url(evidence))

    assert response["Content-Disposition"] == 'attachment; filename="holiday.png"'


def test_a_pdf_has_no_display_copy(client, officer, complaint):
    evidence = make_evidence(complaint, "letter.pdf", pdf_bytes())
    sign_in(client, officer)

    assert client.get(url(evidence, "display")).status_code == 404
    response = client.get(url(evidence))
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == pdf_bytes()
    assert Event.objects.count() == 1


def test_a_missing_file_is_404_and_not_recorded(client, officer, screenshot):
    default_storage.delete(screenshot.original.name)
    sign_in(client, officer)

    assert client.get(url(screenshot)).status_code == 404
    assert not Event.objects.exists()


def test_only_get_is_allowed(client, officer, screenshot):
    sign_in(client, officer)

    assert client.post(url(screenshot)).status_code == 405


# --- event_record ------------------------------------------------------------------------------


def test_event_record_labels_a_missing_actor_as_system(case):
    event = event_record(case=case, kind=EventKind.NOTE, description="Reminder sent")

    assert event.actor is None
    assert event.actor_label == "System"
    assert event.details == {}


def test_event_record_falls_back_to_the_username(case, no_access_user):
    event = event_record(case=case, kind=EventKind.NOTE, description="Looked", actor=no_access_user)

    assert event.actor == no_access_user
    assert event.actor_label == "nobody"


def test_event_record_keeps_a_given_label(case):
    event = event_record(
        case=case, kind=EventKind.COMPLAINT_RECEIVED, description="Complaint received", actor_label="Pat Resident"
    )

    assert event.actor_label == "Pat Resident"


def test_event_record_refuses_an_unknown_kind(case):
    with pytest.raises(ValueError):
        event_record(case=case, kind="made_up", description="?")
