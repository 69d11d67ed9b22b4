"""No cheap denial of service through the public form: bodies, upload rates and costly files.

Every refusal is exercised over HTTP (Django's test client, or a live server where a real socket
matters), and every bomb is built in memory by the test: small to make, huge once decoded.
"""

import os
import socket
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from complaints.management import evidence_samples as samples
from complaints.models import Complaint
from tests.complaints.journey import ABOUT, Journey, error_messages
from tests.factories import make_code, make_councillor, make_district, png_bytes
from tests.live_http import HttpClient, multipart

EVIDENCE = "/complain/evidence/"


@pytest.fixture
def subjects(db):
    council = make_district()
    make_code(council)
    return council, make_councillor(council)


def _to_evidence(client, subjects) -> Journey:
    council, councillor = subjects
    journey = Journey(client)
    for response in (
        journey.about(),
        journey.council(council),
        journey.councillors([councillor]),
        journey.add_post(),
        journey.no_more_posts(),
        journey.clauses(),
    ):
        assert response.status_code == 302
    return journey


@pytest.fixture
def at_evidence(client, subjects):
    return _to_evidence(client, subjects)


def _stored_originals() -> list[str]:
    try:
        return default_storage.listdir("evidence/originals")[1]
    except FileNotFoundError:
        return []


def _refused_with(response, message: str) -> None:
    summary, inline = error_messages(response)
    assert response.status_code == 400, response.content[:2000]
    assert summary == [message], summary
    assert inline == [message], inline


# --- request bodies ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_declared_over_the_cap_is_refused_unread_with_the_styled_413_page(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    response = client.post(
        EVIDENCE, data=b"x" * 10, content_type="application/octet-stream", CONTENT_LENGTH=str(1024 * 1024 + 1)
    )
    body = response.content.decode()
    assert response.status_code == 413
    assert "What you sent is too large" in body
    assert "govuk-template" in body or "govuk-header" in body
    assert "Content-Security-Policy" in response.headers  # the page carries the usual headers


def _temp_files(folder) -> set[str]:
    return set(os.listdir(folder))


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    """Uploads over a small threshold are spooled to disk here, where the test can watch them."""
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    return folder


def _raw_request(live_server, head: bytes, body: bytes) -> socket.socket:
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=10)
    connection.sendall(head + body)
    return connection


def _head(path: str, content_type: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def _wait_for(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.django_db(transaction=True)
def test_a_body_over_the_cap_is_answered_413_over_a_real_connection_without_a_temporary_file(
    live_server, settings, upload_temp_dir
):
    settings.MAX_REQUEST_BODY_BYTES = 512 * 1024
    body, content_type = multipart({"action": "add"}, field_name="file", file_name="big.png", content=b"\x00" * 600_000)
    connection = _raw_request(live_server, _head(EVIDENCE, content_type, len(body)), body[:100_000])
    answer = b""
    try:
        while chunk := connection.recv(65536):
            answer += chunk
    except OSError:
        pass  # the server may reset the connection once it has answered
    finally:
        connection.close()
    answer = answer.decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "What you sent is too large" in answer
    assert _temp_files(upload_temp_dir) == set()


async def _asgi_post(path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[int, bytes]:
    from asgiref.testing import ApplicationCommunicator
    from django.core.asgi import get_asgi_application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(get_asgi_application(), scope)
    await communicator.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await communicator.receive_output(30)
    content = b""
    while True:
        message = await communicator.receive_output(30)
        content += message.get("body", b"")
        if not message.get("more_body"):
            return start["status"], content


@pytest.mark.django_db
def test_a_body_longer_than_it_declared_is_stopped_at_the_cap_while_it_streams_in(settings, upload_temp_dir):
    """Under ASGI the body is not cut to its declared length, so a lying Content-Length would let
    any amount through to the upload handlers; the first handler stops it at the cap."""
    from asgiref.sync import async_to_sync

    settings.MAX_REQUEST_BODY_BYTES = 256 * 1024
    body, content_type = multipart(
        {"action": "add"}, field_name="file", file_name="long.png", content=b"\x00" * 600_000
    )
    headers = [(b"content-type", content_type.encode()), (b"content-length", b"1000")]
    status, content = async_to_sync(_asgi_post)(EVIDENCE, headers, body)
    assert status == 413
    assert "What you sent is too large" in content.decode()
    assert _temp_files(upload_temp_dir) == set()


@pytest.mark.django_db(transaction=True)
def test_an_upload_cut_off_mid_stream_leaves_no_temporary_file(live_server, upload_temp_dir):
    content = os.urandom(1_000_000)
    body, content_type = multipart({"action": "add"}, field_name="file", file_name="cut.png", content=content)
    connection = _raw_request(live_server, _head(EVIDENCE, content_type, len(body)), body[: len(body) // 2])
    # Half the file has arrived: the server is spooling it to a temporary file.
    assert _wait_for(lambda: len(_temp_files(upload_temp_dir)) == 1), "the upload never reached the disk"
    connection.close()  # the client goes away mid-stream
    assert _wait_for(lambda: _temp_files(upload_temp_dir) == set()), _temp_files(upload_temp_dir)


@pytest.mark.django_db(transaction=True)
def test_a_refused_upload_leaves_no_temporary_file_or_stored_copy(client, live_server, subjects, upload_temp_dir):
    _to_evidence(client, subjects)
    http = HttpClient.sharing_session_of(live_server.url, client)
    http.ensure_csrf(EVIDENCE)
    bomb = samples.png_16_bit()  # refused; at under 1 MB still over the threshold, so spooled to disk
    response = http.post_file(EVIDENCE, {"action": "add"}, field_name="file", file_name="bomb.png", content=bomb)
    assert response.status == 400
    # The server deletes it as it closes the request, just after the answer is sent.
    assert _wait_for(lambda: _temp_files(upload_temp_dir) == set()), _temp_files(upload_temp_dir)
    assert _stored_originals() == []


# --- upload rates ------------------------------------------------------------------------------

RATE_MESSAGE = "You have uploaded a lot of files in a short time. Wait an hour, then try again"


def test_uploads_are_limited_per_browser_session_counting_refused_files_too(at_evidence, settings):
    settings.EVIDENCE_UPLOAD_RATE_LIMIT_SESSION = "3/h"
    assert at_evidence.upload("one.png", png_bytes(colour=(1, 1, 1))).status_code == 302
    assert at_evidence.upload("two.png", b"not a picture").status_code == 400
    assert at_evidence.upload("three.png", png_bytes(colour=(3, 3, 3))).status_code == 302
    response = at_evidence.upload("four.png", png_bytes(colour=(4, 4, 4)))
    assert response.status_code == 429
    assert error_messages(response) == ([RATE_MESSAGE], [RATE_MESSAGE])
    assert len(_stored_originals()) == 2
    # Moving on without another file is not an upload and is not held up.
    assert at_evidence.evidence_continue().status_code == 302


def test_uploads_are_limited_per_client_address_across_browser_sessions(client, subjects, settings):
    from django.test import Client

    settings.EVIDENCE_UPLOAD_RATE_LIMIT_IP = "2/h"
    first, second = _to_evidence(client, subjects), _to_evidence(Client(), subjects)
    assert first.upload("one.png", png_bytes(colour=(1, 1, 1))).status_code == 302
    assert second.upload("two.png", png_bytes(colour=(2, 2, 2))).status_code == 302
    response = second.upload("three.png", png_bytes(colour=(3, 3, 3)))
    assert response.status_code == 429
    assert RATE_MESSAGE in response.content.decode()
    other_address = _to_evidence(Client(REMOTE_ADDR="192.0.2.7"), subjects)
    assert other_address.upload("four.png", png_bytes(colour=(4, 4, 4))).status_code == 302


def test_uploads_carry_on_when_the_rate_limit_cache_is_down(at_evidence, settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # nothing listens here once the probe is closed
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_on_timeout": False},
        }
    }
    settings.EVIDENCE_UPLOAD_RATE_LIMIT_SESSION = "1/h"
    for number in range(3):
        assert at_evidence.upload(f"{number}.png", png_bytes(colour=(number, 0, 0))).status_code == 302
    assert any(record.name == "config.cache" for record in caplog.records)


def test_failed_validation_does_not_use_up_the_submission_allowance(client, subjects, settings):
    settings.COMPLAINT_RATE_LIMIT = "1/h"
    council, councillor = subjects
    journey = Journey(client)
    assert journey.about(email="not-an-email").status_code == 400
    journey.complete_up_to_check(council, [councillor])
    for _ in range(3):
        assert journey.post("check", {"website": ""}).status_code == 400  # no declaration ticked
    assert journey.post("outcome", {"outcome_sought": ""}).status_code == 400
    response = journey.send()
    assert response.status_code == 302
    assert response["Location"] == reverse("complain:confirmation")
    # The allowance is now used: a second complaint from this address waits.
    journey.complete_up_to_check(council, [councillor])
    assert journey.send().status_code == 429
    assert Complaint.objects.count() == 1


# --- images ------------------------------------------------------------------------------------

TOO_COSTLY = "{} is too large a picture for us to check. Save it as a JPEG, or upload a smaller screenshot"


def test_a_40_megapixel_16_bit_png_is_refused_from_its_header_without_decoding(at_evidence):
    bomb = samples.png_16_bit()  # 7300 x 5480, 16 bits a channel: under 1 MB, 240 MB decoded
    started = time.process_time()
    response = at_evidence.upload("sixteen.png", bomb)
    assert time.process_time() - started < 1.0
    _refused_with(response, TOO_COSTLY.format("sixteen.png"))
    assert _stored_originals() == []


@pytest.fixture(scope="module")
def photo_48_megapixels() -> bytes:
    return samples.jpeg_photo(8000, 6000)


def test_a_48_megapixel_phone_photo_is_accepted_decoded_at_a_reduced_scale(
    at_evidence, client, settings, photo_48_megapixels
):
    # 8000 x 6000 decoded in full would take 192 MB; at a quarter of its width it takes 12 MB.
    settings.EVIDENCE_DECODE_MAX_BYTES = 20_000_000
    response = at_evidence.upload("phone.jpg", photo_48_megapixels, content_type="image/jpeg")
    assert response.status_code == 302, error_messages(response)
    stored = client.session["complaint_draft"]["evidence"][-1]
    assert (stored["width"], stored["height"]) == (8000, 6000)
    assert stored["sha256"]


@pytest.fixture(scope="module")
def heic_photo() -> bytes:
    return samples.heic_photo(1200, 900)


def test_a_heic_phone_photo_is_accepted_with_a_display_copy(at_evidence, client, heic_photo):
    response = at_evidence.upload("IMG_0001.HEIC", heic_photo, content_type="image/heic")
    assert response.status_code == 302, error_messages(response)
    stored = client.session["complaint_draft"]["evidence"][-1]
    assert (stored["content_type"], stored["width"], stored["height"]) == ("image/heic", 1200, 900)
    thumbnail = client.get(reverse("complain:evidence_thumbnail", args=[stored["token"]]))
    assert thumbnail.status_code == 200
    assert b"".join(thumbnail.streaming_content).startswith(b"\x89PNG")


def test_a_heic_photo_over_the_pixel_limit_is_refused_from_its_header(at_evidence, settings, heic_photo):
    settings.EVIDENCE_MAX_PIXELS = 500_000
    _refused_with(
        at_evidence.upload("big.heic", heic_photo),
        "big.heic has too many pixels. Images must be no bigger than 0.5 million pixels",
    )


def test_a_png_over_the_decoding_budget_is_refused_before_it_is_decoded(at_evidence, settings):
    settings.EVIDENCE_DECODE_MAX_BYTES = 1_000_000
    content = png_bytes((600, 500), colour=(9, 9, 9))  # 1.2 MB once decoded
    _refused_with(at_evidence.upload("wide.png", content), TOO_COSTLY.format("wide.png"))


FRAMES = "{} is an animation with too many frames. Animations can have up to 40 frames, or upload a screenshot instead"


@pytest.mark.parametrize(("format", "name"), [("GIF", "moving.gif"), ("WEBP", "moving.webp"), ("PNG", "moving.png")])
def test_an_animation_with_too_many_frames_is_refused(at_evidence, settings, format, name):
    settings.EVIDENCE_MAX_FRAMES = 40
    _refused_with(at_evidence.upload(name, samples.animated(format, frames=41)), FRAMES.format(name))


@pytest.mark.parametrize("format", ["GIF", "WEBP", "PNG"])
def test_an_animation_within_the_limits_is_accepted(at_evidence, settings, format):
    settings.EVIDENCE_MAX_FRAMES = 40
    assert at_evidence.upload(f"moving.{format.lower()}", samples.animated(format, frames=40)).status_code == 302


def test_an_animation_whose_frames_add_up_to_too_many_pixels_is_refused(at_evidence, settings):
    settings.EVIDENCE_MAX_FRAMES = 40
    settings.EVIDENCE_MAX_FRAME_PIXELS = 10 * 200 * 200
    content = samples.animated("GIF", frames=11, size=(200, 200))
    _refused_with(at_evidence.upload("long.gif", content), FRAMES.format("long.gif"))


def test_an_animation_with_a_damaged_later_frame_is_refused_though_its_first_frame_is_fine(at_evidence):
    content = samples.gif_with_damaged_frame(frames=4, damaged=3)
    _refused_with(
        at_evidence.upload("broken.gif", content), "broken.gif could not be opened. It may be damaged or incomplete"
    )


# --- PDFs --------------------------------------------------------------------------------------


def test_a_pdf_with_a_1_gib_flate_stream_is_refused_quickly(at_evidence):
    bomb = samples.pdf_flate_bomb(1024**3)
    assert len(bomb) < 1_100_000
    started = time.process_time()
    response = at_evidence.upload("statement.pdf", bomb, content_type="application/pdf")
    assert time.process_time() - started < 2.0
    _refused_with(
        response,
        "statement.pdf holds more data than we can check. Save it as a new PDF, or upload screenshots instead",
    )


def test_a_pdf_of_180000_objects_is_refused_quickly(at_evidence):
    started = time.process_time()
    response = at_evidence.upload("thread.pdf", samples.pdf_many_objects(180_000), content_type="application/pdf")
    assert time.process_time() - started < 2.0
    _refused_with(
        response, "thread.pdf is too complicated for us to check. Save it as a new PDF, or upload screenshots instead"
    )


def test_a_pdf_within_the_limits_is_accepted(at_evidence, settings):
    settings.EVIDENCE_PDF_MAX_OBJECTS = 500
    content = samples.pdf_plain(pages=20)
    assert at_evidence.upload("pages.pdf", content, content_type="application/pdf").status_code == 302


def test_a_pdf_whose_streams_decode_past_the_budget_is_refused(at_evidence, settings):
    settings.EVIDENCE_PDF_MAX_DECODED_BYTES = 2_000_000
    content = samples.pdf_flate_bomb(3_000_000)
    response = at_evidence.upload("small.pdf", content, content_type="application/pdf")
    assert response.status_code == 400
    assert at_evidence.upload("fits.pdf", samples.pdf_flate_bomb(1_000_000)).status_code == 302


# --- control characters ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["%00", "Ash%00by", "%01", "%1B%5B2J", "%7F", "%C2%85", "%C2%9B"])
def test_a_control_character_in_a_query_answers_the_styled_400_page(client, value):
    response = client.get(f"/complain/council/?q={value}")
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


@pytest.mark.django_db
def test_a_control_character_in_a_parameter_name_is_refused_too(client):
    assert client.get("/complain/council/?q%00=Ashby").status_code == 400


@pytest.mark.django_db
def test_a_control_character_in_a_form_field_name_answers_400(client):
    response = client.post(reverse("complain:about"), {**ABOUT, "name\x00": "x"})
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


@pytest.mark.parametrize("name", ["Jane\x00Smith", "Jane\x07Smith", "Jane\x1bSmith", "Jane\x7fSmith"])
def test_a_control_character_in_an_answer_is_refused_by_name_and_never_stored(client, subjects, name):
    council, councillor = subjects
    journey = Journey(client)
    _refused_with(journey.about(name=name), "Full name must not include hidden control characters")
    journey.complete_up_to_check(council, [councillor])
    journey.send()
    assert Complaint.objects.get().complainant_name == ABOUT["name"]


@pytest.mark.django_db
def test_a_control_character_in_an_officer_search_answers_400_too(client):
    assert client.get("/officer/?q=%00").status_code == 400


def test_text_areas_still_accept_line_breaks_and_tabs(client, subjects):
    council, councillor = subjects
    journey = Journey(client)
    journey.complete_up_to_check(council, [councillor])
    assert journey.about(address="1 High Street\r\n\tNorthmoor\nNM1 1AA").status_code == 302
    assert journey.send().status_code == 302
    assert Complaint.objects.get().complainant_address.startswith("1 High Street")


def test_a_direction_override_is_still_refused_with_the_inline_message(client, subjects):
    response = Journey(client).about(name="Jane \u202eexe.live Smith")
    _refused_with(response, "Full name must not include characters that change the direction of text")


@pytest.mark.django_db
def test_a_search_with_ordinary_text_still_works(client, subjects):
    Journey(client).about()
    assert client.get("/complain/council/?q=North%20moor").status_code == 200
