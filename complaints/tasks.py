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


@shared_task(name="complaints.tasks.deadline_sweep", ignore_result=True)
def deadline_sweep() -> dict:
    """Every 15 minutes: reminders before clocks fall due, escalation once they are overdue."""
    from complaints.services.deadline_sweep import deadline_sweep as sweep

    result = sweep()
    if result.reminders or result.escalations:
        _dispatch_soon()
    return {"reminders": result.reminders, "escalations": result.escalations}


@shared_task(name="complaints.tasks.retention_apply", ignore_result=True)
def retention_apply() -> int:
    """Daily: anonymise closed cases past the retention period (cases on legal hold excepted)."""
    from complaints.services.retention import retention_apply as apply

    return len(apply())


def _dispatch_soon() -> None:
    # The sweep queues its messages without a task each; one dispatch sends them all. If the
    # broker is down the every-minute dispatch does it.
    try:
        outbox_dispatch_pending.delay()
    except Exception:  # noqa: S110 - the periodic dispatch is the fallback
        pass


# Long work runs on the "documents" queue (CELERY_TASK_ROUTES: complaints.tasks.document_*).
@shared_task(name="complaints.tasks.document_acknowledgement_letter", ignore_result=True)
def document_acknowledgement_letter(complaint_id: int) -> str:
    """Render and store the acknowledgement letter of a complaint as a PDF."""
    from complaints.documents.letters import acknowledgement_letter
    from complaints.models import Complaint
    from complaints.services.documents import document_generate

    complaint = Complaint.objects.select_related("case__authority").get(pk=complaint_id)
    return str(document_generate(letter=acknowledgement_letter(complaint)).public_id)


@shared_task(name="complaints.tasks.document_decision_notice", ignore_result=True)
def document_decision_notice(decision_id: int, public: bool = True) -> str:
    """Render and store a decision notice as a PDF."""
    from complaints.documents.letters import decision_notice
    from complaints.models import Decision
    from complaints.services.documents import document_generate

    decision = Decision.objects.select_related("case__authority").get(pk=decision_id)
    return str(document_generate(letter=decision_notice(decision, public=public)).public_id)


@shared_task(name="complaints.tasks.committee_report_generate", ignore_result=True)
def committee_report_generate(run_id: int) -> str:
    """Generate a requested Standards Committee report; progress is kept on the run's row."""
    from complaints.services.committee_report import report_run_execute

    return report_run_execute(run_id=run_id)
