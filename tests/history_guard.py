"""Lifting the append-only triggers for the few places a test must: emptying the database between
transactional tests, and forging a change to prove that verify_history finds it."""

from contextlib import contextmanager

from django.db import transaction

from complaints.models.event_guard import install_event_guard, remove_event_guard


@contextmanager
def event_guard_lifted(connection):
    with transaction.atomic(using=connection.alias):
        remove_event_guard(connection)
        yield
        install_event_guard(connection)
