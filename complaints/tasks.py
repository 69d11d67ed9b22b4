"""Celery tasks. Each takes ids and calls one service; the services hold the logic."""

from celery import shared_task


@shared_task(name="complaints.tasks.ping")
def ping() -> str:
    """A trivial task used to check that a worker is consuming from the broker."""
    return "pong"


# No results are stored for outbox tasks: the outbox row is the record, and not waiting on the
# result backend keeps publishing fast (and failing fast) when Redis is unreachable. A failed send
# stays pending and the periodic sweep retries it.
@shared_task(name="complaints.tasks.outbox_send", ignore_result=True)
def outbox_send(message_id: int) -> str:
    from complaints.services.outbox import outbox_message_send

    return outbox_message_send(message_id=message_id)


@shared_task(name="complaints.tasks.outbox_dispatch_pending", ignore_result=True)
def outbox_dispatch_pending() -> int:
    """Periodic safety net: sends anything left pending, e.g. while the broker was down."""
    from complaints.services.outbox import outbox_send_pending

    return outbox_send_pending()


@shared_task(name="complaints.tasks.evidence_unsent_purge", ignore_result=True)
def evidence_unsent_purge() -> int:
    """Hourly: delete uploads of complaints that were never sent, once well past any session."""
    from complaints.services.evidence_cleanup import evidence_unsent_purge as purge

    return purge()


@shared_task(name="complaints.tasks.sessions_purge", ignore_result=True)
def sessions_purge() -> None:
    """Every few minutes: clear drafts left idle (answers and uploaded files) and delete expired
    sessions, through Django's clearsessions (the session backend does the draft part)."""
    from django.core.management import call_command

    call_command("clearsessions")


@shared_task(name="complaints.tasks.takedown_follow_up", ignore_result=True)
def takedown_follow_up() -> int:
    """Daily: remind the officer of each overdue takedown request (at most once a day each)."""
    from complaints.services.takedowns import takedown_follow_up as follow_up

    return follow_up()


@shared_task(name="complaints.tasks.committee_report_generate", ignore_result=True)
def committee_report_generate(run_id: int) -> str:
    """Generate a requested Standards Committee report; progress is kept on the run's row."""
    from complaints.services.committee_report import report_run_execute

    return report_run_execute(run_id=run_id)
