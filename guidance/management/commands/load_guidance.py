from django.core.management.base import BaseCommand, CommandError

from guidance.services import GuidanceDataError, guidance_load


class Command(BaseCommand):
    help = "Load the shipped model code of conduct and the councils' social media guidance (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="Read the YAML files from this folder instead of guidance/data.")

    def handle(self, *args, data_dir=None, **options):
        try:
            counts = guidance_load(data_dir=data_dir)
        except GuidanceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts['codes']} code(s) with {counts['clauses']} clauses and "
                f"{counts['documents']} guidance document(s) with {counts['rules']} rules "
                f"(removed {counts['clauses_removed']} clauses and {counts['rules_removed']} rules "
                "no longer in the data)."
            )
        )
