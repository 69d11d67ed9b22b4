"""Work out a due date in working days from the command line, as the officer calculator does.

    python manage.py working_days --start 2026-12-23 --days 5 --nation ENG [--council SLUG]

prints the due date (ISO) on the first line and the sentence saying how on the second. A bad
date, a negative count, an unknown nation or council is a one-line error with exit status 2.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from complaints.models import Authority
from complaints.services.working_days import NATIONS, calendar_for, due_date

MAX_DAYS = 1000


def _error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Print the date a number of working days after a start date, and how it was worked out."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="The start date, YYYY-MM-DD (day 0).")
        parser.add_argument("--days", required=True, help="The number of working days.")
        parser.add_argument("--nation", default=None, help="ENG, WLS, SCT or NIR (default: the council's).")
        parser.add_argument("--council", default=None, help="A principal council's slug, for its closure days.")

    def handle(self, *args, start, days, nation, council, **options):
        try:
            start_on = date.fromisoformat(start)
        except ValueError:
            raise _error(f"--start must be a real date in the form YYYY-MM-DD, not {start!r}") from None
        try:
            count = int(days)
        except ValueError:
            raise _error(f"--days must be a whole number, not {days!r}") from None
        if count < 0:
            raise _error("--days must be 0 or more")
        if count > MAX_DAYS:
            raise _error(f"--days must be {MAX_DAYS} or fewer")
        if nation is not None and nation.upper() not in NATIONS:
            raise _error(f"--nation must be one of {', '.join(NATIONS)}, not {nation!r}")
        authority = None
        if council:
            authority = Authority.objects.filter(slug=council).first()
            if authority is None:
                raise _error(f"No council with the slug {council!r}")
        calendar = calendar_for(authority, nation=(nation or "ENG").upper())
        if authority is not None and nation is not None and nation.upper() != calendar.nation:
            raise _error(f"{authority.principal.name} is in {calendar.nation}, not {nation.upper()}")
        due = due_date(start_on, count, calendar=calendar)
        self.stdout.write(due.due_on.isoformat())
        self.stdout.write(due.explanation)
