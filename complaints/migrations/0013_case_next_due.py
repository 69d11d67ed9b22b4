"""Each case's next due date, kept by database triggers, and the index the dashboard reads it by.

The partial index (open cases by next due date) is added here, like migration 0011's, rather than
in the model's Meta, so that all of the dashboard's indexes are in one kind of place.
"""

from django.db import migrations, models
from django.db.models import Q

from complaints.models.next_due_guard import install_next_due_triggers, remove_next_due_triggers

INDEX = models.Index(fields=["next_due_on", "opened_at", "id"], condition=~Q(stage="closed"), name="case_open_by_due")


def install(apps, schema_editor):
    schema_editor.add_index(apps.get_model("complaints", "Case"), INDEX)
    install_next_due_triggers(schema_editor.connection)


def remove(apps, schema_editor):
    remove_next_due_triggers(schema_editor.connection)
    schema_editor.remove_index(apps.get_model("complaints", "Case"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0012_event_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="next_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(install, remove),
    ]
