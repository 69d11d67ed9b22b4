"""Run one periodic job once, in this process: for cron-only deployments and for tests.

python manage.py run_task sweep              # deadline reminders and escalations
python manage.py run_task outbox             # send what is due in the outbox
python manage.py run_task takedowns          # follow up overdue takedown requests
python manage.py run_task retention [--dry-run]
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a periodic job once: sweep, outbox, takedowns or retention (with --dry-run to list only)."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=("sweep", "outbox", "takedowns", "retention"))
        parser.add_argument(
            "--dry-run", action="store_true", help="retention only: list the cases that would be anonymised"
        )

    def handle(self, *args, job, dry_run=False, **options):
        if dry_run and job != "retention":
            self.stderr.write("--dry-run applies to retention only.")
            raise SystemExit(2)
        if job == "sweep":
            from complaints.services.deadline_sweep import deadline_sweep

            result = deadline_sweep()
            self.stdout.write(f"Queued {result.reminders} reminder(s) and {result.escalations} escalation(s).")
        elif job == "outbox":
            from complaints.services.outbox import outbox_send_pending

            self.stdout.write(f"Sent {outbox_send_pending()} message(s).")
        elif job == "takedowns":
            from complaints.services.takedowns import takedown_follow_up

            self.stdout.write(f"Queued {takedown_follow_up()} takedown follow-up(s).")
        else:
            self._retention(dry_run=dry_run)

    def _retention(self, *, dry_run: bool) -> None:
        from django.conf import settings

        from complaints.services.retention import retention_apply, retention_plan

        items = retention_plan() if dry_run else retention_apply()
        verb = "Would anonymise" if dry_run else "Anonymised"
        for item in items:
            self.stdout.write(f"{verb} {item.line()}")
        self.stdout.write(
            f"{verb} {len(items)} case(s) closed more than {settings.RETENTION_YEARS} years after their final decision."
        )
