"""GOV.UK Notify as the e-mail backend: the outbox sends through its API (mocked here: it leaves
the machine), with the outbox reference, and asks Notify before resending a message whose worker died."""

import json
import uuid
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from complaints.models import OutboxMessage, OutboxStatus
from complaints.services.outbox import outbox_message_send, outbox_send_pending

API_KEY = f"test_key-{uuid.uuid4()}-{uuid.uuid4()}"
DEFAULT_TEMPLATE = str(uuid.uuid4())
ACK_TEMPLATE = str(uuid.uuid4())


class FakeNotify:
    """Stands in for requests.Session.request: records calls and answers like Notify's API."""

    def __init__(self, *, known_references=(), fail=False):
        self.calls = []
        self.known = set(known_references)
        self.fail = fail

    def __call__(self, session, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        response = requests.Response()
        response.url = url
        if self.fail:
            response.status_code = 500
            response._content = b'{"errors": [{"error": "Exception", "message": "Internal server error"}]}'
            return response
        response.status_code = 200
        if method == "POST":
            body = json.loads(kwargs["data"])
            self.known.add(body.get("reference"))
            response.status_code = 201
            response._content = json.dumps({"id": str(uuid.uuid4()), "reference": body.get("reference")}).encode()
        else:
            reference = kwargs["params"]["reference"]
            notifications = [{"reference": reference, "status": "delivered"}] if reference in self.known else []
            response._content = json.dumps({"notifications": notifications}).encode()
        return response

    def posts(self):
        return [json.loads(kwargs["data"]) for method, url, kwargs in self.calls if method == "POST"]


@pytest.fixture
def notify(settings, monkeypatch):
    settings.EMAIL_BACKEND = "complaints.mail.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_DEFAULT_TEMPLATE_ID = DEFAULT_TEMPLATE
    settings.NOTIFY_TEMPLATE_IDS = {"acknowledgement": ACK_TEMPLATE}
    settings.EMAIL_TIMEOUT = 7

    def install(**options):
        fake = FakeNotify(**options)
        monkeypatch.setattr(
            requests.Session, "request", lambda session, method, url, **kwargs: fake(session, method, url, **kwargs)
        )
        return fake

    return install


def _message(**fields):
    return OutboxMessage.objects.create(
        to="sam@example.com",
        subject="We have received your complaint MO-2026-00001",
        template="acknowledgement",
        context={"name": "Sam", "reference": "MO-2026-00001", "assessment_days": 20},
        **fields,
    )


@pytest.mark.django_db
def test_an_email_goes_through_notify_with_its_template_reference_and_fields(notify):
    fake = notify()
    message = _message()
    assert outbox_message_send(message_id=message.pk) == "sent"
    [(method, url, kwargs)] = fake.calls
    assert method == "POST" and url.endswith("/v2/notifications/email")
    assert kwargs["timeout"] == 7
    [body] = fake.posts()
    assert body["email_address"] == "sam@example.com"
    assert body["template_id"] == ACK_TEMPLATE
    assert body["reference"] == str(message.public_id)
    assert body["personalisation"]["name"] == "Sam"
    assert body["personalisation"]["subject"] == message.subject
    assert "MO-2026-00001" in body["personalisation"]["body"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


@pytest.mark.django_db
def test_an_email_without_a_template_of_its_own_uses_the_default_template(notify):
    fake = notify()
    message = OutboxMessage.objects.create(
        to="officer@example.gov.uk",
        subject="Due soon",
        template="deadline_reminder",
        context={
            "name": "Sam",
            "reference": "MO-2026-00001",
            "clock": "Initial assessment",
            "due_on": "4 January 2027",
        },
    )
    outbox_message_send(message_id=message.pk)
    assert fake.posts()[0]["template_id"] == DEFAULT_TEMPLATE


@pytest.mark.django_db
def test_a_notify_error_is_retried_later(notify):
    notify(fail=True)
    message = _message()
    assert outbox_message_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.next_attempt_at > timezone.now()
    assert "500" in message.last_error or "Internal server error" in message.last_error


@pytest.mark.django_db
def test_a_message_whose_worker_died_after_notify_took_it_is_marked_sent_not_sent_again(notify, settings):
    message = _message(
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=settings.OUTBOX_RECLAIM_SECONDS + 1),
    )
    fake = notify(known_references={str(message.public_id)})
    outbox_send_pending()
    assert fake.posts() == []
    [(method, url, kwargs)] = fake.calls
    assert method == "GET" and kwargs["params"] == {"reference": str(message.public_id)}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


@pytest.mark.django_db
def test_a_message_whose_worker_died_before_notify_had_it_is_sent_once(notify, settings):
    message = _message(
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=settings.OUTBOX_RECLAIM_SECONDS + 1),
    )
    fake = notify()
    outbox_send_pending()
    outbox_send_pending()
    assert len(fake.posts()) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2


def test_the_notify_backend_needs_its_key_and_default_template(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "complaints.mail.NotifyEmailBackend",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "NOTIFY_API_KEY and NOTIFY_DEFAULT_TEMPLATE_ID" in result.stderr
