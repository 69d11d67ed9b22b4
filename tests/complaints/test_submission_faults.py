"""Sending a complaint survives Redis outages, double taps and lost files: nothing lost, nothing doubled."""

import logging
import threading
import time

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from complaints.models import Case, Complaint, Evidence, OutboxMessage, OutboxStatus
from config.celery import app as celery_app
from tests.complaints.journey import Journey
from tests.factories import make_code, make_councillor, make_district, png_bytes
from tests.live_http import HttpClient, reference_in
from tests.services import RedisServer, start_worker_with_beat, stop_process, worker_env

CHECK = "/complain/check/"
SEND = {"declaration": "on", "website": ""}


@pytest.fixture
def council_with_councillor(db):
    council = make_district()
    make_code(council)
    return council, make_councillor(council)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_on_redis(settings):
    """Point this process's cache and Celery at a given Redis, as REDIS_URL would, restoring both after."""
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: celery_app.conf[key] for key in keys}

    def configure(url: str):
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.FailOpenRedisCache",
                "LOCATION": url,
                "OPTIONS": {
                    "socket_connect_timeout": settings.REDIS_TIMEOUT_SECONDS,
                    "socket_timeout": settings.REDIS_TIMEOUT_SECONDS,
                    "retry_on_timeout": False,
                },
            }
        }
        celery_app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
        celery_app._after_fork()  # drop pooled connections so the new URL is used

    yield configure
    celery_app.conf.update(**saved)
    celery_app._after_fork()


def _send_over_http(live_server, client) -> tuple[object, float]:
    http = HttpClient.sharing_session_of(live_server.url, client)
    http.ensure_csrf(CHECK)
    started = time.monotonic()
    response = http.post(CHECK, SEND)
    return response, time.monotonic() - started


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outage", ["stopped", "hanging"])
def test_it_saves_a_complaint_sent_while_redis_is_down_and_acknowledges_it_once_redis_is_back(
    outage, client, live_server, tmp_path, redis_server, app_on_redis, council_with_councillor, settings, caplog
):
    council, councillor = council_with_councillor
    app_on_redis(redis_server.url)
    Journey(client).complete_up_to_check(council, [councillor])
    if outage == "stopped":
        redis_server.stop()
    else:
        redis_server.pause()  # SIGSTOP: the port accepts connections but never answers

    worker = None
    try:
        with caplog.at_level(logging.WARNING):
            response, elapsed = _send_over_http(live_server, client)
        assert response.status == 302, response.text[:2000]
        assert response.location.endswith(reverse("complain:confirmation"))
        # A hang guard, not a speed figure: the request must not wait on Redis for long.
        assert elapsed < 5, f"the send took {elapsed:.1f} s with Redis {outage}"
        complaint = Complaint.objects.get()
        message = OutboxMessage.objects.get(complaint=complaint)
        assert message.status == OutboxStatus.PENDING
        assert any(
            record.name == "config.cache" and record.levelno == logging.WARNING for record in caplog.records
        ), "the cache failure was not logged"

        if outage == "stopped":
            redis_server.start()
        else:
            redis_server.resume()
        env = worker_env(tmp_path, broker_url=redis_server.url, private_root=settings.PRIVATE_STORAGE_ROOT)
        worker = start_worker_with_beat(tmp_path, env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == OutboxStatus.SENT:
                break
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.5)
        assert message.status == OutboxStatus.SENT
        time.sleep(2)  # a second send, if there were one, would come from the next sweep
        sent = list((tmp_path / "var" / "mail").glob("*.log"))
        assert len(sent) == 1
        assert complaint.reference in sent[0].read_text()
        message.refresh_from_db()
        assert message.attempts == 1
    finally:
        stop_process(worker)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_sends_of_one_draft_make_one_complaint_and_all_see_its_confirmation(
    client, live_server, council_with_councillor
):
    council, councillor = council_with_councillor
    Journey(client).complete_up_to_check(
        council, [councillor], files=[("one.png", png_bytes()), ("two.png", png_bytes(colour=(1, 2, 3)))]
    )
    first = HttpClient.sharing_session_of(live_server.url, client)
    first.ensure_csrf(CHECK)
    clients = [HttpClient(live_server.url, dict(first.cookies)) for _ in range(5)]
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def send(index: int) -> None:
        barrier.wait()
        responses[index] = clients[index].post(CHECK, SEND)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    for response in responses:
        assert response is not None
        assert response.status == 302, response.text[:2000]
        assert response.location.endswith(reverse("complain:confirmation"))
    assert Complaint.objects.count() == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    complaint = Complaint.objects.get()
    assert Evidence.objects.filter(complaint=complaint).count() == 2
    assert Evidence.objects.values("original").distinct().count() == Evidence.objects.count()
    for http in clients:
        page = http.get(reverse("complain:confirmation"))
        assert page.status == 200
        assert reference_in(page.text) == complaint.reference


@pytest.mark.django_db
def test_sending_a_draft_again_after_it_was_sent_shows_the_same_confirmation(client, council_with_councillor):
    council, councillor = council_with_councillor
    journey = Journey(client)
    journey.complete_up_to_check(council, [councillor])
    assert journey.send().status_code == 302
    again = journey.send()
    assert again.status_code == 302
    assert again.url == reverse("complain:confirmation")
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().reference in client.get(again.url).content.decode()


@pytest.mark.django_db
def test_a_file_whose_stored_copy_went_missing_is_the_only_one_removed_from_the_draft(
    client, council_with_councillor
):
    council, councillor = council_with_councillor
    journey = Journey(client)
    journey.complete_up_to_check(
        council, [councillor], files=[("screenshot.png", png_bytes()), ("screenshot.png", png_bytes(colour=(9, 9, 9)))]
    )
    lost, kept = client.session["complaint_draft"]["evidence"]
    default_storage.delete(lost["original_path"])

    response = journey.send()

    assert response.status_code == 400
    assert "We could not find screenshot.png any more" in response.content.decode()
    assert Complaint.objects.count() == 0
    remaining = client.session["complaint_draft"]["evidence"]
    assert [f["token"] for f in remaining] == [kept["token"]]
    assert default_storage.exists(kept["original_path"])
    assert journey.send().status_code == 302
    complaint = Complaint.objects.get()
    assert list(complaint.evidence.values_list("original", flat=True)) == [kept["original_path"]]
