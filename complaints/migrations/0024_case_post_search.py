"""Each case's search document (PostgreSQL): the words of its posts on the case row, kept by a
trigger (complaints/models/post_search.py). The dashboard's search reads it in place of the posts'
own full-text index, which nothing reads any more and which is dropped here."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from complaints.models.post_search import install_post_search, remove_post_search

POST_INDEX = GinIndex(SearchVector("text_reported", config="english"), name="post_text_search")


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("complaints", "SocialMediaPost"), POST_INDEX)
        install_post_search(schema_editor.connection)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        remove_post_search(schema_editor.connection)
        schema_editor.add_index(apps.get_model("complaints", "SocialMediaPost"), POST_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0023_duplicates_indexes"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
