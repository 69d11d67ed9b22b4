"""The Celery app. Eager (in-process) when REDIS_URL is unset; otherwise Redis as broker and backend."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("standards_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
