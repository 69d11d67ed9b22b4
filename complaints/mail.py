"""E-mail delivery backends and what the outbox asks of them.

The outbox sends through Django's mail backend (SMTP in production). GOV.UK Notify is an optional
backend, chosen with EMAIL_BACKEND=complaints.mail.NotifyEmailBackend, with its template ids in
settings. Each message carries the outbox row's reference (its public id): as the Message-ID
header for SMTP, and as the Notify reference, which Notify can be asked about later. A backend
that can say whether a reference was already delivered (`already_sent`) lets the outbox resend a
message whose worker died mid-send without sending it twice; see docs/outbox.md.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

# Headers the outbox sets on every message; the Notify backend reads them, SMTP carries them.
REFERENCE_HEADER = "X-Outbox-Reference"
TEMPLATE_HEADER = "X-Outbox-Template"


def delivered_before(*, reference: str, connection=None) -> bool | None:
    """Whether the backend already delivered a message with this reference; None if it cannot tell."""
    connection = connection or get_connection()
    check = getattr(connection, "already_sent", None)
    return None if check is None else bool(check(reference))


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each e-mail through GOV.UK Notify's API, one notification per recipient.

    The template is the one configured for the outbox template (NOTIFY_TEMPLATE_IDS), else
    NOTIFY_DEFAULT_TEMPLATE_ID, a Notify template of ((subject)) and ((body)). Personalisation
    carries the subject, the rendered body and the message's own fields; a PDF attachment is
    uploaded with the notification and linked as ((link_to_file)).
    """

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            self._client = NotificationsAPIClient(
                settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.EMAIL_TIMEOUT
            )
        return self._client

    def send_messages(self, email_messages) -> int:
        from notifications_python_client.utils import prepare_upload

        sent = 0
        for message in email_messages:
            headers = message.extra_headers or {}
            template = headers.get(TEMPLATE_HEADER, "")
            personalisation = {
                **{key: str(value) for key, value in getattr(message, "personalisation", {}).items()},
                "subject": message.subject,
                "body": message.body,
            }
            for attachment in message.attachments:
                name, content, _mimetype = attachment
                personalisation["link_to_file"] = prepare_upload(io.BytesIO(content), filename=name)
            try:
                for address in message.to:
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=settings.NOTIFY_TEMPLATE_IDS.get(template, settings.NOTIFY_DEFAULT_TEMPLATE_ID),
                        personalisation=personalisation,
                        reference=headers.get(REFERENCE_HEADER),
                    )
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent

    def already_sent(self, reference: str) -> bool:
        """Ask Notify whether a notification with this reference exists (sent, sending or delivered)."""
        response = self.client.get_all_notifications(reference=reference)
        return any(
            item.get("status") not in {"permanent-failure", "technical-failure", "validation-failed"}
            for item in response.get("notifications", [])
        )
