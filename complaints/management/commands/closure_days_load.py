"""Copy the closure days of the COUNCIL_CLOSURE_DAYS setting to every principal council."""

from django.core.management.base import BaseCommand

from complaints.services.closure_days import closure_days_seed


class Command(BaseCommand):
    help = "Add the closure days of the COUNCIL_CLOSURE_DAYS setting to each principal council's calendar."

    def handle(self, *args, **options):
        added = closure_days_seed()
        self.stdout.write(f"{added} closure day(s) added.")
