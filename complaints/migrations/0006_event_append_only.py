from django.db import migrations, models

from complaints.models.event_guard import install_event_guard, remove_event_guard


def install(apps, schema_editor):
    install_event_guard(schema_editor.connection)


def remove(apps, schema_editor):
    remove_event_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_event_hash_chain"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(fields=("case", "sequence"), name="event_unique_sequence_per_case"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("sequence__gte", 1), models.Q(("entry_hash", ""), _negated=True)),
                name="event_is_chained",
            ),
        ),
        migrations.RunPython(install, remove),
    ]
