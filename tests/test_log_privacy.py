"""Complainants' e-mail addresses never appear in clear in logs or in stored delivery errors."""

import io
import logging
import os
import secrets
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from complaints.models import Complaint, OutboxMessage, OutboxStatus
from config.log_privacy import EmailMaskingFilter, mask_emails
from tests.complaints.journey import ABOUT, Journey
from tests.factories import make_code, make_councillor, make_district

BASE_DIR = Path(__file__).resolve().parent.parent
ADDRESS = ABOUT["email"]  # sam@example.com, the complainant in the journey


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, quoting the address back as real servers do."""

    def send_messages(self, email_messages):
        recipients = [address for message in email_messages for address in message.to]
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode()) for address in recipients}
        )


@pytest.fixture
def console_log():
    """What the configured console handler writes (the one every log line goes through)."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, EmailMaskingFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("jane.doe@example.com", "j***@example.com"),
        ("To: 'Jane' <jane@mail.example.co.uk>.", "To: 'Jane' <j***@mail.example.co.uk>."),
        (
            "{'sam+complaints@example.org': (550, b'<sam+complaints@example.org>')}",
            "{'s***@example.org': (550, b'<s***@example.org>')}",
        ),
        ("o'brien@example.ie", "o***@example.ie"),
        ("no address @ here", "no address @ here"),
    ],
)
def test_it_masks_addresses_to_first_letter_and_domain(text, masked):
    assert mask_emails(text) == masked


def test_log_lines_mask_addresses_in_messages_arguments_and_tracebacks(console_log):
    logger = logging.getLogger("complaints.services.outbox")
    logger.warning("Sending to %s failed", "jane.doe@example.com")
    try:
        raise smtplib.SMTPRecipientsRefused({"jane.doe@example.com": (550, b"rejected")})
    except smtplib.SMTPException:
        logger.exception("Outbox message %s failed", 42)
    output = console_log.getvalue()
    assert "Sending to j***@example.com failed" in output
    assert "Outbox message 42 failed" in output
    assert "SMTPRecipientsRefused: {'j***@example.com'" in output
    assert "jane.doe@example.com" not in output


@pytest.mark.django_db
def test_a_refused_acknowledgement_stores_and_logs_the_error_without_the_address(
    client, settings, console_log, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    council = make_district()
    make_code(council)
    journey = Journey(client)
    journey.complete_up_to_check(council, [make_councillor(council)])

    with django_capture_on_commit_callbacks(execute=True):
        response = journey.send()

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.complainant_email == ADDRESS, "the complaint itself keeps the address"
    message = OutboxMessage.objects.get(complaint=complaint)
    assert message.status == OutboxStatus.PENDING
    assert "SMTPRecipientsRefused" in message.last_error
    assert "s***@example.com" in message.last_error
    assert ADDRESS not in message.last_error
    output = console_log.getvalue()
    assert "s***@example.com" in output, "the failure was logged"
    assert ADDRESS not in output


def test_celery_worker_logs_mask_addresses(tmp_path):
    """The worker sets up its own task-log handlers; they mask addresses too."""
    script = (
        "import django, logging; django.setup()\n"
        "from celery.utils.log import get_task_logger\n"
        "from config.celery import app\n"
        "app.log.setup(loglevel='INFO')\n"
        "get_task_logger('complaints.tasks').error('task failed for %s', 'jane.doe@example.com')\n"
        "logging.getLogger('celery.app.trace').error('Task raised: %r', ValueError('sam@example.com'))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "task failed for j***@example.com" in output
    assert "Task raised: ValueError('s***@example.com')" in output
    assert "jane.doe@example.com" not in output and "sam@example.com" not in output
