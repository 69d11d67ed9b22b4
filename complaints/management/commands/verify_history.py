"""Check every case's history: `python manage.py verify_history` exits non-zero on any break."""

from django.core.management.base import BaseCommand, CommandError

from complaints.models import Event
from complaints.selectors.history import history_breaks, history_guard_breaks


class Command(BaseCommand):
    help = "Check that case histories are unaltered (hash chain) and that the append-only triggers are in place."

    def add_arguments(self, parser):
        parser.add_argument("--case", dest="case_reference", help="Check only the case with this reference.")

    def handle(self, *args, case_reference=None, **options):
        breaks = list(history_guard_breaks())
        breaks += list(history_breaks(case_reference=case_reference))
        events = Event.objects.filter(case__reference=case_reference) if case_reference else Event.objects.all()
        checked = events.count()
        for found in breaks:
            self.stderr.write(f"BREAK {found}")
        if breaks:
            raise CommandError(f"History check failed: {len(breaks)} break(s) in {checked} event(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"History intact: {checked} event(s) checked."))
