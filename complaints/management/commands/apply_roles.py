from django.core.management.base import BaseCommand

from complaints.roles import ROLE_PERMISSIONS, roles_apply


class Command(BaseCommand):
    help = "Create or correct the role groups and their permissions (idempotent; also runs after migrate)."

    def handle(self, *args, **options):
        groups = roles_apply()
        for role in groups:
            self.stdout.write(f"{role}: {len(ROLE_PERMISSIONS[role])} permissions")
        self.stdout.write(f"{len(groups)} roles applied.")
