"""Shared set-up for the admin tests: the demo data with one generated document."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints.models import Case, Document, DocumentKind


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    content = b"%PDF-1.4 demo acknowledgement letter"
    document = Document(
        case=Case.objects.first(),
        kind=DocumentKind.ACKNOWLEDGEMENT,
        title="Acknowledgement letter",
        sha256=hashlib.sha256(content).hexdigest(),
        template="documents/acknowledgement.html",
        generated_at=timezone.now(),
    )
    document.file.save("acknowledgement.pdf", ContentFile(content), save=False)
    document.save()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
