"""E-mail backends for tests: one that refuses every message, and one that records a message and
then stalls before returning, to stand for a worker that dies between sending and marking."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


class StallingFileBackend(FileBackend):
    """Writes each message to a file like the file backend, then waits STALL_AFTER_SEND_SECONDS."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("STALL_AFTER_SEND_SECONDS", "0")))
        return sent
