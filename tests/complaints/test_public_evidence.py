"""Evidence on the public form: refusals are explained on the page and nothing already given is lost."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from complaints.models import Evidence
from tests.complaints.journey import Journey
from tests.factories import make_code, make_councillor, make_district, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_evidence(client):
    council = make_district()
    make_code(council)
    councillor = make_councillor(council)
    journey = Journey(client)
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post()
    journey.no_more_posts()
    journey.clauses()
    assert journey.upload("first.png", png_bytes(colour=(1, 2, 3))).status_code == 302
    return journey


def _pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hello');")}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bomb_png() -> bytes:
    """A tiny PNG whose header claims 60000 x 60000 pixels."""
    width = height = 60000
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = zlib.compress(b"\x00" * (width + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


REFUSALS = [
    ("notes.png", b"this is plain text, not a picture", "notes.png"),
    ("empty.png", b"", "empty.png"),
    ("macro.pdf", None, "macro.pdf"),
    ("cut.png", png_bytes((800, 600))[:300], "cut.png"),
    ("bomb.png", None, "bomb.png"),
    ("poly.png", png_bytes() + b"%PDF-1.4\n<script>alert(1)</script>", "poly.png"),
    ("program.exe", b"MZ\x90\x00" + b"\x00" * 200, "program.exe"),
]


@pytest.mark.parametrize(("name", "content", "named"), REFUSALS)
def test_a_refused_file_is_explained_by_name_and_earlier_answers_and_files_are_kept(
    at_evidence, client, name, content, named
):
    if name == "macro.pdf":
        content = _pdf_with_javascript()
    if name == "bomb.png":
        content = _bomb_png()
    response = at_evidence.upload(name, content)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    assert named in body
    assert "first.png" in body  # the file already added is still listed
    check = client.get(reverse("complain:outcome"))
    assert check.status_code == 200  # earlier pages still answered


def test_a_file_over_the_size_limit_is_refused(at_evidence, settings):
    settings.EVIDENCE_MAX_BYTES = 50_000
    response = at_evidence.upload("huge.png", png_bytes((2000, 2000), colour=(9, 9, 9)) + b"\x00" * 60_000)
    assert response.status_code == 400
    assert "huge.png" in response.content.decode()


def test_no_more_than_the_maximum_number_of_files(at_evidence, settings):
    settings.EVIDENCE_MAX_FILES = 3
    assert at_evidence.upload("second.png", png_bytes(colour=(4, 5, 6))).status_code == 302
    assert at_evidence.upload("third.png", png_bytes(colour=(7, 8, 9))).status_code == 302
    response = at_evidence.upload("fourth.png", png_bytes(colour=(10, 11, 12)))
    assert response.status_code == 400
    assert "You can send up to 3 files" in response.content.decode()


def test_files_survive_moving_back_and_forth_between_pages(at_evidence, client):
    at_evidence.upload("second.png", png_bytes(colour=(4, 5, 6)))
    at_evidence.evidence_continue()
    client.get(reverse("complain:outcome"))
    client.get(reverse("complain:clauses"))
    body = client.get(reverse("complain:evidence")).content.decode()
    assert "first.png" in body
    assert "second.png" in body


def test_a_file_can_be_removed_and_its_stored_copy_is_deleted(at_evidence, client):
    draft = client.session["complaint_draft"]
    token = draft["evidence"][0]["token"]
    path = draft["evidence"][0]["original_path"]
    assert default_storage.exists(path)
    response = client.post(reverse("complain:evidence_remove", args=[token]))
    assert response.status_code == 302
    assert "first.png" not in client.get(reverse("complain:evidence")).content.decode()
    assert not default_storage.exists(path)


def test_continuing_without_any_file_needs_a_reason(client):
    council = make_district()
    make_code(council)
    journey = Journey(client)
    journey.about()
    journey.council(council)
    journey.councillors([make_councillor(council)])
    journey.add_post()
    journey.no_more_posts()
    journey.clauses()
    response = journey.evidence_continue()
    assert response.status_code == 400
    assert "Upload a screenshot or PDF of the post, or tell us why you cannot" in response.content.decode()
    response = journey.post("evidence", {"action": "continue", "no_evidence_reason": "It was deleted at once"})
    assert response.status_code == 302


def test_add_file_without_choosing_one_says_so(at_evidence):
    response = at_evidence.post("evidence", {"action": "add"})
    assert response.status_code == 400
    assert "Select a file to upload" in response.content.decode()


def test_a_file_chosen_when_pressing_continue_is_kept_not_dropped(at_evidence, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("late.png", png_bytes(colour=(50, 60, 70)), content_type="image/png")
    response = client.post(reverse("complain:evidence"), {"file": upload, "action": "continue"})
    assert response.status_code == 302
    names = [f["original_name"] for f in client.session["complaint_draft"]["evidence"]]
    assert names == ["first.png", "late.png"]


def test_no_evidence_url_is_public(at_evidence, client):
    at_evidence.evidence_continue()
    at_evidence.outcome()
    at_evidence.send()
    evidence = Evidence.objects.get()
    for copy in ("original", "display"):
        response = client.get(f"/evidence/{evidence.public_id}/{copy}/")
        assert response.status_code == 302
        assert "/officer/login/" in response["Location"]
    assert client.get("/media/" + evidence.original.name).status_code == 404
    assert client.get("/static/" + evidence.original.name).status_code == 404
