"""Indexes the possible-duplicates queue is read from alone, without visiting the tables: the open
cases not merged into another, by council; and the post addresses and screenshot hashes of a case.
Added like migration 0022's."""

from django.db import migrations, models
from django.db.models import Q

INDEXES = {
    "Case": models.Index(
        fields=["authority"],
        include=["id"],
        condition=~Q(stage="closed") & Q(merged_into__isnull=True),
        name="case_open_unmerged",
    ),
    "SocialMediaPost": models.Index(
        fields=["case"], include=["normalised_url"], condition=~Q(normalised_url=""), name="post_case_url"
    ),
    "Evidence": models.Index(
        fields=["case"], include=["perceptual_hash"], condition=~Q(perceptual_hash=""), name="evidence_case_hash"
    ),
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite has no covering indexes
        for model, index in INDEXES.items():
            schema_editor.add_index(apps.get_model("complaints", model), index)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in INDEXES.items():
            schema_editor.remove_index(apps.get_model("complaints", model), index)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0022_case_open_counts_index"),
    ]

    operations = [migrations.RunPython(add, remove)]
