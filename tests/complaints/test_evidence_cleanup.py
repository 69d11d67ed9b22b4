"""Uploads of complaints that were never sent are deleted once no session can still use them."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Evidence
from complaints.services.evidence_cleanup import evidence_unsent_purge
from complaints.services.evidence_files import evidence_file_store
from tests.complaints.journey import Journey
from tests.factories import make_code, make_councillor, make_district, png_bytes

pytestmark = pytest.mark.django_db


def _age(path: str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(default_storage.path(path), (then, then))


def test_old_uploads_of_unsent_complaints_are_deleted_and_sent_evidence_is_kept(client):
    council = make_district()
    make_code(council)
    journey = Journey(client)
    journey.complete_up_to_check(council, [make_councillor(council)])
    assert journey.send().status_code == 302  # its evidence now belongs to an Evidence row
    abandoned = evidence_file_store(upload=SimpleUploadedFile("left.png", png_bytes(colour=(9, 8, 7))))
    recent = evidence_file_store(upload=SimpleUploadedFile("recent.png", png_bytes(colour=(1, 8, 7))))
    _, originals = default_storage.listdir("evidence/originals/")
    for name in originals:
        _age(f"evidence/originals/{name}", 48)
    _, displays = default_storage.listdir("evidence/display/")
    for name in displays:
        _age(f"evidence/display/{name}", 48)
    _age(recent.original_path, 1)
    _age(recent.display_path, 1)

    removed = evidence_unsent_purge(older_than=timedelta(hours=24))

    assert removed == 2
    assert not default_storage.exists(abandoned.original_path)
    assert not default_storage.exists(abandoned.display_path)
    assert default_storage.exists(recent.original_path)
    kept = Evidence.objects.get()
    assert default_storage.exists(kept.original.name)
    assert default_storage.exists(kept.display.name)


def test_purging_with_nothing_stored_does_nothing():
    assert evidence_unsent_purge() == 0
