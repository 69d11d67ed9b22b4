"""The Celery app. Eager (in-process) when REDIS_URL is unset; otherwise Redis as broker and backend."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from config.log_privacy import add_masking_filter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("standards_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _mask_emails_in_worker_logs(logger=None, **kwargs):
    # Celery gives its task logger handlers of its own; they mask addresses like every other handler.
    if logger is not None:
        add_masking_filter(logger)
