import django.utils.timezone
from django.db import migrations, models

from complaints.models.events import event_hash


def link_existing_events(apps, schema_editor):
    """Number each case's events in the order they were written and chain their hashes."""
    Event = apps.get_model("complaints", "Event")
    case_id = None
    sequence = 0
    previous = ""
    for event in Event.objects.order_by("case_id", "created_at", "id").iterator(chunk_size=2000):
        if event.case_id != case_id:
            case_id, sequence, previous = event.case_id, 0, ""
        sequence += 1
        entry_hash = event_hash(
            case_id=event.case_id,
            sequence=sequence,
            kind=event.kind,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            description=event.description,
            details=event.details,
            created_at=event.created_at,
            previous_hash=previous,
        )
        Event.objects.filter(pk=event.pk).update(sequence=sequence, previous_hash=previous, entry_hash=entry_hash)
        previous = entry_hash


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_case_merged_into"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Position in the case's history, from 1."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="previous_hash",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="Hash of the case's previous event; empty for the first.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="entry_hash",
            field=models.CharField(
                default="",
                editable=False,
                help_text="SHA-256 over this event's content and the previous hash.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="event",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop, elidable=False),
    ]
