"""Keeping complainants' e-mail addresses out of logs and stored delivery errors.

An address is masked to its first character and its domain (jane.doe@example.com becomes
j***@example.com): enough to tell which provider refused a message, not enough to identify
the person. The filter is put on every log handler (settings.LOGGING, and Celery's own handlers
through config/celery.py), so it covers messages, their arguments and tracebacks alike.
"""

import logging
import re

# Local part and domain as they appear in SMTP errors, reprs and tracebacks.
_EMAIL = re.compile(
    r"(?P<first>[A-Za-z0-9_%+-])[A-Za-z0-9._%+'-]*"
    r"@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)"
)


def mask_emails(text: str) -> str:
    """Replace every e-mail address in `text` with its masked form."""
    return _EMAIL.sub(lambda m: f"{m['first']}***@{m['domain']}", text)


class EmailMaskingFilter(logging.Filter):
    """Masks e-mail addresses in a record's message and in its formatted exception and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is left for the formatter to report
            return True
        masked = mask_emails(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_emails(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_emails(record.stack_info)
        return True


def add_masking_filter(logger: logging.Logger) -> None:
    """Put the filter on each of the logger's handlers that lacks it."""
    for handler in logger.handlers:
        if not any(isinstance(f, EmailMaskingFilter) for f in handler.filters):
            handler.addFilter(EmailMaskingFilter())
