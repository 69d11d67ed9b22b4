"""Print a demo login's current sign-in code, so the embedded demo can be signed in to.

Only with DEBUG on (the embedded mode): on a real service the codes belong on people's phones.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints.services.two_factor import totp_current_code


class Command(BaseCommand):
    help = "Print the current authenticator-app code of a demo login (only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_code only works in the embedded demo (DEBUG=1); with DEBUG off, codes come from "
                "each person's authenticator app.",
                returncode=2,
            )
        user = get_user_model().objects.filter(username=username).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(
                f"No login {username!r} with an authenticator app; run `python manage.py seed_demo` first.",
                returncode=2,
            )
        self.stdout.write(totp_current_code(device))
