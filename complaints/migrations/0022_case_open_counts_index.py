"""An index the dashboard's counts are read from alone (open cases per stage, overdue, due this
week, unassigned), without visiting the cases table. Added like migrations 0011's and 0013's."""

from django.db import migrations, models
from django.db.models import Q

INDEX = models.Index(
    fields=["authority", "stage", "next_due_on", "assigned_officer"],
    include=["id"],
    condition=~Q(stage="closed"),
    name="case_open_counts",
)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite has no covering indexes
        schema_editor.add_index(apps.get_model("complaints", "Case"), INDEX)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("complaints", "Case"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0021_complaint_email_index"),
    ]

    operations = [migrations.RunPython(add, remove)]
